"""Reads of innovation projects; every function takes the user whose scope applies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from zugong.core.access import get_for_user
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, UnitKind

from . import coverage
from .access import (
    Cap,
    department_get_for_user,
    departments_for,
    has_cap,
    may_classify,
    may_review_idea,
)
from .models import (
    RULE_DEFAULTS,
    Adoption,
    AdoptionLevel,
    FollowUp,
    Idea,
    IdeaKind,
    IdeaStatus,
    InnovationProject,
    ProjectRule,
    ProjectStatus,
    RuleKind,
)

ORDER = ("-declared_on", "-id")


@dataclass(frozen=True)
class Filters:
    status: str = ""
    category: str = ""
    year: int | None = None


def _departments(user) -> list[int]:
    return [d.pk for d in departments_for(user, Cap.PROJECTS_VIEW)]


def project_list(*, user, filters: Filters = Filters()):
    """The projects of the user's department(s) (403 without the capability)."""
    if not has_cap(user, Cap.PROJECTS_VIEW):
        raise PermissionDenied
    qs = InnovationProject.objects.filter(department_id__in=_departments(user))
    if filters.status in ProjectStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.year:
        qs = qs.filter(declared_on__year=filters.year)
    return qs.select_related("unit", "guiding_section", "declared_by").annotate(
        followup_count=Count("followups")).order_by(*ORDER)


def project_get_for_user(user, pk, *, write: bool = False) -> InnovationProject:
    """A project of the user's department; writing (classifying) needs the classify
    capability over the department (403)."""
    return get_for_user(project_list(user=user), pk, write=write,
                        may_write=lambda p: may_classify(user, p))


def followups_of(project) -> list[FollowUp]:
    return list(project.followups.select_related("person").order_by("-on", "-id"))


def department_for(*, user, pk=None) -> OrgUnit:
    return department_get_for_user(user, pk, Cap.PROJECTS_VIEW)


def declaring_units(department: OrgUnit):
    """Units that declare projects: the department's sections, and the sub-units (towns,
    Party committees, county units) under it."""
    return OrgUnit.objects.filter(subtree_q("path", department.path), kind__in=(
        UnitKind.SECTION, UnitKind.TOWN, UnitKind.PARTY_COMMITTEE, UnitKind.COUNTY_UNIT),
    ).order_by("path")


def sections_of(department: OrgUnit):
    return OrgUnit.objects.filter(subtree_q("path", department.path),
                                  kind=UnitKind.SECTION).order_by("path")


def rules_of(department: OrgUnit) -> coverage.Rules:
    values = dict(RULE_DEFAULTS)
    values.update(dict(ProjectRule.objects.filter(department=department).values_list(
        "kind", "minimum")))
    return coverage.Rules(monthly=values[RuleKind.MONTHLY], onsite=values[RuleKind.ONSITE])


def rule_rows(department: OrgUnit):
    stored = {r.kind: r for r in ProjectRule.objects.filter(department=department)}
    return [(kind, label, stored[kind].minimum if kind in stored else RULE_DEFAULTS[kind],
             stored.get(kind)) for kind, label in RuleKind.choices]


def _spans(projects) -> list[coverage.Span]:
    return [coverage.Span(p.pk, p.classified_on, p.finished_on) for p in projects
            if p.classified_on is not None]


def coverage_for(department: OrgUnit, *, year: int, as_of: dt.date) -> dict:
    """Each classified project's follow-ups and on-site guidance against the rules, and
    the department's totals: three queries whatever the number of projects."""
    projects = list(InnovationProject.objects.filter(
        Q(finished_on__isnull=True) | Q(finished_on__gte=dt.date(year, 1, 1)),
        department=department, classified_on__isnull=False,
        classified_on__lte=min(as_of, dt.date(year, 12, 31))).select_related(
        "guiding_section", "unit").order_by("guiding_section__path", "declared_on", "pk"))
    rows = list(FollowUp.objects.filter(project__in=[p.pk for p in projects],
                                        on__year=year, on__lte=as_of).values_list(
        "project_id", "kind", "on"))
    rules = rules_of(department)
    spans = _spans(projects)
    each = coverage.per_project(spans, rules=rules, year=year, as_of=as_of, followups=rows)
    return {"department": department, "rules": rules,
            "rows": [(p, each[p.pk]) for p in projects],
            "totals": coverage.coverage(spans, rules=rules, year=year, as_of=as_of,
                                        followups=rows)}


def coverage_page(*, user, year: int, as_of: dt.date, department=None) -> dict:
    if not has_cap(user, Cap.PROJECTS_VIEW):
        raise PermissionDenied
    return coverage_for(department or department_for(user=user), year=year, as_of=as_of)


def owed_now(*, as_of: dt.date) -> list[tuple[InnovationProject, bool, bool]]:
    """For the reminders: projects under way still owing this month's follow-up or this
    quarter's on-site guidance (project, owes follow-up, owes guidance)."""
    out = []
    for dept in OrgUnit.objects.filter(pk__in=InnovationProject.objects.filter(
            status=ProjectStatus.UNDER_WAY).values("department")).order_by("path"):
        data = coverage_for(dept, year=as_of.year, as_of=as_of)
        for project, cov in data["rows"]:
            if cov.monthly.owed_now or cov.onsite.owed_now:
                out.append((project, bool(cov.monthly.owed_now), bool(cov.onsite.owed_now)))
    return out


def idea_list(*, user, kind: str = "", status: str = ""):
    """The ideas and information items of the user's department(s)."""
    if not has_cap(user, Cap.PROJECTS_VIEW):
        raise PermissionDenied
    qs = Idea.objects.filter(department_id__in=_departments(user))
    if kind in IdeaKind.values:
        qs = qs.filter(kind=kind)
    if status in IdeaStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("person", "person__unit").order_by("-on", "-id")


def idea_get_for_user(user, pk, *, write: bool = False) -> Idea:
    return get_for_user(idea_list(user=user), pk, write=write,
                        may_write=lambda i: may_review_idea(user, i))


# ---------------------------------------------------------------- information adopted (M22)

WRITINGS_HOOK = "learning.writings"


def _writings(**kwargs) -> dict[int, dict]:
    """The learning app's information items and articles (hook ``learning.writings``);
    none when the learning app is not installed."""
    from zugong.core.registry import hook

    found = hook(WRITINGS_HOOK)
    return found(**kwargs) if found is not None else {}


def adoption_list(*, user, level: str = ""):
    """Adoptions of the information items of the user's department(s), newest first."""
    if not has_cap(user, Cap.PROJECTS_VIEW):
        raise PermissionDenied
    qs = Adoption.objects.filter(department_id__in=_departments(user))
    if level in AdoptionLevel.values:
        qs = qs.filter(level=level)
    return qs.select_related("person", "person__unit").order_by("-on", "-id")


def with_writings(rows) -> list[tuple[Adoption, dict | None]]:
    """Each adoption with its item as the learning app has it (one call for the page)."""
    rows = list(rows)
    found = _writings(ids={r.writing_id for r in rows}) if rows else {}
    return [(r, found.get(r.writing_id)) for r in rows]


def adoption_counts(*, user, year: int) -> list[tuple[str, str, int]]:
    """The year's adoptions per outlet level (level, label, count), every level listed."""
    counts = dict(adoption_list(user=user).filter(on__year=year).order_by()
                  .values_list("level").annotate(n=Count("id")))
    return [(v, label, counts.get(v, 0)) for v, label in AdoptionLevel.choices]


def writings_to_adopt(*, department: OrgUnit, since: dt.date) -> dict[int, dict]:
    """Information items and articles of the department's cadres written since ``since``,
    to choose from when recording an adoption."""
    from zugong.people.models import Person

    people = Person.objects.filter(subtree_q("unit_path", department.path)).values_list(
        "pk", flat=True)
    return _writings(person_ids=list(people), start=since)


def writing_for(writing_id) -> dict | None:
    return _writings(ids=[writing_id]).get(writing_id) if str(writing_id).isdigit() else None
