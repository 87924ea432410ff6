"""The ``tasks.overdue`` hook supervision's early warning calls (issue 17, point 6)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from zugong.core.registry import hook
from zugong.tasks.models import Task, TaskStatus

from .helpers import task

D = dt.date


def test_the_overdue_hook_lists_tasks_late_at_their_original_deadline_with_links(cast):
    overdue = hook("tasks.overdue")
    cadre, cadre2 = cast.people["cadre"], cast.people["cadre2"]
    open_late = task(cast, title="未按期", deadline=D(2025, 3, 31))
    done_late = task(cast, title="逾期完成", deadline=D(2025, 2, 28))
    Task.objects.filter(pk=done_late.pk).update(status=TaskStatus.DONE, done_on=D(2025, 3, 5))
    on_time = task(cast, title="按期完成", deadline=D(2025, 2, 28))
    Task.objects.filter(pk=on_time.pk).update(status=TaskStatus.DONE, done_on=D(2025, 2, 20))
    cancelled = task(cast, title="已取消", deadline=D(2025, 2, 28))
    Task.objects.filter(pk=cancelled.pk).update(status=TaskStatus.CANCELLED)
    task(cast, title="未到期", deadline=D(2025, 5, 31))
    handed = task(cast, title="移交前逾期", deadline=D(2025, 3, 10))
    # Handed over after its deadline: the lateness stays with the lead at the deadline.
    Task.objects.filter(pk=handed.pk).update(lead=cadre2, deadline_lead=cadre)
    with CaptureQueriesContext(connection) as queries:
        found = overdue([cadre.pk, cadre2.pk], D(2025, 1, 1), D(2025, 4, 15))
    assert len(queries) == 1
    assert found == {cadre.pk: [("逾期完成 (2025-02-28)", f"/tasks/{done_late.pk}/"),
                                ("移交前逾期 (2025-03-10)", f"/tasks/{handed.pk}/"),
                                ("未按期 (2025-03-31)", f"/tasks/{open_late.pk}/")]}
    # A deadline on the last day is not late yet; one before the window is out of it.
    assert overdue([cadre.pk], D(2025, 3, 1), D(2025, 3, 31)) == {
        cadre.pk: [("移交前逾期 (2025-03-10)", f"/tasks/{handed.pk}/")]}
    assert overdue([], D(2025, 1, 1), D(2025, 4, 15)) == {}
