"""The learning area on the platform kit: every list pages by key, exports are text-safe,
versioned edits conflict with the kit's message."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import today
from zugong.core.models import AuditEntry
from zugong.learning import services
from zugong.learning.models import (
    CopyFlag,
    Exemption,
    ExemptionKind,
    FirstTopic,
    ReviewStatus,
    StudySession,
)

MANY = 230  # more than the 200 rows the pages used to stop at


def _sessions(person, n=MANY):
    return StudySession.objects.bulk_create([
        StudySession(person=person, on=today() - dt.timedelta(days=i % 300), hours=Decimal(1),
                     topic=f"自学{i}", status=ReviewStatus.CONFIRMED) for i in range(n)])


def _walk_page(client, url, params, key):
    """Follow the pager's cursor from the first page to the last; the ids seen."""
    seen, cursor = [], None
    for _ in range(50):
        response = client.get(url, {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        page = response.context["page"]
        seen += [row.pk for row in response.context[key]]
        if page.next is None:
            return seen
        assert 'id="next-page"' in response.content.decode()
        cursor = page.next
    raise AssertionError("the pager never ended")


BAD_PAGING = [{"limit": "-1"}, {"limit": "abc"}, {"limit": "100000"}, {"cursor": "%%%"},
              {"offset": "5"}]


def test_the_records_page_reaches_every_record_past_200(cast, client_for):
    rows = _sessions(cast.people["cadre"])
    seen = _walk_page(client_for(cast["head"]), reverse("learning:records"),
                      {"kind": "study"}, "rows")
    assert sorted(seen) == sorted(r.pk for r in rows)


@pytest.mark.parametrize("params", BAD_PAGING)
def test_bad_paging_on_the_records_page_is_a_422(cast, client_for, params):
    response = client_for(cast["head"]).get(reverse("learning:records"),
                                            {"kind": "study", **params})
    assert response.status_code == 422


def test_the_records_api_pages_by_cursor_past_200(cast, client_for):
    rows = _sessions(cast.people["cadre"])
    client = client_for(cast["head"])
    seen, cursor = [], None
    while True:
        params = {"kind": "study", "limit": "100", **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/learning/records", params).json()
        assert set(body) == {"items", "next"}
        seen += [item["id"] for item in body["items"]]
        cursor = body["next"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(r.pk for r in rows)


@pytest.mark.parametrize("params", BAD_PAGING)
def test_bad_paging_in_the_records_api_is_a_422(cast, client_for, params):
    response = client_for(cast["head"]).get("/api/v1/learning/records",
                                            {"kind": "study", **params})
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) & {"limit", "cursor", "offset"}


def test_the_copy_checks_page_reaches_every_flag_past_200(cast, client_for):
    cadre, cadre2 = cast.people["cadre"], cast.people["cadre2"]
    flags = CopyFlag.objects.bulk_create([
        CopyFlag(person=cadre, source_kind="writing", source_id=i + 1, other_kind="note",
                 other_id=1, other_person=cadre2, score=Decimal("0.9"), passages=[])
        for i in range(MANY)])
    seen = _walk_page(client_for(cast["chief"]), reverse("learning:copies"), {}, "flags")
    assert sorted(seen) == sorted(f.pk for f in flags)
    bad = client_for(cast["chief"]).get(reverse("learning:copies"), {"limit": "abc"})
    assert bad.status_code == 422


def test_the_first_topic_page_reaches_every_study_past_100(cast, client_for):
    topics = FirstTopic.objects.bulk_create([
        FirstTopic(department=cast.dept, meeting=f"部务会{i}", content="学习",
                   held_on=today() - dt.timedelta(days=i % 40), hours=Decimal(1))
        for i in range(MANY)])
    seen = _walk_page(client_for(cast["head"]), reverse("learning:first_topics"),
                      {"dept": cast.dept.pk}, "topics")
    assert sorted(seen) == sorted(t.pk for t in topics)
    bad = client_for(cast["head"]).get(reverse("learning:first_topics"), {"limit": "-1"})
    assert bad.status_code == 422


def test_the_regime_page_reaches_every_exemption_past_100(cast, client_for):
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="制度")
    exemptions = Exemption.objects.bulk_create([
        Exemption(regime=regime, person=cast.people["cadre"], kind=ExemptionKind.LEAVE,
                  start=today(), end=today(), reason=f"病假{i}") for i in range(MANY)])
    seen = _walk_page(client_for(cast["head"]), reverse("learning:regime"),
                      {"dept": cast.dept.pk}, "exemptions")
    assert sorted(seen) == sorted(e.pk for e in exemptions)
    bad = client_for(cast["head"]).get(reverse("learning:regime"), {"limit": "100000"})
    assert bad.status_code == 422


def test_a_study_topic_is_exported_as_text_without_control_characters(cast, client_for):
    StudySession.objects.create(person=cast.people["cadre"], on=today(), hours=Decimal(1),
                                topic='=HYPERLINK("http://x","y")\x01学习',
                                status=ReviewStatus.CONFIRMED)
    response = client_for(cast["head"]).get(reverse("learning:records_export"),
                                            {"kind": "study"})
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("主题") + 1)
    assert cell.value == '=HYPERLINK("http://x","y")学习'
    assert cell.data_type == "s"
    entry = AuditEntry.objects.get(action="learning.record.export")
    assert entry.after["count"] == 1


def test_a_stale_api_edit_is_a_409_with_the_kits_message(cast, client_for):
    record = services.record_create(by=cast["cadre"], kind="study", person=cast.people["cadre"],
                                    data={"on": today(), "hours": 1, "topic": "自学"})
    client = client_for(cast["cadre"])
    url = f"/api/v1/learning/records/study/{record.pk}"
    patch = {"version": record.version, "hours": "2"}
    assert client.patch(url, patch, content_type="application/json").status_code == 200
    stale = client.patch(url, patch, content_type="application/json")
    assert stale.status_code == 409
    assert "有人在您打开后修改了这条记录" in stale.json()["error"]["message"]


def test_a_stale_regime_settings_form_shows_the_kits_message(cast, client_for):
    regime = services.regime_create(by=cast["head"], department=cast.dept, name="制度")
    client = client_for(cast["head"])
    form = {"dept": cast.dept.pk, "version": regime.version, "remind_days": "5",
            "copy_threshold": "0.5"}
    assert client.post(reverse("learning:regime_settings"), form).status_code == 302
    page = client.post(reverse("learning:regime_settings"), form)
    assert page.status_code == 422
    assert "有人在您打开后修改了这条记录" in page.content.decode()
