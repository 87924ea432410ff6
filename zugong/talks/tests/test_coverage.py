"""Coverage rules and the matrix: required pairs, due dates, a mid-year move, an occasion,
reminders, and a bounded number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_person
from zugong.core.models import JobRun, Notice
from zugong.talks import coverage, events, services, tasks
from zugong.talks.coverage import Status
from zugong.talks.models import Relation, TalkKind

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = D(2026, 11, 1)  # the fixed clock of these tests


def talk(cast, by, *with_, on, kind=TalkKind.HEART):
    return services.talk_record(by=cast[by], with_people=[cast.people[w] for w in with_],
                                held_on=on, kind=kind)


def matrix(cast, today=AS_OF):
    return {(r.rule.relation, r.leader.name if r.leader else None, r.member.name): r
            for r in coverage.evaluate(cast.dept, today=today)}


@pytest.fixture
def rules(cast):
    return services.default_rules(by=cast["head"], department=cast.dept)


def test_the_usual_rules_give_each_pair_of_the_demo_structure_with_its_due_date(cast, rules):
    m = matrix(cast)
    p = cast.people
    assert set(m) == {
        (Relation.HEAD_DEPUTIES, p["head"].name, p["deputy"].name),
        (Relation.DEPUTY_CHARGE, p["deputy"].name, p["chief"].name),
        (Relation.DEPUTY_CHARGE, p["deputy"].name, p["cadre"].name),
        (Relation.CHIEF_SECTION, p["chief"].name, p["cadre"].name),
    }
    once = m[(Relation.HEAD_DEPUTIES, p["head"].name, p["deputy"].name)]
    assert (once.required, once.done, once.next_due, once.status) == (
        1, 0, D(2026, 12, 31), Status.OPEN)
    twice = m[(Relation.CHIEF_SECTION, p["chief"].name, p["cadre"].name)]
    # Twice a year: the first talk is due by the middle of the year, so it is overdue now.
    assert (twice.required, twice.done, twice.next_due, twice.status) == (
        2, 0, D(2026, 7, 2), Status.OVERDUE)


def test_a_talk_counts_for_the_pair_once_the_leader_side_stands_behind_it(cast, rules):
    # Issue 15: a talk the cadre records counts only once the chief confirms it.
    made = talk(cast, "cadre", "chief", on=D(2026, 3, 10))
    services.talk_confirm(by=cast["chief"], talk=made)
    r = matrix(cast)[(Relation.CHIEF_SECTION, cast.people["chief"].name,
                      cast.people["cadre"].name)]
    assert (r.done, r.last_talk, r.next_due, r.status) == (1, D(2026, 3, 10), D(2026, 12, 31),
                                                           Status.OPEN)
    talk(cast, "chief", "cadre", on=D(2026, 9, 1))
    r = matrix(cast)[(Relation.CHIEF_SECTION, cast.people["chief"].name,
                      cast.people["cadre"].name)]
    assert (r.done, r.last_talk, r.next_due, r.status) == (2, D(2026, 9, 1), None, Status.MET)


def test_a_collective_integrity_talk_covers_no_pair(cast, rules):
    talk(cast, "head", "deputy", "chief", "cadre", on=D(2026, 3, 1), kind=TalkKind.COLLECTIVE)
    r = matrix(cast)[(Relation.HEAD_DEPUTIES, cast.people["head"].name,
                      cast.people["deputy"].name)]
    assert r.done == 0


def test_a_cadre_who_moved_mid_year_owes_each_side_its_share_and_only_talks_there_count(
        cast, rules):
    p = cast.people
    talk(cast, "deputy", "cadre2", on=D(2026, 3, 15))  # still in 干部室: not in her charge
    services.unit_change_record(by=cast["head"], person=p["cadre2"], to_unit=cast.sec_org,
                                on=D(2026, 7, 3))
    m = matrix(cast)
    with_chief = m[(Relation.CHIEF_SECTION, p["chief"].name, p["cadre2"].name)]
    # 3 July to 31 December is 182 of 365 days: twice a year becomes once, due at year end.
    assert (with_chief.start, with_chief.end, with_chief.required, with_chief.next_due) == (
        D(2026, 7, 3), D(2026, 12, 31), 1, D(2026, 12, 31))
    with_deputy = m[(Relation.DEPUTY_CHARGE, p["deputy"].name, p["cadre2"].name)]
    assert (with_deputy.required, with_deputy.done, with_deputy.last_talk) == (
        1, 0, D(2026, 3, 15))
    talk(cast, "deputy", "cadre2", on=D(2026, 8, 1))
    with_deputy = matrix(cast)[(Relation.DEPUTY_CHARGE, p["deputy"].name, p["cadre2"].name)]
    assert (with_deputy.done, with_deputy.status) == (1, Status.MET)
    # Looking back at 30 June, she was not yet in 组织室: no pair with its chief.
    assert (Relation.CHIEF_SECTION, p["chief"].name, p["cadre2"].name) not in matrix(
        cast, D(2026, 6, 30))


def test_an_occasion_makes_a_talk_due_within_the_rule_days_and_a_talk_then_meets_it(
        cast, rules):
    p = cast.people
    event = services.trigger_record(by=cast["chief"], person=p["cadre"], kind="award",
                                    on=D(2026, 10, 20), note="县优秀共产党员")
    r = next(r for r in coverage.evaluate(cast.dept, today=AS_OF) if r.trigger == event)
    assert (r.leader_id, r.next_due, r.status) == (p["chief"].pk, D(2026, 11, 4),
                                                   Status.DUE_SOON)
    talk(cast, "chief", "cadre", on=D(2026, 10, 25), kind=TalkKind.AWARD)
    r = next(r for r in coverage.evaluate(cast.dept, today=AS_OF) if r.trigger == event)
    assert (r.done, r.last_talk, r.status) == (1, D(2026, 10, 25), Status.MET)
    late = next(r for r in coverage.evaluate(cast.dept, today=D(2026, 11, 10))
                if r.trigger == event)
    assert late.status == Status.MET


def test_an_occasion_not_followed_by_a_talk_becomes_overdue(cast, rules):
    event = services.trigger_record(by=cast["head"], person=cast.people["deputy"],
                                    kind="misfortune", on=D(2026, 9, 1))
    r = next(r for r in coverage.evaluate(cast.dept, today=AS_OF) if r.trigger == event)
    assert (r.leader_id, r.status) == (cast.people["head"].pk, Status.OVERDUE)


def test_reminders_go_to_the_leader_before_a_pair_is_overdue_once_per_due_date(cast, rules):
    services.trigger_record(by=cast["chief"], person=cast.people["cadre"], kind="award",
                            on=D(2026, 10, 20))
    first = services.reminders_send(today=AS_OF)
    again = services.reminders_send(today=AS_OF)
    notices = Notice.objects.filter(kind=events.TALK_DUE)
    assert first["sent"] == 1 and again["sent"] == 0
    assert [n.recipient for n in notices] == [cast["chief"]]
    assert cast.people["cadre"].name in notices[0].title and "2026-11-04" in notices[0].title


def test_the_reminder_job_leaves_a_run_record(cast, rules):
    tasks.send_talk_reminders()
    run = JobRun.objects.get(name="talks_reminders")
    assert run.status == JobRun.Status.SUCCEEDED and "pairs" in run.message


def test_the_matrix_of_a_department_of_40_people_takes_a_bounded_number_of_queries(
        cast, rules, client_for):
    client = client_for(cast["head"])
    url = reverse("talks:coverage")
    client.get(url)  # warm-up: the session row

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode().count("data-pair=")

    few_queries, few_rows = count()
    for i in range(31):
        person = make_person(cast.sec_org if i % 2 else cast.sec_cadre, f"干部{i}")
        if i % 3 == 0:
            services.talk_record(by=cast["chief"], with_people=[person], held_on=D(2026, 5, i + 1),
                                 kind=TalkKind.HEART)
    many_queries, many_rows = count()
    assert many_rows > few_rows + 15
    assert many_queries == few_queries <= 30


def test_the_matrix_page_colours_each_pair_and_the_export_lists_them(cast, rules, client_for):
    talk(cast, "head", "deputy", on=D(2026, 3, 1))
    client = client_for(cast["head"])
    html = client.get(reverse("talks:coverage")).content.decode()
    pair = f'data-pair="{cast.people["head"].pk}-{cast.people["deputy"].pk}"'
    assert f'class="zg-cov-met" {pair}' in html
    response = client.get(reverse("talks:coverage_export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_cadre_sees_only_the_pairs_they_are_in(cast, rules, client_for):
    reqs = client_for(cast["cadre2"]).get(reverse("api:talk_coverage")).json()
    assert reqs == []
    mine = client_for(cast["cadre"]).get(reverse("api:talk_coverage")).json()
    assert {r["member_id"] for r in mine} == {cast.people["cadre"].pk}


def test_the_coverage_rate_is_a_metric_per_leader(cast, rules):
    from zugong.core import metrics
    from zugong.people.models import Person

    talk(cast, "deputy", "chief", on=D(2026, 3, 10))
    rate = metrics.get("talks.coverage_rate")
    values = rate.totals(people=Person.objects.all(), start=D(2026, 1, 1), end=AS_OF,
                         by="year")
    p = cast.people
    # The deputy has met one of two pairs (the chief, not the cadre); the head none of one.
    assert values[(p["deputy"].pk, "2026")] == 50
    assert values[(p["head"].pk, "2026")] == 0
    assert (p["cadre"].pk, "2026") not in values  # not a leader of any pair
