"""Monthly summaries of the learning records, so that a province is judged in a second.

Judging a province's people against their counties' rules sums about a million records
a year. The compliance engine reads instead one row per (person, metric, month),
``MonthSummary``, with the confirmed and the pending figure apart, because regimes differ
on counting pending records. A rule window of a month or longer (month, quarter, half,
year) is a whole number of months — a ``Period`` of those kinds starts on the 1st and
ends on a month's last day — so its sum from the summaries is exact; a window shorter
than a month (a day, a week) is summed from the records, like a metric of another app.

The services that write records (create, edit, confirm or return, delete into the
recycle bin, restore from it, 第一议题) call :func:`refresh` inside their transaction: it
recomputes the months they touched from the records, so it is exact whatever happened
before and harmless to repeat, and it bumps each person's memo scope (``core.memo``).
Records written around the services (the demo's bulk load, a bulk import, the
benchmark's ``COPY``, a repair by hand) are summarised again by :func:`rebuild`, which
``manage.py learning_summaries`` runs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, F, Lookup, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth

from zugong.core.memo import bump
from zugong.core.metrics import Aggregation, Metric
from zugong.core.metrics import get as get_metric
from zugong.core.periods import Period, PeriodKind
from zugong.people.models import Person

from . import events
from .metrics import METRICS
from .models import MonthSummary

# The plain counts and sums over learning records (not the compliance share, which is
# computed from the rules).
SUMMARISED: tuple[Metric, ...] = tuple(m for m in METRICS if type(m) is Metric)
KEYS = frozenset(m.key for m in SUMMARISED)
MONTHLY = frozenset({PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR})
_BATCH = 5000


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(month: dt.date) -> dt.date:
    return Period.containing(PeriodKind.MONTH, month).end


def _by_model() -> dict[str, list[Metric]]:
    """The summarised metrics by the label of the model they count, in a fixed order."""
    out: dict[str, list[Metric]] = defaultdict(list)
    for metric in SUMMARISED:
        out[metric.model].append(metric)
    return out


def _metrics_of(model) -> list[Metric]:
    return _by_model().get(model._meta.label, [])


def record_models() -> list:
    return [apps.get_model(label) for label in _by_model()]


def _summary_rows(summary, metrics: list[Metric], records: QuerySet):
    """``summary`` rows (unsaved) of ``records``, the records of ``metrics``' model: one
    grouped query for all the metrics, each a filtered count or sum, confirmed and
    pending apart."""
    values = {}
    for i, m in enumerate(metrics):
        for prefix, states in (("c", m.confirmed), ("p", m.unconfirmed)):
            counted = Q(**m.filters) & Q(**{f"{m.status_field}__in": states})
            values[f"{prefix}{i}"] = (Sum(m.value_field, filter=counted)
                                      if m.aggregation == Aggregation.SUM
                                      else Count("pk", filter=counted))
    rows = (records.order_by().annotate(_month=TruncMonth("on"))
            .values("person_id", "_month").annotate(**values))
    for row in rows.iterator(chunk_size=_BATCH):
        month = row["_month"]
        month = month.date() if isinstance(month, dt.datetime) else month
        for i, m in enumerate(metrics):
            confirmed, pending = row[f"c{i}"] or 0, row[f"p{i}"] or 0
            if confirmed or pending:
                yield summary(person_id=row["person_id"], metric=m.key, month=month,
                                   confirmed=confirmed, pending=pending)


def _insert(summary, rows) -> int:
    n, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            summary.objects.bulk_create(batch)
            n, batch = n + len(batch), []
    summary.objects.bulk_create(batch)
    return n + len(batch)


def refresh(model, pairs: Iterable[tuple[int, dt.date]]) -> None:
    """Recompute, from the records of ``model``, the summaries of each (person id, day)'s
    month. Called by the services in the transaction that wrote the records."""
    pairs = {(person_id, month_of(day)) for person_id, day in pairs}
    metrics = _metrics_of(model)
    if not pairs or not metrics:
        return
    people = sorted({p for p, _m in pairs})
    months = {m for _p, m in pairs}
    with transaction.atomic():
        # Two transactions refreshing the same person's month would both delete and then
        # both insert (a unique-key error): the person's row serialises them.
        lock_people(people)
        # Every month of every person named is recomputed (a superset of the pairs, and
        # just as exact): one delete, one grouped query and one insert.
        MonthSummary.objects.filter(metric__in=[m.key for m in metrics], person__in=people,
                                    month__in=months).delete()
        records = model._default_manager.filter(person__in=people, on__gte=min(months),
                                                on__lte=_month_end(max(months)))
        _insert(MonthSummary, (r for r in _summary_rows(MonthSummary, metrics, records)
                               if r.month in months))
        # Each person's own progress (``selectors.my_progress``) is kept until this.
        bump(*(events.person_scope(p) for p in people))


def lock_people(person_ids: Iterable[int]) -> None:
    """Lock the people's rows (in id order) for the rest of the caller's transaction.

    Every learning write takes these locks *before* it audits: the audit chain's head is
    one row every audited write locks until it commits, so a write that audited first and
    then waited for a person held by another that locked the person first and then waited
    for the head would deadlock (seen under load: a cadre's record and a chief's
    confirmation of the same person's month). Locking again later in the same
    transaction costs one query and waits for nobody.
    """
    list(Person.objects.select_for_update().filter(pk__in=sorted(set(person_ids)))
         .order_by("pk").values_list("pk", flat=True))


def refresh_records(records: Iterable) -> None:
    """:func:`refresh` for the records given (of any learning record models)."""
    by_model = defaultdict(set)
    for record in records:
        by_model[type(record)].add((record.person_id, record.on))
    for model, pairs in by_model.items():
        refresh(model, pairs)


def restored(*, rows) -> None:
    """The recycle bin's follow-up (hooks ``recycled.learning.<record model>``): records
    back from the bin count again."""
    models = set(record_models())
    refresh_records(r for r in rows if type(r) in models)


def rebuild(registry=apps) -> int:
    """Every summary again from the records (a repair, or after a bulk load); returns the
    number of rows. One grouped query per record model. ``registry``: the models of a
    migration (``learning 0004`` fills the new table with this)."""
    summary = registry.get_model("learning", "MonthSummary")
    with transaction.atomic():
        summary.objects.all().delete()
        rows = sum(_insert(summary, _summary_rows(summary, metrics,
                                                  registry.get_model(label).objects.all()))
                   for label, metrics in _by_model().items())
        # The whole table was replaced: until autovacuum gets to it the planner judges the
        # compliance pages' reads by the old table's statistics. On a province loaded
        # around the services (nearly empty before) it took 314 ms plans instead of 84 ms.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(summary._meta.db_table)}")
        bump(events.RECORDS_SCOPE)
    return rows


def _from_summaries(metric: Metric, start: dt.date, end: dt.date, by: str) -> bool:
    """Whether the summaries answer ``metric`` over [start, end] by ``by`` exactly: a
    summarised metric, periods of a month or longer, [start, end] whole months."""
    return (metric.key in KEYS and by in MONTHLY and start == month_of(start)
            and end == _month_end(end))


# Up to this many people, PostgreSQL reads their summaries person by person (below).
FEW_PEOPLE = 5000


class _AnyOf(Lookup):
    """``person = ANY(ARRAY(subquery))``: PostgreSQL cannot tell how many ids the
    subquery returns, so it looks each person up in the (person, metric, month) index."""

    lookup_name = "any_of"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)


def totals_by_kind(wanted: dict[tuple[str, str], tuple[dt.date, dt.date]], *,
                   people: QuerySet | list[int], include_unconfirmed: bool,
                   few: bool = False
                   ) -> dict[tuple[str, str], dict[tuple[int, str], Decimal]]:
    """``metric.totals(…, start, end, by=kind)`` for each ``(metric key, kind): (start,
    end)`` of ``wanted``, keyed ``(metric key, kind)``.

    The pairs the summaries answer exactly are read in one grouped query together, by
    month over the span that covers them all, and rolled up to each pair's kind and span
    here: the compliance page judges a year's months and the year itself, and one read
    serves both. The other pairs are summed from their records, one query each.

    ``few``: ``people`` are at most ``FEW_PEOPLE`` (a county department's, a person's).
    With ``person IN (subquery)`` PostgreSQL scans the whole province's summaries of the
    span and joins the people to them, which suits a province (84,000 people) but not a
    county: 54 ms for a county's 840 people, against 5 ms reading their own rows alone.
    """
    out: dict[tuple[str, str], dict[tuple[int, str], Decimal]] = {}
    spans: dict[str, list[tuple[str, dt.date, dt.date]]] = defaultdict(list)  # by metric
    for (key, by), (start, end) in wanted.items():
        metric = get_metric(key)
        if _from_summaries(metric, start, end, by):
            spans[key].append((by, start, end))
            out[(key, by)] = {}
        else:
            out[(key, by)] = metric.totals(people=people, start=start, end=end, by=by,
                                           include_unconfirmed=include_unconfirmed)
    if not spans:
        return out
    every = {span for found in spans.values() for span in found}
    lo, hi = min(s for _b, s, _e in every), max(e for _b, _s, e in every)
    value = F("confirmed") + F("pending") if include_unconfirmed else F("confirmed")
    if not isinstance(people, QuerySet):
        whose = Q(person__in=list(people))
    elif few and connection.vendor == "postgresql":
        whose = _AnyOf(F("person_id"), Subquery(people.values("pk")))
    else:
        whose = Q(person__in=people.values("pk"))
    rows = MonthSummary.objects.filter(whose, metric__in=list(spans), month__gte=lo,
                                       month__lte=hi)
    only = next(iter(every)) if len(every) == 1 else None
    if only and Period.containing(only[0], only[1]).end == only[2]:
        # One period for every metric (a province's year): one sum per person. No date
        # truncation in SQL at all — PostgreSQL truncates to a timestamp, and converting
        # a timestamp per row costs more in Python than the whole sum in the database.
        by, whole = only[0], Period.containing(only[0], only[1]).key
        for key, person_id, total in (rows.values("metric", "person_id")
                                      .annotate(_value=Sum(value))
                                      .values_list("metric", "person_id", "_value")):
            out[(key, by)][(person_id, whole)] = Decimal(total or 0)
        return out
    periods: dict[tuple[str, dt.date], str] = {}  # a few distinct months, many rows
    for key, person_id, month, total in (rows.values("metric", "person_id", "month")
                                         .annotate(_value=Sum(value))
                                         .values_list("metric", "person_id", "month",
                                                      "_value")):
        total = Decimal(total or 0)
        for by, start, end in spans[key]:
            if not start <= month <= end:
                continue
            period = periods.get((by, month))
            if period is None:
                period = periods[(by, month)] = Period.containing(by, month).key
            found = out[(key, by)]
            found[(person_id, period)] = found.get((person_id, period), Decimal(0)) + total
    return out
