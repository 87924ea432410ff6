"""The seeds' figures reproduced from the demo through the reports API, with the values
worked out by hand from the demo builders (the same arithmetic as each app's demo test),
and every non-zero figure's link followed to its records."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.ability import demo as ability_demo
from zugong.care import demo as care_demo
from zugong.partylife import demo as partylife_demo
from zugong.people.models import OrgUnit, User
from zugong.reports import selectors
from zugong.reports.models import Figure
from zugong.service import demo as service_demo

pytestmark = pytest.mark.django_db
API = "/api/v1/reports/figures"


def _build():
    # Each builder runs once per database; a second call (another demo test ran first)
    # returns None and the records are the same.
    ability_demo.build(seed=0, today=dt.date(2026, 11, 1))
    service_demo.build(seed=0, today=dt.date(2026, 11, 1))
    care_demo.build(seed=0, today=dt.date(2026, 11, 1))
    partylife_demo.build(seed=0, today=dt.date(2026, 12, 1))


def _values(client, unit, period):
    response = client.get(API, {"unit": unit.pk, "period": period})
    assert response.status_code == 200, response.content
    return {row["key"]: row["value"] for row in response.json()}


def test_the_seed_figures_come_out_of_the_demo_records(people_demo, client):
    _build()
    luxi = OrgUnit.objects.get(code="433122-ZZB")
    fh = OrgUnit.objects.get(code="433123-ZZB")
    client.force_login(User.objects.get(username="head"))
    year = _values(client, luxi, "2026")
    # Seed 000 (泸溪): "开办组工讲堂11期，20余名干部上讲台讲业务，培训组工干部400余人次".
    # Ten sessions with two lecturers and one with one, all different people: 21 lectures
    # given by 21 cadres.
    assert (year["ability.lectures_given"], year["ability.lecturers"]) == ("21", "21")
    # Each audience is the 32 cadres less the session's lecturers, its 3 + k % 3
    # discussants and 2 absentees, plus 16 managed cadres:
    # 11 × (32 − 2) − 21 − 43 = 266 organization cadres and 11 × 16 = 176 managed ones.
    assert year["ability.lectures_discussed"] == "43"
    assert year["ability.org_cadres_trained"] == "266"
    assert year["ability.lectures_attended"] == "442"
    # Seed 002's 青蓝结对: 7 sections × 2 mentees.
    assert year["ability.mentoring_pairs"] == "14"
    # Seed 000: "解决群众急难愁盼问题30余件".
    assert year["service.problems_solved"] == "34"
    # Care (seed 000 优关怀) in 2025: two activities a month, every one of the 32 cadres
    # took part; 44 political birthdays marked ("40多名").
    last = _values(client, luxi, "2025")
    assert last["care.activities_organized"] == "24"
    assert last["care.participants"] == "32"
    assert last["care.birthdays_marked"] == "44"
    # 凤凰 (seed 002's 组织生活会, M32): 100+ problems, 80+ criticisms, 120+ measures:
    # two meetings × 28 problems + 8 members × 6 self-checks = 104; 2 × 56 = 112
    # criticisms; 2 × 36 + 48 + 3 inspection measures = 123.
    client.force_login(User.objects.get(username="fh_head"))
    fenghuang = _values(client, fh, "2026")
    assert (fenghuang["rectification.problems"], fenghuang["partylife.criticisms"],
            fenghuang["rectification.measures"]) == ("104", "112", "123")


def test_every_figure_links_to_its_records(people_demo, client):
    """For each figure with a value in 泸溪's year, its link opens; followed for the person
    with the largest value, the list names that person (the record is there)."""
    _build()
    luxi = OrgUnit.objects.get(code="433122-ZZB")
    head = User.objects.get(username="head")
    client.force_login(head)
    span = selectors.span_of("2026")
    values = selectors.figure_values(user=head, span=span, unit=luxi)
    nonzero = [v for v in values if v.value]
    assert len(nonzero) >= 20
    for v in values:
        assert v.records_url, f"{v.key} has no records page"
    unnamed = []
    for v in nonzero:
        response = client.get(v.records_url)
        assert response.status_code == 200, (v.key, v.records_url)
        top = selectors.breakdown(user=head, figure=Figure.objects.get(key=v.key),
                                  unit=luxi, span=span).people[0]
        page = client.get(top["url"])
        assert page.status_code == 200, (v.key, top["url"])
        if top["person"].name not in page.content.decode():
            unnamed.append(v.key)
    # Pages listing records without a name column (a lecture lists its title) are few.
    assert len(unnamed) <= len(nonzero) // 3, unnamed
    # The dashboard's chart links are the same records pages.
    dashboard = client.get(reverse("reports:dashboard"), {"period": "2026"})
    assert dashboard.status_code == 200
    assert "reports-chart-data" in dashboard.content.decode()


def test_a_units_figure_links_to_that_units_records_only(people_demo, client):
    """A section's figure opens the records of that section's people: for each figure with
    a value in 泸溪's year, the person with the largest value is listed from their own
    section's link and not from a section they are not in."""
    _build()
    luxi = OrgUnit.objects.get(code="433122-ZZB")
    head = User.objects.get(username="head")
    client.force_login(head)
    span = selectors.span_of("2026")
    checked, leaked = [], []
    for v in selectors.figure_values(user=head, span=span, unit=luxi):
        if not v.value:
            continue
        result = selectors.breakdown(user=head, figure=Figure.objects.get(key=v.key),
                                     unit=luxi, span=span)
        # The first person (largest value) who sits in a section, not in the department's
        # own unit (its leaders).
        placed = [(r["person"], u) for r in result.people for u in result.units
                  if r["person"].unit_path.startswith(u["unit"].path)]
        if not placed:
            continue
        top, unit_row = placed[0]
        inside = [unit_row]
        outside = [r for r in result.units if r is not unit_row]
        own = client.get(inside[0]["url"])
        assert own.status_code == 200, (v.key, inside[0]["url"])
        if top.name not in own.content.decode():
            continue  # a page that lists records without names (a lecture's title)
        other = client.get(outside[0]["url"])
        assert other.status_code == 200, (v.key, outside[0]["url"])
        checked.append(v.key)
        if top.name in other.content.decode():
            leaked.append((v.key, outside[0]["url"]))
    assert len(checked) >= 15, checked
    assert not leaked, leaked
