"""Rules a department would dispute (issue 15): what meets a must-talk occasion, which
talks count for a pair, coverage by post, the six visits, the coverage rate per period.

Every figure below is worked out by hand in the comments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from conftest import make_person
from zugong.core import metrics
from zugong.people.services import subrecord_add, unit_create
from zugong.talks import coverage, selectors, services
from zugong.talks.coverage import Status
from zugong.talks.models import Relation, Talk, TalkKind, TalkParty, Visit, VisitKind

pytestmark = pytest.mark.django_db
D = dt.date
AS_OF = D(2026, 11, 1)


def talk(cast, by, *with_, on, kind=TalkKind.HEART):
    return services.talk_record(by=cast[by], with_people=[cast.people[w] for w in with_],
                                held_on=on, kind=kind)


def matrix(cast, today=AS_OF):
    return {(r.rule.relation, r.leader.name if r.leader else None, r.member.name): r
            for r in coverage.evaluate(cast.dept, today=today)}


@pytest.fixture
def rules(cast):
    return services.default_rules(by=cast["head"], department=cast.dept)


# ---------------------------------------------------------------- 5. 六必谈


def test_an_occasion_is_met_only_by_an_individual_talk_by_the_leader_it_is_owed_by(
        cast, rules):
    p = cast.people
    event = services.trigger_record(by=cast["chief"], person=p["cadre"], kind="award",
                                    on=D(2026, 10, 20))

    def req(today=AS_OF):
        return next(r for r in coverage.evaluate(cast.dept, today=today)
                    if r.trigger == event)

    # Owed by the cadre's section chief, due 15 days later (4 November).
    assert (req().leader_id, req().end) == (p["chief"].pk, D(2026, 11, 4))
    # The chief's collective integrity talk to the cadre and others: not a must-talk.
    talk(cast, "chief", "cadre", "cadre2", on=D(2026, 10, 22), kind=TalkKind.COLLECTIVE)
    # A heart-to-heart with the cadre and a colleague together: not an individual talk.
    talk(cast, "chief", "cadre", "cadre2", on=D(2026, 10, 23))
    # The head's individual talk: the chief still owes it.
    talk(cast, "head", "cadre", on=D(2026, 10, 24))
    assert (req().done, req().status) == (0, Status.DUE_SOON)
    # The chief's own individual talk on 25 October meets it.
    talk(cast, "chief", "cadre", on=D(2026, 10, 25), kind=TalkKind.AWARD)
    assert (req().done, req().last_talk, req().status) == (1, D(2026, 10, 25), Status.MET)


def test_a_talk_after_the_window_does_not_meet_the_occasion(cast, rules):
    p = cast.people
    event = services.trigger_record(by=cast["chief"], person=p["cadre"], kind="award",
                                    on=D(2026, 9, 1))
    talk(cast, "chief", "cadre", on=D(2026, 9, 20))  # due 16 September: too late
    r = next(r for r in coverage.evaluate(cast.dept, today=AS_OF) if r.trigger == event)
    assert (r.done, r.status) == (0, Status.OVERDUE)


# ---------------------------------------------------------------- 6. records and pairs


def test_a_cadre_alone_cannot_turn_the_chiefs_pair_green(cast, rules, client_for):
    p = cast.people
    first = talk(cast, "cadre", "chief", on=D(2026, 3, 10))
    talk(cast, "cadre", "chief", on=D(2026, 9, 1))
    key = (Relation.CHIEF_SECTION, p["chief"].name, p["cadre"].name)
    # Twice a year, none counted: the first was due by 2 July, so it is overdue.
    assert (matrix(cast)[key].done, matrix(cast)[key].status) == (0, Status.OVERDUE)
    # The chief confirms the first one from the talk's page: it counts, one more is due
    # by the year's end (365 days × 2 / 2).
    page = client_for(cast["chief"]).get(reverse("talks:talk", args=[first.pk]))
    assert reverse("talks:talk_confirm", args=[first.pk]) in page.content.decode()
    response = client_for(cast["chief"]).post(reverse("talks:talk_confirm", args=[first.pk]))
    assert response.status_code == 302
    r = matrix(cast)[key]
    assert (r.done, r.next_due, r.status) == (1, D(2026, 12, 31), Status.OPEN)
    # A talk the chief records himself counts at once.
    talk(cast, "chief", "cadre", on=D(2026, 10, 1))
    assert (matrix(cast)[key].done, matrix(cast)[key].status) == (2, Status.MET)


def test_only_the_other_party_confirms_a_talk(cast, rules, client_for):
    mine = talk(cast, "cadre", "chief", on=D(2026, 3, 10))
    url = reverse("talks:talk_confirm", args=[mine.pk])
    # The recorder cannot confirm their own record; the deputy sees it but is no party.
    assert client_for(cast["cadre"]).post(url).status_code == 403
    assert client_for(cast["deputy"]).post(url).status_code == 403
    assert client_for(cast["outsider"]).post(url).status_code == 404
    assert not TalkParty.objects.filter(talk=mine, confirmed_on__isnull=False).exists()


def test_peers_talk_with_each_other_under_a_peer_rule(cast):
    p = cast.people
    services.rule_add(by=cast["head"], department=cast.dept, relation=Relation.PEERS,
                      threshold=1)
    # 干部室 has two cadres who lead no one (王磊 and 陈刚): one peer pair.
    reqs = coverage.evaluate(cast.dept, today=AS_OF)
    assert [(r.leader_id, r.member_id) for r in reqs] == [(p["cadre2"].pk, p["assessor"].pk)]
    made = talk(cast, "cadre2", "assessor", on=D(2026, 4, 1))
    assert coverage.evaluate(cast.dept, today=AS_OF)[0].done == 0  # not yet confirmed
    services.talk_confirm(by=cast["assessor"], talk=made)
    r = coverage.evaluate(cast.dept, today=AS_OF)[0]
    assert (r.done, r.status) == (1, Status.MET)


# ---------------------------------------------------------------- 7. coverage by post


def test_every_deputy_and_chief_counts_by_post_with_or_without_an_account(cast, rules):
    p = cast.people
    deputy2 = make_person(cast.dept, "彭副部", post="泸溪县委组织部副部长")
    chief2 = make_person(cast.sec_cadre, "吴主任", post="泸溪县委组织部干部室主任")
    m = matrix(cast)
    heads = sorted(k[2] for k in m if k[0] == Relation.HEAD_DEPUTIES)
    assert heads == sorted([p["deputy"].name, deputy2.name])
    chiefs = sorted((k[1], k[2]) for k in m if k[0] == Relation.CHIEF_SECTION)
    # 干部室 now has its chief: 王磊 and 陈刚 (考核办主任 is not 干部室's chief) are his.
    assert chiefs == sorted([(p["chief"].name, p["cadre"].name),
                             (chief2.name, p["cadre2"].name),
                             (chief2.name, p["assessor"].name)])
    # A deputy identified by post is never counted as a cadre of a chief or a deputy.
    assert not any(k[2] == deputy2.name for k in m if k[0] != Relation.HEAD_DEPUTIES)


# ---------------------------------------------------------------- 8. six visits


@pytest.fixture
def term(cast):
    return services.term_create(by=cast["head"], department=cast.dept, name="本届",
                                start=D(2024, 1, 1), end=D(2026, 12, 31),
                                follow_up_months=(6, 12))


def visit(cast, person, on, kind, findings=""):
    return services.visit_record(by=cast["head"], person=person, visitors=[], kind=kind,
                                 on=on, place="单位", findings=findings)


def test_walk_ins_count_neither_for_the_term_tour_nor_the_yearly_visit(cast, term):
    managed = cast.people["managed"]
    services.visit_flags_set(by=cast["head"], person=managed, data={"is_key": True})
    visit(cast, managed, D(2026, 3, 1), VisitKind.WALK_IN)
    plan = selectors.visit_plan(user=cast["head"], department=cast.dept, term=term,
                                today=D(2026, 6, 1))
    assert (plan["visited"], plan["total"], plan["walk_ins"]) == (0, 1, 1)
    assert [r["done"] for r in plan["annual"]] == [False]
    visit(cast, managed, D(2026, 4, 1), VisitKind.ANNUAL)
    plan = selectors.visit_plan(user=cast["head"], department=cast.dept, term=term,
                                today=D(2026, 6, 1))
    assert (plan["visited"], [r["done"] for r in plan["annual"]]) == (1, [True])


def test_return_visits_are_due_per_window_from_the_registrys_appointment_date(cast, term):
    managed = cast.people["managed"]
    subrecord_add(by=None, person=managed, kind="resume", data={
        "start": D(2019, 3, 1), "end": D(2026, 1, 9), "text": "县教育局副局长"})
    subrecord_add(by=None, person=managed, kind="resume", data={
        "start": D(2026, 1, 10), "end": None, "text": "县教育局局长"})
    # Two return visits in the first six months: the second window is still open.
    visit(cast, managed, D(2026, 2, 1), VisitKind.RETURN)
    visit(cast, managed, D(2026, 3, 1), VisitKind.RETURN)

    def returns(today):
        plan = selectors.visit_plan(user=cast["head"], department=cast.dept, term=term,
                                    today=today)
        return [(r["since"], r["start"], r["due"], r["done"], r["overdue"])
                for r in plan["returns"]]

    # Windows: 10 January – 10 July 2026 and 11 July 2026 – 10 January 2027.
    assert returns(D(2026, 11, 1)) == [
        (D(2026, 1, 10), D(2026, 1, 10), D(2026, 7, 10), True, False),
        (D(2026, 1, 10), D(2026, 7, 11), D(2027, 1, 10), False, False)]
    assert returns(D(2027, 2, 1))[1][3:] == (False, True)
    visit(cast, managed, D(2026, 8, 1), VisitKind.RETURN)
    assert returns(D(2026, 11, 1))[1][3:] == (True, False)


def test_the_home_visit_is_due_within_the_terms_days_of_the_difficulty_flag(cast, term):
    managed = cast.people["managed"]
    services.visit_flags_set(by=cast["head"], person=managed,
                             data={"difficulty_since": D(2026, 4, 1)})
    plan = selectors.visit_plan(user=cast["head"], department=cast.dept, term=term,
                                today=D(2026, 6, 1))
    # 30 days after 1 April (the term's default) is 1 May: overdue on 1 June.
    assert [(r["due"], r["done"], r["overdue"]) for r in plan["home"]] == [
        (D(2026, 5, 1), False, True)]
    visit(cast, managed, D(2026, 4, 20), VisitKind.HOME)
    plan = selectors.visit_plan(user=cast["head"], department=cast.dept, term=term,
                                today=D(2026, 6, 1))
    assert [(r["done"], r["overdue"]) for r in plan["home"]] == [(True, False)]


def test_visit_findings_are_encrypted_at_rest(cast):
    made = visit(cast, cast.people["managed"], D(2026, 3, 1), VisitKind.TOUR,
                 findings="家中老人住院")
    with connection.cursor() as cursor:
        cursor.execute("SELECT findings FROM talks_visit WHERE id = %s", [made.pk])
        raw = cursor.fetchone()[0]
    assert "老人" not in raw
    assert Visit.objects.get(pk=made.pk).findings == "家中老人住院"


def test_the_migration_encrypts_findings_written_before_it(cast):
    import importlib

    from django.apps import apps as django_apps

    made = visit(cast, cast.people["managed"], D(2026, 3, 1), VisitKind.TOUR)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE talks_visit SET findings = %s WHERE id = %s",
                       ["工作状态良好", made.pk])
    migration = importlib.import_module("zugong.talks.migrations.0002_talk_rules")
    migration.encrypt_findings(django_apps, None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT findings FROM talks_visit WHERE id = %s", [made.pk])
        assert "良好" not in cursor.fetchone()[0]
    assert Visit.objects.get(pk=made.pk).findings == "工作状态良好"


# ---------------------------------------------------------------- 15. metric per period


def test_the_coverage_rate_has_a_value_per_period(cast, rules):
    p = cast.people
    talk(cast, "head", "deputy", on=D(2026, 5, 10))
    rate = metrics.get("talks.coverage_rate")
    values = rate.totals(people=[p["head"].pk, p["deputy"].pk], start=D(2026, 1, 1),
                         end=D(2026, 6, 30), by="quarter")
    # The head leads one pair (the deputy): not met at 31 March, met at 30 June.
    # The deputy leads two (chief, cadre), neither met at either date.
    assert values == {(p["head"].pk, "2026-Q1"): Decimal("0.0"),
                      (p["head"].pk, "2026-Q2"): Decimal("100.0"),
                      (p["deputy"].pk, "2026-Q1"): Decimal("0.0"),
                      (p["deputy"].pk, "2026-Q2"): Decimal("0.0")}
    whole = rate.totals(people=[p["head"].pk], start=D(2026, 1, 1), end=D(2026, 6, 30))
    assert whole == {(p["head"].pk, None): Decimal("100.0")}


def test_a_town_is_no_section_for_coverage(cast, rules):
    # Guard: a unit that is not a section never gets a chief by post.
    town = unit_create(by=None, parent=cast.dept, name="武溪镇", kind="town",
                       code="433122-T01")
    make_person(town, "镇主任", post="武溪镇主任")
    assert not any(k[0] == Relation.CHIEF_SECTION and k[1] == "镇主任" for k in matrix(cast))
    assert Talk.objects.count() == 0
