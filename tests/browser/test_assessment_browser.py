"""Assessment in a real Chromium: a cadre scores her peers on a phone, the assessment office
closes the plan, the cadre sees her result and acknowledges it.

Runs at desktop and phone width; screenshots go to test-artifacts/.
"""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from .test_people_browser import assert_fits, sign_in

pytestmark = pytest.mark.browser


def test_cadre_scores_peers_the_office_closes_and_the_cadre_acknowledges(
        page, password, live_cast, viewport, shot):
    from django.utils import timezone

    from conftest import make_person
    from zugong.assessment import services
    from zugong.assessment.models import Assessee, RaterGroup, Voted
    from zugong.assessment.tests.helpers import ballots_counted

    today = timezone.localdate()
    # A third member of the 组织室, so that the cadre has two peers to score.
    make_person(live_cast.sec_org, "彭丽", sex="2")
    plan = services.plan_create(by=live_cast["assessor"], department=live_cast.dept, data={
        "name": f"{today.year}年度考核", "kind": "annual", "period": str(today.year),
        "window_start": today - dt.timedelta(days=1), "window_end": today + dt.timedelta(days=7)},
        units=[live_cast.sec_org])
    services.group_weights_set(by=None, plan=plan, weights={RaterGroup.CHIEF: 60,
                                                            RaterGroup.PEERS: 40})
    services.indicator_add(by=None, plan=plan, name="政治素质", weight=50, max_score=100)
    services.indicator_add(by=None, plan=plan, name="工作实绩", weight=50, max_score=100)
    services.plan_open(by=None, plan=plan, version=plan.version)

    sign_in(page, "cadre", password)
    page.goto("/assessment/")
    page.locator('.zg-score-link[data-group="peers"]').click()
    expect(page.locator("#anonymous-note")).to_be_visible()
    cards = page.locator(".zg-score-card")
    expect(cards).to_have_count(2)
    if viewport == "phone":
        assert_fits(page)
    shot("sheet")
    # First a score above the maximum: refused beside the field, nothing saved.
    inputs = page.locator('#score-form input[type="number"]')
    for i in range(inputs.count()):
        inputs.nth(i).fill("88")
    inputs.first.fill("150")
    page.locator("#submit-scores").click()
    expect(page.locator(".invalid-feedback").first).to_have_text("分数高于满分 100。")
    assert not ballots_counted()
    page.locator('#score-form input[type="number"]').first.fill("95")
    page.locator("#submit-scores").click()
    expect(page).to_have_url(re.compile(r"/assessment/$"))
    expect(page.locator(".alert-success")).to_be_visible()
    assert ballots_counted() == 2 and Voted.objects.count() == 1

    page.context.clear_cookies()
    sign_in(page, "assessor", password)
    page.goto(f"/assessment/plans/{plan.pk}/")
    if viewport == "phone":
        assert_fits(page)
    page.locator("#progress-link").click()
    expect(page.locator('[data-group="chief"]')).to_contain_text("李小红")
    page.goto(f"/assessment/plans/{plan.pk}/")
    page.locator("#close-plan").click()
    # Closing asks for confirmation and shows the progress; each missing rating needs a
    # reason (nobody in the chief's group has rated yet).
    expect(page.locator("#close-progress")).to_be_visible()
    if viewport == "phone":
        assert_fits(page)
    shot("close")
    gaps = page.locator('#close-confirm input[name^="gap-"]')
    assert gaps.count() > 0
    for i in range(gaps.count()):
        gaps.nth(i).fill("评分窗口内未评分")
    page.locator("#close-confirm #close-plan").click()
    expect(page.locator("#plan-status")).to_have_text("已结束")
    # The office decides how each incomplete person is graded (audited); here: missing
    # groups count as 0 where nothing was rated, else the rated groups are re-weighted.
    from zugong.assessment.models import GapDecision

    groups = {g.group for g in plan.groups.all()}
    for a in Assessee.objects.filter(plan=plan, incomplete=True):
        decision = (GapDecision.ZERO if set(a.detail.get("missing_groups", [])) >= groups
                    else GapDecision.REWEIGHT)
        services.gap_decide(by=live_cast["assessor"], assessee=a, decision=decision,
                            reason="评分窗口内未评分")
    page.reload()
    page.locator("#results-link").click()
    expect(page.locator("#results-table tbody tr")).to_have_count(3)
    shot("results")

    page.context.clear_cookies()
    sign_in(page, "cadre", password)
    page.goto("/assessment/")
    page.locator("#my-results a").first.click()
    expect(page.locator("#result-grade")).to_be_visible()
    if viewport == "phone":
        assert_fits(page)
    page.locator("#acknowledge").click()
    expect(page.locator("#acknowledged")).to_be_visible()
    shot("acknowledged")
    mine = Assessee.objects.get(plan=plan, person=live_cast.people["cadre"])
    assert mine.acknowledged_at is not None
