"""Innovation projects of the three demo departments, written in bulk: projects declared by
sections and sub-units last year and this, most classified with a guiding section that
follows them up most months and guides them on site most quarters (so the coverage page
shows both kept and missed periods), some funded from the reward fund, and last year's
finished projects with their 工作创新奖. 汉滨 (seed 001, where the mechanism comes from)
has the most.

Ideas and information (M22): one idea per organization cadre this year, a third adopted;
a 好信息 is one of the cadre's information items the learning demo wrote (never typed
again here), and a cadre without one submits a 好点子 instead. Information adoptions: the
department's information items and articles of the year, adopted by outlets at every
level (``ADOPTIONS``), read through the hook ``learning.writings``; nothing when the
learning app is not installed or its demo has not run."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.periods import PeriodKind, periods_between
from zugong.people.access import subtree_q
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind

from . import selectors
from .models import (
    Adoption,
    AdoptionLevel,
    Award,
    Category,
    FollowUp,
    FollowUpKind,
    Idea,
    IdeaKind,
    IdeaStatus,
    InnovationProject,
    ProjectStatus,
)

# Department code -> projects declared (last year, this year).
PLAN = {"610902-ZZB": (4, 6), "433122-ZZB": (3, 5), "433123-ZZB": (2, 3)}
TITLES = ("“红色网格”党建引领基层治理", "年轻干部“墩苗”培养计划", "人才“一站式”服务平台",
          "村级集体经济“联村共建”", "党员积分制管理", "干部档案数字化管理",
          "“组工夜校”学习品牌", "乡村振兴指导员选派", "“两新”组织党建覆盖提升",
          "机关党建“双联双促”")
IDEAS = ("建立干部实绩档案季度更新机制", "推行村（社区）后备力量“储备库”", "组工信息报送激励办法",
         "党员教育“微课堂”进村组", "县管干部一线考察清单")
# Ideas per cadre this year: one each, a third adopted.
NOTES = ("了解推进情况，建议细化任务清单。", "项目进展顺利，建议总结提炼经验。",
         "实地查看台账资料，指导完善制度。", "发现推进滞后，督促按节点落实。")


# Adoptions per department, by level and outlet, taken in turn over the department's
# information items and articles of the year (oldest first): 8 when it has enough.
ADOPTIONS = ((AdoptionLevel.NATIONAL, "中共中央组织部《组工通讯》"),
             (AdoptionLevel.PROVINCIAL, "省委组织部《组工信息》"),
             (AdoptionLevel.PROVINCIAL, "省委组织部《组工信息》"),
             (AdoptionLevel.PREFECTURAL, "州（市）委组织部《组工简报》"),
             (AdoptionLevel.PREFECTURAL, "州（市）委组织部《组工简报》"),
             (AdoptionLevel.CITY, "市委组织部《组工动态》"),
             (AdoptionLevel.COUNTY, "县委办《工作动态》"),
             (AdoptionLevel.COUNTY, "县委办《工作动态》"))


@dataclass
class ProjectsDemo:
    projects: int = 0
    followups: int = 0
    ideas: int = 0
    adoptions: int = 0

    def summary(self) -> str:
        return _("projects: %(projects)d innovation projects, %(followups)d follow-ups, "
                 "%(adoptions)d information adoptions") % {
            "projects": self.projects, "followups": self.followups,
            "adoptions": self.adoptions}


def _day(rng, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


def build(*, seed: int = 0, today: dt.date | None = None) -> ProjectsDemo | None:
    """Once: nothing is added when the demo departments already have projects."""
    today = today or timezone.localdate()
    depts = list(OrgUnit.objects.filter(code__in=PLAN, kind=UnitKind.ORG_DEPT).order_by("code"))
    if not depts or InnovationProject.objects.filter(department__in=depts).exists():
        return None
    rng = random.Random(seed + 29)  # nosec B311
    out = ProjectsDemo()
    with transaction.atomic():
        for dept in depts:
            _department(rng, dept, today, out)
    return out


def _department(rng, dept: OrgUnit, today: dt.date, out: ProjectsDemo) -> None:
    last_n, this_n = PLAN[dept.code]
    inside = subtree_q("path", dept.path)
    sections = list(OrgUnit.objects.filter(inside, kind=UnitKind.SECTION).order_by("path"))
    units = sections + list(OrgUnit.objects.filter(inside, kind__in=(
        UnitKind.TOWN, UnitKind.PARTY_COMMITTEE)).order_by("path"))
    staff: dict[int, list[Person]] = {}
    for person in Person.objects.filter(subtree_q("unit_path", dept.path),
                                        category=PersonCategory.ORG_CADRE).order_by("pk"):
        staff.setdefault(person.unit_id, []).append(person)
    anyone = [p for people in staff.values() for p in people]
    if not sections or not anyone:
        return
    last_start, this_start = dt.date(today.year - 1, 1, 1), dt.date(today.year, 1, 1)
    projects = []
    for i in range(last_n + this_n):
        unit = units[i % len(units)]
        start = last_start if i < last_n else this_start
        end = dt.date(today.year - 1, 3, 31) if i < last_n else min(
            today, dt.date(today.year, 3, 31))
        declared = _day(rng, start, end)
        p = InnovationProject(
            department=dept, unit=unit, title=TITLES[i % len(TITLES)],
            declared_by=(staff.get(unit.pk) or anyone)[0], declared_on=declared,
            summary="围绕组织工作重点难点，探索形成可复制、可推广的经验做法。")
        # All but the last of this year's are classified about two weeks after declaring.
        classified = declared + dt.timedelta(days=14)
        if i != last_n + this_n - 1 and classified <= today:
            p.status, p.category, p.classified_on = (
                ProjectStatus.UNDER_WAY, Category.values[i % len(Category.values)], classified)
            p.guiding_section = sections[i % len(sections)]
            if i % 2 == 0:
                p.funding = Decimal(rng.choice((5000, 10000, 20000)))
        # Two of last year's finish in December, the first with a first prize.
        if i < min(2, last_n) and p.classified_on:
            p.status, p.finished_on = ProjectStatus.FINISHED, dt.date(today.year - 1, 12, 20)
            p.result = "形成制度文件3项，经验做法被上级刊物刊发。"
            p.award = Award.FIRST if i == 0 else Award.THIRD
            p.awarded_on = dt.date(today.year - 1, 12, 28)
        projects.append(p)
    projects = InnovationProject.objects.bulk_create(projects)
    out.projects += len(projects)

    followups = []
    for p in projects:
        if p.classified_on is None:
            continue
        guides = staff.get(p.guiding_section_id) or anyone
        last = min(today, p.finished_on or today)
        for month in periods_between(PeriodKind.MONTH, p.classified_on, last):
            lo, hi = max(month.start, p.classified_on), min(month.end, last)
            if rng.random() < 0.9:
                # The last month of a quarter usually brings the on-site guidance.
                onsite = month.start.month % 3 == 0 and rng.random() < 0.85
                followups.append(FollowUp(
                    person=rng.choice(guides), project=p, on=_day(rng, lo, hi),
                    kind=FollowUpKind.ONSITE if onsite else FollowUpKind.MONTHLY,
                    note=rng.choice(NOTES)))
    FollowUp.objects.bulk_create(followups)
    out.followups += len(followups)

    # The learning demo's information items and articles of the year (one hook call).
    written = selectors.writings_to_adopt(department=dept, since=dt.date(today.year, 1, 1))
    items = {}
    for pk, w in sorted(written.items()):
        if w["kind"] == "info":
            items.setdefault(w["person_id"], pk)
    ideas = []
    for i, person in enumerate(anyone):
        on = _day(rng, dt.date(today.year, 1, 1), today)
        kind = IdeaKind.values[i % 3]
        idea = Idea(person=person, department=dept, on=on, kind=kind,
                    title=IDEAS[i % len(IDEAS)], content="结合工作实际提出的具体建议。")
        if kind == IdeaKind.INFO:
            if person.pk in items:
                # A 好信息 names the learning record: no title or text of its own.
                idea.writing_id, idea.title, idea.content = items[person.pk], "", ""
                idea.on = max(on, written[items[person.pk]]["on"])
            else:
                idea.kind = IdeaKind.IDEA
        if i % 3 == 0:
            idea.status, idea.score, idea.rated_on = IdeaStatus.ADOPTED, 90, idea.on
            idea.adopted_on, idea.adopted_for = idea.on, "部务会研究采纳"
            idea.reward = Decimal(500)
        elif i % 3 == 1:
            idea.status, idea.score, idea.rated_on = IdeaStatus.RATED, 75, idea.on
        ideas.append(idea)
    Idea.objects.bulk_create(ideas)
    out.ideas += len(ideas)

    adoptions = []
    for (level, outlet), (pk, w) in zip(ADOPTIONS, sorted(
            written.items(), key=lambda kv: (kv[1]["on"], kv[0])), strict=False):
        adoptions.append(Adoption(person_id=w["person_id"], department=dept, writing_id=pk,
                                  level=level, outlet=outlet,
                                  on=min(w["on"] + dt.timedelta(days=7), today)))
    Adoption.objects.bulk_create(adoptions)
    out.adoptions += len(adoptions)
