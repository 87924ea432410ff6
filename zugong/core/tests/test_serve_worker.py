"""`zugong serve` on SQLite runs the job consumer itself (real processes)."""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ZUGONG_TESTING",
                                                            "REDIS_URL")}
    env.update(ZUGONG_DATA_DIR=str(tmp_path))
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _zugong(tmp_path, *args):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "zugong.cli", *args], env=_env(tmp_path), capture_output=True,
        text=True, timeout=300)


def _runs(db):
    with sqlite3.connect(db) as con:
        return con.execute(
            "SELECT name, status FROM core_jobrun WHERE status != 'running'").fetchall()


def test_serve_on_sqlite_runs_queued_jobs_without_a_separate_worker(tmp_path):
    assert _zugong(tmp_path, "migrate", "-v", "0").returncode == 0
    enqueue = "from zugong.core.registry import SCHEDULED; SCHEDULED['audit_verify']()"
    result = _zugong(tmp_path, "shell", "-c", enqueue)
    assert result.returncode == 0, result.stderr
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "zugong.cli", "serve", f"127.0.0.1:{_free_port()}"],
        env=_env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True)
    db, rows = tmp_path / "zugong.sqlite3", []
    try:
        deadline = time.monotonic() + 240
        while (time.monotonic() < deadline and server.poll() is None
               and ("audit_verify", "succeeded") not in rows):
            time.sleep(0.5)
            rows = _runs(db)
    finally:
        # serve alone is signalled: it must stop its consumer itself.
        server.send_signal(signal.SIGTERM)
        output = server.communicate(timeout=60)[0].decode()
    assert ("audit_verify", "succeeded") in rows, output[-3000:]
    consumer = re.search(r"Job consumer running \(process (\d+)\)", output)
    assert consumer, output[-3000:]
    # Stopping serve stopped its consumer too (no orphan left polling the queue).
    assert not Path(f"/proc/{consumer.group(1)}").exists()
