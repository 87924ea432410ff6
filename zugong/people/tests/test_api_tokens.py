"""The API honours every account control (issue 13 point 6): lockout, forced password
change, token expiry, listing and revocation by the owner and the security administrator,
revocation on a password change or a disabled account."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from zugong.core.models import AuditEntry
from zugong.people import services
from zugong.people.models import ApiToken, RevokeReason, User

pytestmark = pytest.mark.django_db


def _token(user, name="test"):
    return services.token_create(user=user, name=name)


def _get(client, url, raw):
    return client.get(url, headers={"Authorization": f"Bearer {raw}"})


def _delete(client, url, raw):
    return client.delete(url, headers={"Authorization": f"Bearer {raw}"})


def test_a_locked_accounts_tokens_stop_while_it_is_locked(cast, client):
    _t, raw = _token(cast["chief"])
    assert _get(client, "/api/v1/units", raw).status_code == 200
    for _ in range(5):
        client.post("/login/", {"username": "chief", "password": "wrong-password"})
    response = _get(client, "/api/v1/units", raw)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    services.account_unlock(by=cast["secadmin"], user=cast["chief"])
    assert _get(client, "/api/v1/units", raw).status_code == 200


def test_a_forced_password_change_blocks_the_api_session_and_tokens(cast, client):
    user = cast["cadre"]
    _t, raw = _token(user)
    User.objects.filter(pk=user.pk).update(must_change_password=True)
    for response in (_get(client, "/api/v1/units", raw),):
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "password_change_required"
    client.force_login(User.objects.get(pk=user.pk))
    response = client.get("/api/v1/units")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "password_change_required"


def test_an_expired_password_blocks_the_api_session(cast, client):
    user = cast["cadre"]
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=400))
    client.force_login(User.objects.get(pk=user.pk))
    assert client.get("/api/v1/units").json()["error"]["code"] == "password_change_required"


def test_tokens_expire_after_the_configured_days(cast, client, settings):
    settings.ZUGONG_API_TOKEN_DAYS = 30
    token, raw = _token(cast["chief"])
    assert (token.expires_at - token.created_at) == dt.timedelta(days=30)
    assert _get(client, "/api/v1/units", raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert _get(client, "/api/v1/units", raw).status_code == 401


def test_the_default_life_is_ninety_days(cast):
    token, _raw = _token(cast["chief"])
    assert (token.expires_at - token.created_at) == dt.timedelta(days=90)


def test_the_owner_lists_and_revokes_tokens_through_the_api(cast, client):
    mine, raw = _token(cast["chief"], "脚本")
    other, _other_raw = _token(cast["head"], "别人的")
    listed = _get(client, "/api/v1/tokens", raw).json()
    assert [t["name"] for t in listed] == ["脚本"]
    assert listed[0]["expires_at"] and listed[0]["expired"] is False
    # Someone else's token is not found, whatever its id.
    assert _delete(client, f"/api/v1/tokens/{other.pk}", raw).status_code == 404
    assert _delete(client, f"/api/v1/tokens/{mine.pk}", raw).status_code == 204
    mine.refresh_from_db()
    assert mine.revoked_at and mine.revoke_reason == RevokeReason.OWNER
    assert _get(client, "/api/v1/tokens", raw).status_code == 401


def test_the_owner_revokes_on_the_settings_page(cast, client):
    token, raw = _token(cast["cadre"])
    client.force_login(cast["cadre"])
    page = client.get("/settings/").content.decode()
    # The page shows the local (Asia/Shanghai) date, which differs from UTC's after 16:00.
    expires = timezone.localtime(token.expires_at).strftime("%Y-%m-%d")
    assert token.prefix in page and expires in page
    assert client.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 302
    client.logout()
    assert _get(client, "/api/v1/units", raw).status_code == 401


def test_the_security_administrator_lists_and_revokes_anyones_tokens(cast, client):
    token, raw = _token(cast["chief"], "泄露的")
    _s, sec_raw = _token(cast["secadmin"])
    listed = _get(client, f"/api/v1/accounts/{cast['chief'].pk}/tokens", sec_raw).json()
    assert [t["prefix"] for t in listed] == [token.prefix]
    # Nobody else may: the chief asking for the head's tokens is refused.
    _c, chief_raw = _token(cast["chief"], "second")
    assert _get(client, f"/api/v1/accounts/{cast['head'].pk}/tokens",
                chief_raw).status_code == 403
    response = _delete(client, f"/api/v1/accounts/{cast['chief'].pk}/tokens/{token.pk}",
                       sec_raw)
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoke_reason == RevokeReason.SECURITY
    assert token.revoked_by_id == cast["secadmin"].pk
    assert _get(client, "/api/v1/units", raw).status_code == 401
    entry = AuditEntry.objects.filter(action="people.token.revoke").latest("pk")
    assert entry.actor_id == cast["secadmin"].pk


def test_the_security_administrator_revokes_on_the_account_page(cast, client):
    token, raw = _token(cast["chief"])
    client.force_login(cast["secadmin"])
    page = client.get(f"/people/accounts/{cast['chief'].pk}/roles/").content.decode()
    assert token.prefix in page
    url = f"/people/accounts/{cast['chief'].pk}/tokens/{token.pk}/revoke/"
    assert client.post(url).status_code == 302
    # The token id under another account is not found.
    other, _raw = _token(cast["head"])
    assert client.post(f"/people/accounts/{cast['chief'].pk}/tokens/{other.pk}/revoke/"
                       ).status_code == 404
    client.logout()
    assert _get(client, "/api/v1/units", raw).status_code == 401


def test_a_password_change_revokes_every_token(cast, client):
    _a, raw_a = _token(cast["chief"], "a")
    _b, raw_b = _token(cast["chief"], "b")
    services.password_change(user=cast["chief"], new_password="Another#Pass2026")
    assert _get(client, "/api/v1/units", raw_a).status_code == 401
    assert _get(client, "/api/v1/units", raw_b).status_code == 401
    assert set(ApiToken.objects.filter(user=cast["chief"]).values_list(
        "revoke_reason", flat=True)) == {RevokeReason.PASSWORD}


def test_disabling_an_account_revokes_its_tokens(cast, client):
    token, raw = _token(cast["chief"])
    client.force_login(cast["sysadmin"])
    response = client.post(f"/people/accounts/{cast['chief'].pk}/active/", {"active": "0"})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoke_reason == RevokeReason.DISABLED
    # Re-enabling does not bring the token back.
    services.account_set_active(by=cast["sysadmin"], user=User.objects.get(pk=cast["chief"].pk),
                                active=True)
    client.logout()
    assert _get(client, "/api/v1/units", raw).status_code == 401


def test_nobody_else_disables_an_account(cast, client):
    client.force_login(cast["secadmin"])
    assert client.post(f"/people/accounts/{cast['chief'].pk}/active/",
                       {"active": "0"}).status_code == 403
    assert User.objects.get(pk=cast["chief"].pk).is_active


def test_a_session_api_write_without_csrf_gets_the_error_shape(cast, client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast["head"])
    response = strict.patch(f"/api/v1/units/{cast.sec_org.pk}", json.dumps({"position": 2}),
                            content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
