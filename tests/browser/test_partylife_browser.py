"""The 组织生活会 flow in a real Chromium at phone width (issue 18): the head prepares the
meeting (links a talk, records an opinion), a member writes her checking material, finds
her own problem, criticizes a colleague and sets her measure, submits the evidence, and her
section chief verifies and closes it."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .test_people_browser import assert_fits, sign_in

pytestmark = pytest.mark.browser


def _as(page, username, password):
    page.context.clear_cookies()
    sign_in(page, username, password)


@pytest.mark.parametrize("viewport", ["phone"])
def test_the_organization_life_meeting_from_preparation_to_a_closed_measure(
        page, password, live_cast, viewport, shot):
    from zugong.partylife import services
    from zugong.talks import services as talks

    held = timezone.localdate() - dt.timedelta(days=10)
    people = live_cast.people
    meeting = services.meeting_record(
        by=live_cast["head"], unit=live_cast.dept, kind="org_life", held_on=held,
        title="年度组织生活会", chair=people["head"],
        present=[people[n] for n in ("head", "chief", "cadre", "cadre2")])
    talk = talks.talk_record(by=live_cast["head"], with_people=[people["cadre"]],
                             held_on=held - dt.timedelta(days=5), kind="heart",
                             summary="会前谈心")
    url = f"/partylife/meetings/{meeting.pk}/"

    # Preparation: the head links the talk and records an opinion.
    _as(page, "head", password)
    page.goto(url)
    page.locator('#flow-talk select[name="talk_id"]').select_option(str(talk.pk))
    page.locator("#flow-talk button").click()
    expect(page.locator("#prep-talks")).to_contain_text(people["cadre"].name)
    opinion = page.locator("#flow-opinion")
    opinion.locator('input[name="source"]').fill("服务对象")
    opinion.locator('textarea[name="content"]').fill("办事效率有待提高")
    opinion.locator("button").click()
    expect(page.locator("#flow-prep")).to_contain_text("办事效率有待提高")
    assert_fits(page)

    # The member, on her phone: material, her own problem, a criticism.
    _as(page, "cadre", password)
    page.goto(url)
    page.locator("#flow-material textarea").fill("对照党章党规查摆，理论学习不够深入。")
    page.locator("#flow-material button").click()
    expect(page.locator("#materials")).to_contain_text(people["cadre"].name)
    page.locator('#flow-problem textarea[name="description"]').fill("理论学习不够系统深入")
    page.locator("#flow-problem button").click()
    criticism = page.locator("#flow-criticism")
    criticism.locator('select[name="receiver"]').select_option(str(people["cadre2"].pk))
    criticism.locator('textarea[name="content"]').fill("建议多下基层调研")
    criticism.locator("button").click()
    expect(page.locator("#criticisms")).to_contain_text("建议多下基层调研")
    assert_fits(page)
    shot("meeting")

    # Her problem gets a measure; she reports what was done.
    page.locator("#meeting-problems a").first.click()
    form = page.locator("#measure-form")
    form.locator('select[name="owner"]').select_option(str(people["cadre"].pk))
    form.locator('textarea[name="action"]').fill("制定个人学习计划，每月精读一本理论书籍")
    form.locator('input[name="deadline"]').fill(
        (timezone.localdate() + dt.timedelta(days=30)).isoformat())
    form.locator("button").click()
    page.locator("#measures a").first.click()
    expect(page).to_have_url(re.compile(r"/partylife/measures/\d+/$"))
    measure_url = page.url
    page.locator('#submit-form textarea[name="evidence"]').fill("已制定学习计划并执行")
    page.locator("#submit-form button").click()
    expect(page.locator("#state")).to_have_text("待验收")
    assert_fits(page)

    # Her section chief verifies and closes it.
    _as(page, "chief", password)
    page.goto(measure_url)
    page.locator('#verify-form select[name="passed"]').select_option("1")
    page.locator("#verify-form button").click()
    expect(page.locator("#state")).to_have_text("已销号")
    expect(page.locator("#closed")).to_contain_text(people["chief"].name)
    assert_fits(page)
    shot("closed")
