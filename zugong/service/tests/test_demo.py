"""The service demo builds on the people demo, once, reproduces the seed figures, and the
named API list answers the department head with its records (issue 20, "must show")."""

import datetime as dt

import pytest

from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, User
from zugong.service import demo, selectors
from zugong.service.models import ContactPoint, Deed, ExpertOrder, Problem

pytestmark = pytest.mark.django_db


def _solved(code, year):
    dept = OrgUnit.objects.get(code=code)
    return Problem.objects.filter(subtree_q("person__unit_path", dept.path),
                                  status__in=("solved", "rated"),
                                  solved_on__year=year).count()


def test_the_demo_reproduces_the_seed_figures_once(people_demo, client):
    assert people_demo.created
    today = dt.date(2026, 11, 1)
    result = demo.build(seed=0, today=today)
    assert result.points == ContactPoint.objects.count() > 0
    # Seed 000 (泸溪): "今年以来……解决群众急难愁盼问题30余件".
    assert _solved("433122-ZZB", 2026) == 34 >= 30
    # Seed 002 (凤凰): "帮助群众解决急难愁盼问题200件以上" and "我为群众办实事 20余次" in a year.
    assert _solved("433123-ZZB", 2025) == 212 >= 200
    fh = OrgUnit.objects.get(code="433123-ZZB")
    assert Deed.objects.filter(subtree_q("person__unit_path", fh.path), status="done",
                               done_on__year=2025).count() == 23
    # Twelve expert orders per department, three departments.
    assert result.orders == ExpertOrder.objects.count() == 36
    assert ExpertOrder.objects.filter(status__in=("delivered", "rated")).exists()
    assert demo.build(seed=0, today=today) is None
    head = User.objects.get(username="head")
    page = selectors.coverage_page(user=head, year=2026, as_of=today)
    # Every Luxi cadre is paired with one village and two households since 2025: ten months
    # judged (January to October) for each village, twenty for each cadre's households.
    people = page["totals"]["people"]
    assert people > 0 and page["totals"]["points"].due == 10 * people
    assert page["totals"]["households"].due == 20 * people
    assert 0 < page["totals"]["points"].met < page["totals"]["points"].due
    assert page["totals"]["solved"] == 34
    client.force_login(head)
    problems = client.get("/api/v1/service/problems", {"limit": "200"}).json()
    # 34 solved and 6 open in the head's department.
    assert len(problems["items"]) == 40 and problems["next"] is None
