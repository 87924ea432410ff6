"""Scheduled jobs of the task ledger (run by ``zugong worker``)."""

from django.utils import timezone

from zugong.core.audit import SYSTEM
from zugong.core.jobs import recorded
from zugong.core.periods import Period, PeriodKind
from zugong.people.models import OrgUnit

from . import services
from .models import StockTake, Task


@recorded("tasks_deadlines")
def check_deadlines() -> str:
    sent = services.deadlines_check(today=timezone.localdate())
    return (f"{sent['reminded']} reminders, {sent['overdue']} overdue, "
            f"{sent['escalated']} escalated")


@recorded("tasks_weekly_prompt")
def prompt_weekly_updates() -> str:
    return f"{services.weekly_prompt(today=timezone.localdate())} leads asked for an update"


@recorded("tasks_stocktake")
def freeze_stocktakes() -> str:
    """On the 1st, freeze last month's stock-take of every department that keeps tasks and
    roll over the month's unfinished items."""
    month = Period.containing(PeriodKind.MONTH, timezone.localdate()).previous().key
    n = 0
    for dept in OrgUnit.objects.filter(pk__in=Task.objects.values("department")):
        if not StockTake.objects.filter(department=dept, month=month,
                                        frozen_at__isnull=False).exists():
            services.stocktake_freeze(by=SYSTEM, department=dept, month=month)
            services.month_roll_over(by=SYSTEM, department=dept, month=month)
            n += 1
    return f"{n} stock-takes of {month} frozen"
