"""`zugong worker` runs Huey and each job leaves a run record (real processes, SQLite)."""

import os
import sqlite3
import subprocess
import sys
import time

import pytest


def _env(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ZUGONG_TESTING")}
    env.update(ZUGONG_DATA_DIR=str(tmp_path), **extra)
    return env


def _zugong(tmp_path, *args, **kwargs):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "zugong.cli", *args], env=_env(tmp_path), capture_output=True,
        text=True, timeout=120, **kwargs)


def test_the_worker_runs_a_queued_job_and_records_the_run(tmp_path):
    assert _zugong(tmp_path, "migrate", "-v", "0").returncode == 0
    # The schedule comes from the plugins (core.registry); calling a task enqueues a run.
    enqueue = "from zugong.core.registry import SCHEDULED; SCHEDULED['audit_verify']()"
    result = _zugong(tmp_path, "shell", "-c", enqueue)
    assert result.returncode == 0, result.stderr
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "zugong.cli", "worker", "-w", "1"], env=_env(tmp_path),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        db = tmp_path / "zugong.sqlite3"
        deadline = time.time() + 30
        rows = []
        # Other schedules (session clean-up every 30 minutes) may also fire meanwhile.
        while time.time() < deadline and ("audit_verify", "succeeded") not in rows:
            time.sleep(0.5)
            with sqlite3.connect(db) as con:
                rows = con.execute(
                    "SELECT name, status FROM core_jobrun WHERE status != 'running'").fetchall()
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    assert ("audit_verify", "succeeded") in rows
    assert all(status == "succeeded" for _name, status in rows)


@pytest.mark.parametrize("redis_url, expected", [("", "huey.SqliteHuey"),
                                                 ("redis://127.0.0.1:6379/5", "huey.RedisHuey")])
def test_the_queue_is_sqlite_by_default_and_redis_when_configured(tmp_path, redis_url, expected):
    env = _env(tmp_path, REDIS_URL=redis_url)
    code = "from django.conf import settings; print(settings.HUEY['huey_class'])"
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "zugong.cli", "shell", "-c", code], env=env,
        capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr
