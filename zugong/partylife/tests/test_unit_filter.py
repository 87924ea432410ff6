"""The unit filter of the Party-life lists (issue 22: each figure of a unit links to the
records behind it with ``?unit=<id>&start=&end=``): the list holds what the unit's figure
counts — meetings its people chaired (or attended or missed, or made or received
criticisms at, counted without any text), problems about them, measures they own — adds
up to it, and a unit out of scope is 404."""

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


# ---------------------------------------------------------------- criticisms (counts only)

LIFE = ("head", "chief", "cadre", "cadre2", "assessor")
SECRET = "发言空泛"  # every criticism's text: it must never reach the list


@pytest.fixture
def criticisms(cast):
    """Two life meetings in 2026 and one in 2025 at the department; 组织室 is chief and
    cadre, 干部室 cadre2 and assessor, the head sits above both."""
    p = cast.people

    def life(kind, day, pairs):
        m = services.meeting_record(by=SYSTEM, unit=cast.dept, kind=kind, held_on=day,
                                    title=f"{day.year}年组织生活会", chair=p["head"],
                                    present=[p[n] for n in LIFE])
        for giver, receiver in pairs:
            services.criticism_record(by=SYSTEM, meeting=m, giver=p[giver],
                                      receiver=p[receiver], content=SECRET)
        return m

    june = life("org_life", dt.date(2026, 6, 28), [("cadre", "cadre2"), ("cadre", "head"),
                                                   ("chief", "cadre"), ("cadre2", "cadre")])
    nov = life("dem_life", dt.date(2026, 11, 25), [("cadre2", "assessor"),
                                                  ("assessor", "cadre2")])
    old = life("org_life", dt.date(2025, 11, 25), [("cadre", "chief")])
    return june, nov, old


def _criticism_page(client, user, key, **where):
    url = metric(key).records_url(start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                                  **where)
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("key", ["partylife.criticisms", "partylife.criticisms_received"])
def test_the_criticism_figures_open_the_meetings_with_counts_adding_up_to_them(
        key, cast, criticisms, client):
    june, nov, old = criticisms
    for unit in (cast.sec_org, cast.sec_cadre, cast.dept):
        response = _criticism_page(client, cast["head"], key, unit=unit.pk)
        assert response.status_code == 200
        rows = list(response.context["rows"])
        assert sum(m.counted for m in rows) == _figure(key, unit) > 0, (key, unit.name)
        assert old.pk not in {m.pk for m in rows}  # outside the period
        html = response.content.decode()
        assert 'data-label="计入批评数"' in html and SECRET not in html
        assert f'name="criticisms" value="{metric(key).records_params["criticisms"]}"' \
            in html  # kept by the filter form
        assert 'id="unit-filter"' in html and unit.name in html


def test_another_units_criticisms_are_not_listed(cast, criticisms, client):
    june, nov, _old = criticisms
    # 组织室 made criticisms in June only (three); November's are 干部室's own.
    response = _criticism_page(client, cast["head"], "partylife.criticisms",
                               unit=cast.sec_org.pk)
    assert [(m.pk, m.counted) for m in response.context["rows"]] == [(june.pk, 3)]
    # Received by 组织室: cadre2's and the chief's of the cadre; the head's is not counted.
    response = _criticism_page(client, cast["head"], "partylife.criticisms_received",
                               unit=cast.sec_org.pk)
    assert [(m.pk, m.counted) for m in response.context["rows"]] == [(june.pk, 2)]
    response = _criticism_page(client, cast["head"], "partylife.criticisms",
                               unit=cast.sec_cadre.pk)
    assert [(m.pk, m.counted) for m in response.context["rows"]] == [(nov.pk, 2),
                                                                       (june.pk, 1)]


def test_a_persons_criticism_link_counts_theirs(cast, criticisms, client):
    june, _nov, _old = criticisms
    cadre = cast.people["cadre"]
    for key, counted in (("partylife.criticisms", 2), ("partylife.criticisms_received", 2)):
        response = _criticism_page(client, cast["cadre"], key, person_id=cadre.pk)
        assert [(m.pk, m.counted) for m in response.context["rows"]] == [(june.pk, counted)]
        assert counted == int(sum(metric(key).totals(
            people=[cadre.pk], start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31))
            .values()))


def test_only_the_criticisms_the_user_may_read_are_counted(cast, criticisms, client):
    june, _nov, _old = criticisms
    # The chief leads 组织室 only: of its three criticisms in June he reads his own, not
    # the cadre's of cadre2 or of the head (criticism_visible), so the count says 1.
    response = _criticism_page(client, cast["chief"], "partylife.criticisms",
                               unit=cast.sec_org.pk)
    assert [(m.pk, m.counted) for m in response.context["rows"]] == [(june.pk, 1)]
    assert SECRET not in response.content.decode()
    # The deputy's scope is 组织室 and the county unit: the department's meetings, which
    # she is not on the attendance of, stay out of her list whatever the criticisms.
    response = _criticism_page(client, cast["deputy"], "partylife.criticisms_received",
                               unit=cast.sec_org.pk)
    assert response.status_code == 200 and list(response.context["rows"]) == []
    assert _figure("partylife.criticisms_received", cast.sec_org) == 2


@pytest.mark.parametrize("user, unit", [("head", "other_dept"), ("head", MISSING),
                                        ("chief", "sec_cadre"), ("outsider", "sec_org")])
def test_a_criticism_link_for_a_unit_out_of_scope_is_not_found(user, unit, cast, criticisms,
                                                               client):
    pk = getattr(cast, unit).pk if isinstance(unit, str) else unit
    for value in ("made", "received"):
        response = _get(client, cast[user], "partylife:meetings", unit=pk, criticisms=value)
        assert response.status_code == 404
        html = response.content.decode()
        assert SECRET not in html and cast.sec_cadre.name not in html
        assert cast.other_dept.name not in html


@pytest.mark.parametrize("value", ["bogus", "", "MADE", "content"])
def test_a_bad_criticisms_value_is_ignored(value, cast, criticisms, meetings, client):
    chaired = _get(client, cast["head"], "partylife:meetings", unit=cast.sec_org.pk, **SPAN)
    response = _get(client, cast["head"], "partylife:meetings", unit=cast.sec_org.pk,
                    criticisms=value, **SPAN)
    assert response.status_code == 200
    assert [m.pk for m in response.context["rows"]] == \
        [m.pk for m in chaired.context["rows"]]
    html = response.content.decode()
    assert "计入批评数" not in html and SECRET not in html


def test_the_criticisms_filter_wins_over_attendance_and_the_api_takes_it(cast, criticisms,
                                                                          client):
    june, _nov, _old = criticisms
    response = _get(client, cast["head"], "partylife:meetings", unit=cast.sec_org.pk,
                    criticisms="made", attendance="absent", **SPAN)
    assert [(m.pk, m.counted) for m in response.context["rows"]] == [(june.pk, 3)]
    client.force_login(cast["head"])
    answer = client.get("/api/v1/partylife/meetings",
                        {"unit": cast.sec_org.pk, "criticisms": "made", **SPAN})
    assert [i["id"] for i in answer.json()["items"]] == [june.pk]
    assert SECRET not in answer.content.decode()
    assert client.get("/api/v1/partylife/meetings", {"unit": cast.other_dept.pk,
                                                     "criticisms": "made"}).status_code == 404
