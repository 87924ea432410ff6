"""Big imports and exports run as background jobs: progress, a notice linking the result,
the file served only to its owner, and a failure recorded in Chinese."""

import errno
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from zugong.core import jobs
from zugong.core.models import JobRun, Notice
from zugong.interop.models import ImportBatch
from zugong.people.models import Person

CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def big(settings, tmp_path):
    """Every selection counts as big, and results go to a private folder."""
    settings.ZUGONG_JOB_THRESHOLD = 1
    settings.ZUGONG_JOB_DIR = tmp_path / "jobs"
    return settings


@pytest.fixture
def saved_progress(monkeypatch):
    """Each (done, total) the job stored for the page to read."""
    seen = []
    original = jobs.Progress._save

    def spy(self, force=False):
        original(self, force)
        # What the job page reads (the import's row is written only at its commit).
        run = jobs.live(JobRun.objects.get(pk=self.run.pk))
        row = (run.done, run.total)
        if not seen or seen[-1] != row:
            seen.append(row)

    monkeypatch.setattr(jobs.Progress, "_save", spy)
    return seen


def _run_url(response) -> int:
    assert response.status_code == 302, response.content[:300]
    match = re.fullmatch(r"/jobs/(\d+)/", response["Location"])
    assert match, response["Location"]
    return int(match.group(1))


def test_a_big_workbook_export_runs_as_a_job_and_only_its_owner_gets_the_file(
        cast, big, client_for, saved_progress, django_capture_on_commit_callbacks):
    client = client_for(cast["head"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("interop:workbook_export"))
    pk = _run_url(response)
    run = JobRun.objects.get(pk=pk)
    from zugong.interop.selectors import exportable_people

    count = exportable_people(user=cast["head"]).count()
    assert run.owner == cast["head"] and run.status == JobRun.Status.SUCCEEDED
    assert run.done == run.total == count > 1
    # The page saw the job move: more than one stored step, ending at the total.
    assert len(saved_progress) > 1 and saved_progress[-1] == (count, count)
    assert saved_progress[0][0] < count

    notice = Notice.objects.get(recipient=cast["head"], kind=jobs.NOTICE_DONE)
    assert notice.url == reverse("job_file", args=[pk])
    page = client.get(reverse("job", args=[pk])).content.decode()
    assert "下载结果" in page and 'hx-trigger="every 1s"' not in page
    download = client.get(notice.url)
    assert download.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    assert book.sheetnames

    for other in ("chief", "sysadmin", "cadre"):
        stranger = client_for(cast[other])
        assert stranger.get(notice.url).status_code == 404
        assert stranger.get(reverse("job", args=[pk])).status_code == 404
        assert stranger.get(reverse("job_status", args=[pk])).status_code == 404


def test_a_small_export_still_downloads_at_once(cast, client_for, settings):
    settings.ZUGONG_JOB_THRESHOLD = 10_000
    response = client_for(cast["head"]).get(reverse("interop:people_lrmx"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert not JobRun.objects.filter(owner=cast["head"]).exists()


def _upload_batch(client, cast, lrmx_file) -> ImportBatch:
    response = client.post(reverse("interop:lrmx_import"), {
        "files": [SimpleUploadedFile(n, lrmx_file(n)) for n in ("basic.lrmx", "bom.lrmx")],
        "unit": cast.county_unit.pk, "category": "managed"})
    assert response.status_code == 302
    return ImportBatch.objects.get(created_by=cast["head"])


def test_a_big_import_is_confirmed_in_a_job_that_links_the_batch(
        cast, big, client_for, lrmx_file, saved_progress, django_capture_on_commit_callbacks):
    client = client_for(cast["head"])
    batch = _upload_batch(client, cast, lrmx_file)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("interop:confirm", args=[batch.pk]),
                               {"apply": ["0", "1"]})
    run = JobRun.objects.get(pk=_run_url(response))
    assert run.status == JobRun.Status.SUCCEEDED, run.message
    assert Person.objects.filter(name="彭丽").exists()
    assert saved_progress[-1] == (2, 2)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    notice = Notice.objects.get(recipient=cast["head"], kind=jobs.NOTICE_DONE)
    assert notice.url == reverse("interop:preview", args=[batch.pk])
    assert "导入" in run.message


def test_a_failing_import_job_records_why_in_chinese_and_writes_nothing(
        cast, big, client_for, lrmx_file, django_capture_on_commit_callbacks):
    client = client_for(cast["head"])
    batch = _upload_batch(client, cast, lrmx_file)
    before = Person.objects.count()
    # Another tab discards the batch after the job was queued but before it ran.
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(reverse("interop:confirm", args=[batch.pk]),
                               {"apply": ["0", "1"]})
    from zugong.interop import services

    services.batch_discard(by=cast["head"], batch=batch)
    for callback in queued:
        callback()
    run = JobRun.objects.get(pk=_run_url(response))
    assert run.status == JobRun.Status.FAILED
    assert CHINESE.search(run.message) and "batch" not in run.message
    assert "Traceback" not in run.message
    assert Person.objects.count() == before
    notice = Notice.objects.get(recipient=cast["head"], kind=jobs.NOTICE_FAILED)
    assert notice.url == reverse("job", args=[run.pk]) and notice.body == run.message
    page = client.get(reverse("job_status", args=[run.pk])).content.decode()
    assert run.message in page and "alert-danger" in page


def test_a_full_disk_during_an_export_fails_the_job_with_a_chinese_reason(
        cast, big, client_for, monkeypatch, django_capture_on_commit_callbacks):
    def full(self, filename):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jobs.Progress, "output", full)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast["head"]).get(reverse("interop:people_lrmx"))
    run = JobRun.objects.get(pk=_run_url(response))
    assert run.status == JobRun.Status.FAILED
    assert "磁盘" in run.message and "No space" not in run.message
    assert not (big.ZUGONG_JOB_DIR / str(run.pk)).exists()
