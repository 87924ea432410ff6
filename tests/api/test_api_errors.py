"""Inputs that once answered 500 (issue 13 point 10) answer a structured 4xx."""

import json

import pytest

from zugong.people import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(cast):
    return {"Authorization": "Bearer " + services.token_create(user=cast["head"], name="t")[1]}


@pytest.mark.parametrize("url", [
    "/api/v1/people?unit={unit}",
    "/api/v1/people?offset=-1",
    "/api/v1/people?offset=99999999999999999999",
    "/api/v1/units?offset=-5",
    "/api/v1/units?limit=-1",
    "/api/v1/people/9223372036854775808",
    "/api/v1/units/99999999999999999999",
    "/api/v1/units?under=9223372036854775808",
    "/api/v1/people?unit=9223372036854775808",
    "/api/v1/people?age_max=2100",
    "/api/v1/people?age_min=-3000",
])
def test_odd_query_values_never_answer_500(cast, client, head, url):
    response = client.get(url.format(unit=cast.sec_org.pk), headers=head)
    assert response.status_code < 500, (url, response.status_code)
    if response.status_code >= 400:
        assert set(response.json()) == {"error"}


def test_a_null_unit_name_is_refused_not_a_500(cast, client, head):
    response = client.patch(f"/api/v1/units/{cast.sec_org.pk}", json.dumps({"name": None}),
                            content_type="application/json", headers=head)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_a_body_that_is_not_json_is_a_structured_422(cast, client, head):
    response = client.patch(f"/api/v1/units/{cast.sec_org.pk}", b"\x0b\x14",
                            content_type="application/json", headers=head)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
