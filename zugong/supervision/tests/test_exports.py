"""xlsx exports of joint-supervision leads and of integrity ratings (issue 17, point 8):
the list's filters apply, no encrypted content leaves the app, and each export is logged."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEntry
from zugong.supervision import services
from zugong.supervision.models import Partner

DAY = dt.date(2026, 3, 2)


def sheets(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in book]


def test_the_leads_export_follows_the_status_filter_and_carries_no_content(cast, client):
    services.ensure_partners()
    gaj = Partner.objects.get(code="gaj")
    for person in ("cadre", "cadre2"):
        services.lead_record(by=cast["supervisor"], person=cast.people[person], partner=gaj,
                             on=DAY, summary="反映其违规收受礼金")
    first = services.lead_record(by=cast["supervisor"], person=cast.people["cadre"],
                                 partner=gaj, on=DAY, summary="反映其违规收受礼金")
    services.lead_assign(by=cast["supervisor"], lead=first, version=first.version,
                         assignee=cast["supervisor"])
    client.force_login(cast["head"])
    response = client.get(reverse("supervision:leads_export"), {"status": "assigned"})
    assert response.status_code == 200
    (rows,) = sheets(response)
    assert len(rows) == 2  # the header and the one assigned lead
    assert rows[1][1] == "李小红" and rows[1][3] == "公安局"
    assert "礼金" not in str(rows)
    assert len(sheets(client.get(reverse("supervision:leads_export")))[0]) == 4
    assert [e.after["rows"] for e in AuditEntry.objects.filter(
        action="supervision.lead.export").order_by("id")] == [1, 3]
    client.force_login(cast["outsider"])  # another county's head: none of these leads
    assert len(sheets(client.get(reverse("supervision:leads_export")))[0]) == 1


def test_the_ratings_export_lists_the_years_sections_and_families(cast, client):
    services.section_rating_record(by=SYSTEM, unit=cast.sec_org, year=2025, level="model",
                                   on=dt.date(2025, 12, 20))
    services.family_rating_record(by=cast["supervisor"], person=cast.people["cadre"],
                                  year=2025, level="met", on=dt.date(2025, 12, 21))
    client.force_login(cast["supervisor"])
    sections, families = sheets(client.get(reverse("supervision:ratings_export"),
                                           {"year": "2025"}))
    # Three sections in the cast's department, one rated (示范); one family rated (达标).
    assert len(sections) == 4
    by_name = {row[0]: row for row in sections[1:]}
    assert by_name["组织室"][:3] == ["组织室", 2025, "示范"] and not by_name["干部室"][2]
    assert [r[:4] for r in families[1:]] == [["李小红", "组织室", 2025, "达标"]]
    other_year = sheets(client.get(reverse("supervision:ratings_export"), {"year": "2024"}))
    assert len(other_year[1]) == 1 and not any(r[2] for r in other_year[0][1:])
    assert AuditEntry.objects.filter(action="supervision.rating.export").count() == 2
