"""Second factor (TOTP): enrolment, the code at sign-in, recovery codes, who must use it,
the security administrator's reset, the audit trail and the API."""

import json
import re
import time
from base64 import b32encode

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from zugong.core.models import AuditEntry
from zugong.people import services
from zugong.people.models import Role, Scope

pytestmark = pytest.mark.django_db

VERIFY = "/login/verify/"
ENROL = "/settings/two-factor/"


def code_for(device) -> str:
    """The code the app shows now; if this time step's code was used already (django-otp
    accepts each step once), the next step's, which the one-step tolerance accepts."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t - totp.t() + 1)
    return f"{totp.token():06d}"


def wrong_code(device) -> str:
    right = {code_for(device)}
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    for k in (-1, 0, 1, 2):
        totp.time = time.time() + k * device.step
        right.add(f"{totp.token():06d}")
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in right)


def rewind(device):
    """Let the current time step be used again (tests sign in more often than 30 s allow)."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)


def enrol(user):
    device = services.twofactor_enrol_start(user=user)
    codes = services.twofactor_enrol_confirm(user=user, device=device, code=code_for(device))
    device.refresh_from_db()
    rewind(device)
    return device, codes


def sign_in(client, username, next_url=None):
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post("/login/", data)


def audit(action):
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


# ---------------------------------------------------------------- enrolment

def test_a_user_enrols_by_scanning_the_code_and_confirming_a_code_from_the_app(
        cast, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the right code follows the wrong one at once
    client.force_login(cast["cadre"])
    page = client.get(ENROL)
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=cast["cadre"])
    assert not device.confirmed
    # The QR code is an inline SVG drawn on the server, without style attributes (CSP);
    # the key is there in text for typing by hand.
    svg = re.search(r"<svg[^>]*class=\"zg-qr\".*?</svg>", html, re.S).group(0)
    assert "style" not in svg and "<script" not in svg
    secret = b32encode(device.bin_key).decode().rstrip("=")
    assert secret[:4] + " " + secret[4:8] in html
    # A reload shows the same key: a code already scanned stays valid.
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=cast["cadre"]).count() == 1

    refused = client.post(ENROL, {"code": wrong_code(device)})
    assert refused.status_code == 200
    assert "验证码错误或已过期" in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    shown = client.post(ENROL, {"code": code_for(device)})
    assert shown.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    tokens = set(StaticToken.objects.filter(device__user=cast["cadre"])
                 .values_list("token", flat=True))
    assert len(tokens) == 10
    listed = re.findall(r"<li>(\w+)</li>", shown.content.decode())
    assert set(listed) == tokens
    assert [e.after for e in audit("people.twofactor.enrol")] == [
        {"device": "totp", "recovery_codes": 10}]
    # The session that enrolled is verified: it goes on without being asked for a code.
    assert client.get("/").status_code == 200
    settings_page = client.get("/settings/").content.decode()
    assert 'id="second-factor-on"' in settings_page
    # Enrolled already: the enrolment page leads back to the settings.
    assert client.get(ENROL).url == "/settings/"


def test_new_recovery_codes_replace_the_old_ones(cast, client):
    user = cast["cadre"]
    _device, old = enrol(user)
    client.force_login(user)
    client.post(VERIFY, {"code": code_for(_device)})
    response = client.post("/settings/two-factor/recovery-codes/")
    assert response.status_code == 200
    new = re.findall(r"<li>(\w+)</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) \
        == set(new)
    assert [e.after for e in audit("people.recovery_codes.regenerate")] == [{"recovery_codes": 10}]


# ---------------------------------------------------------------- signing in

def test_an_enrolled_user_needs_the_code_after_the_password(cast, client):
    device, _codes = enrol(cast["cadre"])
    response = sign_in(client, "cadre")
    assert response.status_code == 302 and response.url == "/"
    # Every page leads to the code page until the code is entered.
    for url in ("/", "/people/", "/settings/", "/password/", ENROL):
        bounced = client.get(url)
        assert bounced.status_code == 302 and bounced.url.startswith(VERIFY), url
    page = client.get(VERIFY)
    assert page.status_code == 200
    assert 'name="code"' in page.content.decode()
    assert 'id="zg-nav"' in page.content.decode()  # the bar with the sign-out button stays
    assert "我的档案" not in page.content.decode()  # but no menu before the code
    verified = client.post(VERIFY, {"code": code_for(device), "next": "/"})
    assert verified.status_code == 302 and verified.url == "/"
    assert client.get("/people/").status_code == 200
    assert [e.after for e in audit("people.twofactor.verify_success")] == [{"method": "totp"}]


def test_the_next_address_survives_the_code_page_and_stays_on_this_site(cast, client):
    device, _codes = enrol(cast["cadre"])
    response = sign_in(client, "cadre", next_url="/people/?category=managed")
    assert response.url == "/people/?category=managed"
    bounced = client.get(response.url)
    assert bounced.url.startswith(VERIFY + "?next=")
    page = client.get(bounced.url)
    assert 'value="/people/?category=managed"' in page.content.decode()
    done = client.post(VERIFY, {"code": code_for(device), "next": "/people/?category=managed"})
    assert done.url == "/people/?category=managed"

    client.post("/logout/")
    rewind(device)
    sign_in(client, "cadre")
    unsafe = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert unsafe.url == "/"


def test_a_wrong_code_is_refused_with_a_clear_message_and_audited(cast, client):
    device, _codes = enrol(cast["cadre"])
    sign_in(client, "cadre")
    response = client.post(VERIFY, {"code": wrong_code(device)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "验证码错误或已过期" in body and "还可以再试 4 次" in body
    assert client.get("/").url.startswith(VERIFY)
    failure = audit("people.twofactor.verify_failure")
    assert len(failure) == 1
    assert failure[0].actor_username == "cadre"
    assert failure[0].after == {"method": "totp", "throttled": False}


def test_django_otp_throttling_holds_back_a_quick_second_guess(cast, client):
    device, _codes = enrol(cast["cadre"])
    sign_in(client, "cadre")
    client.post(VERIFY, {"code": wrong_code(device)})
    # Within the throttle's delay even the right code is not checked.
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response.status_code == 200
    assert "错误次数过多" in response.content.decode()
    assert client.get("/").url.startswith(VERIFY)
    assert audit("people.twofactor.verify_failure")[-1].after == {"method": "totp",
                                                                  "throttled": True}


def test_five_wrong_codes_in_a_row_end_the_pending_sign_in(cast, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no waiting between the guesses here
    device, _codes = enrol(cast["cadre"])
    sign_in(client, "cadre", next_url="/people/")
    for _ in range(4):
        assert client.post(VERIFY, {"code": wrong_code(device), "next": "/people/"}) \
            .status_code == 200
    ended = client.post(VERIFY, {"code": wrong_code(device), "next": "/people/"})
    assert ended.status_code == 302 and ended.url.startswith("/login/?next=")
    assert "_auth_user_id" not in client.session
    assert "连续 5 次" in client.get(ended.url).content.decode()
    assert len(audit("people.twofactor.verify_failure")) == 5
    # The password and a right code still work afterwards.
    sign_in(client, "cadre")
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_once(cast, client):
    device, codes = enrol(cast["cadre"])
    sign_in(client, "cadre")
    typed = f"{codes[0][:4].upper()}-{codes[0][4:]}"  # as someone might copy it
    response = client.post(VERIFY, {"code": typed})
    assert response.status_code == 302
    assert "剩余 9 个" in client.get("/").content.decode()
    assert audit("people.twofactor.verify_success")[-1].after == {"method": "recovery",
                                                    "recovery_codes_left": 9}
    client.post("/logout/")

    sign_in(client, "cadre")
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200
    assert client.get("/").url.startswith(VERIFY)
    assert audit("people.twofactor.verify_failure")[-1].after == {"method": "recovery",
                                                                  "throttled": False}


# ---------------------------------------------------------------- who must use it

def test_a_role_that_requires_it_is_sent_to_enrolment_first(cast, client, settings):
    settings.ZUGONG_2FA_REQUIRED = True
    assert sign_in(client, "head", next_url="/people/").url == "/people/"
    bounced = client.get("/people/")
    assert bounced.url == ENROL + "?next=%2Fpeople%2F"
    assert client.get("/settings/").url.startswith(ENROL)
    page = client.get(bounced.url)
    assert page.status_code == 200 and "alert-warning" in page.content.decode()
    device = TOTPDevice.objects.get(user=cast["head"])
    done = client.post(ENROL, {"code": code_for(device), "next": "/people/"})
    assert done.status_code == 200
    assert 'href="/people/"' in done.content.decode()  # "continue" leads where they were going
    assert client.get("/people/").status_code == 200


@pytest.mark.parametrize("member", ["sysadmin", "secadmin", "auditor", "head", "deputy"])
def test_the_administrators_and_leaders_must_use_it_by_default(cast, client, settings, member):
    settings.ZUGONG_2FA_REQUIRED = True
    client.force_login(cast[member])
    assert client.get("/settings/").url.startswith(ENROL)


@pytest.mark.parametrize("member", ["chief", "cadre", "supervisor", "assessor"])
def test_other_roles_are_not_forced(cast, client, settings, member):
    settings.ZUGONG_2FA_REQUIRED = True
    client.force_login(cast[member])
    assert client.get("/settings/").status_code == 200


def test_the_roles_are_a_setting(cast, client, settings):
    settings.ZUGONG_2FA_REQUIRED = True
    settings.ZUGONG_2FA_ROLES = ["cadre"]
    client.force_login(cast["head"])
    assert client.get("/").status_code == 200
    client.force_login(cast["cadre"])
    assert client.get("/").url.startswith(ENROL)


def test_with_the_setting_off_nobody_is_forced_but_enrolled_users_are_asked(
        cast, client, settings):
    settings.ZUGONG_2FA_REQUIRED = False
    client.force_login(cast["head"])
    assert client.get("/").status_code == 200
    enrol(cast["deputy"])
    client.force_login(cast["deputy"])
    assert client.get("/").url.startswith(VERIFY)


def test_an_initial_password_is_changed_before_enrolment(cast, client, settings):
    settings.ZUGONG_2FA_REQUIRED = True
    user, initial = services.account_create(by=cast["sysadmin"], username="newhead")
    services.role_grant(by=cast["secadmin"], user=user, role=Role.HEAD, scope=Scope.ALL)
    client.post("/login/", {"username": "newhead", "password": initial})
    assert client.get("/").url == "/password/"
    client.post("/password/", {"old_password": initial, "new_password": "Brand#New2026",
                               "new_password2": "Brand#New2026"})
    assert client.get("/").url.startswith(ENROL)


def test_an_unknown_role_in_the_setting_fails_the_system_check(settings):
    settings.ZUGONG_2FA_ROLES = ["head", "hed"]
    with pytest.raises(SystemCheckError, match="hed"):
        call_command("check")


# ---------------------------------------------------------------- removal and reset

def test_a_user_may_remove_their_own_second_factor_with_the_password(cast, client):
    device, _codes = enrol(cast["cadre"])
    client.force_login(cast["cadre"])
    client.post(VERIFY, {"code": code_for(device)})
    wrong = client.post("/settings/two-factor/remove/", {"password": "wrong"})
    assert wrong.status_code == 302
    assert TOTPDevice.objects.filter(user=cast["cadre"]).exists()
    done = client.post("/settings/two-factor/remove/", {"password": PASSWORD})
    assert done.status_code == 302 and done.url == "/settings/"
    assert not TOTPDevice.objects.filter(user=cast["cadre"]).exists()
    assert not StaticDevice.objects.filter(user=cast["cadre"]).exists()
    assert client.get("/").status_code == 200  # this session goes on
    assert [e.before for e in audit("people.twofactor.remove")] == [{"devices": 2}]
    client.post("/logout/")
    sign_in(client, "cadre")
    assert client.get("/").status_code == 200  # no code any more


def test_removal_is_refused_when_the_role_requires_a_second_factor(cast, client, settings):
    settings.ZUGONG_2FA_REQUIRED = True
    device, _codes = enrol(cast["head"])
    client.force_login(cast["head"])
    client.post(VERIFY, {"code": code_for(device)})
    assert 'id="second-factor-required"' in client.get("/settings/").content.decode()
    refused = client.post("/settings/two-factor/remove/", {"password": PASSWORD})
    assert refused.url == "/settings/"
    assert "安全管理员" in client.get("/settings/").content.decode()
    assert TOTPDevice.objects.filter(user=cast["head"], confirmed=True).exists()
    assert not audit("people.twofactor.remove")


def test_a_session_opened_before_enrolment_must_enter_the_code_to_manage_it(cast, client):
    from django.test import Client

    client.force_login(cast["cadre"])  # signed in before the device existed
    other = Client()
    other.force_login(cast["cadre"])
    other.get(ENROL)
    device = TOTPDevice.objects.get(user=cast["cadre"])
    other.post(ENROL, {"code": code_for(device)})
    rewind(device)
    response = client.post("/settings/two-factor/recovery-codes/")
    assert response.status_code == 302 and response.url.startswith(VERIFY)
    assert client.get("/").url.startswith(VERIFY)
    assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
    assert client.get("/settings/").status_code == 200


def test_the_security_administrator_resets_a_lost_phone(cast, client, settings):
    from django.test import Client

    settings.ZUGONG_2FA_REQUIRED = True
    device, _codes = enrol(cast["head"])
    head = Client()
    sign_in(head, "head")
    head.post(VERIFY, {"code": code_for(device)})
    assert head.get("/").status_code == 200
    secadmin_device, _ = enrol(cast["secadmin"])

    client.force_login(cast["secadmin"])
    client.post(VERIFY, {"code": code_for(secadmin_device)})
    page = client.get(f"/people/accounts/{cast['head'].pk}/roles/").content.decode()
    assert 'id="reset-second-factor"' in page
    response = client.post(f"/people/accounts/{cast['head'].pk}/2fa-reset/")
    assert response.status_code == 302
    assert response.url == f"/people/accounts/{cast['head'].pk}/roles/"
    assert not TOTPDevice.objects.filter(user=cast["head"]).exists()
    assert not StaticDevice.objects.filter(user=cast["head"]).exists()
    entry = audit("people.twofactor.reset")[-1]
    assert entry.actor_username == "secadmin" and entry.object_id == str(cast["head"].pk)
    assert entry.before == {"devices": 2}

    # The head's session that the old phone verified ends; the next sign-in enrols again.
    ended = head.get("/")
    assert ended.status_code == 302 and ended.url.startswith("/login/")
    assert "_auth_user_id" not in head.session
    sign_in(head, "head")
    assert head.get("/").url.startswith(ENROL)


def test_only_the_security_administrator_may_reset_and_not_their_own(cast, client):
    enrol(cast["head"])
    url = f"/people/accounts/{cast['head'].pk}/2fa-reset/"
    for member in ("sysadmin", "auditor", "deputy", "cadre"):
        client.force_login(cast[member])
        assert client.post(url).status_code == 403, member
    assert TOTPDevice.objects.filter(user=cast["head"]).exists()
    client.force_login(cast["secadmin"])
    assert client.post("/people/accounts/999999/2fa-reset/").status_code == 404
    assert client.get(url).status_code == 405
    enrol(cast["secadmin"])
    with pytest.raises(ValidationError, match="不能重置自己"):
        services.twofactor_reset(by=cast["secadmin"], user=cast["secadmin"])
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.twofactor_reset(by=cast["sysadmin"], user=cast["head"])


def test_a_pending_sign_in_is_ended_when_the_device_is_reset_meanwhile(cast, client):
    enrol(cast["cadre"])
    sign_in(client, "cadre")
    services.twofactor_reset(by=cast["secadmin"], user=cast["cadre"])
    response = client.get(VERIFY)
    assert response.status_code == 302 and response.url == "/login/"
    assert "_auth_user_id" not in client.session


def test_the_reset_command_serves_a_department_with_one_security_administrator(cast):
    enrol(cast["secadmin"])
    call_command("twofactor_reset", "secadmin")
    assert not TOTPDevice.objects.filter(user=cast["secadmin"]).exists()
    assert audit("people.twofactor.reset")[-1].actor_username == ""
    with pytest.raises(CommandError):
        call_command("twofactor_reset", "nobody")


# ---------------------------------------------------------------- audit and API

def test_the_audit_never_holds_a_key_or_a_code(cast, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device, codes = enrol(cast["cadre"])
    sign_in(client, "cadre")
    typed = [wrong_code(device), codes[1]]
    client.post(VERIFY, {"code": typed[0]})
    ok = code_for(device)
    client.post(VERIFY, {"code": ok})
    new = re.findall(r"<li>(\w+)</li>",
                     client.post("/settings/two-factor/recovery-codes/").content.decode())
    services.twofactor_reset(by=cast["secadmin"], user=cast["cadre"])
    entries = AuditEntry.objects.filter(action__contains="twofactor") | AuditEntry.objects.filter(
        action="people.recovery_codes.regenerate")
    assert {e.action for e in entries} >= {
        "people.twofactor.enrol", "people.twofactor.verify_failure",
        "people.twofactor.verify_success", "people.recovery_codes.regenerate",
        "people.twofactor.reset"}
    dumped = json.dumps([[e.before, e.after, e.object_repr] for e in entries])
    secret = b32encode(device.bin_key).decode().rstrip("=")
    for value in [device.key, secret, secret[:8], ok, *typed, *codes, *new]:
        assert value.lower() not in dumped.lower(), value


def test_api_bearer_tokens_are_unaffected_and_a_pending_session_is_no_credential(
        cast, client, settings):
    settings.ZUGONG_2FA_REQUIRED = True
    device, _codes = enrol(cast["head"])
    _token, raw = services.token_create(user=cast["head"], name="reports")
    from django.test import Client

    bearer = Client()
    response = bearer.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200

    sign_in(client, "head")  # password only
    assert client.get("/api/v1/units").status_code == 401
    assert client.get("/api/v1/units", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get("/api/v1/units").status_code == 200
