"""The talks demo builds on the people demo, once, and looks like a year of real use."""

import datetime as dt

import pytest

from zugong.people.models import OrgUnit, User
from zugong.talks import coverage, demo, selectors
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


def test_the_demo_coverage_and_six_visits_are_a_realistic_mix(people_demo):
    # Issue 16, point 6: neither all 100 % nor all 0 — some met, some still owed.
    today = dt.date(2026, 11, 1)
    demo.build(seed=0, today=today)
    dept = OrgUnit.objects.get(code=demo.DEPT_CODE)
    pairs = [r for r in coverage.evaluate(dept, today=today)
             if r.rule.relation != "trigger"]
    met = sum(r.status == coverage.Status.MET for r in pairs)
    assert 0.4 * len(pairs) < met < 0.9 * len(pairs), (met, len(pairs))
    head = User.objects.get(username="head")
    plan = selectors.visit_plan(user=head, department=dept,
                                term=selectors.term_for(dept, today=today), today=today)
    assert 40 < plan["rate"] < 90
    assert plan["walk_ins"] > 0
    for six in ("annual", "returns", "home", "prompt"):
        done = [row["done"] for row in plan[six]]
        assert any(done) and not all(done), six
    assert any(row["overdue"] for row in plan["home"])
    assert any(not row["done"] and not row["overdue"] for row in plan["prompt"])
    assert any(row["overdue"] for row in plan["returns"])
