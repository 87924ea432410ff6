#!/usr/bin/env python
"""Learning-compliance benchmark (issue 3): the engine against hand-written SQL.

Run by hand, never in CI:

    .venv/bin/python bench/learning_bench.py [--reuse] \\
        [--people-per-county 40] [--counties 100] [--years 3]

Steps: (1) drop/create the database ``zugong_learning_bench`` (``--database-url``) and
migrate; (2) load a province organization department with ``--counties`` county
departments (4 sections each) built with ``unit_create``, ``--people-per-county``
organization cadres per county (``bulk_create``), the luxi regime in every county
(``regime_create``; one county changes two rules during the measured year with
``rule_change``), exemptions (``exemption_add``) and ``--years`` years of learning
records ending with 2025 (~4 million rows at full size) with PostgreSQL ``COPY``, then
``VACUUM ANALYZE``; (3) time, with ``today`` = 2026-01-15, the compliance of 2025 for one
county (the year alone, and the 12 months + the year that the compliance page computes)
and for the whole province (``evaluate_many``: every county's regime in one call), then
the same figures
from one hand-written SQL statement over the records and from the same statement over
the monthly summaries (``learning.summaries``, rebuilt after the ``COPY``; a database
loaded before them gets them from the migration); check that all give the same
(person, rule, window, target, actual, status); (4) print a Markdown table and write it to
``bench/out/learning-<date>.md``.

``--reuse`` keeps the database when it already holds data of the same size.
``--profile`` adds cProfile listings of each engine case and EXPLAIN ANALYZE of the SQL.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import math
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zugong_learning_bench"
TODAY = dt.date(2026, 1, 15)
YEAR = 2025  # the measured year; the data ends with it
PROVINCE_CODE = "LB-43"
TARGET_COUNTY_MS = 200.0
TARGET_PROVINCE_MS = 1000.0  # issue 22 (it was 5 s in issue 3)
SECTIONS = ("办公室", "组织室", "干部室", "干部监督室")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
GIVEN = "伟强军勇杰涛斌超明刚平辉鹏华飞芳娜敏静丽艳娟霞燕玲英丹萍红琴云莉兰凤洁梅琳志建国文海"
TOPICS = ("习近平新时代中国特色社会主义思想", "党的二十大精神", "党章党规", "组织工作条例",
          "干部工作条例", "党史学习", "理论文章", "学习强国专题", "业务知识", "法律法规")
BOOKS = ("习近平谈治国理政", "之江新语", "摆脱贫困", "习近平的七年知青岁月", "中国共产党简史",
         "论党的自我革命", "干部工作条例学习辅导", "组织工作基本丛书", "乡土中国", "万历十五年")
OUTLETS = (("national", "人民日报"), ("provincial", "湖南日报"), ("prefectural", "湘西日报"),
           ("city", "团结报"), ("county", "县融媒体中心"))


# ---------------------------------------------------------------- database


def prepare_database(url: str, recreate: bool) -> None:
    """Create the database if it is missing; drop it first when ``recreate``."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    dbname = parts.path.lstrip("/")
    if not dbname or dbname in ("postgres", "template0", "template1"):
        raise SystemExit(f"refusing to use database {dbname!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (dbname,)).fetchone()
        if exists and recreate:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(dbname)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def setup_django(url: str) -> None:
    data_dir = ROOT / "var" / "bench"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ["ZUGONG_DATA_DIR"] = str(data_dir)
    os.environ["ZUGONG_ENV"] = "demo"
    os.environ["DJANGO_SETTINGS_MODULE"] = "zugong.config.settings"
    for name in ("ZUGONG_TESTING", "ZUGONG_DEBUG", "REDIS_URL"):
        os.environ.pop(name, None)
    os.chdir(ROOT)
    import django

    django.setup()


def size_mark(args) -> str:
    return (f"zugong learning bench: counties={args.counties} "
            f"people_per_county={args.people_per_county} years={args.years} seed={args.seed}")


def data_present(args) -> bool:
    """Whether a finished load of the requested size is in the database (the loader
    writes the size into the database's comment as its last step)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = current_database()")
        row = cur.fetchone()
    return bool(row) and row[0] == size_mark(args)


# ---------------------------------------------------------------- load


class Loader:
    def __init__(self, args, url: str):
        self.args = args
        self.url = url
        self.rng = random.Random(args.seed)
        self.first_day = dt.date(YEAR - args.years + 1, 1, 1)
        self.last_day = dt.date(YEAR, 12, 31)
        self.counts: dict[str, int] = {}
        self.times: dict[str, float] = {}

    def load(self) -> None:
        from psycopg import sql

        t0 = time.perf_counter()
        depts = self.units()
        self.times["units_s"] = time.perf_counter() - t0
        t = time.perf_counter()
        people = self.people(depts)
        regimes = self.regimes(depts)
        self.leave = self.exemptions(people, regimes)
        self.times["people_regimes_s"] = time.perf_counter() - t
        t = time.perf_counter()
        self.records(people)
        self.times["copy_s"] = time.perf_counter() - t
        t = time.perf_counter()
        with self.connect() as conn:
            conn.autocommit = True
            conn.execute("VACUUM ANALYZE")
        self.times["analyze_s"] = time.perf_counter() - t
        with self.connect() as conn:  # the mark that the load finished, for --reuse
            conn.autocommit = True
            conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(conn.info.dbname), sql.Literal(size_mark(self.args))))
        self.times["total_s"] = time.perf_counter() - t0

    def connect(self):
        import psycopg

        return psycopg.connect(self.url)

    # ---- units, people, regimes, exemptions (through the project's code)
    def units(self):
        from zugong.people.models import UnitKind
        from zugong.people.services import unit_create

        province = unit_create(by=None, parent=None, name="省委组织部（学习基准）",
                               kind=UnitKind.ORG_DEPT, code=PROVINCE_CODE)
        depts = []
        for i in range(self.args.counties):
            dept = unit_create(by=None, parent=province, name=f"第{i + 1:03d}县委组织部",
                               kind=UnitKind.ORG_DEPT, code=f"LB-{i:03d}", position=i)
            sections = [unit_create(by=None, parent=dept, name=s, kind=UnitKind.SECTION,
                                    code=f"LB-{i:03d}-S{j}", position=j)
                        for j, s in enumerate(SECTIONS)]
            depts.append((dept, sections))
            if (i + 1) % 25 == 0:
                print(f"  units: {i + 1}/{self.args.counties} counties", flush=True)
        return depts

    def people(self, depts):
        from zugong.core.models import DictItem, DictTable
        from zugong.people.models import Person

        rng = self.rng
        sex = dict(DictItem.objects.filter(table=DictTable.SEX, code__in=("1", "2"))
                   .values_list("code", "pk"))
        people = []
        for dept, sections in depts:
            for k in range(self.args.people_per_county):
                unit = dept if k < 4 else sections[(k - 4) % len(sections)]
                male = rng.random() < 0.65
                joined = None
                if rng.random() < 0.05:  # came under the department's rules during 2025
                    joined = dt.date(YEAR, 1, 10) + dt.timedelta(days=rng.randrange(320))
                people.append(Person(
                    category="org_cadre",
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    sex_id=sex["1" if male else "2"],
                    birth_date=dt.date(1965 + rng.randrange(35), 1 + rng.randrange(12),
                                       1 + rng.randrange(28)),
                    unit=unit, unit_path=unit.path, joined_on=joined, is_active=True))
        Person.objects.bulk_create(people, batch_size=2000)
        return people

    def regimes(self, depts):
        from zugong.learning import services
        from zugong.learning.models import RegimeRule

        regimes = []
        changed = self.args.counties // 2
        for i, (dept, _sections) in enumerate(depts):
            regime = services.regime_create(by=None, department=dept, name="", preset="luxi",
                                            valid_from=self.first_day)
            if i % 10 == 3:  # a few departments count records not yet confirmed
                regime = services.regime_settings(
                    by=None, regime=regime, version=regime.version, count_unconfirmed=True,
                    remind_days=regime.remind_days, copy_threshold=regime.copy_threshold)
            if i == changed:  # history: two rules change during the measured year
                rules = {r.series: r for r in RegimeRule.objects.filter(regime=regime)}
                # The last year of the data (YEAR here; province.py ends its data today).
                year = self.last_day.year
                services.rule_change(by=None, rule=rules[1], effective=dt.date(year, 7, 1),
                                     threshold=Decimal("1.5"), note="每天学习1.5小时")
                services.rule_change(by=None, rule=rules[2], effective=dt.date(year, 9, 16),
                                     threshold=Decimal("2"), note="每月读书2本")
            regimes.append(regime)
        return regimes

    def exemptions(self, people, regimes):
        """About 3 % of people get a few weeks' leave in 2025 (a quarter of them for the
        study rule only); they record nothing while on leave."""
        from zugong.learning import services

        rng = self.rng
        per = self.args.people_per_county
        leave: dict[int, tuple[dt.date, dt.date]] = {}
        for idx, person in enumerate(people):
            if rng.random() >= 0.03:
                continue
            start = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(330))
            end = start + dt.timedelta(days=rng.randint(14, 42) - 1)
            end = min(end, self.last_day)
            services.exemption_add(by=None, regime=regimes[idx // per], person=person,
                                   kind="leave", start=start, end=end, reason="病假",
                                   series=1 if rng.random() < 0.25 else None)
            leave[person.pk] = (start, end)
        self.counts["exemptions"] = len(leave)
        return leave

    # ---- records (COPY)
    def copy_rows(self, conn, model, columns, rows_iter, label):
        """COPY rows (lines of tab-separated text) into ``model``'s table in batches."""
        table = model._meta.db_table
        cols = ", ".join(f'"{c}"' for c in columns)
        statement = f"COPY {table} ({cols}) FROM STDIN"
        n, batch = 0, []
        t0 = time.perf_counter()

        def flush():
            with conn.cursor() as cur, cur.copy(statement) as copy:
                copy.write("".join(batch))
            conn.commit()

        for line in rows_iter:
            batch.append(line)
            if len(batch) >= 250_000:
                flush()
                n += len(batch)
                batch = []
                print(f"  {label}: {n:,} rows ({time.perf_counter() - t0:.0f} s)", flush=True)
        if batch:
            flush()
            n += len(batch)
        print(f"  {label}: {n:,} rows in {time.perf_counter() - t0:.0f} s", flush=True)
        self.counts[table] = n

    def active(self, person, day) -> bool:
        if person.joined_on and day < person.joined_on:
            return False
        off = self.leave.get(person.pk)
        return not (off and off[0] <= day <= off[1])

    def review(self, day: dt.date) -> tuple[str, str, str]:
        """(status, return reason, reviewed_at) of a record made on ``day``."""
        r = self.rng.random()
        if r < 0.85:
            return "confirmed", "", f"{day + dt.timedelta(days=1)} 10:00:00+08"
        if r < 0.95:
            return "pending", "", "\\N"
        return "returned", "请补充学习内容", f"{day + dt.timedelta(days=2)} 10:00:00+08"

    def days(self):
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += dt.timedelta(days=1)

    def records(self, people) -> None:
        from zugong.learning.models import BookRead, StudyNote, StudySession, Writing

        rng = self.rng
        common = ["person_id", "on", "status", "return_reason", "reviewed_by_id",
                  "reviewed_at", "created_by_id", "created_at", "updated_at", "version"]
        diligence = {p.pk: rng.uniform(0.7, 1.0) for p in people}
        writer = {p.pk: rng.uniform(0.6, 1.0) for p in people}
        hours = ("0.5", "1.0", "1.0", "1.5", "1.5", "2.0", "2.0", "2.5", "3.0")

        def head(person, day, status, reason, reviewed):
            created = f"{day} 21:00:00+08"
            return (f"{person.pk}\t{day}\t{status}\t{reason}\t\\N\t{reviewed}\t\\N\t"
                    f"{created}\t{created}\t1")

        def study():  # day by day, as people record them
            for day in self.days():
                weekend = 0.8 if day.weekday() >= 5 else 1.0
                friday = day.weekday() == 4
                for p in people:
                    if rng.random() >= diligence[p.pk] * weekend or not self.active(p, day):
                        continue
                    form = "friday" if friday and rng.random() < 0.5 else (
                        "online" if rng.random() < 0.2 else "self")
                    yield (head(p, day, *self.review(day))
                           + f"\t{rng.choice(hours)}\t{form}\t{rng.choice(TOPICS)}\t\t\\N\n")

        def notes():  # weekly
            monday = self.first_day - dt.timedelta(days=self.first_day.weekday())
            while monday <= self.last_day:
                for p in people:
                    day = monday + dt.timedelta(days=rng.randrange(7))
                    if (day < self.first_day or day > self.last_day
                            or rng.random() >= 0.85 * writer[p.pk]
                            or not self.active(p, day)):
                        continue
                    chars = rng.randint(300, 3000)
                    yield (head(p, day, *self.review(day))
                           + f"\t{rng.choice(TOPICS)}学习笔记\t笔记正文（{chars}字）\tf\t{chars}\n")
                monday += dt.timedelta(days=7)

        def months():
            for year in range(self.first_day.year, self.last_day.year + 1):
                for month in range(1, 13):
                    yield year, month

        def books():  # monthly
            for year, month in months():
                for p in people:
                    day = dt.date(year, month, rng.randint(5, 28))
                    if (rng.random() >= 0.92 * writer[p.pk] or not self.active(p, day)
                            or day > self.last_day):
                        continue
                    yield (head(p, day, *self.review(day))
                           + f"\t{rng.choice(BOOKS)}\t\t\\N\t读后感\n")

        def writings():
            for year, month in months():
                for p in people:
                    w = writer[p.pk]
                    items = []
                    if rng.random() < 0.93 * w:  # an information item a month
                        items.append(("info", "信息", "", ""))
                    if month % 3 == 0 and rng.random() < 0.93 * w:  # a reflection a quarter
                        items.append(("reflection", "心得体会", "", ""))
                    if rng.random() < 0.2:  # articles, now and then
                        level, outlet = rng.choices(OUTLETS, (1, 4, 6, 8, 12))[0]
                        items.append(("article", "署名文章", outlet, level))
                    if month == 11 and rng.random() < 0.85 * w + 0.1:  # a research report
                        items.append(("research", "调研报告", "", ""))
                    for kind, title, outlet, level in items:
                        day = dt.date(year, month, rng.randint(3, 28))
                        if not self.active(p, day) or day > self.last_day:
                            continue
                        yield (head(p, day, *self.review(day))
                               + f"\t{kind}\t{title}\t{outlet}\t{level}\t\t正文\t\n")

        with self.connect() as conn:
            self.copy_rows(conn, StudySession, [*common, "hours", "form", "topic", "materials",
                                                "first_topic_id"], study(), "study sessions")
            self.copy_rows(conn, StudyNote, [*common, "title", "text", "is_paper",
                                             "char_count"], notes(), "notes")
            self.copy_rows(conn, BookRead, [*common, "title", "author", "reading_item_id",
                                            "summary"], books(), "books")
            self.copy_rows(conn, Writing, [*common, "kind", "title", "outlet", "outlet_level",
                                           "link", "text", "file"], writings(), "writings")


def row_counts() -> dict[str, int]:
    from django.db import connection

    from zugong.learning.models import (
        BookRead,
        Exemption,
        Regime,
        RegimeRule,
        StudyNote,
        StudySession,
        Writing,
    )
    from zugong.people.models import OrgUnit, Person

    out = {}
    with connection.cursor() as cur:
        for model in (OrgUnit, Person, Regime, RegimeRule, Exemption, StudySession, StudyNote,
                      BookRead, Writing):
            cur.execute(f"SELECT count(*) FROM {model._meta.db_table}")  # noqa: S608
            out[model._meta.db_table] = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM learning_monthsummary")
        out["learning_monthsummary"] = cur.fetchone()[0]
        cur.execute("SELECT kind, count(*) FROM learning_writing GROUP BY kind ORDER BY kind")
        for kind, n in cur.fetchall():
            out[f"learning_writing.{kind}"] = n
        cur.execute("SELECT count(*) FROM learning_studysession WHERE \"on\" >= %s",
                    [dt.date(YEAR, 1, 1)])
        out["study sessions in 2025"] = cur.fetchone()[0]
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        out["database size"] = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM people_person WHERE joined_on >= %s",
                    [dt.date(YEAR, 1, 1)])
        out["people joined in 2025"] = cur.fetchone()[0]
    return out


# ---------------------------------------------------------------- hand-written SQL

# One statement for any set of regimes and month-aligned windows. It reads the rules
# (all versions), people, exemptions and records; it knows the luxi metrics (which table,
# which filter, how many decimals), not the regime's figures.
HAND_SQL = """
WITH
kinds(kind, n, step) AS (VALUES
    ('day', 1, interval '1 day'), ('week', 7, interval '7 days'),
    ('month', 30, interval '1 month'), ('quarter', 91, interval '3 months'),
    ('half', 182, interval '6 months'), ('year', 365, interval '1 year')),
reg AS (
    SELECT r.id AS regime_id, r.count_unconfirmed, x.lo, x.hi
    FROM unnest(%(regimes)s::bigint[], %(los)s::text[], %(his)s::text[]) AS x(id, lo, hi)
    JOIN learning_regime r ON r.id = x.id),
win AS (
    SELECT * FROM unnest(%(wkeys)s::text[], %(wkinds)s::text[], %(wstarts)s::date[])
        AS w(wkey, wkind, wstart)),
ver AS (  -- every version of every rule, with its series' current metric and period
    SELECT v.regime_id, v.series, v.threshold, v.period, v.valid_from, v.valid_to,
           v.categories,
           first_value(v.metric) OVER s AS metric, first_value(v.period) OVER s AS cur_period
    FROM learning_regimerule v JOIN reg USING (regime_id)
    WINDOW s AS (PARTITION BY v.regime_id, v.series ORDER BY v.valid_from DESC)),
ser AS (  -- one row per rule; cats: the categories held to some version (NULL: all)
    SELECT regime_id, series, metric, cur_period AS period,
           CASE WHEN bool_or(categories = '[]'::jsonb) THEN NULL
                ELSE array_agg(DISTINCT c) END AS cats
    FROM ver LEFT JOIN LATERAL jsonb_array_elements_text(categories) c ON true
    GROUP BY 1, 2, 3, 4),
jw AS (  -- the window each rule is judged over, for each requested window
    SELECT s.regime_id, s.series, s.metric, s.cats, w.wkey, j.jstart,
           (j.jstart + k.step - interval '1 day')::date AS jend
    FROM ser s CROSS JOIN win w
    JOIN kinds sk ON sk.kind = s.period
    JOIN kinds wk ON wk.kind = w.wkind
    CROSS JOIN LATERAL (SELECT
        CASE WHEN sk.n <= wk.n THEN w.wkind ELSE s.period END AS kind,
        CASE WHEN sk.n <= wk.n THEN w.wstart
             WHEN s.period = 'half' THEN make_date(extract(year FROM w.wstart)::int,
                 CASE WHEN extract(month FROM w.wstart) <= 6 THEN 1 ELSE 7 END, 1)
             ELSE date_trunc(s.period, w.wstart)::date END AS jstart) j
    JOIN kinds k ON k.kind = j.kind),
ppl AS (  -- people in scope, their regime, and their exemptions in the span (if any)
    SELECT p.id AS person_id, p.category, p.joined_on, r.regime_id, r.count_unconfirmed,
           x.ex_series, x.ex_days
    FROM people_person p
    JOIN reg r ON p.unit_path >= r.lo AND (r.hi IS NULL OR p.unit_path < r.hi)
    LEFT JOIN (
        SELECT person_id, regime_id, array_agg(series) AS ex_series,
               array_agg(daterange(start, "end", '[]')) AS ex_days
        FROM learning_exemption
        WHERE start <= %(span_hi)s AND "end" >= %(span_lo)s
        GROUP BY 1, 2) x ON x.person_id = p.id AND x.regime_id = r.regime_id
    WHERE p.unit_path >= %(scope_lo)s AND p.unit_path < %(scope_hi)s AND p.is_active),
cell AS (  -- person x rule x window: the days before joining cut off, the exempted days
    SELECT pp.person_id, pp.regime_id, pp.category, jw.series, jw.wkey, jw.jstart, jw.jend,
           CASE WHEN jw.metric = 'learning.study_hours' THEN 1 ELSE 0 END AS places,
           CASE WHEN greatest(jw.jstart, pp.joined_on) <= jw.jend
                THEN datemultirange(daterange(greatest(jw.jstart, pp.joined_on), jw.jend, '[]'))
                ELSE '{}'::datemultirange END AS base,
           CASE WHEN pp.ex_days IS NULL THEN '{}'::datemultirange
                ELSE (SELECT coalesce(range_agg(d), '{}'::datemultirange)
                      FROM unnest(pp.ex_series, pp.ex_days) AS u(s, d)
                      WHERE u.s IS NULL OR u.s = jw.series) END AS holes
    FROM ppl pp JOIN jw ON jw.regime_id = pp.regime_id
    WHERE jw.cats IS NULL OR pp.category = ANY (jw.cats)),
prof AS (  -- targets depend on these only: compute each distinct profile once
    SELECT DISTINCT regime_id, series, category, jstart, jend, base, holes FROM cell),
tgt AS (  -- profiles with no version in force in the window have no row here
    SELECT pr.regime_id, pr.series, pr.category, pr.jstart, pr.jend, pr.base, pr.holes,
           sum(v.threshold * d.held / p.pdays) AS target,
           sum(v.threshold * d.held_today / p.pdays) AS expected,
           sum(d.held) AS held, sum(d.based) AS based
    FROM prof pr
    JOIN ver v ON v.regime_id = pr.regime_id AND v.series = pr.series
              AND (v.categories = '[]'::jsonb OR v.categories ? pr.category)
    CROSS JOIN LATERAL (SELECT greatest(pr.jstart, v.valid_from) AS lo,
                               least(pr.jend, v.valid_to) AS hi) b
    CROSS JOIN LATERAL (  -- the rule's periods overlapping the version's days
        SELECT b.lo AS pstart, b.hi AS pend, 1 AS pdays
        WHERE v.period = 'day' AND b.lo <= b.hi
        UNION ALL
        SELECT g::date, (g + k.step - interval '1 day')::date,
               (g + k.step)::date - g::date
        FROM kinds k, generate_series(
            CASE WHEN v.period = 'half' THEN make_date(extract(year FROM b.lo)::int,
                     CASE WHEN extract(month FROM b.lo) <= 6 THEN 1 ELSE 7 END, 1)::timestamp
                 ELSE date_trunc(v.period, b.lo) END,
            b.hi::timestamp, k.step) g
        WHERE k.kind = v.period AND v.period <> 'day' AND b.lo <= b.hi) p
    CROSS JOIN LATERAL (SELECT datemultirange(daterange(
        greatest(p.pstart, b.lo), least(p.pend, b.hi), '[]')) AS part) q
    CROSS JOIN LATERAL (SELECT
        (SELECT coalesce(sum(upper(r) - lower(r)), 0)
         FROM unnest((pr.base - pr.holes) * q.part) r) AS held,
        (SELECT coalesce(sum(upper(r) - lower(r)), 0)
         FROM unnest((pr.base - pr.holes) * q.part
                     * datemultirange(daterange(NULL, %(today)s::date, '[]'))) r) AS held_today,
        (SELECT coalesce(sum(upper(r) - lower(r)), 0)
         FROM unnest(pr.base * q.part) r) AS based) d
    GROUP BY 1, 2, 3, 4, 5, 6, 7),
act AS (  -- records per person, metric and month over the span, confirmed and pending
    SELECT 'learning.study_hours' AS metric, s.person_id,
           s."on" - date_part('day', s."on")::int + 1 AS m,
           sum(s.hours) FILTER (WHERE s.status = 'confirmed') AS confirmed,
           sum(s.hours) FILTER (WHERE s.status = 'pending') AS pending
    FROM learning_studysession s JOIN people_person p ON p.id = s.person_id
    WHERE p.unit_path >= %(scope_lo)s AND p.unit_path < %(scope_hi)s AND p.is_active
      AND s."on" BETWEEN %(span_lo)s AND %(span_hi)s AND s.status IN ('confirmed', 'pending')
    GROUP BY 2, 3
    UNION ALL
    SELECT 'learning.books', b.person_id, b."on" - date_part('day', b."on")::int + 1,
           count(*) FILTER (WHERE b.status = 'confirmed'),
           count(*) FILTER (WHERE b.status = 'pending')
    FROM learning_bookread b JOIN people_person p ON p.id = b.person_id
    WHERE p.unit_path >= %(scope_lo)s AND p.unit_path < %(scope_hi)s AND p.is_active
      AND b."on" BETWEEN %(span_lo)s AND %(span_hi)s AND b.status IN ('confirmed', 'pending')
    GROUP BY 2, 3
    UNION ALL
    SELECT CASE w.kind WHEN 'info' THEN 'learning.info_items'
                       WHEN 'reflection' THEN 'learning.reflections'
                       ELSE 'learning.research_reports' END,
           w.person_id, w."on" - date_part('day', w."on")::int + 1,
           count(*) FILTER (WHERE w.status = 'confirmed'),
           count(*) FILTER (WHERE w.status = 'pending')
    FROM learning_writing w JOIN people_person p ON p.id = w.person_id
    WHERE p.unit_path >= %(scope_lo)s AND p.unit_path < %(scope_hi)s AND p.is_active
      AND w."on" BETWEEN %(span_lo)s AND %(span_hi)s AND w.status IN ('confirmed', 'pending')
      AND w.kind IN ('info', 'reflection', 'research')
    GROUP BY w.kind, 2, 3),
ap AS MATERIALIZED (  -- each person's regime first (else the planner joins by metric)
    SELECT a.*, pp.regime_id, pp.count_unconfirmed
    FROM act a JOIN ppl pp ON pp.person_id = a.person_id),
-- No joins between derived sets (their sizes are hard to estimate, and a nested loop
-- over them is quadratic): targets reach their cells through a window over the profile,
-- actuals through a grouping on (person, rule, window).
tc AS (
    SELECT regime_id, series, category, jstart, jend, base, holes, NULL::bigint AS person_id,
           NULL::text AS wkey, NULL::int AS places, target, expected, held, based
    FROM tgt
    UNION ALL
    SELECT regime_id, series, category, jstart, jend, base, holes, person_id, wkey, places,
           NULL, NULL, NULL, NULL
    FROM cell),
tw AS (
    SELECT person_id, series, wkey, jstart, jend, places,
           max(target) OVER pr AS target, max(expected) OVER pr AS expected,
           max(held) OVER pr AS held, max(based) OVER pr AS based
    FROM tc
    WINDOW pr AS (PARTITION BY regime_id, series, category, jstart, jend, base, holes)),
parts AS (
    SELECT person_id, series, wkey, jstart, jend, places, target, expected, held, based,
           NULL::numeric AS v, true AS is_cell
    FROM tw WHERE person_id IS NOT NULL
    UNION ALL
    SELECT a.person_id, jw.series, jw.wkey, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           coalesce(a.confirmed, 0)
           + CASE WHEN a.count_unconfirmed THEN coalesce(a.pending, 0) ELSE 0 END,
           false
    FROM ap a
    JOIN jw ON jw.regime_id = a.regime_id AND jw.metric = a.metric
           AND a.m BETWEEN jw.jstart AND jw.jend),
agg AS (
    SELECT person_id, series, wkey, max(jstart) AS jstart, max(jend) AS jend,
           max(places) AS places, max(target) AS target, max(expected) AS expected,
           coalesce(max(held), 0) AS held, coalesce(max(based), 0) AS based,
           coalesce(sum(v), 0) AS v
    FROM parts
    GROUP BY person_id, series, wkey
    HAVING bool_or(is_cell))
SELECT g.person_id, g.series, g.wkey, z.target, z.actual,
       CASE WHEN g.held = 0 THEN CASE WHEN g.based > 0 THEN 'exempt' ELSE 'n/a' END
            WHEN z.actual >= z.target THEN 'met'
            WHEN %(today)s::date > g.jend THEN 'missed'
            WHEN %(today)s::date < g.jstart OR z.actual >= z.expected THEN 'not_due'
            ELSE 'behind' END AS status
FROM agg g
CROSS JOIN LATERAL (SELECT round(coalesce(g.target, 0), g.places) AS target,
                           round(coalesce(g.expected, 0), g.places) AS expected,
                           round(g.v, g.places) AS actual) z
"""

# The same statement over the monthly summaries (``learning.summaries``) instead of the
# records: the actual per person, metric and month is a row already.
HAND_SQL_SUMMARIES = HAND_SQL[:HAND_SQL.index("act AS (")] + """act AS (  -- monthly summaries
    SELECT s.metric, s.person_id, s.month AS m, s.confirmed, s.pending
    FROM learning_monthsummary s JOIN people_person p ON p.id = s.person_id
    WHERE p.unit_path >= %(scope_lo)s AND p.unit_path < %(scope_hi)s AND p.is_active
      AND s.month BETWEEN %(span_lo)s AND %(span_hi)s
      AND s.metric IN ('learning.study_hours', 'learning.books', 'learning.info_items',
                       'learning.reflections', 'learning.research_reports')),
""" + HAND_SQL[HAND_SQL.index("ap AS MATERIALIZED"):]  # noqa: S608 (constant text)

HAND_METRICS = {"learning.study_hours", "learning.books", "learning.info_items",
                "learning.reflections", "learning.research_reports"}


def sql_params(scope, regimes, windows, series_periods) -> dict:
    """Parameters of HAND_SQL for the regimes of the departments in ``scope`` (a unit);
    checks that the statement covers the rules and windows given."""
    from zugong.core.periods import Period
    from zugong.learning.models import RegimeRule
    from zugong.people.access import path_upper_bound

    rules = RegimeRule.objects.filter(regime__in=regimes)
    assert set(rules.values_list("metric", flat=True)) <= HAND_METRICS
    assert not rules.exclude(roles=[]).exists(), "the SQL does not handle roles"
    assert not rules.filter(sections__isnull=False).exists(), "nor sections"
    assert all(w.kind in ("month", "quarter", "half", "year") for w in windows)
    # The records' span: every judged window (a rule longer than the window is judged
    # over its own period containing the window).
    longest = max(series_periods, key=lambda k: ["day", "week", "month", "quarter", "half",
                                                  "year"].index(k))
    span = [Period.containing(longest, w.start) for w in windows] + list(windows)
    assert path_upper_bound(scope.path) and all(path_upper_bound(r.department.path)
                                                for r in regimes)
    return {
        "scope_lo": scope.path, "scope_hi": path_upper_bound(scope.path),
        "regimes": [r.pk for r in regimes],
        "los": [r.department.path for r in regimes],
        "his": [path_upper_bound(r.department.path) for r in regimes],
        "wkeys": [w.key for w in windows], "wkinds": [w.kind for w in windows],
        "wstarts": [w.start for w in windows],
        "span_lo": min(p.start for p in span), "span_hi": max(p.end for p in span),
        "today": TODAY,
    }


def hand_sql(params, jit: bool = False, over_summaries: bool = False) -> list[tuple]:
    """Run HAND_SQL (HAND_SQL_SUMMARIES with ``over_summaries``). Without ``jit`` it runs
    with ``SET LOCAL jit = off``: the statement's estimated cost is far above
    ``jit_above_cost`` and PostgreSQL would spend longer compiling it than running it
    (``--sql-jit`` measures that too)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        if not jit:
            cur.execute("SET LOCAL jit = off")
        cur.execute(HAND_SQL_SUMMARIES if over_summaries else HAND_SQL, params)
        return cur.fetchall()


# ---------------------------------------------------------------- engine


def engine_cells(result) -> dict:
    return {(pid, series, wkey): (c.target, c.actual, str(c.status))
            for (pid, series, wkey), c in result.cells.items()}


def check(engine: dict, rows: list[tuple], label: str) -> int:
    sql = {(pid, series, wkey): (target, actual, status)
           for pid, series, wkey, target, actual, status in rows}
    bad = []
    for key in sorted(set(engine) | set(sql)):
        a, b = engine.get(key), sql.get(key)
        if a is None or b is None or a[0] != b[0] or a[1] != b[1] or a[2] != b[2]:
            bad.append((key, a, b))
    statuses = defaultdict(int)
    for _t, _a, s in engine.values():
        statuses[s] += 1
    print(f"check {label}: {len(engine):,} engine cells, {len(sql):,} SQL rows, "
          f"{len(bad)} mismatches; statuses {dict(sorted(statuses.items()))}", flush=True)
    for key, a, b in bad[:20]:
        print(f"  MISMATCH (person, rule, window) {key}: engine {a} SQL {b}")
    return len(bad)


def captured(fn) -> list[dict]:
    """The queries ``fn`` runs (Django keeps at most 9,000 in its log: empty it first)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return ctx.captured_queries


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timings(fn, runs: int) -> tuple[list[float], float, float]:
    """Wall times (ms) of ``runs`` runs after a warm-up, and the mean CPU per run (ms) of
    this process and of its PostgreSQL backend: on a shared machine the CPU figures say
    what the work costs, the wall times what it took."""
    fn()  # warm-up
    out = []
    cpu0, db0 = time.process_time(), backend_cpu()
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    cpu1, db1 = time.process_time(), backend_cpu()
    return out, (cpu1 - cpu0) * 1000 / runs, (db1 - db0) * 1000 / runs


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[max(0, math.ceil(q * len(s)) - 1)]


# ---------------------------------------------------------------- measure


def machine_info() -> dict:
    from django.db import connection

    mem_kb = 0
    with open("/proc/meminfo") as fh:
        for line in fh:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with connection.cursor() as cur:
        cur.execute("SELECT version(), current_setting('shared_buffers'), "
                    "current_setting('work_mem'), current_setting('jit')")
        pg, shared, work_mem, jit = cur.fetchone()
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"],  # noqa: S603, S607
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run([*git, "status", "--porcelain", "--", "zugong"],  # noqa: S603, S607
                           capture_output=True, text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": mem_kb / 1048576,
            "pg": pg.split(" on ")[0], "shared_buffers": shared, "work_mem": work_mem,
            "jit": jit, "python": platform.python_version(),
            "commit": commit + (" + uncommitted changes in zugong/" if dirty else "")}


def loadavg() -> float:
    with open("/proc/loadavg") as fh:
        return float(fh.read().split()[0])


class Bench:
    """The cases measured: one county (the year; the 12 months + the year) and the
    province (evaluate_many over every county regime), each by the engine and by HAND_SQL."""

    def __init__(self, args):
        from zugong.core.periods import Period, PeriodKind
        from zugong.learning.compliance import load_series, people_under
        from zugong.learning.models import Regime, RegimeRule
        from zugong.people.models import OrgUnit, Person

        self.args = args
        self.regimes = list(Regime.objects.filter(is_active=True).select_related("department")
                            .order_by("department__path"))
        # The county whose rules changed during the year (history exercised).
        changed = set(RegimeRule.objects.filter(valid_to__isnull=False)
                      .values_list("regime_id", flat=True))
        self.county = next((r for r in self.regimes if r.pk in changed),
                           self.regimes[len(self.regimes) // 2])
        self.province_unit = OrgUnit.objects.get(code=PROVINCE_CODE)
        self.year = Period.parse(str(YEAR))
        self.page = [*self.year.children(PeriodKind.MONTH), self.year]
        periods = set(RegimeRule.objects.filter(regime__in=self.regimes)
                      .values_list("period", flat=True))
        county, n = self.county, len(self.regimes)
        self.cases = [
            {"label": "one county, year 2025", "fn": lambda: self.engine(county, [self.year]),
             "params": sql_params(county.department, [county], [self.year], periods),
             "runs": args.county_runs, "target": TARGET_COUNTY_MS},
            {"label": "one county, 12 months + year (compliance page)",
             "fn": lambda: self.engine(county, self.page),
             "params": sql_params(county.department, [county], self.page, periods),
             "runs": args.county_runs, "target": None},
            {"label": f"province ({n} counties), year 2025", "fn": self.province,
             "params": sql_params(self.province_unit, self.regimes, [self.year], periods),
             "runs": args.province_runs, "target": TARGET_PROVINCE_MS},
        ]
        n_people = people_under(county, Person.objects.all()).count()
        print(f"county: {county.department.name} ({n_people} people; rules: "
              + "; ".join(f"{v.series}. {v.metric} ≥ {v.threshold}/{v.period} "
                          f"{v.valid_from}–{v.valid_to or ''}"
                          for s in load_series(county) for v in s.versions) + ")", flush=True)
        self.sql_rows: dict[str, list] = {}

    def engine(self, regime, windows, series=None):
        from zugong.learning.compliance import evaluate, people_under
        from zugong.people.models import Person

        return evaluate(regime=regime, people=people_under(regime, Person.objects.all()),
                        windows=windows, today=TODAY, series=series)

    def province(self):
        """Every county of the province in one call: one grouped query per metric for
        all people, each judged by their own county's regime."""
        from zugong.learning.compliance import evaluate_many
        from zugong.people.access import subtree_q
        from zugong.people.models import Person

        people = Person.objects.filter(subtree_q("unit_path", self.province_unit.path),
                                       is_active=True)
        return list(evaluate_many(regimes=self.regimes, people=people, windows=[self.year],
                                  today=TODAY).values())

    def engine_cells_of(self, case) -> dict:
        result = case["fn"]()
        cells = {}
        for r in (result if isinstance(result, list) else [result]):
            cells.update(engine_cells(r))
        return cells

    def sql_rows_of(self, case) -> list:
        if case["label"] not in self.sql_rows:
            self.sql_rows[case["label"]] = hand_sql(case["params"])
        return self.sql_rows[case["label"]]

    def run(self) -> tuple[list[dict], int]:
        mismatches, results = 0, []
        for case in self.cases:
            key = case["label"]
            # Correctness first: the SQL must give the engine's figures.
            cells = self.engine_cells_of(case)
            mismatches += check(cells, self.sql_rows_of(case), key)
            mismatches += check(cells, hand_sql(case["params"], over_summaries=True),
                                key + " (SQL over the summaries)")
            queries = captured(case["fn"])
            sql_ms = sum(float(q["time"]) for q in queries) * 1000
            load = loadavg()
            eng, eng_app, eng_db = timings(case["fn"], case["runs"])
            hand, sql_app, sql_db = timings(lambda p=case["params"]: hand_sql(p), case["runs"])
            summ, summ_app, summ_db = timings(
                lambda p=case["params"]: hand_sql(p, over_summaries=True), case["runs"])
            hand_jit = (timings(lambda p=case["params"]: hand_sql(p, jit=True),
                                case["runs"])[0] if self.args.sql_jit else None)
            results.append({"label": key, "runs": case["runs"], "engine": eng,
                            "engine_cpu": (eng_app, eng_db), "sql_cpu": (sql_app, sql_db),
                            "sql": hand, "sql_jit": hand_jit, "summ": summ,
                            "summ_cpu": (summ_app, summ_db),
                            "queries": len(queries), "engine_sql_ms": sql_ms,
                            "cells": len(cells), "target": case["target"], "load": load})
            print(f"{key}: engine median {statistics.median(eng):,.0f} ms "
                  f"(p95 {pct(eng, 0.95):,.0f}), SQL median {statistics.median(hand):,.0f}"
                  f" ms (p95 {pct(hand, 0.95):,.0f}), SQL over the summaries median "
                  f"{statistics.median(summ):,.0f} ms, {len(queries)} queries "
                  f"({sql_ms:,.0f} ms in SQL)", flush=True)
        return results, mismatches

    def profile(self) -> None:
        lines = self.args.profile_lines
        for case in self.cases:
            profile(case["fn"], case["label"], lines)
        for case in (self.cases[0], self.cases[2]):
            explain(case["params"], "hand SQL, " + case["label"])


def profile(fn, label: str, lines: int) -> None:
    fn()
    prof = cProfile.Profile()
    prof.enable()
    fn()
    prof.disable()
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(prof, stream=out).strip_dirs().sort_stats(order).print_stats(lines)
        print(f"\n### cProfile: {label}, by {order}\n")
        print(out.getvalue())


def explain(params, label: str) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL jit = off")
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + HAND_SQL, params)
        print(f"\n### EXPLAIN ANALYZE {label}\n")
        print("\n".join(r[0] for r in cur.fetchall()))


def table(results: list[dict]) -> list[str]:
    jit = any(r["sql_jit"] for r in results)
    lines = ["| measurement | N | engine median | engine p95 | SQL median | SQL p95 | "
             + ("SQL with jit on, median | " if jit else "")
             + "engine / SQL | SQL over summaries, median | p95 | engine / SQL over summaries | "
             "engine CPU app + db | SQL CPU app + db | SQL over summaries CPU app + db | "
             "engine queries | engine time in SQL | cells | target | met |",
             "|---|---:|---:|---:|---:|---:|" + ("---:|" if jit else "")
             + "---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|:---:|"]
    for r in results:
        med, p95 = statistics.median(r["engine"]), pct(r["engine"], 0.95)
        smed, sp95 = statistics.median(r["sql"]), pct(r["sql"], 0.95)
        target = f"≤ {r['target']:,.0f} ms" if r["target"] else "—"
        met = ("yes" if p95 <= r["target"] else "**no**") if r["target"] else ""
        jcol = f"{statistics.median(r['sql_jit']):,.0f} | " if jit else ""
        (ea, ed), (sa, sd), (ua, ud) = r["engine_cpu"], r["sql_cpu"], r["summ_cpu"]
        umed, up95 = statistics.median(r["summ"]), pct(r["summ"], 0.95)
        lines.append(f"| {r['label']} | {r['runs']} | {med:,.0f} | {p95:,.0f} | "
                     f"{smed:,.0f} | {sp95:,.0f} | {jcol}{med / smed:.1f} | "
                     f"{umed:,.0f} | {up95:,.0f} | {med / umed:.1f} | "
                     f"{ea:,.0f} + {ed:,.0f} | {sa:,.0f} + {sd:,.0f} | {ua:,.0f} + {ud:,.0f} | "
                     f"{r['queries']:,} | {r['engine_sql_ms']:,.0f} | {r['cells']:,} | "
                     f"{target} | {met} |")
    return lines + ["", "Load average (1 min) before each measurement: "
                    + ", ".join(f"{r['load']:.2f}" for r in results) + ".", ""]


def report(args, info, counts, load_times, runs_results, started) -> str:
    lines = [f"# Learning compliance benchmark — {started:%Y-%m-%d %H:%M}", "",
             f"- Machine: {info['nproc']} CPU ({info['cpu']}), {info['ram_gb']:.1f} GB RAM; "
             f"{info['pg']} on the same machine (shared_buffers {info['shared_buffers']}, "
             f"work_mem {info['work_mem']}, jit {info['jit']}); Python {info['python']}; "
             f"commit {info['commit']}",
             f"- Command: `{' '.join(sys.argv)}`",
             "- Data: " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}"
                                    for k, v in counts.items())]
    if load_times:
        lines.append("- Load: " + ", ".join(f"{k[:-2]} {v:.0f} s" for k, v in load_times.items()))
    lines += [f"- `today` = {TODAY}; times in ms, median and p95 (nearest rank) of N runs "
              "after one warm-up run; the engine is `compliance.evaluate` in-process, the SQL "
              "is one statement (execute + fetch, `SET LOCAL jit = off`); \"engine time in "
              "SQL\" is the time of the engine's queries as seen by Django in one more run; "
              "CPU is the mean per run, in ms, of this process (app) and of its PostgreSQL "
              "backend (db; parallel workers not included), from /proc at 10 ms resolution.",
              ""]
    for i, results in enumerate(runs_results, start=1):
        if len(runs_results) > 1:
            lines += [f"**Round {i}**", ""]
        lines += table(results)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database-url", default=DEFAULT_URL)
    ap.add_argument("--counties", type=int, default=100)
    ap.add_argument("--people-per-county", type=int, default=40)
    ap.add_argument("--years", type=int, default=3, help="years of records, ending with 2025")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--reuse", action="store_true",
                    help="keep the database if it already holds data of this size")
    ap.add_argument("--county-runs", type=int, default=7)
    ap.add_argument("--province-runs", type=int, default=3)
    ap.add_argument("--rounds", type=int, default=1, help="repeat the measurements")
    ap.add_argument("--sql-jit", action="store_true",
                    help="also time the SQL with the server's jit setting")
    ap.add_argument("--profile", action="store_true", help="cProfile and EXPLAIN ANALYZE")
    ap.add_argument("--profile-lines", type=int, default=25)
    args = ap.parse_args(argv)
    started = dt.datetime.now()

    prepare_database(args.database_url, recreate=False)
    setup_django(args.database_url)
    load_times: dict[str, float] = {}
    if not (args.reuse and data_present(args)):
        from django.core.management import call_command
        from django.db import connections

        connections.close_all()
        print(f"recreating {args.database_url}", flush=True)
        prepare_database(args.database_url, recreate=True)
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        load_times["migrate_s"] = time.perf_counter() - t
        print(f"loading {args.counties} counties × {args.people_per_county} people, "
              f"{args.years} years of records", flush=True)
        loader = Loader(args, args.database_url)
        loader.load()
        load_times.update(loader.times)
        print("load: " + ", ".join(f"{k} {v:.0f}" for k, v in load_times.items()), flush=True)
        # The records went in by COPY, around the services that keep the monthly
        # summaries: build them as the repair command does, and time it.
        from zugong.learning import summaries

        t = time.perf_counter()
        print(f"summaries rebuilt: {summaries.rebuild():,} rows", flush=True)
        load_times["summaries_rebuild_s"] = time.perf_counter() - t
    else:
        # A database loaded before the summaries existed gets their table, filled by
        # the migration (learning 0004) from the records.
        from django.core.management import call_command

        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        load_times["migrate_s"] = time.perf_counter() - t
        print("reusing the loaded database", flush=True)
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cur:  # statistics and visibility map of the new rows
        cur.execute("VACUUM ANALYZE learning_monthsummary")
    load_times["analyze_summaries_s"] = time.perf_counter() - t
    counts = row_counts()
    print("rows: " + ", ".join(f"{k} {v}" for k, v in counts.items()), flush=True)

    info = machine_info()
    bench = Bench(args)
    all_results, mismatches = [], 0
    for i in range(args.rounds):
        if args.rounds > 1:
            print(f"\n## round {i + 1}", flush=True)
        results, bad = bench.run()
        all_results.append(results)
        mismatches += bad
    if args.profile:
        bench.profile()
    text = report(args, info, counts, load_times, all_results, started)
    if mismatches:
        text += f"\n**The SQL and the engine disagree on {mismatches} cells (see above).**\n"
    print("\n" + text)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"learning-{started:%Y%m%d-%H%M%S}.md"
    path.write_text(text, encoding="utf-8")
    print(f"written to {path.relative_to(ROOT)}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
