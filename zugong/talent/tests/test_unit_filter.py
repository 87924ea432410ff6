"""The ``?unit=`` filter of the talent pages a unit's figures link to (talents, matters,
the team): the rows listed are what the figure counts for the unit; a unit out of scope or
missing is "not found" and never named."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zugong.core import metrics
from zugong.people.access import subtree_q
from zugong.people.models import Person
from zugong.talent import services

pytestmark = pytest.mark.django_db
D = dt.date
START, END = D(2026, 1, 1), D(2026, 6, 30)


def _total(key, unit, start=START, end=END):
    people = Person.objects.filter(subtree_q("unit_path", unit.path))
    return sum(metrics.get(key).totals(people=people, start=start, end=end).values(),
               Decimal(0))


def _url(key, unit, start=START, end=END):
    return metrics.get(key).records_url(start=start, end=end, unit=unit.pk)


def _talent(cast, name):
    return services.talent_create(by=cast["head"], department=cast.dept, name=name,
                                  category="professional", employer="县人民医院",
                                  added_on=D(2026, 1, 5))


@pytest.fixture
def contacts(cast):
    first, second, third = _talent(cast, "符建华"), _talent(cast, "石清"), _talent(cast, "滕飞")
    p = cast.people
    # 组织室 (A) contacts the first talent twice, 干部室 (B) the second once.
    a1 = services.contact_record(by=cast["head"], talent=first, leader=p["chief"],
                                 kind="visit", on=D(2026, 3, 2),
                                 matters=[{"kind": "hukou", "text": "户籍迁入"}])
    services.contact_record(by=cast["head"], talent=first, leader=p["cadre"], kind="visit",
                            on=D(2026, 4, 2), matters=[{"kind": "housing", "text": "人才公寓"}])
    services.contact_record(by=cast["head"], talent=second, leader=p["assessor"],
                            kind="visit", on=D(2026, 5, 2),
                            matters=[{"kind": "housing", "text": "周转房"}])
    # Outside the period.
    services.contact_record(by=cast["head"], talent=third, leader=p["chief"], kind="visit",
                            on=D(2026, 9, 2))
    matter = a1.matters.get()
    services.matter_solve(by=cast["head"], matter=matter, version=matter.version,
                          solved_on=D(2026, 3, 20), solution="已办理落户")
    return first, second, third


def test_the_contacts_figure_lists_the_talents_the_units_leaders_contacted(
        cast, contacts, client_for):
    first, second, _third = contacts
    client = client_for(cast["head"])
    response = client.get(_url("talent.contacts", cast.sec_org))
    rows = response.context["rows"]
    assert [(t.pk, t.contacts_counted) for t in rows] == [(first.pk, 2)]
    assert sum(t.contacts_counted for t in rows) == _total("talent.contacts", cast.sec_org)
    page = response.content.decode()
    assert 'id="unit-filter"' in page and cast.sec_org.name in page
    rows = client.get(_url("talent.contacts", cast.sec_cadre)).context["rows"]
    assert [(t.pk, t.contacts_counted) for t in rows] == [(second.pk, 1)]


def test_the_matter_figures_list_the_matters_raised_and_solved_by_the_units_leaders(
        cast, contacts, client_for):
    client = client_for(cast["head"])
    raised = client.get(_url("talent.matters_raised", cast.sec_org)).context["rows"]
    assert sorted(m.text for m in raised) == ["人才公寓", "户籍迁入"]
    assert len(raised) == _total("talent.matters_raised", cast.sec_org)
    solved = client.get(_url("talent.matters_solved", cast.sec_org)).context["rows"]
    assert [m.text for m in solved] == ["户籍迁入"]
    assert len(solved) == _total("talent.matters_solved", cast.sec_org)
    raised_b = client.get(_url("talent.matters_raised", cast.sec_cadre)).context["rows"]
    assert [m.text for m in raised_b] == ["周转房"]
    # Without a status the page is still the open matters, now of the unit.
    open_a = client.get(f"{reverse('talent:matters')}?unit={cast.sec_org.pk}").context["rows"]
    assert [m.text for m in open_a] == ["人才公寓"]


@pytest.fixture
def team(cast):
    p = cast.people
    entered_a = services.candidate_add(by=cast["head"], person=p["cadre"], source="grassroots",
                                       on=D(2026, 2, 1))
    services.candidate_update(by=cast["head"], candidate=entered_a,
                              version=entered_a.version, decision="accepted",
                              decided_on=D(2026, 5, 1))
    entered_b = services.candidate_add(by=cast["head"], person=p["cadre2"],
                                       source="grassroots", on=D(2026, 3, 1))
    rotation = services.rotation_plan(by=cast["head"], person=p["chief"], to_unit=cast.sec_cadre,
                                      on=D(2026, 4, 1))
    services.rotation_done(by=cast["head"], rotation=rotation, version=rotation.version,
                           done_on=D(2026, 4, 10))
    services.exit_record(by=cast["head"], person=p["assessor"], kind="transfer",
                         on=D(2026, 6, 1), reason="调任县人社局")
    return entered_a, entered_b


def test_the_team_figures_list_the_units_candidates_rotations_and_exits(
        cast, team, client_for):
    entered_a, entered_b = team
    client = client_for(cast["head"])
    ctx = client.get(_url("talent.reserve_entered", cast.sec_org)).context
    assert [c.pk for c in ctx["candidates"]] == [entered_a.pk]
    assert len(ctx["candidates"]) == _total("talent.reserve_entered", cast.sec_org)
    ctx = client.get(_url("talent.reserve_entered", cast.sec_cadre)).context
    assert [c.pk for c in ctx["candidates"]] == [entered_b.pk]
    assert ctx["structure"]["department"] == cast.dept
    ctx = client.get(_url("talent.reserve_accepted", cast.sec_org)).context
    assert [c.pk for c in ctx["candidates"]] == [entered_a.pk]
    assert _total("talent.reserve_accepted", cast.sec_org) == 1
    assert not client.get(_url("talent.reserve_accepted", cast.sec_cadre)).context["candidates"]
    ctx = client.get(_url("talent.rotations", cast.sec_org)).context
    assert [r.person.name for r in ctx["rotations"]] == ["张建国"]
    assert len(ctx["rotations"]) == _total("talent.rotations", cast.sec_org)
    assert not ctx["exits"]
    ctx = client.get(_url("talent.exits", cast.sec_cadre)).context
    assert [e.person.name for e in ctx["exits"]] == ["陈刚"]
    assert len(ctx["exits"]) == _total("talent.exits", cast.sec_cadre)
    assert cast.sec_cadre.name in client.get(_url("talent.exits", cast.sec_cadre)
                                             ).content.decode()


@pytest.mark.parametrize("page", ["talent:talents", "talent:matters", "talent:team",
                                  "talent:talents_export"])
def test_a_unit_out_of_scope_or_missing_is_not_found_and_not_named(cast, client_for, page):
    client = client_for(cast["head"])
    for pk in (cast.other_section.pk, 999999):
        response = client.get(f"{reverse(page)}?unit={pk}&start=2026-01-01&end=2026-06-30")
        assert response.status_code == 404, (page, pk)
        assert cast.other_dept.name not in response.content.decode()
