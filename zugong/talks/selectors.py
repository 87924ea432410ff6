"""Reads of the talks area; every one takes the user and applies their scope."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import DateField, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from zugong.core.access import get_for_user
from zugong.core.periods import Period, PeriodKind, add_months
from zugong.people.access import (
    departments_for,
    has_cap,
    person_for_filter,
    scope_q,
    subtree_q,
    unit_filter_q,
    unit_for_filter,
)
from zugong.people.models import (
    OrgUnit,
    Person,
    PersonCategory,
    PostHistory,
    ResumeEntry,
    UnitKind,
)

from . import coverage
from .access import (
    Cap,
    department_of,
    in_scope,
    may_delete_talk,
    may_manage_person,
    may_mark_done,
    may_set_rules,
)
from .models import (
    CoverageRule,
    FollowUp,
    Talk,
    TalkKind,
    TalkParty,
    Term,
    TriggerEvent,
    Visit,
    VisitFlags,
    VisitKind,
    VisitProblem,
)


def _person_q(user, cap=Cap.TALKS_VIEW) -> Q:
    q = scope_q(user, cap, kind="person")
    if q is None:
        raise PermissionDenied
    return q


def _talks_q(user, cap=Cap.TALKS_VIEW) -> Q:
    """Talks the user may see: one of theirs, or one with a party in their scope."""
    people = Person.objects.filter(_person_q(user, cap)).values("pk")
    q = Q(by__in=people) | Q(pk__in=TalkParty.objects.filter(person__in=people).values("talk"))
    if user.person_id:
        q |= Q(by_id=user.person_id) | Q(pk__in=TalkParty.objects.filter(
            person_id=user.person_id).values("talk"))
    return q


# Which side of a talk a person or unit filter is about: the talks they held (the
# ``talks.held`` figures) or those they were a counterpart in (``talks.taken_part``).
# Without a side, either.
SIDES = ("held", "party")


@dataclass
class TalkFilters:
    kind: str = ""
    person: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    mine: bool = False
    unit: int | None = None
    side: str = ""

    @classmethod
    def from_params(cls, params) -> TalkFilters:
        f = cls()
        kind = params.get("kind", "")
        f.kind = kind if kind in TalkKind.values else ""
        for name in ("person", "unit"):
            raw = params.get(name, "")
            setattr(f, name, int(raw) if raw.isdigit() else None)
        side = params.get("side", "")
        f.side = side if side in SIDES else ""
        for name in ("start", "end"):
            try:
                setattr(f, name, dt.date.fromisoformat(params.get(name, "")))
            except ValueError:
                pass
        f.mine = params.get("mine") == "1"
        return f

    def as_params(self) -> dict[str, str]:
        out = {}
        if self.kind:
            out["kind"] = self.kind
        for name in ("person", "unit", "side"):
            if getattr(self, name):
                out[name] = str(getattr(self, name))
        for name in ("start", "end"):
            if getattr(self, name):
                out[name] = getattr(self, name).isoformat()
        if self.mine:
            out["mine"] = "1"
        return out


def _side_q(filters: TalkFilters, held: Q, party: Q) -> Q:
    """Talks whose holder matches (``held``), or with a counterpart matching (``party``,
    a filter on TalkParty), or either, as the filter's side says."""
    by_party = Q(pk__in=TalkParty.objects.filter(party).values("talk"))
    if filters.side == "held":
        return held
    if filters.side == "party":
        return by_party
    return held | by_party


def talk_list(*, user, filters: TalkFilters):
    if filters.mine:
        if not user.person_id:
            return Talk.objects.none()
        me = user.person_id
        qs = Talk.objects.filter(Q(by_id=me) | Q(pk__in=TalkParty.objects.filter(
            person_id=me).values("talk")))
        if not has_cap(user, Cap.TALKS_VIEW):
            raise PermissionDenied
    else:
        qs = Talk.objects.filter(_talks_q(user))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.person:
        # Someone out of scope is "not found", never an empty list under their name.
        # (One's own talks are always in the list, whatever the scope.)
        pk = user.person_id if str(filters.person) == str(user.person_id) else \
            person_for_filter(user, Cap.TALKS_VIEW, filters.person).pk
        qs = qs.filter(_side_q(filters, Q(by_id=pk), Q(person_id=pk)))
    if filters.unit:
        # A unit out of scope is "not found" (404), like a missing one.
        qs = qs.filter(_side_q(
            filters, unit_filter_q(user, Cap.TALKS_VIEW, filters.unit, field="by__unit_path"),
            unit_filter_q(user, Cap.TALKS_VIEW, filters.unit)))
    if filters.start:
        qs = qs.filter(held_on__gte=filters.start)
    if filters.end:
        qs = qs.filter(held_on__lte=filters.end)
    return qs.select_related("by").prefetch_related("parties__person").order_by(
        "-held_on", "-id")


def talk_unit_filter(user, filters: TalkFilters) -> OrgUnit | None:
    """The unit of the list's ``?unit=`` filter, to name it on the page (404 out of
    scope)."""
    return unit_for_filter(user, Cap.TALKS_VIEW, filters.unit) if filters.unit else None


def party_times(*, user, filters: TalkFilters) -> int:
    """Counterpart-times in the listed talks of the people the filter names: what the
    ``talks.taken_part`` figure counts (a talk with two of a unit's people is two)."""
    parties = TalkParty.objects.filter(talk__in=talk_list(user=user, filters=filters)
                                       .values("pk"))
    if filters.person:
        parties = parties.filter(person_id=filters.person)
    if filters.unit:
        parties = parties.filter(unit_filter_q(user, Cap.TALKS_VIEW, filters.unit))
    return parties.count()


def talk_get_for_user(user, pk, *, write: bool = False) -> Talk:
    """One talk: 404 when neither a party nor anyone of it is in the user's scope.
    Talks are not edited; ``write`` asks for deleting it (403 unless ``may_delete_talk``)."""
    return get_for_user(Talk.objects.filter(_talks_q(user)).select_related("by", "trigger"), pk,
                        write=write, may_write=lambda talk: may_delete_talk(user, talk))


def confirmation_of(user, talk: Talk) -> TalkParty | None:
    """The user's own party row of the talk (None when they held it or are no party):
    the talk page offers "confirm" from it."""
    if not user.person_id or user.person_id == talk.by_id:
        return None
    return TalkParty.objects.filter(talk=talk, person_id=user.person_id).first()


def followup_get_for_user(user, pk, *, write=False) -> FollowUp:
    """A follow-up item of a talk the user sees (404 otherwise); writing (marking it done)
    is for its owner and whoever held the talk (403 for the others)."""
    visible = FollowUp.objects.filter(talk__in=Talk.objects.filter(_talks_q(user)).values(
        "pk")).select_related("talk")
    return get_for_user(visible, pk, write=write,
                        may_write=lambda item: may_mark_done(user, item))


def summary_visible_ids(user, talks) -> set[int]:
    """Of these talks, those whose summary the user may read (two queries at most).

    The parties read their own talk; otherwise a talks-sensitive role (leaders, the
    supervision officers) must have one of the parties in scope.
    """
    talks = list(talks)
    me = user.person_id
    parties = {t.pk: {t.by_id} for t in talks}
    for talk_id, person_id in TalkParty.objects.filter(talk__in=[t.pk for t in talks]
                                                       ).values_list("talk_id", "person_id"):
        parties[talk_id].add(person_id)
    visible = {pk for pk, people in parties.items() if me and me in people}
    q = scope_q(user, Cap.TALKS_SENSITIVE, kind="person")
    rest = {pk: people for pk, people in parties.items() if pk not in visible}
    if q is not None and rest:
        everyone = set().union(*rest.values())
        allowed = set(Person.objects.filter(q, pk__in=everyone).values_list("pk", flat=True))
        visible |= {pk for pk, people in rest.items() if people & allowed}
    return visible


def may_read_summary(user, talk: Talk) -> bool:
    return talk.pk in summary_visible_ids(user, [talk])


def follow_ups_of(talk: Talk):
    return list(talk.follow_ups.select_related("owner"))


def my_open_follow_ups(*, user):
    if not user.person_id:
        return []
    # All of them: a person's open items are few, and a cut list would hide some.
    return list(FollowUp.objects.filter(owner_id=user.person_id, done_on__isnull=True)
                .select_related("talk"))


def people_to_talk_with(*, user):
    """Everyone of the user's department (organization cadres in post), not themself."""
    person = getattr(user, "person", None)
    if person is None:
        return Person.objects.none()
    dept = department_of(person)
    return Person.objects.filter(subtree_q("unit_path", dept.path), is_active=True,
                                 category=PersonCategory.ORG_CADRE).exclude(
        pk=person.pk).select_related("unit").order_by("unit_path", "pk")


def talk_owners(*, user, people):
    """Who may own a follow-up item on the talk form: the user and ``people``."""
    return Person.objects.filter(Q(pk=user.person_id) | Q(pk__in=people.values("pk"))
                                 ).select_related("unit").order_by("unit_path", "pk")


def colleagues_by_ids(user, ids) -> dict[int, Person]:
    """Of the people named by id in an API payload, those of the user's own department.

    An id outside it and an id that does not exist are both simply absent, so the API
    answers them alike and never names anyone. Raises PermissionDenied for a user who
    holds no talks right or is no person (the three administrators).
    """
    person = getattr(user, "person", None)
    if person is None or not has_cap(user, Cap.TALKS_VIEW):
        raise PermissionDenied
    return department_people_by_ids(department_of(person), ids)


def department_people_by_ids(department: OrgUnit, ids) -> dict[int, Person]:
    """Of the people named by id, those within ``department``. An id no database key can
    hold names nobody (SQLite raises OverflowError on it rather than matching nothing)."""
    ids = [i for i in ids if 0 < i < 2**63]
    return {p.pk: p for p in Person.objects.filter(
        subtree_q("unit_path", department.path), pk__in=ids).select_related("unit")}


def managed_person_in_scope(user, pk) -> Person | None:
    """The person a visit payload names, if within the user's scope for recording visits
    (None for an id outside it and for one that does not exist alike)."""
    q = scope_q(user, Cap.TALKS_MANAGE, kind="person")
    if q is None:
        raise PermissionDenied
    if not 0 < pk < 2**63:  # no key holds it (SQLite would raise OverflowError)
        return None
    return Person.objects.filter(q, pk=pk).select_related("unit").first()


def managed_cadres():
    """Managed cadres a visit form accepts; the service checks the recorder's scope."""
    return Person.objects.filter(category=PersonCategory.MANAGED).select_related("unit")


def trigger_by_id(pk) -> TriggerEvent | None:
    """An occasion named in an API payload; the service refuses one about someone who was
    not in the talk."""
    return TriggerEvent.objects.filter(pk=pk).first() if pk else None


# ---------------------------------------------------------------- departments and coverage


def coverage_for(*, user, department: OrgUnit, today: dt.date, reqs=None):
    """The department's required pairs that concern someone in the user's scope.

    ``reqs``: the department's pairs already evaluated for ``today``, so that the whole
    structure is not read and judged a second time; only their ``leader_id`` and
    ``member_id`` are read (the workbench passes its kept ``workbench.Pair`` rows)."""
    if reqs is None:
        reqs = coverage.evaluate(department, today=today)
    q = scope_q(user, Cap.TALKS_VIEW, kind="person")
    allowed = set(Person.objects.filter(q, subtree_q("unit_path", department.path))
                  .values_list("pk", flat=True)) if q is not None else set()
    if user.person_id:
        allowed.add(user.person_id)
    return [r for r in reqs if r.member_id in allowed or r.leader_id in allowed]


def coverage_of_unit(*, reqs, unit: OrgUnit):
    """Of these pairs, those whose leader is one of ``unit``'s people: the pairs the
    ``talks.coverage_rate`` figure judges for that unit (a pair counts for its leader)."""
    leaders = set(Person.objects.filter(subtree_q("unit_path", unit.path)).values_list(
        "pk", flat=True))
    return [r for r in reqs if r.leader_id in leaders]


def unit_for_coverage(user, pk) -> OrgUnit:
    """The unit a coverage page's ``?unit=`` names (404 out of the user's scope)."""
    return unit_for_filter(user, Cap.TALKS_VIEW, pk)


def rules_of(department: OrgUnit):
    return list(CoverageRule.objects.filter(department=department, is_active=True))


def rule_get_for_user(user, pk, *, write=False) -> CoverageRule:
    """A rule of a department the user sees (404 otherwise); retiring it is for those who
    set the department's rules (403 for the others)."""
    depts = [d.pk for d in departments_for(user, Cap.TALKS_VIEW)]
    visible = CoverageRule.objects.filter(department_id__in=depts).select_related("department")
    return get_for_user(visible, pk, write=write,
                        may_write=lambda rule: may_set_rules(user, rule.department))


def events_of(*, user, department: OrgUnit):
    """Occasions and moves of the department's people in the user's scope, as querysets
    for the page's two pagers (newest first, ``EVENT_ORDER``)."""
    people = Person.objects.filter(_person_q(user), subtree_q("unit_path", department.path))
    triggers = TriggerEvent.objects.filter(person__in=people.values("pk")).select_related(
        "person")
    # A move is a post-history row that begins in another unit than the row before.
    # Such a row always has its first day; ``on`` names it for the pager (which refuses a
    # nullable sort key) and the page.
    moves = PostHistory.objects.filter(
        person__in=people.values("pk"), moved_from__isnull=False).annotate(
        on=Coalesce("valid_from", Value(dt.date.min), output_field=DateField())).select_related(
        "person", "moved_from", "unit")
    return triggers, moves


EVENT_ORDER = ("-on", "-id")


def people_to_manage(*, user, department: OrgUnit, category=PersonCategory.ORG_CADRE):
    q = scope_q(user, Cap.TALKS_MANAGE, kind="person")
    if q is None:
        return Person.objects.none()
    return Person.objects.filter(q, subtree_q("unit_path", department.path), is_active=True,
                                 category=category).order_by("unit_path", "pk")


def sections_of(department: OrgUnit):
    return OrgUnit.objects.filter(subtree_q("path", department.path),
                                  kind=UnitKind.SECTION).order_by("path")


# ---------------------------------------------------------------- visits



def terms_of(department: OrgUnit):
    return list(Term.objects.filter(department=department))


def term_for(department: OrgUnit, pk=None, today: dt.date | None = None) -> Term | None:
    terms = terms_of(department)
    if pk not in (None, ""):
        for term in terms:
            if str(term.pk) == str(pk):
                return term
        raise Http404
    today = today or timezone.localdate()
    return next((t for t in terms if t.start <= today <= t.end), terms[0] if terms else None)


def appointments_of(ids) -> dict[int, dt.date]:
    """When each person took up their current post: the start of their current résumé
    line (A17, no end date; the latest such line if there are several). One query."""
    out: dict[int, dt.date] = {}
    for person_id, start in ResumeEntry.objects.filter(
            person_id__in=list(ids), end__isnull=True).values_list("person_id", "start"):
        out[person_id] = max(out.get(person_id, start), start)
    return out


def return_windows(appointed: dt.date, months) -> list[tuple[int, dt.date, dt.date]]:
    """The due windows of return visits: (months, first day, due day), one after the
    other, e.g. 6 and 12 months give [appointment, +6 months] and (+6, +12 months]."""
    out, start = [], appointed
    for m in sorted(months or ()):
        due = add_months(appointed, m)
        out.append((m, start, due))
        start = due + dt.timedelta(days=1)
    return out


def visit_plan(*, user, department: OrgUnit, term: Term, today: dt.date) -> dict:
    """Who is due which of the six visits, and progress (six queries).

    届内遍访 counts each managed cadre once however often they were visited in the term;
    neither it nor 年内走访 counts a walk-in (随时接访: the cadre came, no one went).
    Return visits follow the appointment date in the registry (``appointments_of``), one
    per window of the term's ``follow_up_months``; the home visit is due
    ``home_visit_days`` after the difficulty flag's date.
    """
    people = list(Person.objects.filter(
        _person_q(user), subtree_q("unit_path", department.path),
        category=PersonCategory.MANAGED, is_active=True).select_related("unit").order_by(
        "unit_path", "pk"))
    ids = [p.pk for p in people]
    flags = {f.person_id: f for f in VisitFlags.objects.filter(person_id__in=ids)}
    longest = max(term.follow_up_months or [0])
    appointed = {pk: day for pk, day in appointments_of(ids).items()
                 if day <= today and add_months(day, longest) >= term.start
                 and term.follow_up_months}
    year = Period.containing(PeriodKind.YEAR, today)
    earliest = min([term.start, year.start] + list(appointed.values()) + [
        d for f in flags.values() for d in (f.difficulty_since, f.handling_since) if d])
    visits = defaultdict(list)
    for person_id, kind, on in Visit.objects.filter(person_id__in=ids, on__gte=earliest,
                                                   on__lte=today).values_list(
            "person_id", "kind", "on"):
        visits[person_id].append((kind, on))
    tour_end = min(term.end, today)
    units: dict[int, dict] = {}
    never = []
    for p in people:
        row = units.setdefault(p.unit_id, {"unit": p.unit, "total": 0, "visited": 0})
        row["total"] += 1
        if any(term.start <= on <= tour_end for k, on in visits[p.pk]
               if k != VisitKind.WALK_IN):
            row["visited"] += 1
        else:
            never.append(p)
    total = len(people)
    visited = sum(r["visited"] for r in units.values())
    by_id = {p.pk: p for p in people}
    annual, returns, home, prompt = [], [], [], []
    for p in people:
        day = appointed.get(p.pk)
        if day is None:
            continue
        made = [on for k, on in visits[p.pk] if k == VisitKind.RETURN]
        for n, (months, start, due) in enumerate(return_windows(day, term.follow_up_months),
                                                 start=1):
            done = sorted(on for on in made if start <= on <= due)
            returns.append({"person": p, "number": n, "months": months, "start": start,
                            "due": due, "done": bool(done), "last": done[-1] if done else None,
                            "overdue": not done and today > due, "since": day})
    for pk, f in flags.items():
        person = by_id.get(pk)
        if person is None:
            continue
        seen = visits[pk]
        if f.is_key:
            done = [on for k, on in seen if on in year and k != VisitKind.WALK_IN]
            annual.append({"person": person, "done": bool(done),
                           "last": max(done) if done else None, "due": year.end})
        if f.difficulty_since:
            due = f.difficulty_since + dt.timedelta(days=term.home_visit_days)
            done = [on for k, on in seen if k == VisitKind.HOME and on >= f.difficulty_since]
            home.append({"person": person, "since": f.difficulty_since,
                         "note": f.difficulty_note, "due": due, "done": bool(done),
                         "overdue": not done and today > due,
                         "last": max(done) if done else None})
        if f.handling_since:
            due = f.handling_since + dt.timedelta(days=term.handling_days)
            done = [on for k, on in seen if k == VisitKind.PROMPT and on >= f.handling_since]
            prompt.append({"person": person, "since": f.handling_since, "due": due,
                           "done": bool(done), "overdue": not done and today > due,
                           "last": min(done) if done else None})
    walk_ins = sum(1 for pk in ids for k, on in visits[pk] if k == VisitKind.WALK_IN
                   and on in year)
    return {
        "units": sorted(units.values(), key=lambda r: r["unit"].path),
        "total": total, "visited": visited,
        "rate": round(100 * visited / total) if total else None,
        "never": never, "annual": annual, "returns": returns, "home": home,
        "prompt": prompt, "walk_ins": walk_ins, "year": year,
    }


def visit_rate(*, user, department: OrgUnit, term: Term, today: dt.date) -> int | None:
    """The term's 届内遍访 rate of :func:`visit_plan` (managed cadres visited at least once
    in the term, walk-ins not counted), as two counts: the workbench shows only this
    figure, and the whole plan loads every managed cadre of the department."""
    people = Person.objects.filter(
        _person_q(user), subtree_q("unit_path", department.path),
        category=PersonCategory.MANAGED, is_active=True)
    total = people.count()
    if not total:
        return None
    visited = people.filter(pk__in=Visit.objects.filter(
        on__gte=term.start, on__lte=min(term.end, today)).exclude(
        kind=VisitKind.WALK_IN).values("person_id")).count()
    return round(100 * visited / total)


@dataclass
class VisitFilters:
    """The visits page's list filters. ``unit``: the visits made by someone of that unit
    (the ``talks.visits`` figures count per visitor); ``problems`` ("raised" or "solved"):
    list the problems raised in visits to the unit's people instead, dated by the day they
    were raised or solved (the ``talks.problems_*`` figures)."""

    kind: str = ""
    unit: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    problems: str = ""

    @classmethod
    def from_params(cls, params) -> VisitFilters:
        f = cls()
        kind = params.get("kind", "")
        f.kind = kind if kind in VisitKind.values else ""
        raw = params.get("unit", "")
        f.unit = int(raw) if raw.isdigit() else None
        for name in ("start", "end"):
            try:
                setattr(f, name, dt.date.fromisoformat(params.get(name, "")))
            except ValueError:
                pass
        problems = params.get("problems", "")
        f.problems = problems if problems in ("raised", "solved") else ""
        return f

    def as_params(self) -> dict[str, str]:
        out = {name: str(getattr(self, name)) for name in ("kind", "unit", "problems")
               if getattr(self, name)}
        out.update({name: getattr(self, name).isoformat() for name in ("start", "end")
                    if getattr(self, name)})
        return out


def visit_list(*, user, department: OrgUnit | None = None, kind: str = "",
               person: int | None = None, filters: VisitFilters | None = None):
    people = Person.objects.filter(_person_q(user))
    if department is not None:
        people = people.filter(subtree_q("unit_path", department.path))
    qs = Visit.objects.filter(person__in=people.values("pk"))
    if kind in VisitKind.values:
        qs = qs.filter(kind=kind)
    if person:
        qs = qs.filter(person_id=person)
    if filters is not None:
        if filters.kind:
            qs = qs.filter(kind=filters.kind)
        if filters.unit:
            # One row per visit however many of the unit's people went (404 out of scope).
            qs = qs.filter(pk__in=Visit.objects.filter(unit_filter_q(
                user, Cap.TALKS_VIEW, filters.unit, field="visitors__unit_path")).values("pk"))
        if filters.start:
            qs = qs.filter(on__gte=filters.start)
        if filters.end:
            qs = qs.filter(on__lte=filters.end)
    return qs.select_related("person", "person__unit").prefetch_related(
        "visitors", "problems").order_by("-on", "-id")


def visitor_times(*, user, filters: VisitFilters) -> int:
    """Visitor-times of the unit's people in the listed visits: what ``talks.visits``
    counts for the unit (a visit two of its people made is two)."""
    through = Visit.visitors.through.objects.filter(
        visit__in=visit_list(user=user, filters=filters).values("pk"))
    return through.filter(person__in=Person.objects.filter(unit_filter_q(
        user, Cap.TALKS_VIEW, filters.unit, field="unit_path")).values("pk")).count()


def visit_unit_filter(user, filters: VisitFilters) -> OrgUnit | None:
    return unit_for_filter(user, Cap.TALKS_VIEW, filters.unit) if filters.unit else None


PROBLEM_ORDER = ("-raised_on", "-id")
SOLVED_ORDER = ("-solved_day", "-id")


def problem_list(*, user, filters: VisitFilters):
    """Problems raised in visits to people in the user's scope, of the unit's people
    (404 for a unit out of scope), raised (or, with ``problems="solved"``, solved) in
    [start, end]."""
    qs = VisitProblem.objects.filter(person__in=Person.objects.filter(
        _person_q(user)).values("pk"))
    day = "raised_on"
    if filters.problems == "solved":
        qs = qs.filter(solved_on__isnull=False)
        day = "solved_on"
    if filters.unit:
        qs = qs.filter(unit_filter_q(user, Cap.TALKS_VIEW, filters.unit))
    if filters.start:
        qs = qs.filter(**{f"{day}__gte": filters.start})
    if filters.end:
        qs = qs.filter(**{f"{day}__lte": filters.end})
    # Only solved problems are listed by that day; the pager refuses a nullable sort key.
    return qs.select_related("person", "person__unit", "visit").annotate(
        solved_day=Coalesce("solved_on", Value(dt.date.min), output_field=DateField()))


def visit_get_for_user(user, pk, *, write: bool = False) -> Visit:
    """A visit to someone in the user's scope (404 otherwise). Visits are not edited;
    their problems are (``problem_get_for_user``); ``write`` asks for deleting it, which
    needs the manage capability over the visited cadre, as recording it did (403)."""
    return get_for_user(visit_list(user=user), pk, write=write,
                        may_write=lambda visit: may_manage_person(user, visit.person))


def problem_get_for_user(user, pk, *, write=False) -> VisitProblem:
    """A problem raised on a visit to someone in the user's scope (404 otherwise);
    updating it needs the manage capability over that person (403 otherwise)."""
    visible = VisitProblem.objects.filter(
        person__in=Person.objects.filter(_person_q(user)).values("pk")).select_related(
        "person", "visit")
    return get_for_user(visible, pk, write=write,
                        may_write=lambda problem: may_manage_person(user, problem.person))


def managed_person_get_for_user(user, pk, *, write=False) -> Person:
    """A managed cadre in the user's scope (404 otherwise, and for organization cadres);
    setting their visit flags needs the manage capability over them (403 otherwise)."""
    visible = Person.objects.filter(_person_q(user), category=PersonCategory.MANAGED
                                    ).select_related("unit")
    return get_for_user(visible, pk, write=write,
                        may_write=lambda person: may_manage_person(user, person))


def flags_of(person: Person) -> VisitFlags | None:
    return VisitFlags.objects.filter(person=person).first()


# ---------------------------------------------------------------- person page


def person_talks(*, user, pk) -> dict:
    person = get_for_user(Person.objects.filter(_person_q(user)).select_related("unit"), pk)
    talks = list(talk_list(user=user, filters=TalkFilters(person=person.pk))[:10])
    visits = list(visit_list(user=user, person=person.pk)[:10])
    year = Period.containing(PeriodKind.YEAR, timezone.localdate())
    count = Talk.objects.filter(Q(by=person) | Q(pk__in=TalkParty.objects.filter(
        person=person).values("talk")), held_on__gte=year.start,
        held_on__lte=year.end).count()
    return {"person": person, "talks": talks, "visits": visits, "year": year,
            "year_count": count, "flags": flags_of(person)
            if person.category == PersonCategory.MANAGED else None,
            "can_manage": in_scope(user, Cap.TALKS_MANAGE, person)}


# ---------------------------------------------------------------- for other apps


def talks_among(person_ids, start: dt.date, end: dt.date) -> list[dict]:
    """The ``talks.talks_among`` hook party life calls to link the talks held before an
    organization-life meeting: talks in [start, end] held by or with any of the people,
    as id, day, holder and counterparts' names; never the summary."""
    ids = list(person_ids)
    talks = Talk.objects.filter(Q(by_id__in=ids) | Q(parties__person_id__in=ids),
                                held_on__gte=start, held_on__lte=end).distinct().order_by(
        "held_on", "id").select_related("by").prefetch_related("parties__person")
    return [{"id": t.pk, "held_on": t.held_on, "by": t.by.name,
             "with": [p.person.name for p in t.parties.all()]} for t in talks]


def home_visits(*, user, person_id: int, since: dt.date) -> list[dict]:
    """The ``talks.home_visits`` hook care calls: the 适时家访 to a cadre on or after
    ``since`` that the user may see (none without the talks capability), newest first."""
    if not has_cap(user, Cap.TALKS_VIEW):
        return []
    return [{"id": v.pk, "on": v.on, "place": v.place, "url": f"/talks/visits/{v.pk}/"}
            for v in visit_list(user=user, kind=VisitKind.HOME, person=person_id)
            .filter(on__gte=since)]
