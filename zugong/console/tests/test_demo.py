"""The demo's notices read as a year of use (issue 16, point 6)."""

import datetime as dt

import pytest
from django.utils import timezone

from zugong.console import demo
from zugong.core.models import Notice
from zugong.core.notices import notify
from zugong.people.models import User

pytestmark = pytest.mark.django_db


def _sent(people_demo, n=40):
    users = list(User.objects.filter(username__in=("head", "deputy", "chief", "cadre")))
    for i in range(n):
        notify(recipients=[users[i % len(users)]], kind="tasks.task.dispatch",
               title=f"第{i}条通知", url="/tasks/")


def test_demo_notices_are_spread_over_the_year_with_read_receipts_mixed(people_demo):
    _sent(people_demo)
    today = timezone.localdate()
    result = demo.build(seed=0, today=today)
    assert result.notices == Notice.objects.count() >= 40
    days = [timezone.localtime(n.created_at).date() for n in Notice.objects.all()]
    assert all(today.replace(month=1, day=1) <= d <= today for d in days)
    if today.month >= 7:  # the months of the year so far, not all on the build's day
        assert len({d.month for d in days}) >= 5
    older = Notice.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=30))
    read = older.filter(read_at__isnull=False).count()
    assert 0 < read < older.count() or today.month < 3
    assert all(n.read_at >= n.created_at for n in Notice.objects.exclude(read_at=None))
    assert str(result.notices) in result.summary()
    assert demo.build(seed=0, today=today) is None  # once


def test_the_same_seed_gives_the_same_dates(people_demo):
    _sent(people_demo, n=12)
    demo.build(seed=3)
    first = list(Notice.objects.order_by("pk").values_list("created_at", "read_at")[:12])
    Notice.objects.update(created_at=timezone.now(), read_at=None)
    demo.build(seed=3)
    again = list(Notice.objects.order_by("pk").values_list("created_at", "read_at")[:12])
    assert [c for c, _r in first] == [c for c, _r in again]
    assert [r is None for _c, r in first] == [r is None for _c, r in again]
