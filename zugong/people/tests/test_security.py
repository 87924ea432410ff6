"""Security baseline: passwords, lockout, idle timeout, forced change, headers, deploy mode."""

import os
import subprocess
import sys
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import PASSWORD
from zugong.people import services
from zugong.people.models import Role, Scope, User

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


@pytest.mark.parametrize("password", ["short1A", "alllowercase1", "NoDigitsHere", "12345678"])
def test_weak_passwords_are_refused(cast, password):
    with pytest.raises(ValidationError):
        services.password_change(user=cast["cadre"], new_password=password)


def test_the_last_five_passwords_cannot_be_reused(cast):
    user = cast["cadre"]
    history = ["First#Pass1", "Second#Pass2", "Third#Pass3", "Fourth#Pass4", "Fifth#Pass5"]
    for pw in history:
        services.password_change(user=user, new_password=pw)
    for old in [PASSWORD, *history]:
        with pytest.raises(ValidationError):
            services.password_change(user=user, new_password=old)
    services.password_change(user=user, new_password="Sixth#Pass6")


def test_five_failures_lock_the_username_for_thirty_minutes(cast, client):
    for _ in range(5):
        assert _login(client, "cadre2", "wrong-password").status_code in (200, 403)
    locked = _login(client, "cadre2", PASSWORD)
    assert locked.status_code == 403
    assert "锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another username from the same address is not affected: the lock is per username.
    assert _login(client, "cadre", PASSWORD).status_code == 302


def test_the_security_administrator_can_unlock_an_account(cast, client):
    for _ in range(5):
        _login(client, "cadre2", "wrong-password")
    services.account_unlock(by=cast["secadmin"], user=cast["cadre2"])
    assert _login(client, "cadre2", PASSWORD).status_code == 302


def test_an_initial_password_must_be_changed_before_anything_else(cast, client):
    user, initial = services.account_create(by=cast["sysadmin"], username="newcomer")
    services.role_grant(by=cast["secadmin"], user=user, role=Role.CADRE, scope=Scope.ALL)
    assert _login(client, "newcomer", initial).status_code == 302
    assert client.get("/people/").url == "/password/"
    response = client.post("/password/", {"old_password": initial,
                                          "new_password": "Brand#New2026",
                                          "new_password2": "Brand#New2026"})
    assert response.status_code == 302
    assert client.get("/people/").status_code == 200


def test_an_expired_password_must_be_changed(cast, client, settings):
    user = cast["cadre"]
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - timezone.timedelta(days=91))
    client.force_login(user)
    assert client.get("/").url == "/password/"


def test_an_idle_session_ends_after_the_timeout(cast, client, settings):
    settings.ZUGONG_IDLE_TIMEOUT_SECONDS = 60
    client.force_login(cast["cadre"])
    assert client.get("/").status_code == 200
    session = client.session
    session["_zg_last_seen"] = int(time.time()) - 120
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_a_session_ends_after_its_absolute_lifetime_even_when_active(cast, client, settings):
    settings.SESSION_COOKIE_AGE = 3600
    client.force_login(cast["cadre"])
    assert client.get("/").status_code == 200
    session = client.session
    session["_zg_started"] = int(time.time()) - 3700
    session["_zg_last_seen"] = int(time.time()) - 5
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/login/")


def test_logout_ends_the_server_side_session(cast, client):
    _login(client, "cadre", PASSWORD)
    key = client.session.session_key
    client.post("/logout/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


def test_pages_carry_csp_and_secure_headers(cast, client):
    response = client.get("/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_a_post_without_csrf_token_is_refused(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast["head"])
    response = strict.post(f"/people/{cast.people['cadre'].pk}/resume/add/",
                           {"start": "2016-07-01", "text": "x"})
    assert response.status_code == 403


def test_san_yuan_administrators_cannot_do_each_others_jobs(cast):
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.account_create(by=cast["secadmin"], username="x1")
    with pytest.raises(Exception):  # noqa: B017
        services.role_grant(by=cast["sysadmin"], user=cast["cadre"], role=Role.HEAD,
                            scope=Scope.ALL)
    with pytest.raises(ValidationError):
        services.role_grant(by=cast["secadmin"], user=cast["secadmin"], role=Role.AUDITOR,
                            scope=Scope.ALL)
    with pytest.raises(ValidationError):
        services.role_grant(by=cast["secadmin"], user=cast["auditor"], role=Role.SYSADMIN,
                            scope=Scope.ALL)
    with pytest.raises(ValidationError):
        services.role_grant(by=cast["secadmin"], user=cast["cadre"], role=Role.AUDITOR,
                            scope=Scope.ALL)


def test_a_deputy_needs_the_sections_in_charge(cast):
    with pytest.raises(ValidationError):
        services.role_grant(by=cast["secadmin"], user=cast["cadre2"], role=Role.DEPUTY,
                            scope=Scope.CUSTOM)


def _run_settings(env_extra, *args):
    env = {k: v for k, v in os.environ.items()
           if k not in ("SECRET_KEY", "ZUGONG_FIELD_KEYS", "ZUGONG_TESTING",
                        "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(env_extra)
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "zugong.cli", *args], env=env, capture_output=True, text=True,
        timeout=600,  # a hang guard, not a speed test: a busy machine migrates for minutes
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run_settings({"ZUGONG_ENV": "production", "ZUGONG_DATA_DIR": str(tmp_path)},
                           "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        "ZUGONG_ENV": "production", "ZUGONG_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 20 + "Zq8!vN3#pL0@xR5$wT7%yU2^bM9&cH4*",
        "ZUGONG_FIELD_KEYS": "v1:8f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "ALLOWED_HOSTS": "zugong.example.gov.cn",
        # Its own database: the suite's DATABASE_URL names a server database the tests
        # never create (they use test_<name>).
        "DATABASE_URL": f"sqlite:///{tmp_path / 'zugong.sqlite3'}",
    }
    # A deployment is only clean with a recent backup (zugong.W101).
    for command in (("migrate", "-v", "0"), ("backup",)):
        done = _run_settings(env, *command)
        assert done.returncode == 0, done.stdout + done.stderr
    result = _run_settings(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
