"""`zugong serve`: gunicorn with the worker that spreads kept-alive connections."""

import http.client
import os
import socket
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from gunicorn.workers.gthread import ThreadWorker

from zugong.core import gunicorn_worker
from zugong.core.gunicorn_worker import BalancedThreadWorker


def _worker(*, workers, threads, connections):
    worker = BalancedThreadWorker.__new__(BalancedThreadWorker)  # no process needed
    worker.cfg = SimpleNamespace(workers=workers, threads=threads)
    worker.nr_conns = connections
    return worker


@pytest.fixture
def calls(monkeypatch):
    seen = []
    monkeypatch.setattr(gunicorn_worker.time, "sleep", lambda s: seen.append(("sleep", s)))
    monkeypatch.setattr(ThreadWorker, "accept", lambda self, listener: seen.append("accept"))
    return seen


def test_a_worker_with_a_connection_per_thread_lets_a_sibling_accept_first(calls):
    _worker(workers=2, threads=4, connections=4).accept(object())
    assert calls == [("sleep", gunicorn_worker.YIELD_SECONDS), "accept"]


@pytest.mark.parametrize("workers, connections", [(2, 3), (1, 9)])
def test_a_worker_with_room_or_without_siblings_accepts_at_once(calls, workers, connections):
    _worker(workers=workers, threads=4, connections=connections).accept(object())
    assert calls == ["accept"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_zugong_serve_starts_gunicorn_workers_that_answer(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ZUGONG_TESTING")}
    env.update(ZUGONG_DATA_DIR=str(tmp_path))
    run = [sys.executable, "-m", "zugong.cli"]
    assert subprocess.run([*run, "migrate", "-v", "0"], env=env,  # noqa: S603
                          timeout=300).returncode == 0
    port = _free_port()
    server = subprocess.Popen(  # noqa: S603
        [*run, "serve", f"127.0.0.1:{port}", "--workers", "2"], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, status = time.monotonic() + 300, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", "/login/")
                status = conn.getresponse().status
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200
    finally:
        os.killpg(server.pid, 15)
        output = server.communicate(timeout=60)[0].decode()
    worker = "Using worker: zugong.core.gunicorn_worker.BalancedThreadWorker"
    assert worker in output, output[-2000:]


def test_without_workers_asked_serve_starts_one_per_core_on_postgresql_and_one_on_sqlite():
    # Threads wait on the database; more processes than cores only share the cores (on 2
    # cores, 5 workers answered the province's load with a p95 of 429 ms, 2 with 300 ms).
    from zugong.core.management.commands.serve import default_workers

    assert [default_workers(sqlite=False, cores=n) for n in (1, 2, 8)] == [1, 2, 8]
    assert default_workers(sqlite=True, cores=8) == 1
