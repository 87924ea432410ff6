"""Who may do what in assessment: the app's capabilities, on top of the people app's,
and the rules built on them (who manages a plan, who rates whom, who keeps whose
everyday record).

The role grants are declared in ``plugin.py``; scope comes from ``zugong.people.access``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import assignments, departments_for, scope_q
from zugong.people.models import OrgUnit, Person, Role

from .models import Assessee, GroupWeight, Plan, RaterGroup


class Cap(PeopleCap):
    # Assessment: take part (score, see one's own results); leaders rate and keep the
    # everyday record of people in scope; the assessment office runs plans and results.
    ASSESS_VIEW = "assessment.view"
    ASSESS_LEAD = "assessment.lead"
    ASSESS_MANAGE = "assessment.manage"


# Which group a leader rates in, by their role.
LEADER_GROUPS = {Role.HEAD: RaterGroup.HEAD, Role.DEPUTY: RaterGroup.DEPUTY,
                 Role.SECTION_CHIEF: RaterGroup.CHIEF}


def departments_to_manage(user) -> list[OrgUnit]:
    """The departments whose plans and results the user runs (none without the cap)."""
    try:
        return departments_for(user, Cap.ASSESS_MANAGE, own=False)
    except PermissionDenied:
        return []


def department_to_manage(user, pk) -> OrgUnit:
    """One of :func:`departments_to_manage`: 403 without any, 404 for another id; without
    ``pk`` the user's own department when it is one of them, else the first."""
    depts = departments_to_manage(user)
    if not depts:
        raise PermissionDenied
    if pk:
        dept = next((d for d in depts if str(d.pk) == str(pk)), None)
        if dept is None:
            raise Http404
        return dept
    own = getattr(getattr(user, "person", None), "unit", None)
    return next((d for d in depts if own and d.pk == own.department_id), depts[0])


def may_manage(user, plan_or_dept) -> bool:
    """Whether the user runs this plan (or this department's plans)."""
    dept = plan_or_dept.department if isinstance(plan_or_dept, Plan) else plan_or_dept
    q = scope_q(user, Cap.ASSESS_MANAGE, kind="unit")
    return q is not None and OrgUnit.objects.filter(q, pk=dept.pk).exists()


def rater_groups_of(user, plan: Plan) -> list[str]:
    """The plan's groups in which this user rates someone."""
    return rater_groups_by_plan(user, [plan]).get(plan.pk, [])


def rater_groups_by_plan(user, plans) -> dict[int, list[str]]:
    """:func:`rater_groups_of` for many plans at once (plan id -> groups, in the order of
    ``RaterGroup``): one query for the plans' groups and at most one per rater group,
    however many plans are open (the workbench asks this on every visit)."""
    plans = list(plans)
    if not plans or getattr(user, "person", None) is None:
        return {}
    weighted: dict[int, set[str]] = {p.pk: set() for p in plans}
    for plan_id, group in GroupWeight.objects.filter(
            plan__in=[p.pk for p in plans]).values_list("plan_id", "group"):
        weighted[plan_id].add(group)
    found: dict[int, set[str]] = {p.pk: set() for p in plans}
    for group in RaterGroup.values:
        candidates = [p.pk for p in plans if group in weighted[p.pk]
                      and _may_rate_in(user, p, group)]
        q = _rated_q(user, group) if candidates else None
        if q is None:
            continue
        for plan_id in Assessee.objects.filter(q, plan_id__in=candidates).order_by().values_list(
                "plan_id", flat=True).distinct():
            found[plan_id].add(group)
    return {p.pk: [g for g in RaterGroup.values if g in found[p.pk]] for p in plans}


def _may_rate_in(user, plan: Plan, group: str) -> bool:
    """The part of the rule that depends on the plan: peers and the democratic group are
    the plan's department's own cadres. The department is read for every named group, not
    only those two, so that a sheet costs the same queries whoever opens it first."""
    if group == RaterGroup.OUTSIDERS:
        return False
    if group == RaterGroup.SELF:
        return True
    in_dept = user.person.unit_path.startswith(plan.department.path)
    return in_dept if group in (RaterGroup.PEERS, RaterGroup.DEMOCRATIC) else True


def _rated_q(user, group: str) -> Q | None:
    """Which assessees (of any plan) the user rates in ``group``; None for nobody."""
    person = getattr(user, "person", None)
    if person is None or group == RaterGroup.OUTSIDERS:
        return None
    if group == RaterGroup.SELF:
        return Q(person=person)
    if group == RaterGroup.PEERS:
        return Q(person__unit_id=person.unit_id) & ~Q(person=person)
    if group == RaterGroup.DEMOCRATIC:
        return ~Q(person=person)
    role = next((r for r, g in LEADER_GROUPS.items() if g == group), None)
    if not any(a.role == role for a in assignments(user)):
        return None
    q = scope_q(user, Cap.ASSESS_LEAD, kind="person")
    if q is None:
        return None
    return Q(person__in=Person.objects.filter(q).values("pk")) & ~Q(person=person)


def sheet_people(user, plan: Plan, group: str):
    """The assessees this user rates in ``group`` (an empty queryset when none)."""
    qs = plan.assessees.select_related("person", "person__unit").order_by(
        "person__unit_path", "person__name", "pk")
    if getattr(user, "person", None) is None or not _may_rate_in(user, plan, group):
        return qs.none()
    q = _rated_q(user, group)
    return qs.none() if q is None else qs.filter(q)


def may_note(user, person: Person) -> bool:
    """Whether the user keeps this person's everyday record (a leader, not about oneself)."""
    if user.person_id == person.pk:
        return False
    q = scope_q(user, Cap.ASSESS_LEAD, kind="person")
    return q is not None and Person.objects.filter(q, pk=person.pk).exists()

