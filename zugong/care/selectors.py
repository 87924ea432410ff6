"""Reads of care records; every function takes the user whose scope applies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import Http404

from zugong.core.access import get_for_user
from zugong.core.registry import hook
from zugong.people.access import subtree_q, unit_filter_q, unit_for_filter
from zugong.people.models import Person, PersonCategory

from . import rules
from .access import (
    Cap,
    department_get_for_user,
    departments_for,
    has_cap,
    may_manage_department,
    people_in_scope,
    person_for_filter,
)
from .models import (
    Activity,
    ActivityKind,
    BirthdayMark,
    Hardship,
    HealthKind,
    HealthRecord,
    LeaveTaken,
    Participation,
)

ACTIVITY_ORDER = ("-held_on", "-id")
RECORD_ORDER = ("-on", "-id")


# What a ``?unit=`` filter on the activities is about: the activities the unit's people
# organized (the ``care.activities_organized`` figure) or took part in
# (``care.participations``); without a role, either.
ROLES = ("organizer", "participant")


@dataclass(frozen=True)
class ActivityFilters:
    kind: str = ""
    department: str = ""
    year: int | None = None
    unit: str = ""
    role: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def activity_list(*, user, filters: ActivityFilters = ActivityFilters()):
    """Activities of the departments the user belongs to or oversees (403 without the
    capability; 404 for a ``department`` or ``unit`` filter outside them). With ``unit``
    the participants counted (``joined``) are the unit's people only, so that the column
    adds up to the unit's participations."""
    if not has_cap(user, Cap.CARE_VIEW):
        raise PermissionDenied
    depts = departments_for(user, Cap.CARE_VIEW)
    if filters.department:
        depts = [department_get_for_user(user, filters.department, Cap.CARE_VIEW)]
    qs = Activity.objects.filter(department__in=[d.pk for d in depts])
    if filters.kind in ActivityKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.filter(held_on__year=filters.year)
    if filters.start:
        qs = qs.filter(held_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(held_on__lte=filters.end)
    joined_count = Count("participations")
    if filters.unit:
        organized = unit_filter_q(user, Cap.CARE_VIEW, filters.unit, field="organizer__unit_path")
        joined = Q(pk__in=Participation.objects.filter(
            unit_filter_q(user, Cap.CARE_VIEW, filters.unit)).values("activity"))
        qs = qs.filter(organized if filters.role == "organizer" else joined
                       if filters.role == "participant" else organized | joined)
        joined_count = Count("participations", filter=unit_filter_q(
            user, Cap.CARE_VIEW, filters.unit, field="participations__person__unit_path"))
    return qs.select_related("department", "organizer").annotate(
        joined=joined_count).order_by(*ACTIVITY_ORDER)


def unit_filter(*, user, unit: str, cap: str = Cap.CARE_VIEW):
    """The unit a list's ``?unit=`` names, to show it on the page (404 out of scope, or
    None without the filter)."""
    return unit_for_filter(user, cap, unit) if unit else None


def activity_get_for_user(user, pk, *, write: bool = False) -> Activity:
    return get_for_user(activity_list(user=user), pk, write=write,
                        may_write=lambda a: may_manage_department(user, a.department))


def participants(activity) -> list[Person]:
    return [p.person for p in Participation.objects.filter(activity=activity)
            .select_related("person", "person__unit").order_by("person__unit_path",
                                                                 "person__name")]


def team(department):
    """The department's own team: organization cadres in post under it."""
    return Person.objects.filter(subtree_q("unit_path", department.path),
                                 category=PersonCategory.ORG_CADRE, is_active=True)


def team_to_manage(*, user, department):
    """Whom the user may add to an activity: the team, within the user's manage scope."""
    return team(department).filter(pk__in=people_in_scope(user, Cap.CARE_MANAGE)
                                   .values("pk")).select_related("unit").order_by(
        "unit_path", "name", "pk")


def activity_figures(*, user, department, year: int) -> dict:
    """The department's activities of ``year``: how many, how many collective (two or more
    participants), participations, distinct participants against the team, by kind.
    Four queries whatever the size."""
    department = department_get_for_user(user, department.pk, Cap.CARE_VIEW)
    acts = Activity.objects.filter(department=department, held_on__year=year)
    per = dict(acts.annotate(n=Count("participations")).values_list("pk", "n"))
    people = set(Participation.objects.filter(activity__in=acts).values_list("person_id",
                                                                            flat=True))
    size = team(department).count()
    kinds = dict(acts.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    return {"department": department, "year": year, "activities": len(per),
            "collective": sum(1 for n in per.values() if n >= 2),
            "participations": sum(per.values()), "participants": len(people),
            "team": size, "all_took_part": size > 0 and len(people & set(
                team(department).values_list("pk", flat=True))) == size,
            "by_kind": [(label, kinds.get(value, 0)) for value, label in ActivityKind.choices]}


def activity_departments(*, user):
    return departments_for(user, Cap.CARE_VIEW)


# ---------------------------------------------------------------- political birthdays


@dataclass(frozen=True)
class BirthdayRow:
    person: Person
    birthday: rules.Birthday
    mark: BirthdayMark | None


def _unit_people(user, people, unit: str):
    """``people`` narrowed to the ``?unit=`` filter's subtree (404 out of scope)."""
    if not unit:
        return people
    return people.filter(unit_filter_q(user, Cap.CARE_VIEW, unit, field="unit_path"))


def birthdays(*, user, year: int, month: int, unit: str = "") -> list[BirthdayRow]:
    """Party members in the user's scope (and ``unit``) whose political birthday falls in
    the month, with this year's mark if any. Three queries.

    The rows show a name and a unit: the ID number and phone are left unread, so that
    nobody's is decrypted here (the workbench of every holder of care.manage asks for
    today's birthdays, a county's month is dozens of people; issue 23)."""
    if not has_cap(user, Cap.CARE_VIEW):
        raise PermissionDenied
    people = {p.pk: p for p in _unit_people(user, people_in_scope(user, Cap.CARE_VIEW),
                                            unit).filter(
        is_active=True, party_join_date__isnull=False,
        party_join_date__month=month).select_related("unit").defer("id_number", "phone")}
    days = rules.birthdays_in_month([(p.pk, p.party_join_date) for p in people.values()],
                                    year, month)
    marks = {m.person_id: m for m in BirthdayMark.objects.filter(
        person_id__in=list(people), year=year)}
    return [BirthdayRow(people[b.person_id], b, marks.get(b.person_id)) for b in days]


def birthdays_due(*, user, today: dt.date) -> int:
    """How many of ``birthdays``' rows fall on ``today`` unmarked: the workbench's count.
    Reads ids and dates only (two queries): a leader's workbench built a county's month of
    people, units and marks to count today's few (a fifth of its CPU; issue 23)."""
    if not has_cap(user, Cap.CARE_VIEW):
        raise PermissionDenied
    members = people_in_scope(user, Cap.CARE_VIEW).filter(
        is_active=True, party_join_date__isnull=False,
        party_join_date__month=today.month).values_list("pk", "party_join_date")
    due = [b.person_id for b in rules.birthdays_on(list(members), today)]
    if not due:
        return 0
    # A mark is one per person and year (UniqueConstraint).
    return len(due) - BirthdayMark.objects.filter(person_id__in=due, year=today.year).count()


def birthdays_marked(*, user, year: int, unit: str = "") -> int:
    if not has_cap(user, Cap.CARE_VIEW):
        raise PermissionDenied
    return BirthdayMark.objects.filter(year=year, person__in=_unit_people(
        user, people_in_scope(user, Cap.CARE_VIEW), unit).values("pk")).count()


def birthday_marks(*, user, start: dt.date, end: dt.date, unit: str = ""):
    """The political birthdays marked on a day in [start, end] of the people in the user's
    scope (and ``unit``): the records the ``care.birthdays_marked`` figure counts."""
    if not has_cap(user, Cap.CARE_VIEW):
        raise PermissionDenied
    return BirthdayMark.objects.filter(
        person__in=_unit_people(user, people_in_scope(user, Cap.CARE_VIEW), unit).values("pk"),
        on__gte=start, on__lte=end).select_related("person", "person__unit").order_by(
        *RECORD_ORDER)


def person_to_manage(*, user, pk, cap: str = Cap.CARE_MANAGE) -> Person | None:
    """The person a new record names, if in the user's scope for ``cap``; None otherwise
    (missing and out of scope alike)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    if not 0 < pk < 2**63:
        return None
    return people_in_scope(user, cap).filter(pk=pk).select_related("unit").first()


def people_to_manage(*, user, cap: str = Cap.CARE_MANAGE, org_cadres: bool = True):
    qs = people_in_scope(user, cap).filter(is_active=True)
    if org_cadres:
        qs = qs.filter(category=PersonCategory.ORG_CADRE)
    return qs.select_related("unit").order_by("unit_path", "name", "pk")


# ---------------------------------------------------------------- annual leave


@dataclass(frozen=True)
class LeaveRow:
    person: Person
    service_years: int
    balance: rules.LeaveBalance


def leave_overview(*, user, year: int, person: str = "", unit: str = "") -> list[LeaveRow]:
    """Each organization cadre in the user's scope (and ``unit``): service years, leave
    due, taken and left in ``year``. Two queries."""
    if not has_cap(user, Cap.CARE_VIEW):
        raise PermissionDenied
    people = _unit_people(user, people_in_scope(user, Cap.CARE_VIEW), unit).filter(
        category=PersonCategory.ORG_CADRE, is_active=True)
    if person:
        people = people.filter(pk=person_for_filter(user, Cap.CARE_VIEW, person).pk)
    people = list(people.select_related("unit").order_by("unit_path", "name", "pk"))
    taken = dict(LeaveTaken.objects.filter(person_id__in=[p.pk for p in people],
                                           on__year=year).values_list("person_id")
                 .annotate(n=Sum("days")).values_list("person_id", "n"))
    return [LeaveRow(p, rules.service_years(p.work_start_date, year),
                     rules.LeaveBalance(rules.leave_due(p.work_start_date, year),
                                        float(taken.get(p.pk) or Decimal(0))))
            for p in people]


def leave_taken_in(person, year: int) -> Decimal:
    return LeaveTaken.objects.filter(person=person, on__year=year).aggregate(
        n=Sum("days"))["n"] or Decimal(0)


@dataclass(frozen=True)
class LeaveFilters:
    person: str = ""
    year: int | None = None
    unit: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


def leave_list(*, user, filters: LeaveFilters = LeaveFilters()):
    """Leave taken by people in the user's scope; ``unit`` only narrows that scope (404
    for a unit outside it), so it shows nobody's leave the user could not see before."""
    if not has_cap(user, Cap.CARE_VIEW):
        raise PermissionDenied
    qs = LeaveTaken.objects.filter(person__in=people_in_scope(user, Cap.CARE_VIEW)
                                   .values("pk"))
    if filters.person:
        qs = qs.filter(person=person_for_filter(user, Cap.CARE_VIEW, filters.person))
    if filters.unit:
        qs = qs.filter(unit_filter_q(user, Cap.CARE_VIEW, filters.unit))
    if filters.year:
        qs = qs.filter(on__year=filters.year)
    if filters.start:
        qs = qs.filter(on__gte=filters.start)
    if filters.end:
        qs = qs.filter(on__lte=filters.end)
    return qs.select_related("person", "person__unit").order_by(*RECORD_ORDER)


def leave_days(qs) -> Decimal:
    """The working days of the listed leave: the ``care.leave_days`` figure's value."""
    return qs.order_by().aggregate(n=Sum("days"))["n"] or Decimal(0)


# ---------------------------------------------------------------- sensitive: health, hardship


def _sensitive_people(user):
    if not has_cap(user, Cap.CARE_SENSITIVE):
        raise PermissionDenied
    return people_in_scope(user, Cap.CARE_SENSITIVE).values("pk")


def health_list(*, user, person: str = "", kind: str = ""):
    """Health checks and recuperation of people in the user's sensitive scope (403 without
    ``care.sensitive``, 404 for a ``person`` filter outside it)."""
    qs = HealthRecord.objects.filter(person__in=_sensitive_people(user))
    if person:
        qs = qs.filter(person=person_for_filter(user, Cap.CARE_SENSITIVE, person))
    if kind in HealthKind.values:
        qs = qs.filter(kind=kind)
    return qs.select_related("person", "person__unit").order_by(*RECORD_ORDER)


def health_get_for_user(user, pk) -> HealthRecord:
    return get_for_user(health_list(user=user), pk)


def hardship_list(*, user, person: str = "", open_only: bool = False):
    qs = Hardship.objects.filter(person__in=_sensitive_people(user))
    if person:
        qs = qs.filter(person=person_for_filter(user, Cap.CARE_SENSITIVE, person))
    if open_only:
        qs = qs.filter(closed_on__isnull=True)
    return qs.select_related("person", "person__unit").order_by(*RECORD_ORDER)


def hardship_get_for_user(user, pk, *, write: bool = False) -> Hardship:
    # Everyone who reads a hardship record (care.sensitive in scope) may also close it.
    return get_for_user(hardship_list(user=user), pk, write=write, may_write=True)


def home_visits(*, user, hardship) -> list[dict]:
    """The talks app's 适时家访 to this cadre since the difficulty was known, through the
    ``talks.home_visits`` hook (none when the talks app is absent)."""
    found = hook("talks.home_visits")
    if found is None:
        return []
    return found(user=user, person_id=hardship.person_id, since=hardship.on)


# ---------------------------------------------------------------- person tab


def person_for_tab(*, user, pk) -> Person:
    if not has_cap(user, Cap.CARE_VIEW):
        raise PermissionDenied
    return person_for_filter(user, Cap.CARE_VIEW, pk)


def person_summary(*, user, person, year: int) -> dict:
    """The care tab: this year's activities, political birthday and leave; health and
    hardship records (dates and kinds only) for holders of ``care.sensitive``."""
    rows = leave_overview(user=user, year=year, person=str(person.pk)) \
        if person.category == PersonCategory.ORG_CADRE else []
    out = {
        "year": year,
        "activities": list(Participation.objects.filter(person=person, on__year=year)
                           .select_related("activity").order_by("-on")),
        "birthday": rules.anniversary(person.party_join_date, year)
        if person.party_join_date else None,
        "party_years": year - person.party_join_date.year if person.party_join_date else None,
        "mark": BirthdayMark.objects.filter(person=person, year=year).first(),
        "leave": rows[0] if rows else None,
        "sensitive": False,
    }
    if has_cap(user, Cap.CARE_SENSITIVE) and people_in_scope(
            user, Cap.CARE_SENSITIVE).filter(pk=person.pk).exists():
        out.update(sensitive=True,
                   health=list(HealthRecord.objects.filter(person=person)[:10]),
                   hardships=list(Hardship.objects.filter(person=person)[:10]))
    return out


def open_hardships_count(*, user) -> int:
    if not has_cap(user, Cap.CARE_SENSITIVE):
        return 0
    return Hardship.objects.filter(Q(closed_on__isnull=True),
                                   person__in=people_in_scope(user, Cap.CARE_SENSITIVE)
                                   .values("pk")).count()


def require_department(user, pk):
    """The department a form names, among the user's (404 otherwise)."""
    if pk in (None, ""):
        raise Http404
    return department_get_for_user(user, pk, Cap.CARE_VIEW)
