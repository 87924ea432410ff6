"""The unit filter of the learning pages (issue 22: each figure of a unit links to the
records behind it with ``?unit=<id>&start=&end=``): the records list and the compliance
page hold that unit's people only, show the filter with a link that clears it, and a unit
out of scope is 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zugong.core.metrics import get as metric
from zugong.learning import services
from zugong.people.access import subtree_q
from zugong.people.models import Person

DAY = dt.date(2026, 3, 2)
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
MISSING = 999_999_999


@pytest.fixture
def sessions(cast):
    return {name: services.record_create(by=cast[name], kind="study", person=cast.people[name],
                                         data={"on": DAY, "hours": Decimal(hours),
                                               "topic": "自学"})
            for name, hours in (("cadre", 2), ("cadre2", 3))}


def _people(unit):
    return Person.objects.filter(subtree_q("unit_path", unit.path))


def _open(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_a_figures_link_lists_the_units_records_and_adds_up_to_it(cast, sessions, client_for):
    client = client_for(cast["head"])
    hours = metric("learning.study_hours")
    for unit, mine, other in ((cast.sec_org, "cadre", "cadre2"),
                              (cast.sec_cadre, "cadre2", "cadre")):
        response = _open(client, hours.records_url(start=MARCH[0], end=MARCH[1], unit=unit.pk))
        rows = list(response.context["rows"])
        assert [r.pk for r in rows] == [sessions[mine].pk]
        figure = hours.totals(people=_people(unit), start=MARCH[0], end=MARCH[1],
                              include_unconfirmed=True)
        assert sum(r.hours for r in rows) == sum(figure.values())
        html = response.content.decode()
        assert 'id="unit-filter"' in html and unit.name in html
        assert "unit=" not in response.context["unit_clear"]
        # The kind tabs and the filter form keep the unit.
        assert f'&amp;unit={unit.pk}"' in html and f'name="unit" value="{unit.pk}"' in html
        assert sessions[other].person.name not in html


def test_a_unit_out_of_scope_or_missing_is_not_found_and_not_named(cast, sessions,
                                                                   client_for):
    for name in ("learning:records", "learning:compliance"):
        for unit in (cast.other_dept.pk, MISSING):
            response = client_for(cast["head"]).get(reverse(name), {"unit": unit})
            assert response.status_code == 404, (name, unit)
            assert cast.other_dept.name not in response.content.decode()
        response = client_for(cast["outsider"]).get(reverse(name), {"unit": cast.sec_org.pk})
        assert response.status_code == 404


@pytest.fixture
def regime(cast):
    return services.regime_create(by=cast["head"], department=cast.dept, name="",
                                  preset="luxi", valid_from=dt.date(2026, 1, 1))


def test_the_compliance_figure_of_a_unit_opens_its_people_for_its_period(cast, regime,
                                                                        sessions, client_for):
    client = client_for(cast["head"])
    share = metric("assessment.learning_compliance")
    for unit in (cast.sec_org, cast.sec_cadre):
        # No ``dept``: the page is about the unit's department, narrowed to the unit.
        response = _open(client, share.records_url(start=MARCH[0], end=MARCH[1], unit=unit.pk))
        assert response.context["dept"] == cast.dept
        assert response.context["window"].key == "2026-03"
        assert response.context["unit"] == unit
        judged = {pk for pk, _key in share.totals(people=_people(unit), start=MARCH[0],
                                                   end=MARCH[1])}
        listed = {s.pk for s, _cells in response.context["matrix_rows"]}
        assert listed == judged and judged
        assert all(Person.objects.get(pk=pk).unit_path.startswith(unit.path) for pk in listed)
        html = response.content.decode()
        assert 'id="unit-filter"' in html
        assert f"&amp;unit={unit.pk}" in html  # the window picker and the export keep it
    # The department itself is the whole page, not a narrowing.
    response = _open(client, share.records_url(start=MARCH[0], end=MARCH[1],
                                               unit=cast.dept.pk))
    assert response.context["unit"] is None
    assert {s.pk for s, _c in response.context["matrix_rows"]} == {
        pk for pk, _key in share.totals(people=_people(cast.dept), start=MARCH[0],
                                        end=MARCH[1])}


def test_a_unit_that_is_no_section_is_offered_and_a_unit_outside_the_department_is_404(
        cast, regime, client_for):
    client = client_for(cast["head"])
    response = _open(client, f"{reverse('learning:compliance')}?unit={cast.county_unit.pk}")
    assert response.context["sections"][0] == cast.county_unit
    # The province is outside the head's scope: not found, like a missing unit.
    response = client.get(reverse("learning:compliance"),
                          {"dept": cast.dept.pk, "unit": cast.province.pk})
    assert response.status_code == 404


def test_a_cadre_is_offered_and_may_choose_only_the_sections_of_her_scope(cast, regime,
                                                                         client_for):
    client = client_for(cast["cadre"])
    response = _open(client, f"{reverse('learning:compliance')}?dept={cast.dept.pk}")
    assert list(response.context["sections"]) == [cast.sec_org]
    response = _open(client, f"{reverse('learning:compliance')}?unit={cast.sec_org.pk}")
    assert {s.pk for s, _c in response.context["matrix_rows"]} <= {cast.people["cadre"].pk}
    response = client.get(reverse("learning:compliance"), {"unit": cast.sec_cadre.pk})
    assert response.status_code == 404
