"""The second factor in a real Chromium: a head, for whom it is required, signs in, enrols an
authenticator by reading the key off the page, keeps the recovery codes, signs out, and signs
in again with the password and a code."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from .test_people_browser import assert_fits, sign_in

pytestmark = pytest.mark.browser


def _code(key: bytes, step: int) -> str:
    totp = TOTP(key)
    totp.time = step * 30
    return f"{totp.token():06d}"


def _sign_out(page, viewport):
    if viewport == "phone":
        page.locator(".navbar-toggler").click()
        expect(page.locator("#zg-nav.show")).to_be_visible()
    page.locator("#zg-user").click()
    page.locator('form[action="/logout/"] button').click()
    expect(page).to_have_url(re.compile(r"/login/$"))


def test_head_enrols_an_authenticator_then_signs_in_with_a_code(
        page, password, live_cast, live_server, viewport, shot, settings):
    settings.ZUGONG_2FA_REQUIRED = True

    sign_in(page, "head", password)
    # The head's role requires a second factor: the first page is the enrolment.
    expect(page).to_have_url(re.compile(r"/settings/two-factor/"))
    expect(page.locator("#enrol svg.zg-qr")).to_be_visible()
    assert page.locator("#zg-nav .me-auto .nav-link").count() == 0  # no menu yet
    shot("enrol")
    assert_fits(page)

    # "Cannot scan? Enter this key by hand": the key as an authenticator app would take it.
    key = b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
    enrolled_at = int(time.time()) // 30
    page.locator('input[name="code"]').fill(_code(key, enrolled_at))
    page.locator("#enrol button[type=submit]").click()

    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    shot("recovery-codes")
    assert_fits(page)
    page.locator("#recovery-continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main h1")).to_contain_text("向明远")

    _sign_out(page, viewport)

    # Password first, then the code page.
    sign_in(page, "head", password)
    expect(page).to_have_url(re.compile(r"/login/verify/"))
    shot("verify")
    assert_fits(page)
    # Each time step's code is accepted once: the next one (within the tolerance) if the
    # enrolment used the current one.
    step = max(int(time.time()) // 30, enrolled_at + 1)
    page.locator('input[name="code"]').fill(_code(key, step))
    page.locator("#verify-form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main h1")).to_contain_text("向明远")
    response = page.goto("/people/")
    assert response.status == 200
