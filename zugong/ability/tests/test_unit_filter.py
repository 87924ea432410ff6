"""Each ability list a metric names (``records_view=``) honours ``?unit=``: a figure
computed for a unit opens exactly the records it counts (issue 22, "each figure is a link
to the records behind it").

The cast's department 泸溪 has 组织室 (张建国 chief, 李小红 cadre), 干部室 (王磊 cadre2,
陈刚 assessor) and 干部监督室 (刘芳 supervisor). The figures below are checked against
``Metric.totals`` over the unit's people.
"""

import datetime as dt
from decimal import Decimal

import pytest

from zugong.ability import services
from zugong.core import metrics
from zugong.people.access import subtree_q
from zugong.people.models import Person

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 6)
YEAR = {"start": "2026-01-01", "end": "2026-12-31"}


def _total(key, unit, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31)) -> Decimal:
    people = Person.objects.filter(subtree_q("unit_path", unit.path))
    return sum(metrics.get(key).totals(people=people, start=start, end=end).values(),
               Decimal(0))


@pytest.fixture
def records(cast):
    p, head = cast.people, cast["head"]
    by = {"by": head, "department": cast.dept}
    services.lecture_record(**by, topic="theory", title="组织室主讲", held_on=DAY,
                            lecturers=[p["chief"]],
                            discussants=[p["cadre"], p["cadre2"], p["supervisor"]],
                            audience=[p["assessor"]])
    services.lecture_record(**by, topic="party", title="干部室主讲", held_on=DAY,
                            lecturers=[p["cadre2"]],
                            discussants=[p["head"], p["deputy"], p["assessor"]],
                            audience=[p["supervisor"]])
    services.training_record(**by, kind="tour", title="组织室考察", place="浙江安吉",
                             start=DAY, end=DAY, hours=8, participants=[p["chief"], p["cadre2"]])
    services.training_record(**by, kind="course", title="干部室培训", place="州委党校",
                             start=DAY, end=DAY, hours=16, participants=[p["assessor"]])
    services.pair_create(**by, section=cast.sec_org, mentor=p["chief"], mentee=p["cadre"],
                         started_on=dt.date(2026, 1, 5), goal_work="熟悉组织业务")
    services.pair_create(**by, section=cast.sec_cadre, mentor=p["assessor"],
                         mentee=p["cadre2"], started_on=dt.date(2026, 1, 5),
                         goal_work="熟悉干部工作")
    services.competition_create(**by, title="组织业务比武", held_on=DAY,
                                entrants=[p["chief"], p["cadre2"]])
    services.competition_create(**by, title="干部工作比武", held_on=DAY,
                                entrants=[p["assessor"], p["head"]])
    services.topic_create(**by, year=2026, title="组织室课题", leader=p["cadre"],
                          members=[p["cadre2"]])
    services.topic_create(**by, year=2026, title="干部室课题", leader=p["assessor"])
    return cast


def _titles(response, attr="title"):
    assert response.status_code == 200
    return sorted(getattr(r, attr) for r in response.context["rows"])


def test_the_lectures_of_a_unit_and_their_counts_add_up_to_its_figures(records, client):
    cast = records
    client.force_login(cast["head"])
    org = client.get("/ability/lectures/", {**YEAR, "unit": cast.sec_org.pk})
    assert _titles(org) == ["组织室主讲"]
    sup = client.get("/ability/lectures/", {**YEAR, "unit": cast.sec_sup.pk})
    assert _titles(sup) == ["干部室主讲", "组织室主讲"]
    # The counts are the unit's people's: they add up to the unit's figures.
    rows = sup.context["rows"]
    assert sum(r.audience_count for r in rows) == _total("ability.lectures_attended",
                                                         cast.sec_sup) == 1
    assert sum(r.discussant_count for r in rows) == _total("ability.lectures_discussed",
                                                           cast.sec_sup) == 1
    assert sum(r.lecturer_count for r in org.context["rows"]) == _total(
        "ability.lectures_given", cast.sec_org) == 1
    # The lecturers named are the unit's: a section's page never names another's lecturer.
    assert [s.person.name for r in sup.context["rows"] for s in r.lecturer_seats] == []
    assert "张建国" not in sup.content.decode()
    # A metric's link carries its part: the lectures where the unit's people lectured.
    url = metrics.get("ability.lectures_given").records_url(
        start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), unit=cast.sec_cadre.pk)
    given = client.get(url)
    assert "part=lecturer" in url and _titles(given) == ["干部室主讲"]
    assert sum(r.lecturer_count for r in given.context["rows"]) == _total(
        "ability.lectures_given", cast.sec_cadre) == 1
    # The page names the filter and keeps it in the export.
    page = sup.content.decode()
    assert "仅列出干部监督室（含下级单位）人员的记录。" in page and "unit=" in page
    assert 'id="unit-filter-clear"' in page


def test_the_trainings_of_a_unit_count_its_participants(records, client):
    cast = records
    client.force_login(cast["head"])
    org = client.get("/ability/trainings/", {**YEAR, "unit": cast.sec_org.pk})
    assert _titles(org) == ["组织室考察"]
    cadre = client.get("/ability/trainings/", {**YEAR, "unit": cast.sec_cadre.pk})
    assert _titles(cadre) == ["干部室培训", "组织室考察"]
    assert sum(t.trainee_count for t in cadre.context["rows"]) == _total(
        "ability.trainings", cast.sec_cadre) == 2
    assert sum(t.trainee_hours for t in cadre.context["rows"]) == _total(
        "ability.training_hours", cast.sec_cadre) == 24


def test_the_pairs_competitions_and_topics_of_a_unit(records, client):
    cast = records
    client.force_login(cast["head"])
    org = {**YEAR, "unit": cast.sec_org.pk}
    sup = {**YEAR, "unit": cast.sec_sup.pk}
    pairs = client.get("/ability/mentoring/", org)
    assert _titles(pairs, "mentor_id") == [cast.people["chief"].pk]
    assert client.get("/ability/mentoring/", sup).context["rows"] == []
    assert len(pairs.context["rows"]) == _total("ability.mentoring_pairs", cast.sec_org)

    competitions = client.get("/ability/competitions/", org)
    assert _titles(competitions) == ["组织业务比武"]
    assert sum(c.entrant_count for c in competitions.context["rows"]) == _total(
        "ability.competitions", cast.sec_org) == 1
    assert client.get("/ability/competitions/", sup).context["rows"] == []

    topics = client.get("/ability/topics/", {"unit": cast.sec_org.pk})
    assert _titles(topics) == ["组织室课题"]
    assert [t.member_count for t in topics.context["rows"]] == [1]  # 李小红, not 王磊
    assert client.get("/ability/topics/", {"unit": cast.sec_sup.pk}).context["rows"] == []


def test_the_ranking_of_a_unit_shows_its_lecturers_awards(cast, client):
    p = cast.people
    lecture = services.lecture_record(
        by=cast["head"], department=cast.dept, topic="theory", title="理论学习专题",
        held_on=DAY, lecturers=[p["chief"]],
        discussants=[p["cadre"], p["cadre2"], p["supervisor"]], audience=[p["assessor"]])
    services.scheme_save(by=cast["head"], department=cast.dept, leaders_weight=100,
                         peers_weight=0, audience_weight=0)
    services.scoring_open(by=cast["head"], lecture=lecture)
    services.comment_save(by=cast["head"], lecture=lecture, score=92)
    services.lecture_award_give(by=cast["head"], department=cast.dept, lecture=lecture,
                                level="first", start=dt.date(2026, 1, 1),
                                end=dt.date(2026, 6, 30), on=dt.date(2026, 7, 2))
    client.force_login(cast["head"])
    # The year's link (as reports make it) shows the award of its first half.
    org = client.get("/ability/lectures/ranking/", {**YEAR, "unit": cast.sec_org.pk})
    assert org.status_code == 200
    assert [a.person.name for a in org.context["awards"]] == ["张建国"]
    assert len(org.context["awards"]) == _total("ability.lecture_awards", cast.sec_org)
    assert [r["lecture"].title for r in org.context["rows"]] == ["理论学习专题"]
    other = client.get("/ability/lectures/ranking/", {**YEAR, "unit": cast.sec_cadre.pk})
    assert (other.context["awards"], other.context["rows"]) == ([], [])


PAGES = ["/ability/lectures/", "/ability/trainings/", "/ability/mentoring/",
         "/ability/competitions/", "/ability/topics/", "/ability/lectures/ranking/",
         "/ability/lectures/export.xlsx", "/ability/trainings/export.xlsx",
         "/ability/mentoring/export.xlsx", "/ability/competitions/export.xlsx",
         "/ability/topics/export.xlsx"]


@pytest.mark.parametrize("url", PAGES)
def test_a_unit_out_of_scope_or_missing_answers_404_without_naming_it(url, cast, client):
    client.force_login(cast["head"])
    assert client.get(url).status_code == 200
    for pk in (cast.other_dept.pk, cast.other_section.pk, 999_999, "x1"):
        response = client.get(url, {"unit": pk})
        assert response.status_code == 404, (url, pk)
        assert "凤凰" not in response.content.decode()
