"""API of the talks area: talks, coverage, visits and the visit plan.

The same selectors and services as the pages, so the same scope rules apply; a talk's
summary is null unless the caller may read it, and each read is audited.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from zugong.core.paging import api_page, keyset_page, page_schema, parse_paging
from zugong.people.models import Person

from . import selectors, services
from .access import Cap, department_get_for_user, department_of
from .selectors import TalkFilters

router = Router(tags=["talks"])


class TalkOut(Schema):
    id: int
    held_on: dt.date
    kind: str
    by_id: int
    by: str
    with_ids: list[int]
    place: str
    summary: str | None = None
    follow_ups: int


class TalkQuery(Schema):
    kind: str = ""
    person: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    mine: bool = False
    # Strings, so that a bad value reaches parse_paging and gets our Chinese 422.
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


class FollowUpIn(Schema):
    text: str
    owner_id: int
    due_on: dt.date


class TalkIn(Schema):
    with_ids: list[int]
    held_on: dt.date
    kind: str = "heart"
    place: str = ""
    summary: str = ""
    trigger_id: int | None = None
    follow_ups: list[FollowUpIn] = []


class CoverageOut(Schema):
    rule: str
    leader_id: int | None
    leader: str
    member_id: int
    member: str
    required: int
    done: int
    last_talk: dt.date | None
    next_due: dt.date | None
    status: str
    trigger_id: int | None


class VisitOut(Schema):
    id: int
    person_id: int
    person: str
    kind: str
    on: dt.date
    place: str
    findings: str
    visitor_ids: list[int]
    problems_raised: int
    problems_solved: int


class ProblemIn(Schema):
    text: str
    follow_up: str = ""
    solved_on: dt.date | None = None


class VisitIn(Schema):
    person_id: int
    visitor_ids: list[int] = []
    kind: str
    on: dt.date
    place: str
    findings: str = ""
    problems: list[ProblemIn] = []


class UnitProgress(Schema):
    unit_id: int
    unit: str
    total: int
    visited: int


class VisitPlanOut(Schema):
    term_id: int
    term: str
    total: int
    visited: int
    units: list[UnitProgress]
    never_visited_ids: list[int]
    walk_ins: int


def _talks_out(user, talks) -> list[TalkOut]:
    talks = list(talks)
    visible = selectors.summary_visible_ids(user, talks)
    services.summary_read_logged(by=user, talks=[t for t in talks if t.pk in visible
                                                 and t.summary])
    return [TalkOut(id=t.pk, held_on=t.held_on, kind=t.kind, by_id=t.by_id, by=t.by.name,
                    with_ids=[p.person_id for p in t.parties.all()], place=t.place,
                    summary=t.summary if t.pk in visible else None,
                    follow_ups=t.follow_ups.count()) for t in talks]


TalkPage = page_schema(TalkOut)
VisitPage = page_schema(VisitOut)
TALK_ORDER = ("-held_on", "-id")
VISIT_ORDER = ("-on", "-id")


def _department(user, dept):
    return department_get_for_user(user, dept, Cap.TALKS_VIEW)


@router.get("/talks", response=TalkPage)
def list_talks(request, q: Query[TalkQuery]):
    """One page of talks, newest first; pass ``next`` back as ``cursor``."""
    filters = TalkFilters(kind=q.kind, person=q.person, start=q.start, end=q.end, mine=q.mine)
    cursor, limit = parse_paging({"cursor": q.cursor, "limit": q.limit, "offset": q.offset})
    page = keyset_page(selectors.talk_list(user=request.user, filters=filters),
                       order=TALK_ORDER, cursor=cursor, limit=limit)
    # The page's talks together: one check of who may read which summary, one audit entry.
    return {"items": _talks_out(request.user, page.items), "next": page.next}


@router.get("/talks/coverage", response=list[CoverageOut])
def talk_coverage(request, dept: int | None = None, on: dt.date | None = None):
    department = _department(request.user, dept)
    today = min(on or timezone.localdate(), timezone.localdate())
    return [CoverageOut(rule=r.rule.relation, leader_id=r.leader_id,
                        leader=r.leader.name if r.leader else "", member_id=r.member_id,
                        member=r.member.name if r.member else "", required=r.required,
                        done=r.done, last_talk=r.last_talk, next_due=r.next_due,
                        status=r.status, trigger_id=r.trigger.pk if r.trigger else None)
            for r in selectors.coverage_for(user=request.user, department=department,
                                            today=today)]


@router.get("/talks/{talk_id}", response=TalkOut)
def get_talk(request, talk_id: int):
    talk = selectors.talk_get_for_user(request.user, talk_id)
    return _talks_out(request.user, [talk])[0]


@router.delete("/talks/{talk_id}", response={204: None},
               summary="Delete a talk into the recycle bin")
def delete_talk(request, talk_id: int):
    talk = selectors.talk_get_for_user(request.user, talk_id, write=True)
    services.talk_delete(by=request.user, talk=talk)
    return Status(204, None)


def _colleagues(user, ids) -> list[Person]:
    # Missing and out-of-department ids get the same answer, which names nobody.
    found = selectors.colleagues_by_ids(user, ids)
    if any(i not in found for i in ids):
        raise ValidationError({"with_people": [services.NOT_IN_DEPARTMENT]})
    return [found[i] for i in ids]


@router.post("/talks", response={201: TalkOut})
def create_talk(request, payload: TalkIn):
    people = _colleagues(request.user, list(dict.fromkeys(payload.with_ids)))
    trigger = selectors.trigger_by_id(payload.trigger_id)
    # An owner must be a party; any other id is refused by the service without a name.
    parties = {p.pk: p for p in [*people, request.user.person]}
    talk = services.talk_record(
        by=request.user, with_people=people, held_on=payload.held_on, kind=payload.kind,
        summary=payload.summary, place=payload.place, trigger=trigger,
        follow_ups=[{"text": f.text, "owner": parties.get(f.owner_id), "due_on": f.due_on}
                    for f in payload.follow_ups])
    return Status(201, _talks_out(request.user, [selectors.talk_get_for_user(
        request.user, talk.pk)])[0])


def _visit_out(v) -> VisitOut:
    problems = list(v.problems.all())
    return VisitOut(id=v.pk, person_id=v.person_id, person=v.person.name, kind=v.kind,
                    on=v.on, place=v.place, findings=v.findings,
                    visitor_ids=[p.pk for p in v.visitors.all()],
                    problems_raised=len(problems),
                    problems_solved=sum(1 for p in problems if p.solved_on))


@router.get("/visits", response=VisitPage)
def list_visits(request, dept: int | None = None, kind: str = "", cursor: str | None = None,
                limit: str | None = None, offset: str | None = None):
    """One page of visits, newest first; pass ``next`` back as ``cursor``."""
    department = _department(request.user, dept)
    qs = selectors.visit_list(user=request.user, department=department, kind=kind)
    return api_page(qs, order=VISIT_ORDER,
                    params={"cursor": cursor, "limit": limit, "offset": offset},
                    item=_visit_out)


@router.post("/visits", response={201: VisitOut})
def create_visit(request, payload: VisitIn):
    person = selectors.managed_person_in_scope(request.user, payload.person_id)
    if person is None:
        raise ValidationError({"person": [services.OUTSIDE_SCOPE]})
    ids = list(dict.fromkeys(payload.visitor_ids))
    found = selectors.department_people_by_ids(department_of(person), ids)
    if any(i not in found for i in ids):
        raise ValidationError({"visitors": [services.VISITORS_NOT_IN_DEPARTMENT]})
    visitors = [found[i] for i in ids]
    visit = services.visit_record(
        by=request.user, person=person, visitors=visitors, kind=payload.kind, on=payload.on,
        place=payload.place, findings=payload.findings,
        problems=[p.dict() for p in payload.problems])
    return Status(201, _visit_out(selectors.visit_get_for_user(request.user, visit.pk)))


@router.get("/visits/plan", response=VisitPlanOut)
def visit_plan(request, dept: int | None = None, term: int | None = None):
    department = _department(request.user, dept)
    chosen = selectors.term_for(department, term)
    if chosen is None:
        raise Http404
    plan = selectors.visit_plan(user=request.user, department=department, term=chosen,
                                today=timezone.localdate())
    return VisitPlanOut(term_id=chosen.pk, term=chosen.name, total=plan["total"],
                   visited=plan["visited"],
                   units=[UnitProgress(unit_id=r["unit"].pk, unit=r["unit"].name,
                                       total=r["total"], visited=r["visited"])
                          for r in plan["units"]],
                   never_visited_ids=[p.pk for p in plan["never"]], walk_ins=plan["walk_ins"])
