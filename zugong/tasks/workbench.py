"""The task app's part of the workbench: my tasks due within a week or overdue, and the
first inquiries I must still answer (首问负责)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core.registry import WorkbenchItem

from . import selectors
from .models import TaskStatus

DUE_SOON_DAYS = 7


def items(*, user, today):
    # The first deadline and the count in one query (every workbench view reads both).
    figures = selectors.my_open_tasks_due(
        user=user, until=today + dt.timedelta(days=DUE_SOON_DAYS),
        closed=(TaskStatus.DONE, TaskStatus.CANCELLED, TaskStatus.CARRIED))
    found = []
    if figures["count"]:
        found.append(WorkbenchItem("tasks.due", _("My tasks due within a week or overdue"),
                                   figures["count"], reverse("tasks:mine"),
                                   due=figures["first"], order=30))
    return found + _inquiries(user)


def _inquiries(user) -> list:
    """Open inquiries handed to me, or received by me and handed to nobody."""
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return []
    try:
        inquiries = selectors.inquiries_for(user)
    except PermissionDenied:
        return []
    mine = inquiries.filter(
        Q(handled_by_id=person_id) | Q(first_receiver_id=person_id, handled_by__isnull=True),
        closed_on__isnull=True)
    figures = mine.aggregate(first=Min("due"), count=Count("pk"))
    if not figures["count"]:
        return []
    return [WorkbenchItem("tasks.inquiries", _("Inquiries I must answer"), figures["count"],
                          reverse("tasks:inquiries"), due=figures["first"], order=35)]
