"""Party life of the three demo departments: the default frequency rules, this year's
三会一课 and 主题党日 (with a few gaps, so coverage has something to show), a few problems
from inspection and supervision with their measures (some overdue, some closed), and in
凤凰 (seed 002, M32) a year of organization life: a 专题组织生活会 in June and the yearly one
at the end of November with their self-found problems, criticisms and measures, and each
member's self-check every other month: 100+ problems, 80+ criticisms and 120+ measures.

Rows are written with ``bulk_create`` (the demo is the system writing its own sample);
the records a person would enter one by one go through the services.
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
from zugong.people.models import OrgUnit, Person, PersonCategory, UnitKind

from . import services
from .models import (
    DEFAULT_FREQUENCIES,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Criticism,
    FrequencyRule,
    MeasureStatus,
    Meeting,
    MeetingKind,
    Problem,
    ProblemSource,
    RectMeasure,
)

DEPT_CODES = ("433122-ZZB", "433123-ZZB", "610902-ZZB")
LIFE_DEPT = "433123-ZZB"  # 凤凰: the seed that reports the organization-life figures
TITLES = {
    MeetingKind.ASSEMBLY: "支部党员大会：传达学习上级会议精神",
    MeetingKind.COMMITTEE: "支委会：研究支部月度工作",
    MeetingKind.GROUP: "党小组会：学习交流",
    MeetingKind.LECTURE: "党课：坚定理想信念 锤炼组工干部党性",
    MeetingKind.THEME_DAY: "主题党日：重温入党誓词",
}
REASONS = ("出差", "病假", "下乡调研", "参加培训")
SELF_PROBLEMS = ("理论学习不够系统深入，学用结合不够紧密。",
                 "深入基层调研不够，掌握一线情况不全面。",
                 "工作标准不够高，满足于完成任务。",
                 "批评与自我批评不够大胆，有“好人主义”思想。")
CRITICISMS = ("建议加强理论学习，多学原文、悟原理。",
              "希望工作中更加注重细节，提高材料质量。",
              "建议多下基层，多听群众意见。")
MEASURES = ("制定个人学习计划，每月精读一本理论书籍。",
            "每季度深入联系点调研不少于一次，形成调研报告。",
            "对照岗位职责梳理工作标准，建立工作台账。")
INSPECTION = (("inspection", "党员发展档案材料不规范，部分缺少谈话记录。",
               "逐一核查党员发展档案，补齐材料。"),
              ("supervision", "个别干部因私出国（境）证件管理登记不及时。",
               "完善证件管理台账，实行专人登记。"),
              ("inspection", "“三会一课”记录不完整，部分会议缺少记录。",
               "统一会议记录本，支部书记每月检查。"))


@dataclass
class PartylifeDemo:
    meetings: int
    attendance: int
    problems: int
    criticisms: int
    measures: int

    def summary(self) -> str:
        return _("party life: %(meetings)d meetings, %(problems)d problems, "
                 "%(criticisms)d criticisms, %(measures)d rectification measures") % {
            "meetings": self.meetings, "problems": self.problems,
            "criticisms": self.criticisms, "measures": self.measures}


def _members(unit: OrgUnit) -> list[Person]:
    return list(Person.objects.filter(subtree_q("unit_path", unit.path), is_active=True,
                                      category=PersonCategory.ORG_CADRE)
                .select_related("unit").order_by("unit_path", "pk"))


def build(*, seed: int = 0, today: dt.date | None = None) -> PartylifeDemo | None:
    """Once: nothing is added when the demo departments already have rules."""
    depts = list(OrgUnit.objects.filter(code__in=DEPT_CODES).order_by("path"))
    if not depts or FrequencyRule.objects.filter(department__in=depts).exists():
        return None
    today = today or timezone.localdate()
    rng = random.Random(seed + 23)  # nosec B311
    result = PartylifeDemo(0, 0, 0, 0, 0)
    with transaction.atomic():
        for dept in depts:
            FrequencyRule.objects.bulk_create([
                FrequencyRule(department=dept, kind=k, frequency=f, times=n)
                for k, f, n in DEFAULT_FREQUENCIES])
            members = _members(dept)
            if len(members) < 4:
                continue
            _meetings(rng, dept, members, today, result)
            _listed(dept, members, today, result)
            if dept.code == LIFE_DEPT:
                _life_year(dept, members, today, result)
    return result


def _meetings(rng, dept, members, today, result) -> None:
    """This year's meetings up to yesterday: each month a committee meeting, a theme day and
    every group's meeting, each quarter an assembly and a lecture; the theme day of one
    month and one group's meeting of another are missed on purpose."""
    sections = sorted({m.unit for m in members if m.unit.kind == UnitKind.SECTION},
                      key=lambda u: u.path)
    by_section = {s.pk: [m for m in members if m.unit_id == s.pk] for s in sections}
    committee = members[: min(5, len(members))]
    plan: list[tuple[OrgUnit, str, dt.date, list[Person]]] = []
    month = dt.date(today.year, 1, 1)
    skip_theme = rng.randrange(1, 6)
    skip_group = (rng.randrange(6, 10), sections[0].pk if sections else None)
    while month < today.replace(day=1):
        n = month.month
        plan.append((dept, MeetingKind.COMMITTEE, month.replace(day=5), committee))
        if n != skip_theme:
            plan.append((dept, MeetingKind.THEME_DAY, month.replace(day=1), members))
        if n % 3 == 0:
            plan.append((dept, MeetingKind.ASSEMBLY, month.replace(day=20), members))
            plan.append((dept, MeetingKind.LECTURE, month.replace(day=22), members))
        for s in sections:
            if (n, s.pk) != skip_group and by_section[s.pk]:
                plan.append((s, MeetingKind.GROUP, month.replace(day=12), by_section[s.pk]))
        month = add_months(month, 1)
    meetings = Meeting.objects.bulk_create([
        Meeting(department=dept, unit=unit, kind=kind, held_on=day, title=TITLES[kind],
                chair=people[0], minutes="会议按议程进行，与会党员逐一发言。")
        for unit, kind, day, people in plan])
    AgendaItem.objects.bulk_create([
        AgendaItem(meeting=m, position=1, title=TITLES[m.kind].partition("：")[2] or m.title)
        for m in meetings])
    rows = []
    for m, (_unit, _kind, day, people) in zip(meetings, plan, strict=True):
        for p in people:
            roll = rng.random()
            if roll < 0.9:
                rows.append(Attendance(meeting=m, person=p, on=day, kind=m.kind,
                                       status=AttendanceStatus.PRESENT))
            else:
                made_up = roll < 0.95
                rows.append(Attendance(
                    meeting=m, person=p, on=day, kind=m.kind, reason=rng.choice(REASONS),
                    status=AttendanceStatus.MADE_UP if made_up else AttendanceStatus.ABSENT,
                    made_up_on=day + dt.timedelta(days=7) if made_up else None))
    Attendance.objects.bulk_create(rows, batch_size=500)
    result.meetings += len(meetings)
    result.attendance += len(rows)


def _listed(dept, members, today, result) -> None:
    """Problems found by inspection and supervision, each with a measure: one closed on
    time, one overdue, one still running (if the year allows)."""
    head = members[0]
    for i, (source, text, action) in enumerate(INSPECTION):
        owner = members[1 + i % (len(members) - 1)]
        found = today - dt.timedelta(days=60 - 10 * i)
        problem = services.problem_record(by=SYSTEM, source=source, description=text,
                                          found_on=found, unit=owner.unit)
        deadline = found + dt.timedelta(days=(30, 20, 90)[i])
        measure = services.measure_set(by=SYSTEM, problem=problem, owner=owner, action=action,
                                       deadline=deadline, set_on=found)
        result.problems += 1
        result.measures += 1
        if i == 0:
            done = found + dt.timedelta(days=20)
            measure = services.measure_submit(by=SYSTEM, measure=measure,
                                              version=measure.version,
                                              evidence="已完成整改，附核查清单。", on=done)
            services.measure_verify(by=SYSTEM, measure=measure, version=measure.version,
                                    passed=True, note="经核查整改到位。", on=done,
                                    verifier=head)


def _life_year(dept, members, today, result) -> None:
    """A year of organization life (last year's until 25 November): a 专题组织生活会 on
    28 June and the yearly 组织生活会 on 25 November, and each member's self-check every
    other month (the 20th of January, March … November) with one measure each."""
    year = today.year if today >= dt.date(today.year, 11, 25) else today.year - 1
    _life_meeting(dept, members, dt.date(year, 6, 28), f"{year}年专题组织生活会", today, result)
    _life_meeting(dept, members, dt.date(year, 11, 25), f"{year}年度组织生活会", today, result)
    days = [dt.date(year, month, 20) for month in range(1, 12, 2)]
    problems = Problem.objects.bulk_create([
        Problem(department=dept, unit=p.unit, person=p, source=ProblemSource.SELF_CHECK,
                self_found=True, found_on=day, description=SELF_PROBLEMS[k % len(SELF_PROBLEMS)])
        for p in members for k, day in enumerate(days)])
    RectMeasure.objects.bulk_create([_measure(prob, MEASURES[0], prob.found_on, 60, 30, today,
                                              members) for prob in problems])
    result.problems += len(problems)
    result.measures += len(problems)


def _measure(problem, action, set_on, due_days, done_days, today, members) -> RectMeasure:
    """A measure set on ``set_on``, closed ``done_days`` later when that day has come."""
    closed_on = set_on + dt.timedelta(days=done_days)
    closed = closed_on <= today
    verifier = members[1] if problem.person_id == members[0].pk else members[0]
    return RectMeasure(
        problem=problem, owner=problem.person, action=action, set_on=set_on,
        deadline=set_on + dt.timedelta(days=due_days),
        status=MeasureStatus.CLOSED if closed else MeasureStatus.OPEN,
        evidence="已按措施整改，形成台账。" if closed else "",
        submitted_on=closed_on - dt.timedelta(days=3) if closed else None,
        closed_on=closed_on if closed else None, verified_by=verifier if closed else None)


def _life_meeting(dept, members, held, title, today, result) -> None:
    """One organization-life meeting of the whole branch. Member i (from 0) finds 3
    problems of their own, 4 when i is odd; criticizes every other member; the first
    problem of each member gets two measures, the others one."""
    n = len(members)
    meeting = Meeting.objects.create(department=dept, unit=dept, kind=MeetingKind.ORG_LIFE,
                                     held_on=held, title=title, chair=members[0])
    AgendaItem.objects.bulk_create([
        AgendaItem(meeting=meeting, position=1, title="通报上次整改落实情况"),
        AgendaItem(meeting=meeting, position=2, title="个人对照检查，开展批评与自我批评"),
        AgendaItem(meeting=meeting, position=3, title="民主评议党员")])
    Attendance.objects.bulk_create([Attendance(meeting=meeting, person=p, on=held,
                                               kind=meeting.kind, status="present")
                                    for p in members])
    problems = Problem.objects.bulk_create([
        Problem(department=dept, unit=p.unit, person=p, source=ProblemSource.MEETING,
                meeting=meeting, self_found=True, found_on=held,
                description=SELF_PROBLEMS[j % len(SELF_PROBLEMS)])
        for i, p in enumerate(members) for j in range(3 + i % 2)])
    criticisms = Criticism.objects.bulk_create([
        Criticism(meeting=meeting, person=p, on=held, receiver=members[(i + k) % n],
                  content=CRITICISMS[k % len(CRITICISMS)])
        for i, p in enumerate(members) for k in range(1, n)])
    first_of: set[int] = set()
    rows = []
    for prob in problems:
        twice = prob.person_id not in first_of
        first_of.add(prob.person_id)
        rows += [_measure(prob, MEASURES[k], held, 90, 45, today, members)
                 for k in range(2 if twice else 1)]
    RectMeasure.objects.bulk_create(rows)
    result.meetings += 1
    result.attendance += n
    result.problems += len(problems)
    result.criticisms += len(criticisms)
    result.measures += len(rows)
