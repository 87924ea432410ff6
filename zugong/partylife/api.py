"""API of Party life and rectification: meetings (``/partylife/meetings``) and the
rectification list (``/rectification/measures``). Lists carry who, what and when; minutes
and criticisms never appear in a list."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from zugong.core.paging import api_page, page_schema

from . import selectors, services
from .access import Cap, require_cap
from .selectors import MEASURE_ORDER, MEETING_ORDER, MeasureFilters, MeetingFilters

router = Router(tags=["partylife"])


class PartyMeetingOut(Schema):
    id: int
    unit_id: int
    unit: str
    kind: str
    held_on: dt.date
    title: str
    chair_id: int
    chair: str
    present: int
    absent: int
    made_up: int
    first_topic_id: int | None


class PartyMeetingIn(Schema):
    unit_id: int
    kind: str
    held_on: dt.date
    title: str
    chair_id: int
    present_ids: list[int]
    absent: dict[str, str] = {}
    agenda: list[str] = []
    place: str = ""
    first_topic: str = ""
    first_topic_hours: float | None = None


class RectMeasureOut(Schema):
    id: int
    problem_id: int
    problem_source: str
    unit: str
    owner_id: int
    owner: str
    action: str
    set_on: dt.date
    deadline: dt.date
    status: str
    overdue: bool
    closed_on: dt.date | None
    closed_on_time: bool


class ListQuery(Schema):
    kind: str = ""
    unit: str = ""  # the people of that unit's subtree: meetings they chaired, measures they own
    branch: str = ""  # meetings held by that branch or group
    attendance: str = ""  # "attended" or "absent": meetings by the unit's (person's) attendance
    criticisms: str = ""  # "made" or "received": meetings with the unit's criticisms (counts only)
    person: str = ""
    status: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    # Strings, so that a bad value reaches parse_paging and gets the Chinese 422.
    cursor: str | None = None
    limit: str | None = None
    offset: str | None = None


def _paging(q) -> dict:
    return {"cursor": q.cursor, "limit": q.limit, "offset": q.offset}


def _meeting_out(m) -> dict:
    return {"id": m.pk, "unit_id": m.unit_id, "unit": m.unit.name, "kind": m.kind,
            "held_on": m.held_on, "title": m.title, "chair_id": m.chair_id,
            "chair": m.chair.name, "present": m.n_present, "absent": m.n_absent,
            "made_up": m.n_made_up, "first_topic_id": m.first_topic_id}


def _measure_out(m, today) -> dict:
    return {"id": m.pk, "problem_id": m.problem_id, "problem_source": m.problem.source,
            "unit": m.problem.unit.name, "owner_id": m.owner_id, "owner": m.owner.name,
            "action": m.action, "set_on": m.set_on, "deadline": m.deadline,
            "status": m.status, "overdue": m.overdue(today), "closed_on": m.closed_on,
            "closed_on_time": m.closed_on_time}


@router.get("/partylife/meetings", response=page_schema(PartyMeetingOut))
def list_party_meetings(request, q: Query[ListQuery]):
    """One page of meetings the caller sees, newest first, with attendance counts."""
    qs = selectors.with_counts(selectors.meeting_list(user=request.user, filters=MeetingFilters(
        kind=q.kind, unit=q.unit, branch=q.branch, attendance=q.attendance,
        criticisms=q.criticisms, person=q.person, start=q.start, end=q.end)))
    return api_page(qs, order=MEETING_ORDER, params=_paging(q), item=_meeting_out)


@router.post("/partylife/meetings", response={201: PartyMeetingOut})
def create_party_meeting(request, payload: PartyMeetingIn):
    require_cap(request.user, Cap.PARTYLIFE_RECORD)
    unit = selectors.unit_to_record(user=request.user, pk=payload.unit_id)
    if unit is None:
        raise ValidationError({"unit_id": [services.out_of_scope_message()]})
    members = selectors.members_of(unit).in_bulk()
    unknown = ({payload.chair_id, *payload.present_ids}
               | {int(k) for k in payload.absent if str(k).isdigit()}) - set(members)
    if unknown or any(not str(k).isdigit() for k in payload.absent):
        raise ValidationError({"present_ids": [services.out_of_scope_message()]})
    meeting = services.meeting_record(
        by=request.user, unit=unit, kind=payload.kind, held_on=payload.held_on,
        title=payload.title, chair=members[payload.chair_id], place=payload.place,
        present=[members[i] for i in payload.present_ids],
        absent=[(members[int(k)], v) for k, v in payload.absent.items()],
        agenda=payload.agenda, first_topic=payload.first_topic,
        first_topic_hours=payload.first_topic_hours)
    qs = selectors.with_counts(selectors.meeting_list(user=request.user))
    return Status(201, _meeting_out(qs.get(pk=meeting.pk)))


@router.get("/rectification/measures", response=page_schema(RectMeasureOut))
def list_rectification_measures(request, q: Query[ListQuery]):
    """One page of the rectification list the caller sees, nearest deadline first."""
    today = timezone.localdate()
    qs = selectors.measure_list(user=request.user, today=today, filters=MeasureFilters(
        status=q.status, owner=q.person, start=q.start, end=q.end, unit=q.unit))
    return api_page(qs, order=MEASURE_ORDER, params=_paging(q),
                    item=lambda m: _measure_out(m, today))
