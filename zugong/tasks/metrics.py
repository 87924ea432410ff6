"""Quarterly evaluation (一季一考评) as registered metrics, per person (the lead).

Done tasks are a plain count by completion date. The on-time rate and the weighted
completion are shares over the tasks *due* in the window, so they subclass ``Metric``
and override ``totals`` (still one grouped query per call).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Metric
from zugong.core.periods import Period

from .models import TaskStatus

_COUNTED = {"model": "tasks.Task", "person_field": "lead", "records_view": "tasks:overview"}


def due_rows(people, start, end, *, group: str = "lead_id"):
    """(group id, deadline, status, done_on, weight, progress) of tasks due in the window."""
    from .models import Task

    qs = Task.objects.filter(deadline__gte=start, deadline__lte=end).exclude(
        status__in=(TaskStatus.CANCELLED, TaskStatus.CARRIED))
    if people is not None:
        qs = qs.filter(lead__in=people.values("pk") if isinstance(people, QuerySet)
                       else list(people))
    return qs.order_by().values_list(group, "deadline", "status", "done_on", "weight",
                                     "progress")


def _bucket(by, day):
    return Period.containing(by, day).key if by else None


class OnTimeRate(Metric):
    """Tasks due in the window and done by their deadline ÷ tasks due, in percent."""

    def totals(self, *, people, start, end, by=None, include_unconfirmed=False):
        due, on_time = defaultdict(int), defaultdict(int)
        for pk, deadline, status, done_on, _w, _p in due_rows(people, start, end):
            key = (pk, _bucket(by, deadline))
            due[key] += 1
            if status == TaskStatus.DONE and done_on and done_on <= deadline:
                on_time[key] += 1
        return {k: self.quantize(Decimal(on_time[k] * 100) / n) for k, n in due.items()}


class WeightedCompletion(Metric):
    """Σ weight × progress ÷ Σ weight over the tasks due in the window, in percent."""

    def totals(self, *, people, start, end, by=None, include_unconfirmed=False):
        weights, done = defaultdict(Decimal), defaultdict(Decimal)
        for pk, deadline, _s, _d, weight, progress in due_rows(people, start, end):
            key = (pk, _bucket(by, deadline))
            weights[key] += weight
            done[key] += weight * progress
        return {k: self.quantize(done[k] / w) for k, w in weights.items() if w}


METRICS = [
    Metric(key="tasks.done", label=_("tasks done"), unit=_("tasks"), date_field="done_on",
           filters={"status": TaskStatus.DONE}, **_COUNTED),
    OnTimeRate(key="tasks.on_time_rate", label=_("tasks done on time (share)"), unit=_("%"),
               date_field="deadline", decimals=1, **_COUNTED),
    WeightedCompletion(key="tasks.weighted_completion", label=_("weighted task completion"),
                       unit=_("%"), date_field="deadline", decimals=1, **_COUNTED),
]
