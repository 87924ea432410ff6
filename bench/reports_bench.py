#!/usr/bin/env python
"""Figures and roll-ups benchmark (issue 22, point 5): a province roll-up of every figure.

Run by hand, never in CI:

    .venv/bin/python bench/reports_bench.py --database-url URL [--build]
        [--counties 20] [--people-per-county 40] [--years 3] [--year 2025] [--repeat 5]

Without ``--build`` the database is expected to hold a province already (the data set of
``bench/province.py --database-url URL``: 100 counties, 4,000 organization cadres, 80,000
managed cadres, three years); the top organization department without a parent is the
province. With ``--build`` the database is dropped, created, migrated and loaded with a
small province of its own: ``--counties`` county departments (4 sections each) made with
``unit_create``, ``--people-per-county`` organization cadres each, and ``--years`` years of
study sessions (learning.study_hours, ~4 a person a month) and talks (talks.held, ~1 a
person a month) written with ``bulk_create``.

Measured (best and median of ``--repeat`` runs, wall clock, in this process):

1. ``summaries_refresh`` of the year: the nightly job (every metric of the catalogue);
2. the province roll-up page's read, ``selectors.rollup`` over the summaries (every
   figure of the catalogue, each county side by side and the total);
3. the same read as one hand-written SQL statement over the summary table;
4. one figure (talks.held) per county straight from the records through the ORM
   (``Metric.totals`` over the province, bucketed by county), and
5. the same as a hand-written SQL statement over the raw rows;
6. every figure of the province live from the records (``selectors.figure_values``),
   which is what a roll-up page would cost without summaries.

Prints a Markdown table; docs/performance.md ("Figures and roll-ups") quotes it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zugong_reports_bench"
SECTIONS = ("办公室", "组织室", "干部室", "干部监督室")


def prepare_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    dbname = parts.path.lstrip("/")
    if not dbname or dbname in ("postgres", "template0", "template1"):
        raise SystemExit(f"refusing to use database {dbname!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(dbname)))
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
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(args) -> None:
    """A small province through the project's services and bulk_create."""
    from zugong.core.models import DictItem, DictTable
    from zugong.learning.models import StudySession
    from zugong.people.models import Person, UnitKind
    from zugong.people.services import unit_create
    from zugong.talks.models import Talk

    rng = random.Random(7)
    province = unit_create(by=None, parent=None, name="省委组织部（报表基准）",
                           kind=UnitKind.ORG_DEPT, code="RB-43")
    sex = dict(DictItem.objects.filter(table=DictTable.SEX, code__in=("1", "2"))
               .values_list("code", "pk"))
    people = []
    for i in range(args.counties):
        dept = unit_create(by=None, parent=province, name=f"第{i + 1:03d}县委组织部",
                           kind=UnitKind.ORG_DEPT, code=f"RB-{i:03d}", position=i)
        sections = [unit_create(by=None, parent=dept, name=s, kind=UnitKind.SECTION,
                                code=f"RB-{i:03d}-S{j}", position=j)
                    for j, s in enumerate(SECTIONS)]
        for k in range(args.people_per_county):
            unit = dept if k < 4 else sections[(k - 4) % len(sections)]
            people.append(Person(category="org_cadre", name=f"干部{i:03d}{k:03d}",
                                 sex_id=sex["1" if k % 3 else "2"],
                                 birth_date=dt.date(1970 + k % 30, 1 + k % 12, 1 + k % 28),
                                 unit=unit, unit_path=unit.path, is_active=True))
    Person.objects.bulk_create(people, batch_size=2000)
    first = dt.date(args.year - args.years + 1, 1, 1)
    days = (dt.date(args.year, 12, 31) - first).days + 1
    sessions, talks = [], []
    for person in people:
        for _n in range(4 * 12 * args.years):
            sessions.append(StudySession(
                person=person, on=first + dt.timedelta(days=rng.randrange(days)),
                hours=Decimal(1 + rng.randrange(4)), topic="党的二十大精神",
                status="confirmed"))
        for _n in range(12 * args.years):
            talks.append(Talk(by=person, held_on=first + dt.timedelta(days=rng.randrange(days)),
                              kind="heart"))
        if len(sessions) > 20000:
            StudySession.objects.bulk_create(sessions, batch_size=5000)
            sessions = []
    StudySession.objects.bulk_create(sessions, batch_size=5000)
    Talk.objects.bulk_create(talks, batch_size=5000)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE") if connection.vendor == "postgresql" else None
    print(f"built: {args.counties} counties, {len(people)} people, "
          f"{StudySession.objects.count()} study sessions, {Talk.objects.count()} talks",
          flush=True)


def province_reader():
    """The province, and a head of it (an account made for the benchmark when missing)."""
    from zugong.people.models import OrgUnit, Person, Role, Scope, UnitKind, User
    from zugong.people.services import account_create, role_grant

    province = OrgUnit.objects.filter(depth=1, kind=UnitKind.ORG_DEPT).order_by(
        "-numchild", "path").first()
    user = User.objects.filter(username="reports_bench").first()
    if user is None:
        # Someone of the province without an account (the generator gives the head one).
        free = Person.objects.exclude(pk__in=User.objects.exclude(person=None).values("person"))
        person = free.filter(unit=province).first() or \
            free.filter(unit__path__startswith=province.path).first()
        user, _pw = account_create(by=None, username="reports_bench", person=person,
                                   password="Bench-Only-2026!",  # noqa: S106 - a throw-away database
                                   must_change=False)
        role_grant(by=None, user=user, role=Role.HEAD, scope=Scope.OWN_UNIT_AND_BELOW,
                   unit=province, units=[])
    return province, user


def timed(fn, repeat: int):
    times, result = [], None
    for _n in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times), result


ROLLUP_SQL = """
SELECT s.unit_id, s.metric, s.category, s.value, s.people
FROM reports_figuresummary s
JOIN people_orgunit u ON u.id = s.unit_id
WHERE u.path >= %s AND u.path < %s AND u.depth = %s AND s.period = %s
"""

RAW_SQL = """
SELECT substr(p.unit_path, 1, %s) AS county, count(*)
FROM talks_talk t JOIN people_person p ON p.id = t.by_id
WHERE t.held_on BETWEEN %s AND %s AND p.unit_path >= %s AND p.unit_path < %s
GROUP BY 1
"""


def measure(args) -> list[tuple[str, float, float, str]]:
    from django.db import connection

    from zugong.core import metrics
    from zugong.core.audit import SYSTEM
    from zugong.people.access import path_upper_bound, subtree_q
    from zugong.people.models import Person
    from zugong.reports import selectors, services

    province, user = province_reader()
    span = selectors.span_of(str(args.year))
    upper = path_upper_bound(province.path)
    rows = []

    best, median, written = timed(lambda: services.summaries_refresh(by=SYSTEM, year=args.year),
                                  1)
    rows.append(("summaries_refresh (nightly job, one year)", best, median,
                 f"{written} rows"))

    best, median, table = timed(lambda: selectors.rollup(user=user, unit=province, span=span),
                                args.repeat)
    rows.append(("province roll-up, every figure (selectors.rollup)", best, median,
                 f"{len(table.rows)} figures × {len(table.children)} units"))

    def sql_rollup():
        with connection.cursor() as cur:
            cur.execute(ROLLUP_SQL, [province.path, upper, province.depth + 1, span.key])
            return cur.fetchall()

    best, median, fetched = timed(sql_rollup, args.repeat)
    rows.append(("  the same, hand-written SQL over the summaries", best, median,
                 f"{len(fetched)} rows"))

    people = Person.objects.filter(subtree_q("unit_path", province.path))
    county_len = len(province.path) + province.steplen

    def orm_raw():
        totals = metrics.get("talks.held").totals(people=people, start=span.start,
                                                  end=span.end)
        paths = dict(people.values_list("pk", "unit_path"))
        by_county: dict[str, Decimal] = {}
        for (pk, _b), value in totals.items():
            key = paths[pk][:county_len]
            by_county[key] = by_county.get(key, Decimal(0)) + value
        return by_county

    best, median, by_county = timed(orm_raw, args.repeat)
    rows.append(("talks.held per county from the records (Metric.totals)", best, median,
                 f"{int(sum(by_county.values()))} talks"))

    def sql_raw():
        with connection.cursor() as cur:
            cur.execute(RAW_SQL, [county_len, span.start, span.end, province.path, upper])
            return cur.fetchall()

    best, median, fetched = timed(sql_raw, args.repeat)
    rows.append(("  the same, hand-written SQL over the records", best, median,
                 f"{sum(n for _c, n in fetched)} talks"))

    best, median, values = timed(
        lambda: selectors.figure_values(user=user, span=span, unit=province), 1)
    rows.append(("every figure of the province live from the records", best, median,
                 f"{len(values)} figures"))
    total = next(r for r in table.rows if r["figure"].key == "talks.held")["total"]
    live = next(v for v in values if v.key == "talks.held").value
    assert total == live == int(sum(by_county.values())), (total, live)
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database-url", default=DEFAULT_URL)
    ap.add_argument("--build", action="store_true")
    ap.add_argument("--counties", type=int, default=20)
    ap.add_argument("--people-per-county", type=int, default=40)
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    if args.build:
        prepare_database(args.database_url)
    setup_django(args.database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # the summary table, on a province loaded before
    if args.build:
        build(args)
    from django.db import connection

    from zugong.people.models import Person

    print(f"database: {connection.vendor}, {Person.objects.count()} people", flush=True)
    rows = measure(args)
    print("\n| case | best ms | median ms | size |\n|---|---:|---:|---|")
    for label, best, median, size in rows:
        print(f"| {label} | {best:.0f} | {median:.0f} | {size} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
