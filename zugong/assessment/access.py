"""Who may do what in assessment: the app's capabilities, on top of the people app's,
and the rules built on them (who manages a plan, who rates whom, who keeps whose
everyday record).

The role grants are declared in ``plugin.py``; scope comes from ``zugong.people.access``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from zugong.people.access import Cap as PeopleCap
from zugong.people.access import assignments, departments_for, scope_q
from zugong.people.models import OrgUnit, Person, Role

from .models import Plan, RaterGroup


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
    groups = set(plan.groups.values_list("group", flat=True))
    mine = []
    for group in RaterGroup.values:
        if group in groups and group != RaterGroup.OUTSIDERS and \
                sheet_people(user, plan, group).exists():
            mine.append(group)
    return mine


def sheet_people(user, plan: Plan, group: str):
    """The assessees this user rates in ``group`` (an empty queryset when none)."""
    qs = plan.assessees.select_related("person", "person__unit").order_by(
        "person__unit_path", "person__name", "pk")
    person = getattr(user, "person", None)
    if person is None or group == RaterGroup.OUTSIDERS:
        return qs.none()
    if group == RaterGroup.SELF:
        return qs.filter(person=person)
    in_dept = person.unit_path.startswith(plan.department.path)
    if group == RaterGroup.PEERS:
        return qs.filter(person__unit_id=person.unit_id).exclude(person=person) if in_dept \
            else qs.none()
    if group == RaterGroup.DEMOCRATIC:
        return qs.exclude(person=person) if in_dept else qs.none()
    role = next((r for r, g in LEADER_GROUPS.items() if g == group), None)
    relevant = [a for a in assignments(user) if a.role == role]
    if not relevant:
        return qs.none()
    q = scope_q(user, Cap.ASSESS_LEAD, kind="person")
    if q is None:
        return qs.none()
    return qs.filter(person__in=Person.objects.filter(q).values("pk")).exclude(person=person)


def may_note(user, person: Person) -> bool:
    """Whether the user keeps this person's everyday record (a leader, not about oneself)."""
    if user.person_id == person.pk:
        return False
    q = scope_q(user, Cap.ASSESS_LEAD, kind="person")
    return q is not None and Person.objects.filter(q, pk=person.pk).exists()

