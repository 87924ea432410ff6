"""Quarterly evaluation (一季一考评) as registered metrics, per person.

Done tasks are a plain count by completion date, for the lead. The on-time rate and the
weighted completion are shares over the tasks *due* in the window, so they subclass
``Metric`` and override ``totals`` (still one grouped query per call). Neither can be
gamed (issue 15): a task is due by its *original* deadline (a new deadline from the
dispatch meeting does not move it out of the window or make it on time), and it is
counted for whoever led it at that deadline (``deadline_lead`` after a late handover,
else the lead), not for a successor who inherited it late.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from zugong.core.metrics import Metric
from zugong.core.periods import Period

from .models import TaskStatus

_COUNTED = {"model": "tasks.Task", "person_field": "lead", "records_view": "tasks:overview"}


PERSON = "_answerable"


def answerable(qs):
    """``qs`` annotated with ``PERSON``: who answers for each task's deadline (the lead at
    the original deadline after a late handover, else the lead)."""
    return qs.annotate(**{PERSON: Coalesce("deadline_lead_id", "lead_id")})


def due_rows(people, start, end, *, group: str = PERSON):
    """(group id, original deadline, status, done_on, weight, progress) of the tasks whose
    original deadline falls in the window; ``group`` is ``PERSON`` (who answers for the
    task) or a field such as ``section_id``."""
    from .models import Task

    qs = answerable(Task.objects.filter(original_deadline__gte=start,
                                        original_deadline__lte=end)).exclude(
        status__in=(TaskStatus.CANCELLED, TaskStatus.CARRIED))
    if people is not None:
        qs = qs.filter(**{f"{PERSON}__in": people.values("pk") if isinstance(
            people, QuerySet) else list(people)})
    return qs.order_by().values_list(group, "original_deadline", "status", "done_on",
                                     "weight", "progress")


def _bucket(by, day):
    return Period.containing(by, day).key if by else None


class OnTimeRate(Metric):
    """Tasks due in the window and done by their original deadline ÷ tasks due, in
    percent, per person who led the task at that deadline."""

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
               date_field="original_deadline", decimals=1, **_COUNTED),
    WeightedCompletion(key="tasks.weighted_completion", label=_("weighted task completion"),
                       unit=_("%"), date_field="original_deadline", decimals=1, **_COUNTED),
]

# The public's own ratings of the first-inquiry service (issue 20, point 7), counted for
# the first receiver (首问负责: who answers for the inquiry) on the day of the rating. The
# satisfaction share of a person or a department is satisfied ÷ rated: two counts, so that
# departments add up (a share of shares would not).
_RATED = {"model": "tasks.Inquiry", "person_field": "first_receiver",
          "date_field": "public_rated_on", "records_view": "tasks:inquiries"}
METRICS += [
    Metric(key="tasks.inquiries_public_rated", label=_("first inquiries rated by the public"),
           unit=_("inquiries"), filters={"public_rating__gt": ""}, **_RATED),
    Metric(key="tasks.inquiries_public_satisfied",
           label=_("first inquiries the public rated satisfied"), unit=_("inquiries"),
           filters={"public_rating": "satisfied"}, **_RATED),
]
