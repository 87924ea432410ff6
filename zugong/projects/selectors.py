"""Reads of innovation projects; every function takes the user whose scope applies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from zugong.core.access import get_for_user
from zugong.core.periods import Period, PeriodKind
from zugong.people.access import subtree_q, unit_filter_q, unit_for_filter
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
    FollowUpKind,
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
    """The projects list's filters. ``unit`` (a figure's link, 404 out of scope) keeps the
    projects its people declared; ``start``/``end`` bound the day of declaration, or the
    day of the award with ``awarded`` (the two figures of this list count by those)."""

    status: str = ""
    category: str = ""
    year: int | None = None
    unit: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    awarded: bool = False


def parse_day(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text or "")
    except ValueError:
        return None


def _departments(user) -> list[int]:
    return [d.pk for d in departments_for(user, Cap.PROJECTS_VIEW)]


def unit_of_filter(user, pk) -> OrgUnit | None:
    """The unit a page's ``?unit=`` names (a figure's link to its records); any id out of
    the user's scope answers 404, like a missing one, and is never named."""
    return unit_for_filter(user, Cap.PROJECTS_VIEW, pk) if pk else None


def _unit_q(user, unit, field: str) -> Q:
    return unit_filter_q(user, Cap.PROJECTS_VIEW, unit, field=field) if unit else Q()


def _dated(qs, field: str, start: dt.date | None, end: dt.date | None):
    if start:
        qs = qs.filter(**{f"{field}__gte": start})
    if end:
        qs = qs.filter(**{f"{field}__lte": end})
    return qs


def project_list(*, user, filters: Filters = Filters()):
    """The projects of the user's department(s) (403 without the capability)."""
    if not has_cap(user, Cap.PROJECTS_VIEW):
        raise PermissionDenied
    qs = InnovationProject.objects.filter(department_id__in=_departments(user))
    qs = qs.filter(_unit_q(user, filters.unit, "declared_by__unit_path"))
    if filters.status in ProjectStatus.values:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.year:
        qs = qs.filter(declared_on__year=filters.year)
    if filters.awarded:
        qs = _dated(qs.exclude(award=""), "awarded_on", filters.start, filters.end)
    else:
        qs = _dated(qs, "declared_on", filters.start, filters.end)
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


def coverage_for(department: OrgUnit, *, year: int, as_of: dt.date,
                 unit: OrgUnit | None = None) -> dict:
    """Each classified project's follow-ups and on-site guidance against the rules, and
    the department's totals: three queries whatever the number of projects.

    With ``unit`` (a figure's link for that unit) the page counts what the unit's figures
    count: the follow-ups and on-site guidance its people made in the year, and the
    judged project-months and project-quarters credited to them (``coverage.credits``,
    the figures ``projects.followed_up_on_time`` and ``projects.guided_on_time``); only the
    projects its people followed up, or that a section inside it guides, are listed.
    """
    projects = list(InnovationProject.objects.filter(
        Q(finished_on__isnull=True) | Q(finished_on__gte=dt.date(year, 1, 1)),
        department=department, classified_on__isnull=False,
        classified_on__lte=min(as_of, dt.date(year, 12, 31))).select_related(
        "guiding_section", "unit").order_by("guiding_section__path", "declared_on", "pk"))
    found = list(FollowUp.objects.filter(project__in=[p.pk for p in projects],
                                         on__year=year, on__lte=as_of).values_list(
        "project_id", "kind", "on", "person_id", "pk", "person__unit_path"))
    rows = [(project, kind, on) for project, kind, on, *_rest in found]
    rules = rules_of(department)
    data = {"department": department, "rules": rules, "unit": unit}
    if unit is not None:
        theirs = {r[3] for r in found if r[5] and r[5].startswith(unit.path)}
        judged = {kind: {(c.project, c.period) for c in coverage.credits(
            [(r[0], r[3], r[1], r[2], r[4]) for r in found], kind=kind,
            minimums=dict.fromkeys(
                (p.pk for p in projects),
                rules.monthly if kind == "monthly" else rules.onsite))
            if c.person in theirs and _ended(c, kind, as_of)} for kind in ("monthly", "onsite")}
        guided = {p.pk for p in projects if p.guiding_section is not None
                  and p.guiding_section.path.startswith(unit.path)}
        followed = {r[0] for r in found if r[3] in theirs}
        projects = [p for p in projects if p.pk in guided | followed]
        spans = _spans(projects)
        each = coverage.per_project(spans, rules=rules, year=year, as_of=as_of,
                                    followups=rows)
        for key, cov in each.items():
            cov.monthly.met = sum(1 for p, _k in judged["monthly"] if p == key)
            cov.onsite.met = sum(1 for p, _k in judged["onsite"] if p == key)
        totals = coverage.coverage(spans, rules=rules, year=year, as_of=as_of,
                                   followups=rows)
        totals.monthly.met = len(judged["monthly"])
        totals.onsite.met = len(judged["onsite"])
        data["made"] = {"followups": sum(1 for r in found if r[3] in theirs),
                        "onsite": sum(1 for r in found if r[3] in theirs
                                      and r[1] == FollowUpKind.ONSITE)}
    else:
        spans = _spans(projects)
        each = coverage.per_project(spans, rules=rules, year=year, as_of=as_of,
                                    followups=rows)
        totals = coverage.coverage(spans, rules=rules, year=year, as_of=as_of,
                                   followups=rows)
    return {**data, "rows": [(p, each[p.pk]) for p in projects], "totals": totals}


def _ended(credit, kind: str, as_of: dt.date) -> bool:
    """The page judges a period once it has ended (the figure counts it when met)."""
    return Period.containing(PeriodKind.MONTH if kind == "monthly" else PeriodKind.QUARTER,
                             credit.on).end < as_of


def coverage_page(*, user, year: int, as_of: dt.date, department=None, unit="") -> dict:
    if not has_cap(user, Cap.PROJECTS_VIEW):
        raise PermissionDenied
    return coverage_for(department or department_for(user=user), year=year, as_of=as_of,
                        unit=unit_of_filter(user, unit))


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


def idea_list(*, user, kind: str = "", status: str = "", unit: str = "",
              start: dt.date | None = None, end: dt.date | None = None):
    """The ideas and information items of the user's department(s). ``unit`` keeps those
    of its people (404 out of scope); ``start``/``end`` bound the day submitted, or the
    day adopted when listing the adopted ones (as the two figures count them)."""
    if not has_cap(user, Cap.PROJECTS_VIEW):
        raise PermissionDenied
    qs = Idea.objects.filter(department_id__in=_departments(user))
    qs = qs.filter(_unit_q(user, unit, "person__unit_path"))
    if kind in IdeaKind.values:
        qs = qs.filter(kind=kind)
    if status in IdeaStatus.values:
        qs = qs.filter(status=status)
    qs = _dated(qs, "adopted_on" if status == IdeaStatus.ADOPTED else "on", start, end)
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


def adoption_list(*, user, level: str = "", unit: str = "", start: dt.date | None = None,
                  end: dt.date | None = None):
    """Adoptions of the information items of the user's department(s), newest first;
    ``unit`` keeps those of its people's items (404 out of scope)."""
    if not has_cap(user, Cap.PROJECTS_VIEW):
        raise PermissionDenied
    qs = Adoption.objects.filter(department_id__in=_departments(user))
    qs = _dated(qs.filter(_unit_q(user, unit, "person__unit_path")), "on", start, end)
    if level in AdoptionLevel.values:
        qs = qs.filter(level=level)
    return qs.select_related("person", "person__unit").order_by("-on", "-id")


def with_writings(rows) -> list[tuple[Adoption, dict | None]]:
    """Each adoption with its item as the learning app has it (one call for the page)."""
    rows = list(rows)
    found = _writings(ids={r.writing_id for r in rows}) if rows else {}
    return [(r, found.get(r.writing_id)) for r in rows]


def adoption_counts(*, user, year: int, unit: str = "") -> list[tuple[str, str, int]]:
    """The year's adoptions per outlet level (level, label, count), every level listed."""
    counts = dict(adoption_list(user=user, unit=unit).filter(on__year=year).order_by()
                  .values_list("level").annotate(n=Count("id")))
    return [(v, label, counts.get(v, 0)) for v, label in AdoptionLevel.choices]


def writings_to_adopt(*, department: OrgUnit, since: dt.date) -> dict[int, dict]:
    """Information items and articles of the department's cadres written since ``since``,
    to choose from when recording an adoption."""
    from zugong.people.models import Person

    people = Person.objects.filter(subtree_q("unit_path", department.path)).values_list(
        "pk", flat=True)
    return _writings(person_ids=list(people), start=since)


def ideas_with_writings(rows) -> list[tuple[Idea, dict | None]]:
    """Each idea with the learning record a 好信息 names (one call for the page)."""
    rows = list(rows)
    ids = {r.writing_id for r in rows if r.writing_id}
    found = _writings(ids=ids) if ids else {}
    return [(r, found.get(r.writing_id) if r.writing_id else None) for r in rows]


def own_information(person) -> dict[int, dict]:
    """The cadre's own information items in the learning app not yet submitted as a
    好信息: what the submit form offers instead of a title and a text to type again."""
    found = {pk: w for pk, w in _writings(person_ids=[person.pk]).items()
             if w["kind"] == "info"}
    taken = set(Idea.objects.filter(writing_id__in=list(found)).values_list("writing_id",
                                                                            flat=True))
    return {pk: w for pk, w in found.items() if pk not in taken}


def writing_for(writing_id) -> dict | None:
    return _writings(ids=[writing_id]).get(writing_id) if str(writing_id).isdigit() else None
