"""Permission-matrix rows of the ability pages and endpoints (gathered by
tests/test_permission_matrix.py). Every member of a department reads its lectures; the
head, deputies and section chiefs record them; another department's head (the outsider)
sees only their own department's; the administrators nothing."""

import datetime as dt

from tests.permissions import BUSINESS, expect, only
from zugong.ability import services
from zugong.ability.models import Lecture
from zugong.core.audit import SYSTEM

DAY = dt.date(2026, 3, 6)
MANAGERS = ("head", "deputy", "chief")


def _lecture(cast):
    lecture = Lecture.objects.filter(department=cast.dept).first()
    if lecture is None:
        p = cast.people
        lecture = services.lecture_record(
            by=SYSTEM, department=cast.dept, topic="party", title="党建研究专题", held_on=DAY,
            lecturers=[p["chief"]], discussants=[p["cadre"], p["cadre2"], p["supervisor"]],
            audience=[p["assessor"], p["head"]])
    return [lecture.pk]


SEE_LECTURE = expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=200,
                     supervisor=200, assessor=200, outsider=404)

ROWS = {
    "ability:home": ("get", None, None, only(302, BUSINESS)),
    "ability:lectures": ("get", None, None, only(200, BUSINESS)),
    "ability:lectures_export": ("get", None, None, only(200, BUSINESS)),
    "ability:lecture_add": ("get", None, None, only(200, (*MANAGERS, "outsider"))),
    "ability:lecture": ("get", _lecture, None, SEE_LECTURE),
    "ability:lecture_edit": ("get", _lecture, None,
                             {**SEE_LECTURE, "cadre": 403, "cadre2": 403, "supervisor": 403,
                              "assessor": 403}),
    "api:list_ability_lectures": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:get_ability_lecture": ("get", _lecture, None, {**SEE_LECTURE, None: 401}),
}


def _pair(cast):
    from zugong.ability.models import Pair

    pair = Pair.objects.filter(department=cast.dept).first()
    if pair is None:
        p = cast.people
        pair = services.pair_create(by=SYSTEM, department=cast.dept, section=cast.sec_org,
                                    mentor=p["chief"], mentee=p["cadre"],
                                    started_on=dt.date(2020, 1, 1),
                                    ends_on=dt.date(2026, 1, 1), goal_work="熟悉组织业务")
    return [pair.pk]


_months = iter(range(10**6))


def _checkin_body(cast):
    """A different month at each call (one check-in a month), inside the pair's term."""
    n = next(_months) % 72
    return {"on": dt.date(2020 + n // 12, n % 12 + 1, 10).isoformat(), "note": "交流学习体会"}


def _close_body(cast):
    from zugong.ability.models import Pair

    return {"version": Pair.objects.get(pk=_pair(cast)[0]).version}


# The mentor (chief) and the mentee (cadre) write in their pair, and so do the head and
# the deputy as the department's leaders; other colleagues only read it.
PAIR_WRITE = expect(403, head=302, deputy=302, chief=302, cadre=302, outsider=404)

ROWS.update({
    "ability:mentoring": ("get", None, None, only(200, BUSINESS)),
    "ability:pair_add": ("get", None, None, only(200, (*MANAGERS, "outsider"))),
    "ability:pair": ("get", _pair, None, SEE_LECTURE),
    "ability:checkin_add": ("post", _pair, _checkin_body, PAIR_WRITE),
    "ability:evaluation_add": ("post", _pair, lambda c: {"stage": "mid", "rating": "good"},
                               PAIR_WRITE),
    "ability:pair_close": ("post", _pair, _close_body,
                           expect(403, head=302, deputy=302, chief=302, outsider=404)),
    "api:list_ability_mentoring": ("get", None, None, only(200, BUSINESS, anonymous=401)),
})


def _training(cast):
    from zugong.ability.models import Training

    training = Training.objects.filter(department=cast.dept).first() or \
        services.training_record(by=SYSTEM, department=cast.dept, kind="tour", title="外出考察",
                                 place="浙江安吉", start=DAY, end=DAY + dt.timedelta(days=4),
                                 hours=40, participants=[cast.people["cadre"],
                                                         cast.people["chief"]])
    return [training.pk]


ROWS.update({
    "ability:trainings": ("get", None, None, only(200, BUSINESS)),
    "ability:training_add": ("get", None, None, only(200, (*MANAGERS, "outsider"))),
    "ability:training": ("get", _training, None, SEE_LECTURE),
    # Only a participant hands in their own summary (the chief and the cadre here); the
    # other colleagues see the training but have nothing to hand in.
    "ability:summary_submit": ("post", _training,
                               lambda c: {"kind": "reflection", "title": "考察小结",
                                          "text": "学习了基层治理经验"},
                               expect(403, chief=302, cadre=302, outsider=404)),
    "api:list_ability_trainings": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "ability:rotation": ("get", None, None, only(200, BUSINESS)),
    "ability:trainings_export": ("get", None, None, only(200, BUSINESS)),
})


def _competition(cast):
    from zugong.ability.models import Competition

    competition = Competition.objects.filter(department=cast.dept).first()
    if competition is None:
        p = cast.people
        competition = services.competition_create(
            by=SYSTEM, department=cast.dept, title="业务知识比武", held_on=DAY,
            entrants=[p["cadre"], p["cadre2"]])
        services.task_add(by=SYSTEM, competition=competition, round=1, title="笔试",
                          max_score=100)
    return [competition.pk]


def _score_body(cast):
    from zugong.ability.models import Competition

    competition = Competition.objects.get(pk=_competition(cast)[0])
    return {"entrant": competition.entrants.first().pk, "task": competition.tasks.first().pk,
            "points": "88"}


MANAGE_COMPETITION = expect(403, head=302, deputy=302, chief=302, outsider=404)

ROWS.update({
    "ability:competitions": ("get", None, None, only(200, BUSINESS)),
    "ability:competition_add": ("get", None, None, only(200, (*MANAGERS, "outsider"))),
    "ability:competition": ("get", _competition, None, SEE_LECTURE),
    "ability:competition_edit": ("post", lambda c: [*_competition(c), "score"], _score_body,
                                 MANAGE_COMPETITION),
})


def _topic(cast):
    from zugong.ability.models import ResearchTopic

    topic = ResearchTopic.objects.filter(department=cast.dept).first()
    if topic is None:
        topic = services.topic_create(
            by=SYSTEM, department=cast.dept, year=2026, title="年轻干部成长路径调研",
            leader=cast.people["cadre"], members=[cast.people["cadre2"]],
            milestones=[("深入调研", dt.date(2026, 6, 30))])
    return [topic.pk]


ROWS.update({
    "ability:topics": ("get", None, None, only(200, BUSINESS)),
    "ability:topic_add": ("get", None, None, only(200, (*MANAGERS, "outsider"))),
    "ability:topic": ("get", _topic, None, SEE_LECTURE),
    # The team leader (the cadre here) hands in the report; leaders of the department and
    # other colleagues may not write it for them.
    "ability:topic_edit": ("post", lambda c: [*_topic(c), "report"],
                           lambda c: {"title": "调研报告", "text": "报告正文"},
                           expect(403, cadre=302, outsider=404)),
})


def _ledger(cast):
    from zugong.ability.models import PostLedger

    ledger = PostLedger.objects.filter(holder=cast.people["cadre"]).first() or \
        services.ledger_save(by=SYSTEM, holder=cast.people["cadre"], post="组织室科员",
                             duties="党员发展、组织关系转接", contacts="各乡镇组织委员")
    return [ledger.pk]


ROWS.update({
    "ability:ledgers": ("get", None, None, only(200, BUSINESS)),
    # Every member with a person writes their own ledger (the page redirects to it once
    # written); the administrators have no person.
    "ability:ledger_mine": ("get", None, None, only(200, BUSINESS)),
    "ability:ledger": ("get", _ledger, None, SEE_LECTURE),
})


def _scoring(cast):
    """The matrix lecture with its scoring open (the chief is its lecturer)."""
    from zugong.ability.models import LectureScoring

    args = _lecture(cast)
    if not LectureScoring.objects.filter(lecture_id=args[0]).exists():
        services.scoring_open(by=SYSTEM, lecture=Lecture.objects.get(pk=args[0]))
    return args


ROWS.update({
    "ability:scoring": ("get", _lecture, None, SEE_LECTURE),
    # The leaders' comment: the head and the deputy (the chief gave the lecture); the
    # cadres score anonymously instead (the same URL's "vote", tested in test_scoring).
    "ability:scoring_action": ("post", lambda c: [*_scoring(c), "comment"],
                               lambda c: {"score": "86", "comment": "联系实际"},
                               expect(403, head=302, deputy=302, outsider=404)),
    "ability:ranking": ("get", None, None, only(200, BUSINESS)),
    "ability:scheme": ("get", None, None, only(200, (*MANAGERS, "outsider"))),
    # 效果测评 without an account: the code box is open to anyone.
    "ability:vote": ("get", None, None, expect(200, anonymous=200)),
    "api:get_ability_lecture_scoring": ("get", _lecture, None, {**SEE_LECTURE, None: 401}),
})


ROWS.update({
    # A term's award from the ranking page: the leaders of a department (a form without a
    # lecture is refused on the page, 400); the outsider awards in their own department.
    "ability:lecture_award": ("post", None,
                              lambda c: {"start": "2026-01-01", "end": "2026-06-30",
                                         "level": "first"},
                              expect(403, head=400, deputy=400, chief=400, outsider=400)),
    "ability:lecture_awards_export": ("get", None, None, only(200, BUSINESS)),
    "ability:person_tab": ("get", lambda c: [c.people["cadre"].pk], None, SEE_LECTURE),
})


def _swap(cast):
    """A kept swap of the forum rotation (made afresh once cancelled)."""
    from zugong.ability.models import RotationSwap

    swap = RotationSwap.objects.filter(department=cast.dept).first() or \
        RotationSwap.objects.create(department=cast.dept, first_day=dt.date(2026, 3, 6),
                                    second_day=dt.date(2026, 3, 13),
                                    first_person=cast.people["cadre"],
                                    second_person=cast.people["cadre2"])
    return [swap.pk]


PLAN = {"start": "2026-03-02", "weeks": "4", "weekday": "4"}

ROWS.update({
    # A leader keeps a swap of the rotation; a swap of a day with itself is refused on the
    # page (400), so no member changes what the next one sees.
    "ability:rotation_swap": ("post", None,
                              lambda c: {**PLAN, "first_day": "2026-03-06",
                                         "second_day": "2026-03-06"},
                              expect(403, head=400, deputy=400, chief=400, outsider=400)),
    "ability:rotation_swap_cancel": ("post", _swap, lambda c: PLAN,
                                     expect(403, head=302, deputy=302, chief=302,
                                            outsider=404)),
    "ability:mentoring_export": ("get", None, None, only(200, BUSINESS)),
    "ability:competitions_export": ("get", None, None, only(200, BUSINESS)),
    "ability:topics_export": ("get", None, None, only(200, BUSINESS)),
    "ability:ledgers_export": ("get", None, None, only(200, BUSINESS)),
})
