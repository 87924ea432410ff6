"""Idempotent writes: the API's Idempotency-Key and the page forms' one-time tokens."""

import datetime as dt
import hashlib
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zugong.core.idempotency import FORM_FIELD
from zugong.core.models import IdempotencyKey, JobRun
from zugong.core.tasks import purge_idempotency_keys
from zugong.people import services
from zugong.people.models import OrgUnit, ResumeEntry

pytestmark = pytest.mark.django_db


def _post_unit(client, token, body, key=None):
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post("/api/v1/units", json.dumps(body), content_type="application/json",
                       headers=headers)


def _unit(cast, code, name="新设单位"):
    return {"parent_id": cast.dept.pk, "name": name, "kind": "county_unit", "code": code}


def test_the_same_key_and_body_answers_the_first_response_and_creates_nothing(cast, client):
    token = services.token_create(user=cast["head"], name="t")[1]
    first = _post_unit(client, token, _unit(cast, "433122-K01"), key="key-1")
    assert first.status_code == 201
    again = _post_unit(client, token, _unit(cast, "433122-K01"), key="key-1")
    assert again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert OrgUnit.objects.filter(code="433122-K01").count() == 1
    # The stored answer is encrypted like other sensitive text.
    row = IdempotencyKey.objects.get(key="key-1")
    assert row.response == first.content.decode()


def test_a_first_request_claims_its_key_with_one_insert(cast, client):
    token = services.token_create(user=cast["head"], name="t")[1]
    with CaptureQueriesContext(connection) as queries:
        assert _post_unit(client, token, _unit(cast, "433122-K11"), key="k").status_code == 201
    on_keys = [q["sql"].split(" ")[0] for q in queries.captured_queries
               if "core_idempotencykey" in q["sql"]]
    # Claimed (one insert), then its answer stored; no search for an expired row first.
    assert on_keys == ["INSERT", "UPDATE"]


def test_an_expired_key_runs_again_as_a_new_request(cast, client):
    token = services.token_create(user=cast["head"], name="t")[1]
    body = _unit(cast, "433122-K12")
    owner = "t" + hashlib.sha256(f"Bearer {token}".encode()).hexdigest()  # a token's key
    IdempotencyKey.objects.create(
        scope=IdempotencyKey.Scope.API, owner=owner, key="old",
        method_path="POST /api/v1/units",
        body_digest=hashlib.sha256(json.dumps(body).encode()).hexdigest(), status=201,
        content_type="application/json", response='{"stale": true}',
        expires_at=timezone.now() - dt.timedelta(minutes=1))
    again = _post_unit(client, token, body, key="old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert OrgUnit.objects.filter(code="433122-K12").exists()
    row = IdempotencyKey.objects.get(owner=owner, key="old")
    assert row.expires_at > timezone.now() and row.response == again.content.decode()


def test_the_same_key_with_another_body_is_refused_with_422(cast, client):
    token = services.token_create(user=cast["head"], name="t")[1]
    assert _post_unit(client, token, _unit(cast, "433122-K02"), key="key-2").status_code == 201
    other = _post_unit(client, token, _unit(cast, "433122-K03"), key="key-2")
    assert other.status_code == 422
    error = other.json()["error"]
    assert error["code"] == "idempotency_key_reused" and "Idempotency-Key" in error["message"]
    assert "另一个" in error["message"]
    assert not OrgUnit.objects.filter(code="433122-K03").exists()


def test_keys_belong_to_their_user_and_requests_without_one_run_each_time(cast, client):
    head = services.token_create(user=cast["head"], name="t")[1]
    outsider = services.token_create(user=cast["outsider"], name="t")[1]
    assert _post_unit(client, head, _unit(cast, "433122-K04"), key="shared").status_code == 201
    body = {**_unit(cast, "433123-K05"), "parent_id": cast.other_dept.pk}
    assert _post_unit(client, outsider, body, key="shared").status_code == 201
    assert _post_unit(client, head, _unit(cast, "433122-K06")).status_code == 201
    assert _post_unit(client, head, _unit(cast, "433122-K06")).status_code == 422  # taken
    assert OrgUnit.objects.filter(code__in=["433123-K05", "433122-K06"]).count() == 2


def test_a_key_still_running_is_answered_409_and_a_bad_key_422(cast, client):
    token = services.token_create(user=cast["head"], name="t")[1]
    body = _unit(cast, "433122-K07")
    IdempotencyKey.objects.create(
        scope=IdempotencyKey.Scope.API, owner=f"u{cast['head'].pk}", key="busy",
        method_path="POST /api/v1/units",
        body_digest=hashlib.sha256(json.dumps(body).encode()).hexdigest(),
        expires_at=timezone.now() + dt.timedelta(hours=1))
    client.force_login(cast["head"])
    busy = client.post("/api/v1/units", json.dumps(body), content_type="application/json",
                       headers={"Idempotency-Key": "busy"})
    assert busy.status_code == 409 and busy.json()["error"]["code"] == "idempotency_in_progress"
    assert not OrgUnit.objects.filter(code="433122-K07").exists()
    long_key = _post_unit(client, token, body, key="x" * 201)
    assert long_key.status_code == 422


def _form_token(client, url):
    html = client.get(url).content.decode()
    return re.findall(rf'name="{FORM_FIELD}" value="([^"]+)"', html)


def test_every_post_form_carries_its_own_token(cast, client):
    client.force_login(cast["chief"])
    tokens = _form_token(client, f"/people/{cast.people['cadre'].pk}/")
    assert len(tokens) >= 2 and len(set(tokens)) == len(tokens)
    assert _form_token(client, f"/people/{cast.people['cadre'].pk}/")[0] != tokens[0]


def test_a_double_submitted_form_creates_nothing_twice(cast, client):
    person = cast.people["cadre"]
    client.force_login(cast["chief"])
    token = _form_token(client, f"/people/{person.pk}/")[0]
    url = f"/people/{person.pk}/resume/add/"
    data = {"start": "2016-07-01", "text": "泸溪县白沙镇科员", FORM_FIELD: token}
    first = client.post(url, data)
    assert first.status_code == 302
    second = client.post(url, data, follow=True)
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert "已经提交过" in second.content.decode()
    assert ResumeEntry.objects.filter(person=person, text="泸溪县白沙镇科员").count() == 1
    # A new render gives a new token: the same content sent from it is a new entry.
    fresh = _form_token(client, f"/people/{person.pk}/")[0]
    assert client.post(url, {**data, FORM_FIELD: fresh}).status_code == 302
    assert ResumeEntry.objects.filter(person=person, text="泸溪县白沙镇科员").count() == 2


def test_refused_input_does_not_use_up_the_token(cast, client):
    person = cast.people["cadre"]
    client.force_login(cast["chief"])
    token = _form_token(client, f"/people/{person.pk}/")[0]
    url = f"/people/{person.pk}/resume/add/"
    bad = client.post(url, {"start": "2020-07-01", "end": "2019-12-01", "text": "倒置",
                            FORM_FIELD: token})
    assert bad.status_code == 400
    good = client.post(url, {"start": "2019-07-01", "text": "改正后", FORM_FIELD: token})
    assert good.status_code == 302
    assert ResumeEntry.objects.filter(person=person, text="改正后").count() == 1


def test_expired_keys_are_purged_by_the_job(cast):
    for key, hours in (("old", -1), ("new", 5)):
        IdempotencyKey.objects.create(
            scope=IdempotencyKey.Scope.FORM, owner="u1", key=key, method_path="POST /",
            body_digest="0" * 64, status=302,
            expires_at=timezone.now() + dt.timedelta(hours=hours))
    assert purge_idempotency_keys().startswith("1 ")
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert JobRun.objects.filter(name="idempotency_purge",
                                 status=JobRun.Status.SUCCEEDED).exists()
