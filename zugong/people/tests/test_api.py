"""The API: bearer tokens, scope, structured Chinese errors, paging, conflicts."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from zugong.people import idnumber, services
from zugong.people.models import ApiToken, Person

pytestmark = pytest.mark.django_db


def _token(user):
    return services.token_create(user=user, name="test")[1]


def _get(client, url, token=None, **params):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, params, headers=headers)


def _send(client, method, url, body, token):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json",
                                   headers={"Authorization": f"Bearer {token}"})


def test_a_bearer_token_gives_the_users_scope(cast, client):
    response = _get(client, "/api/v1/people", _token(cast["chief"]))
    assert response.status_code == 200
    assert {p["name"] for p in response.json()["items"]} == {"张建国", "李小红"}


def test_tokens_are_stored_hashed_and_can_be_revoked(cast, client):
    raw = _token(cast["head"])
    stored = ApiToken.objects.get(user=cast["head"])
    assert raw not in (stored.digest, stored.prefix) and len(stored.digest) == 64
    services.token_revoke(by=cast["head"], token=stored)
    response = _get(client, "/api/v1/people", raw)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_the_token_command_prints_a_working_token(cast, client, capsys):
    call_command("token", "supervisor")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("zg_")
    assert _get(client, "/api/v1/units", raw).status_code == 200


def test_a_token_can_be_created_on_the_settings_page(cast, client):
    client.force_login(cast["cadre"])
    response = client.post("/settings/", {"name": "手机"})
    raw = response.context["new_token"]
    client.logout()
    assert _get(client, f"/api/v1/people/{cast.people['cadre'].pk}", raw).status_code == 200


def test_outside_scope_is_a_structured_404_in_chinese(cast, client):
    response = _get(client, f"/api/v1/people/{cast.people['cadre'].pk}", _token(cast["outsider"]))
    assert response.status_code == 404
    body = response.json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"] == "未找到。"


def test_masking_follows_the_viewer(cast, client):
    target = cast.people["cadre"]
    chief = _get(client, f"/api/v1/people/{target.pk}", _token(cast["chief"])).json()
    head = _get(client, f"/api/v1/people/{target.pk}", _token(cast["head"])).json()
    assert "*" in chief["id_number"] and head["id_number"] == target.id_number


def test_create_with_bad_input_returns_field_errors_and_saves_nothing(cast, client):
    token = _token(cast["head"])
    before = Person.objects.count()
    body = {"category": "org_cadre", "name": "错号", "sex": "1", "birth_date": "1990-01-15",
            "unit_id": cast.sec_org.pk, "id_number": "110101199001011234", "ethnicity": "99x"}
    response = _send(client, "post", "/api/v1/people", body, token)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "校验码" in " ".join(error["fields"]["id_number"])
    assert "未知的代码值" in " ".join(error["fields"]["ethnicity"])
    assert Person.objects.count() == before


def test_a_malformed_body_is_a_structured_error(cast, client):
    response = _send(client, "post", "/api/v1/people", {"name": 1}, _token(cast["head"]))
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "请求数据无效。"


def test_create_and_update_with_version_check(cast, client):
    token = _token(cast["head"])
    born = dt.date(1991, 4, 5)
    body = {"category": "managed", "name": "符永", "sex": "1", "birth_date": born.isoformat(),
            "unit_id": cast.county_unit.pk, "id_number": idnumber.make("433122", born, 31),
            "current_post": "副局长", "post_level": "1"}
    created = _send(client, "post", "/api/v1/people", body, token)
    assert created.status_code == 201, created.json()
    data = created.json()
    updated = _send(client, "patch", f"/api/v1/people/{data['id']}",
                    {"version": data["version"], "current_post": "局长"}, token)
    assert updated.status_code == 200 and updated.json()["current_post"] == "局长"
    stale = _send(client, "patch", f"/api/v1/people/{data['id']}",
                  {"version": data["version"], "current_post": "书记"}, token)
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    assert Person.objects.get(pk=data["id"]).current_post == "局长"


def test_people_are_keyset_paged_through_the_api(cast, client):
    token = _token(cast["head"])
    seen, cursor = [], None
    while True:
        params = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = _get(client, "/api/v1/people", token, **params).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 8


def test_session_writes_need_a_csrf_token(cast):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(cast["head"])
    response = strict.patch(f"/api/v1/people/{cast.people['cadre'].pk}",
                            json.dumps({"version": 1, "current_post": "x"}),
                            content_type="application/json")
    assert response.status_code in (401, 403)


def test_the_openapi_document_lists_the_endpoints(cast, client):
    client.force_login(cast["head"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/units"} <= set(paths)


def test_createadmins_makes_the_three_separated_administrators(db, capsys):
    call_command("createadmins", "--prefix", "t_")
    out = capsys.readouterr().out
    from zugong.people.access import roles_of
    from zugong.people.models import User

    assert {r for u in User.objects.filter(username__startswith="t_") for r in roles_of(u)} == {
        "sysadmin", "secadmin", "auditor"}
    assert out.count("t_") == 3
    assert all(u.must_change_password for u in User.objects.filter(username__startswith="t_"))
