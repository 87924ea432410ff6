"""The unit filter of the Party-life lists (issue 22: each figure of a unit links to the
records behind it with ``?unit=<id>&start=&end=``): the list holds what the unit's figure
counts — meetings its people chaired (or attended or missed), problems about them,
measures they own — adds up to it, and a unit out of scope is 404."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.core.audit import SYSTEM
from zugong.core.metrics import get as metric
from zugong.partylife import services
from zugong.people.access import subtree_q
from zugong.people.models import Person

DAY = dt.date(2026, 3, 2)
SPAN = {"start": "2026-01-01", "end": "2026-12-31"}
MISSING = 999_999_999


@pytest.fixture
def meetings(cast):
    p = cast.people
    branch = services.meeting_record(
        by=SYSTEM, unit=cast.dept, kind="assembly", held_on=DAY, title="支部党员大会",
        chair=p["head"], present=[p["head"], p["chief"], p["cadre"]],
        absent=[(p["cadre2"], "出差")])
    org = services.meeting_record(
        by=SYSTEM, unit=cast.sec_org, kind="group", held_on=DAY, title="组织室党小组会",
        chair=p["chief"], present=[p["chief"], p["cadre"]])
    cadre = services.meeting_record(
        by=SYSTEM, unit=cast.sec_cadre, kind="group", held_on=DAY, title="干部室党小组会",
        chair=p["cadre2"], present=[p["cadre2"], p["assessor"]])
    return branch, org, cadre


@pytest.fixture
def rectification(cast):
    made = {}
    for name in ("cadre", "cadre2"):
        problem = services.problem_record(by=SYSTEM, source="inspection",
                                          description="记录不完整", found_on=DAY,
                                          person=cast.people[name])
        measure = services.measure_set(by=SYSTEM, problem=problem, owner=cast.people[name],
                                       action="补齐记录", deadline=DAY + dt.timedelta(30),
                                       set_on=DAY)
        made[name] = (problem, measure)
    return made


def _figure(key, unit):
    people = Person.objects.filter(subtree_q("unit_path", unit.path))
    return int(sum(metric(key).totals(people=people, start=dt.date(2026, 1, 1),
                                      end=dt.date(2026, 12, 31)).values()))


def _get(client, user, name, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


def test_a_units_meetings_are_those_its_people_chaired_as_its_figure_counts(cast, meetings,
                                                                           client):
    branch, org, cadre = meetings
    for unit, expected in ((cast.sec_org, [org]), (cast.sec_cadre, [cadre]),
                           (cast.dept, [branch, org, cadre])):
        response = _get(client, cast["head"], "partylife:meetings", unit=unit.pk, **SPAN)
        rows = list(response.context["rows"])
        assert {m.pk for m in rows} == {m.pk for m in expected}
        assert len(rows) == _figure("partylife.meetings", unit)
        html = response.content.decode()
        assert 'id="unit-filter"' in html and unit.name in html
        assert "unit=" not in response.context["unit_clear"]
    # By kind, as the per-kind figures link (records_params kind=group).
    response = _get(client, cast["head"], "partylife:meetings", unit=cast.dept.pk,
                    kind="group", **SPAN)
    assert len(response.context["rows"]) == _figure("partylife.meetings_group", cast.dept) == 2


def test_the_attendance_figures_open_the_meetings_with_how_many_of_the_unit(cast, meetings,
                                                                          client):
    for unit, state, key in ((cast.sec_org, "attended", "partylife.attended"),
                             (cast.sec_cadre, "attended", "partylife.attended"),
                             (cast.sec_cadre, "absent", "partylife.absent"),
                             (cast.sec_org, "absent", "partylife.absent")):
        url = metric(key).records_url(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                                      unit=unit.pk)
        client.force_login(cast["head"])
        response = client.get(url)
        assert response.status_code == 200
        rows = response.context["rows"]
        assert sum(m.counted for m in rows) == _figure(key, unit), (unit.name, state)
    # 组织室: the branch assembly (张建国, 李小红) and its own group meeting, two each.
    response = _get(client, cast["head"], "partylife:meetings", unit=cast.sec_org.pk,
                    attendance="attended", **SPAN)
    assert sorted(m.counted for m in response.context["rows"]) == [2, 2]
    assert 'data-label="计入人数"' in response.content.decode()  # the count's column


def test_a_branch_link_still_lists_the_meetings_that_branch_held(cast, meetings, client):
    branch, org, _cadre = meetings
    response = _get(client, cast["head"], "partylife:meetings", branch=cast.dept.pk)
    assert [m.pk for m in response.context["rows"]] == [branch.pk]
    client.force_login(cast["head"])
    detail = client.get(reverse("partylife:meeting", args=[org.pk])).content.decode()
    assert f"?branch={cast.sec_org.pk}" in detail


@pytest.mark.parametrize("name, key, attr", [
    ("partylife:problems", "rectification.problems", "person"),
    ("partylife:measures", "rectification.measures", "owner"),
])
def test_a_units_problems_and_measures_are_those_of_its_people(name, key, attr, cast,
                                                               rectification, client):
    for unit, mine, other in ((cast.sec_org, "cadre", "cadre2"),
                              (cast.sec_cadre, "cadre2", "cadre")):
        response = _get(client, cast["head"], name, unit=unit.pk, **SPAN)
        people = [getattr(r, attr) for r in response.context["rows"]]
        assert cast.people[mine] in people and cast.people[other] not in people
        assert len(people) == _figure(key, unit) == 1
        html = response.content.decode()
        assert 'id="unit-filter"' in html
        assert f'name="unit" value="{unit.pk}"' in html  # kept by the filter form
    # The section chief sees his own section's, and no other section (404).
    assert _get(client, cast["chief"], name, unit=cast.sec_org.pk).status_code == 200
    assert _get(client, cast["chief"], name, unit=cast.sec_cadre.pk).status_code == 404


def test_closed_measures_are_dated_by_their_closing(cast, rectification, client):
    _problem, measure = rectification["cadre"]
    measure = services.measure_submit(by=cast["cadre"], measure=measure,
                                      version=measure.version, evidence="已补齐",
                                      on=dt.date(2026, 3, 12))
    services.measure_verify(by=cast["head"], measure=measure, version=measure.version,
                            passed=True, on=dt.date(2026, 3, 15))
    start, end = dt.date(2026, 3, 10), dt.date(2026, 3, 31)  # set on 2 March, before it
    url = metric("rectification.measures_closed").records_url(start=start, end=end,
                                                              unit=cast.sec_org.pk)
    client.force_login(cast["head"])
    response = client.get(url)
    assert [m.pk for m in response.context["rows"]] == [measure.pk]
    people = Person.objects.filter(subtree_q("unit_path", cast.sec_org.path))
    assert sum(metric("rectification.measures_closed").totals(
        people=people, start=start, end=end).values()) == 1
    assert 'id="period-filter"' in response.content.decode()


@pytest.mark.parametrize("name", ["partylife:meetings", "partylife:problems",
                                  "partylife:measures", "partylife:measures_export"])
def test_a_unit_out_of_scope_or_missing_is_not_found_and_not_named(name, cast, meetings,
                                                                   rectification, client):
    for unit in (cast.other_dept.pk, MISSING, "x"):
        response = _get(client, cast["head"], name, unit=unit)
        assert response.status_code == 404, unit
        assert cast.other_dept.name not in response.content.decode()
    assert _get(client, cast["outsider"], name, unit=cast.sec_org.pk).status_code == 404


def test_the_api_lists_take_the_unit_filter_too(cast, meetings, rectification, client):
    branch, org, _cadre = meetings
    client.force_login(cast["head"])
    items = client.get("/api/v1/partylife/meetings", {"unit": cast.sec_org.pk}).json()["items"]
    assert [i["id"] for i in items] == [org.pk]
    items = client.get("/api/v1/partylife/meetings", {"branch": cast.dept.pk}).json()["items"]
    assert [i["id"] for i in items] == [branch.pk]
    items = client.get("/api/v1/rectification/measures",
                       {"unit": cast.sec_cadre.pk}).json()["items"]
    assert [i["owner_id"] for i in items] == [cast.people["cadre2"].pk]
    assert client.get("/api/v1/partylife/meetings",
                      {"unit": cast.other_dept.pk}).status_code == 404
