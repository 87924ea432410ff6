"""Reads of talent records; every function takes the user whose scope applies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, DateField, Q, Value
from django.db.models.functions import Coalesce

from zugong.core.access import get_for_user
from zugong.people.access import subtree_q, unit_filter_q, unit_for_filter
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind

from . import rules
from .access import (
    Cap,
    department_get_for_user,
    departments_for,
    has_cap,
    may_manage_department,
    people_in_scope,
)
from .models import (
    Category,
    Exit,
    PromotionProposal,
    ReserveCandidate,
    Rotation,
    Talent,
    TalentContact,
    TalentMatter,
)

TALENT_ORDER = ("-added_on", "-id")
RECORD_ORDER = ("-on", "-id")


@dataclass(frozen=True)
class TalentFilters:
    category: str = ""
    department: str = ""
    high_level: bool = False
    q: str = ""
    # The ``talent.contacts`` figure's records: the talents contacted by a leader of
    # ``unit`` between ``start`` and ``end``, with those contacts counted.
    unit: str = ""
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def contacts(self) -> bool:
        return bool(self.unit or self.start or self.end)


def unit_filter(*, user, unit: str, cap: str):
    """The unit a list's ``?unit=`` names, to show it on the page (404 out of the user's
    scope for ``cap``; None without the filter)."""
    return unit_for_filter(user, cap, unit) if unit else None


def _dated(prefix: str, start, end) -> Q:
    q = Q()
    if start:
        q &= Q(**{f"{prefix}__gte": start})
    if end:
        q &= Q(**{f"{prefix}__lte": end})
    return q


def _departments(user, cap, department=""):
    if not has_cap(user, cap):
        raise PermissionDenied
    if department:
        return [department_get_for_user(user, department, cap)]
    return departments_for(user, cap)


def talent_list(*, user, filters: TalentFilters = TalentFilters()):
    """Talents of the departments the user belongs to or oversees (403 without the
    capability, 404 for a ``department`` filter outside them)."""
    depts = _departments(user, Cap.TALENT_VIEW, filters.department)
    qs = Talent.objects.filter(department__in=[d.pk for d in depts])
    if filters.category in Category.values:
        qs = qs.filter(category=filters.category)
    if filters.high_level:
        qs = qs.filter(high_level=True)
    if filters.q.strip():
        qs = qs.filter(Q(name__contains=filters.q.strip())
                       | Q(employer__contains=filters.q.strip()))
    qs = qs.select_related("department", "leader").annotate(
        open_matters=Count("matters", filter=Q(matters__solved_on__isnull=True),
                           distinct=True))
    if filters.contacts:
        contacts = TalentContact.objects.filter(_dated("on", filters.start, filters.end))
        counted = _dated("contacts__on", filters.start, filters.end)
        if filters.unit:
            # 404 for a unit out of the user's scope, like a missing one.
            contacts = contacts.filter(unit_filter_q(user, Cap.TALENT_VIEW, filters.unit,
                                                     field="leader__unit_path"))
            counted &= unit_filter_q(user, Cap.TALENT_VIEW, filters.unit,
                                     field="contacts__leader__unit_path")
        qs = qs.filter(pk__in=contacts.values("talent")).annotate(
            contacts_counted=Count("contacts", filter=counted, distinct=True))
    return qs.order_by(*TALENT_ORDER)


def talent_get_for_user(user, pk, *, write: bool = False) -> Talent:
    return get_for_user(talent_list(user=user), pk, write=write,
                        may_write=lambda t: may_manage_department(user, t.department))


def talent_detail(*, user, talent) -> dict:
    return {"contacts": list(TalentContact.objects.filter(talent=talent)
                             .select_related("leader").prefetch_related("matters")),
            "can_manage": may_manage_department(user, talent.department)}


def matter_get_for_user(user, pk, *, write: bool = False) -> TalentMatter:
    visible = TalentMatter.objects.filter(talent__in=talent_list(user=user).values("pk"))
    return get_for_user(visible.select_related("talent", "talent__department"), pk,
                        write=write,
                        may_write=lambda m: may_manage_department(user, m.talent.department))


def open_matters(*, user):
    """Matters not yet solved, oldest first."""
    return TalentMatter.objects.filter(
        talent__in=talent_list(user=user).values("pk"), solved_on__isnull=True).select_related(
        "talent", "leader").order_by("raised_on", "id")


def open_matters_count(*, user, raised_before: dt.date) -> int:
    """How many of ``open_matters`` were raised before ``raised_before`` (the workbench's
    count): the talents' departments filter the matters directly, without the list's
    annotations, which the workbench paid for on every view (issue 23)."""
    depts = _departments(user, Cap.TALENT_VIEW)
    return TalentMatter.objects.filter(
        talent__department__in=[d.pk for d in depts], solved_on__isnull=True,
        raised_on__lt=raised_before).count()


MATTER_STATES = ("raised", "solved")


@dataclass(frozen=True)
class MatterFilters:
    """Without ``status``: the open matters. ``raised``/``solved``: the matters raised or
    solved in [start, end] (the ``talent.matters_*`` figures); ``unit``: of the leaders
    of that unit, as the figures count them."""

    status: str = ""
    unit: str = ""
    start: dt.date | None = None
    end: dt.date | None = None


MATTER_ORDER = {"": ("raised_on", "id"), "raised": ("-raised_on", "-id"),
                "solved": ("-solved_day", "-id")}


def matter_list(*, user, filters: MatterFilters = MatterFilters()):
    if filters.status == "solved":
        qs = TalentMatter.objects.filter(talent__in=talent_list(user=user).values("pk"),
                                         solved_on__isnull=False)
        qs = qs.filter(_dated("solved_on", filters.start, filters.end))
    else:
        qs = TalentMatter.objects.filter(talent__in=talent_list(user=user).values("pk"))
        if not filters.status:
            qs = qs.filter(solved_on__isnull=True)
        qs = qs.filter(_dated("raised_on", filters.start, filters.end))
    if filters.unit:
        qs = qs.filter(unit_filter_q(user, Cap.TALENT_VIEW, filters.unit,
                                     field="leader__unit_path"))
    # The pager refuses a nullable sort key; only solved matters are listed by that day.
    qs = qs.annotate(solved_day=Coalesce("solved_on", Value(dt.date.min),
                                         output_field=DateField()))
    return qs.select_related("talent", "leader").order_by(*MATTER_ORDER[filters.status])


def talent_figures(*, user, year: int) -> dict:
    """Talents by category, high-level talents, contacts and matters raised and solved in
    ``year``, over the user's departments. Four queries."""
    talents = talent_list(user=user)
    ids = talents.values("pk")
    cats = dict(Talent.objects.filter(pk__in=ids).values_list("category").annotate(
        n=Count("pk")).values_list("category", "n"))
    matters = TalentMatter.objects.filter(talent__in=ids)
    by_kind = dict(matters.filter(raised_on__year=year).values_list("kind").annotate(
        n=Count("pk")).values_list("kind", "n"))
    return {
        "by_category": [(value, label, cats.get(value, 0)) for value, label in Category.choices],
        "total": sum(cats.values()),
        "high_level": Talent.objects.filter(pk__in=ids, high_level=True).count(),
        "contacts": TalentContact.objects.filter(talent__in=ids, on__year=year).count(),
        "raised": sum(by_kind.values()),
        "solved": matters.filter(solved_on__year=year).count(),
        "by_kind": by_kind,
    }


def leaders_to_choose(*, user, department):
    """Whom a talent's contact may name as the leader: people of the department's
    jurisdiction in the user's manage scope."""
    return people_in_scope(user, Cap.TALENT_MANAGE).filter(
        subtree_q("unit_path", department.path), is_active=True).select_related(
        "unit").order_by("unit_path", "name", "pk")


def manage_departments(*, user, cap: str = Cap.TALENT_MANAGE) -> list[OrgUnit]:
    if not has_cap(user, cap):
        raise PermissionDenied
    return [d for d in departments_for(user, cap) if may_manage_department(user, d, cap)]


# ---------------------------------------------------------------- the team (M41)


def _team_people(user):
    if not has_cap(user, Cap.TALENT_TEAM):
        raise PermissionDenied
    return people_in_scope(user, Cap.TALENT_TEAM).values("pk")


@dataclass(frozen=True)
class TeamFilters:
    """The team page's lists narrowed to the people of ``unit`` and to the records dated
    in [start, end] as the team figures date them: candidates by the day they entered the
    pool (by the decision day with ``decision``), rotations by the day they were done,
    proposals and exits by their day."""

    unit: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    decision: str = ""


def _team_q(user, filters: TeamFilters | None, day: str) -> Q:
    if filters is None:
        return Q()
    q = _dated(day, filters.start, filters.end)
    if filters.unit:
        q &= unit_filter_q(user, Cap.TALENT_TEAM, filters.unit)
    return q


def candidate_list(*, user, decision: str = "", filters: TeamFilters | None = None):
    qs = ReserveCandidate.objects.filter(person__in=_team_people(user))
    decision = decision or (filters.decision if filters else "")
    if decision:
        qs = qs.filter(decision=decision)
    day = "decided_on" if filters and filters.decision else "on"
    return qs.filter(_team_q(user, filters, day)).select_related(
        "person", "person__unit").order_by(*RECORD_ORDER)


def candidate_get_for_user(user, pk, *, write: bool = False) -> ReserveCandidate:
    return get_for_user(candidate_list(user=user), pk, write=write, may_write=True)


def proposal_list(*, user, filters: TeamFilters | None = None):
    return PromotionProposal.objects.filter(
        _team_q(user, filters, "on"), person__in=_team_people(user)).select_related(
        "person", "person__unit").order_by(*RECORD_ORDER)


def proposal_get_for_user(user, pk, *, write: bool = False) -> PromotionProposal:
    return get_for_user(proposal_list(user=user), pk, write=write, may_write=True)


def rotation_list(*, user, filters: TeamFilters | None = None):
    qs = Rotation.objects.filter(person__in=_team_people(user))
    if filters and (filters.start or filters.end):
        # The figure counts rotations done in the period; one only planned is not yet.
        qs = qs.filter(done_on__isnull=False)
    return qs.filter(_team_q(user, filters, "done_on")).select_related(
        "person", "from_unit", "to_unit").order_by(*RECORD_ORDER)


def rotation_get_for_user(user, pk, *, write: bool = False) -> Rotation:
    return get_for_user(rotation_list(user=user), pk, write=write, may_write=True)


def exit_list(*, user, filters: TeamFilters | None = None):
    return Exit.objects.filter(_team_q(user, filters, "on"),
                               person__in=_team_people(user)).select_related(
        "person", "person__unit").order_by(*RECORD_ORDER)


def team_people_to_choose(*, user, org_cadres: bool = True):
    qs = people_in_scope(user, Cap.TALENT_TEAM).filter(is_active=True)
    if org_cadres:
        qs = qs.filter(category=PersonCategory.ORG_CADRE).exclude(
            pk__in=Exit.objects.values("person"))
    return qs.select_related("unit").order_by("unit_path", "name", "pk")


def sections_to_choose(*, user):
    """The sections of the user's departments (rotation targets)."""
    depts = manage_departments(user=user, cap=Cap.TALENT_TEAM)
    q = Q(pk__in=[])
    for d in depts:
        q |= subtree_q("path", d.path)
    return OrgUnit.objects.filter(q, kind=UnitKind.SECTION).order_by("path")


def team_structure(*, user, department, on: dt.date, unit: OrgUnit | None = None) -> dict:
    """The department's organization cadres in post on ``on`` (those who left before are
    out): age, education and years in post, with the reserve pool's and the moves'
    counts of the year. A handful of queries whatever the size. With ``unit`` (one the
    user sees, :func:`unit_filter`), the people of that unit only."""
    department = department_get_for_user(user, department.pk if department else None,
                                         Cap.TALENT_TEAM, own=True)
    left = Exit.objects.filter(on__lte=on).values("person")
    of = Q(subtree_q("unit_path", unit.path)) if unit is not None else Q()
    people = Person.objects.filter(of, subtree_q("unit_path", department.path),
                                   category=PersonCategory.ORG_CADRE, is_active=True,
                                   pk__in=_team_people(user)).exclude(pk__in=left)
    rows = [(p.birth_date, p.ft_education.name if p.ft_education_id else "",
             p.joined_on or p.work_start_date)
            for p in people.select_related("ft_education")]
    year = on.year
    pool = ReserveCandidate.objects.filter(department=department)
    if unit is not None:
        pool = pool.filter(subtree_q("person__unit_path", unit.path))
    return {"department": department, "on": on, **rules.structure(rows, on),
            "pool": pool.filter(decision="pending").count(),
            "accepted": pool.filter(decided_on__year=year, decision="accepted").count(),
            "rotations": Rotation.objects.filter(person__in=people.values("pk"),
                                                 on__year=year).count(),
            "exits": Exit.objects.filter(on__year=year, person__in=Person.objects.filter(
                of, subtree_q("unit_path", department.path)).values("pk")).count()}


def team_departments(*, user) -> list[OrgUnit]:
    if not has_cap(user, Cap.TALENT_TEAM):
        raise PermissionDenied
    return departments_for(user, Cap.TALENT_TEAM)
