"""The supervision demo builds on the people demo, once, and the named API lists answer the
department head with its records (issue 17, "names other tools rely on")."""

import datetime as dt

import pytest

from zugong.people.models import User
from zugong.supervision import demo, selectors
from zugong.supervision.models import Measure, PersonalReport

pytestmark = pytest.mark.django_db


def test_the_demo_records_measures_and_reports_once(people_demo, client):
    assert people_demo.created
    today = dt.date(2026, 11, 1)
    result = demo.build(seed=0, today=today)
    assert result.measures == Measure.objects.count() == 12
    assert Measure.objects.filter(kind="admonishment").count() == 1
    assert result.reports == PersonalReport.objects.count() > 0
    assert "监督" in result.summary() or "supervision" in result.summary()
    assert result.integrity > 0
    overview = selectors.integrity_overview(user=User.objects.get(username="supervisor"),
                                            year=2026, today=today)
    assert any(r.signed for r in overview["rows"]) and any(r.done for r in overview["rows"])
    assert demo.build(seed=0, today=today) is None
    head = User.objects.get(username="head")
    owed = selectors.reports_owed(user=head, year=2026, today=today)
    assert owed and all(o.days_late == (today - dt.date(2026, 1, 31)).days for o in owed)
    client.force_login(head)
    measures = client.get("/api/v1/supervision/measures").json()
    assert len(measures["items"]) == 12
    reports = client.get("/api/v1/supervision/reports", {"limit": "500"}).json()
    assert len(reports["items"]) == result.reports
