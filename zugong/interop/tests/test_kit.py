"""Interop on the platform kit: the batch list pages by key, and the cadre workbook
export writes names and posts as text."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zugong.interop.models import ImportBatch
from zugong.interop.workbook import sheet_title
from zugong.people.models import Person

pytestmark = pytest.mark.django_db


def test_more_than_200_of_ones_batches_are_reachable_page_by_page(cast, client):
    ImportBatch.objects.bulk_create([
        ImportBatch(kind=ImportBatch.Kind.LRMX, created_by=cast["chief"], name=f"b{i:03d}",
                    payload="{}") for i in range(230)])
    ImportBatch.objects.create(kind=ImportBatch.Kind.LRMX, created_by=cast["head"],
                               name="someone else's", payload="{}")
    client.force_login(cast["chief"])
    seen, params = [], {}
    for _ in range(30):
        response = client.get(reverse("interop:lrmx_import"), params)
        assert response.status_code == 200
        seen += [b.name for b in response.context["batches"]]
        page = response.context["page"]
        if not page.next:
            break
        assert 'id="next-page"' in response.content.decode()
        params = {"cursor": page.next}
    assert sorted(seen) == [f"b{i:03d}" for i in range(230)]


@pytest.mark.parametrize("params", [{"limit": "-1"}, {"limit": "abc"}, {"limit": "100000"},
                                    {"cursor": "garbage"}, {"offset": "20"}])
def test_bad_paging_parameters_give_a_422_page(cast, client, params):
    client.force_login(cast["chief"])
    assert client.get(reverse("interop:workbook_import"), params).status_code == 422


def test_the_workbook_export_writes_formula_like_text_as_text_without_control_characters(
        cast, client):
    person = cast.people["cadre"]
    Person.objects.filter(pk=person.pk).update(current_post='=HYPERLINK("http://x","y")\x01')
    client.force_login(cast["head"])
    response = client.get(reverse("interop:workbook_export"), {"q": person.name})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ws = wb[sheet_title("A01")]
    header = [c.value for c in ws[1]]
    column = next(i for i, h in enumerate(header, start=1) if "现任职务" in str(h))
    cell = ws.cell(row=2, column=column)
    assert cell.value == '=HYPERLINK("http://x","y")' and cell.data_type == "s"
