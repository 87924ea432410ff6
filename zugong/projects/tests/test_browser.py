"""Innovation projects in a real Chromium on a phone (375 px): the guiding section records
this month's follow-up of a project, and a cadre submits a 好信息 chosen among her own
learning records (issue 20, points 5, 6 and 8: pages that work on a phone).

The browser fixtures are the project's (tests/browser/conftest.py), imported here so the
test lives with the app. Screenshots go to test-artifacts/.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import browser, live_cast, page, password, root_conftest, shot
from tests.browser.test_people_browser import assert_fits, sign_in

pytestmark = pytest.mark.browser
__all__ = ["browser", "live_cast", "page", "password", "root_conftest", "shot"]


@pytest.fixture
def viewport():
    """Phone width only: follow-ups and ideas are recorded on the spot, on a phone."""
    return "phone"


def test_the_guiding_section_records_a_monthly_follow_up_on_a_phone(page, password,
                                                                      live_cast, shot):
    from zugong.core.audit import SYSTEM
    from zugong.projects import services
    from zugong.projects.models import FollowUp

    today = timezone.localdate()
    start = today - dt.timedelta(days=40)
    project = services.project_declare(by=SYSTEM, person=live_cast.people["cadre"],
                                       unit=live_cast.sec_org, title="党员积分制管理",
                                       summary="探索党员积分管理", on=start)
    project = services.project_classify(by=SYSTEM, project=project, version=project.version,
                                        category="party", guiding_section=live_cast.sec_org,
                                        on=start)
    sign_in(page, "chief", password)
    page.goto("/projects/coverage/")
    row = page.locator("#coverage-table tr", has_text="党员积分制管理")
    expect(row).to_contain_text("跟踪了解")  # this month's follow-up still owed
    assert_fits(page)
    row.get_by_role("link", name="党员积分制管理").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    form = page.locator("#followup-form")
    form.locator('select[name="kind"]').select_option("monthly")
    form.locator('input[name="on"]').fill(today.isoformat())
    form.locator('textarea[name="note"]').fill("了解推进情况，建议细化任务清单。")
    assert_fits(page)
    shot("follow-up")
    form.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.locator("#followups")).to_contain_text("了解推进情况，建议细化任务清单。")
    expect(page.locator("#followups")).to_contain_text("张建国")
    assert_fits(page)

    made = FollowUp.objects.get()
    assert (made.project_id, made.kind, made.on, made.person_id) == (
        project.pk, "monthly", today, live_cast.people["chief"].pk)
    # This month is kept: the coverage page no longer lists the follow-up as owed.
    page.goto("/projects/coverage/")
    row = page.locator("#coverage-table tr", has_text="党员积分制管理")
    expect(row.locator("td").last).not_to_contain_text("跟踪了解")
    assert_fits(page)
    shot("coverage")


def test_a_cadre_submits_good_information_from_her_learning_records_on_a_phone(
        page, password, live_cast, shot):
    from django.apps import apps

    from zugong.projects.models import Idea

    item = apps.get_model("learning", "Writing").objects.create(
        person=live_cast.people["cadre"], on=timezone.localdate(), kind="info",
        title="某镇推行党员积分制的做法", status="confirmed")
    sign_in(page, "cadre", password)
    page.goto("/projects/ideas/")
    assert_fits(page)
    form = page.locator("#idea-form")
    # A typed idea without its content is refused beside the field, in Chinese.
    form.locator('select[name="kind"]').select_option("idea")
    form.locator('input[name="title"]').fill("建立干部实绩档案季度更新机制")
    form.locator('button[type="submit"]').click()
    expect(page.locator("#idea-form")).to_contain_text("请填写内容。")
    assert_fits(page)
    # The 好信息 is chosen, not typed again.
    form = page.locator("#idea-form")
    form.locator('select[name="kind"]').select_option("info")
    form.locator('input[name="title"]').fill("")
    form.locator('select[name="writing_id"]').select_option(str(item.pk))
    shot("idea")
    form.locator('button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/projects/ideas/\d+/$"))
    expect(page.locator("h1")).to_have_text("某镇推行党员积分制的做法")
    expect(page.locator("#writing a")).to_have_attribute(
        "href", f"/learning/records/writing/{item.pk}/")
    expect(page.locator("#status")).to_have_text("已报送")
    assert_fits(page)
    shot("submitted")
    idea = Idea.objects.get()
    assert (idea.kind, idea.writing_id, idea.title) == ("info", item.pk, "")
