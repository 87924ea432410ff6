"""zugong serve: collect static files and run the app under gunicorn.

On SQLite with the SQLite job queue (one machine, the demo) it also starts the job consumer
(``zugong worker``) as a child process, so reminders, the nightly backup and the audit check
run without a second command; the child stops when serve stops. At scale (PostgreSQL or a
Redis queue) ``zugong worker`` runs as its own service and serve leaves it alone.
"""

import argparse
import os
import signal
import subprocess  # nosec B404
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from zugong.core.middleware import mask_identifiers, mask_url

# gunicorn's default line and, last, the milliseconds the request took in the app (from
# the moment a worker thread took it up): operators see which pages are slow, and the load
# benchmark tells time in the app from time spent waiting for a thread or a core.
ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


class MaskingAccessLogger(Logger):
    """gunicorn's logger with query values masked in the access log.

    Searches send names, ID numbers and phones in the query string, and the access log is
    kept and copied by operators: every query value in the request line, the query atom
    and the referer is replaced, and ID-number- or phone-like values elsewhere are hidden.
    """

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        method, _, rest = atoms["r"].partition(" ")
        uri, _, protocol = rest.rpartition(" ")
        atoms["r"] = f"{method} {mask_url(uri)} {protocol}"
        atoms["q"] = mask_url("?" + (atoms["q"] or ""))[1:] if atoms["q"] else atoms["q"]
        atoms["f"] = mask_url(atoms["f"]) if atoms["f"] not in (None, "-") else atoms["f"]
        for key, value in atoms.items():
            if isinstance(value, str) and key not in ("r", "q", "f"):
                atoms[key] = mask_identifiers(value)
        if "{referer}i" in atoms:
            atoms["{referer}i"] = atoms["f"]
        return atoms


class _Gunicorn(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        # The WSGI application named in settings (the project's config layer, which core
        # does not import by name).
        from django.core.servers.basehttp import get_internal_wsgi_application

        return get_internal_wsgi_application()


# A Unix socket's path holds at most 108 bytes (sun_path), less its terminating zero.
SOCKET_PATH_MAX = 107


def control_socket_options() -> dict:
    """gunicorn's control socket (``gunicornc``) under the data folder, beside the database
    and the job files, instead of ``$HOME/.gunicorn`` or ``$XDG_RUNTIME_DIR``: the service
    account may have no home folder, and two installations on one machine must not share
    one socket. A data folder too deep for a socket path goes without one."""
    path = Path(settings.DATA_DIR) / "run" / "gunicorn.ctl"
    if len(os.fsencode(str(path))) > SOCKET_PATH_MAX:
        return {"control_socket_disable": True}
    path.parent.mkdir(parents=True, exist_ok=True)
    return {"control_socket": str(path)}


def default_workers(*, sqlite: bool, cores: int) -> int:
    """Worker processes when ``--workers`` is not given.

    SQLite has one writer: one process with threads. PostgreSQL scales by processes: one
    per core. Not gunicorn's "2 × cores + 1", which is for workers that block while they
    wait: each of ours has 4 threads to wait on the database, and more processes than
    cores only share them. On 2 cores under the province's 500 users, 5 workers answered
    p95 429 ms and 2 workers 300 ms, at 21.4 and 20.3 ms of app CPU a request
    (``docs/performance.md``, twelfth cut).
    """
    return 1 if sqlite else max(cores, 1)


class Command(BaseCommand):
    help = "Serve Zugong over HTTP with gunicorn (static files by WhiteNoise)."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default=os.environ.get("ZUGONG_BIND",
                                                                          "127.0.0.1:8000"))
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("ZUGONG_WORKERS", "0")) or None)
        parser.add_argument("--threads", type=int, default=int(os.environ.get("ZUGONG_THREADS",
                                                                              "4")))
        parser.add_argument("--worker", action=argparse.BooleanOptionalAction, default=None,
                            help="start the job consumer beside the server (--no-worker: do "
                                 "not); default on for SQLite, off for PostgreSQL or Redis")

    def handle(self, *args, addrport, workers, threads, worker=None, **options):
        # Collected in a child process: compressing the assets (Brotli) takes a few hundred
        # MB for a moment, which the gunicorn master would otherwise keep for its lifetime.
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "zugong.config.settings")}
        command = [sys.executable, "-m", "django", "collectstatic", "--noinput", "-v", "0"]
        subprocess.run(command, check=True, env=env)  # noqa: S603  # nosec B603
        sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
        workers = workers or default_workers(sqlite=sqlite, cores=os.cpu_count() or 1)
        if worker is None:
            worker = sqlite and not settings.HUEY.get("immediate") and \
                settings.HUEY.get("huey_class") == "huey.SqliteHuey"
        consumer = _start_consumer(env) if worker else None
        self.stdout.write(f"Zugong listening on http://{addrport}/ ({workers} worker(s))")
        if consumer:
            self.stdout.write(f"Job consumer running (process {consumer.pid}); "
                              "--no-worker to run without it")
        try:
            _Gunicorn({
                "bind": addrport, "workers": workers, "threads": threads,
                "worker_class": "zugong.core.gunicorn_worker.BalancedThreadWorker",
                "accesslog": "-", "logger_class": MaskingAccessLogger,
                "access_log_format": ACCESS_LOG_FORMAT, "timeout": 120,
                **control_socket_options(),
            }).run()
        finally:
            if consumer:
                _stop(consumer)


def _start_consumer(env):
    """``zugong worker`` with one worker thread and the periodic schedule, as a child.

    A child process rather than a thread of this one: gunicorn forks its workers from this
    process, and forking while a consumer thread holds a lock (logging, SQLite) can leave
    a worker deadlocked.
    """
    command = [sys.executable, "-m", "zugong.cli", "worker", "--workers", "1"]
    return subprocess.Popen(command, env=env)  # noqa: S603  # nosec B603


def _stop(consumer):
    consumer.send_signal(signal.SIGTERM)  # huey finishes the running task, then exits
    try:
        consumer.wait(timeout=30)
    except subprocess.TimeoutExpired:
        consumer.kill()
        consumer.wait()
