"""Archive viewing in a real Chromium (issue 17, point 7): the section chief asks to read a
cadre's supervision archive, the head approves, the chief reads it, and once the access
ends the archive closes by itself. At phone width nothing sticks out sideways."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .test_people_browser import assert_fits, sign_in

pytestmark = pytest.mark.browser


def test_request_approve_read_and_expiry_of_an_archive(page, password, live_cast,
                                                       viewport, shot):
    from django.utils import timezone

    from zugong.core.audit import SYSTEM
    from zugong.supervision import services
    from zugong.supervision.models import ArchiveRequest

    cadre = live_cast.people["cadre"]
    services.measure_record(by=SYSTEM, person=cadre, kind="reminder",
                            on=dt.date(2026, 3, 2), source="daily",
                            facts="提醒其注意八小时外交往")

    sign_in(page, "chief", password)
    page.goto("/supervision/archive/")
    page.locator("#archive-new").click()
    page.locator('select[name="person"]').select_option(str(cadre.pk))
    page.locator('textarea[name="reason"]').fill("拟推荐为后备干部，需了解其监督情况")
    if viewport == "phone":
        assert_fits(page)
    page.locator("#archive-send").click()
    expect(page).to_have_url(re.compile(r"/supervision/archive/\d+/$"))
    expect(page.locator("#archive-status")).to_contain_text("待审批")
    request_url = page.url
    shot("asked")

    page.context.clear_cookies()
    sign_in(page, "head", password)
    page.goto("/supervision/archive/")
    page.locator("#to-decide a").first.click()
    page.locator('input[name="approve"][value="yes"]').check()
    if viewport == "phone":
        assert_fits(page)
    page.locator("#decide-save").click()
    expect(page.locator("#archive-status")).to_contain_text("可查阅至")
    shot("approved")

    page.context.clear_cookies()
    sign_in(page, "chief", password)
    page.goto(request_url)
    page.locator("#archive-open").click()
    expect(page.locator("#archive-measures")).to_contain_text("提醒其注意八小时外交往")
    if viewport == "phone":
        assert_fits(page)
    shot("read")
    read_url = page.url

    # The access ends: nothing revokes it, the read checks the time.
    ArchiveRequest.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    page.goto(read_url)
    expect(page.locator("#archive-closed")).to_contain_text("查阅期限已于")
    expect(page.locator("body")).not_to_contain_text("提醒其注意八小时外交往")
    page.goto(request_url)
    expect(page.locator("#archive-views")).not_to_contain_text("尚未查阅")
    if viewport == "phone":
        assert_fits(page)
    shot("expired")
