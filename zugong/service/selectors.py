"""Reads of service records; every function takes the user whose scope applies."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from zugong.core import registry
from zugong.core.access import get_for_user
from zugong.core.periods import Period, PeriodKind
from zugong.people.access import subtree_q, unit_filter_q
from zugong.people.access import unit_for_filter as _unit_for_filter
from zugong.people.models import OrgUnit, Person, PersonCategory

from . import coverage
from .access import (
    Cap,
    department_get_for_user,
    department_of,
    departments_for,
    has_cap,
    may_keep,
    people_in_scope,
    person_for_filter,
)
from .models import (
    DELIVERED_STATES,
    RULE_DEFAULTS,
    SOLVED_STATES,
    ContactPoint,
    Deed,
    DeedStatus,
    Delivery,
    Expert,
    ExpertOrder,
    Household,
    Liaison,
    LiaisonKind,
    OrderStatus,
    PointKind,
    Problem,
    ProblemStatus,
    RuleKind,
    SendItem,
    ServiceRule,
    Visit,
    VisitKind,
    month_first_contacts,
)

ORDER = ("-on", "-id")
# Pairings whose monthly visit the village rule counts (a community is the town's village).
RULED_POINTS = (PointKind.VILLAGE, PointKind.COMMUNITY)


@dataclass(frozen=True)
class Filters:
    person: str = ""
    kind: str = ""
    status: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    # ``?unit=``: the records of the people of that unit's subtree (a figure's link to its
    # records, issue 22); a unit outside the user's scope answers 404 like a missing one.
    unit: str = ""
    # ``?covered=1`` on visits: only each household's first contact of its month, the
    # records the figure ``service.households_covered`` counts.
    covered: str = ""


# Status filters that group states and date the list by the day the figure counts (so a
# figure's link lists exactly what it counted): problems solved (solved or rated) by the
# day solved, orders delivered (delivered or rated) by the day delivered.
RESOLVED = "resolved"
COMPLETED = "completed"


def _visible(user):
    """People whose service records the user reads (403 without the capability)."""
    if not has_cap(user, Cap.SERVICE_VIEW):
        raise PermissionDenied
    return people_in_scope(user, Cap.SERVICE_VIEW).values("pk")


def unit_for_filter(*, user, pk) -> OrgUnit:
    """The unit of a ``?unit=`` filter, to name on the page (404 out of scope or missing)."""
    return _unit_for_filter(user, Cap.SERVICE_VIEW, pk)


def _common(qs, user, filters: Filters, date_field: str = "on"):
    if filters.person:
        qs = qs.filter(person=person_for_filter(user, Cap.SERVICE_VIEW, filters.person))
    if filters.unit:
        qs = qs.filter(unit_filter_q(user, Cap.SERVICE_VIEW, filters.unit))
    if filters.start:
        qs = qs.filter(**{f"{date_field}__gte": filters.start})
    if filters.end:
        qs = qs.filter(**{f"{date_field}__lte": filters.end})
    return qs


def point_list(*, user, person: str = ""):
    qs = ContactPoint.objects.filter(person__in=_visible(user))
    return _common(qs, user, Filters(person=person)).select_related(
        "person", "person__unit").order_by("person__unit_path", "person__name", "kind", "pk")


def household_list(*, user, person: str = ""):
    qs = Household.objects.filter(person__in=_visible(user))
    return _common(qs, user, Filters(person=person)).select_related(
        "person", "person__unit", "point").order_by("person__unit_path", "person__name", "pk")


def point_get_for_user(user, pk, *, write=False) -> ContactPoint:
    return get_for_user(point_list(user=user), pk, write=write,
                        may_write=lambda p: may_keep(user, p.person))


def household_get_for_user(user, pk, *, write=False) -> Household:
    return get_for_user(household_list(user=user), pk, write=write,
                        may_write=lambda h: may_keep(user, h.person))


def own_pairings(*, person: Person, on: dt.date):
    """The person's points and households paired on ``on`` (the visit form's choices)."""
    live = Q(on__lte=on) & (Q(until__isnull=True) | Q(until__gte=on))
    return (ContactPoint.objects.filter(live, person=person).order_by("kind", "name"),
            Household.objects.filter(live, person=person).order_by("name"))


def visit_list(*, user, filters: Filters = Filters()):
    qs = Visit.objects.filter(person__in=_visible(user))
    if filters.kind in VisitKind.values:
        qs = qs.filter(kind=filters.kind)
    if filters.covered:
        qs = qs.filter(pk__in=month_first_contacts().values("pk"))
    return _common(qs, user, filters).select_related(
        "person", "person__unit", "point", "household").order_by(*ORDER)


def visit_get_for_user(user, pk, *, write=False) -> Visit:
    return get_for_user(visit_list(user=user), pk, write=write,
                        may_write=lambda v: may_keep(user, v.person))


def problem_list(*, user, filters: Filters = Filters()):
    """Problems raised by people in scope, and those handed to the user to handle."""
    if not has_cap(user, Cap.SERVICE_VIEW):
        raise PermissionDenied
    visible = Q(person__in=people_in_scope(user, Cap.SERVICE_VIEW).values("pk"))
    if user.person_id:
        visible |= Q(handler_id=user.person_id)
    qs = Problem.objects.filter(visible)
    date_field = "on"
    if filters.status == "open":
        qs = qs.exclude(status__in=SOLVED_STATES)
    elif filters.status == RESOLVED:
        qs, date_field = qs.filter(status__in=SOLVED_STATES), "solved_on"
    elif filters.status in ProblemStatus.values:
        qs = qs.filter(status=filters.status)
    return _common(qs, user, filters, date_field).select_related(
        "person", "person__unit", "handler").order_by(*ORDER)


def problem_get_for_user(user, pk, *, write=False) -> Problem:
    """Written by the cadre who raised it, its handler, or a leader over the cadre."""
    return get_for_user(problem_list(user=user), pk, write=write,
                        may_write=lambda p: p.handler_id == user.person_id != None  # noqa: E711
                        or may_keep(user, p.person))


def delivery_list(*, user, filters: Filters = Filters()):
    qs = Delivery.objects.filter(person__in=_visible(user))
    if filters.kind in SendItem.values:
        qs = qs.filter(item=filters.kind)
    return _common(qs, user, filters).select_related(
        "person", "person__unit", "household").order_by(*ORDER)


def deed_list(*, user, filters: Filters = Filters()):
    """Practical matters in scope; with the status 办结 the dates are the day it was done
    (what ``service.deeds_done`` counts)."""
    qs = Deed.objects.filter(person__in=_visible(user))
    if filters.status in DeedStatus.values:
        qs = qs.filter(status=filters.status)
    date_field = "done_on" if filters.status == DeedStatus.DONE else "on"
    return _common(qs, user, filters, date_field).select_related(
        "person", "person__unit").order_by(*ORDER)


def deed_get_for_user(user, pk, *, write=False) -> Deed:
    return get_for_user(deed_list(user=user), pk, write=write,
                        may_write=lambda d: may_keep(user, d.person))


def handlers_for(*, user):
    """Whom a problem may be handed to: the people in the user's service scope."""
    return people_in_scope(user, Cap.SERVICE_VIEW).select_related("unit").order_by(
        "unit_path", "name")


def person_for_tab(*, user, pk) -> Person:
    if not has_cap(user, Cap.SERVICE_VIEW):
        raise PermissionDenied
    return person_for_filter(user, Cap.SERVICE_VIEW, pk)


# ---------------------------------------------------------------- rules and coverage


def rules_of(department: OrgUnit) -> coverage.Rules:
    """The department's rules; a rule it never set keeps seed 002's default."""
    values = {k: v for k, v in RULE_DEFAULTS.items()}
    values.update(dict(ServiceRule.objects.filter(department=department).values_list(
        "kind", "minimum")))
    return coverage.Rules(point_visits=values[RuleKind.POINT_VISITS],
                          household_contacts=values[RuleKind.HOUSEHOLD_CONTACTS],
                          problems_solved=values[RuleKind.PROBLEMS_SOLVED])


def rule_rows(department: OrgUnit) -> list[tuple[str, str, int, ServiceRule | None]]:
    stored = {r.kind: r for r in ServiceRule.objects.filter(department=department)}
    return [(kind, label, stored[kind].minimum if kind in stored else RULE_DEFAULTS[kind],
             stored.get(kind)) for kind, label in RuleKind.choices]


def department_for(*, user, pk=None, cap: str = Cap.SERVICE_VIEW) -> OrgUnit:
    return department_get_for_user(user, pk, cap)


def coverage_for(people: list[Person], *, rules: coverage.Rules, year: int,
                 as_of: dt.date) -> list[coverage.PersonCoverage]:
    """Coverage of the given cadres for ``year`` as of ``as_of``: four queries whatever
    the headcount (points, households, visits of the year, problems solved)."""
    ids = [p.pk for p in people]
    start, end = dt.date(year, 1, 1), min(as_of, dt.date(year, 12, 31))
    alive = Q(until__isnull=True) | Q(until__gte=start)
    points: dict[int, list[coverage.Pairing]] = defaultdict(list)
    for pid, key, on, until in ContactPoint.objects.filter(
            alive, person_id__in=ids, kind__in=RULED_POINTS, on__lte=end).values_list(
            "person_id", "pk", "on", "until"):
        points[pid].append(coverage.Pairing(key, on, until))
    households: dict[int, list[coverage.Pairing]] = defaultdict(list)
    for pid, key, on, until in Household.objects.filter(
            alive, person_id__in=ids, on__lte=end).values_list("person_id", "pk", "on",
                                                                "until"):
        households[pid].append(coverage.Pairing(key, on, until))
    point_contacts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    household_contacts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for pid, kind, point, household, on in Visit.objects.filter(
            person_id__in=ids, on__gte=start, on__lte=end).values_list(
            "person_id", "kind", "point_id", "household_id", "on"):
        month = Period.containing(PeriodKind.MONTH, on).key
        if kind == VisitKind.HOUSEHOLD:
            household_contacts[pid][(household, month)] += 1
        elif kind == VisitKind.VILLAGE:
            point_contacts[pid][(point, month)] += 1
    solved: dict[int, int] = defaultdict(int)
    for pid in Problem.objects.filter(person_id__in=ids, status__in=SOLVED_STATES,
                                      solved_on__gte=start, solved_on__lte=end).values_list(
            "person_id", flat=True):
        solved[pid] += 1
    return [coverage.person_coverage(
        p.pk, rules=rules, year=year, as_of=as_of, points=points[p.pk],
        households=households[p.pk], point_contacts=point_contacts[p.pk],
        household_contacts=household_contacts[p.pk], solved=solved[p.pk]) for p in people]


def cadres_of(department: OrgUnit):
    """The department's own cadres (组工干部), whom the service rules bind."""
    return Person.objects.filter(subtree_q("unit_path", department.path),
                                 category=PersonCategory.ORG_CADRE)


def coverage_page(*, user, year: int, as_of: dt.date, department=None,
                  unit: str = "") -> dict:
    """The coverage table: the department's own cadres in the user's scope (a cadre sees
    their own row), each with their figures, and the totals; with ``unit`` only the cadres
    of that unit's subtree (404 when out of scope)."""
    visible = people_in_scope(user, Cap.SERVICE_VIEW) if has_cap(user, Cap.SERVICE_VIEW) \
        else None
    if visible is None:
        raise PermissionDenied
    department = department or department_for(user=user)
    people = cadres_of(department).filter(pk__in=visible.values("pk"))
    if unit:
        people = people.filter(unit_filter_q(user, Cap.SERVICE_VIEW, unit, field="unit_path"))
    people = list(people.select_related("unit").order_by("unit_path", "name", "pk"))
    rows = coverage_for(people, rules=rules_of(department), year=year, as_of=as_of)
    by_id = {p.pk: p for p in people}
    return {"department": department, "rules": rules_of(department),
            "rows": [(by_id[r.person_id], r) for r in rows],
            "totals": coverage.totals(rows)}


def my_service(*, user, as_of: dt.date) -> dict:
    """The signed-in cadre's pairings, this year's coverage and open problems."""
    if not has_cap(user, Cap.SERVICE_VIEW):
        raise PermissionDenied
    person = getattr(user, "person", None)
    if person is None:
        return {"person": None}
    points, households = own_pairings(person=person, on=as_of)
    row = coverage_for([person], rules=rules_of(department_of(person)), year=as_of.year,
                       as_of=as_of)[0]
    return {"person": person, "points": list(points), "households": list(households),
            "coverage": row,
            "open_problems": list(Problem.objects.filter(
                Q(person=person) | Q(handler=person)).exclude(
                status__in=SOLVED_STATES).order_by("on", "pk")[:20])}


def person_summary(*, person, year: int) -> dict:
    return {
        "points": list(ContactPoint.objects.filter(person=person).order_by("kind", "name")),
        "households": list(Household.objects.filter(person=person).order_by("name")),
        "visits": Visit.objects.filter(person=person, on__year=year).count(),
        "solved": Problem.objects.filter(person=person, status__in=SOLVED_STATES,
                                         solved_on__year=year).count(),
        "deeds": Deed.objects.filter(person=person, on__year=year).count(),
    }


def owed_now(*, as_of: dt.date) -> list[tuple[Person, int, int]]:
    """For the reminders: the organization cadres with a pairing who still owe a visit to
    a paired village or a contact with a household this month, with how many of each.
    One coverage computation per department."""
    paired = Person.objects.filter(
        Q(pk__in=ContactPoint.objects.values("person"))
        | Q(pk__in=Household.objects.values("person")),
        category=PersonCategory.ORG_CADRE).select_related("unit", "unit__department")
    by_dept: dict[int, tuple[OrgUnit, list[Person]]] = {}
    for person in paired.order_by("pk"):
        dept = department_of(person)
        by_dept.setdefault(dept.pk, (dept, []))[1].append(person)
    out = []
    for dept, people in by_dept.values():
        by_id = {p.pk: p for p in people}
        for row in coverage_for(people, rules=rules_of(dept), year=as_of.year, as_of=as_of):
            if row.points.owed_now or row.households.owed_now:
                out.append((by_id[row.person_id], len(row.points.owed_now),
                            len(row.households.owed_now)))
    return out


def people_kept_by(*, user):
    """Whose pairings and records the user may write: their own, and with the manage
    capability the cadres in that scope."""
    own = Q(pk=user.person_id) if user.person_id else Q(pk__in=[])
    if has_cap(user, Cap.SERVICE_MANAGE):
        own |= Q(pk__in=people_in_scope(user, Cap.SERVICE_MANAGE).values("pk"))
    return Person.objects.filter(own).select_related("unit").order_by("unit_path", "name")


# ---------------------------------------------------------------- 六联六促 and expert orders


def liaison_list(*, user, filters: Filters = Filters()):
    qs = Liaison.objects.filter(person__in=_visible(user))
    if filters.kind in LiaisonKind.values:
        qs = qs.filter(kind=filters.kind)
    return _common(qs, user, filters).select_related("person", "person__unit").order_by(
        "person__unit_path", "person__name", "kind", "pk")


# The ability app's research topics, read through its hook (service imports no app).
TOPICS_HOOK = "ability.research_topics"


def research_topics(*, user, ids=None) -> dict[int, dict] | None:
    """Research topics of the ability app the user may read ({id: {"title", "year",
    "url"}}): those of ``ids``, or without them the ones a form offers. None when the
    ability app is not installed (a form then has no topic field at all)."""
    found = registry.hook(TOPICS_HOOK)
    return found(user=user, ids=ids) if found is not None else None


def with_research_topics(*, user, rows: list) -> list:
    """``rows`` (liaisons) each with ``research_topic``: the ability research topic it points
    at ({"title", "year", "url"}), read in one call, or None (none, gone, or one the user
    may not read: the page then shows the typed topic)."""
    ids = sorted({r.research_topic_id for r in rows if r.research_topic_id})
    topics = (research_topics(user=user, ids=ids) if ids else None) or {}
    for row in rows:
        row.research_topic = topics.get(row.research_topic_id)
    return rows


def liaison_matrix(rows) -> list[tuple[Person, list[list[Liaison]]]]:
    """The liaisons grouped by cadre, one cell per kind of the six (for the page)."""
    kinds = LiaisonKind.values
    people: dict[int, tuple[Person, list[list[Liaison]]]] = {}
    for row in rows:
        cells = people.setdefault(row.person_id, (row.person, [[] for _k in kinds]))[1]
        cells[kinds.index(row.kind)].append(row)
    return list(people.values())


def expert_list(*, user, department=None):
    """The 科技专家服务团 of the user's department(s)."""
    if not has_cap(user, Cap.SERVICE_VIEW):
        raise PermissionDenied
    depts = [department.pk] if department is not None else \
        [d.pk for d in departments_for(user, Cap.SERVICE_VIEW)]
    return Expert.objects.filter(department_id__in=depts).order_by("-active", "field", "name")


def experts_for(order) -> list[Expert]:
    """Serving experts of the department of the cadre who took the order."""
    return Expert.objects.filter(department=department_of(order.person), active=True
                                 ).order_by("field", "name")


def order_list(*, user, filters: Filters = Filters()):
    qs = ExpertOrder.objects.filter(person__in=_visible(user))
    date_field = "on"
    if filters.status == COMPLETED:
        qs, date_field = qs.filter(status__in=DELIVERED_STATES), "delivered_on"
    elif filters.status in OrderStatus.values:
        qs = qs.filter(status=filters.status)
    return _common(qs, user, filters, date_field).select_related("person", "person__unit",
                                                     "expert").order_by(*ORDER)


def order_get_for_user(user, pk, *, write=False) -> ExpertOrder:
    return get_for_user(order_list(user=user), pk, write=write,
                        may_write=lambda o: may_keep(user, o.person))
