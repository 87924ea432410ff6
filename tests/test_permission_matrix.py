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

from conftest import PASSWORD, make_person
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


def _head_token(cast):
    return services.token_create(user=cast["head"], name="t")[0].pk


def _chief_token(cast):
    return services.token_create(user=cast["chief"], name="t")[0].pk


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
    "people:delete": ("post", lambda c: [make_person(c.sec_org, "误录人员").pk], None,
                      expect(403, head=302, deputy=302, chief=302, cadre=404, cadre2=404,
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
    # Re-enabling an enabled account changes nothing, so the cast stays usable.
    "people:account_active": ("post", lambda c: [c["cadre"].pk], lambda c: {"active": "1"},
                              only(302, ("sysadmin",))),
    "people:account_token_revoke": ("post", lambda c: [c["chief"].pk, _chief_token(c)], None,
                                    only(302, ("secadmin",))),
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
    "api:list_tokens": ("get", None, None, expect(200, anonymous=401)),
    "api:revoke_token": ("delete", lambda c: [_head_token(c)], None,
                         expect(404, head=204, anonymous=401)),
    "api:list_account_tokens": ("get", lambda c: [c["chief"].pk], None,
                                only(200, ("secadmin",), anonymous=401)),
    "api:revoke_account_token": ("delete", lambda c: [c["chief"].pk, _chief_token(c)], None,
                                 only(204, ("secadmin",), anonymous=401)),
    "api:get_person": ("get", lambda c: [_target(c).pk], None,
                       expect(403, head=200, deputy=200, chief=200, cadre=200, cadre2=404,
                              outsider=404, supervisor=200, assessor=200, anonymous=401)),
    "api:delete_person": ("delete", lambda c: [make_person(c.sec_org, "误录人员").pk], None,
                          expect(403, head=204, deputy=204, chief=204, cadre=404, cadre2=404,
                                 outsider=404, anonymous=401)),
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


# ------------------------------------------------------------------ generic cases
#
# The cases below apply to every row of the matrix (or to every row they concern), so a new
# page is held to them as soon as it has its row.

MISSING_ID = 999_999_999
REFUSED = (403, 404)


def _call(client, name, method, args, body):
    url = reverse(name, args=args)
    if name.startswith("api:") and method != "get":
        return getattr(client, method)(url, body, content_type="application/json")
    return getattr(client, method)(url, body or {})


def _login(client, cast, member):
    client.logout()
    if member is not None:
        client.force_login(cast[member])


def _set_up(name, cast):
    """The row's arguments and body, built the way ``test_permission_matrix`` builds them."""
    method, args_for, body_for, expected = MATRIX[name]
    services.person_update(by=None, person=_target(cast), data={}, photo=_jpeg())
    return method, list(args_for(cast)) if args_for else [], body_for, expected


def _ids_in(args):
    return [i for i, a in enumerate(args) if isinstance(a, int) and not isinstance(a, bool)]


def _generic_404(client):
    return client.get("/no-such-page-in-zugong/")


def _main(response):
    """The page's own content (the frame around it shows the path and a CSRF token)."""
    html = response.content.decode()
    start, end = html.find("<main"), html.find("</main>")
    assert 0 <= start < end, "a page without its <main>"
    return html[start:end]


def _same_404(name, response, reference, generic):
    """Both are 404; API answers carry the same JSON, pages are the generic 404 page."""
    assert response.status_code == 404
    if name.startswith("api:"):
        return response.json() == reference.json()
    return _main(response) == _main(generic)


# Rows whose some member is told 404 for a record out of their scope.
OUT_OF_SCOPE_ROWS = sorted(n for n, row in MATRIX.items() if 404 in
                           {s for m, s in row[3].items() if m is not None})


@pytest.mark.django_db
@pytest.mark.parametrize("name", OUT_OF_SCOPE_ROWS)
def test_a_missing_id_answers_exactly_like_an_id_out_of_scope(name, cast, client):
    method, args, body_for, expected = _set_up(name, cast)
    positions = _ids_in(args)
    if not positions:
        pytest.skip("the URL takes no id (the scope comes from the body or the session)")
    out_of_scope = [m for m in CAST if m is not None and expected[m] == 404]
    allowed = [m for m in CAST if m is not None and expected[m] < 400]
    problems = []
    for member in out_of_scope + allowed:
        _login(client, cast, member)
        generic = _generic_404(client)
        assert generic.status_code == 404
        body = body_for(cast) if body_for else {}
        reference = _call(client, name, method, args, body) if member in out_of_scope else None
        if reference is not None:
            if not _same_404(name, reference, reference, generic):
                problems.append((member, "out of scope", reference.status_code))
        for i in positions:
            missing = list(args)
            missing[i] = MISSING_ID
            body = body_for(cast) if body_for else {}
            response = _call(client, name, method, missing, body)
            if response.status_code != 404:
                problems.append((member, f"missing id at {i}", response.status_code))
                continue
            if reference is None and name.startswith("api:"):
                reference = response  # compared with the first missing answer
            if not _same_404(name, response, reference or response, generic):
                problems.append((member, f"missing id at {i}", "another 404 body",
                                 response.content[-300:]))
    assert not problems, f"{name}: {problems}"


def _row_counts():
    """Rows of every model of the project; the audit log without its read entries and
    without the record of the refusal itself (``core.request.refused``, issue 13's log of
    every 403/404), which is the one row a refused request must leave."""
    from zugong.core.models import AuditEntry, AuditPayload

    counts = {}
    for model in apps.get_models():
        if not model._meta.app_config.name.startswith("zugong.") or model._meta.proxy:
            continue
        qs = model._base_manager.all()
        if model is AuditEntry:
            qs = qs.exclude(action__endswith="view").exclude(action="core.request.refused")
        if model is AuditPayload:  # the values of those same entries
            qs = qs.exclude(entry__action__endswith="view").exclude(
                entry__action="core.request.refused")
        counts[model._meta.label] = qs.count()
    return counts


WRITE_ROWS = sorted(n for n, row in MATRIX.items() if row[0] != "get"
                    and {s for m, s in row[3].items() if m is not None} & set(REFUSED))


@pytest.mark.django_db
@pytest.mark.parametrize("name", WRITE_ROWS)
def test_nothing_is_written_when_a_write_is_refused(name, cast, client):
    method, args, body_for, expected = _set_up(name, cast)
    refused = [m for m in CAST if m is not None and expected[m] in REFUSED]
    if expected[None] in (302, 401):
        refused.append(None)
    assert refused
    written = {}
    for member in refused:
        _login(client, cast, member)
        body = body_for(cast) if body_for else {}
        before = _row_counts()
        response = _call(client, name, method, args, body)
        after = _row_counts()
        assert response.status_code == expected[member], (member, response.status_code)
        changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
        if changed:
            written[member] = changed
    assert not written, f"{name} wrote after refusing: {written}"


# Every list that takes a person or unit filter: (URL name, query parameter, whose id, and
# a known failure to mark as expected: none is left).
FILTERS = [
    ("people:list", "unit", "unit", None),
    ("people:export", "unit", "unit", None),
    ("api:list_people", "unit", "unit", None),
    ("api:list_units", "under", "unit", None),
    ("interop:people_lrmx", "unit", "unit", None),
    ("interop:workbook_export", "unit", "unit", None),
    ("learning:records", "person", "person", None),
    ("learning:records", "unit", "unit", None),
    ("learning:records_export", "person", "person", None),
    ("learning:records_export", "unit", "unit", None),
    ("learning:compliance", "unit", "unit", None),
    ("api:list_records", "person", "person", None),
    ("api:get_compliance", "person", "person", None),
    ("api:get_compliance", "unit", "unit", None),
    ("talks:list", "person", "person", None),
    ("talks:export", "person", "person", None),
    ("api:list_talks", "person", "person", None),
    ("tasks:board", "unit", "unit", None),
    ("assessment:notes", "person", "person", None),
    ("assessment:history", "person", "person", None),
    ("supervision:measures", "person", "person", None),
    ("supervision:measures_export", "person", "person", None),
    ("api:list_supervision_measures", "person", "person", None),
    ("supervision:reports", "person", "person", None),
    ("api:list_supervision_reports", "person", "person", None),
    # Every records page a figure links to takes ?unit= (reports).
    ("ability:lectures", "unit", "unit", None),
    ("ability:trainings", "unit", "unit", None),
    ("ability:mentoring", "unit", "unit", None),
    ("ability:competitions", "unit", "unit", None),
    ("ability:topics", "unit", "unit", None),
    ("ability:ranking", "unit", "unit", None),
    ("service:problems", "unit", "unit", None),
    ("service:visits", "unit", "unit", None),
    ("service:deliveries", "unit", "unit", None),
    ("service:deeds", "unit", "unit", None),
    ("service:liaisons", "unit", "unit", None),
    ("service:orders", "unit", "unit", None),
    ("service:coverage", "unit", "unit", None),
    ("projects:list", "unit", "unit", None),
    ("projects:coverage", "unit", "unit", None),
    ("projects:ideas", "unit", "unit", None),
    ("projects:adoptions", "unit", "unit", None),
    ("talks:list", "unit", "unit", None),
    ("talks:visits", "unit", "unit", None),
    ("talks:coverage", "unit", "unit", None),
    ("care:activities", "unit", "unit", None),
    ("care:birthdays", "unit", "unit", None),
    ("care:leave", "unit", "unit", None),
    ("talent:matters", "unit", "unit", None),
    ("talent:talents", "unit", "unit", None),
    ("talent:team", "unit", "unit", None),
    ("supervision:integrity_overview", "unit", "unit", None),
    ("supervision:leads", "unit", "unit", None),
    ("supervision:measures", "unit", "unit", None),
    ("supervision:observations", "unit", "unit", None),
    ("supervision:ratings", "unit", "unit", None),
    ("supervision:reports", "unit", "unit", None),
    ("supervision:studies", "unit", "unit", None),
    ("partylife:meetings", "unit", "unit", None),
    ("partylife:problems", "unit", "unit", None),
    ("partylife:measures", "unit", "unit", None),
    ("api:list_service_deliveries", "person", "person", None),
    ("api:list_service_deliveries", "unit", "unit", None),
    ("api:list_service_deeds", "person", "person", None),
    ("api:list_service_deeds", "unit", "unit", None),
]
OUTSIDE_NAMES = ("龙海", "凤凰县委组织部")


def test_every_filter_row_names_a_url_of_the_matrix():
    assert {name for name, _p, _k, _known in FILTERS} <= set(MATRIX)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "param", "kind"), [
    pytest.param(n, p, k, id=f"{n}?{p}=",
                 marks=[pytest.mark.xfail(reason=known, strict=True)] if known else [])
    for n, p, k, known in FILTERS])
def test_a_filter_on_someone_out_of_scope_answers_404_without_naming_them(name, param, kind,
                                                                         cast, client):
    method, args, _body_for, _expected = _set_up(name, cast)
    assert method == "get"
    outside = ([cast.people["outsider"].pk] if kind == "person"
               else [cast.other_dept.pk, cast.other_section.pk])
    _login(client, cast, "head")
    url = reverse(name, args=args)
    assert client.get(url).status_code == 200  # the list itself is open to the head
    for pk in outside:
        response = client.get(url, {param: pk})
        raw = (b"".join(response.streaming_content) if response.streaming
               else response.content)
        text = raw.decode("utf-8", "replace")
        named = [n for n in OUTSIDE_NAMES if n in text]
        assert (response.status_code, named) == (404, []), f"{url}?{param}={pk}"
