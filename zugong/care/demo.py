"""Care records of the three demo departments, reproducing the seed figures (凤凰县, seed
002, for a department of 32 organization cadres) in 泸溪, whose team is 32 cadres too:

* last year: 24 collective activities (a 一月一文体 and a trade-union activity each
  month, one of them a families' visit), every one of the 32 cadres took part; 44 Party
  members' political birthdays marked ("40多名党员干部过政治生日");
* this year so far: the same rhythm up to last month, birthdays marked up to today;
* annual leave for every cadre within the days due, a health check each, a few
  recuperation stays, two cadres in difficulty supported (one resolved).

凤凰 and 汉滨 get a few activities each, so that one department never sees another's.
Everything goes through the services with ``by=SYSTEM``; participations are bulk-inserted
by the activity service.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, PersonCategory

from . import rules, services
from .models import Activity, ActivityKind, BirthdayForm, HardshipKind, HealthKind

DEPT_CODES = ("433122-ZZB", "433123-ZZB", "610902-ZZB")
MAIN = "433122-ZZB"
BIRTHDAYS_LAST_YEAR = 44
CULTURE = ("篮球友谊赛", "羽毛球比赛", "登山健身", "职工趣味运动会", "歌咏比赛", "书法交流",
           "乒乓球比赛", "健步走", "拔河比赛", "足球友谊赛", "读书分享会", "文艺汇演")
UNION = ("三八节女职工活动", "工会会员生日会", "端午包粽子", "中秋茶话会", "体验式教学",
         "游戏互动团建", "重阳敬老慰问", "职工心理健康讲座", "青年干部联谊", "趣味知识竞赛",
         "工会书屋开放日", "新春慰问")
PLACES = ("县体育馆", "部机关会议室", "县文化广场", "白沙古镇", "浦市古镇", "县职工之家")


@dataclass
class CareDemo:
    activities: int
    birthdays: int
    records: int

    def summary(self) -> str:
        return _("care: %(a)d activities, %(b)d political birthdays marked, %(r)d other "
                 "records") % {"a": self.activities, "b": self.birthdays, "r": self.records}


def _team(dept):
    return list(Person.objects.filter(subtree_q("unit_path", dept.path),
                                      category=PersonCategory.ORG_CADRE, is_active=True)
                .order_by("pk"))


def build(*, seed: int = 0, today: dt.date | None = None) -> CareDemo | None:
    """Once: nothing is added when the main department already has activities."""
    depts = {d.code: d for d in OrgUnit.objects.filter(code__in=DEPT_CODES)}
    main = depts.get(MAIN)
    if main is None or Activity.objects.filter(department=main).exists():
        return None
    today = today or timezone.localdate()
    rng = random.Random(seed + 31)  # nosec B311
    made = CareDemo(0, 0, 0)
    with transaction.atomic():
        for code, dept in depts.items():
            team = _team(dept)
            if not team:
                continue
            if code == MAIN:
                _activities(rng, dept, team, today, made)
                _birthdays(rng, dept, today, made)
                _leave_and_health(rng, team, today, made)
            else:
                _small(rng, dept, team, today, made)
    return made


def _month_day(rng, year: int, month: int, today: dt.date) -> dt.date | None:
    day = dt.date(year, month, rng.randint(3, 26))
    return day if day < today else None


def _activities(rng, dept, team, today, made) -> None:
    """Two a month (the second of each June a families' visit); last year everyone is in
    at least one, because each cadre is placed in one activity before the rest are drawn."""
    for year in (today.year - 1, today.year):
        slots = []
        for month in range(1, 13):
            for kind in (ActivityKind.CULTURE, ActivityKind.UNION):
                day = _month_day(rng, year, month, today)
                if day is not None:
                    slots.append((kind if not (month == 6 and kind == ActivityKind.UNION)
                                  else ActivityKind.FAMILY, day, month))
        groups = [set() for _slot in slots]
        if year < today.year and slots:
            for i, person in enumerate(team):
                groups[i % len(slots)].add(person.pk)
        by_pk = {p.pk: p for p in team}
        for (kind, day, month), group in zip(slots, groups, strict=True):
            group |= {p.pk for p in rng.sample(team, min(len(team), rng.randint(10, 24)))}
            title = {ActivityKind.CULTURE: CULTURE[month - 1],
                     ActivityKind.UNION: UNION[month - 1],
                     ActivityKind.FAMILY: "家属走进组织部"}[kind]
            services.activity_record(
                by=SYSTEM, department=dept, kind=kind, title=title, held_on=day,
                place=rng.choice(PLACES), organizer=rng.choice(team),
                family_guests=rng.randint(15, 30) if kind == ActivityKind.FAMILY else 0,
                participants=[by_pk[pk] for pk in sorted(group)])
            made.activities += 1


def _birthdays(rng, dept, today, made) -> None:
    """44 Party members' political birthdays marked last year (the team first, then
    managed cadres), and this year's of the same people up to today."""
    members = list(Person.objects.filter(subtree_q("unit_path", dept.path), is_active=True,
                                         party_join_date__lt=dt.date(today.year - 2, 1, 1))
                   .order_by("category", "pk")[:BIRTHDAYS_LAST_YEAR])
    forms = BirthdayForm.values
    for year in (today.year - 1, today.year):
        for person in members:
            day = rules.anniversary(person.party_join_date, year)
            if day > today:
                continue
            services.birthday_mark(by=SYSTEM, person=person, on=day, form=rng.choice(forms))
            made.birthdays += 1


def _leave_and_health(rng, team, today, made) -> None:
    for person in team:
        for year in (today.year - 1, today.year):
            due = rules.leave_due(person.work_start_date, year)
            if not due:
                continue
            start = _month_day(rng, year, rng.randint(2, 11), today)
            if start is None:
                continue
            days = min(due, rng.choice((3, 5, 5, 7, 10)))
            until = start + dt.timedelta(days=days + 2)
            if until.year != year or until > today:
                continue
            services.leave_record(by=SYSTEM, person=person, on=start, until=until,
                                  days=Decimal(days))
            made.records += 1
        check = _month_day(rng, today.year - 1, rng.randint(3, 10), today)
        services.health_record(by=SYSTEM, person=person, kind=HealthKind.CHECK, on=check,
                               place="县人民医院体检中心",
                               findings=rng.choice(("各项指标正常。", "血脂偏高，建议复查。",
                                                    "颈椎轻度劳损，注意休息。")))
        made.records += 1
    for person in rng.sample(team, 4):
        services.health_record(by=SYSTEM, person=person, kind=HealthKind.RECUPERATION,
                               on=dt.date(today.year - 1, 10, 12), days=5,
                               place="张家界职工疗休养基地", findings="按计划完成疗休养。")
        made.records += 1
    first, second = rng.sample(team, 2)
    known = dt.date(today.year - 1, 9, 8)
    closed = services.hardship_record(by=SYSTEM, person=first, kind=HardshipKind.ILLNESS,
                                      on=known, situation="母亲重病住院，家庭负担较重。",
                                      support="部领导上门看望，协调工会送去慰问金。",
                                      amount=Decimal("2000"))
    services.hardship_close(by=SYSTEM, hardship=closed, version=closed.version,
                            closed_on=known + dt.timedelta(days=70))
    services.hardship_record(by=SYSTEM, person=second, kind=HardshipKind.HOUSING,
                             on=dt.date(today.year - 1, 12, 1),
                             situation="新调入干部，在县城暂无住房。",
                             support="协调周转房一套。")
    made.records += 6


def _small(rng, dept, team, today, made) -> None:
    for month in (3, 6, 9):
        day = _month_day(rng, today.year - 1, month, today)
        services.activity_record(by=SYSTEM, department=dept, kind=ActivityKind.CULTURE,
                                 title=CULTURE[month - 1], held_on=day,
                                 place=rng.choice(PLACES), organizer=team[0],
                                 participants=team)
        made.activities += 1
