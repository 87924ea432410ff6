"""The supervision demo builds on the people demo, once, and the named API lists answer the
department head with its records (issue 17, "names other tools rely on")."""

import datetime as dt

import pytest

from zugong.people.models import User
from zugong.supervision import demo, selectors
from zugong.supervision.models import (
    Lead,
    Measure,
    Observation,
    PersonalReport,
    SectionRating,
    StudyActivity,
)

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
    # Joint supervision: eight leads; two stay received, the rest are assigned when the
    # department has a supervision officer over the cadre, and ten observations.
    assert result.leads == Lead.objects.count() == 8
    assert Observation.objects.count() == 10
    assert Lead.objects.filter(status="received").count() >= 2
    # Every section of the department is rated for last year, one of them a model.
    assert SectionRating.objects.filter(year=2025, level="model").count() == 1
    assert StudyActivity.objects.filter(on__year=2026).exists()
    assert demo.build(seed=0, today=today) is None
    head = User.objects.get(username="head")
    owed = selectors.reports_owed(user=head, year=2026, today=today)
    assert owed and all(o.days_late == (today - dt.date(2026, 1, 31)).days for o in owed)
    client.force_login(head)
    measures = client.get("/api/v1/supervision/measures").json()
    assert len(measures["items"]) == 12
    reports = client.get("/api/v1/supervision/reports", {"limit": "500"}).json()
    assert len(reports["items"]) == result.reports
