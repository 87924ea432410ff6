"""The care demo builds on the people demo, once, reproduces the seed figures (issue 21:
20+ collective activities a year in which all 32 cadres took part, 40+ political birthdays
a year) and the named API list answers the department head with its records."""

import datetime as dt

import pytest

from zugong.care import demo, selectors
from zugong.care.models import Activity, BirthdayMark, LeaveTaken
from zugong.people.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def test_the_demo_reproduces_the_seed_figures_once(people_demo, client):
    assert people_demo.created
    today = dt.date(2026, 11, 1)
    result = demo.build(seed=0, today=today)
    head = User.objects.get(username="head")
    luxi = OrgUnit.objects.get(code="433122-ZZB")
    last_year = selectors.activity_figures(user=head, department=luxi, year=2025)
    # Two a month in 2025: 24 activities, each with 10 or more people, so all collective;
    # the team of 泸溪 is 32 organization cadres (head, 3 deputies, 28 in 7 sections), and
    # every one of them took part.
    assert (last_year["activities"], last_year["collective"]) == (24, 24)
    assert last_year["team"] == last_year["participants"] == 32
    assert last_year["all_took_part"]
    # 44 Party members' birthdays marked in 2025 ("40多名").
    assert selectors.birthdays_marked(user=head, year=2025) == 44
    assert BirthdayMark.objects.filter(year=2025).count() == 44
    # Leave never exceeds what is due (the service refuses it).
    for row in selectors.leave_overview(user=head, year=2025):
        assert row.balance.taken <= row.balance.due
    assert LeaveTaken.objects.exists()
    assert "care" in result.summary() or "关怀" in result.summary()
    assert demo.build(seed=0, today=today) is None
    client.force_login(head)
    items = client.get("/api/v1/care/activities", {"limit": "100"}).json()["items"]
    assert len(items) == Activity.objects.filter(department=luxi).count() >= 24
    # The other departments' activities are theirs alone.
    client.force_login(User.objects.get(username="fh_head"))
    fh = client.get("/api/v1/care/activities").json()["items"]
    assert len(fh) == 3 and not {i["id"] for i in fh} & {i["id"] for i in items}
