"""Benchmark of the cadre-workbook import (issue 6): N people, every sheet, one transaction.

    .venv/bin/python bench/interop_bench.py [--people 10000]
        [--database-url sqlite:///var/bench/interop.sqlite3 | postgres://…/zugong_interop_bench]

It builds a fresh database (a SQLite file is deleted first; a PostgreSQL database is
dropped and recreated, never postgres/template0/template1), migrates, creates a county
department with 20 units, writes a workbook of N people (A01, two A02 posts, one A08, two
A15 results and two A36 family members each: 8 rows per person) and times the steps the
page and `zugong import-workbook` take: reading and checking every cell (the dry run),
comparing with the registry (the preview), and the import in one transaction. A second
import of the same workbook must change nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国红梅志文斌波宇浩"


def _fresh_database(url: str) -> None:
    import dj_database_url

    cfg = dj_database_url.parse(url)
    if "sqlite" in cfg["ENGINE"]:
        path = Path(cfg["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = cfg["NAME"]
    if name in ("postgres", "template0", "template1"):
        raise SystemExit(f"refusing to drop {name}")
    import psycopg

    with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                         password=cfg["PASSWORD"] or None, dbname="postgres",
                         autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _workbook(n: int, unit_codes: list[str]) -> bytes:
    from openpyxl import Workbook

    from zugong.interop.workbook import SHEETS, sheet_title
    from zugong.people import idnumber

    rng = random.Random(6)
    wb = Workbook(write_only=True)
    sheets = {}
    for code, (_title, cols) in SHEETS.items():
        ws = wb.create_sheet(sheet_title(code))
        ws.append([c.header for c in cols])
        sheets[code] = ws
    results = ("优秀", "称职", "称职", "称职", "基本称职")
    for i in range(n):
        male = i % 2 == 0
        born = dt.date(1965 + i % 35, 1 + i % 12, 1 + i % 28)
        # Sequence numbers run over three prefixes so that 10,000 numbers stay unique.
        prefix = ("433122", "433123", "433124", "433125")[i // 2000 % 4]
        seq = (i % 2000) // 4 * 2 + (1 if male else 0)
        number = idnumber.make(prefix, born, seq)
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        work = dt.date(born.year + 22, 7, 1)
        sheets["A01"].append([
            name, "男" if male else "女", born, "汉族", "湖南泸溪", "湖南泸溪", "中共党员",
            dt.date(born.year + 25, 6, 1), work, "健康", "", number, f"139{i:08d}",
            "科员", "科员级", unit_codes[i % len(unit_codes)], "管理干部"])
        middle = dt.date(work.year + 5, 3, 1)
        sheets["A02"].append([number, work, middle, "泸溪县某镇人民政府科员"])
        sheets["A02"].append([number, middle, None, "泸溪县某局科员"])
        sheets["A08"].append([number, "全日制", "大学本科毕业", "法学学士", "湖南师范大学法学专业"])
        sheets["A15"].append([number, 2023, rng.choice(results)])
        sheets["A15"].append([number, 2024, rng.choice(results)])
        sheets["A36"].append([number, "父亲", rng.choice(SURNAMES) + "大山",
                              dt.date(born.year - 28, 5, 1), "群众", "泸溪县农民", "否"])
        sheets["A36"].append([number, "母亲", rng.choice(SURNAMES) + "桂兰",
                              dt.date(born.year - 26, 8, 1), "群众", "泸溪县农民", "否"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10000)
    parser.add_argument("--database-url",
                        default=f"sqlite:///{ROOT / 'var' / 'bench' / 'interop.sqlite3'}")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("ZUGONG_DATA_DIR", str(ROOT / "var" / "bench"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zugong.config.settings"
    _fresh_database(args.database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import translation

    call_command("migrate", verbosity=0)
    translation.activate("zh-hans")

    from zugong.interop import merge, workbook
    from zugong.people import services
    from zugong.people.models import Person, UnitKind

    dept = services.unit_create(by=None, parent=None, name="泸溪县委组织部",
                                kind=UnitKind.ORG_DEPT, code="433122")
    codes = []
    for i in range(20):
        unit = services.unit_create(by=None, parent=dept, name=f"县直单位{i:02d}",
                                    kind=UnitKind.COUNTY_UNIT, code=f"433122-B{i:02d}")
        codes.append(unit.code)

    started = time.perf_counter()
    data = _workbook(args.people, codes)
    made = time.perf_counter() - started
    print(f"workbook of {args.people} people: {len(data) / 1e6:.1f} MB, written in {made:.1f} s")

    timings = {}
    started = time.perf_counter()
    report = workbook.read_workbook(data)
    workbook._check_units(None, report)
    timings["read and check every cell (dry run)"] = time.perf_counter() - started
    assert report.ok, report.problems[:5]

    started = time.perf_counter()
    diffs = merge.diff_batch(report.records, user=None)
    timings["compare with the registry (preview)"] = time.perf_counter() - started
    assert all(d.status == "create" for d in diffs)

    started = time.perf_counter()
    counts = workbook.workbook_apply_payload(
        by=None, payload={"units": report.units, "records": report.records}, unit=None,
        category="managed", source="bench")
    timings["import in one transaction"] = time.perf_counter() - started
    assert counts["created"] == args.people, counts
    assert Person.objects.count() == args.people

    started = time.perf_counter()
    again = workbook.workbook_apply_payload(
        by=None, payload={"units": [], "records": workbook.read_workbook(data).records},
        unit=None, category="managed", source="bench again")
    timings["the same workbook again (read, compare, nothing to write)"] = \
        time.perf_counter() - started
    assert again["unchanged"] == args.people, again

    total = sum(v for k, v in timings.items() if not k.startswith("the same"))
    print(f"database: {connection.vendor}")
    for name, seconds in timings.items():
        print(f"  {name:60} {seconds:7.1f} s")
    print(f"  {'total: upload to imported':60} {total:7.1f} s "
          f"({args.people / total:.0f} people/s)")


if __name__ == "__main__":
    main()
