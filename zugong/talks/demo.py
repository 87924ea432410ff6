"""Talks and visits of the demo department (泸溪): the usual coverage rules, this year's
talks of the leaders who have logins, one must-talk occasion, a term with visits to
about two thirds of the managed cadres, and a few visit flags."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, PersonCategory, User

from . import services
from .models import CoverageRule, TalkKind, VisitKind

DEPT_CODE = "433122-ZZB"
PLACES = ("单位会议室", "乡镇办公室", "部长办公室", "干部家中", "项目现场")
FINDINGS = ("工作状态良好，干事创业热情高。", "反映基层任务重、人手紧。",
            "家庭困难，需要组织关心。", "思想稳定，希望多参加培训。")
PROBLEMS = ("办公用房紧张", "村干部报酬偏低", "年轻干部培训机会少", "交通补贴未落实")


@dataclass
class TalksDemo:
    talks: int
    visits: int

    def summary(self) -> str:
        return _("talks: %(talks)d talks, %(visits)d visits") % {
            "talks": self.talks, "visits": self.visits}


def build(*, seed: int = 0, today: dt.date | None = None) -> TalksDemo | None:
    """Once: nothing is added when the department already has coverage rules."""
    dept = OrgUnit.objects.filter(code=DEPT_CODE).first()
    if dept is None or CoverageRule.objects.filter(department=dept).exists():
        return None
    today = today or timezone.localdate()
    rng = random.Random(seed + 11)  # nosec B311
    users = {u.username: u for u in User.objects.filter(
        username__in=("head", "deputy", "chief"), person__isnull=False).select_related(
        "person__unit")}
    talks = visits = 0
    with transaction.atomic():
        services.default_rules(by=SYSTEM, department=dept)
        start = today.replace(month=1, day=1)
        span = max((today - start).days, 1)

        def day():
            return start + dt.timedelta(days=rng.randrange(span))

        head, deputy, chief = users.get("head"), users.get("deputy"), users.get("chief")
        if head and deputy:
            services.talk_record(by=head, with_people=[deputy.person], held_on=day(),
                                 kind=TalkKind.HEART, summary="交流分管工作和思想状况")
            talks += 1
        if chief:
            section = chief.person.unit
            staff = list(Person.objects.filter(unit=section, is_active=True).exclude(
                pk=chief.person_id))
            for person in staff[: max(1, len(staff) - 1)]:
                services.talk_record(by=chief, with_people=[person], held_on=day(),
                                     kind=TalkKind.HEART, summary="谈工作、谈学习、谈家庭")
                talks += 1
            if staff:
                services.trigger_record(by=chief, person=staff[-1], kind="award",
                                        on=today - dt.timedelta(days=5), note="县级表彰")
            if deputy:
                services.talk_record(by=deputy, with_people=[chief.person], held_on=day(),
                                     kind=TalkKind.INTEGRITY, summary="廉政提醒")
                talks += 1
        if head:
            visits = _visits(rng, dept, head, today)
    return TalksDemo(talks=talks, visits=visits)


def _visits(rng, dept, head, today) -> int:
    term = services.term_create(by=SYSTEM, department=dept, name="本届",
                                start=dt.date(today.year - 2, 9, 1),
                                end=dt.date(today.year + 3, 8, 31))
    managed = list(Person.objects.filter(subtree_q("unit_path", dept.path), is_active=True,
                                         category=PersonCategory.MANAGED).order_by("pk"))
    span = (today - term.start).days
    count = 0
    for i, person in enumerate(managed):
        if rng.random() < 0.35:
            continue
        on = term.start + dt.timedelta(days=rng.randrange(span))
        problems = []
        if rng.random() < 0.3:
            problems.append({"text": rng.choice(PROBLEMS), "follow_up": "已转相关单位办理",
                             "solved_on": on if rng.random() < 0.6 else None})
        services.visit_record(by=head, person=person, visitors=[head.person],
                              kind=VisitKind.WALK_IN if i % 17 == 0 else VisitKind.TOUR,
                              on=on, place=rng.choice(PLACES), findings=rng.choice(FINDINGS),
                              problems=problems)
        count += 1
    for person in managed[:3]:
        services.visit_flags_set(by=head, person=person, data={"is_key": True})
    if len(managed) > 5:
        services.visit_flags_set(by=head, person=managed[4], data={
            "difficulty_since": today - dt.timedelta(days=20), "difficulty_note": "家人重病"})
    return count
