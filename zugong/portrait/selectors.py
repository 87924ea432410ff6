"""Reads of the portrait: the rules, the people in scope, and each portrait computed from
the records through the metrics registry (one grouped query per source, whatever the
number of people or years) and, for a source that is no metric, a registry hook."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import pgettext

from zugong.core import metrics, registry
from zugong.people.models import OrgUnit, Person, PersonCategory

from . import score
from .access import (
    Cap,
    department_get_for_user,
    departments_for,
    has_cap,
    may_edit_defaults,
    person_for_filter,
    require_cap,
    scope_q,
)
from .models import Dimension, FiveType, SourceRule, TypeRule

YEARS_SHOWN = 3  # the trend's span: the chosen year and the two before it
HOOK_PREFIX = "hook:"
PERSON_ORDER = ("unit_path", "name", "id")
COMPARE_MAX = 6


# ---------------------------------------------------------------- rule sets
#
# A rule set belongs to a department (its own rows) or is the installation's default (rows
# without a department). A person is scored by the set of the nearest department at or
# above their unit that has one, else by the default; a department's page shows the same
# set, so what a head edits is what their people are scored by.


def _ancestor_paths(path: str) -> list[str]:
    """The paths of a unit and of every unit above it (materialised path prefixes)."""
    step = OrgUnit.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def _owner_for(path: str, owners: dict[str, int]) -> int | None:
    """The id of the deepest unit at or above ``path`` among ``owners`` (path -> id)."""
    for prefix in reversed(_ancestor_paths(path)):
        if prefix in owners:
            return owners[prefix]
    return None


@dataclass(frozen=True)
class RuleSet:
    """The set in force for a department: whose rows they are (None: the defaults) and
    whether they are the department's own."""

    department: OrgUnit | None  # the department the page is about; None: the default page
    owner: OrgUnit | None  # whose rows are in force; None: the installation's defaults

    @property
    def own(self) -> bool:
        return self.department is not None and self.owner is not None \
            and self.owner.pk == self.department.pk

    @property
    def inherited(self) -> bool:
        """In force from a department above, not the department's own nor the defaults."""
        return self.owner is not None and not self.own


def _set_in_force(model, department: OrgUnit | None) -> RuleSet:
    if department is None:
        return RuleSet(department=None, owner=None)
    owners = dict(model.objects.filter(department__path__in=_ancestor_paths(department.path))
                  .values_list("department__path", "department_id").distinct())
    owner_id = _owner_for(department.path, owners)
    owner = None
    if owner_id is not None:
        owner = department if owner_id == department.pk else OrgUnit.objects.get(pk=owner_id)
    return RuleSet(department=department, owner=owner)


def ruleset_in_force(department: OrgUnit | None) -> RuleSet:
    """The source rules in force for a department (None: the default set itself)."""
    return _set_in_force(SourceRule, department)


def rules_of(ruleset: RuleSet) -> list[SourceRule]:
    return list(SourceRule.objects.filter(department=ruleset.owner))


def ruleset_for_user(user, department_pk) -> RuleSet:
    """A department's rules as its rule page shows them: 404 for a department outside the
    user's ``portrait.rules`` departments, 403 without the capability."""
    return ruleset_in_force(department_get_for_user(user, department_pk, Cap.PORTRAIT_RULES))


def default_ruleset_for_user(user, *, write: bool = False) -> RuleSet:
    """The default set: read by every holder of ``portrait.rules`` (the sets start from
    it), changed only by the installation's top department (403 for the others)."""
    require_cap(user, Cap.PORTRAIT_RULES)
    if write and not may_edit_defaults(user):
        raise PermissionDenied
    return RuleSet(department=None, owner=None)


def rule_get_for_user(user, pk, ruleset: RuleSet) -> SourceRule:
    """One rule of the set in force on the page (404 for any other id)."""
    require_cap(user, Cap.PORTRAIT_RULES)
    rule = None
    if str(pk).isdigit():
        rule = SourceRule.objects.filter(pk=int(pk), department=ruleset.owner).first()
    if rule is None:
        raise Http404
    return rule


def rule_departments(user) -> list[OrgUnit]:
    """The departments whose rules the user may open (for the page's switcher)."""
    return departments_for(user, Cap.PORTRAIT_RULES)


def source_label(source: str) -> tuple[str, str]:
    """(label, unit) of a rule's source as the registry names it."""
    if source.startswith(HOOK_PREFIX):
        return source[len(HOOK_PREFIX):], ""
    if metrics.exists(source):
        metric = metrics.get(source)
        return str(metric.label), str(metric.unit)
    return source, ""


def source_known(source: str) -> bool:
    if source.startswith(HOOK_PREFIX):
        return registry.hook(source[len(HOOK_PREFIX):]) is not None
    return metrics.exists(source)


# ---------------------------------------------------------------- people


@dataclass(frozen=True)
class PersonFilters:
    category: str = ""
    q: str = ""


def person_list(*, user, filters: PersonFilters):
    """The cadres whose portraits the user may read (org cadres and managed cadres)."""
    q = scope_q(user, Cap.PORTRAIT_VIEW, kind="person")
    if q is None:
        raise PermissionDenied
    qs = Person.objects.filter(q).select_related("unit")
    if filters.category in PersonCategory.values:
        qs = qs.filter(category=filters.category)
    if filters.q:
        qs = qs.filter(Q(name__contains=filters.q) | Q(post__contains=filters.q))
    return qs


def person_for_portrait(*, user, pk) -> Person:
    """A cadre in scope; 404 for anyone else, as for an id that does not exist."""
    if not has_cap(user, Cap.PORTRAIT_VIEW):
        raise PermissionDenied
    return person_for_filter(user, Cap.PORTRAIT_VIEW, pk)


def people_for_compare(*, user, ids) -> list[Person]:
    """The cadres to set side by side, in the order given. One id out of scope (or not a
    number) answers 404 for the whole page, which names nobody."""
    if not has_cap(user, Cap.PORTRAIT_VIEW):
        raise PermissionDenied
    wanted = []
    for raw in ids:
        if not str(raw).isdigit():
            raise Http404
        if int(raw) not in wanted:
            wanted.append(int(raw))
    wanted = wanted[:COMPARE_MAX]
    q = scope_q(user, Cap.PORTRAIT_VIEW, kind="person")
    found = {p.pk: p for p in Person.objects.filter(q, pk__in=wanted).select_related("unit")}
    if len(found) != len(wanted):
        raise Http404
    return [found[pk] for pk in wanted]


# ---------------------------------------------------------------- portraits


@dataclass
class SourceLine:
    """One source of one dimension in one year, as the user may see it."""

    rule_id: int
    source: str
    label: str
    unit: str
    weight: Decimal
    target: Decimal
    direction: str
    sensitive: bool
    hidden: bool  # sensitive and the user lacks the rule's capability: no value, no link
    value: Decimal | None
    part: Decimal | None
    counted: bool
    url: str
    known: bool = True


@dataclass
class DimensionResult:
    key: str
    label: str
    score: Decimal | None
    lines: list[SourceLine] = field(default_factory=list)


@dataclass
class Portrait:
    person: Person
    year: int
    years: list[int]
    dimensions: list[DimensionResult]
    trend: dict[str, list[Decimal | None]]  # dimension key -> score per year of ``years``
    # Whose rule set scored this person: a department, or None for the defaults.
    rules_owner: OrgUnit | None = None

    @property
    def rules_label(self) -> str:
        return ruleset_label(self.rules_owner)

    @property
    def hidden_any(self) -> bool:
        return any(line.hidden for d in self.dimensions for line in d.lines)

    @property
    def trend_rows(self) -> list[tuple[str, str, list[tuple[int, Decimal | None]]]]:
        """(dimension key, label, [(year, score)…]) for the trend table."""
        return [(key, str(label), list(zip(self.years, self.trend[key], strict=True)))
                for key, label in Dimension.choices]

    def chart(self) -> dict:
        """What the radar and trend charts draw (json_script; no inline script)."""
        return {
            "name": self.person.name,
            "year": self.year,
            "dimensions": [str(label) for _k, label in Dimension.choices],
            "scores": [_num(d.score) for d in self.dimensions],
            "years": self.years,
            "trend": [{"name": str(label), "data": [_num(v) for v in self.trend[key]]}
                      for key, label in Dimension.choices],
        }


def ruleset_label(owner: OrgUnit | None) -> str:
    if owner is None:
        return pgettext("portrait", "the default rules")
    return pgettext("portrait", "the rules of %(department)s") % {"department": owner.name}


def _num(value):
    return None if value is None else float(value)


def year_window(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _values(rules, ids: list[int], years: list[int]) -> dict[str, dict[tuple[int, int], Decimal]]:
    """source -> {(person id, year): value}; a missing key means no records that year."""
    start, end = dt.date(years[0], 1, 1), dt.date(years[-1], 12, 31)
    out: dict[str, dict[tuple[int, int], Decimal]] = {}
    for source in {r.source for r in rules}:
        values: dict[tuple[int, int], Decimal] = {}
        if source.startswith(HOOK_PREFIX):
            fn = registry.hook(source[len(HOOK_PREFIX):])
            for year in years if fn else ():
                for pid, got in fn(ids, *year_window(year)).items():
                    values[(pid, year)] = Decimal(len(got) if isinstance(got, (list, tuple))
                                                  else got)
        elif metrics.exists(source):
            for (pid, key), value in metrics.get(source).totals(
                    people=ids, start=start, end=end, by="year").items():
                values[(pid, int(key))] = value
        out[source] = values
    return out


def _detail_ids(user, rules, ids: list[int]) -> dict[str, set[int]]:
    """For each capability sensitive rules name: the people whose detail the user sees
    (one query per capability)."""
    out: dict[str, set[int]] = {}
    for cap in {r.detail_cap for r in rules if r.sensitive}:
        q = scope_q(user, cap, kind="person") if cap else None
        out[cap] = set() if q is None else set(
            Person.objects.filter(q, pk__in=ids).values_list("pk", flat=True))
    return out


def _dimension(key, label, rules, values, detail, person, year) -> DimensionResult:
    lines, parts = [], []
    for rule in rules:
        if rule.dimension != key:
            continue
        value = values[rule.source].get((person.pk, year))
        part = score.part_of(value, target=rule.target, direction=rule.direction,
                             absent_is_zero=rule.absent_is_zero)
        parts.append((part, rule.weight))
        hidden = rule.sensitive and person.pk not in detail.get(rule.detail_cap, set())
        text, unit = source_label(rule.source)
        url = ""
        if not hidden and metrics.exists(rule.source):
            url = metrics.get(rule.source).records_url(person_id=person.pk,
                                                       start=dt.date(year, 1, 1),
                                                       end=dt.date(year, 12, 31))
        lines.append(SourceLine(
            rule_id=rule.pk, source=rule.source, label=text, unit=unit, weight=rule.weight,
            target=rule.target, direction=rule.direction, sensitive=rule.sensitive,
            hidden=hidden, value=None if hidden else value,
            part=None if hidden else score.rounded(part), counted=part is not None,
            url=url, known=source_known(rule.source)))
    return DimensionResult(key=key, label=str(label), score=score.dimension_score(parts),
                           lines=lines)


def _rules_by_person(people: list[Person]
                     ) -> tuple[dict[int, OrgUnit | None], dict[int | None, list[SourceRule]]]:
    """Each person's rule-set owner, and the rules in force of each owner (one query).

    A department's set is its own rows whether or not they are active: a department that
    switched every source of a dimension off has still chosen its own set."""
    paths = {prefix for p in people for prefix in _ancestor_paths(p.unit_path)}
    rows = SourceRule.objects.filter(Q(department__isnull=True) | Q(department__path__in=paths)
                                     ).select_related("department")
    by_owner: dict[int | None, list[SourceRule]] = {None: []}
    owners: dict[str, int] = {}
    units: dict[int, OrgUnit] = {}
    for rule in rows:
        by_owner.setdefault(rule.department_id, [])
        if rule.active:
            by_owner[rule.department_id].append(rule)
        if rule.department_id is not None:
            owners[rule.department.path] = rule.department_id
            units[rule.department_id] = rule.department
    owner_of = {}
    for person in people:
        owner_id = _owner_for(person.unit_path, owners)
        owner_of[person.pk] = units[owner_id] if owner_id is not None else None
    return owner_of, by_owner


def portraits(*, user, people: list[Person], year: int,
              span: int = YEARS_SHOWN) -> list[Portrait]:
    """The portraits of people the caller already fetched through the user's scope, each
    scored by the rule set of the person's department (see ``_rules_by_person``)."""
    owner_of, by_owner = _rules_by_person(people)
    used = [r for owner in {o.pk if o else None for o in owner_of.values()}
            for r in by_owner[owner]]
    years = list(range(year - span + 1, year + 1))
    ids = [p.pk for p in people]
    # Every source of every set used is read once for all the people and years.
    values = _values(used, ids, years)
    detail = _detail_ids(user, used, ids)
    out = []
    for person in people:
        owner = owner_of[person.pk]
        rules = by_owner[owner.pk if owner else None]
        trend: dict[str, list[Decimal | None]] = {key: [] for key in Dimension.values}
        shown: list[DimensionResult] = []
        for y in years:
            for key, label in Dimension.choices:
                result = _dimension(key, label, rules, values, detail, person, y)
                trend[key].append(result.score)
                if y == year:
                    shown.append(result)
        out.append(Portrait(person=person, year=year, years=years, dimensions=shown,
                            trend=trend, rules_owner=owner))
    return out


def portrait(*, user, person: Person, year: int) -> Portrait:
    return portraits(user=user, people=[person], year=year)[0]


# ---------------------------------------------------------------- 五型机关 (M17)

# The department's own rating (M17): each of the five types is a headline figure, the sum
# of one or more registered metrics (in one unit) over the department's people. Which
# metrics is data (TypeRule), per department like the source rules.


def typeset_in_force(department: OrgUnit | None) -> RuleSet:
    return _set_in_force(TypeRule, department)


def type_rules_of(ruleset: RuleSet) -> list[TypeRule]:
    """The set's five rows in the order of FiveType (a type without a row: no keys)."""
    rows = {r.kind: r for r in TypeRule.objects.filter(department=ruleset.owner)}
    return [rows.get(kind) or TypeRule(department=ruleset.owner, kind=kind, metric_keys=[])
            for kind in FiveType.values]


def typeset_for_user(user, department_pk) -> RuleSet:
    """A department's mapping as its page shows it (as ``ruleset_for_user``)."""
    return typeset_in_force(department_get_for_user(user, department_pk, Cap.PORTRAIT_RULES))


def type_rule_get_for_user(user, kind, ruleset: RuleSet) -> TypeRule:
    """One type's row of the mapping in force on the page (404 for an unknown type)."""
    require_cap(user, Cap.PORTRAIT_RULES)
    if kind not in FiveType.values:
        raise Http404
    return next(r for r in type_rules_of(ruleset) if r.kind == kind)


def metric_labels(keys) -> list[tuple[str, str, bool]]:
    """(key, label, registered) of each key, for the mapping pages."""
    return [(key, str(metrics.get(key).label) if metrics.exists(key) else key,
             metrics.exists(key)) for key in keys]


@dataclass
class HeadlinePart:
    metric_key: str
    label: str
    value: Decimal
    url: str


@dataclass
class Headline:
    key: str
    label: str
    unit: str
    value: Decimal
    parts: list[HeadlinePart]

    @property
    def url(self) -> str:
        """The records behind the figure when it has a single metric (the card's link)."""
        return self.parts[0].url if len(self.parts) == 1 else ""

    @property
    def metric_label(self) -> str:
        return "、".join(p.label for p in self.parts)


def department_figures(*, user, department, year: int,
                       ruleset: RuleSet | None = None) -> list[Headline]:
    """The five headline figures of the department's people for the year, by the mapping
    in force for the department, each metric with the link to its records. A metric no app
    registers any more is left out; a type with none left is not shown."""
    q = scope_q(user, Cap.PORTRAIT_VIEW, kind="person")
    if q is None:
        raise PermissionDenied
    ruleset = ruleset or typeset_in_force(department)
    people = Person.objects.filter(q, Q(unit__department=department) | Q(unit=department))
    start, end = year_window(year)
    out = []
    for rule in type_rules_of(ruleset):
        parts, unit = [], ""
        for key in rule.metric_keys:
            if not metrics.exists(key):
                continue
            metric = metrics.get(key)
            total = sum(metric.totals(people=people, start=start, end=end).values(),
                        Decimal(0))
            unit = str(metric.unit)
            parts.append(HeadlinePart(metric_key=key, label=str(metric.label),
                                      value=metric.quantize(total),
                                      url=metric.records_url(start=start, end=end)))
        if parts:
            out.append(Headline(key=rule.kind, label=str(rule.get_kind_display()), unit=unit,
                                value=sum((p.value for p in parts), Decimal(0)), parts=parts))
    return out
