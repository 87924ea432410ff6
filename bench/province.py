#!/usr/bin/env python
"""Province generator (issue 23): every app's data at the size of a province.

Run by hand, never in CI (it drops and recreates the database it is given):

    .venv/bin/python bench/province.py \\
        --database-url postgres://postgres@127.0.0.1:5432/zugong_province \\
        [--counties 100 --cadres 4000 --managed 80000 --years 3 --reuse --seed 2026]

Steps: (1) drop/create the database (never ``postgres`` or ``template*``) and migrate;
(2) the people registry as ``people_bench`` builds it (its ``Loader`` makes the units,
people, résumé lines and family members): ``--counties`` county departments with 6
sections and 10 county units/towns each, ``--cadres`` organization cadres and
``--managed`` managed cadres; (3) learning exactly as ``learning_bench`` loads it (the
luxi regime in every county through ``regime_create`` and its day-by-day ``COPY`` of
study sessions, notes, books and writings: about 4 million rows at full size);
(4) ``--years`` years of records of every other app with ``bulk_create``
(:data:`APP_LOADERS`, one function per app); (5) the benchmark accounts
(:func:`accounts`: a head, a section chief, an assessment officer and five cadres per
county, and a province-level head), all with the password :data:`PASSWORD`;
(6) ``VACUUM ANALYZE`` and the "finished load" mark in the database's comment, which
``--reuse`` looks for.

``bench/load_province.py`` runs the mixed-load benchmark against this database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import learning_bench  # noqa: E402 - the bench directory is not a package
import people_bench  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zugong_province"
PASSWORD = people_bench.PASSWORD  # throw-away database; printed in the README
PROVINCE_USER = "prov_head"
CADRES_PER_COUNTY_ACCOUNTS = 5


def account_names(code: str) -> dict[str, str]:
    """The benchmark usernames of one county (its position in the load, 0-based)."""
    return {"head": f"c{code}_head", "chief": f"c{code}_chief",
            "assessor": f"c{code}_assess"}


def cadre_name(code: str, k: int) -> str:
    return f"c{code}_cadre{k}"


def size_mark(args) -> str:
    return (f"zugong province: counties={args.counties} cadres={args.cadres} "
            f"managed={args.managed} years={args.years} seed={args.seed}")


def data_present(url: str, args) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                               "WHERE datname = current_database()").fetchone()
    except psycopg.OperationalError:
        return False
    return bool(row) and row[0] == size_mark(args)


# ---------------------------------------------------------------- the county


class County:
    """One county department as loaded: its units and people, for the app loaders."""

    def __init__(self, idx, code, name, dept, sections, units):
        self.idx, self.code, self.name = idx, code, name
        self.dept, self.sections, self.units = dept, sections, units
        self.org: list = []  # organization cadres; [0] head, [1:4] deputies
        self.section_staff: dict[int, list] = {}  # section pk -> its cadres, chief first
        self.managed: list = []
        self.users: dict[str, object] = {}

    @property
    def head(self):
        return self.org[0]

    def chief_of(self, section):
        return self.section_staff[section.pk][0]


class Dates:
    def __init__(self, rng: random.Random, today: dt.date, years: int):
        self.rng = rng
        self.today = today
        self.first = dt.date(today.year - years + 1, 1, 1)
        self.years = list(range(self.first.year, today.year + 1))

    def between(self, a: dt.date, b: dt.date) -> dt.date:
        return a + dt.timedelta(days=self.rng.randrange(max(1, (b - a).days + 1)))

    def any(self) -> dt.date:
        return self.between(self.first, self.today)

    def in_year(self, year: int) -> dt.date:
        return self.between(dt.date(year, 1, 1), min(dt.date(year, 12, 31), self.today))

    def months(self):
        for year in self.years:
            for month in range(1, 13):
                if dt.date(year, month, 1) <= self.today:
                    yield year, month

    def in_month(self, year, month) -> dt.date:
        day = dt.date(year, month, self.rng.randint(1, 28))
        return min(day, self.today)


def load_people(args, rng) -> tuple[object, list[County]]:
    """Units, people, résumé lines and family members with people_bench's loader."""
    from django.db import transaction

    from zugong.people.models import FamilyMember, Person, ResumeEntry

    loader = people_bench.Loader(args, rng)
    counties = people_bench.hunan_counties(args.counties)
    prefixes_all = [c for c, _n in counties]
    province, tree = loader.build_units(counties)
    org_n = args.cadres // args.counties
    man_n = args.managed // args.counties
    out = []
    t0 = time.perf_counter()
    for ci, (code, cname, dept, sections, units) in enumerate(tree):
        county = County(ci, code, cname, dept, sections, units)
        prefixes = [code] + rng.sample(prefixes_all, min(5, len(prefixes_all)))
        people, unit_of = [], []
        for k in range(org_n):
            if k == 0:
                unit, post, level = dept, "部长", "132"
            elif k < 4:
                unit, post, level = dept, "副部长", "141"
            else:
                unit = sections[(k - 4) % len(sections)]
                post, level = (("主任", "141") if k - 4 < len(sections)
                               else rng.choice(people_bench.ORG_POSTS))
            people.append(loader.person(unit=unit, category="org_cadre", post=post,
                                        level=level, prefixes=prefixes, county_name=cname,
                                        age_range=(24, 56)))
            unit_of.append(unit)
        for k in range(man_n):
            unit = units[k % len(units)]
            post, level = rng.choice(people_bench.MANAGED_POSTS)
            people.append(loader.person(unit=unit, category="managed", post=post, level=level,
                                        prefixes=prefixes, county_name=cname,
                                        age_range=(25, 58)))
            unit_of.append(unit)
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=1000)
            resume, family = [], []
            for p, unit in zip(people, unit_of, strict=True):
                r, f = loader.subrecords(p, unit.name, cname)
                resume += r
                family += f
            ResumeEntry.objects.bulk_create(resume, batch_size=2000)
            FamilyMember.objects.bulk_create(family, batch_size=2000)
        county.org = people[:org_n]
        county.managed = people[org_n:]
        for s in sections:
            county.section_staff[s.pk] = [p for p in county.org if p.unit_id == s.pk]
        out.append(county)
        if (ci + 1) % 10 == 0 or ci + 1 == len(tree):
            print(f"  people: {ci + 1}/{len(tree)} counties "
                  f"({time.perf_counter() - t0:.0f} s)", flush=True)
    return province, out


# ---------------------------------------------------------------- accounts


def accounts(province, counties: list[County]) -> int:
    """Benchmark logins, inserted directly (one password hash for all: hashing thousands
    of passwords one by one would take longer than the rest of the load)."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from zugong.people.models import Role, RoleAssignment, Scope, User

    hashed = make_password(PASSWORD)
    now = timezone.now()
    users, grants = [], []

    def add(username, person, role, scope, unit=None, units=()):
        user = User(username=username, person=person, password=hashed,
                    must_change_password=False, password_changed_at=now)
        users.append(user)
        grants.append((user, role, scope, unit, units))
        return user

    for c in counties:
        names = account_names(c.code)
        section = c.sections[1]  # 组织室: its chief confirms its cadres' records
        staff = c.section_staff[section.pk]
        c.users["head"] = add(names["head"], c.head, Role.HEAD, Scope.OWN_UNIT_AND_BELOW,
                              c.dept)
        c.users["chief"] = add(names["chief"], staff[0], Role.SECTION_CHIEF, Scope.OWN_UNIT,
                               section)
        assessor = c.section_staff[c.sections[2].pk][-1]  # 干部室
        c.users["assessor"] = add(names["assessor"], assessor, Role.ASSESSMENT,
                                  Scope.OWN_UNIT_AND_BELOW, c.dept)
        others = [p for p in c.org[4:] if p.unit_id != section.pk and p is not assessor]
        cadres = (staff[1:] + others)[:CADRES_PER_COUNTY_ACCOUNTS]
        for k, person in enumerate(cadres):
            c.users[f"cadre{k}"] = add(cadre_name(c.code, k), person, Role.CADRE, Scope.SELF)
    add(PROVINCE_USER, None, Role.HEAD, Scope.OWN_UNIT_AND_BELOW, province)
    User.objects.bulk_create(users, batch_size=1000)
    ras = [RoleAssignment(user=u, role=role, scope=scope, unit=unit)
           for u, role, scope, unit, _units in grants]
    RoleAssignment.objects.bulk_create(ras, batch_size=1000)
    return len(users)


# ---------------------------------------------------------------- apps


def load_learning(args, url, counties: list[County], dates: Dates) -> dict:
    """The regimes and records exactly as learning_bench loads them (COPY), over the same
    years as the other apps, for every organization cadre."""
    ns = argparse.Namespace(seed=args.seed, counties=len(counties),
                            people_per_county=args.cadres // max(1, args.counties),
                            years=args.years)
    loader = learning_bench.Loader(ns, url)
    loader.first_day, loader.last_day = dates.first, dates.today - dt.timedelta(days=1)
    loader.leave = {}
    loader.regimes([(c.dept, c.sections) for c in counties])
    loader.records([p for c in counties for p in c.org])
    # The records went in by COPY, around the services that keep the monthly summaries
    # the compliance pages read: without them every cadre showed nothing done.
    from zugong.learning import summaries

    loader.counts["learning_monthsummary"] = summaries.rebuild()
    return loader.counts


def talks_rows(c: County, d: Dates, rng) -> dict:
    from zugong.talks.models import (
        CoverageRule,
        Talk,
        TalkParty,
        Term,
        TriggerEvent,
        Visit,
        VisitProblem,
    )

    rules = [CoverageRule(department=c.dept, relation=r, threshold=1, period="year")
             for r in ("head_deputies", "deputy_charge", "chief_section")]
    talks, parties, triggers = [], [], []
    for person in c.org[1:]:
        leader = c.head if person.unit_id == c.dept.pk else (
            c.section_staff.get(person.unit_id, [c.head])[0])
        if leader is person:
            leader = c.head
        for _ in range(2 * len(d.years)):
            on = d.any()
            talk = Talk(by=leader, held_on=on, kind=rng.choice(("heart", "heart", "integrity")),
                        place="部长办公室", summary="谈工作、谈学习、谈家庭")
            talks.append(talk)
            parties.append(TalkParty(talk=talk, person=person, held_on=on,
                                     confirmed_on=on if rng.random() < 0.8 else None))
    for person in rng.sample(c.managed, min(len(c.managed), 20)):
        triggers.append(TriggerEvent(person=person, kind=rng.choice(("award", "job_change")),
                                     on=d.any(), note="县级表彰"))
    terms = [Term(department=c.dept, name=f"{y}年度走访", start=dt.date(y, 1, 1),
                  end=dt.date(y, 12, 31)) for y in d.years]
    visits, problems = [], []
    for person in c.managed:
        for year in d.years:
            if rng.random() < 0.7:
                v = Visit(person=person, kind="annual", on=d.in_year(year), place="单位会议室",
                          findings="工作状态良好，干事创业热情高。")
                visits.append(v)
                if rng.random() < 0.1:
                    problems.append(VisitProblem(visit=v, person=person, raised_on=v.on,
                                                 text="办公用房紧张"))
    return {CoverageRule: rules, Talk: talks, TalkParty: parties, TriggerEvent: triggers,
            Term: terms, Visit: visits, VisitProblem: problems}


def tasks_rows(c: County, d: Dates, rng) -> dict:
    from zugong.tasks.models import Entry, Inquiry, MonthlyItem, Target, Task

    targets, tasks, entries, items, inquiries = [], [], [], [], []
    for year in d.years:
        ts = [Target(department=c.dept, year=year, title=f"{year}年目标{i + 1}")
              for i in range(3)]
        targets += ts
        for i in range(30):
            section = c.sections[i % len(c.sections)]
            start = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(200))
            deadline = start + dt.timedelta(days=rng.randint(30, 160))
            done = deadline < d.today and rng.random() < 0.85
            status = "done" if done else ("in_progress" if start <= d.today else "not_started")
            task = Task(department=c.dept, year=year, target=ts[i % 3], title=f"重点任务{i + 1}",
                        section=section, lead=c.chief_of(section), start=start,
                        deadline=deadline, original_deadline=deadline, status=status,
                        progress=100 if done else rng.randrange(0, 90, 10),
                        done_on=deadline if done else None,
                        last_update_on=min(deadline, d.today))
            tasks.append(task)
            for k in range(3):
                on = min(start + dt.timedelta(days=10 * (k + 1)), d.today)
                entries.append(Entry(task=task, kind="progress", on=on, text="按计划推进",
                                     percent=min(100, 30 * (k + 1))))
        for _q in range(20):
            received = d.in_year(year)
            closed = received + dt.timedelta(days=5) < d.today
            inquiries.append(Inquiry(
                department=c.dept, channel=rng.choice(("visit", "phone", "letter", "online")),
                received_on=received, first_receiver=rng.choice(c.org), inquirer="群众",
                question="咨询干部政策", handled_by=rng.choice(c.org),
                due=received + dt.timedelta(days=5),
                reply="已答复" if closed else "",
                closed_on=received + dt.timedelta(days=3) if closed else None))
    for year, month in d.months():
        for section in c.sections:
            past = dt.date(year, month, 1) < d.today.replace(day=1)
            for i in range(3):
                items.append(MonthlyItem(section=section, month=f"{year}-{month:02d}",
                                         title=f"月度工作{i + 1}",
                                         status="approved" if past else "planned"))
    return {Target: targets, Task: tasks, Entry: entries, MonthlyItem: items,
            Inquiry: inquiries}


def assessment_rows(c: County, d: Dates, rng) -> dict:
    from zugong.assessment.models import (
        Assessee,
        EverydayNote,
        GroupWeight,
        Indicator,
        Plan,
        Score,
        default_bands,
    )

    plans, indicators, weights, assessees, scores, notes = [], [], [], [], [], []
    rater = c.users["head"]
    grades = ("excellent", "competent", "competent", "competent", "basic")
    for year in d.years:
        current = year == d.today.year
        plan = Plan(department=c.dept, name=f"{year}年度考核", kind="annual", period=str(year),
                    window_start=dt.date(year, 12, 1), window_end=dt.date(year, 12, 31),
                    bands=default_bands("annual"), top_quota=Decimal(20),
                    status="scoring" if current else "closed",
                    closed_on=None if current else dt.date(year, 12, 31),
                    period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
                    categories=["org_cadre"])
        plans.append(plan)
        inds = [Indicator(plan=plan, name=n, weight=Decimal(w), max_score=Decimal(100),
                          position=i, political=i == 0)
                for i, (n, w) in enumerate((("政治表现", 20), ("工作实绩", 40), ("作风建设", 20),
                                            ("廉洁自律", 20)))]
        indicators += inds
        weights.append(GroupWeight(plan=plan, group="head", weight=Decimal(100)))
        for person in c.org:
            score = Decimal(rng.randint(75, 98))
            a = Assessee(plan=plan, person=person,
                         score=None if current else score,
                         grade="" if current else rng.choice(grades),
                         computed_grade="" if current else rng.choice(grades))
            assessees.append(a)
            if current and rng.random() < 0.5:
                continue  # the office is still scoring this year's plan
            for ind in inds:
                scores.append(Score(assessee=a, indicator=ind, group="head", rater=rater,
                                    value=Decimal(rng.randint(70, 100))))
    for person in c.org:
        for _ in range(len(d.years)):
            notes.append(EverydayNote(person=person, on=d.any(), positive=rng.random() < 0.9,
                                      text="工作积极主动，按时完成任务", source="日常了解"))
    return {Plan: plans, Indicator: indicators, GroupWeight: weights, Assessee: assessees,
            Score: scores, EverydayNote: notes}


def supervision_rows(c: County, d: Dates, rng) -> dict:
    from zugong.supervision.models import (
        Commitment,
        FamilyRating,
        Measure,
        Observation,
        PackageDone,
        PersonalReport,
        SectionRating,
    )

    reports, commitments, packages, ratings, family, measures, obs = [], [], [], [], [], [], []
    leaders = [p for p in c.managed if p.post_level_id and p.current_post in
               ("局长", "党组书记", "党委书记", "镇长", "副局长", "副镇长")]
    for year in d.years:
        if dt.date(year, 1, 31) > d.today:
            continue
        for person in leaders:
            reports.append(PersonalReport(person=person, on=dt.date(year, 1, 20), kind="annual",
                                          year=year, family_jobs="无", real_estate="住房一套",
                                          investments="无"))
        for person in c.org:
            on = dt.date(year, 2, 15)
            if on > d.today:
                continue
            commitments.append(Commitment(person=person, on=on, year=year))
            for item in ("film", "lecture", "reflection", "checkup", "talk", "family"):
                if rng.random() < 0.8:
                    packages.append(PackageDone(person=person, on=d.in_year(year), year=year,
                                                item=item))
            if year < d.today.year:
                family.append(FamilyRating(person=person, on=dt.date(year, 12, 20), year=year,
                                           level=rng.choice(("model", "met", "met", "met"))))
        if year < d.today.year:
            for section in c.sections:
                ratings.append(SectionRating(unit=section, year=year, on=dt.date(year, 12, 20),
                                             level=rng.choice(("model", "met", "met"))))
    for person in rng.sample(c.managed, min(len(c.managed), 8)):
        kind = rng.choice(("reminder", "inquiry", "admonishment"))
        on = d.any()
        measures.append(Measure(person=person, on=on, department=c.dept, kind=kind,
                                source="daily", facts="工作作风问题",
                                reply_due=on + dt.timedelta(days=10) if kind == "inquiry" else None,
                                impact_months=6 if kind == "admonishment" else 0))
    for person in rng.sample(c.org, min(len(c.org), 10)):
        obs.append(Observation(person=person, on=d.any(), kind="after_hours",
                               note="八小时外表现良好"))
    return {PersonalReport: reports, Commitment: commitments, PackageDone: packages,
            FamilyRating: family, SectionRating: ratings, Measure: measures, Observation: obs}


def partylife_rows(c: County, d: Dates, rng) -> dict:
    from zugong.partylife.models import Appraisal, Attendance, FrequencyRule, Meeting

    rules = [FrequencyRule(department=c.dept, kind="group", frequency="month", times=1),
             FrequencyRule(department=c.dept, kind="assembly", frequency="quarter", times=1),
             FrequencyRule(department=c.dept, kind="lecture", frequency="quarter", times=1)]
    meetings, attendance, appraisals = [], [], []
    for year, month in d.months():
        for section in c.sections:
            m = Meeting(department=c.dept, unit=section, kind="group",
                        held_on=d.in_month(year, month), title=f"{month}月党小组会",
                        chair=c.chief_of(section), minutes="学习传达上级精神")
            meetings.append(m)
            for person in c.section_staff[section.pk]:
                absent = rng.random() < 0.05
                attendance.append(Attendance(person=person, on=m.held_on, meeting=m,
                                             kind="group", status="absent" if absent else "present",
                                             reason="出差" if absent else ""))
        if month % 3 == 0:
            m = Meeting(department=c.dept, unit=c.dept, kind="assembly",
                        held_on=d.in_month(year, month),
                        title=f"{year}年第{month // 3}季度党员大会",
                        chair=c.head, minutes="党员大会")
            meetings.append(m)
            for person in c.org:
                attendance.append(Attendance(person=person, on=m.held_on, meeting=m,
                                             kind="assembly", status="present"))
        if month == 12:
            m = Meeting(department=c.dept, unit=c.dept, kind="appraisal",
                        held_on=dt.date(year, 12, 28), title=f"{year}年民主评议党员",
                        chair=c.head)
            meetings.append(m)
            for person in c.org:
                appraisals.append(Appraisal(person=person, on=m.held_on, meeting=m,
                                            grade=rng.choice(("excellent", "qualified",
                                                              "qualified"))))
    return {FrequencyRule: rules, Meeting: meetings, Attendance: attendance,
            Appraisal: appraisals}


def service_rows(c: County, d: Dates, rng) -> dict:
    from zugong.service.models import ContactPoint, Deed, Household, Problem, ServiceRule, Visit

    rules = [ServiceRule(department=c.dept, kind="point_visits", minimum=4)]
    points, households, visits, problems, deeds = [], [], [], [], []
    for i, person in enumerate(c.org):
        point = ContactPoint(person=person, on=d.first, kind="village", name=f"联系村{i + 1}")
        points.append(point)
        homes = [Household(person=person, on=d.first, name=f"困难户{i + 1}-{k}", point=point,
                           difficulty=True, situation="因病致困") for k in range(2)]
        households += homes
        for year, month in d.months():
            if rng.random() < 0.5:
                continue
            v = Visit(person=person, on=d.in_month(year, month), kind="village", mode="on_site",
                      point=point, heard="群众反映道路需修缮")
            visits.append(v)
            if rng.random() < 0.1:
                solved = v.on + dt.timedelta(days=20) < d.today
                problems.append(Problem(person=person, on=v.on, visit=v, title="道路修缮",
                                        status="solved" if solved else "raised",
                                        solved_on=v.on + dt.timedelta(days=20) if solved else None))
        for year in d.years:
            on = d.in_year(year)
            done = on + dt.timedelta(days=30) < d.today
            deeds.append(Deed(person=person, on=on, title="为群众办实事",
                              status="done" if done else "doing",
                              done_on=on + dt.timedelta(days=30) if done else None))
    return {ServiceRule: rules, ContactPoint: points, Household: households, Visit: visits,
            Problem: problems, Deed: deeds}


def ability_rows(c: County, d: Dates, rng) -> dict:
    from zugong.ability.models import Lecture, ResearchTopic, Seat, Trainee, Training

    lectures, seats, trainings, trainees, topics = [], [], [], [], []
    for year, month in d.months():
        lec = Lecture(department=c.dept, series="hall", topic="theory",
                      title=f"{year}年{month}月理论讲堂", held_on=d.in_month(year, month),
                      place="部机关会议室")
        lectures.append(lec)
        for k, person in enumerate(rng.sample(c.org, min(len(c.org), 15))):
            seats.append(Seat(person=person, on=lec.held_on, lecture=lec,
                              part="lecturer" if k == 0 else "audience"))
    for year in d.years:
        for i in range(4):
            start = d.in_year(year)
            tr = Training(department=c.dept, kind="course", title=f"{year}年业务培训{i + 1}",
                          place="县委党校", start=start, end=start + dt.timedelta(days=2),
                          hours=Decimal(16))
            trainings.append(tr)
            for person in rng.sample(c.org, min(len(c.org), 10)):
                trainees.append(Trainee(person=person, on=start, training=tr, hours=Decimal(16)))
        for i in range(3):
            topics.append(ResearchTopic(department=c.dept, year=year,
                                        title=f"{year}年调研课题{i + 1}",
                                        leader=rng.choice(c.org[:4])))
    return {Lecture: lectures, Seat: seats, Training: trainings, Trainee: trainees,
            ResearchTopic: topics}


def care_rows(c: County, d: Dates, rng) -> dict:
    from zugong.care.models import Activity, BirthdayMark, HealthRecord, LeaveTaken, Participation

    activities, parts, birthdays, leaves, health = [], [], [], [], []
    for year in d.years:
        for i in range(4):
            act = Activity(department=c.dept, kind=rng.choice(("culture", "union", "family")),
                           title=f"{year}年职工活动{i + 1}", held_on=d.in_year(year),
                           organizer=rng.choice(c.org))
            activities.append(act)
            for person in rng.sample(c.org, min(len(c.org), 20)):
                parts.append(Participation(person=person, on=act.held_on, activity=act))
        for person in c.org:
            birthdays.append(BirthdayMark(person=person, on=d.in_year(year), year=year,
                                          form="card"))
            for _ in range(2):
                on = d.in_year(year)
                days = rng.randint(1, 5)
                leaves.append(LeaveTaken(person=person, on=on,
                                         until=on + dt.timedelta(days=days - 1),
                                         days=Decimal(days)))
            health.append(HealthRecord(person=person, on=d.in_year(year), kind="check", days=1,
                                       findings="未见异常"))
    return {Activity: activities, Participation: parts, BirthdayMark: birthdays,
            LeaveTaken: leaves, HealthRecord: health}


def talent_rows(c: County, d: Dates, rng) -> dict:
    from zugong.talent.models import PromotionProposal, ReserveCandidate, Talent, TalentContact

    talents, contacts, reserves, proposals = [], [], [], []
    for i in range(50):
        t = Talent(department=c.dept, name=f"人才{i + 1}",
                   category=rng.choice(("enterprise", "professional", "skilled", "rural")),
                   employer="县内企业", leader=rng.choice(c.org[:4]), added_on=d.any(),
                   phone=f"139{rng.randrange(10**8):08d}")
        talents.append(t)
        for _ in range(2 * len(d.years)):
            contacts.append(TalentContact(talent=t, leader=t.leader, kind="visit",
                                          on=d.between(t.added_on, d.today)))
    for person in rng.sample(c.managed, min(len(c.managed), 15)):
        reserves.append(ReserveCandidate(person=person, on=d.any(), department=c.dept,
                                         source="selected"))
    for person in rng.sample(c.managed, min(len(c.managed), 5)):
        proposals.append(PromotionProposal(person=person, on=d.any(), post="副局长",
                                           reason="实绩突出"))
    return {Talent: talents, TalentContact: contacts, ReserveCandidate: reserves,
            PromotionProposal: proposals}


def projects_rows(c: County, d: Dates, rng) -> dict:
    from zugong.projects.models import FollowUp, Idea, InnovationProject

    projects, follow, ideas = [], [], []
    for year in d.years:
        for i in range(10):
            p = InnovationProject(department=c.dept, unit=rng.choice(c.units),
                                  declared_by=rng.choice(c.org), title=f"{year}年创新项目{i + 1}",
                                  summary="基层党建创新", declared_on=d.in_year(year))
            projects.append(p)
            follow.append(FollowUp(person=p.declared_by, on=d.between(p.declared_on, d.today),
                                   project=p, kind="monthly", note="进展顺利"))
        for person in rng.sample(c.org, min(len(c.org), 20)):
            ideas.append(Idea(person=person, on=d.in_year(year), department=c.dept, kind="idea",
                              title="工作建议", content="建议优化流程"))
    return {InnovationProject: projects, FollowUp: follow, Idea: ideas}


# One line per app: (label, rows(county, dates, rng) -> {model: [instances]}), in the
# order the foreign keys need (assessment's scores name the head's login).
APP_LOADERS = (
    ("talks", talks_rows),
    ("tasks", tasks_rows),
    ("assessment", assessment_rows),
    ("supervision", supervision_rows),
    ("partylife", partylife_rows),
    ("service", service_rows),
    ("ability", ability_rows),
    ("care", care_rows),
    ("talent", talent_rows),
    ("projects", projects_rows),
)


def load_apps(counties: list[County], dates: Dates, rng, *, skip=(),
              quiet: bool = False) -> dict[str, int]:
    """Every app's rows, county by county, with bulk_create. A model's instances are
    inserted after those they point to (the loaders return them in that order). ``skip``:
    models left out (once-per-department settings when a department is loaded twice, as
    tests/test_bounded_queries.py does)."""
    from django.db import transaction

    counts: dict[str, int] = {}
    t0 = time.perf_counter()
    for i, c in enumerate(counties):
        with transaction.atomic():
            for _label, rows in APP_LOADERS:
                for model, objs in rows(c, dates, rng).items():
                    if model in skip:
                        continue
                    # bulk_create copies the new pk of a parent saved just before into
                    # its children's foreign key (the parent's model comes first).
                    model.objects.bulk_create(objs, batch_size=2000)
                    key = model._meta.label
                    counts[key] = counts.get(key, 0) + len(objs)
        if not quiet and ((i + 1) % 10 == 0 or i + 1 == len(counties)):
            print(f"  apps: {i + 1}/{len(counties)} counties "
                  f"({time.perf_counter() - t0:.0f} s)", flush=True)
    return counts


# ---------------------------------------------------------------- main


def recreate(url: str, template: str | None = None) -> None:
    """Drop and create the database; refuses ``postgres`` and ``template*``. With
    ``template``, the new database is a copy of that (already migrated, empty) database:
    migrating from scratch takes minutes on a busy machine."""
    if not template:
        people_bench.recreate_database(url)
        return
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    dbname = parts.path.lstrip("/")
    if not dbname or dbname == "postgres" or dbname.startswith("template") \
            or dbname == template:
        raise SystemExit(f"refusing to drop database {dbname!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(dbname)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
            sql.Identifier(dbname), sql.Identifier(template)))


def finish(url: str, args) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(conn.info.dbname), sql.Literal(size_mark(args))))


def build(args) -> dict:
    """Load the province into ``args.database_url`` (recreated first). Returns timings and
    row counts."""
    from django.core.management import call_command
    from django.db import connections

    rng = random.Random(args.seed)
    today = args.today or dt.date.today()
    dates = Dates(rng, today, args.years)
    times: dict[str, float] = {}
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    times["migrate_s"] = time.perf_counter() - t0
    t = time.perf_counter()
    province, counties = load_people(args, rng)
    n_users = accounts(province, counties)
    times["people_s"] = time.perf_counter() - t
    t = time.perf_counter()
    counts = {"accounts": n_users}
    counts.update(load_apps(counties, dates, rng))
    times["apps_s"] = time.perf_counter() - t
    t = time.perf_counter()
    counts.update(load_learning(args, args.database_url, counties, dates))
    times["learning_s"] = time.perf_counter() - t
    connections.close_all()
    t = time.perf_counter()
    finish(args.database_url, args)
    times["analyze_s"] = time.perf_counter() - t
    times["total_s"] = time.perf_counter() - t0
    return {"times": times, "counts": counts}


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database-url", default=DEFAULT_URL)
    ap.add_argument("--counties", type=int, default=100)
    ap.add_argument("--cadres", type=int, default=4000, help="organization cadres")
    ap.add_argument("--managed", type=int, default=80000, help="managed cadres")
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--reuse", action="store_true",
                    help="keep the database when a finished load of the same size is there")
    ap.add_argument("--template", metavar="DBNAME",
                    help="create the database as a copy of this migrated, empty database "
                    "(saves the migration time; new migrations are still applied)")
    ap.add_argument("--today", type=dt.date.fromisoformat, default=None,
                    help="last day of the data (default: today)")
    return ap


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    if args.cadres < 8 * args.counties:
        raise SystemExit("--cadres: at least 8 organization cadres per county are needed "
                         "(a head, three deputies and a chief per section)")
    dbname = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    if args.reuse and data_present(args.database_url, args):
        print(f"{dbname}: a finished load of this size is there (--reuse); applying new "
              "migrations only", flush=True)
        people_bench.setup_env(args.database_url)
        people_bench.django_setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return 0
    print(f"recreating {dbname}", flush=True)
    recreate(args.database_url, args.template)
    people_bench.setup_env(args.database_url)
    people_bench.django_setup()
    result = build(args)
    t = result["times"]
    print(f"\nloaded in {t['total_s']:.0f} s (migrate {t['migrate_s']:.0f} s, people and "
          f"accounts {t['people_s']:.0f} s, apps {t['apps_s']:.0f} s, learning "
          f"{t['learning_s']:.0f} s, VACUUM ANALYZE {t['analyze_s']:.0f} s)")
    for key, n in sorted(result["counts"].items()):
        print(f"  {key:40s} {n:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
