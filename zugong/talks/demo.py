"""Talks and visits of the demo department (泸溪): the usual coverage rules, this year's
talks of the leaders who have logins, one must-talk occasion, a term with visits to
about two thirds of the managed cadres, and a few visit flags.

A department that has kept its ledger all year is neither all met nor all owed: after the
leaders' own talks, each required pair is met, half met or not yet met in about a 6:2:2
mix (``_coverage_mix``), and each of the six visits has some done, some due and some
overdue (``_visits``)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM
from zugong.core.memo import bump
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, PersonCategory, User

from . import coverage, selectors, services
from .models import CoverageRule, Relation, Talk, TalkKind, TalkParty, VisitKind

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
            talks += _coverage_mix(rng, dept, head, today)
            # Written as rows, past the services: the kept coverage is judged afresh.
            bump(*coverage.scopes_over([dept.path]))
            visits = _visits(rng, dept, head, today)
    return TalksDemo(talks=talks, visits=visits)


def _coverage_mix(rng, dept, head, today) -> int:
    """The talks of the leaders without a login, entered by the head's account (the
    ledger keeps who held a talk apart from who recorded it): each required pair not yet
    met is met (six in ten), half met (two in ten; none held when one talk is required)
    or left owed. Written as rows, like an import of last year's ledger: the services
    would want each leader signed in."""
    made = 0
    for req in coverage.evaluate(dept, today=today):
        if req.rule.relation == Relation.TRIGGER or req.status == coverage.Status.MET:
            continue
        owed = req.required - req.done
        fate = rng.random()
        count = owed if fate < 0.6 else (owed - 1 if fate < 0.8 else 0)
        days = [d for first, last in req.days
                for d in _days(first, min(last, today - dt.timedelta(days=1)))]
        for held_on in sorted(rng.sample(days, min(count, len(days)))):
            talk = Talk.objects.create(by_id=req.leader_id, held_on=held_on,
                                       kind=TalkKind.HEART, summary="谈工作、谈思想、谈家庭",
                                       place=rng.choice(PLACES), recorded_by=head)
            confirmed = held_on + dt.timedelta(days=rng.randint(0, 6))
            TalkParty.objects.create(talk=talk, person_id=req.member_id, held_on=held_on,
                                     confirmed_on=confirmed if rng.random() < 0.8
                                     and confirmed <= today else None)
            made += 1
    return made


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _visits(rng, dept, head, today) -> int:
    term = services.term_create(by=SYSTEM, department=dept, name="本届",
                                start=dt.date(today.year - 2, 9, 1),
                                end=dt.date(today.year + 3, 8, 31))
    managed = list(Person.objects.filter(subtree_q("unit_path", dept.path), is_active=True,
                                         category=PersonCategory.MANAGED).order_by("pk"))
    span = (today - term.start).days
    count = 0

    def visit(person, kind, on, problems=()):
        services.visit_record(by=head, person=person, visitors=[head.person], kind=kind,
                              on=on, place=rng.choice(PLACES), findings=rng.choice(FINDINGS),
                              problems=list(problems))
        return 1

    # 届内遍访 and 随时接访: about two thirds visited so far in the term.
    for i, person in enumerate(managed):
        if rng.random() < 0.35:
            continue
        on = term.start + dt.timedelta(days=rng.randrange(span))
        problems = []
        if rng.random() < 0.3:
            problems.append({"text": rng.choice(PROBLEMS), "follow_up": "已转相关单位办理",
                             "solved_on": on if rng.random() < 0.6 else None})
        count += visit(person, VisitKind.WALK_IN if i % 17 == 0 else VisitKind.TOUR, on,
                       problems)
    year_start = today.replace(month=1, day=1)
    # 年内走访: ten key cadres, six of them visited this year.
    for k, person in enumerate(managed[:10]):
        services.visit_flags_set(by=head, person=person, data={"is_key": True})
        if k < 6:
            on = year_start + dt.timedelta(days=rng.randrange(max((today - year_start).days, 1)))
            count += visit(person, VisitKind.ANNUAL, on)
    # 定期回访: about six windows in ten that have opened have their return visit.
    plan = selectors.visit_plan(user=head, department=dept, term=term, today=today)
    for row in plan["returns"]:
        last = min(row["due"], today)
        if row["start"] <= last and rng.random() < 0.6:
            on = row["start"] + dt.timedelta(days=rng.randrange((last - row["start"]).days + 1))
            count += visit(row["person"], VisitKind.RETURN, on)
    # 适时家访 and 及时探访: one done, one overdue, one still within its time.
    rest = managed[10:16]
    for k, (ago, note) in enumerate(((75, "家人重病"), (45, "子女就学困难"), (6, "住房受灾"))):
        if len(rest) <= k:
            break
        since = today - dt.timedelta(days=ago)
        services.visit_flags_set(by=head, person=rest[k], data={
            "difficulty_since": since, "difficulty_note": note})
        if k == 0:
            count += visit(rest[k], VisitKind.HOME, since + dt.timedelta(days=9))
    for k, ago in enumerate((40, 20, 3)):
        if len(rest) <= 3 + k:
            break
        since = today - dt.timedelta(days=ago)
        services.visit_flags_set(by=head, person=rest[3 + k], data={"handling_since": since})
        if k == 0:
            count += visit(rest[3 + k], VisitKind.PROMPT, since + dt.timedelta(days=4))
    return count
