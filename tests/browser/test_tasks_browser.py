"""The task ledger in a real Chromium: a cadre updates a task on a phone-sized screen, the
deputy in charge approves a monthly sign-off, the head opens the weekly dispatch."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .test_people_browser import assert_fits, sign_in

pytestmark = pytest.mark.browser


def test_cadre_updates_a_task_the_deputy_approves_a_sign_off_the_head_dispatches(
        page, password, live_cast, viewport, shot):
    from django.utils import timezone

    from zugong.tasks import services
    from zugong.tasks.models import ItemStatus, MonthlyItem

    today = timezone.localdate()
    task = services.task_create(by=live_cast["head"], title="村级党组织换届筹备",
                                section=live_cast.sec_org, lead=live_cast.people["cadre"],
                                deputy=live_cast.people["deputy"],
                                start=today - dt.timedelta(days=7),
                                deadline=today + dt.timedelta(days=20))
    services.task_create(by=live_cast["head"], title="干部档案专项审核",
                         section=live_cast.sec_cadre, lead=live_cast.people["cadre2"],
                         start=today - dt.timedelta(days=7),
                         deadline=today + dt.timedelta(days=3))
    item = services.monthly_item_add(by=live_cast["chief"], section=live_cast.sec_org,
                                     month=today.strftime("%Y-%m"), title="完成换届摸底",
                                     task=task)
    services.monthly_signoff(by=live_cast["chief"], item=item, note="摸底报告已报送")

    sign_in(page, "cadre", password)
    page.goto("/tasks/")
    page.get_by_role("link", name="村级党组织换届筹备").click()
    page.locator('input[name="percent"]').fill("40")
    page.locator('textarea[name="text"]').fill("完成12个村摸底")
    if viewport == "phone":
        assert_fits(page)
    shot("cadre-update")
    page.locator("#entry-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/tasks/{task.pk}/$"))
    expect(page.locator("#task-progress")).to_have_text("40%")
    expect(page.locator("#ledger")).to_contain_text("完成12个村摸底")
    if viewport == "phone":
        assert_fits(page)

    page.context.clear_cookies()
    sign_in(page, "deputy", password)
    page.goto(f"/tasks/monthly/?month={today:%Y-%m}")
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator("#monthly-items .zg-item-status").first).to_have_text("已销号")
    shot("deputy-approved")
    assert MonthlyItem.objects.get(pk=item.pk).status == ItemStatus.APPROVED

    page.context.clear_cookies()
    sign_in(page, "head", password)
    page.goto("/tasks/dispatch/")
    expect(page.locator("#dispatch-summary")).to_contain_text("在办任务2项，本周未更新1项")
    expect(page.get_by_text("干部档案专项审核")).to_be_visible()
    if viewport == "phone":
        assert_fits(page)
    shot("head-dispatch")
