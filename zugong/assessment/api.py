"""API of the assessment area: plans, ballots (anonymity kept) and results.

The same selectors and services as the pages, so the same scope rules apply. A ballot
submitted here is stored exactly as from the page: without the voter.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema, Status

from zugong.core.paging import api_page, page_schema
from zugong.people.access import require_cap

from . import selectors, services
from .access import Cap, rater_groups_of
from .models import ANONYMOUS_GROUPS, PlanStatus, RaterGroup

router = Router(tags=["assessment"])


class GroupOut(Schema):
    group: str
    weight: Decimal


class IndicatorOut(Schema):
    id: int
    name: str
    weight: Decimal
    max_score: Decimal
    guide: str
    person_id: int | None
    metric: str
    formula: str


class AssessmentPlanOut(Schema):
    id: int
    department_id: int
    name: str
    kind: str
    subject: str
    period: str
    period_to: str
    window_start: dt.date
    window_end: dt.date
    status: str
    top_quota: Decimal
    tie_rule: str
    version: int


class PlanDetailOut(AssessmentPlanOut):
    groups: list[GroupOut]
    indicators: list[IndicatorOut]
    assessees: list[dict]
    my_groups: list[str]


class PlanIn(Schema):
    department_id: int | None = None
    name: str
    kind: str
    subject: str = ""
    period: str
    period_to: str = ""
    window_start: dt.date
    window_end: dt.date
    template_id: int | None = None
    unit_ids: list[int] = []
    top_quota: Decimal | None = None
    quota_approval: str = ""
    tie_rule: str = "first_indicator"
    appeal_days: int = 15


class BallotIn(Schema):
    group: str
    # "assessee id-indicator id" → score, as on the page
    values: dict[str, str]


class BallotOut(Schema):
    group: str
    people: int
    anonymous: bool


class ResultOut(Schema):
    id: int
    person_id: int
    person: str
    score: Decimal | None
    rank: int | None
    grade: str
    computed_grade: str
    vetoed: bool
    incomplete: bool
    acknowledged: bool


def _plan_out(plan) -> dict:
    return {f: getattr(plan, f) for f in AssessmentPlanOut.model_fields}


@router.get("/assessment/plans", response=page_schema(AssessmentPlanOut),
            summary="Assessment plans in scope")
def list_plans(request, kind: str = "", status: str = "", cursor: str | None = None,
               limit: str | None = None, offset: str | None = None):
    """One page of plans, latest first; pass ``next`` back as ``cursor``."""
    qs = selectors.plan_list(user=request.user, kind=kind, status=status)
    return api_page(qs, order=("-period_end", "-id"),
                    params={"cursor": cursor, "limit": limit, "offset": offset},
                    item=_plan_out)


@router.get("/assessment/plans/{plan_id}", response=PlanDetailOut)
def get_plan(request, plan_id: int):
    plan = selectors.plan_get_for_user(request.user, plan_id)
    return {**_plan_out(plan),
            "groups": [{"group": g.group, "weight": g.weight} for g in plan.groups.all()],
            "indicators": [{f: getattr(i, f) for f in IndicatorOut.model_fields}
                           for i in plan.indicators.all()],
            "assessees": [{"id": a.pk, "person_id": a.person_id, "person": a.person.name}
                          for a in plan.assessees.select_related("person")],
            "my_groups": rater_groups_of(request.user, plan)
            if plan.status == PlanStatus.SCORING else []}


@router.delete("/assessment/plans/{plan_id}", response={204: None},
               summary="Delete a plan still being prepared into the recycle bin")
def delete_plan(request, plan_id: int):
    plan = selectors.plan_get_for_user(request.user, plan_id, manage=True)
    services.plan_delete(by=request.user, plan=plan)
    return Status(204, None)


@router.post("/assessment/plans", response={201: AssessmentPlanOut})
def create_plan(request, payload: PlanIn):
    require_cap(request.user, Cap.ASSESS_MANAGE)
    depts = selectors.departments_to_manage(request.user)
    dept = next((d for d in depts if d.pk == payload.department_id), None) \
        if payload.department_id else (depts[0] if depts else None)
    if dept is None:
        raise Http404
    template = None
    if payload.template_id:
        template = next((t for t in selectors.templates_for(request.user)
                         if t.pk == payload.template_id), None)
        if template is None:
            raise Http404
    data = payload.dict(exclude={"department_id", "template_id", "unit_ids"})
    units = selectors.units_by_id(payload.unit_ids)
    plan = services.plan_create(by=request.user, department=dept, data=data, units=units,
                                template=template)
    return Status(201, _plan_out(plan))


@router.post("/assessment/plans/{plan_id}/ballots", response={201: BallotOut})
def submit_ballot(request, plan_id: int, payload: BallotIn):
    """Scores of a named group, or an anonymous ballot sheet (peers, democratic)."""
    plan = selectors.plan_get_for_user(request.user, plan_id)
    if payload.group not in RaterGroup.values or payload.group == RaterGroup.OUTSIDERS:
        raise Http404
    if payload.group not in rater_groups_of(request.user, plan):
        raise PermissionDenied
    people = services.scores_submit(by=request.user, plan=plan, group=payload.group,
                                    values=payload.values)
    return Status(201, {"group": payload.group, "people": people,
                        "anonymous": payload.group in ANONYMOUS_GROUPS})


def _result_out(a) -> dict:
    return {"id": a.pk, "person_id": a.person_id, "person": a.person.name, "score": a.score,
            "rank": a.rank, "grade": a.grade, "computed_grade": a.computed_grade,
            "vetoed": a.vetoed, "incomplete": a.incomplete,
            "acknowledged": a.acknowledged_at is not None}


@router.get("/assessment/plans/{plan_id}/results", response=page_schema(ResultOut))
def get_results(request, plan_id: int, cursor: str | None = None, limit: str | None = None,
                offset: str | None = None):
    """One page of the closed plan's results the user may see, in order of rank."""
    plan = selectors.plan_get_for_user(request.user, plan_id)
    return api_page(selectors.results(user=request.user, plan=plan),
                    order=("rank_key", "person__name", "id"),
                    params={"cursor": cursor, "limit": limit, "offset": offset},
                    item=_result_out)
