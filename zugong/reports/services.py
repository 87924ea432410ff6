"""Writes of reports: the catalogue and the template (versioned edits), the roll-up
summaries, and the audit entries of exports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zugong.core import metrics
from zugong.core.audit import SYSTEM, audit_record
from zugong.core.memo import bump
from zugong.core.periods import Period, PeriodKind
from zugong.core.versioning import versioned_update
from zugong.people.models import OrgUnit, Person

from .access import Cap, has_cap
from .models import Figure, FigureSummary, ReportTemplate
from .selectors import CATALOGUE_SCOPE

FIGURE_FIELDS = ("label", "unit", "group", "metric_keys", "audience", "aggregation", "rollup",
                 "headline", "position", "records_view", "records_params")
TEMPLATE_FIELDS = ("title", "body")


def _require(by, cap):
    if by is not SYSTEM and not has_cap(by, cap):
        raise PermissionDenied


def figure_create(*, by, data: dict) -> Figure:
    _require(by, Cap.REPORTS_MANAGE)
    with transaction.atomic():
        figure = Figure(key=data["key"], **{f: data[f] for f in FIGURE_FIELDS if f in data})
        figure.full_clean()
        figure.save()
        audit_record(actor=by, action="reports.figure.create", obj=figure,
                     after={f: getattr(figure, f) for f in ("key", *FIGURE_FIELDS)})
        bump(CATALOGUE_SCOPE)
    return figure


def figure_update(*, by, figure: Figure, version, data: dict) -> Figure:
    """A figure's edit (its label, metrics, headline flag…); the workbench's kept figures
    follow it at once (``CATALOGUE_SCOPE``)."""
    _require(by, Cap.REPORTS_MANAGE)
    figure = versioned_update(figure, version=version,
                              changes={f: data[f] for f in FIGURE_FIELDS if f in data},
                              snapshot=FIGURE_FIELDS, by=by,
                              action="reports.figure.update").instance
    bump(CATALOGUE_SCOPE)
    return figure


def template_save(*, by, department: OrgUnit, version, title: str, body: str) -> ReportTemplate:
    """The department's own template: created from the default on its first edit."""
    _require(by, Cap.REPORTS_MANAGE)
    with transaction.atomic():
        mine = ReportTemplate.objects.filter(department=department).first()
        if mine is None:
            mine = ReportTemplate(department=department, title=title, body=body)
            mine.full_clean()
            mine.save()
            audit_record(actor=by, action="reports.reporttemplate.create", obj=mine,
                         after={"title": title, "department": department.pk})
            return mine
        return versioned_update(mine, version=version, changes={"title": title, "body": body},
                                snapshot=TEMPLATE_FIELDS, by=by,
                                action="reports.reporttemplate.update").instance


def export_logged(*, by, what: str, detail: dict) -> None:
    """One audit entry per download: figures leave the building in it."""
    audit_record(actor=by, action=f"reports.{what}.export", object_type=f"reports.{what}",
                 after=detail)


# ---------------------------------------------------------------- summaries

CATEGORIES = ("org_cadre", "managed")


def summary_metric_keys() -> list[str]:
    return sorted({k for f in Figure.objects.all() for k in f.metric_keys if metrics.exists(k)})


def _ancestors(path: str, steplen: int) -> list[str]:
    return [path[:n] for n in range(steplen, len(path) + 1, steplen)]


def summaries_refresh(*, by, year: int, keys: list[str] | None = None) -> int:
    """Recompute the summaries of one year: per unit (its whole subtree), metric, month and
    the year, by category; returns the number of rows written.

    One grouped query per metric (``Metric.totals`` by month over everyone), then the
    values are added up the tree in memory: a province's people are read once, not once
    per unit. The year's rows are replaced in one transaction, so a roll-up never reads a
    half-written year.
    """
    if by is not SYSTEM:
        _require(by, Cap.REPORTS_MANAGE)
    keys = keys if keys is not None else summary_metric_keys()
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    people = {pk: (path, cat) for pk, path, cat in
              Person.objects.values_list("pk", "unit_path", "category")}
    steplen = OrgUnit.steplen
    unit_of_path = dict(OrgUnit.objects.values_list("path", "pk"))
    # (path, metric, period, category) -> [value, people set size]
    cells: dict[tuple[str, str, str, str], list] = defaultdict(lambda: [Decimal(0), 0])
    for key in keys:
        metric = metrics.get(key)
        monthly = metric.totals(people=Person.objects.all(), start=start, end=end,
                                by=PeriodKind.MONTH)
        yearly: dict[int, Decimal] = defaultdict(Decimal)
        for (pk, month), value in monthly.items():
            if pk not in people or not value:
                continue
            yearly[pk] += value
            path, cat = people[pk]
            for upper in _ancestors(path, steplen):
                cell = cells[(upper, key, month, cat)]
                cell[0] += value
                cell[1] += 1
        for pk, value in yearly.items():
            path, cat = people[pk]
            for upper in _ancestors(path, steplen):
                cell = cells[(upper, key, str(year), cat)]
                cell[0] += value
                cell[1] += 1
    now = timezone.now()
    rows = [FigureSummary(unit_id=unit_of_path[path], metric=key, period=period, category=cat,
                          value=value, people=count, refreshed_at=now)
            for (path, key, period, cat), (value, count) in cells.items()
            if path in unit_of_path]
    periods = [str(year)] + [Period(dt.date(year, m, 1), PeriodKind.MONTH).key
                             for m in range(1, 13)]
    with transaction.atomic():
        FigureSummary.objects.filter(period__in=periods, metric__in=keys).delete()
        FigureSummary.objects.bulk_create(rows, batch_size=2000)
        audit_record(actor=by, action="reports.summaries.refresh",
                     object_type="reports.summaries", object_id=str(year),
                     after={"year": year, "rows": len(rows), "metrics": len(keys)})
    return len(rows)
