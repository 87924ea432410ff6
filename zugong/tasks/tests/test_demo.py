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
