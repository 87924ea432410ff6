"""API of care: the activities list (what, when, who organized, how many took part)."""

import datetime as dt

from ninja import Query, Router, Schema

from zugong.core.paging import api_page, page_schema

from . import selectors
from .selectors import ACTIVITY_ORDER, ActivityFilters

router = Router(tags=["care"])


class CareActivityOut(Schema):
    id: int
    department_id: int
    kind: str
    title: str
    held_on: dt.date
    place: str
    organizer_id: int
    organizer: str
    participants: int
    family_guests: int


class CareListQuery(Schema):
    kind: str = ""
    department: str = ""
    year: int | None = None
    # Strings, so that a bad value reaches parse_paging and gets the Chinese 422.
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


def _activity_out(a) -> dict:
    return {"id": a.pk, "department_id": a.department_id, "kind": a.kind, "title": a.title,
            "held_on": a.held_on, "place": a.place, "organizer_id": a.organizer_id,
            "organizer": a.organizer.name, "participants": a.joined,
            "family_guests": a.family_guests}


@router.get("/care/activities", response=page_schema(CareActivityOut))
def list_care_activities(request, q: Query[CareListQuery]):
    """One page of the activities of the caller's departments, newest first."""
    qs = selectors.activity_list(user=request.user, filters=ActivityFilters(
        kind=q.kind, department=q.department, year=q.year))
    return api_page(qs, order=ACTIVITY_ORDER,
                    params={"cursor": q.cursor, "limit": q.limit, "offset": q.offset},
                    item=_activity_out)
