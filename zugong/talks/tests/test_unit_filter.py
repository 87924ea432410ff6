"""The ``?unit=`` filter of the pages a unit's figures link to (talks list, visits,
coverage): the rows listed are what the figure counts for that unit, and a unit outside
the user's scope or missing answers 404 without naming anything."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zugong.core import metrics
from zugong.people.access import subtree_q
from zugong.people.models import Person
from zugong.talks import coverage, services
from zugong.talks.models import TalkKind, VisitKind

pytestmark = pytest.mark.django_db
D = dt.date
START, END = D(2026, 1, 1), D(2026, 6, 30)


def _total(key, unit, start=START, end=END):
    people = Person.objects.filter(subtree_q("unit_path", unit.path))
    return sum(metrics.get(key).totals(people=people, start=start, end=end).values(),
               Decimal(0))


def _url(key, unit, start=START, end=END):
    return metrics.get(key).records_url(start=start, end=end, unit=unit.pk)


@pytest.fixture
def talks(cast):
    p = cast.people
    return {
        # Held by someone of 组织室 (A) with someone of 干部室 (B), and the other way round.
        "a_with_b": services.talk_record(by=cast["chief"], with_people=[p["cadre2"]],
                                         held_on=D(2026, 3, 2), kind=TalkKind.HEART),
        "b_with_a": services.talk_record(by=cast["cadre2"], with_people=[p["cadre"]],
                                         held_on=D(2026, 3, 5), kind=TalkKind.HEART),
        # The head's talk with two people of A: two counterpart-times for A.
        "head_with_a": services.talk_record(by=cast["head"],
                                            with_people=[p["chief"], p["cadre"]],
                                            held_on=D(2026, 4, 1), kind=TalkKind.REMINDER),
        "outside_period": services.talk_record(by=cast["chief"], with_people=[p["cadre"]],
                                               held_on=D(2026, 8, 1), kind=TalkKind.HEART),
    }


def _listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, {t.pk for t in response.context["rows"]}


def test_the_talks_held_figure_of_a_unit_lists_the_talks_its_people_held(
        cast, talks, client_for):
    client = client_for(cast["head"])
    response, rows = _listed(client, _url("talks.held", cast.sec_org))
    assert rows == {talks["a_with_b"].pk}
    assert len(rows) == _total("talks.held", cast.sec_org) == 1
    _response, rows = _listed(client, _url("talks.held", cast.sec_cadre))
    assert rows == {talks["b_with_a"].pk} and len(rows) == _total("talks.held", cast.sec_cadre)
    page = response.content.decode()
    assert 'id="unit-filter"' in page and cast.sec_org.name in page
    assert f"unit={cast.sec_org.pk}" not in page.split('id="unit-filter-clear" href="')[1][:200]


def test_a_kind_figure_keeps_its_kind_and_the_unit(cast, talks, client_for):
    url = _url("talks.held_reminder", cast.dept)
    _response, rows = _listed(client_for(cast["head"]), url)
    assert rows == {talks["head_with_a"].pk}
    assert len(rows) == _total("talks.held_reminder", cast.dept)


def test_the_talks_taken_part_figure_lists_the_units_talks_and_counts_counterpart_times(
        cast, talks, client_for):
    response, rows = _listed(client_for(cast["head"]), _url("talks.taken_part", cast.sec_org))
    assert rows == {talks["b_with_a"].pk, talks["head_with_a"].pk}
    assert response.context["party_times"] == _total("talks.taken_part", cast.sec_org) == 3
    _response, rows = _listed(client_for(cast["head"]),
                              _url("talks.taken_part", cast.sec_cadre))
    assert rows == {talks["a_with_b"].pk}


def test_without_a_side_the_unit_filter_lists_talks_held_by_or_with_its_people(
        cast, talks, client_for):
    _response, rows = _listed(client_for(cast["head"]),
                              f"{reverse('talks:list')}?unit={cast.sec_cadre.pk}")
    assert rows == {talks["a_with_b"].pk, talks["b_with_a"].pk}


@pytest.mark.parametrize("page", ["talks:list", "talks:visits", "talks:coverage",
                                  "talks:export", "talks:visits_export",
                                  "talks:coverage_export"])
def test_a_unit_out_of_scope_or_missing_is_not_found_and_not_named(
        cast, talks, client_for, page):
    client = client_for(cast["head"])
    for pk in (cast.other_section.pk, 999999):
        response = client.get(f"{reverse(page)}?unit={pk}")
        assert response.status_code == 404, (page, pk)
        assert cast.other_dept.name not in response.content.decode()
        assert cast.other_section.name not in response.content.decode()


@pytest.fixture
def visits(cast):
    p = cast.people
    return {
        "by_a": services.visit_record(
            by=cast["head"], person=p["managed"], visitors=[p["chief"], p["cadre"]],
            kind=VisitKind.TOUR, on=D(2026, 3, 3), place="县教育局",
            problems=[{"text": "编制紧张", "solved_on": D(2026, 5, 1)}, {"text": "经费不足"}]),
        "by_b": services.visit_record(
            by=cast["head"], person=p["managed"], visitors=[p["cadre2"]],
            kind=VisitKind.HOME, on=D(2026, 4, 3), place="家中"),
    }


def test_the_visits_figure_of_a_unit_lists_the_visits_its_people_made(
        cast, visits, client_for):
    client = client_for(cast["head"])
    response = client.get(_url("talks.visits", cast.sec_org))
    assert {v.pk for v in response.context["recent"]} == {visits["by_a"].pk}
    # Two of A's people went: two visitor-times, as the figure counts them.
    assert response.context["visitor_times"] == _total("talks.visits", cast.sec_org) == 2
    assert cast.sec_org.name in response.content.decode()
    response = client.get(_url("talks.visits_home", cast.sec_cadre))
    assert {v.pk for v in response.context["recent"]} == {visits["by_b"].pk}
    assert response.context["visitor_times"] == _total("talks.visits_home", cast.sec_cadre)
    assert not client.get(_url("talks.visits_home", cast.sec_org)).context["recent"]


def test_the_problem_figures_list_the_problems_raised_and_solved_for_the_unit(
        cast, visits, client_for):
    client = client_for(cast["head"])
    raised = client.get(_url("talks.problems_raised", cast.county_unit)).context["problems"]
    assert sorted(p.text for p in raised) == ["经费不足", "编制紧张"]
    assert len(raised) == _total("talks.problems_raised", cast.county_unit)
    solved = client.get(_url("talks.problems_solved", cast.county_unit)).context["problems"]
    assert [p.text for p in solved] == ["编制紧张"]
    assert len(solved) == _total("talks.problems_solved", cast.county_unit)
    # The problems are the visited cadre's: none for the visitors' section.
    assert client.get(_url("talks.problems_raised", cast.sec_org)).context["problems"] == []


def test_the_coverage_page_of_a_unit_lists_the_pairs_its_people_lead_at_the_metrics_rate(
        cast, client_for):
    services.default_rules(by=cast["head"], department=cast.dept)
    services.talk_record(by=cast["chief"], with_people=[cast.people["cadre"]],
                         held_on=D(2026, 3, 2), kind=TalkKind.HEART)
    end = D(2026, 11, 1)
    response = client_for(cast["head"]).get(_url("talks.coverage_rate", cast.sec_org, end=end))
    assert response.status_code == 200
    reqs = response.context["reqs"]
    in_unit = set(Person.objects.filter(subtree_q("unit_path", cast.sec_org.path))
                  .values_list("pk", flat=True))
    assert reqs and all(r.leader_id in in_unit for r in reqs)
    everything = coverage.evaluate(cast.dept, today=end)
    assert len(reqs) == sum(1 for r in everything if r.leader_id in in_unit)
    rates = metrics.get("talks.coverage_rate").totals(
        people=Person.objects.filter(pk__in=in_unit), start=START, end=end)
    listed = {}
    for r in reqs:
        counts = listed.setdefault(r.leader_id, [0, 0])
        counts[0] += r.status == coverage.Status.MET
        counts[1] += 1
    assert {pk: (Decimal(m * 100) / n).quantize(Decimal("0.1"))
            for pk, (m, n) in listed.items()} == {pk: v for (pk, _b), v in rates.items()}
    assert cast.sec_org.name in response.content.decode()
