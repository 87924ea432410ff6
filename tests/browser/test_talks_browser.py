"""Talks in a real Chromium: a deputy records a talk on a phone and the matrix turns green.

Runs at desktop and phone width; screenshots go to test-artifacts/.
"""

import re

import pytest
from playwright.sync_api import expect

from .test_people_browser import assert_fits, sign_in

pytestmark = pytest.mark.browser


def test_a_deputy_records_a_talk_and_the_pair_turns_green_in_the_matrix(
        page, password, live_cast, viewport, shot):
    from zugong.talks import services

    services.default_rules(by=live_cast["head"], department=live_cast.dept)
    chief = live_cast.people["chief"]
    pair = page.locator(f'#coverage-table tr[data-pair="{live_cast.people["deputy"].pk}-'
                        f'{chief.pk}"]')

    sign_in(page, "deputy", password)
    page.goto("/talks/coverage/")
    expect(pair).to_have_attribute("data-status", "open")
    shot("before")

    page.goto("/talks/")
    page.locator("#add-talk").click()
    page.locator('select[name="with_people"]').select_option(str(chief.pk))
    page.locator('textarea[name="summary"]').fill("交流组织室年度工作和个人思想状况")
    if viewport == "phone":
        assert_fits(page)
    page.locator("#save-talk").click()
    expect(page).to_have_url(re.compile(r"/talks/$"))
    expect(page.locator("#my-talks")).to_contain_text(chief.name)

    page.goto("/talks/coverage/")
    expect(pair).to_have_attribute("data-status", "met")
    expect(pair).to_have_class("zg-cov-met")
    color = pair.locator("td").first.evaluate("e => getComputedStyle(e).backgroundColor")
    assert color == "rgb(232, 245, 233)"  # the green of a pair that has talked
    if viewport == "phone":
        assert_fits(page)
    shot("after")
