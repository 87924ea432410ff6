"""Reads of figures: any unit and period over the people in the reader's scope, the
dashboards' breakdowns, and roll-ups from the summaries. Every function takes the user."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core import metrics
from zugong.core.periods import Period, PeriodKind, add_months
from zugong.people.models import OrgUnit, Person, UnitKind

from .access import (
    Cap,
    covers_subtree,
    department_get_for_user,
    has_cap,
    scope_q,
    subtree_q,
    unit_for_filter,
)
from .models import Aggregation, Figure, FigureSummary, ReportTemplate, Rollup

RANGE_SEP = ".."
# The memo scope of the catalogue of figures (``core.memo``): the services bump it on every
# edit of a figure, so figures kept for the workbench follow an edited catalogue at once.
CATALOGUE_SCOPE = "reports:catalogue"


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Span:
    """A closed interval of days named by a period key or a range of two ("2026-01..2026-06")."""

    start: dt.date
    end: dt.date
    key: str
    label: str
    kind: str  # the kind of the period(s) it was named by

    def previous_year(self) -> Span:
        start, end = add_months(self.start, -12), add_months(self.end, -12)
        first, last = (Period.containing(self.kind, start), Period.containing(self.kind, end))
        key = first.key if first == last else f"{first.key}{RANGE_SEP}{last.key}"
        return span_of(key)

    @property
    def year(self) -> int:
        return self.start.year


def span_of(text: str | None, *, today: dt.date | None = None) -> Span:
    """The span a ``period`` parameter names; the current year when empty. A bad key or a
    range that ends before it starts raises ValidationError with a Chinese message."""
    today = today or timezone.localdate()
    text = (text or "").strip()
    if not text:
        text = str(today.year)
    parts = text.split(RANGE_SEP)
    try:
        if len(parts) > 2:
            raise ValueError(text)
        periods = [Period.parse(part) for part in parts]
    except ValueError:
        raise ValidationError({"period": _(
            "Not a period: use 2026, 2026-H1, 2026-Q3, 2026-05, 2026-W20, 2026-05-04 or a "
            "range such as 2026-01..2026-06.")}) from None
    first, last = periods[0], periods[-1]
    if last.end < first.start:
        raise ValidationError({"period": _("The range ends before it starts.")})
    if len(periods) == 1:
        return Span(first.start, first.end, first.key, str(first.label), first.kind)
    return Span(first.start, last.end, f"{first.key}{RANGE_SEP}{last.key}",
                f"{first.label} – {last.label}", first.kind)


# ---------------------------------------------------------------- units


def default_unit(user) -> OrgUnit:
    """The unit a reader's figures open on: their department when they see it, else their
    own unit (a section chief's section, a cadre's own unit)."""
    if not has_cap(user, Cap.REPORTS_VIEW):
        raise PermissionDenied
    person = getattr(user, "person", None)
    q = scope_q(user, Cap.REPORTS_VIEW, kind="unit")
    if person is not None and person.unit.department_id and \
            OrgUnit.objects.filter(q, pk=person.unit.department_id).exists():
        return person.unit.department
    if person is not None:
        return person.unit
    return department_get_for_user(user, None, Cap.REPORTS_VIEW, own=False)


def unit_for_user(user, pk) -> OrgUnit:
    """The unit a ``unit`` parameter names (404 outside the reader's scope, as missing)."""
    if not has_cap(user, Cap.REPORTS_VIEW):
        raise PermissionDenied
    if pk in (None, ""):
        return default_unit(user)
    return unit_for_filter(user, Cap.REPORTS_VIEW, pk)


def person_for_user(user, pk) -> Person:
    if not has_cap(user, Cap.REPORTS_VIEW):
        raise PermissionDenied
    q = scope_q(user, Cap.REPORTS_VIEW, kind="person")
    person = None
    if str(pk).isdigit():
        person = Person.objects.filter(q, pk=int(pk)).select_related("unit").first()
    if person is None:
        raise Http404
    return person


def _children(unit: OrgUnit):
    return OrgUnit.objects.filter(subtree_q("path", unit.path),
                                  depth=unit.depth + 1).order_by("path")


def units_below(user, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's children in the reader's scope, in the tree's order."""
    q = scope_q(user, Cap.REPORTS_VIEW, kind="unit")
    return list(_children(unit).filter(q))


# ---------------------------------------------------------------- figures


@dataclass
class FigureValue:
    key: str
    label: str
    value: Decimal
    unit: str
    records_url: str
    group: str = ""
    headline: bool = False
    previous: Decimal | None = None
    figure: Figure | None = field(default=None, repr=False)

    @property
    def change(self) -> Decimal | None:
        if self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_pct(self) -> Decimal | None:
        if not self.previous:
            return None
        return ((self.value - self.previous) * 100 / self.previous).quantize(Decimal("0.1"))

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "value": self.value,
                "unit": self.unit, "records_url": self.records_url}


def catalogue(*, user, headline: bool = False) -> list[Figure]:
    if not has_cap(user, Cap.REPORTS_VIEW):
        raise PermissionDenied
    qs = Figure.objects.all()
    if headline:
        qs = qs.filter(headline=True)
    return [f for f in qs if all(metrics.exists(k) for k in f.metric_keys)]


def records_url(figure: Figure, *, span: Span, unit: OrgUnit | None = None,
                person: Person | None = None) -> str:
    """The list page of the records behind a figure, filtered on the unit (or person) and
    the span: the first metric's list unless the figure names its own page."""
    extra = {"unit": unit.pk if unit is not None and person is None else None}
    if figure.records_view:
        try:
            base = reverse(figure.records_view)
        except NoReverseMatch:
            return ""
        from urllib.parse import urlencode

        params = dict(figure.records_params)
        params.update({"start": span.start.isoformat(), "end": span.end.isoformat()})
        if person is not None:
            params["person"] = person.pk
        elif unit is not None:
            params["unit"] = unit.pk
        return f"{base}?{urlencode(params)}"
    metric = metrics.get(figure.metric_keys[0])
    return metric.records_url(person_id=person.pk if person else None, start=span.start,
                              end=span.end, **extra)


def _people(user, *, unit: OrgUnit | None, person: Person | None):
    q = scope_q(user, Cap.REPORTS_VIEW, kind="person")
    if q is None:
        raise PermissionDenied
    qs = Person.objects.filter(q)
    if person is not None:
        return qs.filter(pk=person.pk)
    return qs.filter(subtree_q("unit_path", unit.path))


def _values(figures, *, people, span: Span) -> tuple[dict, dict]:
    """Per figure key: the value, and the per-person values (for the breakdowns).

    One grouped query per (metric, audience) pair whatever the number of people.
    """
    cache: dict[tuple[str, str], dict[int, Decimal]] = {}
    values: dict[str, Decimal] = {}
    by_person: dict[str, dict[int, Decimal]] = {}
    for figure in figures:
        per_person: dict[int, Decimal] = defaultdict(Decimal)
        for key in figure.metric_keys:
            if (key, figure.audience) not in cache:
                group = people.filter(category=figure.audience) if figure.audience else people
                totals = metrics.get(key).totals(people=group, start=span.start, end=span.end)
                cache[(key, figure.audience)] = {pk: v for (pk, _b), v in totals.items()}
            for pk, v in cache[(key, figure.audience)].items():
                per_person[pk] += v
        by_person[figure.key] = dict(per_person)
        if figure.aggregation == Aggregation.PEOPLE:
            values[figure.key] = Decimal(sum(1 for v in per_person.values() if v > 0))
        else:
            values[figure.key] = sum(per_person.values(), Decimal(0))
    return values, by_person


def _normal(value: Decimal) -> Decimal:
    """2.00 reads 2; 1.50 reads 1.5."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def figure_values(*, user, span: Span, unit: OrgUnit | None = None,
                  person: Person | None = None, figures: list[Figure] | None = None,
                  compare: bool = False) -> list[FigureValue]:
    """Every figure (or those given) for a unit's subtree or one person, over the span,
    counted over the people the reader may see; with ``compare`` the same span a year
    earlier too."""
    figures = catalogue(user=user) if figures is None else figures
    people = _people(user, unit=unit, person=person)
    values, _per = _values(figures, people=people, span=span)
    previous = _values(figures, people=people, span=span.previous_year())[0] \
        if compare else {}
    return [FigureValue(key=f.key, label=f.label, value=_normal(values[f.key]), unit=f.unit,
                        records_url=records_url(f, span=span, unit=unit, person=person),
                        group=f.group, headline=f.headline,
                        previous=_normal(previous[f.key]) if compare else None, figure=f)
            for f in figures]


def figure_get(*, user, key: str) -> Figure:
    figure = next((f for f in catalogue(user=user) if f.key == key), None)
    if figure is None:
        raise Http404
    return figure


@dataclass
class Breakdown:
    """One figure split by the units below a unit, by person, and by month (the charts)."""

    figure: Figure
    units: list[dict]
    people: list[dict]
    months: list[dict]


def breakdown(*, user, figure: Figure, unit: OrgUnit, span: Span) -> Breakdown:
    people = _people(user, unit=unit, person=None)
    _values_, per_person = _values([figure], people=people, span=span)
    mine = per_person[figure.key]
    rows = {p.pk: p for p in Person.objects.filter(pk__in=[pk for pk, v in mine.items() if v])
            .select_related("unit")}
    by_unit: dict[int, Decimal] = defaultdict(Decimal)
    children = units_below(user, unit)
    for p in rows.values():
        child = next((c for c in children if p.unit_path.startswith(c.path)), None)
        if child is not None:
            by_unit[child.pk] += mine[p.pk] if figure.aggregation == Aggregation.SUM else 1
    unit_rows = [{"unit": c, "value": _normal(by_unit.get(c.pk, Decimal(0))),
                  "url": records_url(figure, span=span, unit=c)} for c in children]
    person_rows = sorted(
        ({"person": p, "value": _normal(mine[p.pk]),
          "url": records_url(figure, span=span, person=p)} for p in rows.values()),
        key=lambda r: (-r["value"], r["person"].unit_path, r["person"].name))
    months = []
    if span.end >= span.start:
        month = Period.containing(PeriodKind.MONTH, span.start)
        while month.start <= span.end:
            part = Span(max(month.start, span.start), min(month.end, span.end), month.key,
                        str(month.label), PeriodKind.MONTH)
            value = _values([figure], people=people, span=part)[0][figure.key]
            months.append({"key": month.key, "label": str(month.label), "value": _normal(value),
                           "url": records_url(figure, span=part, unit=unit)})
            month = month.next()
            if len(months) >= 24:
                break
    return Breakdown(figure=figure, units=unit_rows, people=person_rows, months=months)


# ---------------------------------------------------------------- roll-ups


@dataclass
class RollupTable:
    unit: OrgUnit
    children: list[OrgUnit]
    figures: list[Figure]
    # figure key -> [value per child, ...] and the total
    rows: list[dict]
    refreshed_at: dt.datetime | None


def rollup(*, user, unit: OrgUnit, span: Span) -> RollupTable:
    """The figures of each unit below ``unit`` side by side, and their total, read from the
    summaries (a year or one month; the records are not read)."""
    if span.kind not in (PeriodKind.YEAR, PeriodKind.MONTH) or RANGE_SEP in span.key:
        raise ValidationError({"period": _("A roll-up is for one year or one month.")})
    if not covers_subtree(user, unit):
        raise PermissionDenied
    figures = [f for f in catalogue(user=user) if f.rollup == Rollup.SUM]
    children = list(_children(unit))
    keys = sorted({k for f in figures for k in f.metric_keys})
    summaries = FigureSummary.objects.filter(
        unit__in=[c.pk for c in children], period=span.key, metric__in=keys).values_list(
        "unit_id", "metric", "category", "value", "people", "refreshed_at")
    cell: dict[tuple[int, str, str], tuple[Decimal, int]] = {}
    refreshed = None
    for unit_id, metric, category, value, people, at in summaries:
        cell[(unit_id, metric, category)] = (value, people)
        refreshed = at if refreshed is None or at > refreshed else refreshed
    rows = []
    for f in figures:
        categories = [f.audience] if f.audience else ["org_cadre", "managed"]
        per_child = []
        for c in children:
            total = Decimal(0)
            for key in f.metric_keys:
                for cat in categories:
                    value, people = cell.get((c.pk, key, cat), (Decimal(0), 0))
                    total += people if f.aggregation == Aggregation.PEOPLE else value
            per_child.append(_normal(total))
        rows.append({"figure": f, "values": per_child,
                     "cells": list(zip(children, per_child, strict=True)),
                     "total": _normal(sum(per_child, Decimal(0)))})
    return RollupTable(unit=unit, children=children, figures=figures, rows=rows,
                  refreshed_at=refreshed)


def rollup_units(user) -> list[OrgUnit]:
    """Departments whose whole subtree the reader sees and that have units below: the
    places a roll-up makes sense (a city, the province, a county over its sections)."""
    if not has_cap(user, Cap.REPORTS_VIEW):
        raise PermissionDenied
    q = scope_q(user, Cap.REPORTS_VIEW, kind="unit")
    depts = list(OrgUnit.objects.filter(q, kind=UnitKind.ORG_DEPT).order_by("path")[:200])
    return [d for d in depts if covers_subtree(user, d)]


# ---------------------------------------------------------------- annual report


def template_for(*, user, department: OrgUnit) -> ReportTemplate:
    if not has_cap(user, Cap.REPORTS_VIEW):
        raise PermissionDenied
    return (ReportTemplate.objects.filter(department=department).first()
            or ReportTemplate.objects.filter(department__isnull=True).first()
            or ReportTemplate(title="{unit}{year}年工作报告", body=""))
