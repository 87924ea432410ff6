"""Tasks of the demo departments: this year's targets broken down into section tasks, weekly
progress (some tasks fall behind or miss updates), monthly plans with sign-offs, frozen
stock-takes of the past months and a few first inquiries."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zugong.core.audit import SYSTEM
from zugong.core.periods import Period, PeriodKind, periods_between
from zugong.people.models import OrgUnit, Person, UnitKind

from . import services
from .models import Channel, Source, Task

DEPARTMENTS = ("433122-ZZB", "433123-ZZB", "610902-ZZB")
TARGETS = {
    "基层组织建设质量提升": ["软弱涣散党组织整顿", "村级党组织书记轮训", "党员积分管理推广"],
    "干部队伍建设": ["年轻干部专项调研", "干部人事档案专项审核", "年度考核组织实施"],
    "组织部门自身建设": ["模范部门创建", "组工信息宣传", "机关制度汇编"],
}
SOURCES = [Source.ANNUAL, Source.UPPER, Source.MEETING, Source.LEADER]

# A one-page PDF: uploads are checked by content (core.files), so the demo's evidence is a
# real document of an allowed type.
DEMO_EVIDENCE = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                 b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
                 b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
                 b"trailer<</Root 1 0 R>>\n%%EOF\n")


@dataclass
class TasksDemo:
    tasks: int
    entries: int

    def summary(self) -> str:
        return _("tasks: %(tasks)d tasks with %(entries)d ledger entries") % {
            "tasks": self.tasks, "entries": self.entries}


def build(*, seed: int = 0, today: dt.date | None = None) -> TasksDemo | None:
    if Task.objects.exists():
        return None
    today = today or timezone.localdate()
    # Synthetic demo data: a seeded generator, so the same seed gives the same ledgers.
    rng = random.Random(seed + 11)  # nosec B311
    tasks = entries = 0
    with transaction.atomic():
        for dept in OrgUnit.objects.filter(kind=UnitKind.ORG_DEPT, code__in=DEPARTMENTS):
            t, e = _department(rng, dept, today)
            tasks, entries = tasks + t, entries + e
    return TasksDemo(tasks=tasks, entries=entries)


def _department(rng, dept, today) -> tuple[int, int]:
    sections = list(OrgUnit.objects.filter(department=dept, kind=UnitKind.SECTION)
                    .order_by("path"))
    people = {s.pk: list(Person.objects.filter(unit=s, is_active=True).order_by("pk"))
              for s in sections}
    sections = [s for s in sections if people[s.pk]]
    if not sections:
        return 0, 0
    deputies = list(Person.objects.filter(unit=dept, current_post__contains="副部长"))
    start = today.replace(month=1, day=1)
    made, n_entries = [], 0
    for i, (target_title, titles) in enumerate(TARGETS.items()):
        target = services.target_add(by=SYSTEM, department=dept, year=today.year,
                                     title=target_title)
        for j, title in enumerate(titles):
            section = sections[(i * 3 + j) % len(sections)]
            lead = rng.choice(people[section.pk])
            deadline = _deadline(rng, i * 3 + j, start, today)
            task = services.task_create(
                by=SYSTEM, title=title, section=section, lead=lead, start=start,
                deadline=deadline, weight=rng.choice((1, 2, 3)), target=target,
                source=SOURCES[(i + j) % len(SOURCES)],
                deputy=deputies[(i + j) % len(deputies)] if deputies else None,
                co_workers=[p for p in people[section.pk] if p != lead][:1])
            made.append(task)
    for task in made:
        n_entries += _ledger(rng, task, today)
    this_month = Period.containing(PeriodKind.MONTH, today)
    for task in made[:4]:
        if task.is_open:
            services.monthly_item_add(by=SYSTEM, section=task.section, month=this_month.key,
                                      title=f"{task.title}阶段任务", task=task)
    for month in periods_between(PeriodKind.MONTH, start, this_month.previous().end):
        services.stocktake_freeze(by=SYSTEM, department=dept, month=month.key)
    receiver = rng.choice(people[sections[0].pk])
    for k, (who, question) in enumerate((("群众甲", "流动党员组织关系如何转接"),
                                         ("退休干部乙", "干部档案查阅需要哪些手续"))):
        services.inquiry_add(by=SYSTEM, receiver=receiver,
                             channel=(Channel.PHONE, Channel.VISIT)[k],
                             received_on=today - dt.timedelta(days=3 + k * 5),
                             inquirer=who, question=question,
                             due=today + dt.timedelta(days=2 - k * 6))
    return len(made), n_entries


def _deadline(rng, k: int, start: dt.date, today: dt.date) -> dt.date:
    """A year's tasks as a department has them at any date: a third of them due in the
    weeks ahead (still open, on the dispatch and board pages), the rest due earlier in the
    year. Early in the year nothing is past yet, and every task is ahead."""
    ahead = today + dt.timedelta(days=rng.randint(10, 80))
    if k % 3 == 2 or (today - start).days < 75:
        return ahead
    return start + dt.timedelta(days=rng.randint(60, (today - start).days - 5))


def _ledger(rng, task, today) -> int:
    """Weekly progress entries; a task past its deadline is done at it four times in five,
    the fifth stays open and overdue. One task in five misses its recent weekly updates."""
    diligent = rng.random() > 0.2
    finishes = rng.random() < 0.8
    span = max((task.deadline - task.start).days, 1)
    n_entries = 0
    for week in periods_between(PeriodKind.WEEK, task.start, today - dt.timedelta(days=1)):
        if not diligent and week.start > today - dt.timedelta(days=21):
            break
        day = min(week.start + dt.timedelta(days=rng.randint(0, 4)), today)
        if day < task.start:
            continue
        due = day >= task.deadline
        if due and not finishes and day > task.deadline + dt.timedelta(days=7):
            break  # the overdue task's lead stopped reporting a week after the deadline
        percent = min(99, (day - task.start).days * 100 // span + rng.randint(-5, 10))
        if due and not finishes:
            percent = min(percent, 80 + rng.randint(0, 15))
        done = due and finishes
        services.entry_add(by=SYSTEM, task=task, on=day, text=_demo_text(rng, done),
                           percent=100 if done else max(percent, 1),
                           evidence=ContentFile(DEMO_EVIDENCE, name="验收材料.pdf") if done
                           else None)
        n_entries += 1
        if done:
            break
    return n_entries


def _demo_text(rng, done: bool) -> str:
    if done:
        return "任务完成，材料已归档"
    return rng.choice(["召开推进会部署", "赴乡镇实地督导", "收集整理基层材料",
                       "起草工作方案", "汇总阶段成效"])
