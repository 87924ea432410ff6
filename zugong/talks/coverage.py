"""Talk coverage: which pairs must talk, how often, and where each pair stands.

The rules are data (``CoverageRule``); this module turns a department's structure into
required pairs and judges them against the talks held. It does not go through the
learning regime engine: a regime judges one person's own figure ("study hours ≥ 40"),
while coverage is about pairs ("the chief with each cadre"), so each pair needs its own
count and its own due date. Talk totals per person are still registered as metrics.

Structure comes from posts and role assignments: the head, deputy heads and section chiefs
are known by their current post in the registry (``post_role``), account or not, and by
role assignments (HEAD; DEPUTY, whose charge is the custom units of that assignment;
SECTION_CHIEF, whose section is the assignment's anchor unit or their own unit).
Everyone else is a cadre of the section they were in on each day, and only on the days
they were an organization cadre: the people app's post history (``people.history``)
keeps units and categories by day, so a cadre who moved in June owes each of the two
chiefs half a year's talks (rounded up) and the talks count only while they were in that
chief's section.

Everything is read in a fixed number of queries whatever the size of the department.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Q

from zugong.core.periods import Period
from zugong.people.access import subtree_q
from zugong.people.history import Stint, stints
from zugong.people.models import (
    OrgUnit,
    Person,
    PersonCategory,
    PostHistory,
    Role,
    RoleAssignment,
    UnitKind,
)

from .models import PAIR_KINDS, CoverageRule, Relation, TalkParty, TriggerEvent


def scope(department_path: str) -> str:
    """The memo scope (``core.memo``) of the coverage judged for the department at this
    path: the workbench keeps the department's judged pairs under it (``workbench``)."""
    return f"talks:coverage:{department_path}"


def scopes_over(paths) -> set[str]:
    """The coverage scopes of every department that may read records of people or units
    at these paths: each department's judgement reads its whole subtree, so a talk of a
    county's cadre concerns the county's department and every department above it. Each
    prefix of a path is an ancestor (a materialised path); scopes of ancestors that are no
    department are never read, so bumping them costs nothing. No query."""
    step = OrgUnit.steplen
    return {scope(path[:end]) for path in paths if path
            for end in range(step, len(path) + 1, step)}


class Status:
    MET = "met"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    OPEN = "open"


Segment = tuple[int, dt.date, dt.date]  # unit id, first day, last day


@dataclass
class Structure:
    department: OrgUnit
    people: dict[int, Person]
    units: dict[int, OrgUnit]
    heads: list[int]
    deputies: dict[int, set[int]]  # deputy person id → unit ids in charge
    chiefs: dict[int, int]  # chief person id → section id
    history: dict[int, list[Stint]]
    until: dt.date = dt.date.max

    @property
    def leaders(self) -> set[int]:
        return set(self.heads) | set(self.deputies) | set(self.chiefs)

    def segments(self, pk: int, start: dt.date, end: dt.date) -> list[Segment]:
        """Where the person was as an organization cadre between start and end, as
        (unit, from, to) pieces."""
        person = self.people[pk]
        # Judged as of ``until``, a change recorded for a later day is not known yet: the
        # person is taken to stay as they were on that day.
        known = [s for s in self.history.get(pk, ()) if s.start <= self.until]
        lo = max(start, person.joined_on) if person.joined_on else start
        out = []
        for i, s in enumerate(known):
            if s.category != PersonCategory.ORG_CADRE:
                continue
            last = s.end if i + 1 < len(known) else dt.date.max
            a, b = max(s.start, lo), min(last, end)
            if a <= b:
                out.append((s.unit_id, a, b))
        return out

    def unit_on(self, pk: int, day: dt.date) -> int | None:
        found = self.segments(pk, day, day)
        return found[0][0] if found else None


HEAD_POST = "部长"
DEPUTY_POST = "副部长"
CHIEF_POSTS = ("主任", "科长")


def post_role(person: Person, unit: OrgUnit | None, department: OrgUnit) -> str | None:
    """The leading post a person holds by the registry's current post (A01 现任职务),
    account or not: a deputy head (副部长, 常务副部长) or the head (部长) at the department's
    own node, or the chief of their section (the post ends with the section's name and
    主任 or 科长, so 干部室副主任 and 考核办主任 in 干部室 are not 干部室's chief)."""
    post = (person.current_post or "").strip()
    if not post:
        return None
    if person.unit_id == department.pk:
        if DEPUTY_POST in post:
            return Role.DEPUTY
        if post.endswith(HEAD_POST):
            return Role.HEAD
        return None
    if unit is not None and unit.kind == UnitKind.SECTION and any(
            post.endswith(f"{unit.name}{title}") for title in CHIEF_POSTS):
        return Role.SECTION_CHIEF
    return None


def load_structure(department: OrgUnit, *, until: dt.date) -> Structure:
    """The department's organization cadres, leaders and post history (four queries).

    Leaders are known by their post in the registry and by their role assignments alike:
    a deputy head without an account is still a deputy head. A deputy's charge (the
    sections they are in charge of) is only known from their role assignment.
    """
    # Organization cadres now, and those who were one on some day (their history says
    # when).
    was_cadre = PostHistory.objects.filter(category=PersonCategory.ORG_CADRE).values(
        "person_id")
    people = {p.pk: p for p in Person.objects.filter(
        Q(category=PersonCategory.ORG_CADRE) | Q(pk__in=was_cadre),
        subtree_q("unit_path", department.path), is_active=True).order_by("unit_path", "pk")}
    units = {u.pk: u for u in OrgUnit.objects.filter(subtree_q("path", department.path))}
    heads, deputies, chiefs = [], {}, {}
    for pk, person in people.items():
        role = post_role(person, units.get(person.unit_id), department)
        if role == Role.HEAD:
            heads.append(pk)
        elif role == Role.DEPUTY:
            deputies[pk] = set()
        elif role == Role.SECTION_CHIEF:
            chiefs[pk] = person.unit_id
    assignments = RoleAssignment.objects.filter(
        role__in=[Role.HEAD, Role.DEPUTY, Role.SECTION_CHIEF],
        user__person_id__in=list(people)).select_related("user").prefetch_related("units")
    for a in assignments.order_by("pk"):
        pk = a.user.person_id
        if a.role == Role.HEAD:
            if pk not in heads:
                heads.append(pk)
            deputies.pop(pk, None)
        elif a.role == Role.DEPUTY:
            deputies.setdefault(pk, set()).update(u.pk for u in a.units.all())
        else:
            chiefs[pk] = a.unit_id or people[pk].unit_id
    # The whole history, later changes too: judged as of an earlier day, someone who moved
    # since was still in their first unit (Person.unit is only where they are now).
    history = stints(list(people), with_roles=False, people=people)
    return Structure(department, people, units, heads, deputies, chiefs, history, until)


@dataclass
class Requirement:
    rule: CoverageRule
    leader_id: int | None
    member_id: int
    start: dt.date
    end: dt.date
    required: int
    done: int = 0
    last_talk: dt.date | None = None
    next_due: dt.date | None = None
    status: str = Status.OPEN
    trigger: TriggerEvent | None = None
    days: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    leader: Person | None = None
    member: Person | None = None

    @property
    def key(self) -> str:
        suffix = f":{self.trigger.pk}" if self.trigger else ""
        return f"{self.rule.pk}:{self.leader_id}:{self.member_id}{suffix}"


def _merge(pieces: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    out: list[tuple[dt.date, dt.date]] = []
    for a, b in sorted(pieces):
        if out and a <= out[-1][1] + dt.timedelta(days=1):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _day_at(pieces, index: int) -> dt.date:
    """The ``index``-th day (0-based) counted through the pieces."""
    for a, b in pieces:
        length = (b - a).days + 1
        if index < length:
            return a + dt.timedelta(days=index)
        index -= length
    return pieces[-1][1]


def _pair_requirements(rule, st: Structure, period: Period) -> list[Requirement]:
    pairs: dict[tuple[int, int], list] = defaultdict(list)
    leaders = st.leaders
    if rule.relation == Relation.PEERS:
        # Colleagues of one section who lead no one, each pair while both were there.
        by_unit: dict[int, list[tuple[int, dt.date, dt.date]]] = defaultdict(list)
        for pk in st.people:
            if pk in leaders:
                continue
            for unit_id, a, b in st.segments(pk, period.start, period.end):
                unit = st.units.get(unit_id)
                if unit is not None and unit.kind == UnitKind.SECTION:
                    by_unit[unit_id].append((pk, a, b))
        for pieces in by_unit.values():
            for i, (one, a1, b1) in enumerate(pieces):
                for other, a2, b2 in pieces[i + 1:]:
                    if one != other and max(a1, a2) <= min(b1, b2):
                        pairs[(one, other)].append((max(a1, a2), min(b1, b2)))
    elif rule.relation == Relation.HEAD_DEPUTIES:
        for head in st.heads:
            for deputy in st.deputies:
                if deputy != head:
                    pairs[(head, deputy)] = [(s[1], s[2]) for s in
                                             st.segments(deputy, period.start, period.end)]
    else:
        if rule.relation == Relation.DEPUTY_CHARGE:
            owners = {d: units for d, units in st.deputies.items()}
            excluded = set(st.heads) | set(st.deputies)
        else:
            owners = {c: {section} for c, section in st.chiefs.items()}
            excluded = leaders
        for pk in st.people:
            if pk in excluded:
                continue
            for unit_id, a, b in st.segments(pk, period.start, period.end):
                for owner, units in owners.items():
                    if unit_id in units and owner != pk:
                        pairs[(owner, pk)].append((a, b))
    out = []
    for (leader, member), pieces in pairs.items():
        pieces = _merge(pieces)
        if not pieces:
            continue
        covered = sum((b - a).days + 1 for a, b in pieces)
        required = math.ceil(rule.threshold * covered / period.days)
        out.append(Requirement(rule=rule, leader_id=leader, member_id=member,
                               start=pieces[0][0], end=pieces[-1][1], required=required,
                               days=pieces))
    return out


def superior_of(st: Structure, pk: int, day: dt.date) -> int | None:
    """Who answers for talking with someone: their chief, the deputy in charge, the head."""
    if pk in st.heads:
        return None
    if pk in st.deputies:
        return st.heads[0] if st.heads else None
    unit = st.unit_on(pk, day)
    if pk not in st.chiefs:
        for chief, section in st.chiefs.items():
            if section == unit and chief != pk:
                return chief
    for deputy, units in st.deputies.items():
        if unit in units:
            return deputy
    return st.heads[0] if st.heads else None


def evaluate(department: OrgUnit, *, today: dt.date, rules=None,
             structure: Structure | None = None) -> list[Requirement]:
    """Every required pair of the department's rules in force, judged as of ``today``."""
    rules = list(rules if rules is not None else CoverageRule.objects.filter(
        department=department, is_active=True))
    st = structure or load_structure(department, until=today)
    reqs: list[Requirement] = []
    trigger_rules = [r for r in rules if r.relation == Relation.TRIGGER]
    for rule in rules:
        if rule.relation != Relation.TRIGGER:
            reqs += _pair_requirements(rule, st, Period.containing(rule.period, today))
    if trigger_rules:
        longest = max(r.within_days for r in trigger_rules)
        year = Period.containing("year", today)
        events = TriggerEvent.objects.filter(person_id__in=list(st.people),
                                             on__gte=year.start - dt.timedelta(days=longest),
                                             on__lte=today).order_by("on", "pk")
        for event in events:
            for rule in trigger_rules:
                due = event.on + dt.timedelta(days=rule.within_days)
                if due < year.start:
                    continue
                reqs.append(Requirement(rule=rule, leader_id=superior_of(st, event.person_id,
                                                                         event.on),
                                        member_id=event.person_id, start=event.on, end=due,
                                        required=1, trigger=event, days=[(event.on, due)]))
    if not reqs:
        return []
    _judge(reqs, st, today)
    order = {pk: i for i, pk in enumerate(st.people)}
    reqs.sort(key=lambda r: (order.get(r.leader_id, -1), r.rule.relation,
                             order.get(r.member_id, 0), r.start))
    return reqs


def _judge(reqs: list[Requirement], st: Structure, today: dt.date) -> None:
    first = min(r.start for r in reqs)
    people = list(st.people)
    # Who-recorded-what: ``led[(by, party)]`` are the talks ``by`` held (and recorded) with
    # ``party``; ``confirmed[(by, party)]`` those of them the party confirmed. A leader's
    # pair counts the talks the leader recorded, and those the member recorded and the
    # leader confirmed; peers count confirmed talks only. Two queries: talks in the
    # windows, and the last counted talk ever.
    led: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    confirmed: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    # Must-talk occasions: individual talks (one counterpart, not collective) per
    # (by, party), to be held by the leader the occasion is owed by.
    individual: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    rows = list(TalkParty.objects.filter(person_id__in=people, held_on__gte=first,
                                         held_on__lte=today).values_list(
        "talk_id", "talk__by_id", "person_id", "held_on", "talk__kind", "confirmed_on"))
    size: dict[int, int] = defaultdict(int)
    for talk_id, *_rest in rows:
        size[talk_id] += 1
    for talk_id, by, person, held, kind, ok in rows:
        if kind not in PAIR_KINDS:
            continue
        led[(by, person)].append(held)
        if ok is not None:
            confirmed[(by, person)].append(held)
        if size[talk_id] == 1:
            individual[(by, person)].append(held)
    last_led: dict[tuple[int, int], dt.date] = {}
    last_confirmed: dict[tuple[int, int], dt.date] = {}
    for by, person, held, held_ok in TalkParty.objects.filter(
            person_id__in=people, held_on__lte=today, talk__kind__in=PAIR_KINDS).values(
            "talk__by_id", "person_id").annotate(
            last=Max("held_on"), last_ok=Max("held_on", filter=Q(
                confirmed_on__isnull=False))).values_list(
            "talk__by_id", "person_id", "last", "last_ok"):
        last_led[(by, person)] = held
        if held_ok is not None:
            last_confirmed[(by, person)] = held_ok

    def counted(r: Requirement) -> tuple[list[dt.date], list[dt.date]]:
        one, other = r.leader_id, r.member_id
        if r.rule.relation == Relation.PEERS:
            days = confirmed.get((one, other), []) + confirmed.get((other, one), [])
            lasts = [last_confirmed.get((one, other)), last_confirmed.get((other, one))]
        else:
            days = led.get((one, other), []) + confirmed.get((other, one), [])
            lasts = [last_led.get((one, other)), last_confirmed.get((other, one))]
        return days, [d for d in lasts if d]

    for r in reqs:
        r.leader = st.people.get(r.leader_id)
        r.member = st.people.get(r.member_id)
        if r.trigger is not None:
            if r.leader_id is None:  # the head: any individual talk with them
                held = [d for (by, pk), days in individual.items() if pk == r.member_id
                        for d in days]
            else:
                held = individual.get((r.leader_id, r.member_id), [])
            found = sorted(d for d in held if r.start <= d <= r.end)
            r.done = min(len(found), 1)
            r.last_talk = found[0] if found else None
        else:
            days, lasts = counted(r)
            r.done = sum(1 for d in days if any(a <= d <= b for a, b in r.days))
            r.last_talk = max(lasts) if lasts else None
        if r.done >= r.required:
            r.status, r.next_due = Status.MET, None
            continue
        total = sum((b - a).days + 1 for a, b in r.days)
        r.next_due = _day_at(r.days, math.ceil((r.done + 1) * total / r.required) - 1)
        if today > r.next_due:
            r.status = Status.OVERDUE
        elif (r.next_due - today).days <= r.rule.remind_days:
            r.status = Status.DUE_SOON
        else:
            r.status = Status.OPEN


def summary(reqs: list[Requirement]) -> dict:
    counts = defaultdict(int)
    for r in reqs:
        counts[r.status] += 1
    total = len(reqs)
    return {"total": total, "met": counts[Status.MET], "overdue": counts[Status.OVERDUE],
            "due_soon": counts[Status.DUE_SOON], "open": counts[Status.OPEN],
            "rate": round(100 * counts[Status.MET] / total) if total else None}
