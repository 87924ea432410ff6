"""The talks demo builds on the people demo, once."""

import datetime as dt

import pytest

from zugong.talks import coverage, demo
from zugong.talks.models import CoverageRule, Talk, Visit

pytestmark = pytest.mark.django_db


def test_the_demo_gives_the_department_rules_talks_and_visits_once(people_demo):
    # The people demo is shared by the demo tests (conftest.py), built once per run.
    assert people_demo.created
    today = dt.date(2026, 11, 1)
    result = demo.build(seed=0, today=today)
    assert result.talks == Talk.objects.count() > 0
    assert result.visits == Visit.objects.count() > 10
    assert "talks" in result.summary() or "谈" in result.summary()
    dept = CoverageRule.objects.first().department
    statuses = {r.status for r in coverage.evaluate(dept, today=today)}
    assert coverage.Status.MET in statuses
    assert demo.build(seed=0, today=today) is None
