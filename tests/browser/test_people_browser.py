"""The people pages in a real Chromium: sign-in, scope, masking, not-found, lockout, phones.

Each test runs at desktop width (1280) and phone width (375) and saves screenshots to
test-artifacts/. Assertions do not depend on the wording of the translation catalogue:
they use ids, addresses, HTTP statuses and the cast's own names.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def sign_in(page, username, password):
    """Fill in and submit the real login form; return the response to the POST."""
    page.goto("/login/")
    form = page.locator(".zg-login form")
    form.locator('input[name="username"]').fill(username)
    form.locator('input[name="password"]').fill(password)
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/login/")
    ) as posted:
        form.locator('button[type="submit"]').click()
    page.wait_for_load_state()
    return posted.value


def assert_fits(page):
    """Nothing sticks out sideways (no horizontal scrolling on a phone)."""
    sizes = page.evaluate(
        "({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["scroll"] <= sizes["inner"] + 1, f"horizontal overflow on {page.url}: {sizes}"


def fresh(person):
    from zugong.people.models import Person

    return Person.objects.get(pk=person.pk)


def test_cadre_sees_only_her_own_record_unmasked(
    page, password, live_cast, live_server, viewport, shot
):
    me = fresh(live_cast.people["cadre"])

    sign_in(page, "cadre", password)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main h1")).to_contain_text("李小红")  # the welcome
    shot("home")
    assert_fits(page)

    # The user menu leads to her own record ("我的档案"); on a phone it sits behind
    # the collapsed navbar.
    if viewport == "phone":
        page.locator(".navbar-toggler").click()
        # Wait until the collapse has finished opening: a click on the user menu during
        # the animation is lost on a busy machine.
        expect(page.locator("#zg-nav.show")).to_be_visible()
    page.locator("#zg-user").click()
    own_link = page.locator(f'.dropdown-menu a[href="/people/{me.pk}/"]')
    expect(own_link).to_be_visible()
    own_link.click()

    expect(page).to_have_url(f"{live_server.url}/people/{me.pk}/")
    expect(page.locator("#basic-info")).to_contain_text("李小红")
    expect(page.locator("#id-number")).to_have_text(me.id_number)
    assert "*" not in page.locator("#id-number").inner_text()
    shot("record")
    assert_fits(page)

    response = page.goto("/people/")
    assert response.status == 200
    rows = page.locator("#people-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("李小红")
    shot("list")
    assert_fits(page)


def test_section_chief_lists_only_own_section_with_masked_ids(
    page, password, live_cast, viewport, shot
):
    sign_in(page, "chief", password)
    response = page.goto("/people/")
    assert response.status == 200

    table = page.locator("#people-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    for name in ("张建国", "李小红"):
        expect(rows.filter(has_text=name)).to_have_count(1)
    for name in ("王磊", "龙海", "向明远"):
        expect(table).not_to_contain_text(name)

    # Another person's ID number is masked; only his own row shows his full number.
    cadre = fresh(live_cast.people["cadre"])
    cadre_row = rows.filter(has_text="李小红")
    cadre_id = cadre_row.locator("td.zg-mono").first.inner_text().strip()
    assert "*" in cadre_id
    assert cadre_id != cadre.id_number
    assert cadre_id[:4] == cadre.id_number[:4] and cadre_id[-4:] == cadre.id_number[-4:]
    expect(table).not_to_contain_text(cadre.id_number)
    expect(table).not_to_contain_text(cadre.phone)
    shot("list")
    assert_fits(page)


def test_outsider_gets_not_found_for_a_record_outside_scope(
    page, password, live_cast, viewport, shot
):
    cadre = live_cast.people["cadre"]
    sign_in(page, "outsider", password)

    response = page.goto(f"/people/{cadre.pk}/")
    assert response.status == 404
    expect(page.locator(".zg-empty h1")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("李小红")
    expect(page.locator("#basic-info")).to_have_count(0)
    shot("not-found")
    assert_fits(page)


def test_five_wrong_passwords_lock_the_account(
    page, password, live_cast, live_server, viewport, shot
):
    for attempt in range(1, 6):
        response = sign_in(page, "cadre2", "Wrong#Pass2026")
        expect(page).to_have_url(re.compile(r"/login/$"))
        # Four plain refusals; the fifth failure reaches the limit and locks at once.
        assert response.status == (200 if attempt < 5 else 403), (attempt, response.status)
        expect(page.locator(".zg-login .alert-danger").first).to_be_visible()
    shot("wrong")

    # Even the right password is refused now.
    response = sign_in(page, "cadre2", password)
    assert response.status == 403
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.locator("#zg-user")).to_have_count(0)  # no signed-in navbar
    message = page.locator("#locked-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("30")  # "locked for 30 minutes" in either language
    shot("locked")
    assert_fits(page)

    # And the home page still sends the visitor to the login page.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/"))
