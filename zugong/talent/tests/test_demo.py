"""The talent demo builds on the people demo, once, and the named API list answers the
department head with its records (issue 21, "names other tools rely on")."""

import datetime as dt

import pytest

from zugong.people.models import OrgUnit, User
from zugong.talent import demo, selectors
from zugong.talent.models import Category, Talent, TalentMatter

pytestmark = pytest.mark.django_db


def test_the_demo_records_talents_contacts_and_the_team_once(people_demo, client):
    assert people_demo.created
    today = dt.date(2026, 11, 1)
    result = demo.build(seed=0, today=today)
    luxi = OrgUnit.objects.get(code="433122-ZZB")
    # 24 talents in 泸溪, four in each of the six categories; 3 each in 凤凰 and 汉滨.
    assert Talent.objects.filter(department=luxi).count() == 24
    assert result.talents == 30
    for value in Category.values:
        assert Talent.objects.filter(department=luxi, category=value).count() == 4
    # Six high-level talents in 泸溪, each visited twice with three matters: 18; one in
    # each of the other two departments: 3 + 3, so 24 in all.
    assert Talent.objects.filter(department=luxi, high_level=True).count() == 6
    assert TalentMatter.objects.filter(talent__department=luxi).count() == 18
    assert result.matters == TalentMatter.objects.count() == 24
    assert TalentMatter.objects.filter(solved_on__isnull=False).exists()
    head = User.objects.get(username="head")
    structure = selectors.team_structure(user=head, department=luxi, on=today)
    # 32 organization cadres, one of whom retired ten days ago.
    assert structure["count"] == 31 and structure["exits"] == 1
    assert structure["pool"] == 3 and structure["accepted"] == 1
    assert demo.build(seed=0, today=today) is None
    client.force_login(head)
    items = client.get("/api/v1/talent/talents", {"limit": "100"}).json()["items"]
    assert len(items) == 24
