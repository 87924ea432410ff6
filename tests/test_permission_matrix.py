"""Every page and endpoint × the fixed cast → allowed / 403 / 404 as designed.

A URL added to the project without a row (here, or in its app's ``tests/matrix.py``) makes
``test_every_url_is_in_the_matrix`` fail, so no page can ship without its permission
decision written down.
"""

import datetime as dt
import importlib
import io

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from conftest import PASSWORD
from zugong.people import services
from zugong.people.models import Role, Scope

from .permissions import BUSINESS, CAST, expect, only


def _jpeg():
    buf = io.BytesIO()
    Image.new("RGB", (30, 40), "red").save(buf, "JPEG")
    buf.seek(0)
    buf.name = "p.jpg"
    buf.size = len(buf.getvalue())
    return buf


def _target(cast):
    return cast.people["cadre"]


def _resume_item(cast):
    return services.subrecord_add(by=None, person=_target(cast), kind="resume", data={
        "start": dt.date(2016, 7, 1), "end": None, "text": "泸溪县委组织部组织室科员"}).pk


def _fresh_grant(cast):
    return services.role_grant(by=None, user=cast["cadre2"], role=Role.ASSESSMENT,
                               scope=Scope.SELF).pk


def _enrolled(user):
    """Give ``user`` a confirmed authenticator (afresh each time) and return no URL args."""
    from django_otp.oath import TOTP

    services.twofactor_reset(by=None, user=user)
    device = services.twofactor_enrol_start(user=user)
    services.twofactor_enrol_confirm(user=user, device=device,
                                     code=f"{TOTP(device.bin_key).token():06d}")
    return []


_seq = iter(range(500, 998, 2))


def _new_person_payload(cast):
    seq = next(_seq) + 1
    from zugong.people import idnumber

    return {"category": "org_cadre", "name": "新同志", "sex": "1",
            "birth_date": "1996-06-06", "unit_id": cast.sec_org.pk,
            "id_number": idnumber.make("433122", dt.date(1996, 6, 6), seq)}


_unit_seq = iter(range(100, 999))


def _new_unit_payload(cast):
    return {"parent_id": cast.dept.pk, "name": "新设单位", "kind": "county_unit",
            "code": f"433122-N{next(_unit_seq)}"}


# name → (method, args builder, body builder, expected statuses)
MATRIX = {
    "home": ("get", None, None, expect(200)),
    "login": ("get", None, None, expect(302, anonymous=200)),
    "logout": ("post", None, None, expect(302, anonymous=302)),
    "password_change": ("get", None, None, expect(200)),
    "settings": ("get", None, None, expect(200)),
    "token_revoke": ("post", lambda c: [services.token_create(user=c["head"], name="t")[0].pk],
                     None, expect(404, head=302)),
    # Second factor. Everyone may enrol; the code page sends a session that owes no code on.
    "login_verify": ("get", None, None, expect(302)),
    "two_factor": ("get", None, None, expect(200)),
    # Only the head has a device here (404 for the rest). The device is enrolled after the
    # head's session signed in, so that session is asked for the code first: 302 to the
    # code page. The verified path is tested in zugong/people/tests/test_twofactor.py.
    "two_factor_recovery_codes": ("post", lambda c: _enrolled(c["head"]), None,
                                  expect(404, head=302)),
    "two_factor_remove": ("post", lambda c: _enrolled(c["head"]),
                          lambda c: {"password": PASSWORD}, expect(404, head=302)),
    "set_language": ("post", None, lambda c: {"language": "en", "next": "/"},
                     expect(302, anonymous=302)),
    "people:list": ("get", None, None, only(200, BUSINESS)),
    "people:export": ("get", None, None,
                      only(200, ("head", "deputy", "chief", "outsider", "supervisor",
                                 "assessor"))),
    "people:create": ("get", None, None, only(200, ("head", "deputy", "chief", "outsider"))),
    "people:detail": ("get", lambda c: [_target(c).pk], None,
                      expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=404,
                             outsider=404, supervisor=200, assessor=200)),
    "people:edit": ("get", lambda c: [_target(c).pk], None,
                    expect(403, head=200, deputy=200, chief=200, cadre2=404, outsider=404)),
    "people:photo": ("get", lambda c: [_target(c).pk], None,
                     expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=404,
                            outsider=404, supervisor=200, assessor=200)),
    "people:subrecord_add": ("post", lambda c: [_target(c).pk, "resume"],
                             lambda c: {"start": "2016-07-01", "text": "科员"},
                             expect(403, head=302, deputy=302, chief=302, cadre2=404,
                                    outsider=404)),
    "people:subrecord_delete": ("post", lambda c: [_target(c).pk, "resume", _resume_item(c)],
                                None,
                                expect(403, head=302, deputy=302, chief=302, cadre2=404,
                                       outsider=404)),
    "people:units": ("get", None, None, only(200, BUSINESS)),
    "people:unit_create": ("get", None, None, only(200, ("head", "outsider"))),
    "people:unit_edit": ("get", lambda c: [c.sec_org.pk], None,
                         expect(403, head=200, cadre2=404, outsider=404)),
    "people:accounts": ("get", None, None, only(200, ("sysadmin", "secadmin"))),
    "people:account_roles": ("get", lambda c: [c["cadre"].pk], None, only(200, ("secadmin",))),
    "people:account_unlock": ("post", lambda c: [c["cadre"].pk], None,
                              only(302, ("secadmin",))),
    "people:account_2fa_reset": ("post", lambda c: [c["head"].pk], None,
                                 only(302, ("secadmin",))),
    "people:role_revoke": ("post", lambda c: [_fresh_grant(c)], None, only(302, ("secadmin",))),
    "console:audit": ("get", None, None, only(200, ("auditor",))),
    "console:audit_verify": ("post", None, None, only(200, ("auditor",))),
    "console:jobs": ("get", None, None, only(200, ("sysadmin",))),
    "console:dictionaries": ("get", None, None, only(200, ("secadmin",))),
    "console:dictionary_save": ("post", None,
                             lambda c: {"table": "health", "code": "9", "name": "其他",
                                        "is_active": "on"},
                             only(302, ("secadmin",))),
    "api:openapi-json": ("get", None, None, expect(200)),
    "api:openapi-view": ("get", None, None, expect(200)),
    "api:api-root": ("get", None, None, expect(404, anonymous=404)),
    "api:list_units": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:get_unit": ("get", lambda c: [c.sec_org.pk], None,
                     expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=404,
                            outsider=404, supervisor=200, assessor=200, anonymous=401)),
    "api:create_unit": ("post", None, _new_unit_payload,
                        expect(403, head=201, outsider=422, anonymous=401)),
    "api:update_unit": ("patch", lambda c: [c.sec_org.pk], lambda c: {"position": 3},
                        expect(403, head=200, cadre2=404, outsider=404, anonymous=401)),
    "api:list_people": ("get", None, None, only(200, BUSINESS, anonymous=401)),
    "api:get_person": ("get", lambda c: [_target(c).pk], None,
                       expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=404,
                              outsider=404, supervisor=200, assessor=200, anonymous=401)),
    # A head of another county may create people, but not in a unit outside their scope.
    "api:create_person": ("post", None, _new_person_payload,
                          expect(403, head=201, deputy=201, chief=201, outsider=422,
                                 anonymous=401)),
    "api:update_person": ("patch", lambda c: [_target(c).pk],
                          lambda c: {"version": _target(c).__class__.objects.get(
                              pk=_target(c).pk).version, "current_post": "副主任科员"},
                          expect(403, head=200, deputy=200, chief=200, cadre2=404,
                                 outsider=404, anonymous=401)),
}


def _app_rows():
    """Rows that apps keep beside their own code (``zugong/<app>/tests/matrix.py``)."""
    rows = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("zugong."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.matrix")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.matrix" and exc.name != f"{config.name}.tests":
                raise
            continue
        overlap = set(rows) & set(module.ROWS)
        assert not overlap, f"matrix rows defined twice: {overlap}"
        rows.update(module.ROWS)
    return rows


MATRIX.update(_app_rows())


def _url_names():
    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x) or None
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                yield f"{namespace}:{p.name}" if namespace else p.name

    return set(_walk_names := walk(get_resolver().url_patterns))


def test_every_url_is_in_the_matrix():
    names = _url_names()
    assert None not in names and "None" not in names, "every URL needs a name"
    missing = names - set(MATRIX)
    assert not missing, f"URLs without a permission decision: {sorted(missing)}"
    assert not set(MATRIX) - names, "matrix rows for URLs that no longer exist"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name, cast, client):
    method, args_for, body_for, expected = MATRIX[name]
    services.person_update(by=None, person=_target(cast), data={}, photo=_jpeg())
    results = {}
    for member in CAST:
        client.logout()
        if member is not None:
            client.force_login(cast[member])
        url = reverse(name, args=args_for(cast) if args_for else None)
        body = body_for(cast) if body_for else {}
        if name.startswith("api:") and method != "get":
            response = getattr(client, method)(url, body, content_type="application/json")
        else:
            response = getattr(client, method)(url, body)
        results[member] = response.status_code
    mismatches = {m: (results[m], expected[m]) for m in CAST if results[m] != expected[m]}
    assert not mismatches, f"{name}: (got, expected) = {mismatches}"
