"""Reads of the assessment area; every one takes the user and applies their scope.

A plan is visible to the people of its department (they score in it) and to users whose
unit scope holds the department. Results are visible person by person: one's own, and
those of the people in one's assessment scope. No ballot is kept: an anonymous group
is read as its tallies (a sum and a count).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, PositiveIntegerField, Q
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from zugong.core.access import get_for_user
from zugong.people.access import has_cap, scope_q, subtree_q
from zugong.people.models import AnnualAssessment, OrgUnit, Person

from .access import (
    Cap,
    departments_to_manage,
    may_manage,
    may_note,
    rater_groups_by_plan,
    sheet_people,
)
from .models import (
    ANONYMOUS_GROUPS,
    DEFAULT_RULES,
    Appeal,
    AppealOutcome,
    Assessee,
    ConsequenceRule,
    EverydayNote,
    Indicator,
    OutsiderCode,
    Plan,
    PlanStatus,
    RaterGroup,
    Score,
    Template,
    Voted,
)
from .scoring import automatic_values

__all__ = ["departments_to_manage", "may_manage"]  # re-exported for older callers


def _require(user, cap=Cap.ASSESS_VIEW) -> None:
    if not has_cap(user, cap):
        raise PermissionDenied


def _own_department_id(user) -> int | None:
    person = getattr(user, "person", None)
    if person is None:
        return None
    return person.unit.department_id or person.unit_id


def plan_q(user) -> Q:
    """Plans of the user's own department and of departments in their unit scope."""
    _require(user)
    q = Q(pk__in=[])
    units = scope_q(user, Cap.ASSESS_VIEW, kind="unit")
    if units is not None:
        q |= Q(department__in=OrgUnit.objects.filter(units).values("pk"))
    own = _own_department_id(user)
    if own:
        q |= Q(department_id=own)
    return q


def plan_list(*, user, kind: str = "", year: int | None = None, status: str = ""):
    qs = Plan.objects.filter(plan_q(user)).select_related("department").annotate(
        people=Count("assessees"))
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(period_start__year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-period_end", "-id")


def plan_get_for_user(user, pk, *, manage: bool = False) -> Plan:
    """A plan the user sees (404 otherwise); with ``manage``, 403 unless they run it."""
    return get_for_user(Plan.objects.filter(plan_q(user)).select_related("department"), pk,
                        write=manage, may_write=lambda plan: may_manage(user, plan))


def indicator_get_for_user(user, pk, *, manage: bool = False) -> Indicator:
    """An indicator of a plan the user sees; with ``manage``, 403 unless they run it."""
    return get_for_user(Indicator.objects.filter(plan__in=Plan.objects.filter(plan_q(user)))
                        .select_related("plan", "plan__department"), pk, write=manage,
                        may_write=lambda ind: may_manage(user, ind.plan))


def outsider_plan_get(pk) -> Plan:
    """A plan open to outsiders' votes (开门评部; no account): 404 for any other."""
    return get_for_user(Plan.objects.filter(status=PlanStatus.SCORING,
                                            groups__group=RaterGroup.OUTSIDERS).distinct(), pk)


def outsider_code_problem(row: OutsiderCode | None) -> str:
    """Why a code (its row, None when there is none) admits nobody ("" when it admits)."""
    if row is None:
        return _("This code is not valid for this assessment.")
    if row.used:
        return _("This code has already been used: a ballot cannot be cast twice.")
    return ""


def outsider_code_check(plan: Plan, code: str) -> str:
    """Whether a code typed on the outsider page admits its holder to the plan's sheet:
    the reason it does not, or "". The sheet (the names of the people assessed) is shown
    only to the holder of a valid, unused code."""
    return outsider_code_problem(OutsiderCode.objects.filter(
        plan=plan, code_hash=OutsiderCode.hash_of(code)).first())


def outsider_sheet(plan: Plan) -> list[dict]:
    """The outsider's sheet: everybody assessed, with the manual common and own indicators."""
    indicators = [i for i in plan.indicators.all() if not i.metric]
    return [{"assessee": a, "notes": [],
             "indicators": [(i, "") for i in indicators if i.person_id in (None, a.person_id)]}
            for a in plan.assessees.select_related("person", "person__unit")
            .order_by("person__unit_path", "person__name")]


def department_units(department: OrgUnit) -> list[OrgUnit]:
    """The units right below a department, to choose which a plan covers."""
    return list(OrgUnit.objects.filter(subtree_q("path", department.path),
                                       depth=department.depth + 1).order_by("path"))


def units_by_id(ids) -> list[OrgUnit]:
    """The units named by an API client; ``plan_create`` refuses any outside the plan's
    department, so they are not filtered here (a unit elsewhere is a 422, not dropped)."""
    return list(OrgUnit.objects.filter(pk__in=list(ids)))


def templates_for(user) -> list[Template]:
    depts = [d.pk for d in departments_to_manage(user)]
    return list(Template.objects.filter(Q(department__isnull=True) | Q(department__in=depts))
                .prefetch_related("indicators"))


def result_people_q(user) -> Q:
    """Assessees whose result the user may see: their own and those in scope."""
    q = Q(pk__in=[])
    people = scope_q(user, Cap.ASSESS_VIEW, kind="person")
    if people is not None:
        q |= Q(person__in=Person.objects.filter(people).values("pk"))
    if user.person_id:
        q |= Q(person_id=user.person_id)
    return q


def results(*, user, plan: Plan):
    """The closed plan's results the user may see, best first (two queries)."""
    # rank_key: a sort key that is never NULL, for the keyset pager.
    qs = plan.assessees.filter(result_people_q(user)).select_related(
        "person", "person__unit").annotate(
        rank_key=Coalesce("rank", 0, output_field=PositiveIntegerField())).order_by(
        "rank_key", "person__name", "id")
    # An open plan has no results yet; the empty set keeps rank_key for the pager (a bare
    # none() made the results page of an open plan answer 500).
    return qs if plan.status == PlanStatus.CLOSED else qs.none()


def assessee_get_for_user(user, pk, *, manage: bool = False) -> Assessee:
    """A result the user may see (404 otherwise). With ``manage``, the results of plans the
    user runs are visible too, and any other answers 403."""
    _require(user)
    q = result_people_q(user)
    if manage:
        units = scope_q(user, Cap.ASSESS_MANAGE, kind="unit")
        if units is not None:
            q |= Q(plan__department__in=OrgUnit.objects.filter(units).values("pk"))
    return get_for_user(Assessee.objects.filter(q).select_related(
        "plan", "plan__department", "person", "person__unit"), pk, write=manage,
        may_write=lambda a: may_manage(user, a.plan))


def distribution(plan: Plan, rows) -> list[tuple[str, str, int]]:
    """(grade, label, count) for each of the plan's grades, counted in the database."""
    counts = defaultdict(int, rows.order_by().values_list("grade").annotate(n=Count("id")))
    from .models import Grade

    labels = dict(Grade.choices)
    return [(g, str(labels[g]), counts[g]) for g in plan.grades]


@dataclass
class Progress:
    group: str
    label: str
    expected: int
    done: int
    missing: list[str]


def progress(plan: Plan) -> list[Progress]:
    """Who has not scored yet, per rater group (a fixed number of queries)."""
    from .models import RaterGroup as G

    labels = dict(G.choices)
    assessees = list(plan.assessees.select_related("person", "person__unit", "person__account"))
    out = []
    groups = [g.group for g in plan.groups.all()]
    named = defaultdict(set)
    for a, g, r in Score.objects.filter(assessee__plan=plan).values_list(
            "assessee_id", "group", "rater_id").distinct():
        named[g].add((a, r))
    voted = defaultdict(set)
    for g, v in Voted.objects.filter(plan=plan).values_list("group", "voter_id"):
        voted[g].add(v)
    for group in groups:
        if group == G.SELF:
            missing = [a.person.name for a in assessees
                       if not any(x == a.pk for x, _r in named[G.SELF])]
            out.append(Progress(group, labels[group], len(assessees),
                                len(assessees) - len(missing), missing))
        elif group in (G.CHIEF, G.DEPUTY, G.HEAD):
            scored = {a for a, _r in named[group]}
            missing = [a.person.name for a in assessees if a.pk not in scored]
            out.append(Progress(group, labels[group], len(assessees),
                                len(assessees) - len(missing), missing))
        elif group in (G.PEERS, G.DEMOCRATIC):
            voters = Person.objects.filter(subtree_q("unit_path", plan.department.path),
                                           is_active=True, account__isnull=False)
            names = dict(voters.values_list("account", "name"))
            missing = [n for uid, n in names.items() if uid not in voted[group]]
            out.append(Progress(group, labels[group], len(names), len(names) - len(missing),
                                missing))
        else:
            out.append(Progress(group, labels[group], 0, 0, []))
    return out


def sheet(user, plan: Plan, group: str) -> list[dict]:
    """The people the user rates in ``group``, each with their indicators, the user's
    earlier scores (named groups) and the everyday record of the period."""
    people = list(sheet_people(user, plan, group))
    every = list(plan.indicators.all())
    indicators = [i for i in every if not i.metric]
    automatic = [i for i in every if i.metric]
    auto = automatic_values(plan, automatic, [a.person_id for a in people]) \
        if automatic and people else {}
    mine = {}
    if group not in ANONYMOUS_GROUPS:
        mine = {(a, i): v for a, i, v in Score.objects.filter(
            assessee__in=people, group=group, rater=user).values_list(
            "assessee_id", "indicator_id", "value")}
    notes = defaultdict(list)
    for n in EverydayNote.objects.filter(person__in=[a.person_id for a in people],
                                         on__gte=plan.period_start, on__lte=plan.period_end):
        notes[n.person_id].append(n)
    return [{"assessee": a, "notes": notes[a.person_id],
             "indicators": [(i, mine.get((a.pk, i.pk), "")) for i in indicators
                            if i.person_id in (None, a.person_id)],
             "auto": [(i, auto[(i.pk, a.person_id)]) for i in automatic
                      if (i.pk, a.person_id) in auto]} for a in people]


def appeal_of(assessee: Assessee) -> Appeal | None:
    """The appeal against a result (there is at most one)."""
    return Appeal.objects.filter(assessee=assessee).first()


def has_voted(user, plan: Plan, group: str) -> bool:
    return Voted.objects.filter(plan=plan, group=group, voter=user).exists()


def my_tasks(*, user) -> list[dict]:
    """Open plans where the user still has something to score: a fixed number of queries
    however many plans are open (the workbench runs this on every visit)."""
    plans = list(Plan.objects.filter(plan_q(user), status=PlanStatus.SCORING)
                 .select_related("department").order_by("window_end"))
    groups = rater_groups_by_plan(user, plans)
    if not any(groups.values()):
        return []
    ids = [p.pk for p in plans]
    voted = set(Voted.objects.filter(plan_id__in=ids, voter=user).values_list(
        "plan_id", "group"))
    scored = set(Score.objects.filter(assessee__plan_id__in=ids, rater=user).values_list(
        "assessee__plan_id", "group").distinct())
    labels = dict(RaterGroup.choices)
    out = []
    for plan in plans:
        for group in groups.get(plan.pk, []):
            done = (plan.pk, group) in (voted if group in ANONYMOUS_GROUPS else scored)
            out.append({"plan": plan, "group": group, "label": labels[group], "done": done})
    return out


def my_results(*, user):
    if not user.person_id:
        return Assessee.objects.none()
    return Assessee.objects.filter(person_id=user.person_id,
                                   plan__status=PlanStatus.CLOSED).select_related(
        "plan").order_by("-plan__period_end")


def history(*, user, person: Person, kind: str = "", start: dt.date | None = None,
            end: dt.date | None = None):
    qs = Assessee.objects.filter(result_people_q(user), person=person,
                                 plan__status=PlanStatus.CLOSED).select_related("plan")
    if kind:
        qs = qs.filter(plan__kind=kind)
    if start:
        qs = qs.filter(plan__period_end__gte=start)
    if end:
        qs = qs.filter(plan__period_end__lte=end)
    return qs.order_by("-plan__period_end", "plan__kind", "-id")


def person_get_for_user(user, pk) -> Person:
    _require(user)
    if user.person_id and str(user.person_id) == str(pk):
        return user.person
    q = scope_q(user, Cap.ASSESS_VIEW, kind="person")
    if q is None:
        raise Http404
    return get_for_user(Person.objects.filter(q), pk)


def notes_for(*, user, person: Person | None = None):
    """Everyday notes the user may read: of people in their leader scope, and their own."""
    _require(user)
    q = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
    lead = scope_q(user, Cap.ASSESS_LEAD, kind="person")
    if lead is not None:
        q |= Q(person__in=Person.objects.filter(lead).values("pk"))
    qs = EverydayNote.objects.filter(q).select_related("person", "by")
    if person is not None:
        qs = qs.filter(person=person)
    return qs.order_by("-on", "-id")


def note_get_for_user(user, pk) -> EverydayNote:
    """An everyday note the user reads (404 otherwise); deleting it is for whoever keeps
    that person's everyday record (403 for the person themselves)."""
    return get_for_user(notes_for(user=user), pk, write=True,
                        may_write=lambda note: may_note(user, note.person))


def people_to_note(user):
    q = scope_q(user, Cap.ASSESS_LEAD, kind="person")
    if q is None:
        return Person.objects.none()
    return Person.objects.filter(q, is_active=True).exclude(pk=user.person_id).order_by(
        "unit_path", "name")


def appeals_pending(*, user):
    depts = departments_to_manage(user)
    q = Q(pk__in=[])
    for d in depts:
        q |= Q(assessee__plan__department=d)
    return Appeal.objects.filter(q, outcome=AppealOutcome.PENDING).select_related(
        "assessee__person", "assessee__plan")


@dataclass
class ConsequenceRow:
    rule: ConsequenceRule
    label: str
    people: list


def consequence_rules(department: OrgUnit) -> list[ConsequenceRule]:
    """The department's rules in force; a department that has none written down yet
    follows the standard ones (returned unsaved: a read never writes)."""
    rules = list(ConsequenceRule.objects.filter(department=department, is_active=True))
    if not rules and not ConsequenceRule.objects.filter(department=department).exists():
        rules = [ConsequenceRule(department=department, consequence=c, grades=g, years=n)
                 for c, g, n in DEFAULT_RULES]
    return rules


def _annual_grades(people, year: int, span: int):
    grades: dict[int, dict[int, str]] = defaultdict(dict)
    names = {}
    for pk, name, unit, yr, code in AnnualAssessment.objects.filter(
            person__in=people.values("pk"), year__gt=year - span, year__lte=year).values_list(
            "person_id", "person__name", "person__unit__name", "year", "result__code"):
        grades[pk][yr] = code
        names[pk] = (name, unit)
    return grades, names


def _matches(rule: ConsequenceRule, by_year: dict[int, str], year: int) -> bool:
    return all(by_year.get(y) in rule.grades for y in range(year - rule.years + 1, year + 1))


def consequence_hits(*, department: OrgUnit, year: int, people, consequence: str) -> set[int]:
    """Of ``people``, those whom the department's rule for ``consequence`` names."""
    rules = [r for r in consequence_rules(department) if r.consequence == consequence]
    if not rules:
        return set()
    grades, _names = _annual_grades(people, year, max(r.years for r in rules))
    return {pk for pk, by_year in grades.items() if any(_matches(r, by_year, year)
                                                        for r in rules)}


def consequences(*, user, department: OrgUnit, year: int) -> list[ConsequenceRow]:
    """People whom the department's rules name for ``year``, from the annual grades (A15)
    of the consecutive years each rule needs (one query for all rules)."""
    rules = consequence_rules(department)
    span = max((r.years for r in rules), default=1)
    q = scope_q(user, Cap.ASSESS_VIEW, kind="person")
    if q is None:
        raise PermissionDenied
    people = Person.objects.filter(q, subtree_q("unit_path", department.path))
    grades, names = _annual_grades(people, year, span)
    out = []
    from .models import Consequence

    labels = dict(Consequence.choices)
    for rule in rules:
        hits = [{"person_id": pk, "name": names[pk][0], "unit": names[pk][1],
                 "grades": [by_year.get(y, "") for y in range(year - rule.years + 1, year + 1)]}
                for pk, by_year in grades.items() if _matches(rule, by_year, year)]
        hits.sort(key=lambda h: (h["unit"], h["name"]))
        out.append(ConsequenceRow(rule, str(labels[rule.consequence]), hits))
    return out
