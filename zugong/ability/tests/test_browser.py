"""青蓝 mentoring in a real Chromium on a phone (375 px): the mentee logs the month's
check-in and the section chief, her mentor, sees it on the list and on the pair's page.

Uses the browser fixtures of tests/browser (the system Chromium against the live server);
screenshots go to test-artifacts/.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

# The fixtures of tests/browser, imported so this app's browser test lives with the app.
from tests.browser.conftest import (  # noqa: F401
    browser,
    live_cast,
    page,
    password,
    root_conftest,
    shot,
)
from tests.browser.test_people_browser import assert_fits, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def viewport():
    """Cadres log their check-ins on a phone: this test runs at 375 px only."""
    return "phone"


def test_a_mentee_logs_a_check_in_on_a_phone_and_the_chief_sees_it(
        page, password, live_cast, shot):  # noqa: F811
    from zugong.ability import services

    today = timezone.localdate()
    pair = services.pair_create(by=live_cast["head"], department=live_cast.dept,
                                section=live_cast.sec_org, mentor=live_cast.people["chief"],
                                mentee=live_cast.people["cadre"],
                                started_on=today - dt.timedelta(days=60),
                                goal_work="一年内独立承担党员发展工作")
    note = "交流本月学习体会，讨论发展对象政审材料的写法"
    # The machine running the suite may be shared: allow a slow first page.
    page.set_default_timeout(60_000)

    sign_in(page, "cadre", password)
    page.goto("/ability/mentoring/")
    page.locator("#pairs-table").get_by_role("link", name="李小红").click()
    expect(page).to_have_url(re.compile(rf"/ability/mentoring/{pair.pk}/$"))
    form = page.locator("#checkin-form")
    form.locator('input[name="on"]').fill(today.isoformat())
    form.locator('textarea[name="note"]').fill(note)
    assert_fits(page)
    shot("mentee-form")
    form.get_by_role("button").click()
    expect(page.locator("#checkins-table")).to_contain_text(note, timeout=60_000)
    assert_fits(page)

    page.context.clear_cookies()
    sign_in(page, "chief", password)
    page.goto("/ability/mentoring/")
    row = page.locator("#pairs-table tbody tr", has_text="李小红")
    expect(row).to_contain_text(today.strftime("%Y-%m-%d"))  # the last check-in
    expect(row.locator('td[data-label="谈心交流"]')).to_have_text("1")
    row.get_by_role("link", name="李小红").click()
    expect(page.locator("#checkins-table")).to_contain_text(note)
    assert_fits(page)
    shot("chief-sees")
