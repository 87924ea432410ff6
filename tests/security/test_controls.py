"""The security checklist as tests (issue 13 point 11): one test per control, named after
it. docs/security.md lists each control with the test here that proves it.

The deeper cases stay beside the code they test (people/tests/test_security.py,
core/tests/test_audit*.py, ...); each test here checks its control end to end.
"""

import io
import json
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django_otp.oath import TOTP
from openpyxl import load_workbook

from conftest import PASSWORD
from zugong.core.audit import audit_record, audit_verify
from zugong.core.crypto import SoftwareProvider, provider
from zugong.core.models import AuditEntry
from zugong.people import services
from zugong.people.models import Person, Role, Scope

pytestmark = pytest.mark.django_db

V1 = "v1:00112233445566778899aabbccddeeff"  # the key the test database starts with
V2 = "v2:8f1e2d3c4b5a69788796a5b4c3d2e1f0"


def _login(client, username, password=PASSWORD):
    return client.post("/login/", {"username": username, "password": password})


def _bearer(user):
    return {"Authorization": "Bearer " + services.token_create(user=user, name="t")[1]}


# ---------------------------------------------------------------- identity and sessions

def test_control_passwords(cast):
    """Complexity, no reuse of the last five, a forced change when old or initial."""
    user = cast["cadre"]
    for weak in ("short1A", "alllowercase1", "12345678"):
        with pytest.raises(ValidationError):
            services.password_change(user=user, new_password=weak)
    services.password_change(user=user, new_password="First#Pass1")
    with pytest.raises(ValidationError):
        services.password_change(user=user, new_password=PASSWORD)
    user.must_change_password = True
    assert user.password_change_required()


def test_control_lockout(cast, client):
    """Five failures lock the username (pages and API tokens alike) until unlocked."""
    headers = _bearer(cast["chief"])
    for _ in range(5):
        _login(client, "chief", "wrong-password")
    assert _login(client, "chief").status_code == 403
    assert client.get("/api/v1/units", headers=headers).status_code == 401
    assert AuditEntry.objects.filter(action="core.login.locked_out",
                                     actor_username="chief").exists()
    services.account_unlock(by=cast["secadmin"], user=cast["chief"])
    assert client.get("/api/v1/units", headers=headers).status_code == 200
    assert _login(client, "chief").status_code == 302


def test_control_second_factor(cast, client):
    """An enrolled user reaches nothing, the API included, before the code."""
    user = cast["cadre"]
    device = services.twofactor_enrol_start(user=user)
    services.twofactor_enrol_confirm(user=user, device=device,
                                     code=f"{TOTP(device.bin_key).token():06d}")
    assert _login(client, "cadre").status_code == 302
    assert client.get("/people/").url.startswith("/login/verify/")
    assert client.get("/api/v1/units").status_code == 401


def test_control_sessions(cast, client, settings):
    """Idle timeout, and logout deletes the server-side session."""
    settings.ZUGONG_IDLE_TIMEOUT_SECONDS = 60
    _login(client, "cadre")
    session = client.session
    session["_zg_last_seen"] = int(time.time()) - 120
    session.save()
    assert client.get("/").url.startswith("/login/")
    _login(client, "cadre")
    key = client.session.session_key
    client.post("/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_control_api_tokens(cast, client, settings):
    """Tokens expire, are revoked on a password change, and are refused while a password
    change is owed."""
    settings.ZUGONG_API_TOKEN_DAYS = 1
    token, raw = services.token_create(user=cast["chief"], name="t")
    assert (token.expires_at - token.created_at).days == 1
    services.password_change(user=cast["chief"], new_password="Other#Pass2026")
    assert client.get("/api/v1/units",
                      headers={"Authorization": f"Bearer {raw}"}).status_code == 401


# ---------------------------------------------------------------- authorisation

def test_control_san_yuan_separation(cast, client):
    """三员分立: no administrator does another's duty or reads cadre records."""
    with pytest.raises(PermissionDenied):
        services.account_create(by=cast["secadmin"], username="x1")
    with pytest.raises(PermissionDenied):
        services.role_grant(by=cast["sysadmin"], user=cast["cadre"], role=Role.HEAD,
                            scope=Scope.ALL)
    with pytest.raises(ValidationError):
        services.role_grant(by=cast["secadmin"], user=cast["cadre"], role=Role.AUDITOR,
                            scope=Scope.ALL)
    for admin in ("sysadmin", "secadmin", "auditor"):
        client.force_login(cast[admin])
        assert client.get(f"/people/{cast.people['cadre'].pk}/").status_code in (403, 404)
        assert client.get("/api/v1/people").status_code == 403


def test_control_scope_and_idor(cast, client):
    """Another department's record is 404 on pages and in the API, like a missing one."""
    target = cast.people["cadre"]
    client.force_login(cast["outsider"])
    for url in (f"/people/{target.pk}/", f"/people/{target.pk}/edit/",
                f"/api/v1/people/{target.pk}"):
        assert client.get(url).status_code == 404, url
    missing = client.get("/api/v1/people/999999999").json()
    assert client.get(f"/api/v1/people/{target.pk}").json() == missing


def test_control_csrf(cast):
    """A session write without the CSRF token is refused, in the API with its error shape."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast["head"])
    page = strict.post(f"/people/{cast.people['cadre'].pk}/resume/add/",
                       {"start": "2016-07-01", "text": "x"})
    assert page.status_code == 403
    api = strict.patch(f"/api/v1/units/{cast.sec_org.pk}", json.dumps({"position": 2}),
                       content_type="application/json")
    assert api.status_code == 403 and api.json()["error"]["code"] == "csrf_failed"


# ---------------------------------------------------------------- audit

def test_control_audit_completeness(cast, client):
    """Writes, sign-ins and refusals leave entries with actor, address and action."""
    client.post("/login/", {"username": "head", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert AuditEntry.objects.filter(action="core.login.success", actor_username="head",
                                     ip="10.1.2.3").exists()
    headers = _bearer(cast["head"])
    client.patch(f"/api/v1/units/{cast.sec_org.pk}", json.dumps({"position": 7}),
                 content_type="application/json", headers=headers)
    assert AuditEntry.objects.filter(action="people.unit.update",
                                     actor_username="head").exists()
    client.force_login(cast["outsider"])
    client.get(f"/people/{cast.people['cadre'].pk}/")
    assert AuditEntry.objects.filter(action="core.request.refused",
                                     actor_username="outsider").exists()


def test_control_audit_immutability(cast):
    """The database refuses UPDATE and DELETE; the chain verifies and catches a cut tail."""
    audit_record(action="core.test.one")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.update(object_repr="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.all().delete()
    assert audit_verify().ok


# ---------------------------------------------------------------- cryptography

def test_control_encryption_at_rest(cast):
    """ID and phone numbers are SM4 ciphertext in the table, not plaintext."""
    person = cast.people["cadre"]
    with connection.cursor() as cur:
        cur.execute("SELECT * FROM people_person")
        dump = repr(cur.fetchall())
    assert person.name in dump
    assert person.id_number not in dump and person.phone not in dump


def test_control_blind_index(cast):
    """Exact search by ID number works through a keyed HMAC-SM3 index."""
    person = cast.people["cadre"]
    index = provider().blind_index(person.id_number)
    assert Person.objects.get(id_number_index=index).pk == person.pk
    assert SoftwareProvider(V2).blind_index(person.id_number) != index


def test_control_key_rotation(cast, settings, capsys):
    """v1 → v2, re-encrypt, retire v1: every value reads and the chain verifies."""
    person = cast.people["cadre"]
    try:
        settings.ZUGONG_FIELD_KEYS = f"{V2},{V1}"
        provider.cache_clear()
        call_command("reencrypt")
        settings.ZUGONG_FIELD_KEYS = V2
        provider.cache_clear()
        assert Person.objects.get(pk=person.pk).id_number == person.id_number
        assert audit_verify().ok
    finally:
        provider.cache_clear()


def test_control_sm3_known_answers():
    """GB/T 32905-2016 appendix A: "abc" and "abcd" × 16."""
    def sm3(data):
        digest = hashes.Hash(hashes.SM3())
        digest.update(data)
        return digest.finalize().hex()

    assert sm3(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert sm3(b"abcd" * 16) == (
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")


def test_control_sm4_known_answers():
    """GB/T 32907-2016 appendix A.1: key = plaintext = 0123456789abcdeffedcba9876543210."""
    key = bytes.fromhex("0123456789abcdeffedcba9876543210")
    # One bare block is what the standard's vector is for; the product itself uses GCM.
    cipher = Cipher(algorithms.SM4(key), modes.ECB())  # noqa: S305  # nosec B305
    enc = cipher.encryptor()
    assert (enc.update(key) + enc.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"
    dec = cipher.decryptor()
    assert dec.update(bytes.fromhex("681edf34d206965e86b3e94f536e4246")) + dec.finalize() == key


# ---------------------------------------------------------------- masking and headers

def test_control_masking_in_logs():
    """The access log carries no ID number or query value."""
    from zugong.core.tests.test_logs import _access_line

    line = _access_line("/people/?id_number=11010519491231002X&q=x")
    assert "11010519491231002X" not in line and "id_number=***" in line


def test_control_masking_in_exports(cast, client):
    """A reader without the sensitive capability gets masked ID numbers in exports."""
    client.force_login(cast["chief"])
    response = client.get("/people/export.xlsx", {"sex": "2"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
                .iter_rows(values_only=True))
    assert "*" in rows[1][7] and cast.people["cadre"].id_number not in repr(rows)


def test_control_masking_in_audit_values(cast):
    """The auditor's view of an entry never carries an ID number in clear."""
    person = cast.people["cadre"]
    services.person_update(by=cast["head"], person=Person.objects.get(pk=person.pk),
                           data={"phone": "13900001111"})
    entry = AuditEntry.objects.filter(action="people.person.update").latest("seq")
    assert "13900001111" not in repr(entry.after) + repr(entry.before)


def test_control_headers(cast, client):
    """CSP, frame denial, no sniffing; cookies flagged; no server banner of the framework."""
    response = client.get("/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]

