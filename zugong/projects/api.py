"""API of innovation projects."""

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema

from zugong.core.paging import api_page, page_schema

from . import selectors
from .selectors import ORDER, Filters

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    title: str
    unit: str
    declared_on: dt.date
    status: str
    category: str
    guiding_section: str
    classified_on: dt.date | None
    followups: int
    funding: Decimal
    award: str


class ProjectFollowUpOut(Schema):
    person: str
    kind: str
    on: dt.date
    note: str


class ProjectDetail(ProjectOut):
    summary: str
    result: str
    followup_list: list[ProjectFollowUpOut]


class ProjectListQuery(Schema):
    status: str = ""
    category: str = ""
    year: int | None = None
    # Strings, so that a bad value reaches parse_paging and gets the Chinese 422.
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


def _out(p) -> dict:
    return {"id": p.pk, "title": p.title, "unit": p.unit.name, "declared_on": p.declared_on,
            "status": p.status, "category": p.category,
            "guiding_section": p.guiding_section.name if p.guiding_section_id else "",
            "classified_on": p.classified_on, "followups": p.followup_count,
            "funding": p.funding, "award": p.award}


@router.get("/projects", response=page_schema(ProjectOut))
def list_projects(request, q: Query[ProjectListQuery]):
    """One page of the innovation projects of the caller's department, newest first."""
    qs = selectors.project_list(user=request.user, filters=Filters(
        status=q.status, category=q.category, year=q.year))
    return api_page(qs, order=ORDER, params={"cursor": q.cursor, "limit": q.limit,
                                             "offset": q.offset}, item=_out)


@router.get("/projects/{project_id}", response=ProjectDetail)
def get_project(request, project_id: int):
    p = selectors.project_get_for_user(request.user, project_id)
    return {**_out(p), "summary": p.summary, "result": p.result,
            "followup_list": [{"person": f.person.name, "kind": f.kind, "on": f.on,
                               "note": f.note} for f in selectors.followups_of(p)]}
