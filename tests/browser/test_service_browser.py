"""Service in a real Chromium on a phone (375 px): a cadre records a visit to the paired
village, the public's problem raised on it is solved with evidence and rated (issue 20,
"a browser test, on a phone, of a visit that ends with a problem solved").

Screenshots go to test-artifacts/.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .test_people_browser import assert_fits, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def viewport():
    """Phone width only: the cadre records visits on the spot, on a phone."""
    return "phone"


def test_a_cadre_records_a_visit_on_a_phone_and_its_problem_ends_solved(
        page, password, live_cast, shot):
    from zugong.service import services
    from zugong.service.models import Problem

    village = services.point_create(by=live_cast["cadre"], kind="village", name="白沙村",
                                    on=dt.date(2026, 1, 1))
    sign_in(page, "cadre", password)
    page.goto("/service/")
    assert_fits(page)
    page.locator("#add-visit").click()
    page.locator('select[name="kind"]').select_option("village")
    page.locator('select[name="point"]').select_option(str(village.pk))
    page.locator('textarea[name="heard"]').fill("村民反映村道路灯损坏，夜间出行不便。")
    page.locator('input[name="problem"]').fill("村道路灯损坏")
    assert_fits(page)
    shot("visit")
    page.locator('#visit-form button[type="submit"]').click()

    # The visit leads straight to the problem it raised.
    expect(page).to_have_url(re.compile(r"/service/problems/\d+/$"))
    expect(page.locator("#status")).to_have_text("已受理")
    page.locator('#solve-form textarea[name="evidence"]').fill("已协调镇政府更换路灯，附现场照片。")
    assert_fits(page)
    page.locator('#solve-form button[type="submit"]').click()
    expect(page.locator("#status")).to_have_text("已解决")

    page.locator('#rate-form select[name="satisfaction"]').select_option("satisfied")
    page.locator('#rate-form button[type="submit"]').click()
    expect(page.locator("#status")).to_have_text("群众已评价")
    expect(page.locator("#satisfaction")).to_contain_text("满意")
    assert_fits(page)
    shot("solved")

    problem = Problem.objects.get()
    assert (problem.status, problem.visit.point_id) == ("rated", village.pk)
    page.goto("/service/problems/?status=solved")
    expect(page.locator("#problems-table")).to_have_count(0)
    page.goto("/service/problems/?status=rated")
    expect(page.locator("#problems-table")).to_contain_text("村道路灯损坏")
    assert_fits(page)
