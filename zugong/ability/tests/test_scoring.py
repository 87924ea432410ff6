"""Lecture scoring (领导点评, 干部互评, 效果测评) through the kit's anonymous ballots
(core.ballots): the weights are data, the anonymous parts leave no ballot, and the audience
votes with one-time codes on a phone."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from zugong.ability import events, selectors, services
from zugong.ability.models import (
    LeaderComment,
    LectureCode,
    LectureScoring,
    LectureTally,
    LectureVoted,
    ScoringScheme,
)
from zugong.ability.scoring import weighted_total
from zugong.core import ballots
from zugong.core.models import AuditEntry

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 6)


def _lecture(cast):
    p = cast.people
    return services.lecture_record(
        by=cast["head"], department=cast.dept, topic="theory", title="理论学习专题",
        held_on=DAY, lecturers=[p["chief"]],
        discussants=[p["cadre"], p["cadre2"], p["supervisor"]],
        audience=[p["assessor"], p["deputy"], p["managed"]])


def _scored(cast, weights=(50, 20, 30)):
    services.scheme_save(by=cast["head"], department=cast.dept, leaders_weight=weights[0],
                         peers_weight=weights[1], audience_weight=weights[2])
    lecture = _lecture(cast)
    services.scoring_open(by=cast["head"], lecture=lecture)
    return lecture


def test_the_weighted_score_is_the_sum_of_each_parts_weight_times_its_mean(cast):
    lecture = _scored(cast)
    services.comment_save(by=cast["head"], lecture=lecture, score="90", comment="联系实际")
    services.comment_save(by=cast["deputy"], lecture=lecture, score=80)
    for voter, score in (("cadre", 70), ("cadre2", 80), ("supervisor", 90)):
        services.peer_vote(by=cast[voter], lecture=lecture, score=score)
    for score in (60, 100):
        services.audience_vote(code=services.codes_issue(by=cast["head"], lecture=lecture,
                                                         count=1)[0], score=score)
    result = selectors.lecture_scores(lecture)
    # 50 × 85 + 20 × 80 + 30 × 80, over 100.
    assert result["total"] == Decimal("82.50")
    assert [(p.part, p.weight, p.count) for p in result["parts"]] == [
        ("leaders", 50, 2), ("peers", 20, 3), ("audience", 30, 2)]
    # Two audience ballots: their mean counts but is not shown on its own.
    shown = {p.part: p.shown for p in result["parts"]}
    assert shown["peers"] == Decimal(80) and shown["audience"] is None
    # A later change of the department's weights leaves an opened scoring as it was.
    scheme = ScoringScheme.objects.get(department=cast.dept)
    services.scheme_save(by=cast["head"], department=cast.dept, leaders_weight=100,
                         peers_weight=0, audience_weight=0, version=scheme.version)
    assert selectors.lecture_scores(lecture)["total"] == Decimal("82.50")


def test_weights_must_add_up_to_100_and_a_part_without_scores_leaves_no_total(cast):
    with pytest.raises(ValidationError) as err:
        services.scheme_save(by=cast["head"], department=cast.dept, leaders_weight=50,
                             peers_weight=30, audience_weight=30)
    assert err.value.message_dict["__all__"] == ["三项权重合计为110，应为100。"]
    with pytest.raises(PermissionDenied):
        services.scheme_save(by=cast["cadre"], department=cast.dept, leaders_weight=40,
                             peers_weight=30, audience_weight=30)
    lecture = _scored(cast, weights=(40, 60, 0))
    services.comment_save(by=cast["head"], lecture=lecture, score=88)
    result = selectors.lecture_scores(lecture)
    # The peers weigh 60 and have not scored: no silent re-weighting of the leaders' 88.
    assert result["total"] is None and result["missing"] == ["干部互评"]
    services.peer_vote(by=cast["cadre"], lecture=lecture, score=78)
    # The audience weighs 0: not waited for.
    assert selectors.lecture_scores(lecture)["total"] == Decimal("82.00")
    assert weighted_total({"a": 50, "b": 50}, {"a": Decimal(90), "b": None}) == (None, ["b"])


def test_a_peer_ballot_leaves_a_mark_without_a_value_and_a_tally_without_a_voter(cast):
    lecture = _scored(cast)
    # The zero tallies exist before anyone votes: their keys follow nothing about votes.
    assert list(LectureTally.objects.filter(lecture=lecture).order_by("pk").values_list(
        "part", "total", "count")) == [("peers", 0, 0), ("audience", 0, 0)]
    services.peer_vote(by=cast["cadre"], lecture=lecture, score="77.5")
    services.peer_vote(by=cast["cadre2"], lecture=lecture, score=92)
    # What is stored: who voted (no score), and one running total (no voter).
    assert {f.name for f in LectureVoted._meta.get_fields()} == {"id", "lecture", "voter"}
    assert {f.name for f in LectureTally._meta.get_fields()} == {
        "id", "lecture", "part", "total", "count"}
    tally = LectureTally.objects.get(lecture=lecture, part="peers")
    assert (tally.total, tally.count) == (Decimal("169.50"), 2)
    entries = AuditEntry.objects.filter(action=events.BALLOT_CAST)
    assert [e.after for e in entries] == [{"part": "peers"}] * 2
    assert not any("77.5" in str(e.before) + str(e.after) for e in AuditEntry.objects.all())
    with pytest.raises(ValidationError) as err:
        services.peer_vote(by=cast["cadre"], lecture=lecture, score=10)
    assert "不能重复" in err.value.messages[0]
    # Leaders comment by name instead, and a lecturer does not score their own lecture.
    for who in ("head", "chief"):
        with pytest.raises(PermissionDenied):
            services.peer_vote(by=cast[who], lecture=lecture, score=90)
    with pytest.raises(PermissionDenied):
        services.comment_save(by=cast["chief"], lecture=lecture, score=90)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's")
def test_the_mark_and_the_tally_are_written_by_different_transactions(cast):
    lecture = _scored(cast)
    services.peer_vote(by=cast["cadre"], lecture=lecture, score=80)
    with connection.cursor() as cur:
        cur.execute("SELECT xmin::text FROM ability_lecturevoted")
        mark = cur.fetchone()[0]
        cur.execute("SELECT xmin::text FROM ability_lecturetally WHERE part = 'peers'")
        tally = cur.fetchone()[0]
    assert mark != tally


def test_a_ballot_the_tally_refuses_takes_back_its_mark_and_can_be_cast_again(cast,
                                                                            monkeypatch):
    lecture = _scored(cast)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ballots, "add_to_tallies", broken)
    with pytest.raises(RuntimeError):
        services.peer_vote(by=cast["cadre"], lecture=lecture, score=80)
    assert not LectureVoted.objects.exists()
    assert AuditEntry.objects.get(action=events.BALLOT_VOID).after == {"part": "peers"}
    monkeypatch.undo()
    services.peer_vote(by=cast["cadre"], lecture=lecture, score=80)
    assert LectureTally.objects.get(lecture=lecture, part="peers").count == 1


def test_an_audience_code_works_once_and_only_its_hash_is_kept(cast):
    lecture = _scored(cast)
    with pytest.raises(PermissionDenied):
        services.codes_issue(by=cast["cadre"], lecture=lecture, count=5)
    with pytest.raises(ValidationError):
        services.codes_issue(by=cast["head"], lecture=lecture, count=0)
    codes = services.codes_issue(by=cast["head"], lecture=lecture, count=3)
    assert len(set(codes)) == 3
    assert not LectureCode.objects.filter(code_hash__in=codes).exists()
    with pytest.raises(ValidationError) as err:  # a valid code, a bad score: not spent
        services.audience_vote(code=codes[0], score="120")
    assert err.value.message_dict["score"] == ["请填写0至100之间的分数。"]
    assert services.audience_vote(code=f" {codes[0].lower()} ", score=95) == lecture
    with pytest.raises(ValidationError) as err:
        services.audience_vote(code=codes[0], score=95)
    assert "使用" in err.value.message_dict["code"][0]
    with pytest.raises(ValidationError):
        services.audience_vote(code="NOTACODE00", score=95)
    assert AuditEntry.objects.filter(action=events.BALLOT_CAST).get().actor is None
    # Closed: the remaining codes admit nobody.
    scoring = LectureScoring.objects.get(lecture=lecture)
    services.scoring_close(by=cast["head"], lecture=lecture, version=scoring.version)
    with pytest.raises(ValidationError):
        services.audience_vote(code=codes[1], score=80)
    with pytest.raises(ValidationError):
        services.comment_save(by=cast["head"], lecture=lecture, score=80)
    assert LectureTally.objects.get(lecture=lecture, part="audience").count == 1


def test_the_audience_page_names_the_lecture_only_after_a_valid_code(cast, client):
    lecture = _scored(cast)
    code = services.codes_issue(by=cast["head"], lecture=lecture, count=1)[0]
    page = client.get("/ability/vote/")
    assert page.status_code == 200 and lecture.title not in page.content.decode()
    wrong = client.post("/ability/vote/", {"code": "WRONGCODE1"})
    assert wrong.status_code == 422 and lecture.title not in wrong.content.decode()
    admitted = client.post("/ability/vote/", {"code": code})
    assert admitted.status_code == 200 and lecture.title in admitted.content.decode()
    bad = client.post("/ability/vote/", {"code": code, "score": "abc"})
    assert bad.status_code == 422 and "请填写0至100之间的分数" in bad.content.decode()
    done = client.post("/ability/vote/", {"code": code, "score": "88"})
    assert done.status_code == 200 and 'id="vote-done"' in done.content.decode()
    assert LectureTally.objects.get(lecture=lecture, part="audience").count == 1


def test_the_scoring_page_opens_comments_votes_and_shows_the_total(cast, client):
    lecture = _lecture(cast)
    url = f"/ability/lectures/{lecture.pk}/scoring/"
    client.force_login(cast["cadre"])
    assert 'id="scoring-empty"' in client.get(url).content.decode()
    assert client.post(url + "open/").status_code == 403
    client.force_login(cast["head"])
    assert client.post(url + "open/").status_code == 302
    assert client.post(url + "comment/", {"score": "101"}).status_code == 400
    assert client.post(url + "comment/", {"score": "90", "comment": "好"}).status_code == 302
    codes = client.post(url + "codes/", {"count": "4"})
    assert codes.status_code == 200 and codes.content.decode().count("font-monospace") == 4
    client.force_login(cast["cadre"])
    page = client.get(url).content.decode()
    assert 'id="ballot-form"' in page and 'id="comment-form"' not in page
    assert client.post(url + "vote/", {"score": "80"}).status_code == 302
    page = client.get(url).content.decode()
    assert 'id="ballot-done"' in page and 'id="ballot-form"' not in page
    assert client.post(url + "vote/", {"score": "80"}).status_code == 400
    assert LeaderComment.objects.get(lecture=lecture).score == 90
    client.force_login(cast["outsider"])
    assert client.get(url).status_code == 404
