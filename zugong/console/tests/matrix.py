"""Permission-matrix rows of the notices pages (gathered by tests/test_permission_matrix.py).

Everybody who is signed in has a notices page of their own, administrators included (they
may receive system notices); a notice opens only for its recipient, and for everyone else
it does not exist (404), so ids cannot be probed. A background job, its progress and its
result file are likewise its owner's alone.
"""

from tests.permissions import expect


def _cadre_notice(cast):
    from zugong.core.notices import notify

    person = cast.people["cadre"]
    return [notify(recipients=[cast["cadre"]], kind="console.matrix.test", title="学习提醒",
                   url=f"/people/{person.pk}/")[0].pk]


def _cadre_job(cast):
    """A finished background job of the cadre's, with its result file: only the cadre sees
    its page, its progress and its file; for everybody else it does not exist."""
    from django.utils import timezone

    from zugong.core import jobs
    from zugong.core.models import JobRun

    run = JobRun.objects.create(name="console.matrix", owner=cast["cadre"], title="导出",
                                status=JobRun.Status.SUCCEEDED, started_at=timezone.now(),
                                finished_at=timezone.now(), result_name="名单.xlsx")
    folder = jobs.jobs_dir() / str(run.pk)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "result").write_bytes(b"PK")
    JobRun.objects.filter(pk=run.pk).update(result_path=f"{run.pk}/result")
    return [run.pk]


ROWS = {
    "notices": ("get", None, None, expect(200)),
    "notices_read": ("post", None, None, expect(302, anonymous=302)),
    "notice_open": ("get", _cadre_notice, None, expect(404, cadre=302)),
    "job": ("get", _cadre_job, None, expect(404, cadre=200)),
    "job_status": ("get", _cadre_job, None, expect(404, cadre=200)),
    "job_file": ("get", _cadre_job, None, expect(404, cadre=200)),
}
