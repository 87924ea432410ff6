"""The projects demo builds on the people demo, once, and the named API list answers the
department head with its records (issue 20, "names other tools rely on")."""

import datetime as dt

import pytest

from zugong.people.models import OrgUnit, User
from zugong.projects import demo, selectors
from zugong.projects.models import InnovationProject

pytestmark = pytest.mark.django_db


def test_the_demo_declares_follows_up_and_awards_once(people_demo, client):
    assert people_demo.created
    today = dt.date(2026, 11, 1)
    result = demo.build(seed=0, today=today)
    # 汉滨 4 + 6, 泸溪 3 + 5, 凤凰 2 + 3 projects (last year + this year).
    assert result.projects == InnovationProject.objects.count() == 23
    assert InnovationProject.objects.filter(award="first").count() == 3
    assert result.ideas > 0
    assert demo.build(seed=0, today=today) is None
    luxi = OrgUnit.objects.get(code="433122-ZZB")
    data = selectors.coverage_for(luxi, year=2026, as_of=today)
    assert data["totals"].monthly.due > data["totals"].monthly.met > 0
    client.force_login(User.objects.get(username="head"))
    page = client.get("/api/v1/projects").json()
    assert len(page["items"]) == 8 and page["next"] is None
