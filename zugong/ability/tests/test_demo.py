"""The ability demo reproduces seed 000's figures for 泸溪 (M07: "开办组工讲堂11期，20余名干部
上讲台讲业务，培训组工干部400余人次"), once, and the named API list answers the head."""

import datetime as dt

import pytest

from zugong.ability import demo, selectors
from zugong.ability.models import Lecture, LectureAward, PostLedger
from zugong.learning.models import Writing
from zugong.people.models import OrgUnit, User

pytestmark = pytest.mark.django_db


def test_the_demo_reproduces_the_seed_figures_of_lectures_and_mentoring(people_demo, client):
    assert people_demo.created
    today = dt.date(2026, 11, 1)
    result = demo.build(seed=0, today=today)
    luxi = OrgUnit.objects.get(code=demo.LUXI)
    head = User.objects.get(username="head")
    figures = selectors.lecture_figures(user=head, department=luxi,
                                        start=dt.date(2026, 1, 1), end=today)
    # 11 sessions; ten with two lecturers and one with one: 10 × 2 + 1 = 21 lecturers.
    assert (figures.lectures, figures.lecturers) == (11, 21)
    # Discussants 3 + k % 3 for k = 0..10: 3,4,5,3,4,5,3,4,5,3,4 = 43.
    assert figures.discussants == 43
    # Each audience: the department's 32 cadres less the session's lecturers and
    # discussants and 2 absentees, plus 16 managed cadres. Over the year:
    # 11 × (32 − 2 + 16) − 21 − 43 = 506 − 64 = 442 person-times.
    assert figures.person_times == 442
    # 凤凰 and 汉滨 hold three sessions each.
    assert result.lectures == Lecture.objects.count() == 11 + 3 + 3
    assert demo.build(seed=0, today=today) is None
    # The latest session is scored in its three parts through the anonymous ballots.
    latest = Lecture.objects.filter(department=luxi).order_by("-held_on", "-pk").first()
    scores = selectors.lecture_scores(latest)
    assert scores["total"] is not None and all(p.count >= 2 for p in scores["parts"])
    # So are the last sessions of the quarters ended by 1 November (Q1–Q3), each taking
    # the quarter's award (both lecturers of a two-lecturer session).
    scored = Lecture.objects.filter(department=luxi, scoring__isnull=False)
    assert scored.count() == 4
    assert result.ballots == sum(p.count for lec in scored
                                 for p in selectors.lecture_scores(lec)["parts"][1:])
    awards = LectureAward.objects.filter(department=luxi)
    assert sorted({(a.term_start.month, a.term_end.month) for a in awards}) == [
        (1, 3), (4, 6), (7, 9)]
    assert result.awards == awards.count() >= 3
    assert all(selectors.lecture_scores(a.lecture)["total"] is not None for a in awards)
    # Every section cadre of the three departments keeps a post ledger, confirmed current.
    ledgers = PostLedger.objects.filter(department=luxi)
    assert result.ledgers == PostLedger.objects.count() and ledgers.count() >= 20
    assert all(led.duties and led.post.startswith(led.holder.unit.name) for led in ledgers)
    client.force_login(head)
    page = client.get("/api/v1/ability/lectures", {"limit": "50"}).json()
    assert len(page["items"]) == 11 and page["next"] is None
    assert sum(item["audience"] for item in page["items"]) == 442
    # 青蓝 (seed 002's 14 pairs): 泸溪's seven sections each pair their chief with the two
    # youngest of the section; 凤凰 and 汉滨 have three sections of two people: one pair each.
    pairs = client.get("/api/v1/ability/mentoring", {"limit": "50"}).json()["items"]
    assert len(pairs) == 14 and len({p["section"] for p in pairs}) == 7
    assert result.pairs == 14 + 3 + 3
    # From 15 January to 1 November: months January to October ran out, most with a
    # check-in (85 %), never more than ten per pair.
    assert all(p["checkins"] <= 10 for p in pairs) and result.checkins > 100
    # Training (seed 002, "20余篇"): 1 + 1 + 2 + 2 + 8 + 12 = 26 participants; every one
    # handed in a summary but four of the course's twelve: 26 − 4 = 22 learning writings.
    assert (result.trainees, result.summaries) == (26, 22)
    titles = [f"{t[1]}心得体会" for t in demo.TRAININGS]
    assert Writing.objects.filter(title__in=titles, status="confirmed").count() == 22
    trainings = client.get("/api/v1/ability/trainings").json()["items"]
    assert sum(t["summaries"] for t in trainings) == 22
    # One competition of twelve entrants; three research topics, by 1 November one
    # adopted, one reported, one still in the field.
    assert (result.entrants, result.topics) == (12, 3)
    topics = selectors.topic_list(user=head)
    assert sorted(t.status for t in topics) == ["adopted", "ongoing", "reported"]
