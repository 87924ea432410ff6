"""Learning records of the demo departments: this year so far, with a realistic spread.

Each department runs its own seed regime (泸溪 五个一, 凤凰, 汉滨). Some cadres keep up
every day, some fall behind, a few records wait for confirmation or were returned, one
cadre is exempt for a month of leave, and one reflection copies another so that the copy
check has something to show.
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
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind

from . import copies, selectors, services, summaries
from .models import (
    BookRead,
    ExemptionKind,
    OutletLevel,
    Regime,
    ReviewStatus,
    StudyForm,
    StudyNote,
    StudySession,
    Writing,
    WritingKind,
)

PRESET_BY_DEPT = {"433122-ZZB": "luxi", "433123-ZZB": "fenghuang", "610902-ZZB": "hanbin"}

BOOKS = [("习近平谈治国理政（第四卷）", "习近平"), ("之江新语", "习近平"),
         ("中国共产党简史", "本书编写组"), ("论党的自我革命", "习近平"),
         ("习近平新时代中国特色社会主义思想学习纲要", "中共中央宣传部"),
         ("平凡的世界", "路遥"), ("苦难辉煌", "金一南")]
TOPICS = ["学习党的二十届三中全会精神", "学习《中国共产党组织工作条例》",
          "学习习近平总书记关于组织工作的重要论述", "学习《干部选拔任用工作条例》",
          "学习党史：伟大建党精神", "学习强国每日答题",
          "学习《中国共产党纪律处分条例》", "学习基层党建工作业务知识"]
OUTLETS = [("人民日报", OutletLevel.NATIONAL), ("中国组织人事报", OutletLevel.NATIONAL),
           ("湖南日报", OutletLevel.PROVINCIAL), ("团结报", OutletLevel.PREFECTURAL),
           ("湘西组工", OutletLevel.PREFECTURAL), ("泸溪新闻网", OutletLevel.COUNTY)]
REFLECTION = (
    "通过这次集中学习，我对新时代党的组织路线有了更深的理解。组织工作是党的建设的重要组成部分，"
    "组工干部必须做到政治过硬、本领高强。在今后的工作中，我将把学习成果转化为推动工作的实际行动，"
    "坚持把政治标准放在首位，认真落实干部选拔任用各项制度，做到公道正派、敢于担当。同时要加强调查研究，"
    "深入基层了解干部群众的所思所盼，不断提高服务基层、服务干部、服务人才的能力和水平。我还认识到，"
    "学习不能停留在读原文、记笔记上，更要联系岗位实际查找差距，把学习体会写成推动工作的具体措施，"
    "以实际成效检验学习成果。")


@dataclass
class LearningDemo:
    regimes: int
    records: int

    def summary(self) -> str:
        return _("learning: %(regimes)d regimes, %(records)d records this year") % {
            "regimes": self.regimes, "records": self.records}


def _cadres(dept: OrgUnit) -> list[Person]:
    return list(Person.objects.filter(subtree_q("unit_path", dept.path), is_active=True,
                                      category=PersonCategory.ORG_CADRE).select_related(
        "unit", "account").order_by("unit_path", "pk"))


def _days(start: dt.date, end: dt.date):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


def build(*, seed: int = 0, today: dt.date | None = None,
          presets: dict[str, str] | None = None) -> LearningDemo | None:
    """Regimes and this year's learning records for the demo departments (once).

    ``presets`` maps department codes to regime presets (default: the demo's three).
    """
    if Regime.objects.exists():
        return None
    today = today or timezone.localdate()
    # Synthetic demo data: a seeded generator, so the same seed gives the same records.
    rng = random.Random(seed + 7)  # nosec B311
    start = today.replace(month=1, day=1)
    yesterday = today - dt.timedelta(days=1)
    count = 0
    with transaction.atomic():
        presets = presets or PRESET_BY_DEPT
        depts = OrgUnit.objects.filter(kind=UnitKind.ORG_DEPT, code__in=presets)
        for dept in depts:
            regime = services.regime_create(by=SYSTEM, department=dept, name="",
                                            preset=presets[dept.code], valid_from=start)
            count += _department(rng, dept, regime, start, yesterday)
        # The records went in by bulk_create, around the services that keep the summaries.
        summaries.rebuild()
        return LearningDemo(regimes=len(depts), records=count)


def _department(rng, dept, regime, start, yesterday) -> int:
    cadres = _cadres(dept)
    if not cadres or yesterday < start:
        return 0
    for title, author in BOOKS[:5]:
        services.reading_item_add(by=SYSTEM, department=dept, title=title, author=author,
                                  year=start.year)
    items = list(selectors.reading_list(department=dept))
    services.material_add(by=SYSTEM, department=dept, title="党的二十届三中全会《决定》全文",
                          link="https://www.gov.cn/zhengce/")
    services.material_add(by=SYSTEM, department=dept, title="学习强国·组工园地",
                          link="https://www.xuexi.cn/")
    sessions, notes, books, writings = [], [], [], []
    pending_from = yesterday - dt.timedelta(days=6)
    for person in cadres:
        diligence = rng.choice((0.95, 0.9, 0.8, 0.7, 0.5))
        joined = person.joined_on or start

        def status(day):
            if day >= pending_from and rng.random() < 0.6:
                return ReviewStatus.PENDING
            return ReviewStatus.RETURNED if rng.random() < 0.01 else ReviewStatus.CONFIRMED

        for day in _days(max(start, joined), yesterday):
            if rng.random() < diligence:
                hours = Decimal(rng.choice(("0.5", "1", "1", "1.5", "2")))
                sessions.append(StudySession(
                    person=person, on=day, hours=hours, topic=rng.choice(TOPICS),
                    form=StudyForm.FRIDAY if day.weekday() == 4 else rng.choice(
                        (StudyForm.SELF, StudyForm.SELF, StudyForm.ONLINE)),
                    status=status(day)))
            if day.weekday() == 6 and rng.random() < diligence:
                notes.append(StudyNote(person=person, on=day, title=f"{day:%m月%d日}学习笔记",
                                       is_paper=True, char_count=rng.randrange(600, 2600),
                                       status=status(day)))
            if day.day == 25:
                if rng.random() < diligence:
                    item = rng.choice(items) if rng.random() < 0.7 else None
                    title, author = (item.title, item.author) if item else rng.choice(BOOKS)
                    books.append(BookRead(person=person, on=day, title=title, author=author,
                                          reading_item=item, status=status(day)))
                if rng.random() < diligence:
                    writings.append(Writing(person=person, on=day, kind=WritingKind.INFO,
                                            title=f"{dept.name}{day.month}月工作动态",
                                            outlet="部门信息简报", status=status(day)))
                if rng.random() < diligence / 3:
                    outlet, level = rng.choice(OUTLETS)
                    writings.append(Writing(person=person, on=day, kind=WritingKind.ARTICLE,
                                            title="扎实推进基层党建工作", outlet=outlet,
                                            outlet_level=level, status=status(day)))
            if day.month in (3, 6, 9, 12) and day.day == 20 and rng.random() < diligence:
                writings.append(Writing(person=person, on=day, kind=WritingKind.REFLECTION,
                                        title=f"第{(day.month - 1) // 3 + 1}季度学习心得",
                                        text=f"{person.name}：{rng.choice(TOPICS)}。",
                                        status=status(day)))
    StudySession.objects.bulk_create(sessions, batch_size=2000)
    StudyNote.objects.bulk_create(notes, batch_size=2000)
    BookRead.objects.bulk_create(books, batch_size=2000)
    Writing.objects.bulk_create(writings, batch_size=2000)
    _showcase(rng, dept, regime, cadres, yesterday)
    return len(sessions) + len(notes) + len(books) + len(writings)


def _showcase(rng, dept, regime, cadres, yesterday) -> None:
    """A first-topic meeting, a month of leave, and a copied reflection for the checks."""
    services.first_topic_record(
        by=SYSTEM, department=dept, meeting="部务会", held_on=yesterday - dt.timedelta(days=3),
        content="学习习近平总书记最新重要讲话精神", hours=Decimal(1), attendees=cadres)
    on_leave = cadres[len(cadres) // 2]
    leave_start = yesterday.replace(day=1) - dt.timedelta(days=31)
    services.exemption_add(by=SYSTEM, regime=regime, person=on_leave, kind=ExemptionKind.LEAVE,
                           start=leave_start, end=leave_start + dt.timedelta(days=20),
                           reason="产假" if rng.random() < 0.5 else "病假")
    if len(cadres) >= 3:
        Writing.objects.create(
            person=cadres[1], on=yesterday - dt.timedelta(days=10), kind=WritingKind.REFLECTION,
            title="学习组织工作条例心得", text=REFLECTION, status=ReviewStatus.CONFIRMED)
        text = REFLECTION.replace("我将", "本人将").replace("深入基层", "深入一线")
        copied = Writing.objects.create(
            person=cadres[2], on=yesterday - dt.timedelta(days=2), kind=WritingKind.REFLECTION,
            title="学习心得体会", text="按照部里安排，我认真学习了组织工作条例。" + text,
            status=ReviewStatus.PENDING)
        copies.copy_check(copied)
