"""The task app's part of the workbench: my tasks due within a week or overdue."""

import datetime as dt

from django.db.models import Min
from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core.registry import WorkbenchItem

from . import selectors
from .models import TaskStatus

DUE_SOON_DAYS = 7


def items(*, user, today):
    open_tasks = selectors.my_tasks(user=user).exclude(
        status__in=(TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.CARRIED))
    due = open_tasks.filter(deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    figures = due.aggregate(first=Min("deadline"))
    count = due.count()
    if not count:
        return []
    return [WorkbenchItem("tasks.due", _("My tasks due within a week or overdue"), count,
                          reverse("tasks:mine"), due=figures["first"], order=30)]
