"""Every background or scheduled job leaves a visible run record.

Two kinds of job:

* scheduled jobs (``recorded``): a function the worker runs on a timetable;
* background work somebody starts from a page (``start``): an import or a big export. The
  run belongs to that person (``JobRun.owner``), reports its progress (``Progress``), may
  leave one result file under the data folder (served only to the owner) and/or a result
  page, and sends its owner a notice when it ends. A failure is stored as a reason in
  Chinese; the technical detail goes to the log only.

A job function has the signature ``func(*, user, params, progress)``; ``params`` is the JSON
given to ``start``. ``run_or_start`` runs the same function in the request when the work is
small (under ``ZUGONG_JOB_THRESHOLD`` rows) and answers the file directly.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import errno
import functools
import json
import logging
import os
import shutil
import socket
import tempfile
import traceback
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import FileResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from .models import JobRun

logger = logging.getLogger("zugong.jobs")

NOTICE_DONE = "core.job.done"
NOTICE_FAILED = "core.job.failed"


def _failure_reason(exc: BaseException) -> str:
    """What went wrong, said so the person who started the job understands it."""
    if isinstance(exc, JobFailed):
        return str(exc)
    if _disk_full(exc):
        return _("The server's disk is full, so the job could not write its result. "
                 "Nothing was changed; ask the system administrator to free space, then "
                 "start it again.")
    if isinstance(exc, DatabaseError):
        return _("The database could not complete the job (it may have been restarted). "
                 "Nothing of this job was saved; start it again.")
    return _("An internal error stopped the job. Nothing of this job was saved; the system "
             "administrator can find the details in the log.")


def _disk_full(exc: BaseException) -> bool:
    """A full disk, as the file system, SQLite ("database or disk is full") or PostgreSQL
    (SQLSTATE 53100) reports it."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    if isinstance(exc, DatabaseError):
        cause = exc.__cause__
        return "disk is full" in str(exc) or "No space left" in str(exc) or (
            getattr(getattr(cause, "diag", None), "sqlstate", None) == "53100"
            or getattr(cause, "sqlstate", None) == "53100")
    return False


class JobFailed(Exception):
    """A reason the owner of a job can read (translated text): the job stops with it."""


def recorded(name: str):
    """Wrap a scheduled job function so each run is stored as a ``JobRun``.

    The function may return a short text that becomes the run's message.
    """

    def decorator(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            run = JobRun.objects.create(
                name=name, started_at=timezone.now(), status=JobRun.Status.RUNNING,
                worker=_worker_id(), heartbeat_at=timezone.now(),
            )
            try:
                message = func(*args, **kwargs)
            except Exception as exc:
                with translation.override(settings.LANGUAGE_CODE):
                    reason = _failure_reason(exc)
                # The reason is for people; the administrators also get the last lines of
                # the traceback on the jobs page (scheduled jobs have no owner to confuse).
                run.status = JobRun.Status.FAILED
                run.message = f"{reason}\n\n{traceback.format_exc(limit=5)}"[-4000:]
                run.finished_at = timezone.now()
                run.save(update_fields=["status", "message", "finished_at"])
                raise
            run.status = JobRun.Status.SUCCEEDED
            run.message = str(message or "")[:4000]
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "message", "finished_at"])
            return message

        return wrapper

    return decorator


# ------------------------------------------------------------------ background work

def job_threshold() -> int:
    """Above this many rows (people, records) work runs as a job instead of in the request."""
    return int(getattr(settings, "ZUGONG_JOB_THRESHOLD", 300))


def jobs_dir() -> Path:
    return Path(getattr(settings, "ZUGONG_JOB_DIR", Path(settings.DATA_DIR) / "jobs"))


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


class Progress:
    """What a running job reports: how far it is, and where its result goes.

    With no run (a small export done in the request) the file is a temporary file and
    progress is not stored.
    """

    def __init__(self, run: JobRun | None = None):
        self.run = run
        self.file: IO[bytes] | None = None
        self.filename = ""
        self.url = ""
        self._percent = -1

    # progress --------------------------------------------------------------
    def set_total(self, total: int) -> None:
        if self.run is not None:
            self.run.total = max(0, int(total))
            self._save(force=True)

    def advance(self, n: int = 1) -> None:
        if self.run is not None:
            self.run.done += n
            self._save()

    def iterate(self, items, total: int | None = None):
        """Yield ``items`` and count them as done (``total`` when the length is known)."""
        if total is not None:
            self.set_total(total)
        for item in items:
            yield item
            self.advance()

    def _save(self, force: bool = False) -> None:
        # One write per percent at most: a 10,000-row export makes about 100 small updates.
        run = self.run
        percent = run.done * 100 // run.total if run.total else 0
        if not force and percent == self._percent:
            return
        self._percent = percent
        run.heartbeat_at = timezone.now()
        # An import writes everything in one transaction, and nothing written inside it is
        # visible to the page before the commit (on SQLite no other connection may even
        # write meanwhile). So progress also goes to the job queue's own store (its SQLite
        # file, or Redis), which the page reads; the row is updated when no transaction
        # is open.
        _progress_store().put(_progress_key(run.pk), (run.done, run.total,
                                                      run.heartbeat_at.timestamp()))
        if not transaction.get_connection().in_atomic_block:
            JobRun.objects.filter(pk=run.pk).update(done=run.done, total=run.total,
                                                    heartbeat_at=run.heartbeat_at)

    # result ----------------------------------------------------------------
    def output(self, filename: str) -> IO[bytes]:
        """A file to write the result into; ``filename`` is what the owner downloads."""
        self.filename = str(filename)
        if self.run is None:
            self.file = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        else:
            folder = jobs_dir() / str(self.run.pk)
            folder.mkdir(parents=True, exist_ok=True)
            self.file = open(folder / "result", "wb")  # noqa: SIM115 - closed by _finish
        return self.file

    def link(self, url: str) -> None:
        """The page that shows the result (an import's preview)."""
        self.url = url


def _progress_store():
    from huey.contrib.djhuey import HUEY

    return HUEY


def _progress_key(pk: int) -> str:
    return f"zugong-job-progress:{pk}"


def _stored_progress(pk: int):
    try:
        return _progress_store().get(_progress_key(pk), peek=True)
    except Exception:  # noqa: BLE001 - the queue being down must not break the page
        logger.warning("job progress could not be read from the queue's store")
        return None


def live(run: JobRun) -> JobRun:
    """The run with the progress its worker reported, even from inside a transaction."""
    if run.status == JobRun.Status.RUNNING:
        stored = _stored_progress(run.pk)
        if stored:
            done, total, beat = stored
            if done >= run.done:
                run.done, run.total = done, total
                run.heartbeat_at = dt.datetime.fromtimestamp(beat, tz=dt.UTC)
    return run


def _forget_progress(pk: int) -> None:
    try:
        _progress_store().delete(_progress_key(pk))
    except Exception:  # noqa: BLE001
        logger.warning("job progress could not be removed from the queue's store")


def start(*, by, name: str, func: str, params: dict, title: str, total: int = 0) -> JobRun:
    """Queue ``func`` as a job owned by ``by``; it runs after the caller's transaction."""
    run = JobRun.objects.create(
        name=name, owner=by, title=str(title)[:200], func=func,
        params=json.dumps(params, ensure_ascii=False), total=total,
        status=JobRun.Status.QUEUED, started_at=timezone.now(),
    )
    transaction.on_commit(functools.partial(run_job, run.pk), robust=True)
    return run


@db_task()
def run_job(run_id: int) -> str:
    return execute(run_id)


def execute(run_id: int) -> str:
    """Run one queued job; a second delivery of the same job does nothing."""
    claimed = JobRun.objects.filter(pk=run_id, status=JobRun.Status.QUEUED).update(
        status=JobRun.Status.RUNNING, worker=_worker_id(), heartbeat_at=timezone.now(),
        started_at=timezone.now())
    if not claimed:
        return ""
    run = JobRun.objects.select_related("owner").get(pk=run_id)
    progress = Progress(run)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            func = import_string(run.func)
            message = func(user=run.owner, params=json.loads(run.params or "{}"),
                           progress=progress)
            if progress.file is not None:
                progress.file.close()
        except Exception as exc:
            logger.exception("job %s (%s) failed", run.pk, run.name)
            _close_quietly(progress)
            shutil.rmtree(jobs_dir() / str(run.pk), ignore_errors=True)
            return _finish_failed(run, _failure_reason(exc))
        return _finish_done(run, progress, str(message or ""))


def _close_quietly(progress: Progress) -> None:
    if progress.file is not None:
        try:
            progress.file.close()
        except OSError:
            logger.warning("job result file could not be closed")


def _finish_done(run: JobRun, progress: Progress, message: str) -> str:
    from .notices import notify

    _forget_progress(run.pk)
    run.status = JobRun.Status.SUCCEEDED
    run.finished_at = timezone.now()
    run.message = message[:4000]
    run.done = max(run.done, run.total)
    if progress.file is not None:
        run.result_path = f"{run.pk}/result"
        run.result_name = progress.filename[:200]
    run.result_url = progress.url[:300]
    run.save(update_fields=["status", "finished_at", "message", "done", "total",
                            "result_path", "result_name", "result_url"])
    if run.owner_id:
        notify(recipients=[run.owner], kind=NOTICE_DONE,
               title=_("Done: %(title)s") % {"title": run.title}, body=run.message,
               url=result_link(run), dedupe_key=f"job:{run.pk}")
    return run.message


def _finish_failed(run: JobRun, reason: str) -> str:
    from .notices import notify

    _forget_progress(run.pk)
    JobRun.objects.filter(pk=run.pk).update(status=JobRun.Status.FAILED, message=reason,
                                            finished_at=timezone.now())
    if run.owner_id:
        notify(recipients=[run.owner], kind=NOTICE_FAILED,
               title=_("Failed: %(title)s") % {"title": run.title}, body=reason,
               url=reverse("job", args=[run.pk]), dedupe_key=f"job:{run.pk}")
    return reason


def result_link(run: JobRun) -> str:
    """Where the notice of a finished job leads: its file, its result page, or its page."""
    if run.result_path:
        return reverse("job_file", args=[run.pk])
    return run.result_url or reverse("job", args=[run.pk])


def result_file(run: JobRun) -> Path | None:
    if not run.result_path:
        return None
    path = (jobs_dir() / run.result_path).resolve()
    # The stored path is ours, but a file outside the jobs folder is never served.
    if jobs_dir().resolve() not in path.parents or not path.is_file():
        return None
    return path


def run_or_start(user, *, name: str, func: str, params: dict, title: str, count: int):
    """A small piece of work runs now and answers its file; a big one becomes a job and
    the answer is the job's page (with its progress bar)."""
    if count <= job_threshold():
        progress = Progress()
        import_string(func)(user=user, params=params, progress=progress)
        progress.file.seek(0)
        return FileResponse(progress.file, as_attachment=True, filename=progress.filename)
    run = start(by=user, name=name, func=func, params=params, title=title, total=count)
    return redirect("job", pk=run.pk)


# ------------------------------------------------------------------ exports

_ticker: contextvars.ContextVar = contextvars.ContextVar("zugong_job_ticker", default=None)


def tick(n: int = 1) -> None:
    """Count ``n`` rows as written, when a job is writing (``core.xlsx`` calls it per row)."""
    progress = _ticker.get()
    if progress is not None:
        progress.advance(n)


def run_export(request, *, name: str, builder: str, count: int, title: str):
    """An app's export: under the threshold ``builder(user, query)`` answers the download
    as before; above it the same builder runs as a job whose file the owner downloads from
    the job page. ``builder`` is the dotted path of a function taking the user and the
    page's query (a ``QueryDict``) and returning a ``FileResponse``."""
    if count <= job_threshold():
        return import_string(builder)(request.user, request.GET)
    run = start(by=request.user, name=name, func="zugong.core.jobs.export_job", title=title,
                params={"builder": builder, "query": request.GET.urlencode()}, total=count)
    return redirect("job", pk=run.pk)


def export_job(*, user, params, progress) -> str:
    """Run an export builder in the background and keep its file."""
    token = _ticker.set(progress)
    try:
        response = import_string(params["builder"])(user, QueryDict(params["query"]))
    finally:
        _ticker.reset(token)
    with response.file_to_stream as source:
        shutil.copyfileobj(source, progress.output(response.filename or "export.xlsx"))
    rows = sum(getattr(response, "row_counts", ()) or ())
    return _("%(count)s rows exported.") % {"count": rows}


# ------------------------------------------------------------------ interrupted runs

def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_interrupted(now=None) -> int:
    """Mark as failed the runs whose process died (killed, machine restarted).

    A run of this host whose process is gone is failed at once; a run elsewhere when it
    has not reported for ``ZUGONG_JOB_STALE_SECONDS``. Queued runs stay queued: the queue
    keeps them, and the consumer runs them when it is back.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=int(getattr(settings, "ZUGONG_JOB_STALE_SECONDS",
                                                          900)))
    host = socket.gethostname()
    failed = 0
    for run in JobRun.objects.filter(status=JobRun.Status.RUNNING).select_related("owner"):
        live(run)
        worker_host, _sep, pid = run.worker.rpartition(":")
        dead = (worker_host == host and pid.isdigit() and not _pid_alive(int(pid))) or (
            run.heartbeat_at is not None and run.heartbeat_at < stale)
        if not dead:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("The job was interrupted: the process running it stopped (restart or "
                       "crash). Its unfinished work was not saved; start it again.")
            if run.func:
                shutil.rmtree(jobs_dir() / str(run.pk), ignore_errors=True)
                _finish_failed(run, reason)
            else:
                JobRun.objects.filter(pk=run.pk).update(
                    status=JobRun.Status.FAILED, message=reason, finished_at=now)
        failed += 1
    return failed


def purge_results(now=None) -> int:
    """Result files are personal data: they are deleted after ``ZUGONG_JOB_KEEP_DAYS``."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=int(getattr(settings, "ZUGONG_JOB_KEEP_DAYS", 7)))
    removed = 0
    for run in JobRun.objects.exclude(result_path="").filter(finished_at__lt=cutoff):
        shutil.rmtree(jobs_dir() / str(run.pk), ignore_errors=True)
        JobRun.objects.filter(pk=run.pk).update(result_path="")
        removed += 1
    return removed


@recorded("jobs_sweep")
def jobs_sweep() -> str:
    failed = sweep_interrupted()
    removed = purge_results()
    return f"{failed} interrupted runs marked failed, {removed} old result files removed"


def on_consumer_start(huey) -> None:
    """When the consumer starts, runs its previous process left "running" are failed."""

    @huey.on_startup()
    def _sweep():
        # No connection is closed here: in the test suite the hook can run inside the
        # shared test transaction, and closing it broke every later test on PostgreSQL.
        try:
            sweep_interrupted()
        except DatabaseError:
            logger.exception("interrupted job runs could not be swept at start-up")
