"""The ``?unit=`` filter of the care pages a unit's figures link to (activities, political
birthdays, annual leave): the rows listed are what the figure counts for the unit; the
filter only narrows who may be seen, and a unit out of scope or missing is "not found"."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from zugong.care import services
from zugong.core import metrics
from zugong.people import services as people_services
from zugong.people.access import subtree_q
from zugong.people.models import Person

pytestmark = pytest.mark.django_db
D = dt.date
START, END = D(2026, 1, 1), D(2026, 6, 30)


def _total(key, unit, start=START, end=END):
    people = Person.objects.filter(subtree_q("unit_path", unit.path))
    return sum(metrics.get(key).totals(people=people, start=start, end=end).values(),
               Decimal(0))


def _url(key, unit, start=START, end=END):
    return metrics.get(key).records_url(start=start, end=end, unit=unit.pk)


def _activity(cast, organizer, people, on):
    return services.activity_record(
        by=cast["head"], department=cast.dept, kind="culture", title="羽毛球比赛", held_on=on,
        organizer=cast.people[organizer], participants=[cast.people[n] for n in people])


@pytest.fixture
def activities(cast):
    return {
        # Organized by 组织室 (A); two of A's people and one of 干部室 (B) took part.
        "by_a": _activity(cast, "chief", ("chief", "cadre", "cadre2"), D(2026, 3, 2)),
        # Organized by B; only the head (of neither section) took part.
        "by_b": _activity(cast, "assessor", ("head",), D(2026, 4, 2)),
        "later": _activity(cast, "chief", ("cadre",), D(2026, 9, 2)),
    }


def test_the_activities_organized_figure_lists_the_units_activities_in_the_period(
        cast, activities, client_for):
    client = client_for(cast["head"])
    response = client.get(_url("care.activities_organized", cast.sec_org))
    assert [a.pk for a in response.context["rows"]] == [activities["by_a"].pk]
    assert _total("care.activities_organized", cast.sec_org) == 1
    page = response.content.decode()
    assert 'id="unit-filter"' in page and cast.sec_org.name in page
    response = client.get(_url("care.activities_organized", cast.sec_cadre))
    assert [a.pk for a in response.context["rows"]] == [activities["by_b"].pk]


def test_the_participations_figure_lists_the_activities_with_the_units_people_counted(
        cast, activities, client_for):
    client = client_for(cast["head"])
    rows = client.get(_url("care.participations", cast.sec_org)).context["rows"]
    assert [a.pk for a in rows] == [activities["by_a"].pk]
    # Two of A's three participants: the column adds up to A's person-times.
    assert sum(a.joined for a in rows) == _total("care.participations", cast.sec_org) == 2
    rows = client.get(_url("care.participations", cast.sec_cadre)).context["rows"]
    assert [(a.pk, a.joined) for a in rows] == [(activities["by_a"].pk, 1)]
    # The export keeps the filter.
    export = client.get(f"{reverse('care:activities_export')}?unit={cast.sec_cadre.pk}"
                        "&role=participant")
    assert export.status_code == 200


def test_the_birthdays_figure_lists_the_marks_of_the_units_people_in_the_period(
        cast, client_for):
    for name, joined in (("cadre", D(2016, 3, 1)), ("cadre2", D(2012, 3, 10))):
        people_services.person_update(by=None, person=cast.people[name],
                                      data={"party_join_date": joined})
        cast.people[name].refresh_from_db()
    services.birthday_mark(by=cast["head"], person=cast.people["cadre"], on=D(2026, 3, 1),
                           form="oath")
    services.birthday_mark(by=cast["head"], person=cast.people["cadre2"], on=D(2026, 3, 10),
                           form="card")
    client = client_for(cast["head"])
    response = client.get(_url("care.birthdays_marked", cast.sec_org))
    marks = response.context["marks"]
    assert [m.person.name for m in marks] == ["李小红"]
    assert len(marks) == _total("care.birthdays_marked", cast.sec_org)
    assert cast.sec_org.name in response.content.decode()
    # The month's list is narrowed the same way.
    month = client.get(f"{reverse('care:birthdays')}?year=2026&month=3&unit={cast.sec_cadre.pk}")
    assert [r.person.name for r in month.context["rows"]] == ["王磊"]


@pytest.fixture
def leave(cast):
    for name in ("chief", "cadre", "cadre2"):
        people_services.person_update(by=None, person=cast.people[name],
                                      data={"work_start_date": D(2010, 9, 1)})
        cast.people[name].refresh_from_db()
    p = cast.people
    services.leave_record(by=cast["head"], person=p["chief"], on=D(2026, 4, 6),
                          until=D(2026, 4, 8), days=Decimal("3"))
    services.leave_record(by=cast["head"], person=p["cadre"], on=D(2026, 5, 6),
                          until=D(2026, 5, 7), days=Decimal("1.5"))
    services.leave_record(by=cast["head"], person=p["cadre2"], on=D(2026, 5, 11),
                          until=D(2026, 5, 12), days=Decimal("2"))
    services.leave_record(by=cast["head"], person=p["cadre"], on=D(2026, 8, 3),
                          until=D(2026, 8, 3), days=Decimal("1"))


def test_the_leave_figure_lists_the_units_leave_in_the_period_and_its_days(
        cast, leave, client_for):
    response = client_for(cast["head"]).get(_url("care.leave_days", cast.sec_org))
    assert sorted(e.person.name for e in response.context["entries"]) == ["张建国", "李小红"]
    assert response.context["days"] == _total("care.leave_days", cast.sec_org) == Decimal("4.5")
    assert {r.person.name for r in response.context["rows"]} == {"张建国", "李小红"}
    assert cast.sec_org.name in response.content.decode()


def test_the_unit_filter_only_narrows_who_may_be_seen_on_leave(cast, leave, client_for):
    # A cadre (self scope) naming their own section still sees only their own leave.
    response = client_for(cast["cadre"]).get(_url("care.leave_days", cast.sec_org))
    assert [e.person.name for e in response.context["entries"]] == ["李小红"]
    assert [r.person.name for r in response.context["rows"]] == ["李小红"]
    # The section chief's scope is their section: another section, or the department
    # around it, is not found.
    client = client_for(cast["chief"])
    assert client.get(_url("care.leave_days", cast.sec_cadre)).status_code == 404
    assert client.get(_url("care.leave_days", cast.dept)).status_code == 404
    assert {e.person.name for e in client.get(_url("care.leave_days", cast.sec_org))
            .context["entries"]} == {"张建国", "李小红"}
    # Health and hardship pages take no unit filter and stay closed without the right.
    assert client.get(f"{reverse('care:health')}?unit={cast.sec_org.pk}").status_code == 403


@pytest.mark.parametrize("page", ["care:activities", "care:birthdays", "care:leave",
                                  "care:activities_export"])
def test_a_unit_out_of_scope_or_missing_is_not_found_and_not_named(cast, client_for, page):
    client = client_for(cast["head"])
    for pk in (cast.other_section.pk, 999999):
        response = client.get(f"{reverse(page)}?unit={pk}&start=2026-01-01&end=2026-06-30")
        assert response.status_code == 404, (page, pk)
        assert cast.other_dept.name not in response.content.decode()
