"""Ability records of the three demo departments.

泸溪 (seed 000, M07) held eleven sessions of its 组工讲堂 this year: ten with two lecturers
and one with one, so 21 different cadres lectured; three to five discussants each; the
audience is the rest of the department's 32 cadres but two absentees, plus sixteen
managed cadres (towns' and units' 组织委员). 凤凰 (seed 002, M28) runs a weekly 组工讲坛,
汉滨 a few sessions of its own: they show that a department sees only its own records.
Each section's chief mentors the section's youngest cadres (青蓝工程, M30). Every
section cadre keeps a post ledger (岗位练兵, M38), and each ended quarter's last session of
泸溪 is scored and takes the term's award.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM
from zugong.core.periods import add_months
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind, User

from . import selectors, services
from .models import Lecture, Part, Series, Topic

LUXI, FENGHUANG, HANBIN = "433122-ZZB", "433123-ZZB", "610902-ZZB"
LUXI_LECTURES = 11
ABSENT = 2  # cadres missing from each audience
MANAGED_GUESTS = 16  # managed cadres in each audience
TITLES = (
    ("theory", "深入学习贯彻党的二十届四中全会精神"),
    ("party", "基层党组织标准化规范化建设难点解析"),
    ("talent", "“引才聚才”政策实务与案例"),
    ("education", "发展党员工作流程与常见问题"),
    ("practice", "干部考察材料撰写要点"),
    ("theory", "新时代好干部标准的理论内涵"),
    ("party", "村（社区）“两委”换届后续工作"),
    ("talent", "乡村振兴人才队伍建设调研分享"),
    ("education", "党员教育培训工作条例解读"),
    ("practice", "干部人事档案专项审核实务"),
    ("party", "抓党建促乡村振兴典型经验交流"),
)
FORUM_TITLES = ("我的岗位我的职责", "组织工作中的调查研究方法", "公文写作的几点体会")


CHECKIN_NOTES = ("交流本月学习体会，明确下月读书计划。", "复盘干部考察材料，逐段讲解写法。",
                 "谈心谈话，了解家庭和生活困难。", "带领参加基层调研，现场指导。")
GOALS = {"goal_thought": "坚定理想信念，每季度交流一次学习心得。",
         "goal_work": "一年内独立承担一项组织业务，熟练撰写各类文稿。",
         "goal_life": "关心生活，帮助尽快适应机关工作节奏。"}


# 泸溪's year of 搭车培训 (seed 002, M29): kind, title, place, days, hours, participants,
# summaries handed in. 26 participants, 22 summaries ("20余篇心得体会").
TRAININGS = (
    ("secondment", "乡镇挂职锻炼", "浦市镇", 180, 720, 1, 1),
    ("upper", "省委组织部跟班学习", "长沙", 90, 360, 1, 1),
    ("practice", "信访窗口实践锻炼", "县信访局", 60, 240, 2, 2),
    ("shadowing", "州委组织部干部科跟班", "吉首", 30, 120, 2, 2),
    ("tour", "赴浙江安吉考察基层党建", "浙江安吉", 5, 40, 8, 8),
    ("course", "搭乘全州组工干部业务培训班", "州委党校", 3, 24, 12, 8),
)


@dataclass
class AbilityDemo:
    lectures: int
    seats: int
    pairs: int = 0
    checkins: int = 0
    trainees: int = 0
    summaries: int = 0
    entrants: int = 0
    topics: int = 0
    ballots: int = 0
    awards: int = 0
    ledgers: int = 0

    def summary(self) -> str:
        return _("ability: %(lectures)d lectures, %(seats)d lecture seats, %(pairs)d "
                 "mentoring pairs, %(checkins)d check-ins, %(trainees)d trained, "
                 "%(summaries)d summaries") % {
            "lectures": self.lectures, "seats": self.seats, "pairs": self.pairs,
            "checkins": self.checkins, "trainees": self.trainees,
            "summaries": self.summaries}


def _days(today: dt.date, n: int) -> list[dt.date]:
    """``n`` days spread evenly over this year up to today (several on one day early in
    January)."""
    start = dt.date(today.year, 1, 1)
    span = (today - start).days
    return [start + dt.timedelta(days=(2 * k + 1) * span // (2 * n)) for k in range(n)]


def _cadres(dept: OrgUnit, category: str) -> list[Person]:
    return list(Person.objects.filter(subtree_q("unit_path", dept.path), category=category)
                .order_by("unit_path", "pk"))


def build(*, seed: int = 0, today: dt.date | None = None) -> AbilityDemo | None:
    """Once: nothing is added when 泸溪 already has lectures."""
    depts = {d.code: d for d in OrgUnit.objects.filter(code__in=(LUXI, FENGHUANG, HANBIN))}
    luxi = depts.get(LUXI)
    if luxi is None or Lecture.objects.filter(department=luxi).exists():
        return None
    today = today or timezone.localdate()
    rng = random.Random(seed + 23)  # nosec B311
    result = AbilityDemo(0, 0)
    with transaction.atomic():
        _luxi(luxi, today, rng, result)
        for code, series in ((FENGHUANG, Series.FORUM), (HANBIN, Series.HALL)):
            if code in depts:
                _small(depts[code], series, today, rng, result)
        for code, per_section in ((LUXI, 2), (FENGHUANG, 1), (HANBIN, 1)):
            if code in depts:
                _mentoring(depts[code], per_section, today, rng, result)
        _trainings(luxi, today, rng, result)
        _competition(luxi, today, rng, result)
        _topics(luxi, today, rng, result)
        for code in (LUXI, FENGHUANG, HANBIN):
            if code in depts:
                _ledgers(depts[code], rng, result)
    # Outside the transaction above: a ballot is written in transactions of its own.
    _scoring(luxi, today, rng, result)
    return result


def _scoring(dept: OrgUnit, today: dt.date, rng: random.Random, result: AbilityDemo
             ) -> None:
    """泸溪's latest session scored, and the last session of each quarter that has ended;
    each quarter's scored session takes the term's award (讲堂评优, per term)."""
    lectures = Lecture.objects.filter(department=dept)
    latest = lectures.order_by("-held_on", "-pk").first()
    if latest is None:
        return
    _score(latest, dept, rng, result)
    for quarter in range(4):
        start = dt.date(today.year, 3 * quarter + 1, 1)
        end = add_months(start, 3) - dt.timedelta(days=1)
        if end >= today:
            break
        last = lectures.filter(held_on__range=(start, end)).order_by("-held_on", "-pk").first()
        if last is None:
            continue
        if last.pk != latest.pk:
            _score(last, dept, rng, result)
        result.awards += len(services.lecture_award_give(
            by=SYSTEM, department=dept, lecture=last, level="first", title="优秀讲师",
            start=start, end=end, on=min(end + dt.timedelta(days=5), today)))


def _score(lecture: Lecture, dept: OrgUnit, rng: random.Random, result: AbilityDemo) -> None:
    """One session scored in its three parts: the leaders by name, the cadres with an
    account anonymously, about half the audience with one-time codes."""
    services.scoring_open(by=SYSTEM, lecture=lecture)
    for user in User.objects.filter(person__isnull=False, is_active=True).filter(
            subtree_q("person__unit_path", dept.path)).order_by("pk"):
        if selectors.may_comment(user, lecture):
            services.comment_save(by=user, lecture=lecture, score=rng.randint(88, 96),
                                  comment=_("Close to our work; the cases could go deeper."))
        elif selectors.may_peer_vote(user, lecture):
            services.peer_vote(by=user, lecture=lecture, score=rng.randint(80, 98))
            result.ballots += 1
    audience = lecture.seats.filter(part=Part.AUDIENCE).count() // 2
    for code in services.codes_issue(by=SYSTEM, lecture=lecture, count=max(audience, 3)):
        services.audience_vote(code=code, score=rng.randint(78, 100))
        result.ballots += 1


# 岗位练兵 (M38): what each section's posts hold, their contacts and open matters.
LEDGER_DUTIES = ("党员发展、组织关系转接、党费收缴管理", "干部考察、任免文件起草、干部档案管理",
                 "干部监督、个人有关事项报告核查、函询诫勉", "组工信息报送、宣传稿件撰写",
                 "年轻干部培养、人才工作统筹", "基层党组织建设、软弱涣散党组织整顿",
                 "机关党建、部务会会务和文稿")
LEDGER_CONTACTS = ("各乡镇党委组织委员；县直机关工委", "州委组织部对口科室；县人社局",
                   "县纪委监委党风政风监督室；县档案馆")
LEDGER_MATTERS = ("3名发展对象待政审", "2份干部档案待专项审核", "季度组工信息待汇总报送",
                  "1件来信待回复", "")


def _ledgers(dept: OrgUnit, rng: random.Random, result: AbilityDemo) -> None:
    """Every cadre of the department's sections keeps the ledger of their post, so that
    anyone can take the job over."""
    sections = {s.pk: k for k, s in enumerate(OrgUnit.objects.filter(
        department=dept, kind=UnitKind.SECTION).order_by("path"))}
    for person in Person.objects.filter(unit_id__in=sections,
                                        category=PersonCategory.ORG_CADRE).select_related(
            "unit").order_by("unit_path", "pk"):
        k = sections[person.unit_id]
        services.ledger_save(by=SYSTEM, holder=person,
                             post=f"{person.unit.name}{person.current_post or '干部'}",
                             duties=LEDGER_DUTIES[k % len(LEDGER_DUTIES)],
                             contacts=rng.choice(LEDGER_CONTACTS),
                             open_matters=rng.choice(LEDGER_MATTERS))
        result.ledgers += 1


def _luxi(dept: OrgUnit, today: dt.date, rng: random.Random, result: AbilityDemo) -> None:
    team = _cadres(dept, PersonCategory.ORG_CADRE)
    managed = _cadres(dept, PersonCategory.MANAGED)
    if len(team) < 2 * LUXI_LECTURES:
        return
    head, speakers = team[0], team[1:]
    order = rng.sample(speakers, len(speakers))
    for k, held_on in enumerate(_days(today, LUXI_LECTURES)):
        # Ten sessions with two lecturers, the last with one: 21 lecturers in all.
        lecturers = order[2 * k: 2 * k + 2] if k < LUXI_LECTURES - 1 else order[2 * k: 2 * k + 1]
        others = [p for p in team if p not in lecturers]
        discussants = rng.sample([p for p in others if p != head], 3 + k % 3)
        rest = [p for p in others if p not in discussants]
        audience = rng.sample(rest, len(rest) - ABSENT) + rng.sample(managed, MANAGED_GUESTS)
        topic, title = TITLES[k]
        services.lecture_record(by=SYSTEM, department=dept, series=Series.HALL, topic=topic,
                                title=title, held_on=held_on, place="部机关会议室",
                                lecturers=lecturers, discussants=discussants,
                                audience=audience,
                                summary="部领导点评：讲解深入浅出，研讨交流充分。")
        result.lectures += 1
        result.seats += len(lecturers) + len(discussants) + len(audience)


def _small(dept: OrgUnit, series: str, today: dt.date, rng: random.Random,
           result: AbilityDemo) -> None:
    team = _cadres(dept, PersonCategory.ORG_CADRE)
    if len(team) < 6:
        return
    for k, held_on in enumerate(_days(today, len(FORUM_TITLES))):
        chosen = rng.sample(team, 5)
        lecturers, discussants = chosen[:1], chosen[1:5] if series == Series.HALL else chosen[1:3]
        audience = [p for p in team if p not in chosen]
        services.lecture_record(by=SYSTEM, department=dept, series=series,
                                topic=rng.choice(Topic.values), title=FORUM_TITLES[k],
                                held_on=held_on, lecturers=lecturers,
                                discussants=discussants[:4], audience=audience)
        result.lectures += 1
        result.seats += len(lecturers) + len(discussants[:4]) + len(audience)


def _mentoring(dept: OrgUnit, per_section: int, today: dt.date, rng: random.Random,
               result: AbilityDemo) -> None:
    """Each section's chief mentors its youngest cadres (泸溪: 7 sections × 2 = 14 pairs, the
    seed-002 figure); most months have their check-in, and past mid-year all three sides
    have given the mid-term evaluation."""
    start = min(dt.date(today.year, 1, 15), today)
    for section in OrgUnit.objects.filter(department=dept, kind=UnitKind.SECTION).order_by(
            "path"):
        members = list(Person.objects.filter(unit=section).order_by("pk"))
        if len(members) < 2:
            continue
        chief, staff = members[0], sorted(members[1:], key=lambda p: p.birth_date,
                                          reverse=True)
        for mentee in staff[:per_section]:
            pair = services.pair_create(by=SYSTEM, department=dept, section=section,
                                        mentor=chief, mentee=mentee, started_on=start, **GOALS)
            result.pairs += 1
            month = start.replace(day=1)
            while add_months(month, 1) <= today:
                on = max(month + dt.timedelta(days=rng.randrange(25)), start)
                if rng.random() < 0.85 and on <= today:
                    services.checkin_record(by=SYSTEM, pair=pair, on=on,
                                            note=rng.choice(CHECKIN_NOTES))
                    result.checkins += 1
                month = add_months(month, 1)
            mid = add_months(start, 6)
            if mid <= today:
                for side in ("mentor", "mentee", "chief"):
                    services.evaluation_record(by=SYSTEM, pair=pair, stage="mid", side=side,
                                               rating=rng.choice(("excellent", "good", "good")),
                                               comment="按计划推进，成效明显。", on=mid)


def _trainings(dept: OrgUnit, today: dt.date, rng: random.Random, result: AbilityDemo) -> None:
    """The long postings start early in the year, so that by autumn every one has ended
    and its participants have handed in their summaries (as learning writings)."""
    team = _cadres(dept, PersonCategory.ORG_CADRE)[4:]  # not the head and deputies
    if len(team) < 12:
        return
    starts = _days(today, len(TRAININGS))
    for (kind, title, place, days, hours, count, summaries), start in zip(TRAININGS, starts,
                                                                           strict=True):
        people = rng.sample(team, count)
        training = services.training_record(by=SYSTEM, department=dept, kind=kind, title=title,
                                            place=place, start=start,
                                            end=start + dt.timedelta(days=days - 1),
                                            hours=hours, participants=people)
        result.trainees += count
        if training.end >= today:
            continue
        trainees = {t.person_id: t for t in training.trainees.select_related("person",
                                                                              "training")}
        for person in people[:summaries]:
            services.summary_submit(by=SYSTEM, trainee=trainees[person.pk],
                                    title=f"{title}心得体会",
                                    text=f"参加{title}，学习了{place}的经验做法，结合本职工作谈三点体会。",
                                    kind="research" if kind == "tour" else "reflection")
            result.summaries += 1


COMPETITION_TASKS = ((1, "组工业务知识笔试", 60), (1, "公文改错", 20), (2, "现场答辩", 20))


def _competition(dept: OrgUnit, today: dt.date, rng: random.Random,
                 result: AbilityDemo) -> None:
    """One 业务比武擂台 (M37): twelve young cadres, two rounds, prizes by the ranking."""
    team = _cadres(dept, PersonCategory.ORG_CADRE)[4:]
    if len(team) < 12:
        return
    competition = services.competition_create(
        by=SYSTEM, department=dept, title="组工干部业务比武擂台",
        held_on=_days(today, 2)[1], entrants=rng.sample(team, 12))
    tasks = [services.task_add(by=SYSTEM, competition=competition, round=r, title=t,
                               max_score=m) for r, t, m in COMPETITION_TASKS]
    entrants = list(competition.entrants.order_by("pk"))
    totals = {}
    for entrant in entrants:
        totals[entrant.pk] = 0
        for task in tasks:
            points = round(float(task.max_score) * rng.uniform(0.6, 1.0), 1)
            services.score_record(by=SYSTEM, entrant=entrant, task=task, points=points)
            totals[entrant.pk] += points
    awards = ("first", "second", "second", "third", "third", "third")
    best = sorted(entrants, key=lambda e: -totals[e.pk])
    for entrant, award in zip(best, awards, strict=False):
        services.award_set(by=SYSTEM, entrant=entrant, award=award)
    result.entrants += len(entrants)


TOPICS = ("年轻干部成长路径调研", "村级党组织书记队伍建设调研", "“六联六促”机制运行情况调研")


def _topics(dept: OrgUnit, today: dt.date, rng: random.Random, result: AbilityDemo) -> None:
    """This year's three topics (六联六促 调研, seed 000): one adopted by the leaders, one
    reported, one still in the field."""
    team = _cadres(dept, PersonCategory.ORG_CADRE)[4:]
    if len(team) < 9:
        return
    mid = dt.date(today.year, 6, 30)
    for k, title in enumerate(TOPICS):
        people = rng.sample(team, 3)
        topic = services.topic_create(
            by=SYSTEM, department=dept, year=today.year, title=title, leader=people[0],
            members=people[1:], milestones=[("深入基层调研", mid),
                                            ("形成调研报告", dt.date(today.year, 10, 31))])
        result.topics += 1
        if k == 2 or today <= mid:
            continue
        services.milestone_done(by=SYSTEM, milestone=topic.milestones.order_by("due_on")[0],
                                done_on=mid)
        topic = services.topic_report(by=SYSTEM, topic=topic, title=f"关于{title[:-2]}的调研报告",
                                      text="一、基本情况；二、存在问题；三、对策建议。")
        if k == 0:
            services.topic_adopt(by=SYSTEM, topic=topic, version=topic.version,
                                 adopted_on=topic.reported_on,
                                 adoption="部长批示，转化为年度重点工作举措。")
