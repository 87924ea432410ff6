#!/usr/bin/env python
"""Mixed-load benchmark of the whole product (issue 23): simulated users of a province.

Run by hand, never in CI, against a database loaded by ``bench/province.py``:

    .venv/bin/python bench/load_province.py \\
        --database-url postgres://postgres@127.0.0.1:5432/zugong_province \\
        [--users 500 --think 10 --duration 300 --ramp 60 --workers 2 \\
         --redis-url redis://127.0.0.1:6379/0]

Steps: (1) start ``zugong serve`` on the database (``REDIS_URL`` set, so the cache and the
job queue are Redis, as in production) and, unless ``--no-worker``, ``zugong worker``;
(2) sign the simulated users in (sessions made with Django's own ``login``, as the login
form does, without hashing 500 passwords during the run); (3) every user, in its own
thread, loops: choose a page of its role (:data:`PAGES`, by weight), request it, wait
an exponential think time (mean ``--think`` seconds). Users start spread over ``--ramp``
seconds; only the ``--duration`` seconds after the ramp are recorded; (4) report per page
kind p50/p95/p99, errors, the CPU per request of the app, PostgreSQL and the client, and
the peak memory of every app process; Markdown printed and written to
``bench/out/province-load-<time>.md``.

``--profile`` starts no server and simulates nobody: it opens every page kind of
:data:`PAGES` in-process (Django's test client, one user per role of the first county; a
form is its GET, the record form, the pending list, the score sheet, and a second row,
its POST, sent as the load sends it) and prints per page the SQL queries, the time in
SQL and the app CPU per request (median of ``--repeat``),
with ``--profile-top N`` the N costliest functions under cProfile over the whole mix
(``--profile-page TEXT``: only the page kinds containing TEXT). The cache is the
in-process one (no Redis): another database's entries in a shared Redis must not leak
into the figures.

The mix (``--mix``) is cadres on phones logging study records and reading their
progress, section chiefs confirming records, leaders reading dashboards, figures and
compliance and scoring their plan, and the assessment office following the plan.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import random
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import people_bench as pb  # noqa: E402 - the bench directory is not a package
import province  # noqa: E402

TARGET_P95_MS = 300.0
TARGET_RSS_MB = 300.0
PHONE_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Mobile/15E148 zugong-bench")
DEFAULT_MIX = "cadre=300,chief=80,leader=80,assessor=40"

# ---------------------------------------------------------------- the pages

# One line per page kind: (role, kind, weight, what). ``what`` is a path (a GET; ``{plan}``
# is the user's county's current assessment plan, ``{person}`` the user's own person) or
# the name of an action in ACTIONS (a form: GET it, then POST it as the browser would).
# Pages of new apps are one more line here.
PAGES: tuple[tuple[str, str, int, str], ...] = (
    ("cadre", "learning: my progress", 4, "/learning/"),
    ("cadre", "learning: my records", 2, "/learning/records/"),
    ("cadre", "learning: record a study session", 2, "record_study"),
    ("cadre", "workbench", 1, "/"),
    ("cadre", "tasks: mine", 1, "/tasks/"),
    ("chief", "learning: records to confirm", 3, "/learning/records/?status=pending"),
    ("chief", "learning: confirm records", 2, "confirm_records"),
    ("chief", "workbench", 1, "/"),
    ("chief", "tasks: board", 1, "/tasks/board/"),
    ("leader", "workbench", 2, "/"),
    ("leader", "learning: compliance", 2, "/learning/compliance/"),
    ("leader", "talks: coverage", 1, "/talks/coverage/"),
    ("leader", "tasks: overview", 1, "/tasks/overview/"),
    ("leader", "partylife: coverage", 1, "/partylife/coverage/"),
    ("leader", "service: coverage", 1, "/service/coverage/"),
    ("leader", "projects: coverage", 1, "/projects/coverage/"),
    ("leader", "supervision: warnings", 1, "/supervision/warnings/"),
    ("leader", "people: list", 1, "/people/"),
    ("leader", "assessment: score sheet and save", 1, "score_plan"),
    ("assessor", "assessment: plans", 1, "/assessment/plans/"),
    ("assessor", "assessment: progress", 2, "/assessment/plans/{plan}/progress/"),
    ("assessor", "assessment: results", 1, "/assessment/plans/{plan}/results/"),
    ("assessor", "assessment: everyday notes", 1, "/assessment/notes/"),
    ("assessor", "workbench", 1, "/"),
)

CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ONCE_RE = re.compile(rb'name="zg_once" value="([^"]+)"')
PICK_RE = re.compile(rb'name="records" value="(study:\d+)"')
SCORE_INPUT_RE = re.compile(rb'<input[^>]*name="(s-[^"]+)"[^>]*>')


def form_fields(body: bytes) -> dict[str, str]:
    """The CSRF token and the one-time form token of the page's first POST form."""
    fields = {}
    m = CSRF_RE.search(body)
    if m:
        fields["csrfmiddlewaretoken"] = m.group(1).decode()
    m = ONCE_RE.search(body)
    if m:
        fields["zg_once"] = m.group(1).decode()
    return fields


class User:
    """One simulated person: role, session, and what its pages need."""

    def __init__(self, role, username, client, context):
        self.role, self.username, self.client, self.context = role, username, client, context

    def get(self, path):
        return self.client.request("GET", path)

    def post(self, path, fields, referer):
        body = urllib.parse.urlencode(fields, doseq=True)
        return self.client.request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.client.port}{referer}"})


def _ok(status):
    return status in (200, 302)


def record_study(user: User, rng) -> list[tuple[int, float]]:
    """The form, then the record saved (a redirect to the progress page). The day is one
    of the last eight weeks that still has room for the hours: the service refuses more
    than 24 hours of study on a day, and the loaded years and earlier runs on the same
    database fill some accounts' days (``study_hours_by_day``)."""
    path = "/learning/records/study/new/"
    timings = []
    t = time.perf_counter()
    status, _h, body = user.get(path)
    timings.append((status, time.perf_counter() - t))
    if status != 200:
        return timings
    fields = form_fields(body)
    hours = rng.choice((1.0, 1.5, 2.0))
    recorded = user.context.setdefault("hours", {})
    days = [day for day in (dt.date.today() - dt.timedelta(days=k) for k in range(RECENT_DAYS))
            if recorded.get(day, 0) + hours <= 24]
    day = rng.choice(days) if days else dt.date.today()  # every day full: refused, counted
    fields.update({"on": day.isoformat(), "hours": f"{hours:.1f}", "form": "self",
                   "topic": "学习党的二十届三中全会精神", "materials": ""})
    t = time.perf_counter()
    status, _h, _b = user.post(path, fields, path)
    if status == 302:
        recorded[day] = recorded.get(day, 0) + hours
    # 200 is the form shown again: the input was refused, which counts as an error.
    timings.append((status if status != 200 else 422, time.perf_counter() - t))
    return timings


def confirm_records(user: User, rng) -> list[tuple[int, float]]:
    """The pending list, then up to ten of its records confirmed."""
    path = "/learning/records/?kind=study&status=pending"
    timings = []
    t = time.perf_counter()
    status, _h, body = user.get(path)
    timings.append((status, time.perf_counter() - t))
    picks = [m.decode() for m in PICK_RE.findall(body)][:10]
    if status != 200 or not picks:
        return timings
    fields = form_fields(body)
    fields.update({"records": picks, "decision": "confirm", "reason": "", "next": path})
    t = time.perf_counter()
    status, _h, _b = user.post("/learning/records/review/", fields, path)
    timings.append((status, time.perf_counter() - t))
    return timings


def score_plan(user: User, rng) -> list[tuple[int, float]]:
    """The head's score sheet of the county's current plan, then the scores saved."""
    plan = user.context.get("plan")
    if not plan:
        return [(0, 0.0)]
    path = f"/assessment/plans/{plan}/score/head/"
    timings = []
    t = time.perf_counter()
    status, _h, body = user.get(path)
    timings.append((status, time.perf_counter() - t))
    if status != 200:
        return timings
    fields = form_fields(body)
    for tag in SCORE_INPUT_RE.finditer(body):
        name = tag.group(1).decode()
        m = re.search(rb'max="([\d.]+)"', tag.group(0))
        top = float(m.group(1)) if m else 100.0
        fields[name] = f"{rng.randint(int(top * 0.7), int(top))}"
    t = time.perf_counter()
    status, _h, _b = user.post(path, fields, path)
    timings.append((status, time.perf_counter() - t))
    return timings


ACTIONS = {"record_study": record_study, "confirm_records": confirm_records,
           "score_plan": score_plan}
# The requests each action makes (method, path), its GET first; the access log's lines are
# matched to page kinds by these.
ACTION_REQUESTS = {
    "record_study": (("GET", "/learning/records/study/new/"),
                     ("POST", "/learning/records/study/new/")),
    "confirm_records": (("GET", "/learning/records/?kind=study&status=pending"),
                        ("POST", "/learning/records/review/")),
    "score_plan": (("GET", "/assessment/plans/{plan}/score/head/"),
                   ("POST", "/assessment/plans/{plan}/score/head/")),
}


# ---------------------------------------------------------------- time in the app

# A line of the access log of ``zugong serve`` (``serve.ACCESS_LOG_FORMAT``): when, the
# request line (query values masked), and last the milliseconds the app took.
LOG_LINE_RE = re.compile(r'\[(?P<at>[^\]]+)\] "(?P<method>[A-Z]+) (?P<uri>\S+) [^"]*" '
                         r'\d{3} .* (?P<ms>\d+)ms$')


def request_patterns() -> list[tuple[str, re.Pattern, str]]:
    """(method, pattern of the logged address, page kind) of every request of PAGES."""
    from zugong.core.middleware import mask_url

    out = []
    for _role, kind, _w, what in PAGES:
        for method, path in ACTION_REQUESTS.get(what, (("GET", what),)):
            logged = mask_url(path.format(plan="__ID__", person="__ID__"))
            out.append((method, re.compile(re.escape(logged).replace("__ID__", r"\d+") + "$"),
                        kind))
    return out


def app_times(log_path: Path, start: float, end: float) -> dict[str, list[float]]:
    """Per page kind, the seconds the app took (the access log's last field, in ms) for the
    requests logged within [start, end] (seconds since the epoch; the log has whole
    seconds), as the clients' latencies are kept. What a client waited beyond that, it
    waited for a free thread or a core."""
    patterns = request_patterns()
    times: dict[str, list[float]] = defaultdict(list)
    for line in log_path.read_text(encoding="utf-8", errors="replace").splitlines():
        m = LOG_LINE_RE.search(line)
        if not m:
            continue
        at = dt.datetime.strptime(m["at"], "%d/%b/%Y:%H:%M:%S %z").timestamp()
        if not start <= at <= end:
            continue
        for method, pattern, kind in patterns:
            if method == m["method"] and pattern.match(m["uri"]):
                times[kind].append(int(m["ms"]) / 1000)
                break
    return dict(times)


# ---------------------------------------------------------------- users


def pick_users(mix: dict[str, int], seed: int) -> list[tuple[str, str, dict]]:
    """(role, username, context) of the simulated users, spread over the counties."""
    from zugong.assessment.models import Plan
    from zugong.people.models import User as Account

    rng = random.Random(seed)
    names = set(Account.objects.filter(username__startswith="c").values_list("username",
                                                                             flat=True))
    codes = sorted({n.split("_", 1)[0][1:] for n in names if "_" in n})
    plans = dict(Plan.objects.filter(status="scoring").values_list(
        "department__code", "pk"))
    users = []
    for role, n in mix.items():
        pool = []
        for code in codes:
            accounts = province.account_names(code)
            if role == "cadre":
                pool += [(code, province.cadre_name(code, k))
                         for k in range(province.CADRES_PER_COUNTY_ACCOUNTS)]
            else:
                pool.append((code, accounts["head" if role == "leader" else role]))
        pool = [(code, u) for code, u in pool if u in names]
        rng.shuffle(pool)
        for i in range(n):  # more users than accounts: sessions are shared, as on two phones
            code, username = pool[i % len(pool)]
            users.append((role, username, {"plan": plans.get(code)}))
    hours = study_hours_by_day([u for role, u, _c in users if role == "cadre"])
    for role, username, context in users:
        if role == "cadre":
            # Shared by the users of one account (the same dict), as their records are.
            context["hours"] = hours.setdefault(username, {})
    return users


# The days a simulated cadre records study on: the last eight weeks.
RECENT_DAYS = 56


def study_hours_by_day(usernames) -> dict[str, dict[dt.date, float]]:
    """Hours of study already recorded per account and day of the last ``RECENT_DAYS``
    (one query), so that a simulated cadre picks a day with room for a new record."""
    from django.db.models import Sum

    from zugong.learning.models import StudySession
    from zugong.people.models import User as Account

    person_of = dict(Account.objects.filter(username__in=usernames)
                     .values_list("person_id", "username"))
    since = dt.date.today() - dt.timedelta(days=RECENT_DAYS)
    found: dict[str, dict[dt.date, float]] = defaultdict(dict)
    for person_id, day, total in (StudySession.objects.filter(
            person_id__in=person_of, on__gte=since).order_by()
            .values_list("person_id", "on").annotate(total=Sum("hours"))):
        found[person_of[person_id]][day] = float(total)
    return found


def sessions_for(usernames) -> dict[str, str]:
    """A signed-in session per account, made by Django's ``login`` as the login form does
    (the login signal decides the second-factor state); returns the session cookies."""
    from django.conf import settings
    from django.test import Client as TestClient

    from zugong.people.models import User as Account

    cookies = {}
    for account in Account.objects.filter(username__in=set(usernames)):
        client = TestClient()
        client.force_login(account)
        cookies[account.username] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return cookies


# ---------------------------------------------------------------- the run


def run(port, users, args, probe):
    lat: dict[str, list[float]] = defaultdict(list)
    # Per page kind, how many answers of each failing status (0: no answer in time).
    errors: dict[str, Counter] = defaultdict(Counter)
    lines = defaultdict(list)
    for role, kind, weight, what in PAGES:
        lines[role].append((kind, weight, what))
    lock = threading.Lock()
    start = time.monotonic()
    record_from = start + args.ramp
    stop_at = record_from + args.duration

    def one(user: User, idx: int):
        rng = random.Random(args.seed * 7919 + idx)
        time.sleep(rng.uniform(0, args.ramp))
        choices = lines[user.role]
        weights = [w for _k, w, _x in choices]
        while True:
            now = time.monotonic()
            if now >= stop_at:
                return
            kind, _w, what = rng.choices(choices, weights)[0]
            t = time.perf_counter()
            try:
                if what in ACTIONS:
                    timings = ACTIONS[what](user, rng)
                else:
                    path = what.format(plan=user.context.get("plan"),
                                       person=user.context.get("person"))
                    status, _h, _b = user.get(path)
                    timings = [(status, time.perf_counter() - t)]
            except (OSError, http.client.HTTPException):
                # A timeout leaves the connection half-used: start a new one. The request
                # counts as an error, with the time it took.
                user.client.conn.close()
                user.client.conn = http.client.HTTPConnection("127.0.0.1", user.client.port,
                                                              timeout=120)
                timings = [(0, time.perf_counter() - t)]
            if now >= record_from:
                with lock:
                    for status, elapsed in timings:
                        lat[kind].append(elapsed)
                        if not _ok(status):
                            errors[kind][status] += 1
            time.sleep(min(rng.expovariate(1 / args.think), 6 * args.think))

    threads = [threading.Thread(target=one, args=(u, i), daemon=True)
               for i, u in enumerate(users)]
    for th in threads:
        th.start()
    time.sleep(max(0.0, record_from - time.monotonic()))
    cpu0, wall0 = probe(), time.time()
    time.sleep(max(0.0, stop_at - time.monotonic()))
    # Read at the end of the recorded window, not after the join: the users' last think
    # times (up to 6 × --think) would stretch the window with idle seconds and understate
    # how busy the machine was (68 % reported where the CPU per request said about 90 %).
    cpu1, wall1 = probe(), time.time()
    for th in threads:
        th.join(timeout=120)
    return {"lat": dict(lat), "errors": dict(errors), "cpu": pb.cpu_delta(cpu0, cpu1),
            "wall": args.duration, "window": (wall0, wall1)}


def start_worker(log_path: Path):
    exe = Path(sys.executable).parent / "zugong"
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    return subprocess.Popen([str(exe), "worker"], stdout=log, stderr=subprocess.STDOUT,  # noqa: S603
                            cwd=pb.ROOT, env=os.environ.copy(), start_new_session=True)


def process_memory(pid: int) -> float:
    try:
        return pb.proc_mem(pid).get("VmHWM", 0.0)
    except OSError:
        return 0.0


def _errors(by_status: Counter | None) -> str:
    """How many failed, and with which status: 422 is a form shown again (refused input),
    0 no answer within the client's timeout."""
    if not by_status:
        return "0"
    return (f"{sum(by_status.values())} ("
            + ", ".join(f"{s}×{n}" for s, n in sorted(by_status.items())) + ")")


def report(args, info, users, res, mem, worker_mem, cmd, summary) -> str:
    lines = [f"# Province under mixed load — {dt.datetime.now():%Y-%m-%d %H:%M}", "",
             f"- Machine: {info['nproc']} CPU ({info['cpu']}), {info['ram_gb']:.1f} GB RAM; "
             f"PostgreSQL {info['pg']} (shared_buffers {info['shared_buffers']}) and Redis on "
             f"the same machine; Python {info['python']}; reference loop {info['speed_ms']:.0f} ms "
             f"before the run and {info['speed_after_ms']:.0f} ms after it (the machine's "
             f"speed, `reference_loop_ms`); commit {info['commit']}",
             f"- Command: `{' '.join(sys.argv)}`",
             f"- Server: `{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}`"
             f" with REDIS_URL={args.redis_url or '(none)'}"
             + ("" if args.no_worker else "; `zugong worker` running beside it"),
             f"- Data: {summary}",
             f"- Users: {len(users)} ({args.mix}), think time exponential with mean "
             f"{args.think:g} s, ramp {args.ramp:g} s, recorded {args.duration:g} s",
             f"- Load average at the start: {res['cpu']['loadavg_before']:.2f}", ""]
    n = sum(len(v) for v in res["lat"].values())
    lines += [f"{n:,} requests in {res['wall']:.0f} s ({n / res['wall']:.1f} req/s)", "",
              "| role | page kind | n | p50 ms | p95 ms | p99 ms | errors | p95 ≤ 300 ms "
              "| in the app: p50 ms | p95 ms |",
              "|---|---|---:|---:|---:|---:|---:|:---:|---:|---:|"]
    app = res.get("app") or {}
    worst = 0.0
    seen = set()
    for role, kind, _w, _what in PAGES:
        if kind in seen:
            continue
        seen.add(kind)
        v = res["lat"].get(kind, [])
        if not v:
            continue
        p95 = pb.pct(v, 0.95)
        worst = max(worst, p95)
        lines.append(f"| {role} | {kind} | {len(v)} | {pb.pct(v, 0.5):.0f} | {p95:.0f} | "
                     f"{pb.pct(v, 0.99):.0f} | {_errors(res['errors'].get(kind))} | "
                     f"{'yes' if p95 <= TARGET_P95_MS else '**no**'} | "
                     + (f"{pb.pct(app[kind], 0.5):.0f} | {pb.pct(app[kind], 0.95):.0f} |"
                        if app.get(kind) else "– | – |"))
    every = [t for v in app.values() for t in v]
    if every:
        waited = [t for v in res["lat"].values() for t in v]
        lines += ["", f"In the app (the access log's time per request, {len(every):,} requests "
                      f"logged in the window): p50 {pb.pct(every, 0.5):.0f} ms, p95 "
                      f"{pb.pct(every, 0.95):.0f} ms; as the clients saw it: p50 "
                      f"{pb.pct(waited, 0.5):.0f} ms, p95 {pb.pct(waited, 0.95):.0f} ms. "
                      "The difference is time spent waiting for a free thread or a core."]
    cpu = res["cpu"]
    cores = os.cpu_count() or 1
    lines += ["", f"CPU per request: app {cpu['app'] / max(n, 1) * 1000:.1f} ms, PostgreSQL "
                  f"{cpu['db'] / max(n, 1) * 1000:.1f} ms, benchmark client "
                  f"{cpu['client'] / max(n, 1) * 1000:.1f} ms, other processes "
                  f"{cpu['other'] / max(n, 1) * 1000:.1f} ms; machine busy "
                  f"{cpu['busy'] / max(cpu['total'], 1e-9) * 100:.0f} % of {cores} cores; "
                  "each app process used "
                  + ", ".join(f"{w / res['wall'] * 100:.0f} %" for w in cpu["per_worker"])
                  + " of a core (one core at most each: the GIL).",
              "", "| process | peak memory (VmHWM) MB | ≤ 300 MB |", "|---|---:|:---:|"]
    for pid, m in mem.items():
        lines.append(f"| gunicorn {m['role']} {pid} | {m['VmHWM']:.0f} | "
                     f"{'yes' if m['VmHWM'] <= TARGET_RSS_MB else '**no**'} |")
    if worker_mem:
        lines.append(f"| zugong worker | {worker_mem:.0f} | "
                     f"{'yes' if worker_mem <= TARGET_RSS_MB else '**no**'} |")
    errors = sum(sum(c.values()) for c in res["errors"].values())
    top = max([m["VmHWM"] for m in mem.values()] + [worker_mem or 0])
    lines += ["", f"Targets: p95 ≤ 300 ms for every page kind — "
              f"{'met' if worst <= TARGET_P95_MS else 'NOT met'} (worst {worst:.0f} ms); "
              f"no errors — {'met' if not errors else f'NOT met ({errors})'}; ≤ 300 MB per "
              f"process — {'met' if top <= TARGET_RSS_MB else 'NOT met'} (max {top:.0f} MB)."]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- --profile

# The GET that starts each form of ACTIONS (what --profile measures of it first).
ACTION_PAGES = {name: requests[0][1] for name, requests in ACTION_REQUESTS.items()}


POST_ROW = ": its POST"  # the --profile row of a form's POST: its page kind and this


class InProcessClient:
    """What ``User`` needs of a connection (``request`` and ``port``), served by Django's
    test client in this process, so that --profile runs the actions' POSTs as the load
    does; the app CPU of each POST is kept in ``post_cpu`` (ms)."""

    port = 80
    capture = None  # a CaptureQueriesContext: where its queries of the last POST start
    post_from = 0

    def __init__(self, client):
        self.client, self.post_cpu = client, []

    def request(self, method, path, body=None, headers=None):
        headers = headers or {}
        if method == "GET":
            response = self.client.get(path)
        else:
            if self.capture is not None:
                self.post_from = len(self.capture.captured_queries)
            t = time.process_time()
            response = self.client.generic(
                method, path, data=body, content_type=headers.get("Content-Type", ""),
                HTTP_REFERER=headers.get("Referer", ""))
            self.post_cpu.append((time.process_time() - t) * 1000)
        return response.status_code, dict(response.items()), response.content


def _profile_post(args, row, client, account, context, profiler):
    """The row of a form's POST (``row``: role, kind, weight, action): the action run
    ``--repeat`` times in-process, its GET then its POST as the load sends them; the app
    CPU of the POSTs, and the queries, SQL time and status of the POST of one more run.
    The POSTs change the data as the load's do."""
    import statistics

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    role, kind, weight, what = row
    rng = random.Random(args.seed)
    adapter = InProcessClient(client)
    user = User(role, account.username, adapter, context)
    for _ in range(args.repeat):
        if args.cold:
            cache.clear()
        ACTIONS[what](user, rng)
    cpu = adapter.post_cpu or [0.0]
    if args.cold:
        cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        adapter.capture = ctx
        status = ACTIONS[what](user, rng)[-1][0]
        adapter.capture = None
    queries = ctx.captured_queries[adapter.post_from:]
    if profiler:
        if args.cold:
            cache.clear()
        profiler.enable()
        ACTIONS[what](user, rng)
        profiler.disable()
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    return (role, kind + POST_ROW, weight, status, len(queries), sql_ms,
            statistics.median(cpu), min(cpu), 0)


def profile_pages(args) -> str:
    """Queries, SQL time and app CPU per page kind, in-process; the report as Markdown."""
    import cProfile
    import io
    import pstats
    import statistics

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from zugong.people.models import User as Account

    # One process: its own cache sees every bump, as Redis does for the server's processes,
    # so the pages keep what they compute as they do under load (core.memo).
    settings.ZUGONG_MEMO = True
    chosen = {}
    for role, username, context in pick_users({r: 1 for r in ("cadre", "chief", "leader",
                                                               "assessor")}, args.seed):
        chosen[role] = (Account.objects.get(username=username), context)
    # CPU time, not wall time: waiting for PostgreSQL is not the app's cost.
    profiler = cProfile.Profile(time.process_time) if args.profile_top else None
    rows = []
    for role, kind, weight, what in PAGES:
        if args.profile_page and args.profile_page not in kind:
            continue
        user, context = chosen[role]
        path = ACTION_PAGES.get(what, what).format(plan=context.get("plan"),
                                                   person=user.person_id)
        extra = {"HTTP_USER_AGENT": PHONE_UA} if role == "cadre" else {}
        client = TestClient(**extra)
        client.force_login(user)
        client.get(path)  # warm-up: the session's first write, caches, templates
        cpu = []
        for _ in range(args.repeat):
            if args.cold:
                cache.clear()
            t = time.process_time()
            response = client.get(path)
            cpu.append((time.process_time() - t) * 1000)
        if args.cold:
            cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            client.get(path)
        # Read now: the next request's start clears the connection's query log.
        queries = list(ctx.captured_queries)
        if profiler:  # apart from the timed requests: the profiler slows what it watches
            if args.cold:
                cache.clear()
            profiler.enable()
            client.get(path)
            profiler.disable()
        sql_ms = sum(float(q["time"]) for q in queries) * 1000
        rows.append((role, kind, weight, response.status_code, len(queries),
                     sql_ms, statistics.median(cpu), min(cpu), len(response.content) // 1024))
        if what in ACTIONS:
            rows.append(_profile_post(args, (role, kind, weight, what), client, user,
                                      context, profiler))
        if args.verbose:
            print(f"{role} {kind}:")
            for q in queries:
                print(f"    {float(q['time']) * 1000:6.1f} ms  {q['sql'][:240]}")
    info = pb.machine_info()
    lines = [f"# Page costs in-process — {dt.datetime.now():%Y-%m-%d %H:%M}", "",
             f"- Commit {info['commit']}; `{' '.join(sys.argv)}`; load average "
             f"{os.getloadavg()[0]:.2f} ({os.cpu_count()} cores, shared); reference loop "
             f"{info['speed_ms']:.0f} ms (the machine's speed, `reference_loop_ms`)",
             f"- App CPU: median and least of {args.repeat} requests (Django's test client, "
             f"every middleware, {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]} "
             "cache); queries and SQL time from one more request. On a virtual machine the "
             "median moves by tens of percent between runs; the least is the steadier figure "
             "to compare code by", "",
             "| role | page kind | HTTP | queries | SQL ms | app CPU ms (median) | least | KB |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for role, kind, _weight, status, n, sql_ms, cpu_ms, cpu_min, kb in rows:
        lines.append(f"| {role} | {kind} | {status} | {n} | {sql_ms:.1f} | {cpu_ms:.1f} | "
                     f"{cpu_min:.1f} | {kb} |")
    # The mix's weights are per role; each role's users are weighted by --mix.
    mix = {k: int(v) for k, v in (part.split("=") for part in args.mix.split(","))}
    # A user of each role starts an action per think time: a role's share is its users over
    # its actions' weights (a form's POST is a second request of the same action).
    share = {role: mix.get(role, 0) / sum(r[2] for r in rows
                                          if r[0] == role and not r[1].endswith(POST_ROW))
             for role in {r[0] for r in rows}}
    weights = max(sum(r[2] * share[r[0]] for r in rows), 1)
    median = sum(r[6] * r[2] * share[r[0]] for r in rows) / weights
    least = sum(r[7] * r[2] * share[r[0]] for r in rows) / weights
    lines += ["", f"Weighted by the mix's page weights: {median:.1f} ms of app CPU per request "
                  f"(median; {least:.1f} ms from the least of each page)."]
    if profiler:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(args.profile_top)
        stats.sort_stats("tottime").print_stats(args.profile_top)
        lines += ["", "```", out.getvalue().strip(), "```"]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--database-url", default=province.DEFAULT_URL)
    ap.add_argument("--users", type=int, default=500)
    ap.add_argument("--mix", default=DEFAULT_MIX,
                    help="role=count,… (scaled to --users); roles: cadre chief leader assessor")
    ap.add_argument("--think", type=float, default=10.0, help="mean think time, seconds")
    ap.add_argument("--ramp", type=float, default=60.0)
    ap.add_argument("--duration", type=float, default=300.0, help="recorded seconds")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=None)
    ap.add_argument("--redis-url", default="redis://127.0.0.1:6379/0",
                    help="REDIS_URL of the server and worker; '' for none")
    ap.add_argument("--no-worker", action="store_true", help="do not start zugong worker")
    ap.add_argument("--port", type=int, default=0,
                    help="use a server already running on this port (e.g. nginx)")
    ap.add_argument("--server-pid", type=int, default=0,
                    help="with --port: the gunicorn master of that server, for its CPU and "
                    "memory in the report")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--profile", action="store_true",
                    help="no server and no load: queries and app CPU of every page kind, "
                    "in-process")
    ap.add_argument("--repeat", type=int, default=5, help="with --profile: requests per page")
    ap.add_argument("--profile-top", type=int, default=0, metavar="N",
                    help="with --profile: the N costliest functions under cProfile")
    ap.add_argument("--cold", action="store_true",
                    help="with --profile: empty the cache before every request, so that "
                         "the pages that keep what they compute show what a miss costs")
    ap.add_argument("--profile-page", default="", metavar="TEXT",
                    help="with --profile: only the page kinds whose name contains TEXT")
    ap.add_argument("--verbose", action="store_true", help="with --profile: every query")
    args = ap.parse_args(argv)

    data_dir = pb.setup_env(args.database_url)
    if args.profile:
        args.redis_url = ""
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    pb.django_setup()
    from django.db import connection, connections

    with connection.cursor() as cur:
        cur.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = current_database()")
        mark = (cur.fetchone() or [""])[0] or ""
    if not mark.startswith("zugong province"):
        raise SystemExit("no finished province load in this database: run bench/province.py")
    if args.profile:
        from django.core.management import call_command

        # The pages name their assets through the manifest, as under zugong serve, which
        # runs the same command before it starts.
        call_command("collectstatic", interactive=False, verbosity=0)
        text = profile_pages(args)
        print(text)
        out = pb.ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"province-profile-{dt.datetime.now():%Y%m%d-%H%M%S}.md"
        path.write_text(text, encoding="utf-8")
        print(f"written to {path.relative_to(pb.ROOT)}")
        return 0
    raw = dict(part.split("=") for part in args.mix.split(","))
    total = sum(int(v) for v in raw.values())
    mix = {k: max(1, round(int(v) * args.users / total)) for k, v in raw.items()}
    chosen = pick_users(mix, args.seed)
    cookies = sessions_for(u for _r, u, _c in chosen)
    info = pb.machine_info()
    workaround = pb.static_workaround(data_dir)
    connections.close_all()

    proc = worker = None
    if args.port:
        port, cmd = args.port, ["(already running)"]
    else:
        port = pb.free_port()
        print(f"starting zugong serve on 127.0.0.1:{port} ({args.workers} workers)", flush=True)
        proc, cmd = pb.start_server(port, args.workers, args.threads, data_dir / "serve.log",
                                    "zugong_bench_settings" if workaround else None)
    if not args.no_worker:
        worker = start_worker(data_dir / "worker.log")
    try:
        users = []
        from django.conf import settings

        for role, username, context in chosen:
            client = pb.Client(port)
            client.cookies[settings.SESSION_COOKIE_NAME] = cookies[username]
            if role == "cadre":
                client.request = _with_agent(client.request, PHONE_UA)
            users.append(User(role, username, client, context))
        import psycopg

        dbname = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
        stats = psycopg.connect(args.database_url, autocommit=True)

        def probe():
            snap = pb.cpu_snapshot(proc.pid if proc else (args.server_pid or os.getpid()),
                                   dbname)
            snap["sessions"] = stats.execute(
                "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
            ).fetchone()[0]
            return snap

        print(f"{len(users)} users: ramp {args.ramp:g} s, then {args.duration:g} s recorded",
              flush=True)
        res = run(port, users, args, probe)
        master = proc.pid if proc else args.server_pid
        mem = pb.memory_snapshot(master) if master else {}
        worker_mem = process_memory(worker.pid) if worker else None
    finally:
        if proc:
            pb.stop_server(proc)
        if worker:
            pb.stop_server(worker)
    # Read again once the load has stopped: a shared virtual machine's speed drifts, and a
    # slow run on a machine that slowed down is not a slower commit.
    info["speed_after_ms"] = pb.reference_loop_ms()
    if proc:  # the server's own log, complete once it has stopped
        res["app"] = app_times(data_dir / "serve.log", *res["window"])
    from zugong.people.models import OrgUnit, Person

    summary = (f"{OrgUnit.objects.filter(kind='org_dept').count()} departments, "
               f"{Person.objects.count():,} people; {mark}")
    text = report(args, info, users, res, mem, worker_mem, cmd, summary)
    print("\n" + text)
    out = pb.ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"province-load-{dt.datetime.now():%Y%m%d-%H%M%S}.md"
    path.write_text(text, encoding="utf-8")
    print(f"written to {path.relative_to(pb.ROOT)}")
    return 0


def _with_agent(request, agent):
    def wrapped(method, path, body=None, headers=None):
        return request(method, path, body=body, headers={"User-Agent": agent, **(headers or {})})
    return wrapped


if __name__ == "__main__":
    sys.exit(main())
