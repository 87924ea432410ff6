"""Competitions (业务比武擂台, M37): tasks by round, scores, the ranking and awards."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zugong.ability import ranking, selectors, services
from zugong.core import metrics

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 5, 20)


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    totals = {"甲": Decimal("90"), "乙": Decimal("95"), "丙": Decimal("90"), "丁": Decimal("80")}
    # 乙 95 first; 甲 and 丙 90 share second; 丁 is fourth, not third.
    assert ranking.rank(totals) == [(1, "乙", Decimal("95")), (2, "甲", Decimal("90")),
                                    (2, "丙", Decimal("90")), (4, "丁", Decimal("80"))]


def test_scores_make_the_ranking_and_awards_count_as_figures(cast):
    p = cast.people
    competition = services.competition_create(
        by=cast["chief"], department=cast.dept, title="业务比武", held_on=DAY,
        entrants=[p["cadre"], p["cadre2"], p["assessor"]])
    written = services.task_add(by=cast["chief"], competition=competition, round=1,
                                title="笔试", max_score=60)
    oral = services.task_add(by=cast["chief"], competition=competition, round=2,
                             title="答辩", max_score=40)
    entrants = {e.person_id: e for e in competition.entrants.all()}
    for person, (a, b) in ((p["cadre"], (50, 35)), (p["cadre2"], (55, 30)),
                           (p["assessor"], (48, 30.5))):
        services.score_record(by=cast["chief"], entrant=entrants[person.pk], task=written,
                              points=a)
        services.score_record(by=cast["chief"], entrant=entrants[person.pk], task=oral,
                              points=b)
    # A correction replaces the earlier points: the assessor's oral 30.5 → 32.
    services.score_record(by=cast["head"], entrant=entrants[p["assessor"].pk], task=oral,
                          points=32)
    board = selectors.competition_board(competition)
    # cadre 50 + 35 = 85; cadre2 55 + 30 = 85; assessor 48 + 32 = 80.
    assert [(s.rank, s.entrant.person.name, s.total) for s in board["standings"]] == [
        (1, "李小红", Decimal("85.0")), (1, "王磊", Decimal("85.0")),
        (3, "陈刚", Decimal("80.0"))]
    services.award_set(by=cast["chief"], entrant=entrants[p["cadre"].pk], award="first")
    won = metrics.get("ability.competition_awards").totals(
        people=[p["cadre"].pk, p["cadre2"].pk], start=DAY, end=DAY)
    assert won == {(p["cadre"].pk, None): 1}


def test_bad_scores_and_strangers_are_refused(cast, client):
    p = cast.people
    competition = services.competition_create(by=cast["head"], department=cast.dept,
                                              title="比武", held_on=DAY,
                                              entrants=[p["cadre"], p["cadre2"]])
    task = services.task_add(by=cast["head"], competition=competition, round=1, title="笔试",
                             max_score=60)
    entrant = competition.entrants.first()
    with pytest.raises(ValidationError) as err:
        services.score_record(by=cast["head"], entrant=entrant, task=task, points=61)
    assert err.value.message_dict["points"] == ["得分应在0至该题满分60之间。"]
    with pytest.raises(PermissionDenied):
        services.score_record(by=cast["cadre"], entrant=entrant, task=task, points=1)
    with pytest.raises(ValidationError) as err:
        services.competition_create(by=cast["head"], department=cast.dept, title="比武",
                                    held_on=DAY, entrants=[p["cadre"]])
    assert err.value.message_dict["entrants"] == ["比武至少需要两名参赛人员。"]
    client.force_login(cast["head"])
    response = client.post(f"/ability/competitions/{competition.pk}/score/",
                           {"entrant": entrant.pk, "task": task.pk, "points": "99"})
    assert response.status_code == 400
    assert "得分应在0至该题满分60之间。" in response.content.decode()
    assert client.post(f"/ability/competitions/{competition.pk}/other/").status_code == 404
