#!/usr/bin/env python
"""People-registry benchmark (issue 2): a province in PostgreSQL, 8 concurrent clients.

Run by hand, never in CI (it drops and recreates the database it is given):

    .venv/bin/python bench/people_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/zugong_bench \\
        [--people 80000 --counties 100 --clients 8 --requests 400]

Steps: (1) drop/create the database, migrate; (2) load a province organization
department with ``--counties`` county departments (each with 6 sections and 10 county
units/towns), ``--people`` people (5 % organization cadres, 95 % managed cadres) with
encrypted ID/phone numbers, blind indexes, 3 résumé lines and 2 family members each,
and the benchmark accounts (one county head per client, one province-level head);
(3) start ``zugong serve`` (gunicorn, ``--workers`` processes); (4) log the clients in
over HTTP and have them request, concurrently, the people list, its next (keyset) page,
a filtered search and person pages — first as county heads, then as the province user;
(5) read each gunicorn process's peak resident memory (VmHWM); (6) print a Markdown
report and write it to ``bench/out/people-<date>.md``.

``--reuse`` skips (1)–(2) when the database already holds the benchmark data (it only
applies new migrations).
``--profile`` runs no server: it counts the SQL queries of each page in-process and
prints EXPLAIN ANALYZE of the list and search queries (for finding a slow page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import http.client
import math
import os
import platform
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/zugong_bench"
PASSWORD = "Kx7#pQ2mLw9z"  # noqa: S105 - benchmark accounts in a throw-away database
HEAD_USER = "bench_head_{:02d}"
PROVINCE_USER = "bench_province"
TARGET_P95_MS = 150.0
TARGET_RSS_MB = 300.0
KINDS = ("list", "next page", "search", "person")

# ---------------------------------------------------------------- synthetic data

SURNAMES = (
    "王14 李14 张13 刘10 陈9 杨8 黄6 赵5 吴5 周5 徐4 孙4 马3 朱3 胡3 郭3 何3 高3 林3 罗3 "
    "郑2 梁2 谢2 宋2 唐2 许2 韩2 冯2 邓2 曹2 彭2 曾2 肖2 田2 董2 袁2 潘1 蒋1 蔡1 余1 杜1 "
    "叶1 程1 苏1 魏1 吕1 丁1 任1 沈1 姚1 卢1 钟1 谭1 陆1 汪1 范1 金1 石1 廖1 贾1 夏1 付1 "
    "方1 邹1 孟1 熊1 秦1 江1 尹1 段1 雷1 侯1 龙1 陶1 黎1 贺1 毛1 龚1 邵1 万1 严1 覃1 向1"
)
SURNAME_LIST = [s[0] for s in SURNAMES.split()]
SURNAME_WEIGHTS = [int(s[1:]) for s in SURNAMES.split()]
MALE_GIVEN = ("伟强军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋成亮"
              "峰磊文志国建云海东兵锋新忠武松剑晖毅坤振卫良庆德福荣祥贵春光全胜永兴江")
FEMALE_GIVEN = ("芳娜敏静丽艳娟霞燕玲英丹萍红琴云莉兰凤洁梅琳"
                "慧倩婷雪颖晶欢蓉媛佳璐瑶露莎菲薇琼秀翠玉珍妮")
FIRST_CHAR = ("志建国文明海晓永德宏俊家振世光子泽浩天春新立红正云中小长金"
              "秀丽美雪思欣玉慧佳")

SECTIONS = ("办公室", "组织室", "干部室", "干部监督室", "人才办", "党员教育室")
COUNTY_UNITS = ("县委办公室", "县政府办公室", "县发展和改革局", "县教育局", "县财政局",
                "县卫生健康局")
TOWN_SUFFIX = ("镇", "镇", "乡", "街道")
TOWN_CHARS = "东西南北中清河龙泉石桥新塘溪坪山江湾岭水口田坝花林"
SCHOOLS = ("湖南师范大学 汉语言文学", "湘潭大学 法学", "中南大学 行政管理", "湖南大学 经济学",
           "吉首大学 思想政治教育", "湖南农业大学 农学", "长沙理工大学 土木工程",
           "湖南科技大学 计算机科学与技术", "湖南商学院 会计学", "中共湖南省委党校 公共管理")
MANAGED_POSTS = (("局长", "141"), ("党组书记", "141"), ("副局长", "142"), ("副局长", "142"),
                 ("党委书记", "141"), ("镇长", "141"), ("副镇长", "142"), ("副镇长", "142"),
                 ("纪委书记", "142"), ("组织委员", "142"), ("办公室主任", "150"),
                 ("股长", "150"), ("科员", "150"), ("科员", "160"))
ORG_POSTS = (("副主任", "142"), ("科员", "150"), ("科员", "150"), ("科员", "160"))
EDUCATION = (("21", "4", 60), ("31", "", 25), ("14", "3", 15))  # (ft_education, degree, %)


def hunan_counties(n: int) -> list[tuple[str, str]]:
    """County-level divisions of Hunan (GB/T 2260 code, name), padded if n is larger."""
    from zugong.core.dictionaries import DATA

    found = []
    with open(DATA / "divisions" / "areas.csv", encoding="utf-8") as fh:
        import csv

        for row in csv.DictReader(fh):
            name = row["name"]
            if row["provinceCode"] == "43" and name[-1] in "县市区" and not any(
                w in name for w in ("管理区", "开发区", "园区", "示范区")
            ):
                found.append((row["code"], name))
    while len(found) < n:  # synthetic extra counties for larger runs
        i = len(found)
        found.append((f"49{i // 100:02d}{i % 100:02d}", f"模拟{i}县"))
    return found[:n]


class Names:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def surname(self) -> str:
        return self.rng.choices(SURNAME_LIST, SURNAME_WEIGHTS)[0]

    def person(self, male: bool) -> str:
        given = MALE_GIVEN if male else FEMALE_GIVEN
        if self.rng.random() < 0.7:
            return self.surname() + self.rng.choice(FIRST_CHAR) + self.rng.choice(given)
        return self.surname() + self.rng.choice(given)


# ---------------------------------------------------------------- phase 1: database

def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    dbname = parts.path.lstrip("/")
    if not dbname or dbname in ("postgres", "template0", "template1"):
        raise SystemExit(f"refusing to drop database {dbname!r}")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(dbname)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def setup_env(url: str) -> Path:
    data_dir = ROOT / "var" / "bench"
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = url
    os.environ["ZUGONG_DATA_DIR"] = str(data_dir)
    os.environ["ZUGONG_ENV"] = "demo"  # no TLS: the clients speak plain HTTP to 127.0.0.1
    os.environ["DJANGO_SETTINGS_MODULE"] = "zugong.config.settings"
    for name in ("ZUGONG_TESTING", "ZUGONG_DEBUG", "REDIS_URL"):
        os.environ.pop(name, None)
    os.chdir(ROOT)
    return data_dir


def django_setup() -> None:
    import django

    django.setup()


# ---------------------------------------------------------------- phase 2: load

class Loader:
    def __init__(self, args, rng: random.Random):
        from zugong.core.crypto import provider
        from zugong.core.models import DictItem

        self.args = args
        self.rng = rng
        self.names = Names(rng)
        self.crypto = provider()
        self.codes = {(t, c): pk for pk, t, c in
                      DictItem.objects.values_list("pk", "table", "code")}
        self.id_numbers: set[str] = set()
        self.today = dt.date.today()

    def code(self, table: str, code: str) -> int:
        return self.codes[(table, code)]

    # ---- units
    def build_units(self, counties):
        from zugong.people.models import UnitKind
        from zugong.people.services import unit_create

        province = unit_create(by=None, parent=None, name="湖南省委组织部",
                               kind=UnitKind.ORG_DEPT, code="43")
        tree = []
        for i, (code, cname) in enumerate(counties):
            dept = unit_create(by=None, parent=province, name=f"{cname}委组织部",
                               kind=UnitKind.ORG_DEPT, code=code, position=i)
            sections = [unit_create(by=None, parent=dept, name=s, kind=UnitKind.SECTION,
                                    code=f"{code}-S{j:02d}", position=j)
                        for j, s in enumerate(SECTIONS)]
            units = [unit_create(by=None, parent=dept, name=u, kind=UnitKind.COUNTY_UNIT,
                                 code=f"{code}-U{j:02d}", position=10 + j)
                     for j, u in enumerate(COUNTY_UNITS)]
            for j in range(4):
                town = (self.rng.choice(TOWN_CHARS) + self.rng.choice(TOWN_CHARS)
                        + TOWN_SUFFIX[j])
                units.append(unit_create(by=None, parent=dept, name=town, kind=UnitKind.TOWN,
                                         code=f"{code}-T{j:02d}", position=20 + j))
            tree.append((code, cname, dept, sections, units))
        return province, tree

    # ---- people
    def id_number(self, prefixes, born: dt.date, male: bool) -> str:
        from zugong.people import idnumber

        while True:
            prefix = prefixes[0] if self.rng.random() < 0.8 else self.rng.choice(prefixes)
            seq = self.rng.randrange(500) * 2 + (1 if male else 0)
            value = idnumber.make(prefix, born, seq)
            if value not in self.id_numbers:
                self.id_numbers.add(value)
                return value

    def person(self, *, unit, category, post, level, prefixes, county_name, age_range):
        from zugong.core.models import DictTable as T
        from zugong.people.models import Person

        rng = self.rng
        male = rng.random() < 0.68
        age = rng.randint(*age_range)
        born = self.today - dt.timedelta(days=age * 365 + rng.randrange(365))
        ident = self.id_number(prefixes, born, male)
        phone = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
        edu, degree, _w = rng.choices(EDUCATION, [w for *_x, w in EDUCATION])[0]
        work_start = born + dt.timedelta(days=rng.randint(21, 24) * 365 + rng.randrange(300))
        party = rng.random() < 0.85
        ethnicity = rng.choices(("01", "15", "06", "12"), (80, 10, 7, 3))[0]
        place = county_name[:-1] if len(county_name) > 2 else county_name
        return Person(
            category=category, name=self.names.person(male),
            sex_id=self.code(T.SEX, "1" if male else "2"), birth_date=born,
            ethnicity_id=self.code(T.ETHNICITY, ethnicity),
            native_place=f"湖南{place}", birthplace=f"湖南{place}",
            political_status_id=self.code(T.POLITICAL_STATUS, "01" if party else "13"),
            party_join_date=(work_start + dt.timedelta(days=rng.randrange(2000))
                             if party else None),
            work_start_date=work_start,
            health_id=self.code(T.HEALTH, "1"),
            ft_education_id=self.code(T.EDUCATION, edu),
            ft_degree_id=self.code(T.DEGREE, degree) if degree else None,
            ft_school=rng.choice(SCHOOLS),
            current_post=post, post_level_id=self.code(T.POST_LEVEL, level),
            id_number=ident, phone=phone,
            id_number_index=self.crypto.blind_index(ident),
            phone_index=self.crypto.blind_index(phone),
            unit=unit, unit_path=unit.path, is_active=True,
        )

    def subrecords(self, person, unit_name, county_name):
        from zugong.core.models import DictTable as T
        from zugong.people.models import FamilyMember, ResumeEntry

        rng = self.rng
        school = person.ft_school.split()[0]
        study_start = person.work_start_date.replace(month=9, day=1) - dt.timedelta(days=4 * 365)
        first_end = person.work_start_date + dt.timedelta(days=rng.randint(3, 10) * 365)
        first_end = min(first_end, self.today - dt.timedelta(days=400))
        resume = [
            ResumeEntry(person=person, start=study_start, end=person.work_start_date,
                        text=f"{school}学习"),
            ResumeEntry(person=person, start=person.work_start_date,
                        end=max(first_end, person.work_start_date),
                        text=f"{county_name}{rng.choice(COUNTY_UNITS)}科员"),
            ResumeEntry(person=person, start=max(first_end, person.work_start_date),
                        end=None, text=f"{county_name}{unit_name}{person.current_post}"),
        ]
        male = person.sex_id == self.code(T.SEX, "1")
        spouse_born = person.birth_date + dt.timedelta(days=rng.randint(-1500, 1500))
        family = [
            FamilyMember(person=person, kind="family",
                         relation_id=self.code(T.FAMILY_RELATION, "13" if male else "12"),
                         name=self.names.person(not male), birth_date=spouse_born,
                         political_status_id=self.code(T.POLITICAL_STATUS,
                                                       rng.choice(("01", "13"))),
                         work_unit_and_post=f"{county_name}{rng.choice(COUNTY_UNITS)}职员"),
            FamilyMember(person=person, kind="family",
                         relation_id=self.code(T.FAMILY_RELATION, rng.choice(("14", "15"))),
                         name=person.name[0] + rng.choice(MALE_GIVEN + FEMALE_GIVEN),
                         birth_date=person.birth_date + dt.timedelta(days=rng.randint(24, 32)
                                                                     * 365),
                         political_status_id=self.code(T.POLITICAL_STATUS, "13"),
                         work_unit_and_post="学生"),
        ]
        return resume, family

    def load(self):
        from django.db import transaction

        from zugong.people.models import FamilyMember, Person, ResumeEntry

        args = self.args
        counties = hunan_counties(args.counties)
        prefixes_all = [c for c, _n in counties]
        t0 = time.perf_counter()
        province, tree = self.build_units(counties)
        t_units = time.perf_counter() - t0
        per_county = args.people // args.counties
        extra = args.people - per_county * args.counties
        org_per_county = max(1, round(per_county * 0.05))
        heads = {}
        for ci, (code, cname, dept, sections, units) in enumerate(tree):
            n = per_county + (1 if ci < extra else 0)
            prefixes = [code] + self.rng.sample(prefixes_all, min(5, len(prefixes_all)))
            people, unit_of = [], []
            # Organization cadres: the head and three deputies in the department itself,
            # the rest spread over the sections.
            for k in range(min(org_per_county, n)):
                if k == 0:
                    unit, post, level = dept, "部长", "132"
                elif k < 4:
                    unit, post, level = dept, "副部长", "141"
                else:
                    unit = sections[(k - 4) % len(sections)]
                    post, level = ("主任", "141") if k - 4 < len(sections) else \
                        self.rng.choice(ORG_POSTS)
                people.append(self.person(unit=unit, category="org_cadre", post=post,
                                          level=level, prefixes=prefixes, county_name=cname,
                                          age_range=(24, 56)))
                unit_of.append(unit)
            for k in range(n - len(people)):
                unit = units[k % len(units)]
                post, level = self.rng.choice(MANAGED_POSTS)
                people.append(self.person(unit=unit, category="managed", post=post,
                                          level=level, prefixes=prefixes, county_name=cname,
                                          age_range=(25, 58)))
                unit_of.append(unit)
            with transaction.atomic():
                Person.objects.bulk_create(people, batch_size=1000)
                resume, family = [], []
                for p, unit in zip(people, unit_of, strict=True):
                    r, f = self.subrecords(p, unit.name, cname)
                    resume += r
                    family += f
                ResumeEntry.objects.bulk_create(resume, batch_size=2000)
                FamilyMember.objects.bulk_create(family, batch_size=2000)
            heads[ci] = people[0]
            if (ci + 1) % 10 == 0 or ci + 1 == len(tree):
                print(f"  loaded {ci + 1}/{len(tree)} counties "
                      f"({time.perf_counter() - t0:.0f} s)", flush=True)
        t_people = time.perf_counter() - t0 - t_units
        self.accounts(province, tree, heads)
        t_total = time.perf_counter() - t0
        return {"units_s": t_units, "people_s": t_people, "total_s": t_total}

    def accounts(self, province, tree, heads):
        from zugong.people.models import Role, Scope
        from zugong.people.services import account_create, role_grant

        n = self.args.clients
        picks = sorted({round(i * len(tree) / n) % len(tree) for i in range(n)})
        for i, ci in enumerate(picks):
            user, _pw = account_create(by=None, username=HEAD_USER.format(i + 1),
                                       person=heads[ci], password=PASSWORD, must_change=False)
            role_grant(by=None, user=user, role=Role.HEAD, scope=Scope.OWN_UNIT_AND_BELOW,
                       unit=tree[ci][2])
        user, _pw = account_create(by=None, username=PROVINCE_USER, password=PASSWORD,
                                   must_change=False)
        role_grant(by=None, user=user, role=Role.HEAD, scope=Scope.OWN_UNIT_AND_BELOW,
                   unit=province)


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def data_summary() -> dict:
    from zugong.people.models import FamilyMember, OrgUnit, Person, ResumeEntry

    return {
        "units": OrgUnit.objects.count(),
        "departments": OrgUnit.objects.filter(kind="org_dept").count(),
        "people": Person.objects.count(),
        "org_cadres": Person.objects.filter(category="org_cadre").count(),
        "managed": Person.objects.filter(category="managed").count(),
        "resume": ResumeEntry.objects.count(),
        "family": FamilyMember.objects.count(),
    }


def targets() -> list[dict]:
    """The benchmark accounts with the person ids each may open."""
    from zugong.people.models import Person, RoleAssignment

    found = []
    ras = (RoleAssignment.objects.select_related("user", "unit")
           .filter(user__username__startswith="bench_").order_by("user__username"))
    for ra in ras:
        ids = list(Person.objects.filter(unit_path__startswith=ra.unit.path)
                   .values_list("pk", flat=True))
        found.append({"username": ra.user.username, "unit": ra.unit.name, "ids": ids,
                      "path": ra.unit.path,
                      "province": ra.user.username == PROVINCE_USER})
    return found


# ---------------------------------------------------------------- phase 3: server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def static_workaround(data_dir: Path) -> str | None:
    """If base.html's own stylesheet is not found by the static-file finders, collectstatic
    leaves it out of the manifest and every page answers 500 under ``zugong serve``.
    Then the server is started with a settings module (written to var/bench, not part of
    the project) that adds ``zugong/static`` to STATICFILES_DIRS and changes nothing else.
    Returns a note for the report, or None when no workaround was needed."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    static_dir = Path(settings.BASE_DIR) / "static"
    if finders.find("zugong/app.css") or not (static_dir / "zugong" / "app.css").exists():
        return None
    (data_dir / "zugong_bench_settings.py").write_text(
        "# Written by bench/people_bench.py: the project's settings plus zugong/static,\n"
        "# which the static-file finders do not search (zugong is not an app).\n"
        "from zugong.config.settings import *  # noqa: F403\n"
        "from zugong.config.settings import BASE_DIR, STATICFILES_DIRS\n\n"
        "STATICFILES_DIRS = [*STATICFILES_DIRS, BASE_DIR / \"static\"]\n",
        encoding="utf-8")
    return ("zugong/static is not searched by the static-file finders, so `zugong serve` "
            "(manifest storage) answers 500 on every page; the server ran with "
            "var/bench/zugong_bench_settings.py = project settings + "
            "STATICFILES_DIRS += [BASE_DIR / \"static\"]")


def start_server(port: int, workers: int, threads: int | None, log_path: Path,
                 settings_module: str | None = None):
    exe = Path(sys.executable).parent / "zugong"
    cmd = [str(exe), "serve", f"127.0.0.1:{port}", "--workers", str(workers)]
    if threads:
        cmd += ["--threads", str(threads)]
    env = os.environ.copy()
    if settings_module:
        env["DJANGO_SETTINGS_MODULE"] = settings_module
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(log_path.parent), env.get("PYTHONPATH")) if p)
    log = open(log_path, "w")  # noqa: SIM115 - closed when the server stops
    proc = subprocess.Popen(  # noqa: S603 - our own venv's zugong, fixed arguments
        cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"zugong serve exited ({proc.returncode}); see {log_path}")
        status = None
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/login/")
            status = conn.getresponse().status
            conn.close()
        except OSError:
            pass
        if status == 200 and len(worker_pids(proc.pid)) >= workers:
            return proc, cmd
        if status is not None and status >= 500:
            stop_server(proc)
            raise SystemExit(f"zugong serve answers HTTP {status} on /login/; see {log_path}")
        time.sleep(0.5)
    stop_server(proc)
    raise SystemExit("zugong serve did not answer within 600 s")


def stop_server(proc) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # our own process group (start_new_session)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == master:
            pids.append(int(entry))
    return sorted(pids)


def proc_mem(pid: int) -> dict[str, float]:
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0]) / 1024  # kB -> MB
    return out


def memory_snapshot(master: int) -> dict[int, dict]:
    snap = {master: {"role": "master", **proc_mem(master)}}
    for pid in worker_pids(master):
        snap[pid] = {"role": "worker", **proc_mem(pid)}
    return snap


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _db_backends(dbname: str) -> list[int]:
    """PostgreSQL backends serving the benchmark database (by their process title)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                title = fh.read().decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres:") and f" {dbname} " in title:
            pids.append(int(entry))
    return pids


def _postmaster() -> int | None:
    """The PostgreSQL server's parent process (if it runs on this machine)."""
    comm = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    stat = fh.read()
            except OSError:
                continue
            name = stat[stat.index("(") + 1:stat.rindex(")")]
            comm[int(entry)] = (name, int(stat.rsplit(")", 1)[1].split()[1]))
    for pid, (name, ppid) in comm.items():
        if name == "postgres" and comm.get(ppid, ("",))[0] != "postgres":
            return pid
    return None


def _children_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return int(fields[13]) + int(fields[14])  # cutime + cstime: reaped children


def cpu_snapshot(master: int, dbname: str) -> dict:
    """CPU seconds used so far by the app workers, the database's backends, this process
    and the whole machine (all cores), for a per-request CPU breakdown of a phase."""
    hz = os.sysconf("SC_CLK_TCK")
    snap = {"app": {}, "db": {}}
    for pid in worker_pids(master):
        try:
            snap["app"][pid] = _cpu_ticks(pid) / hz
        except OSError:
            pass
    for pid in _db_backends(dbname):
        try:
            snap["db"][pid] = _cpu_ticks(pid) / hz
        except OSError:
            pass
    pm = _postmaster()
    snap["db_exited"] = _children_ticks(pm) / hz if pm else 0.0
    t = os.times()
    snap["client"] = t.user + t.system
    with open("/proc/stat") as fh:
        cpu = [int(x) for x in fh.readline().split()[1:]]
    snap["busy"] = (sum(cpu) - cpu[3] - cpu[4]) / hz  # all but idle and iowait
    snap["total"] = sum(cpu) / hz
    with open("/proc/loadavg") as fh:
        snap["loadavg"] = float(fh.read().split()[0])
    return snap


def cpu_delta(a: dict, b: dict) -> dict:
    def procs(key):
        return sum(b[key][p] - a[key][p] for p in b[key] if p in a[key]) + sum(
            b[key][p] for p in b[key] if p not in a[key])  # new backends: all their CPU

    app, client = procs("app"), b["client"] - a["client"]
    # Backends of the benchmark database still running, plus every backend that exited
    # during the phase (one per request when the app does not keep connections open).
    db = procs("db") + (b["db_exited"] - a["db_exited"])
    busy = b["busy"] - a["busy"]
    per_worker = sorted((b["app"][p] - a["app"].get(p, 0.0) for p in b["app"]), reverse=True)
    return {"app": app, "db": db, "client": client, "other": max(0.0, busy - app - db - client),
            "per_worker": per_worker,
            "busy": busy, "total": b["total"] - a["total"], "loadavg_before": a["loadavg"],
            "sessions": b.get("sessions", 0) - a.get("sessions", 0)}


# ---------------------------------------------------------------- phase 4: clients

class Client:
    """One browser: a keep-alive HTTP connection and its cookies.

    With ``per_request`` it connects as a reverse proxy does by default (nginx to its
    upstreams): a new connection for every request, closed after the response.
    """

    def __init__(self, port: int, per_request: bool = False):
        self.port = port
        self.per_request = per_request
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method, path, body=None, headers=None):
        h = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "zugong-bench",
             "Accept-Language": "zh-hans"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.per_request:
            h["Connection"] = "close"
        h.update(headers or {})
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=h)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                # The server closed an idle keep-alive connection; reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        for header in resp.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        if resp.will_close:
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        return resp.status, resp.headers, data

    def login(self, username: str) -> None:
        status, _h, body = self.request("GET", "/login/")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not m:
            raise SystemExit(f"login page: HTTP {status}, no CSRF token")
        form = urllib.parse.urlencode({
            "csrfmiddlewaretoken": m.group(1).decode(), "username": username,
            "password": PASSWORD, "next": "",
        })
        status, headers, _b = self.request(
            "POST", "/login/", body=form,
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Referer": f"http://127.0.0.1:{self.port}/login/"})
        if status != 302 or "/login/" in (headers.get("Location") or ""):
            raise SystemExit(f"login of {username} failed: HTTP {status}")
        status, _h, _b = self.request("GET", "/people/")
        if status != 200:
            raise SystemExit(f"{username}: /people/ answered HTTP {status} after login")


NEXT_RE = re.compile(rb'id="next-page" href="([^"]+)"')


def run_phase(port, sessions, n_requests, seed, cpu_probe=None):
    """Each session in its own thread does n_requests requests: list, next page, search,
    person page, repeated. Returns latencies per kind (seconds), errors and wall time."""
    lat: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    rows_seen: dict[str, list[int]] = defaultdict(list)
    lock = threading.Lock()
    warmed = threading.Barrier(len(sessions) + 1)
    barrier = threading.Barrier(len(sessions) + 1)

    def timed(client, kind, path, record):
        t = time.perf_counter()
        status, _h, body = client.request("GET", path)
        elapsed = time.perf_counter() - t
        if record:
            with lock:
                lat[kind].append(elapsed)
                if status != 200:
                    errors[kind] += 1
                if kind == "search":
                    rows_seen["search"].append(max(0, body.count(b"<tr>") - 1))
        return status, body

    def cycle(client, target, rng, record):
        _status, body = timed(client, "list", "/people/", record)
        m = NEXT_RE.search(body)
        if m:
            timed(client, "next page", "/people/" + html.unescape(m.group(1).decode()), record)
        elif record:
            with lock:
                errors["next page"] += 1  # the first page had no next link
        search = "/people/?" + urllib.parse.urlencode({"q": Names(rng).surname(),
                                                       "category": "managed"})
        timed(client, "search", search, record)
        timed(client, "person", f"/people/{rng.choice(target['ids'])}/", record)

    def worker(client, target, idx):
        rng = random.Random(seed * 1000 + idx)
        cycle(client, target, rng, record=False)  # warm-up, not recorded
        warmed.wait()
        barrier.wait()
        for _ in range(max(1, n_requests // 4)):
            cycle(client, target, rng, record=True)

    threads = [threading.Thread(target=worker, args=(c, t, i), daemon=True)
               for i, (c, t) in enumerate(sessions)]
    for th in threads:
        th.start()
    warmed.wait()  # every client has done its warm-up cycle
    cpu0 = cpu_probe() if cpu_probe else None
    barrier.wait()
    t0 = time.perf_counter()
    for th in threads:
        th.join()
    wall = time.perf_counter() - t0
    cpu = cpu_delta(cpu0, cpu_probe()) if cpu_probe else None
    return {"lat": dict(lat), "errors": dict(errors), "wall": wall,
            "search_rows": rows_seen["search"], "cpu": cpu}


# ---------------------------------------------------------------- phase 6: report

def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[max(0, math.ceil(q * len(s)) - 1)] * 1000


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
        cur.execute("SHOW server_version")
        pg = cur.fetchone()[0]
        cur.execute("SHOW shared_buffers")
        shared = cur.fetchone()[0]
    try:
        git = ["git", "-C", str(ROOT)]
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"],  # noqa: S603, S607
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "--", "zugong"],  # noqa: S603, S607
                               capture_output=True, text=True).stdout.strip()
    except OSError:
        commit, dirty = "?", ""
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gb": mem_kb / 1048576, "pg": pg,
            "shared_buffers": shared, "python": platform.python_version(),
            "speed_ms": reference_loop_ms(),
            "commit": commit + (" (+ uncommitted changes in zugong/)" if dirty else "")}


def reference_loop_ms() -> float:
    """CPU milliseconds of a fixed pure-Python loop (least of five), printed beside every
    result: the app's CPU per request at nearly the same code was about twice as high on
    one virtual machine of a kind as on another, so figures from two machines compare
    only through a gauge of their speed."""
    best = float("inf")
    for _ in range(5):
        t = time.process_time()
        total = 0
        for i in range(2_000_000):
            total += i
        best = min(best, time.process_time() - t)
    return best * 1000


def phase_table(title: str, res: dict) -> list[str]:
    lines = [f"**{title}** — {res['sessions']} concurrent clients, "
             f"{sum(len(v) for v in res['lat'].values())} requests in {res['wall']:.1f} s "
             f"({sum(len(v) for v in res['lat'].values()) / res['wall']:.1f} req/s)", "",
             "| request | n | p50 ms | p95 ms | max ms | errors | p95 ≤ 150 ms |",
             "|---|---:|---:|---:|---:|---:|:---:|"]
    for kind in KINDS:
        v = res["lat"].get(kind, [])
        if not v:
            continue
        p95 = pct(v, 0.95)
        lines.append(f"| {kind} | {len(v)} | {pct(v, 0.50):.0f} | {p95:.0f} | "
                     f"{max(v) * 1000:.0f} | {res['errors'].get(kind, 0)} | "
                     f"{'yes' if p95 <= TARGET_P95_MS else '**no**'} |")
    cpu = res.get("cpu")
    if cpu:
        n = sum(len(v) for v in res["lat"].values())
        shares = ", ".join(f"{w / res['wall'] * 100:.0f} %" for w in cpu["per_worker"])
        cores = os.cpu_count() or 1
        lines += ["", f"CPU per request: app (gunicorn workers) {cpu['app'] / n * 1000:.1f} ms, "
                      f"PostgreSQL {cpu['db'] / n * 1000:.1f} ms, benchmark client "
                      f"{cpu['client'] / n * 1000:.1f} ms, other processes "
                      f"{cpu['other'] / n * 1000:.1f} ms; machine busy "
                      f"{cpu['busy'] / max(cpu['total'], 1e-9) * 100:.0f} % of {cores} cores "
                      f"(load average {cpu['loadavg_before']:.2f} at the start). "
                      f"App CPU by worker: {shares} of one core. "
                      f"New PostgreSQL connections: {cpu['sessions']:,} "
                      f"({cpu['sessions'] / n:.2f} per request)."]
    rows = res.get("search_rows") or []
    if rows:
        lines += ["", f"Search rows per page (name contains a surname, managed cadres): "
                      f"median {sorted(rows)[len(rows) // 2]}, min {min(rows)}, "
                      f"max {max(rows)}."]
    return lines


def report(args, info, load_times, summary, cmd, phases, mems, workaround=None) -> str:
    now = dt.datetime.now()
    lines = [f"# People registry benchmark — {now:%Y-%m-%d %H:%M}", "",
             f"- Machine: {info['nproc']} CPU ({info['cpu']}), {info['ram_gb']:.1f} GB RAM; "
             f"PostgreSQL {info['pg']} (shared_buffers {info['shared_buffers']}) on the same "
             f"machine; Python {info['python']}; commit {info['commit']}",
             f"- Command: `{' '.join(sys.argv)}`",
             f"- Server: `{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}`"
             f" (gunicorn gthread, {args.workers} workers × "
             f"{args.threads or 4} threads)",
             f"- Data: {summary['departments']} organization departments, {summary['units']} "
             f"units, {summary['people']:,} people ({summary['org_cadres']:,} organization "
             f"cadres, {summary['managed']:,} managed), {summary['resume']:,} résumé lines, "
             f"{summary['family']:,} family members"]
    if load_times:
        lines.append(f"- Load: units {load_times['units_s']:.0f} s, people and sub-records "
                     f"{load_times['people_s']:.0f} s, total {load_times['total_s']:.0f} s "
                     f"(+ migrate {load_times.get('migrate_s', 0):.0f} s, "
                     f"VACUUM ANALYZE {load_times.get('analyze_s', 0):.0f} s)")
    lines += [f"- Each client: {args.requests} requests after one unrecorded warm-up cycle; "
              "cycle = list (first page) → its next page (keyset link from the page) → "
              "search `?q=<weighted surname>&category=managed` → a random person page in "
              "scope. Latency is measured in the client (full response read).",
              "- Connections: " + ("a new one per request (`Connection: close`), as a reverse "
                                   "proxy opens them to the app by default"
                                   if args.per_request_connections else
                                   "one keep-alive connection per client, held for the run"),
              ""]
    if workaround:
        lines[-1:-1] = [f"- Workaround: {workaround}"]
    if args.server_settings:
        lines[-1:-1] = [f"- Server settings module: `{args.server_settings}` (not the project's)"]
    for title, res in phases:
        lines += phase_table(title, res) + [""]
    lines += ["**Peak memory per process (VmHWM)**", "",
              "| process | pid | after county run MB | after province run MB | "
              "≤ 300 MB |", "|---|---:|---:|---:|:---:|"]
    first, last = mems
    for pid, m in last.items():
        before = first.get(pid, {}).get("VmHWM", float("nan"))
        lines.append(f"| gunicorn {m['role']} | {pid} | {before:.0f} | {m['VmHWM']:.0f} | "
                     f"{'yes' if m['VmHWM'] <= TARGET_RSS_MB else '**no**'} |")
    worst = max(m["VmHWM"] for m in last.values())
    all_p95 = [pct(v, 0.95) for _t, r in phases if r["sessions"] > 1
               for v in r["lat"].values()]
    lines += ["", f"Targets (concurrent runs): p95 ≤ {TARGET_P95_MS:.0f} ms — "
              f"{'met' if max(all_p95) <= TARGET_P95_MS else 'NOT met'} (worst p95 "
              f"{max(all_p95):.0f} ms); memory ≤ {TARGET_RSS_MB:.0f} MB per process — "
              f"{'met' if worst <= TARGET_RSS_MB else 'NOT met'} (max {worst:.0f} MB)."]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- --profile

def profile(args) -> None:
    """Queries and time per page in-process (no server), and EXPLAIN ANALYZE of the SQL
    the list, a deep keyset page and two searches actually run. Uses the county head
    whose department comes last in path order (the costliest place for a path-prefix
    filter that is not an index condition) and the province user."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from zugong.people import selectors
    from zugong.people.models import Person, User

    found = targets()
    heads = [t for t in found if not t["province"]]
    chosen = [max(heads, key=lambda t: t["path"])] if heads else []
    chosen += [t for t in found if t["province"]]
    for t in chosen:
        user = User.objects.get(username=t["username"])
        client = TestClient()
        client.force_login(user)
        print(f"\n## {t['username']} ({t['unit']}, {len(t['ids'])} people in scope)")
        first = client.get("/people/")
        m = NEXT_RE.search(first.content)
        urls = {"list": "/people/",
                "next page": "/people/" + html.unescape(m.group(1).decode()) if m else "",
                "search": "/people/?q=%E7%8E%8B&category=managed",
                "person": f"/people/{t['ids'][len(t['ids']) // 2]}/"}
        for kind, url in urls.items():
            for _ in range(3):
                client.get(url)  # warm caches
            with CaptureQueriesContext(connection) as ctx:
                t0 = time.perf_counter()
                resp = client.get(url)
                elapsed = (time.perf_counter() - t0) * 1000
            sql_ms = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
            print(f"{kind:10s} HTTP {resp.status_code} {elapsed:6.1f} ms, "
                  f"{len(ctx.captured_queries)} queries, {sql_ms:.1f} ms in SQL, "
                  f"{len(resp.content) // 1024} KB")
            if args.verbose:
                for q in ctx.captured_queries:
                    print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:300]}")
        user = User.objects.get(username=t["username"])
        middle = Person.objects.filter(pk__in=t["ids"]).order_by("unit_path", "id")[
            len(t["ids"]) // 2]
        cases = (("list, first page", selectors.PersonFilters(), None),
                 ("list, page in the middle", selectors.PersonFilters(),
                  selectors.encode_cursor(middle)),
                 ("search 王, managed", selectors.PersonFilters(q="王", category="managed"),
                  None),
                 ("search 欧阳 (no match)", selectors.PersonFilters(q="欧阳"), None))
        for label, filters, cursor in cases:
            qs = selectors.person_list(user=user, filters=filters)
            with CaptureQueriesContext(connection) as ctx:
                selectors.page_after(qs, cursor, 50)
            sql = ctx.captured_queries[-1]["sql"]
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = [r[0] for r in cur.fetchall()]
            print(f"\nEXPLAIN ANALYZE {label}:")
            keep = plan if args.verbose else [
                line for line in plan
                if any(k in line for k in ("Scan", "Index Cond", "Filter:", "Rows Removed",
                                           "Sort Key", "Execution Time"))]
            print("\n".join(keep))


# ---------------------------------------------------------------- main

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database-url", default=DEFAULT_URL)
    ap.add_argument("--people", type=int, default=80000)
    ap.add_argument("--counties", type=int, default=100)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=400, help="requests per client per run")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    ap.add_argument("--threads", type=int, default=None, help="threads per worker "
                    "(default: zugong serve's, 4)")
    ap.add_argument("--per-request-connections", action="store_true",
                    help="clients open a new connection per request, as a reverse proxy "
                    "does by default (nginx to its upstreams); default: keep-alive")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--reuse", action="store_true",
                    help="keep the database if it already holds the benchmark data")
    ap.add_argument("--profile", action="store_true",
                    help="only count queries per page and EXPLAIN ANALYZE (implies --reuse)")
    ap.add_argument("--server-settings", metavar="MODULE",
                    help="run the server with this settings module (importable from "
                    "PYTHONPATH or var/bench), e.g. to measure a candidate fix")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)

    data_dir = setup_env(args.database_url)
    rng = random.Random(args.seed)
    load_times: dict = {}
    reuse = args.reuse or args.profile
    if reuse:
        django_setup()
        from zugong.people.models import User

        try:
            reuse = User.objects.filter(username=PROVINCE_USER).exists()
        except Exception:  # noqa: BLE001 - no database or no tables yet
            reuse = False
        if reuse:
            # Code measured since the load may have added tables or indexes.
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        else:
            print("no benchmark data in the database: loading it")
            from django.db import connections

            connections.close_all()
    if not reuse:
        print(f"recreating {args.database_url}", flush=True)
        recreate_database(args.database_url)
        django_setup()
        from django.core.management import call_command

        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        load_times["migrate_s"] = time.perf_counter() - t
        print(f"loading {args.people:,} people in {args.counties} counties", flush=True)
        load_times.update(Loader(args, rng).load())
        t = time.perf_counter()
        analyze()
        load_times["analyze_s"] = time.perf_counter() - t
        print(f"loaded in {load_times['total_s']:.0f} s", flush=True)
    if args.profile:
        profile(args)
        return 0

    summary = data_summary()
    info = machine_info()
    tg = targets()
    heads = [t for t in tg if not t["province"]][: args.clients]
    province = next(t for t in tg if t["province"])
    workaround = static_workaround(data_dir)
    if workaround:
        print(f"WORKAROUND: {workaround}", flush=True)
    from django.db import connections

    connections.close_all()

    port = free_port()
    print(f"starting zugong serve on 127.0.0.1:{port} ({args.workers} workers)", flush=True)
    settings_module = args.server_settings or ("zugong_bench_settings" if workaround else None)
    proc, cmd = start_server(port, args.workers, args.threads, data_dir / "serve.log",
                             settings_module)
    try:
        sessions = []
        for t in heads:
            c = Client(port, per_request=args.per_request_connections)
            c.login(t["username"])
            sessions.append((c, t))
        print(f"county heads: {len(sessions)} clients × {args.requests} requests", flush=True)
        dbname = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
        import psycopg

        stats_conn = psycopg.connect(args.database_url, autocommit=True)

        def probe():
            snap = cpu_snapshot(proc.pid, dbname)
            time.sleep(0.7)  # let PostgreSQL flush its statistics
            snap["sessions"] = stats_conn.execute(
                "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
            ).fetchone()[0]
            return snap

        # Service time without contention: one client alone (county head 1).
        res_solo = run_phase(port, sessions[:1], max(40, args.requests // 2), args.seed + 7,
                             probe)
        res_solo["sessions"] = 1
        res_heads = run_phase(port, sessions, args.requests, args.seed, probe)
        res_heads["sessions"] = len(sessions)
        mem_after_heads = memory_snapshot(proc.pid)

        sessions = []
        for _i in range(args.clients):
            c = Client(port, per_request=args.per_request_connections)
            c.login(province["username"])
            sessions.append((c, province))
        print(f"province user: {len(sessions)} clients × {args.requests} requests", flush=True)
        res_prov = run_phase(port, sessions, args.requests, args.seed + 1, probe)
        res_prov["sessions"] = len(sessions)
        mem_after_prov = memory_snapshot(proc.pid)
    finally:
        stop_server(proc)
    stats_conn.close()

    phases = [(f"One county head alone (no concurrency: the service time; "
               f"{heads[0]['unit']})", res_solo),
              (f"County heads ({len(heads)} different counties, ~"
               f"{sum(len(t['ids']) for t in heads) // max(1, len(heads))} people in scope each)",
               res_heads),
              (f"Province user ({len(province['ids']):,} people in scope, "
               f"{args.clients} sessions)", res_prov)]
    text = report(args, info, load_times, summary, cmd, phases,
                  (mem_after_heads, mem_after_prov), workaround)
    print("\n" + text)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"people-{dt.datetime.now():%Y%m%d-%H%M%S}.md"
    path.write_text(text, encoding="utf-8")
    print(f"written to {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
