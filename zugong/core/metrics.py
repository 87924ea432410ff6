"""The metrics registry: figures that apps declare over their records.

A metric is "how much of something a person did between two dates": study hours, note
characters, books, talks held, tasks done on time. Each app registers its metrics in its
``AppConfig.ready()``; regimes (rules), compliance, automatic assessment indicators and
reports read them through :meth:`Metric.totals`, which is one grouped query per call
whatever the number of people or records, so callers can promise bounded query counts.

A metric that is not a plain count or sum (an on-time rate, say) subclasses ``Metric`` and
overrides ``totals``; everything that reads metrics only calls that method.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import quote_plus, urlencode

from django.apps import apps
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth, TruncQuarter, TruncWeek, TruncYear

from . import registry
from .periods import Period, PeriodKind

_TRUNC = {
    PeriodKind.DAY: TruncDay,
    PeriodKind.WEEK: TruncWeek,
    PeriodKind.MONTH: TruncMonth,
    # Halves are summed from months in Python: no database truncates to half-years.
    PeriodKind.HALF: TruncMonth,
    PeriodKind.QUARTER: TruncQuarter,
    PeriodKind.YEAR: TruncYear,
}


class Aggregation:
    COUNT = "count"
    SUM = "sum"


@dataclass(frozen=True)
class Metric:
    """A declared figure over one model's records, per person and date."""

    key: str
    label: Any
    unit: Any
    model: str  # "app_label.ModelName"
    date_field: str
    person_field: str = "person"
    aggregation: str = Aggregation.COUNT
    value_field: str = ""
    filters: dict = field(default_factory=dict)
    # Records that a reviewer confirms: the field holding the review state, the states that
    # always count, and those that count only where the department says unconfirmed count.
    status_field: str = ""
    confirmed: tuple = ()
    unconfirmed: tuple = ()
    decimals: int = 0
    # The list page of the records behind a figure, and the query it needs.
    records_view: str = ""
    records_params: dict = field(default_factory=dict)

    def queryset(self) -> QuerySet:
        return apps.get_model(self.model)._default_manager.filter(**self.filters)

    def counted(self, *, include_unconfirmed: bool = False) -> QuerySet:
        qs = self.queryset()
        if self.status_field:
            states = self.confirmed + (self.unconfirmed if include_unconfirmed else ())
            qs = qs.filter(**{f"{self.status_field}__in": states})
        return qs

    def quantize(self, value) -> Decimal:
        step = Decimal(1).scaleb(-self.decimals)
        return Decimal(value or 0).quantize(step, rounding=ROUND_HALF_UP)

    def totals(self, *, people: QuerySet | list[int], start: dt.date, end: dt.date,
               by: str | None = None, include_unconfirmed: bool = False
               ) -> dict[tuple[int, str | None], Decimal]:
        """Values per (person id, period key) for records dated in [start, end].

        ``people`` is a queryset of people (used as a subquery, so the whole call is one
        SQL statement) or a list of ids. With ``by`` None the key's period part is None.
        """
        person_id = f"{self.person_field}_id" if "__" not in self.person_field else \
            self.person_field
        qs = self.counted(include_unconfirmed=include_unconfirmed).filter(
            Q(**{f"{self.date_field}__gte": start, f"{self.date_field}__lte": end}),
            **{f"{person_id}__in": people.values("pk") if isinstance(people, QuerySet)
               else list(people)},
        )
        group = [person_id]
        if by:
            qs = qs.annotate(_bucket=_TRUNC[PeriodKind(by)](self.date_field))
            group.append("_bucket")
        if self.aggregation == Aggregation.SUM:
            value = Sum(self.value_field)
        else:
            value = Count("pk")
        result: dict[tuple[int, str | None], Decimal] = defaultdict(Decimal)
        for row in qs.order_by().values(*group).annotate(_value=value).values_list(
                *group, "_value"):
            bucket = None
            if by:
                day = row[1].date() if isinstance(row[1], dt.datetime) else row[1]
                bucket = Period.containing(by, day).key
            result[(row[0], bucket)] += Decimal(row[-1] or 0)
        return dict(result)

    def records_url(self, *, person_id: int | None = None, start: dt.date | None = None,
                    end: dt.date | None = None, **extra) -> str:
        """Where the records behind a figure are listed ("one click away")."""
        if not self.records_view:
            return ""
        if not extra and _OWN.isdisjoint(self.records_params):
            # The common case, a person's cell of a matrix or a warning (hundreds a page):
            # the metric's own part encoded once per process, the rest written as it is
            # (ISO dates need no quoting). The same text as below.
            query = [_encoded(tuple(self.records_params.items()))] if self.records_params \
                else []
            if person_id:
                query.append(f"person={quote_plus(str(person_id))}")
            if start:
                query.append(f"start={start.isoformat()}")
            if end:
                query.append(f"end={end.isoformat()}")
            return f"{registry.address(self.records_view)}?{'&'.join(query)}"
        params = dict(self.records_params)
        if person_id:
            params["person"] = person_id
        if start:
            params["start"] = start.isoformat()
        if end:
            params["end"] = end.isoformat()
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return f"{registry.address(self.records_view)}?{urlencode(params)}"


# The parameters ``records_url`` writes itself after the metric's own.
_OWN = frozenset({"person", "start", "end"})


@functools.lru_cache(maxsize=512)
def _encoded(params: tuple[tuple[str, Any], ...]) -> str:
    return urlencode(params)


_REGISTRY: dict[str, Metric] = {}


def register(*metrics: Metric) -> None:
    for metric in metrics:
        existing = _REGISTRY.get(metric.key)
        if existing is not None and existing != metric:
            raise ValueError(f"metric {metric.key!r} is registered twice")
        _REGISTRY[metric.key] = metric


def get(key: str) -> Metric:
    return _REGISTRY[key]


def exists(key: str) -> bool:
    return key in _REGISTRY


def registered() -> list[Metric]:
    return sorted(_REGISTRY.values(), key=lambda m: m.key)


def choices() -> list[tuple[str, str]]:
    return [(m.key, str(m.label)) for m in registered()]
