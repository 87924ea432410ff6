"""API of talent: the talent database list (no phone numbers)."""

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema

from zugong.core.paging import api_page, page_schema

from . import selectors
from .selectors import TALENT_ORDER, TalentFilters

router = Router(tags=["talent"])


class TalentOut(Schema):
    id: int
    department_id: int
    name: str
    category: str
    high_level: bool
    employer: str
    specialty: str
    leader_id: int | None
    added_on: dt.date
    ability: int | None
    results: int | None
    contribution: int | None
    total: Decimal | None
    grade: str
    open_matters: int


class TalentListQuery(Schema):
    category: str = ""
    department: str = ""
    high_level: bool = False
    # Strings, so that a bad value reaches parse_paging and gets the Chinese 422.
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


def _talent_out(t) -> dict:
    return {"id": t.pk, "department_id": t.department_id, "name": t.name,
            "category": t.category, "high_level": t.high_level, "employer": t.employer,
            "specialty": t.specialty, "leader_id": t.leader_id, "added_on": t.added_on,
            "ability": t.ability, "results": t.results, "contribution": t.contribution,
            "total": t.total, "grade": t.grade, "open_matters": t.open_matters}


@router.get("/talent/talents", response=page_schema(TalentOut))
def list_talent_talents(request, q: Query[TalentListQuery]):
    """One page of the talents of the caller's departments, newest entries first."""
    qs = selectors.talent_list(user=request.user, filters=TalentFilters(
        category=q.category, department=q.department, high_level=q.high_level))
    return api_page(qs, order=TALENT_ORDER,
                    params={"cursor": q.cursor, "limit": q.limit, "offset": q.offset},
                    item=_talent_out)
