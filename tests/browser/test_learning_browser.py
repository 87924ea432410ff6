"""Learning in a real Chromium: a cadre logs study on a phone, the chief confirms it.

Runs at desktop and phone width; screenshots go to test-artifacts/.
"""

import re

import pytest
from playwright.sync_api import expect

from .test_people_browser import assert_fits, sign_in

pytestmark = pytest.mark.browser

NOTE = "学习《中国共产党组织工作条例》，坚持党管干部原则。"  # 2 + 11 + 8 = 21 characters counted


def figure(page, rule):
    return page.locator(f'#progress [data-rule="{rule}"] .zg-figure')


def test_cadre_logs_study_and_a_note_and_sees_progress_then_the_chief_confirms(
        page, password, live_cast, viewport, shot):
    from django.utils import timezone

    from zugong.learning import services
    from zugong.learning.models import ReviewStatus, StudyNote, StudySession

    regime = services.regime_create(by=live_cast["head"], department=live_cast.dept, name="",
                                    preset="hanbin",
                                    valid_from=timezone.localdate().replace(month=1, day=1))
    services.regime_settings(by=live_cast["head"], regime=regime, version=regime.version,
                             count_unconfirmed=True, remind_days=5, copy_threshold="0.5")

    sign_in(page, "cadre", password)
    page.goto("/learning/")
    expect(figure(page, 1)).to_have_text("0")
    expect(figure(page, 2)).to_have_text("0")
    shot("before")

    page.locator("#add-study").click()
    page.locator('input[name="hours"]').fill("1.5")
    page.locator('input[name="topic"]').fill("学习二十届三中全会精神")
    if viewport == "phone":
        assert_fits(page)
    page.locator("#save-record").click()
    expect(page).to_have_url(re.compile(r"/learning/$"))
    expect(figure(page, 1)).to_have_text("1.5")

    page.locator("#add-note").click()
    page.locator('input[name="title"]').fill("读书笔记")
    page.locator('textarea[name="text"]').fill(NOTE)
    page.locator("#save-record").click()
    expect(figure(page, 2)).to_have_text("21")
    if viewport == "phone":
        assert_fits(page)
    shot("after")
    assert StudySession.objects.get().status == ReviewStatus.PENDING

    page.context.clear_cookies()
    sign_in(page, "chief", password)
    page.goto("/learning/records/?kind=study&status=pending")
    page.locator("input.zg-pick").first.check()
    page.locator("#confirm-selected").click()
    expect(page.locator(".alert-success")).to_be_visible()
    shot("confirmed")
    assert StudySession.objects.get().status == ReviewStatus.CONFIRMED
    assert StudyNote.objects.get().status == ReviewStatus.PENDING
