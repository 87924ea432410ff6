"""Talent records of the demo departments. 泸溪: 24 talents in the six categories, six of
them high-level with a leader each (the head and the deputy heads), evaluated by ability,
results and contribution; the leaders' visits with the matters raised (户籍, 住房, 家属就业,
子女教育), most solved (seed 004). The team (seed 003): a reserve pool of five young
candidates from the towns (one taken in after trial use, one not, three on trial), two
promotion proposals, two rotations and one exit. 凤凰 and 汉滨 get three talents each.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind

from . import services
from .models import Category, Talent

DEPT_CODES = ("433122-ZZB", "433123-ZZB", "610902-ZZB")
MAIN = "433122-ZZB"
EMPLOYERS = {
    Category.PARTY_GOV: ("县发展和改革局", "县财政局", "武溪镇人民政府"),
    Category.ENTERPRISE: ("湘西泸溪高新区某新材料公司", "县城乡建设投资公司", "浦市古镇文旅公司"),
    Category.PROFESSIONAL: ("县人民医院", "县第一中学", "县农业技术推广中心"),
    Category.SKILLED: ("县职业中专", "湘西某电力检修公司", "县建筑工程公司"),
    Category.RURAL: ("达岚镇椪柑专业合作社", "合水镇养殖大户", "石榴坪乡茶叶合作社"),
    Category.SOCIAL: ("县社会工作服务中心", "武溪镇社区", "县志愿者协会"),
}
SPECIALTIES = ("新材料研发", "企业管理", "心血管内科", "高中数学", "电气检修", "椪柑种植",
               "社会工作", "城乡规划", "财政管理", "乡村旅游")
SURNAMES = "张王李刘陈杨黄赵吴周向田彭龙符"
GIVEN = ("建华", "志强", "海燕", "晓明", "春梅", "文斌", "丽娟", "国庆", "永红", "小军",
         "秀英", "德胜")
MATTERS = (("hukou", "本人及配偶户籍迁入县城"), ("housing", "人才公寓申请"),
           ("spouse_job", "配偶随迁就业安置"), ("schooling", "子女就近入学"))


@dataclass
class TalentDemo:
    talents: int
    matters: int
    team: int

    def summary(self) -> str:
        return _("talent: %(t)d talents, %(m)d matters raised, %(n)d team records") % {
            "t": self.talents, "m": self.matters, "n": self.team}


def build(*, seed: int = 0, today: dt.date | None = None) -> TalentDemo | None:
    """Once: nothing is added when the main department already has talents."""
    depts = {d.code: d for d in OrgUnit.objects.filter(code__in=DEPT_CODES)}
    main = depts.get(MAIN)
    if main is None or Talent.objects.filter(department=main).exists():
        return None
    today = today or timezone.localdate()
    rng = random.Random(seed + 41)  # nosec B311
    made = TalentDemo(0, 0, 0)
    with transaction.atomic():
        for code, dept in depts.items():
            leaders = list(Person.objects.filter(subtree_q("unit_path", dept.path),
                                                 unit=dept,
                                                 category=PersonCategory.ORG_CADRE)
                           .order_by("pk"))
            if not leaders:
                continue
            _talents(rng, dept, leaders, today, made, 24 if code == MAIN else 3)
            if code == MAIN:
                _team(rng, dept, today, made)
    return made


def _name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _talents(rng, dept, leaders, today, made, count) -> None:
    start = dt.date(today.year - 1, 1, 1)
    categories = Category.values
    for i in range(count):
        category = categories[i % len(categories)]
        high = i < 6 if count > 6 else i == 0
        added = start + dt.timedelta(days=rng.randrange(200))
        talent = services.talent_create(
            by=SYSTEM, department=dept, name=_name(rng), category=category,
            employer=rng.choice(EMPLOYERS[category]), specialty=rng.choice(SPECIALTIES),
            added_on=added, high_level=high, phone=f"139{rng.randrange(10**8):08d}",
            leader=leaders[i % len(leaders)] if high else None)
        made.talents += 1
        if rng.random() < 0.8:
            evaluated = added + dt.timedelta(days=rng.randint(30, 120))
            services.talent_evaluate(by=SYSTEM, talent=talent, version=talent.version,
                                     ability=rng.randint(62, 98), results=rng.randint(60, 97),
                                     contribution=rng.randint(58, 96),
                                     evaluated_on=min(evaluated, today))
        if high:
            _contacts(rng, talent, today, made)


def _contacts(rng, talent, today, made) -> None:
    """Two visits by the talent's leader; the first raises two matters, solved within
    two months; the second one, still open when recent."""
    first = talent.added_on + dt.timedelta(days=rng.randint(10, 60))
    second = min(first + dt.timedelta(days=rng.randint(120, 300)), today)
    picks = rng.sample(MATTERS, 3)
    for on, matters in ((first, picks[:2]), (second, picks[2:])):
        contact = services.contact_record(
            by=SYSTEM, talent=talent, leader=talent.leader, kind="visit", on=on,
            note="走访慰问，了解工作生活情况",
            matters=[{"kind": k, "text": t} for k, t in matters])
        for matter in contact.matters.all():
            made.matters += 1
            solved = on + dt.timedelta(days=rng.randint(20, 60))
            if solved <= today:
                services.matter_solve(by=SYSTEM, matter=matter, version=matter.version,
                                      solved_on=solved, solution="协调相关部门办结")


def _team(rng, dept, today, made) -> None:
    towns = Person.objects.filter(subtree_q("unit_path", dept.path),
                                  category=PersonCategory.MANAGED,
                                  unit__kind=UnitKind.TOWN).order_by("-birth_date", "pk")[:5]
    entered = today - dt.timedelta(days=200)
    for i, person in enumerate(towns):
        c = services.candidate_add(by=SYSTEM, person=person, source="grassroots" if i % 2
                                   else "selected", on=entered)
        decision, decided = ("accepted", today - dt.timedelta(days=20)) if i == 0 else (
            ("declined", today - dt.timedelta(days=30)) if i == 1 else ("pending", None))
        services.candidate_update(
            by=SYSTEM, candidate=c, version=c.version, score=rng.randint(70, 95),
            evaluation="实战辩才：思路清晰，表达流畅", trial_from=entered + dt.timedelta(days=30),
            trial_to=entered + dt.timedelta(days=150), decision=decision, decided_on=decided)
        made.team += 1
    team = list(Person.objects.filter(subtree_q("unit_path", dept.path),
                                      category=PersonCategory.ORG_CADRE,
                                      unit__kind=UnitKind.SECTION).order_by("pk"))
    sections = list(OrgUnit.objects.filter(subtree_q("path", dept.path),
                                           kind=UnitKind.SECTION).order_by("path"))
    for person, status in ((team[1], "approved"), (team[6], "proposed")):
        p = services.proposal_record(by=SYSTEM, person=person, post="组织部副部长人选",
                                     reason="年度考核优秀，工作实绩突出",
                                     on=today - dt.timedelta(days=60))
        if status != "proposed":
            services.proposal_decide(by=SYSTEM, proposal=p, version=p.version,
                                     status=status, decided_on=today - dt.timedelta(days=15))
        made.team += 1
    for person, done in ((team[2], True), (team[9], False)):
        target = next(s for s in sections if s.pk != person.unit_id)
        r = services.rotation_plan(by=SYSTEM, person=person, to_unit=target,
                                   on=today - dt.timedelta(days=40) if done
                                   else today + dt.timedelta(days=30))
        if done:
            services.rotation_done(by=SYSTEM, rotation=r, version=r.version,
                                   done_on=today - dt.timedelta(days=38))
        made.team += 1
    oldest = min(team, key=lambda p: (p.birth_date, p.pk))
    services.exit_record(by=SYSTEM, person=oldest, kind="retire",
                         on=today - dt.timedelta(days=10), reason="达到法定退休年龄")
    made.team += 1
