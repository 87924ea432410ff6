"""A big export in a real Chromium: the head exports the people list, which becomes a
background job; the job page's progress bar follows the worker (htmx polling) to done, and
the result downloads from the page."""

import re

import pytest
from playwright.sync_api import expect

from .test_people_browser import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def queued_jobs(settings, tmp_path):
    """Jobs wait in the (in-memory) queue until the test runs them, as a worker would."""
    from huey.contrib.djhuey import HUEY

    settings.ZUGONG_JOB_THRESHOLD = 1
    settings.ZUGONG_JOB_DIR = tmp_path / "jobs"
    HUEY.immediate = False
    yield HUEY
    HUEY.immediate = True
    HUEY.flush()


def test_the_progress_bar_of_a_big_export_moves_to_done(page, password, live_cast, viewport,
                                                        shot, queued_jobs):
    from zugong.core.models import JobRun

    sign_in(page, "head", password)
    page.goto("/people/")
    page.get_by_role("link", name="导出 Excel").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    run = JobRun.objects.get(owner=live_cast["head"])
    bar = page.locator("#job-progress")
    expect(bar).to_have_attribute("value", "0")
    expect(page.locator("#job-status .badge")).to_have_text("排队中")
    shot("queued")

    # The worker takes the job and reports half of it (what Progress stores).
    half = run.total // 2
    JobRun.objects.filter(pk=run.pk).update(status=JobRun.Status.RUNNING, done=half)
    expect(bar).to_have_attribute("value", str(half))
    expect(page.locator("#job-count")).to_have_text(f"{half} / {run.total}")
    expect(page.locator("#job-status .badge")).to_have_text("运行中")
    shot("running")

    # The worker finishes it: the real export runs and stores its file.
    JobRun.objects.filter(pk=run.pk).update(status=JobRun.Status.QUEUED, done=0)
    queued_jobs.execute(queued_jobs.dequeue())
    expect(page.locator("#job-status .badge")).to_have_text("成功")
    expect(bar).to_have_attribute("value", str(run.total))
    link = page.locator("#job-result")
    expect(link).to_have_text("下载结果")
    shot("done")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    # The finished page no longer polls.
    expect(page.locator("#job-status")).not_to_have_attribute("hx-trigger", "every 1s")
