"""The projects demo builds on the people demo, once, and the named API list answers the
department head with its records (issue 20, "names other tools rely on")."""

import datetime as dt

import pytest
from django.db.models import Count

from zugong.learning import demo as learning_demo
from zugong.people.models import OrgUnit, User
from zugong.projects import demo, selectors
from zugong.projects.models import Adoption, Idea, InnovationProject

pytestmark = pytest.mark.django_db


def test_the_demo_declares_follows_up_and_awards_once(people_demo, client):
    assert people_demo.created
    today = dt.date(2026, 11, 1)
    learning_demo.build(seed=0, today=today)  # None if another test built it already
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
    # Information adopted at every outlet level, by reference to the learning demo's
    # items (8 per department: 1 national, 2 provincial, 2 prefectural, 1 city, 2 county).
    assert result.adoptions == Adoption.objects.count() == 24
    assert dict(Adoption.objects.filter(department=luxi).values_list("level").annotate(
        n=Count("id"))) == {"national": 1, "provincial": 2, "prefectural": 2, "city": 1,
                            "county": 2}
    found = selectors.with_writings(Adoption.objects.all())
    assert all(w is not None and w["person_id"] == a.person_id for a, w in found)
    # Every demo 好信息 names a learning information item of its author; none is typed.
    infos = list(Idea.objects.filter(kind="info"))
    assert infos and all(i.writing_id and i.title == "" for i in infos)
    items = selectors._writings(ids=[i.writing_id for i in infos])
    assert all(items[i.writing_id]["person_id"] == i.person_id for i in infos)
