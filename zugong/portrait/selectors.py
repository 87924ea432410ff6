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
from django.utils.translation import pgettext_lazy

from zugong.core import metrics, registry
from zugong.people.models import Person, PersonCategory

from . import score
from .access import Cap, has_cap, person_for_filter, require_cap, scope_q
from .models import Dimension, SourceRule

YEARS_SHOWN = 3  # the trend's span: the chosen year and the two before it
HOOK_PREFIX = "hook:"
PERSON_ORDER = ("unit_path", "name", "id")
COMPARE_MAX = 6


# ---------------------------------------------------------------- rules


def rule_list() -> list[SourceRule]:
    return list(SourceRule.objects.all())


def rule_get_for_user(user, pk) -> SourceRule:
    require_cap(user, Cap.PORTRAIT_RULES)
    rule = SourceRule.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if rule is None:
        raise Http404
    return rule


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


def portraits(*, user, people: list[Person], year: int,
              span: int = YEARS_SHOWN) -> list[Portrait]:
    """The portraits of people the caller already fetched through the user's scope."""
    rules = [r for r in rule_list() if r.active]
    years = list(range(year - span + 1, year + 1))
    ids = [p.pk for p in people]
    values = _values(rules, ids, years)
    detail = _detail_ids(user, rules, ids)
    out = []
    for person in people:
        trend: dict[str, list[Decimal | None]] = {key: [] for key in Dimension.values}
        shown: list[DimensionResult] = []
        for y in years:
            for key, label in Dimension.choices:
                result = _dimension(key, label, rules, values, detail, person, y)
                trend[key].append(result.score)
                if y == year:
                    shown.append(result)
        out.append(Portrait(person=person, year=year, years=years, dimensions=shown,
                            trend=trend))
    return out


def portrait(*, user, person: Person, year: int) -> Portrait:
    return portraits(user=user, people=[person], year=year)[0]


# ---------------------------------------------------------------- 五型机关 (M17)

# The department's own rating (M17): each of the five types is a headline figure, summed
# over the department's people, read from the metrics registry.
FIVE_TYPES = (
    ("learning", pgettext_lazy("five types", "Learning"), "learning.study_hours"),
    ("clean", pgettext_lazy("five types", "Clean"), "supervision.package_items_done"),
    ("service", pgettext_lazy("five types", "Service"), "service.problems_solved"),
    ("innovative", pgettext_lazy("five types", "Innovative"), "projects.declared"),
    ("harmonious", pgettext_lazy("five types", "Harmonious"), "care.participations"),
)


@dataclass
class Headline:
    key: str
    label: str
    metric_key: str
    metric_label: str
    unit: str
    value: Decimal
    url: str


def department_figures(*, user, department, year: int) -> list[Headline]:
    """The five headline figures of the department's people for the year, each with the
    link to its records."""
    q = scope_q(user, Cap.PORTRAIT_VIEW, kind="person")
    if q is None:
        raise PermissionDenied
    people = Person.objects.filter(q, Q(unit__department=department) | Q(unit=department))
    start, end = year_window(year)
    out = []
    for key, label, metric_key in FIVE_TYPES:
        if not metrics.exists(metric_key):
            continue
        metric = metrics.get(metric_key)
        total = sum(metric.totals(people=people, start=start, end=end).values(), Decimal(0))
        out.append(Headline(key=key, label=str(label), metric_key=metric_key,
                            metric_label=str(metric.label),
                            unit=str(metric.unit), value=metric.quantize(total),
                            url=metric.records_url(start=start, end=end)))
    return out
