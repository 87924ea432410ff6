"""Crash and fault drills (issue 14, point 3): run by hand, never in CI.

    .venv/bin/python bench/faults.py [worker-kill] [worker-kill-pg] [app-kill] [pg-immediate]
                                     [restarts] [disk-full]  (no argument: all of them)

Every scenario builds its own throw-away database under /tmp/zg_faults/ (SQLite files, or a
private PostgreSQL cluster made with initdb and started with pg_ctl on port 55439: the
machine's shared PostgreSQL on 5432 is never touched), does real work through the services
in a separate process, kills something in the middle, and then checks:

* no acknowledged write lost: the child prints ``ACK`` only after a commit; every ACKed
  batch, close and confirmation must be there afterwards;
* no half-written batch: each import batch, plan close and confirmation batch is all or
  nothing;
* the database is sound: ``PRAGMA integrity_check`` (SQLite) or amcheck's
  ``bt_index_check`` on every B-tree index (PostgreSQL);
* the interrupted job either resumes (still queued) or records its failure, in Chinese,
  which is what the user reads on the job page and in the notice.

Each check prints ``ok`` or ``FAIL``; the exit status is 1 when any check failed. The output
quoted in docs/reliability.md comes from this script.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(os.environ.get("ZG_FAULTS_DIR", "/tmp/zg_faults"))  # noqa: S108 - throw-away
PG_PORT = 55439
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PY = sys.executable
FAILED: list[str] = []


def say(text: str) -> None:
    print(text, flush=True)


def check(label: str, ok: bool, detail: str = "") -> None:
    say(f"  [{'ok' if ok else 'FAIL'}] {label}{': ' + detail if detail else ''}")
    if not ok:
        FAILED.append(label)


# ------------------------------------------------------------------ environment

def env_for(name: str, database_url: str) -> dict:
    data = WORK / name / "data"
    data.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "DATABASE_URL": database_url, "ZUGONG_DATA_DIR": str(data),
            "ZUGONG_ENV": "demo", "ZUGONG_TESTING": "0", "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "zugong.config.settings"}


def use(env: dict) -> None:
    """Configure Django in this process for ``env`` (once per process)."""
    os.environ.update(env)
    import django

    django.setup()


def child(env: dict, *args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen([PY, __file__, "child", *args], env=env,  # noqa: S603
                            stdout=subprocess.PIPE, text=True, **popen)


def run_child(env: dict, *args: str) -> str:
    """A child to its end; a failed check is reported in its output, anything else that
    makes it fail stops the drill with its error."""
    out = subprocess.run([PY, __file__, "child", *args], env=env, check=False,  # noqa: S603
                         capture_output=True, text=True)
    if out.returncode and "[FAIL]" not in out.stdout:
        raise SystemExit(f"child {args[0]} failed:\n{out.stdout}\n{out.stderr[-3000:]}")
    return out.stdout


def worker(env: dict, **popen) -> subprocess.Popen:
    return subprocess.Popen([PY, "-m", "zugong.cli", "worker", "--workers", "1"],  # noqa: S603
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            **popen)


def sqlite_url(name: str) -> str:
    return f"sqlite:///{WORK / name / 'zugong.sqlite3'}"


def fresh(name: str) -> None:
    shutil.rmtree(WORK / name, ignore_errors=True)
    (WORK / name).mkdir(parents=True)


# ------------------------------------------------------------------ a private PostgreSQL

def pg(*args: str, check_rc: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *args],  # noqa: S603 S607
                          check=check_rc, capture_output=True, text=True)


def pg_cluster(name: str) -> str:
    """initdb a cluster under /tmp owned by postgres and start it on PG_PORT."""
    data = WORK / name / "pgdata"
    data.parent.mkdir(parents=True, exist_ok=True)
    shutil.chown(data.parent, "postgres")
    pg(str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
       "-E", "UTF8", "--locale=C.UTF-8")
    pg_start(name)
    pg(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "zg_faults")
    return f"postgres://postgres@127.0.0.1:{PG_PORT}/zg_faults"


def pg_start(name: str) -> None:
    pg(str(PG_BIN / "pg_ctl"), "-D", str(WORK / name / "pgdata"), "-w", "-l",
       str(WORK / name / "pg.log"), "-o", f"-p {PG_PORT} -k /tmp -c listen_addresses=127.0.0.1",
       "start")


def pg_stop(name: str, mode: str) -> None:
    pg(str(PG_BIN / "pg_ctl"), "-D", str(WORK / name / "pgdata"), "-m", mode, "-w", "stop",
       check_rc=False)


# ------------------------------------------------------------------ fixtures

def setup_database(env: dict) -> None:
    """migrate, the fixed test cast (people, roles, accounts) and nothing else."""
    run_child(env, "setup")


def _setup() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from conftest import build_cast

    build_cast()


def _user(name):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def _workbook(n: int, unit_code: str, batch: int) -> bytes:
    """n people with ID numbers unique to ``batch``, all in the unit ``unit_code``."""
    from openpyxl import Workbook

    from zugong.interop.workbook import SHEETS, sheet_title
    from zugong.people import idnumber

    wb = Workbook(write_only=True)
    sheets = {}
    for code, (_title, cols) in SHEETS.items():
        ws = wb.create_sheet(sheet_title(code))
        ws.append([c.header for c in cols])
        sheets[code] = ws
    for i in range(n):
        male = i % 2 == 0
        born = dt.date(1965 + i % 35, 1 + i % 12, 1 + i % 28)
        prefix = ("433122", "433123", "433124", "433125")[(i // 400) % 4]
        number = idnumber.make(prefix, born, (batch * 2 + (i // 1600) * 200) % 998
                               + (1 if male else 0))
        sheets["A01"].append([
            f"演练{batch:03d}{i:04d}"[:10], "男" if male else "女", born, "汉族", "湖南泸溪",
            "湖南泸溪", "中共党员", dt.date(born.year + 25, 6, 1), dt.date(born.year + 22, 7, 1),
            "健康", "", number, f"139{batch:03d}{i:05d}", "科员", "科员级", unit_code, "管理干部"])
        sheets["A02"].append([number, dt.date(born.year + 22, 7, 1), None, "泸溪县某局科员"])
        sheets["A36"].append([number, "父亲", "演练大山", dt.date(born.year - 28, 5, 1), "群众",
                              "泸溪县农民", "否"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _prepare_batch(batch: int, n: int):
    """A new unit and a workbook batch of n new people in it, awaiting confirmation."""
    from zugong.interop import services
    from zugong.people import services as people_services
    from zugong.people.models import OrgUnit, UnitKind

    head = _user("head")
    dept = OrgUnit.objects.get(code="433122")
    code = f"433122-F{batch:03d}"
    unit = people_services.unit_create(by=None, parent=dept, name=f"演练单位{batch:03d}",
                                       kind=UnitKind.COUNTY_UNIT, code=code)
    found, report = services.workbook_prepare(by=head, data=_workbook(n, code, batch),
                                              name=f"drill-{batch:03d}.xlsx", unit=unit,
                                              category="managed")
    if found is None:
        raise SystemExit("; ".join(report.problems[:5]))
    return found, unit


# ------------------------------------------------------------------ what the children do

def child_main(action: str, *args: str) -> None:
    import django

    django.setup()
    if action == "setup":
        _setup()
    elif action == "import-loop":  # import batches one after the other, ACK each commit
        from zugong.interop import services

        n = int(args[0])
        for b in range(1, 10_000):
            batch, unit = _prepare_batch(b, n)
            say(f"PREPARED {batch.pk} {unit.pk}")
            counts = services.batch_apply(by=_user("head"), batch=batch)
            say(f"ACK {batch.pk} {unit.pk} {counts['created']}")
    elif action == "prepare-batch":
        batch, unit = _prepare_batch(int(args[0]), int(args[1]))
        say(json.dumps({"batch": batch.pk, "unit": unit.pk}))
    elif action == "start-import-job":
        from django.db import transaction

        from zugong.core import jobs
        from zugong.interop.models import ImportBatch

        batch = ImportBatch.objects.get(pk=int(args[0]))
        n = int(args[1])
        with transaction.atomic():
            run = jobs.start(by=_user("head"), name="interop.import", title="演练导入",
                             func="zugong.interop.jobs.batch_apply_job",
                             params={"batch": batch.pk, "choices": None, "count": n}, total=n)
        say(str(run.pk))
    elif action == "start-export-job":
        from django.db import transaction

        from zugong.core import jobs

        with transaction.atomic():
            run = jobs.start(by=_user("head"), name="interop.export_workbook",
                             title="演练导出", func="zugong.interop.jobs.people_workbook_job",
                             params={"filters": {}, "ids": None}, total=0)
        say(str(run.pk))
    elif action == "close-plans":
        _close_plans([int(a) for a in args])
    elif action == "confirm-loop":
        _confirm_loop(int(args[0]))
    else:
        raise SystemExit(f"unknown child action {action}")


def _make_plans(count: int, size: int) -> list[int]:
    from conftest import make_person
    from zugong.assessment import services
    from zugong.assessment.models import RaterGroup
    from zugong.people import services as people_services
    from zugong.people.models import OrgUnit, UnitKind

    assessor = _user("assessor")
    dept = OrgUnit.objects.get(code="433122")
    plans = []
    for p in range(count):
        unit = people_services.unit_create(by=None, parent=dept, name=f"考核演练{p:02d}",
                                           kind=UnitKind.SECTION, code=f"433122-K{p:02d}")
        for i in range(size):
            make_person(unit, f"考核{p:02d}{i:03d}", born=dt.date(1980 + i % 15, 1 + i % 12, 5))
        plan = services.plan_create(by=assessor, department=dept, data={
            "name": f"演练考核{p:02d}", "kind": "annual", "period": "2026",
            "window_start": dt.date(2026, 12, 1), "window_end": dt.date(2026, 12, 31)},
            units=[unit])
        services.group_weights_set(by=assessor, plan=plan,
                                   weights={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 40})
        services.indicator_add(by=assessor, plan=plan, name="政治素质", weight=100,
                               max_score=100, political=True)
        plan.refresh_from_db()
        services.plan_open(by=assessor, plan=plan, version=plan.version)
        plans.append(plan.pk)
    return plans


def _close_plans(pks: list[int]) -> None:
    """Close each plan with the office's reason for every unrated group (one transaction
    per plan); ACK after each commit."""
    from zugong.assessment import services
    from zugong.assessment.models import Plan

    assessor = _user("assessor")
    for pk in pks:
        plan = Plan.objects.get(pk=pk)
        say(f"BEGIN {pk}")
        reasons = {services.gap_key(a, g): "演练：未评分"
                   for a, groups in services.gaps_of(plan).items() for g in groups}
        services.plan_close(by=assessor, plan=plan, version=plan.version, gap_reasons=reasons)
        say(f"ACK {pk}")


def _make_records(count: int) -> None:
    from zugong.learning.models import StudySession
    from zugong.people.models import Person

    cadre = _user("cadre")
    # Not the chief's own records: nobody confirms their own.
    people = list(Person.objects.filter(unit__code="433122-02").exclude(
        pk=_user("chief").person_id))
    StudySession.objects.bulk_create([
        StudySession(person=people[i % len(people)], on=dt.date(2026, 11, 1 + i % 28),
                     hours=2, form="self", topic=f"演练学习{i}", created_by=cadre)
        for i in range(count)], batch_size=500)


def _confirm_loop(size: int) -> None:
    """The section chief confirms pending records, ``size`` at a time (all or nothing)."""
    from zugong.core.records import ReviewStatus
    from zugong.learning import services
    from zugong.learning.models import StudySession

    chief = _user("chief")
    while True:
        chunk = list(StudySession.objects.filter(status=ReviewStatus.PENDING,
                                                 topic__startswith="演练").order_by("pk")[:size])
        if not chunk:
            return
        say(f"BEGIN {chunk[0].pk}")
        services.record_review(by=chief, records=chunk, confirm=True)
        say(f"ACK {chunk[0].pk} {chunk[-1].pk}")


# ------------------------------------------------------------------ checks

def acks(lines: list[str]) -> list[list[str]]:
    return [line.split()[1:] for line in lines if line.startswith("ACK ")]


def read_lines(proc: subprocess.Popen, until: int, timeout: float) -> list[str]:
    """Lines of the child until ``until`` ACKs were seen (or the time is up)."""
    import selectors

    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    lines, end = [], time.monotonic() + timeout
    while time.monotonic() < end and len(acks(lines)) < until:
        if sel.select(timeout=0.2):
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
    return lines


def kill_inside(proc: subprocess.Popen, lines: list[str], mark: str, delay: float) -> list[str]:
    """Wait for the child to start its next write (``mark`` line), then kill -9 it
    ``delay`` seconds into it, so the kill lands inside that transaction."""
    while True:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if line.startswith(mark):
            break
    time.sleep(delay)
    return kill9(proc, lines)


def in_flight(lines: list[str], mark: str) -> str:
    begun = [line.split()[1] for line in lines if line.startswith(mark)]
    done = {line.split()[1] for line in lines if line.startswith("ACK ")}
    return ", ".join(b for b in begun if b not in done) or "none"


def kill9(proc: subprocess.Popen, lines: list[str]) -> list[str]:
    proc.send_signal(signal.SIGKILL)
    rest, _err = proc.communicate()
    return lines + [line.strip() for line in (rest or "").splitlines()]


def db_sound() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("PRAGMA integrity_check")
            result = [r[0] for r in cur.fetchall()]
            check("PRAGMA integrity_check", result == ["ok"], ", ".join(result[:3]))
        else:
            cur.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            cur.execute("""SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                           JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n
                           ON n.oid = c.relnamespace WHERE a.amname = 'btree'
                           AND n.nspname = 'public'""")
            names = [r[0] for r in cur.fetchall()]
            for name in names:
                cur.execute("SELECT bt_index_check(%s::regclass, true)", [name])
            check("amcheck bt_index_check (heapallindexed) on every B-tree index", True,
                  f"{len(names)} indexes")


def check_batches(acked: list[list[str]]) -> None:
    """Every ACKed batch is imported with all its people; every batch is all or nothing."""
    from zugong.interop.models import ImportBatch
    from zugong.people.models import Person

    acked_ids = {int(a[0]) for a in acked}
    lost, half = [], []
    for batch in ImportBatch.objects.all():
        unit_code = f"433122-F{int(batch.name[6:9]):03d}" if batch.name.startswith("drill-") \
            else None
        if unit_code is None:
            continue
        people = Person.objects.filter(unit__code=unit_code).count()
        expected = batch.result.get("created") if batch.status == "imported" else 0
        if batch.pk in acked_ids and batch.status != "imported":
            lost.append(batch.pk)
        if people != expected:
            half.append(f"{batch.pk}:{batch.status}:{people}")
    check("no acknowledged import lost", not lost, f"{len(acked_ids)} acknowledged" +
          (f", lost {lost}" if lost else ""))
    check("no half-written batch", not half,
          f"{ImportBatch.objects.count()} batches, each all or nothing" if not half
          else ", ".join(half))


# ------------------------------------------------------------------ scenarios

def scenario_app_kill(db: str = "sqlite", name: str = "app-kill") -> None:
    """kill -9 of the application process in the middle of an import confirmation, an
    assessment close and a batch confirmation of learning records."""
    say(f"\n== kill -9 of the app in the middle of writes ({db}) ==")
    fresh(name)
    url = sqlite_url(name) if db == "sqlite" else pg_cluster(name)
    env = env_for(name, url)
    try:
        setup_database(env)
        # 1. imports: 60 people a batch, killed after 3 acknowledged batches
        proc = child(env, "import-loop", "300")
        lines = kill_inside(proc, read_lines(proc, until=3, timeout=600), "PREPARED", 0.3)
        say(f"  import: killed after {len(acks(lines))} acknowledged batches, inside the "
            f"confirmation of batch {in_flight(lines, 'PREPARED')}")
        import_acks = acks(lines)
        # 2. assessment closes: 6 plans of 40 people, killed after 2
        plans = json.loads(run_child(env, "make-plans", "6", "40").strip().splitlines()[-1])
        proc = child(env, "close-plans", *map(str, plans))
        lines = kill_inside(proc, read_lines(proc, until=2, timeout=600), "BEGIN", 0.2)
        close_acks = acks(lines)
        say(f"  assessment close: killed after {len(close_acks)} of {len(plans)} plans, "
            f"inside the close of plan {in_flight(lines, 'BEGIN')}")
        # 3. learning confirmation: 3,000 pending records, 500 at a time, killed after 2
        run_child(env, "make-records", "3000")
        proc = child(env, "confirm-loop", "500")
        lines = kill_inside(proc, read_lines(proc, until=2, timeout=600), "BEGIN", 0.2)
        confirm_acks = acks(lines)
        say(f"  learning confirmation: killed after {len(confirm_acks)} batches of 500, "
            f"inside the batch from record {in_flight(lines, 'BEGIN')}")

        report = run_child(env, "verify-app-kill", json.dumps(
            {"imports": import_acks, "plans": plans, "closes": close_acks,
             "confirms": confirm_acks}))
        print(report, end="", flush=True)
        FAILED.extend(line for line in report.splitlines() if "[FAIL]" in line)
    finally:
        if db != "sqlite":
            pg_stop(name, "fast")


def verify_app_kill(data: dict) -> None:
    import django

    django.setup()
    from zugong.assessment.models import Assessee, GroupGap, Plan
    from zugong.core.records import ReviewStatus
    from zugong.learning.models import StudySession

    for step in ("imports", "closes", "confirms"):
        check(f"{step}: writes were acknowledged before the kill", bool(data[step]),
              f"{len(data[step])}")
    check_batches(data["imports"])
    from zugong.interop import services
    from zugong.interop.models import ImportBatch

    # The user whose confirmation was cut off sees the batch still awaiting confirmation
    # and confirms it again.
    for batch in ImportBatch.objects.filter(status="preview", name__startswith="drill-"):
        counts = services.batch_apply(by=_user("head"), batch=batch)
        check(f"the interrupted batch {batch.pk} is confirmed again in full",
              counts["created"] == 300, str(counts))
    closed_acked = {int(a[0]) for a in data["closes"]}
    lost, half = [], []
    for plan in Plan.objects.filter(pk__in=data["plans"]):
        gaps = GroupGap.objects.filter(assessee__plan=plan).count()
        people = Assessee.objects.filter(plan=plan).count()
        if plan.pk in closed_acked and plan.status != "closed":
            lost.append(plan.pk)
        if (plan.status == "closed" and gaps != 2 * people) or (
                plan.status != "closed" and gaps):
            half.append(f"{plan.pk}:{plan.status}:{gaps}/{2 * people}")
    statuses = dict(Plan.objects.filter(pk__in=data["plans"]).values_list("pk", "status"))
    check("no acknowledged assessment close lost", not lost,
          f"{len(closed_acked)} acknowledged; plans now {sorted(statuses.values())}")
    check("no half-closed plan (gaps recorded for all or none)", not half, ", ".join(half))
    lost, half = [], []
    for first, last in ((int(a), int(b)) for a, b in data["confirms"]):
        confirmed = StudySession.objects.filter(pk__gte=first, pk__lte=last,
                                                status=ReviewStatus.CONFIRMED).count()
        if confirmed != last - first + 1:
            lost.append(f"{first}-{last}")
    confirmed = StudySession.objects.filter(status=ReviewStatus.CONFIRMED,
                                            topic__startswith="演练").count()
    check("no acknowledged confirmation lost", not lost,
          f"{len(data['confirms'])} batches acknowledged, {confirmed} records confirmed")
    check("confirmations are whole batches of 500", confirmed % 500 == 0,
          f"{confirmed} confirmed")
    db_sound()


def scenario_worker_kill(db: str = "sqlite", name: str = "worker-kill") -> None:
    """kill -9 of the job consumer in the middle of a background import of 3,000 people;
    a second job waits in the queue behind it."""
    say(f"\n== kill -9 of the worker in the middle of a background import ({db}) ==")
    fresh(name)
    url = sqlite_url(name) if db == "sqlite" else pg_cluster(name)
    env = env_for(name, url)
    consumer = None
    try:
        setup_database(env)
        n = 3000
        prepared = json.loads(run_child(env, "prepare-batch", "1", str(n)).strip().splitlines()[-1])
        run_id = int(run_child(env, "start-import-job", str(prepared["batch"]), str(n)).split()[-1])
        export_id = int(run_child(env, "start-export-job").split()[-1])
        consumer = worker(env)
        done = wait_progress(env, run_id, timeout=900)
        consumer.send_signal(signal.SIGKILL)
        consumer.wait()
        say(f"  worker killed with the import at {done} of {n} (progress as the page shows it)")
        print(run_child(env, "verify-worker-kill", json.dumps(
            {"run": run_id, "export": export_id, "batch": prepared["batch"], "phase": "killed"})),
            end="", flush=True)
        consumer = worker(env)  # the restart: the sweep fails the dead run, the queue resumes
        wait_status(env, export_id, timeout=600)
        report = run_child(env, "verify-worker-kill", json.dumps(
            {"run": run_id, "export": export_id, "batch": prepared["batch"],
             "phase": "restarted"}))
        print(report, end="", flush=True)
        # The user starts the import again from the page: it completes.
        again = int(run_child(env, "start-import-job", str(prepared["batch"]), str(n)).split()[-1])
        wait_status(env, again, timeout=1200)
        report2 = run_child(env, "verify-worker-kill", json.dumps(
            {"run": again, "export": export_id, "batch": prepared["batch"], "phase": "again"}))
        print(report2, end="", flush=True)
        FAILED.extend(line for line in (report + report2).splitlines() if "[FAIL]" in line)
    finally:
        if consumer is not None and consumer.poll() is None:
            consumer.send_signal(signal.SIGTERM)
            consumer.wait(timeout=60)
        if db != "sqlite":
            pg_stop(name, "fast")


def wait_progress(env: dict, run_id: int, timeout: float) -> int:
    """Watch the job's progress from one long-lived child (every 20 ms) and return as soon
    as the import is part-way: the caller kills the worker then."""
    watcher = child(env, "progress-watch", str(run_id), str(timeout))
    try:
        for line in watcher.stdout:
            out = line.split()
            if len(out) == 3 and out[0] == "running" and 0 < int(out[1]) < int(out[2]):
                return int(out[1])
            if out and out[0] in ("succeeded", "failed"):
                raise SystemExit(f"job {run_id} ended ({out[0]}) before it could be killed")
    finally:
        if watcher.poll() is None:
            watcher.kill()
        watcher.wait()
    raise SystemExit("the job never reported progress")


def wait_status(env: dict, run_id: int, timeout: float) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        out = run_child(env, "progress", str(run_id)).split()
        if out and out[0] in ("succeeded", "failed"):
            return out[0]
        time.sleep(1)
    raise SystemExit(f"job {run_id} did not finish")


def verify_worker_kill(data: dict) -> None:
    import django

    django.setup()
    from zugong.core.models import JobRun, Notice
    from zugong.interop.models import ImportBatch
    from zugong.people.models import Person

    run = JobRun.objects.get(pk=data["run"])
    batch = ImportBatch.objects.get(pk=data["batch"])
    people = Person.objects.filter(unit__code="433122-F001").count()
    if data["phase"] == "killed":
        check("the killed import left no person and the batch awaiting confirmation",
              people == 0 and batch.status == "preview", f"{people} people, batch {batch.status}")
        check("the job still reads as running until a consumer notices",
              run.status == "running", run.status)
    elif data["phase"] == "restarted":
        check("on restart the interrupted job records its failure", run.status == "failed",
              run.status)
        say(f"  message to the user: {run.message}")
        notice = Notice.objects.filter(kind="core.job.failed").first()
        check("its owner got a notice", notice is not None,
              f"{notice.title} → {notice.url}" if notice else "")
        export = JobRun.objects.get(pk=data["export"])
        check("the job queued behind it resumed and finished", export.status == "succeeded",
              f"{export.status}: {export.message}")
        check("no half-written batch", people == 0, f"{people} people in the batch's unit")
    else:
        check("started again, the import completes", run.status == "succeeded" and
              people == 3000 and batch.status == "imported",
              f"{run.status}, {people} people: {run.message}")
    db_sound()


def scenario_pg_immediate(name: str = "pg-immediate") -> None:
    """pg_ctl stop -m immediate while imports are being written, then a restart."""
    say("\n== pg_ctl stop -m immediate in the middle of writes (private cluster) ==")
    fresh(name)
    env = env_for(name, pg_cluster(name))
    try:
        setup_database(env)
        proc = child(env, "import-loop", "60", stderr=subprocess.PIPE)
        lines = read_lines(proc, until=3, timeout=600)
        time.sleep(0.7)
        pg_stop(name, "immediate")
        rest, err = proc.communicate(timeout=120)
        lines += [line.strip() for line in (rest or "").splitlines()]
        last_error = [e for e in (err or "").splitlines() if e.strip()][-1:] or ["-"]
        say(f"  {len(acks(lines))} batches acknowledged; the app saw: {last_error[0][:160]}")
        pg_start(name)  # crash recovery replays the WAL
        report = run_child(env, "verify-imports", json.dumps(acks(lines)))
        print(report, end="", flush=True)
        FAILED.extend(line for line in report.splitlines() if "[FAIL]" in line)
        reason = run_child(env, "reason-db")
        say(f"  what a job interrupted by it records: {reason.strip()}")
    finally:
        pg_stop(name, "fast")


def scenario_restarts(name: str = "restarts") -> None:
    """Restarts of both databases with the app's data in them: everything is still there,
    the app connects again, and the databases are sound."""
    say("\n== SQLite and PostgreSQL restarts ==")
    for db in ("sqlite", "postgresql"):
        sub = f"{name}-{db}"
        fresh(sub)
        env = env_for(sub, sqlite_url(sub) if db == "sqlite" else pg_cluster(sub))
        try:
            setup_database(env)
            out = run_child(env, "import-loop-once", "100")
            before = out.split()[-1]
            if db == "postgresql":
                pg_stop(sub, "fast")
                pg_start(sub)
            # SQLite has no server: a restart is the app's process ending and a new one
            # opening the file (the WAL is replayed by the next connection).
            after = run_child(env, "count-people").strip()
            say(f"  {db}: {before} people before the restart, {after} after")
            check(f"{db}: nothing lost across the restart", before == after)
            report = run_child(env, "sound")
            print(report, end="", flush=True)
            FAILED.extend(line for line in report.splitlines() if "[FAIL]" in line)
        finally:
            if db == "postgresql":
                pg_stop(sub, "fast")


def scenario_disk_full(name: str = "disk-full") -> None:
    """A full disk during a background import: the database lives on a 64 MB tmpfs that a
    filler file has nearly filled."""
    say("\n== a full disk during an import (64 MB tmpfs) ==")
    fresh(name)
    mount = WORK / name
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount)],  # noqa: S603 S607
                   check=True)
    consumer = None
    try:
        env = env_for(name, sqlite_url(name))
        setup_database(env)
        n = 3000
        prepared = json.loads(run_child(env, "prepare-batch", "1", str(n)).strip().splitlines()[-1])
        free = shutil.disk_usage(mount).free
        filler = mount / "filler"
        with open(filler, "wb") as f:  # leave about 3 MB: the import needs more
            f.write(b"\0" * max(0, free - 3 * 1024 * 1024))
        say(f"  free space left for the import: {shutil.disk_usage(mount).free // 1024} KB")
        run_id = int(run_child(env, "start-import-job", str(prepared["batch"]), str(n)).split()[-1])
        consumer = worker(env)
        status = wait_status(env, run_id, timeout=900)
        say(f"  the job ended: {status}")
        report = run_child(env, "verify-disk-full", json.dumps(
            {"run": run_id, "batch": prepared["batch"]}))
        print(report, end="", flush=True)
        FAILED.extend(line for line in report.splitlines() if "[FAIL]" in line)
        filler.unlink()
        again = int(run_child(env, "start-import-job", str(prepared["batch"]), str(n)).split()[-1])
        status = wait_status(env, again, timeout=1200)
        check("with space freed, the import started again completes", status == "succeeded",
              status)
    finally:
        if consumer is not None and consumer.poll() is None:
            consumer.send_signal(signal.SIGTERM)
            consumer.wait(timeout=60)
        subprocess.run(["umount", str(mount)], check=False)  # noqa: S603 S607


def verify_disk_full(data: dict) -> None:
    import django

    django.setup()
    from zugong.core.models import JobRun
    from zugong.interop.models import ImportBatch
    from zugong.people.models import Person

    run = JobRun.objects.get(pk=data["run"])
    batch = ImportBatch.objects.get(pk=data["batch"])
    people = Person.objects.filter(unit__code="433122-F001").count()
    check("the job recorded its failure", run.status == "failed", run.status)
    say(f"  message to the user: {run.message}")
    check("the message says the disk is full, in Chinese", "磁盘" in run.message)
    check("no half-written batch", people == 0 and batch.status == "preview",
          f"{people} people, batch {batch.status}")
    db_sound()


# ------------------------------------------------------------------ small child helpers

def child_small(action: str, *args: str) -> None:
    import django

    django.setup()
    if action == "make-plans":
        say(json.dumps(_make_plans(int(args[0]), int(args[1]))))
    elif action == "make-records":
        _make_records(int(args[0]))
    elif action == "progress":
        from zugong.core import jobs
        from zugong.core.models import JobRun

        run = jobs.live(JobRun.objects.get(pk=int(args[0])))
        say(f"{run.status} {run.done} {run.total}")
    elif action == "progress-watch":
        # One process watching, as the page's htmx poll does: a poll costs a read of the
        # queue's store (milliseconds), not a Django start-up (seconds), so even a fast
        # import on PostgreSQL is seen between two of its progress steps.
        from django.db import close_old_connections

        from zugong.core import jobs
        from zugong.core.models import JobRun

        end = time.monotonic() + float(args[1])
        while time.monotonic() < end:
            close_old_connections()
            run = jobs.live(JobRun.objects.get(pk=int(args[0])))
            say(f"{run.status} {run.done} {run.total}")
            if run.status in ("succeeded", "failed"):
                return
            time.sleep(0.02)
    elif action == "verify-imports":
        check_batches(json.loads(args[0]))
        db_sound()
    elif action == "import-loop-once":
        from zugong.interop import services
        from zugong.people.models import Person

        batch, _unit = _prepare_batch(1, int(args[0]))
        services.batch_apply(by=_user("head"), batch=batch)
        say(str(Person.objects.count()))
    elif action == "count-people":
        from zugong.people.models import Person

        say(str(Person.objects.count()))
    elif action == "sound":
        db_sound()
    elif action == "reason-db":
        from django.db import OperationalError
        from django.utils import translation

        from zugong.core.jobs import _failure_reason

        with translation.override("zh-hans"):
            say(_failure_reason(OperationalError("server closed the connection unexpectedly")))


CHILD_SMALL = {"make-plans", "make-records", "progress", "progress-watch", "verify-imports",
               "import-loop-once",
               "count-people", "sound", "reason-db"}
VERIFY = {"verify-app-kill": verify_app_kill, "verify-worker-kill": verify_worker_kill,
          "verify-disk-full": verify_disk_full}
SCENARIOS = {
    "worker-kill": lambda: (scenario_worker_kill("sqlite"),
                            scenario_worker_kill("postgresql", "worker-kill-pg")),
    "worker-kill-pg": lambda: scenario_worker_kill("postgresql", "worker-kill-pg"),
    "app-kill": lambda: (scenario_app_kill("sqlite"), scenario_app_kill("postgresql",
                                                                        "app-kill-pg")),
    "pg-immediate": scenario_pg_immediate,
    "restarts": scenario_restarts,
    "disk-full": scenario_disk_full,
}


def main(argv: list[str]) -> int:
    if argv and argv[0] == "child":
        action, args = argv[1], argv[2:]
        if action in VERIFY:
            VERIFY[action](json.loads(args[0]))
        elif action in CHILD_SMALL:
            child_small(action, *args)
        else:
            child_main(action, *args)
        return 1 if FAILED else 0
    # "worker-kill" runs both databases; "worker-kill-pg" is its PostgreSQL half alone.
    names = argv or [name for name in SCENARIOS if name != "worker-kill-pg"]
    WORK.mkdir(exist_ok=True)
    for name in names:
        SCENARIOS[name]()
    say(f"\n{len(FAILED)} check(s) failed" if FAILED else "\nevery check passed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
