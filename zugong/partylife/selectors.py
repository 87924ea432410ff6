"""Reads of Party life and rectification records; every function takes the user whose scope
applies (404 for missing and out of scope alike, 403 when visible but not writable)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery

from zugong.core.access import get_for_user
from zugong.core.registry import hook
from zugong.people.access import unit_filter_q
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind

from . import coverage
from .access import (
    Cap,
    department_get_for_user,
    department_of,
    has_cap,
    may_lead_person,
    may_manage_person,
    may_record_unit,
    people_in_scope,
    person_for_filter,
    scope_q,
    subtree_q,
    unit_for_filter,
)
from .models import (
    DEFAULT_FREQUENCIES,
    GROUP_KINDS,
    Attendance,
    Criticism,
    Duty,
    Frequency,
    FrequencyRule,
    Material,
    MeasureStatus,
    Meeting,
    MeetingKind,
    Problem,
    RectMeasure,
)

MEETING_ORDER = ("-held_on", "-id")
PROBLEM_ORDER = ("-found_on", "-id")
MEASURE_ORDER = ("deadline", "id")


def members_of(unit: OrgUnit):
    """The Party members of a branch (the department) or a group (a section): the
    organization cadres in the unit and below."""
    return Person.objects.filter(subtree_q("unit_path", unit.path),
                                 category=PersonCategory.ORG_CADRE)


def _units_in_scope(user, cap: str):
    q = scope_q(user, cap, kind="unit")
    return OrgUnit.objects.none() if q is None else OrgUnit.objects.filter(q)


def units_to_record(*, user, kind: str = ""):
    """The branches and groups the user records meetings for: departments for branch
    meetings, sections for group meetings."""
    kinds = (UnitKind.SECTION,) if kind in GROUP_KINDS else (UnitKind.ORG_DEPT,) if kind \
        else (UnitKind.ORG_DEPT, UnitKind.SECTION)
    return _units_in_scope(user, Cap.PARTYLIFE_RECORD).filter(kind__in=kinds).order_by("path")


def unit_to_record(*, user, pk) -> OrgUnit | None:
    """The branch or group a new meeting names, if the user records for it (None for
    missing and out of scope alike)."""
    if not str(pk).isdigit():
        return None
    return units_to_record(user=user).filter(pk=int(pk)).first()


# What the attendance figures count (``partylife.attended`` and ``partylife.absent``).
ATTENDANCE_STATES = {"attended": ("present", "made_up"), "absent": ("absent",)}

# Whose the criticism figures count: ``partylife.criticisms`` the giver's (``person``),
# ``partylife.criticisms_received`` the receiver's (the metrics' ``person_field``).
CRITICISM_SIDES = {"made": "person", "received": "receiver"}


def filter_unit(*, user, cap: str, pk) -> OrgUnit | None:
    """The unit a list's ``?unit=`` (or ``?branch=``) filter names, for the page to show;
    None without one. Outside the user's scope for ``cap`` it is 404 like a missing one."""
    return unit_for_filter(user, cap, pk) if pk else None


@dataclass(frozen=True)
class MeetingFilters:
    kind: str = ""
    # ``unit``: the people of that unit's subtree, as the figures count them: meetings they
    # chaired, with ``attendance`` the meetings they attended or missed, or with
    # ``criticisms`` those where they made or received criticisms. ``branch``: the
    # meetings held by that branch or group itself.
    unit: str = ""
    branch: str = ""
    attendance: str = ""
    criticisms: str = ""
    person: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def meeting_list(*, user, filters: MeetingFilters = MeetingFilters()):
    """Meetings of the branches and groups in the user's scope, and those the user is on
    the attendance of.

    With ``attendance`` ("attended" or "absent"), only the meetings where the people of
    the ``unit`` filter (or the ``person``) have that attendance, each with ``counted``:
    how many of them, so that the list adds up to the attendance figure.

    With ``criticisms`` ("made" or "received"; it wins over ``attendance``), only the
    meetings where those people made or received criticisms dated in the period, each
    with ``counted``: how many. Only the criticisms the user may read are counted
    (``criticism_visible``), so the count tells nobody of criticisms they could not open;
    for a leader over both parties, the reader of a unit's figure, it adds up to it."""
    if not has_cap(user, Cap.PARTYLIFE_VIEW):
        raise PermissionDenied
    visible = Q(unit__in=_units_in_scope(user, Cap.PARTYLIFE_VIEW).values("pk"))
    if user.person_id:
        visible |= Q(pk__in=Attendance.objects.filter(person_id=user.person_id)
                     .values("meeting_id"))
    qs = Meeting.objects.filter(visible)
    if filters.kind in MeetingKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.branch:
        qs = qs.filter(unit=unit_for_filter(user, Cap.PARTYLIFE_VIEW, filters.branch))
    person = person_for_filter(user, Cap.PARTYLIFE_VIEW, filters.person) \
        if filters.person else None
    if filters.start:
        qs = qs.filter(held_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(held_on__lte=filters.end)
    if filters.criticisms in CRITICISM_SIDES:
        side = CRITICISM_SIDES[filters.criticisms]
        rows = criticism_visible(user).select_related(None)
        if filters.unit:
            rows = rows.filter(unit_filter_q(user, Cap.PARTYLIFE_VIEW, filters.unit,
                                             field=f"{side}__unit_path"))
        if person is not None:
            rows = rows.filter(**{side: person})
        # The figure dates a criticism by its own day (the meeting's, when recorded).
        if filters.start:
            rows = rows.filter(on__gte=filters.start)
        if filters.end:
            rows = rows.filter(on__lte=filters.end)
        qs = _with_counted(qs, rows)
    elif filters.attendance in ATTENDANCE_STATES:
        rows = Attendance.objects.filter(status__in=ATTENDANCE_STATES[filters.attendance])
        if filters.unit:
            rows = rows.filter(unit_filter_q(user, Cap.PARTYLIFE_VIEW, filters.unit))
        if person is not None:
            rows = rows.filter(person=person)
        qs = _with_counted(qs, rows)
    else:
        if filters.unit:
            qs = qs.filter(unit_filter_q(user, Cap.PARTYLIFE_VIEW, filters.unit,
                                         field="chair__unit_path"))
        if person is not None:
            qs = qs.filter(pk__in=Attendance.objects.filter(person=person)
                           .values("meeting_id"))
    return qs.select_related("unit", "chair").order_by(*MEETING_ORDER)


def _with_counted(qs, rows):
    """The meetings among ``qs`` that ``rows`` (records with a ``meeting``) point to, each
    with ``counted``: how many of the rows. Subqueries rather than a join, so that
    with_counts() still counts everyone's attendance."""
    return qs.filter(pk__in=rows.values("meeting_id")).annotate(counted=Subquery(
        rows.filter(meeting=OuterRef("pk")).order_by().values("meeting")
        .annotate(n=Count("pk")).values("n")))


def meeting_get_for_user(user, pk, *, write: bool = False) -> Meeting:
    return get_for_user(meeting_list(user=user), pk, write=write,
                        may_write=lambda m: may_record_unit(user, m.unit))


def may_read_minutes(user, meeting: Meeting) -> bool:
    """Minutes not marked sensitive are read by whoever sees the meeting; sensitive ones
    by the chair, a recorder of the unit, or a leader of the chair."""
    if not meeting.sensitive:
        return True
    return (user.person_id == meeting.chair_id or may_record_unit(user, meeting.unit)
            or may_lead_person(user, meeting.chair))


def meeting_detail(*, user, meeting: Meeting) -> dict:
    """A meeting's page: agenda, attendance with counts, and what the user may do."""
    rows = list(meeting.attendance.select_related("person", "person__unit")
                .order_by("person__unit_path", "person__name", "person_id"))
    counts = {s: sum(1 for a in rows if a.status == s) for s in
              ("present", "absent", "made_up")}
    mine = next((a for a in rows if a.person_id == user.person_id), None)
    return {"agenda": list(meeting.agenda.all()), "attendance": rows, "counts": counts,
            "mine": mine, "can_record": may_record_unit(user, meeting.unit),
            "can_read_minutes": may_read_minutes(user, meeting),
            "is_member": bool(user.person_id) and members_of(meeting.unit).filter(
                pk=user.person_id).exists()}


def attendance_rate(rows) -> float | None:
    """Present or made up, over everyone on the attendance, in per cent (one decimal)."""
    if not rows:
        return None
    return round(100 * sum(1 for a in rows if a.counts) / len(rows), 1)


def person_to_mark(*, user, meeting: Meeting, pk) -> Person | None:
    """A member of the meeting's branch whose attendance the user may mark: oneself, or
    anyone with the right to record for the unit."""
    if not str(pk).isdigit():
        return None
    members = members_of(meeting.unit)
    if not may_record_unit(user, meeting.unit):
        members = members.filter(pk=user.person_id) if user.person_id else members.none()
    return members.filter(pk=int(pk)).first()


def department_for(unit: OrgUnit) -> OrgUnit:
    return department_of(unit)


# ---------------------------------------------------------------- rectification


@dataclass(frozen=True)
class ProblemFilters:
    source: str = ""
    person: str = ""
    unit: str = ""
    meeting: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def _rect_visible_people(user):
    return people_in_scope(user, Cap.RECT_VIEW).values("pk")


def problem_list(*, user, filters: ProblemFilters = ProblemFilters()):
    """One's own problems, and those of the people and units in the user's scope."""
    if not has_cap(user, Cap.RECT_VIEW):
        raise PermissionDenied
    visible = Q(person__in=_rect_visible_people(user)) | Q(
        person__isnull=True, unit__in=_units_in_scope(user, Cap.RECT_VIEW).values("pk"))
    if user.person_id:
        visible |= Q(person_id=user.person_id)
    qs = Problem.objects.filter(visible)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.person:
        pk = user.person_id if str(filters.person) == str(user.person_id) else \
            person_for_filter(user, Cap.RECT_VIEW, filters.person).pk
        qs = qs.filter(person_id=pk)
    if filters.unit:
        # The problems of the unit's people, which is what its figure counts (a problem
        # of a section as a whole names no person and is in no person's figure).
        qs = qs.filter(unit_filter_q(user, Cap.RECT_VIEW, filters.unit))
    if str(filters.meeting).isdigit():
        qs = qs.filter(meeting_id=int(filters.meeting))
    if filters.start:
        qs = qs.filter(found_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(found_on__lte=filters.end)
    return qs.select_related("unit", "person").order_by(*PROBLEM_ORDER)


def problem_get_for_user(user, pk, *, write: bool = False) -> Problem:
    """A problem the user sees; adding measures to it needs the manage capability over its
    person (or unit)."""
    def may_write(p):
        if p.person_id:
            return may_manage_person(user, p.person)
        return scope_q(user, Cap.RECT_MANAGE, kind="unit") is not None and \
            _units_in_scope(user, Cap.RECT_MANAGE).filter(pk=p.unit_id).exists()
    return get_for_user(problem_list(user=user), pk, write=write, may_write=may_write)


@dataclass(frozen=True)
class MeasureFilters:
    status: str = ""
    owner: str = ""
    overdue: bool = False
    start: dt.date | None = None
    end: dt.date | None = None
    unit: str = ""


def measure_list(*, user, filters: MeasureFilters = MeasureFilters(), today=None):
    """Measures one owns, and those of people in the user's scope. ``unit`` keeps the
    measures owned by that unit's people; ``start``/``end`` bound the day a measure was
    set, or for closed measures the day it was closed (what each figure counts)."""
    if not has_cap(user, Cap.RECT_VIEW):
        raise PermissionDenied
    visible = Q(owner__in=_rect_visible_people(user))
    if user.person_id:
        visible |= Q(owner_id=user.person_id)
    qs = RectMeasure.objects.filter(visible)
    if filters.status in MeasureStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.owner:
        pk = user.person_id if str(filters.owner) == str(user.person_id) else \
            person_for_filter(user, Cap.RECT_VIEW, filters.owner).pk
        qs = qs.filter(owner_id=pk)
    if filters.overdue and today:
        qs = qs.exclude(status="closed").filter(deadline__lt=today)
    if filters.unit:
        qs = qs.filter(unit_filter_q(user, Cap.RECT_VIEW, filters.unit,
                                     field="owner__unit_path"))
    day = "closed_on" if filters.status == MeasureStatus.CLOSED else "set_on"
    if filters.start:
        qs = qs.filter(**{f"{day}__gte": filters.start})
    if filters.end:
        qs = qs.filter(**{f"{day}__lte": filters.end})
    return qs.select_related("owner", "owner__unit", "problem", "problem__unit",
                             "problem__person", "verified_by").order_by(*MEASURE_ORDER)


def measure_get_for_user(user, pk, *, write: bool = False) -> RectMeasure:
    """A measure the user sees; the owner writes evidence, a manager in scope verifies."""
    return get_for_user(measure_list(user=user), pk, write=write,
                        may_write=lambda m: m.owner_id == user.person_id
                        or may_manage_person(user, m.owner))


def person_to_manage(*, user, pk) -> Person | None:
    """Someone the user sets measures for or records problems about (None for missing and
    out of scope alike)."""
    if not str(pk).isdigit():
        return None
    return people_in_scope(user, Cap.RECT_MANAGE).filter(pk=int(pk)).first()


# ---------------------------------------------------------------- criticisms


def criticism_visible(user):
    """Criticisms the user may read: given or received, or between two people the user
    leads (both parties in the user's ``partylife.lead`` scope)."""
    if not has_cap(user, Cap.PARTYLIFE_VIEW):
        raise PermissionDenied
    visible = Q(pk__in=[])
    if user.person_id:
        visible = Q(person_id=user.person_id) | Q(receiver_id=user.person_id)
    if has_cap(user, Cap.PARTYLIFE_LEAD):
        led = people_in_scope(user, Cap.PARTYLIFE_LEAD).values("pk")
        visible |= Q(person__in=led, receiver__in=led)
    return Criticism.objects.filter(visible).select_related("person", "receiver")


def people_to_manage(*, user):
    """Whom a new problem may name: people in the user's manage scope, or oneself."""
    people = people_in_scope(user, Cap.RECT_MANAGE)
    if user.person_id:
        people = people | Person.objects.filter(pk=user.person_id)
    return people.select_related("unit").order_by("unit_path", "name", "pk")


def may_set_measure(*, user, problem: Problem) -> bool:
    """The member concerned sets measures against their own problem; a manager in scope
    against any."""
    if problem.person_id:
        return problem.person_id == user.person_id or may_manage_person(user, problem.person)
    return _units_in_scope(user, Cap.RECT_MANAGE).filter(pk=problem.unit_id).exists()


def measure_owners(*, user, problem: Problem):
    """Who may own a new measure: anyone in the manager's scope; a member only themself."""
    if problem.person_id != user.person_id or has_cap(user, Cap.RECT_MANAGE):
        return people_to_manage(user=user)
    return Person.objects.filter(pk=user.person_id).select_related("unit")


def may_verify(*, user, measure: RectMeasure) -> bool:
    return measure.owner_id != user.person_id and may_manage_person(user, measure.owner)


def person_for_tab(*, user, pk) -> Person:
    """The person whose tab is asked for, if the user leads them (404 otherwise)."""
    if not has_cap(user, Cap.PARTYLIFE_LEAD):
        raise PermissionDenied
    return person_for_filter(user, Cap.PARTYLIFE_LEAD, pk)


def person_summary(*, user, person: Person) -> dict:
    """The person tab: this year's attendance by kind, problems and measures (no content)."""
    rows = list(Attendance.objects.filter(person=person).select_related("meeting")
                .order_by("-on", "-id")[:50])
    return {"attendance": rows, "rate": attendance_rate(rows),
            "problems": list(Problem.objects.filter(person=person).order_by(*PROBLEM_ORDER)[:50]),
            "measures": list(RectMeasure.objects.filter(owner=person).order_by(*MEASURE_ORDER))}


def with_counts(qs):
    """Meetings with their attendance counted in the same query (for lists)."""
    return qs.annotate(
        n_present=Count("attendance", filter=Q(attendance__status="present")),
        n_absent=Count("attendance", filter=Q(attendance__status="absent")),
        n_made_up=Count("attendance", filter=Q(attendance__status="made_up")))


# ---------------------------------------------------------------- frequency and coverage


def rules_for(department: OrgUnit) -> list[FrequencyRule]:
    """The department's frequency rules; the regulations' defaults (unsaved) until the
    department sets its own."""
    rows = list(FrequencyRule.objects.filter(department=department).order_by("kind"))
    if rows:
        return rows
    return [FrequencyRule(department=department, kind=k, frequency=f, times=n)
            for k, f, n in DEFAULT_FREQUENCIES]


def department_for_coverage(*, user, pk=None) -> OrgUnit:
    """A department whose coverage the user reads (leaders in scope; 404 otherwise)."""
    return department_get_for_user(user, pk, Cap.PARTYLIFE_LEAD, own=False)


def coverage_for(*, department: OrgUnit, year: int, today: dt.date, people=None) -> dict:
    """The branch's and groups' coverage and each member's, in five queries: rules, members,
    sections, meetings and attendance of the year."""
    rules = [coverage.Rule(r.kind, r.frequency, r.times) for r in rules_for(department)]
    members = list((people if people is not None else members_of(department))
                   .filter(subtree_q("unit_path", department.path),
                           category=PersonCategory.ORG_CADRE)
                   .select_related("unit").order_by("unit_path", "name", "pk"))
    sections = {u.pk: u for u in OrgUnit.objects.filter(
        subtree_q("path", department.path), kind=UnitKind.SECTION).order_by("path")}
    # Groups are the sections with members; a section without any holds no meetings.
    staffed = set(members_of(department).values_list("unit_id", flat=True))
    groups = [pk for pk in sections if pk in staffed]
    units = {r.kind: (groups if r.kind in GROUP_KINDS else [department.pk]) for r in rules}
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    meetings = list(Meeting.objects.filter(department=department, held_on__gte=start,
                                           held_on__lte=end).values_list(
        "unit_id", "kind", "held_on"))
    attended = list(Attendance.objects.filter(
        meeting__department=department, on__gte=start, on__lte=end,
        status__in=["present", "made_up"]).values_list("person_id", "kind", "on"))
    names = {department.pk: department, **sections}
    branch = coverage.branch_coverage(rules, units, meetings, year=year, today=today)
    per_member = coverage.member_coverage(rules, [p.pk for p in members], attended,
                                          year=year, today=today)
    by_person: dict[int, dict[str, coverage.Row]] = {}
    for row in per_member:
        by_person.setdefault(row.key, {})[row.rule.kind] = row
    labels = dict(MeetingKind.choices)
    return {"rules": rules, "labels": labels, "frequencies": dict(Frequency.choices),
            "branch": [(names[row.key], labels[row.rule.kind], row) for row in branch],
            "members": [(p, [by_person[p.pk][r.kind] for r in rules]) for p in members]}


# ---------------------------------------------------------------- the 组织生活会 flow

# Talks held up to this many days before a life meeting count as its preparation.
PREP_DAYS = 90


def prep_talks(meeting: Meeting) -> list[dict]:
    """The talks the talks app holds among the branch's members in the preparation window
    (id, day, holder, counterparts; no summary). Empty without the talks app."""
    among = hook("talks.talks_among")
    if among is None:
        return []
    ids = list(members_of(meeting.unit).values_list("pk", flat=True))
    return among(ids, meeting.held_on - dt.timedelta(days=PREP_DAYS), meeting.held_on)


def flow_for(*, user, meeting: Meeting) -> dict:
    """What the life meeting's page shows this user: the preparation (talks, opinions,
    materials), the problems and criticisms they may see, and the appraisal."""
    recorder = may_record_unit(user, meeting.unit)
    me = user.person_id
    members = list(members_of(meeting.unit).select_related("unit").order_by(
        "unit_path", "name", "pk"))
    linked = set(meeting.prep_talks.values_list("talk_id", flat=True))
    talks = prep_talks(meeting)
    led = set(people_in_scope(user, Cap.PARTYLIFE_LEAD).filter(
        pk__in=[m.pk for m in members]).values_list("pk", flat=True)) \
        if has_cap(user, Cap.PARTYLIFE_LEAD) else set()
    materials = list(meeting.materials.select_related("person").order_by("person__name"))
    appraisals = list(meeting.appraisals.select_related("person").order_by("person__name"))
    return {
        "recorder": recorder, "members": members,
        "is_member": any(m.pk == me for m in members),
        "talks": [t for t in talks if t["id"] in linked],
        "talk_choices": [t for t in talks if t["id"] not in linked] if recorder else [],
        "opinions": list(meeting.opinions.all()) if recorder or me == meeting.chair_id
        else None,
        "my_material": next((m for m in materials if m.person_id == me), None),
        # Content for the author's leaders and the recorders; the others see who submitted.
        "materials": [(m, recorder or m.person_id in led) for m in materials],
        "submitted": len(materials),
        "problems": list(problem_list(user=user).filter(meeting=meeting)) if has_cap(
            user, Cap.RECT_VIEW) else [],
        "criticisms": list(criticism_visible(user).filter(meeting=meeting).order_by("id")),
        "appraisals": appraisals if recorder else [a for a in appraisals
                                                   if a.person_id == me or a.person_id in led],
    }


def material_get_for_user(user, meeting: Meeting, pk, *, write: bool = False) -> Material:
    """A checking material of the meeting; checking it needs the right to record for the
    branch (the author cannot check their own)."""
    visible = meeting.materials.all()
    return get_for_user(visible, pk, write=write,
                        may_write=lambda m: m.person_id != user.person_id
                        and may_record_unit(user, meeting.unit))


def duty_list(*, user, year: int):
    """The responsibility list of ``year``: one's own lines and those of people in scope."""
    if not has_cap(user, Cap.RECT_VIEW):
        raise PermissionDenied
    visible = Q(person__in=_rect_visible_people(user))
    if user.person_id:
        visible |= Q(person_id=user.person_id)
    return Duty.objects.filter(visible, year=year).select_related("person", "unit").order_by(
        "unit__path", "person__name", "id")
