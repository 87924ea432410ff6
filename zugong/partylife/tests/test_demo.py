"""The Party life demo builds on the people demo, once; its 组织生活会 in 凤凰 reproduces the
seed's figures (M32: 100+ problems, 80+ criticisms, 120+ measures a year), and the named API
lists answer the department head with its records (issue 18, "names other tools rely on")."""

import datetime as dt

import pytest

from zugong.core.metrics import get as metric
from zugong.partylife import demo, selectors
from zugong.partylife.models import Criticism, Meeting, Problem, RectMeasure
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, User

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)
MEMBERS = 8  # 凤凰's organization cadres in the people demo


def test_the_demo_reproduces_the_seed_figures_of_the_organization_life_meeting(people_demo,
                                                                              client):
    assert people_demo.created
    result = demo.build(seed=0, today=TODAY)
    fh = OrgUnit.objects.get(code="433123-ZZB")
    life = Meeting.objects.get(department=fh, kind="org_life", held_on=dt.date(2026, 11, 25))
    assert life.attendance.count() == MEMBERS
    assert Meeting.objects.filter(department=fh, kind="org_life").count() == 2  # and June's
    # At each meeting member i finds 3 problems, 4 when i is odd: 8 × 3 + 4 = 28.
    assert Problem.objects.filter(meeting=life, self_found=True).count() == 28
    # Each criticizes every other member: 8 × 7 = 56.
    assert Criticism.objects.filter(meeting=life).count() == 56
    # One measure per problem, a second for each member's first problem: 28 + 8 = 36.
    assert RectMeasure.objects.filter(problem__meeting=life).count() == 36
    # The year through the registry's metrics over 凤凰's people:
    # problems: two meetings 2 × 28 + self-checks 8 × 6 = 104 (the three inspection and
    # supervision problems are about units, so no person's figure counts them);
    # criticisms: 2 × 56 = 112; measures: 2 × 36 + 48 + the 3 inspection measures = 123.
    people = Person.objects.filter(subtree_q("unit_path", fh.path))
    year = {"people": people, "start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}
    problems = sum(metric("rectification.problems").totals(**year).values())
    criticisms = sum(metric("partylife.criticisms").totals(**year).values())
    measures = sum(metric("rectification.measures").totals(**year).values())
    assert (problems, criticisms, measures) == (104, 112, 123)
    assert problems >= 100 and criticisms >= 80 and measures >= 120  # the seed's figures
    # Closed on time by 1 December: June's 36 (closed 45 days after, deadline 90), the
    # self-checks of January to September 8 × 5 = 40 (30 days, deadline 60; November's
    # closes on 20 December), and the first inspection measure: 77. November's are open.
    on_time = sum(metric("rectification.measures_closed_on_time").totals(**year).values())
    assert on_time == 77
    assert not RectMeasure.objects.filter(problem__meeting=life, status="closed").exists()
    assert result.criticisms == 112
    assert demo.build(seed=0, today=TODAY) is None

    head = User.objects.get(username="fh_head")
    table = selectors.coverage_for(department=fh, year=2026, today=TODAY)
    committee = next(row for unit, _l, row in table["branch"] if row.rule.kind == "committee")
    # A 支委会 on the 5th of each month from January to November; December still open.
    assert (committee.met, committee.missed, committee.cells[-1].state) == (11, 0, "open")
    theme = next(row for unit, _l, row in table["branch"] if row.rule.kind == "theme_day")
    assert theme.missed == 1  # one month's theme day is missed on purpose

    client.force_login(User.objects.get(username="head"))
    meetings = client.get("/api/v1/partylife/meetings").json()
    assert meetings["items"] and meetings["items"][0]["held_on"] <= TODAY.isoformat()
    measures_page = client.get("/api/v1/rectification/measures").json()
    assert len(measures_page["items"]) == 3  # 泸溪's inspection and supervision measures
    client.force_login(head)
    assert len(client.get("/api/v1/rectification/measures",
                          {"limit": "200"}).json()["items"]) == 123
