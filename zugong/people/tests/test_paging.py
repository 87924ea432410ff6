"""The people list page and the API lists (people, units) page by key with the kit's
pager: every row is reachable, and a bad limit, cursor or offset answers 422."""

import pytest
from django.urls import reverse

from conftest import make_person
from zugong.people import services
from zugong.people.models import Person, UnitKind

pytestmark = pytest.mark.django_db

BAD = [{"limit": "-1"}, {"limit": "abc"}, {"limit": "100000"}, {"cursor": "garbage"},
       {"offset": "20"}]


def _token(user):
    return services.token_create(user=user, name="test")[1]


def _api_walk(client, url, token, **params):
    seen, cursor = [], None
    for _ in range(100):
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = client.get(url, query, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == {"items", "next"}
        seen += [row["id"] for row in body["items"]]
        cursor = body["next"]
        if not cursor:
            return seen
    raise AssertionError("the pager never ended")


@pytest.fixture
def many_people(cast):
    for i in range(205):
        make_person(cast.county_unit, f"干部{i:03d}", category="managed")
    from zugong.people.selectors import person_list

    return person_list(user=cast["head"]).count()


def test_more_than_200_people_are_reachable_through_the_api(cast, client, many_people):
    seen = _api_walk(client, "/api/v1/people", _token(cast["head"]), limit="70")
    assert len(seen) == len(set(seen)) == many_people > 200


def test_more_than_200_people_are_reachable_on_the_list_page(cast, client, many_people):
    client.force_login(cast["head"])
    seen, params = [], {"size": "100"}
    for _ in range(10):
        response = client.get(reverse("people:list"), params)
        assert response.status_code == 200
        seen += [p.pk for p in response.context["rows"]]
        page = response.context["page"]
        if not page.next:
            break
        assert 'id="next-page"' in response.content.decode()
        params = {"size": "100", "cursor": page.next}
    assert len(seen) == len(set(seen)) == many_people > 200


def test_more_than_200_units_are_reachable_through_the_api(cast, client):
    for i in range(201):
        services.unit_create(by=None, parent=cast.county_unit, name=f"股室{i:03d}",
                             kind=UnitKind.COUNTY_UNIT, code=f"P{i:04d}")
    seen = _api_walk(client, "/api/v1/units", _token(cast["head"]))
    from zugong.people.selectors import unit_list

    assert len(seen) == len(set(seen)) == unit_list(user=cast["head"]).count() > 200


@pytest.mark.parametrize("url", ["/api/v1/people", "/api/v1/units"])
@pytest.mark.parametrize("params", BAD)
def test_bad_paging_parameters_are_a_422_in_the_api(cast, client, url, params):
    response = client.get(url, params,
                          headers={"Authorization": f"Bearer {_token(cast['head'])}"})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]


@pytest.mark.parametrize("params", BAD)
def test_bad_paging_parameters_are_a_422_page(cast, client, params):
    client.force_login(cast["head"])
    assert client.get(reverse("people:list"), params).status_code == 422


def test_the_people_export_writes_formula_like_text_as_text_without_control_characters(
        cast, client):
    import io

    from openpyxl import load_workbook

    from zugong.core.models import AuditEntry

    person = cast.people["cadre"]
    Person.objects.filter(pk=person.pk).update(current_post='=HYPERLINK("http://x","y")\x01')
    client.force_login(cast["head"])
    response = client.get(reverse("people:export"), {"q": person.name})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = ws.cell(row=2, column=5)
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
    assert ws.freeze_panes == "A2"
    entry = AuditEntry.objects.filter(action="people.person.export").latest("seq")
    assert entry.after["count"] == 1
