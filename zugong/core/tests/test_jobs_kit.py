"""The jobs kit: progress, a run whose process died, old result files, the xlsx ticker."""

import os
import re
import socket

import pytest
from django.urls import reverse
from django.utils import timezone

from zugong.core import jobs
from zugong.core.models import JobRun, Notice

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def job_dir(settings, tmp_path):
    settings.ZUGONG_JOB_DIR = tmp_path / "jobs"
    return settings.ZUGONG_JOB_DIR


def _running(owner, worker, **extra):
    now = timezone.now()
    return JobRun.objects.create(name="t", owner=owner, title="导入", func="x.y",
                                 status=JobRun.Status.RUNNING, started_at=now,
                                 heartbeat_at=now, worker=worker, **extra)


def _dead_pid() -> int:
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def test_a_run_whose_process_died_is_failed_in_chinese_and_its_owner_told(cast, job_dir):
    host = socket.gethostname()
    dead = _running(cast["head"], f"{host}:{_dead_pid()}")
    alive = _running(cast["head"], f"{host}:{os.getpid()}")
    queued = JobRun.objects.create(name="t", owner=cast["head"], func="x.y",
                                   status=JobRun.Status.QUEUED, started_at=timezone.now())
    elsewhere_fresh = _running(cast["head"], "other-host:1")
    elsewhere_stale = _running(cast["head"], "other-host:2")
    JobRun.objects.filter(pk=elsewhere_stale.pk).update(
        heartbeat_at=timezone.now() - timezone.timedelta(hours=2))

    assert jobs.sweep_interrupted() == 2
    statuses = dict(JobRun.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[elsewhere_stale.pk] == JobRun.Status.FAILED
    assert statuses[alive.pk] == statuses[elsewhere_fresh.pk] == JobRun.Status.RUNNING
    assert statuses[queued.pk] == JobRun.Status.QUEUED  # the queue still holds it
    dead.refresh_from_db()
    assert CHINESE.search(dead.message) and "中断" in dead.message
    assert Notice.objects.filter(recipient=cast["head"], kind=jobs.NOTICE_FAILED).count() == 2


CALLS = []


def work(*, user, params, progress):
    CALLS.append(params)
    progress.set_total(3)
    for _ in progress.iterate(range(3)):
        pass
    progress.output("结果.txt").write(b"ok")
    return "完成"


def test_a_job_runs_once_even_if_the_queue_delivers_it_twice(cast, job_dir):
    CALLS.clear()
    run = jobs.start(by=cast["cadre"], name="t", func="zugong.core.tests.test_jobs_kit.work",
                     params={"a": 1}, title="测试")
    jobs.execute(run.pk)
    jobs.execute(run.pk)
    run.refresh_from_db()
    assert CALLS == [{"a": 1}]
    assert (run.status, run.done, run.total) == (JobRun.Status.SUCCEEDED, 3, 3)
    assert jobs.result_file(run).read_bytes() == b"ok" and run.result_name == "结果.txt"


def test_old_result_files_are_purged(cast, job_dir):
    run = JobRun.objects.create(name="t", owner=cast["cadre"], status=JobRun.Status.SUCCEEDED,
                                started_at=timezone.now(),
                                finished_at=timezone.now() - timezone.timedelta(days=30))
    # The folder is named by the run's id (on PostgreSQL a sequence, never reset to 1).
    JobRun.objects.filter(pk=run.pk).update(result_path=f"{run.pk}/result")
    (job_dir / str(run.pk)).mkdir(parents=True)
    (job_dir / str(run.pk) / "result").write_bytes(b"x")
    assert jobs.purge_results() == 1
    run.refresh_from_db()
    assert run.result_path == "" and not (job_dir / str(run.pk)).exists()


def test_a_result_path_outside_the_jobs_folder_is_never_served(cast, job_dir, tmp_path):
    (tmp_path / "secret").write_bytes(b"x")
    run = JobRun(pk=5, result_path="../secret")
    assert jobs.result_file(run) is None


def test_an_app_export_above_the_threshold_becomes_a_job_whose_xlsx_rows_tick(
        cast, job_dir, settings, client_for, django_capture_on_commit_callbacks):
    settings.ZUGONG_JOB_THRESHOLD = 1
    client = client_for(cast["head"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("people:export"))
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    run = JobRun.objects.get(owner=cast["head"])
    assert run.status == JobRun.Status.SUCCEEDED, run.message
    assert run.done == run.total > 1  # every written row was counted
    assert "行" in run.message
    download = client.get(jobs.result_link(run))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
