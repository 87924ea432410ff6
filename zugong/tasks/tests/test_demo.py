import datetime as dt

import pytest

from zugong.tasks import demo
from zugong.tasks.models import Entry, Inquiry, StockTake, Task, TaskStatus


@pytest.mark.django_db
def test_the_demo_gives_each_department_tasks_with_ledgers_and_frozen_stock_takes(people_demo,
                                                                                   clock):
    # The people demo is shared by the demo tests (conftest.py), built once per run.
    assert people_demo.created
    clock.set(dt.date(2026, 5, 20))
    result = demo.build(seed=0, today=dt.date(2026, 5, 20))
    assert result.tasks == Task.objects.count() == 27
    assert result.entries == Entry.objects.filter(kind="progress").count() > 100
    assert StockTake.objects.filter(frozen_at__isnull=False).count() == 12  # Jan–Apr × 3
    assert Task.objects.filter(status=TaskStatus.DONE).exists()
    assert Inquiry.objects.count() == 6
    assert "27" in result.summary()
    assert demo.build(seed=0) is None


@pytest.mark.django_db
def test_late_in_the_year_some_of_its_tasks_are_still_open(people_demo, clock):
    # Issue 16, point 6: the dispatch and board pages need this year's open tasks; in
    # December the demo used to have finished every one of them.
    today = dt.date(2026, 12, 3)
    clock.set(today)
    demo.build(seed=0, today=today)
    tasks = list(Task.objects.filter(target__year=2026))
    open_ahead = [t for t in tasks if t.is_open and t.deadline >= today]
    overdue = [t for t in tasks if t.is_open and t.deadline < today]
    done = [t for t in tasks if t.status == TaskStatus.DONE]
    assert len(open_ahead) >= 6 and overdue and len(done) >= 9, (
        len(open_ahead), len(overdue), len(done))
    assert all(t.entries.exists() for t in open_ahead)
