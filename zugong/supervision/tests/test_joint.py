"""Joint supervision (M14, issue 17 point 5): leads from the 11 partner departments,
assigned, verified and closed with a conclusion; observations outside work."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from zugong.core import metrics as core_metrics
from zugong.core.models import AuditEntry, Notice
from zugong.supervision import services
from zugong.supervision.models import Lead, Partner

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def partners(db):
    services.ensure_partners()
    return {p.code: p for p in Partner.objects.all()}


def test_the_eleven_partner_departments_are_data(partners):
    assert len(partners) == 11
    assert partners["jwjw"].name == "纪委监委" and partners["sjj"].name == "审计局"


def _lead(cast, partners, person="cadre", on=DAY):
    return services.lead_record(by=cast["supervisor"], person=cast.people[person],
                                partner=partners["gaj"], on=on,
                                summary="反映其违规收受礼金")


def test_a_lead_is_assigned_verified_and_cleared_in_that_order(cast, partners):
    lead = _lead(cast, partners)
    with connection.cursor() as cur:
        cur.execute("SELECT summary FROM supervision_lead WHERE id = %s", [lead.pk])
        assert "礼金" not in cur.fetchone()[0]
    with pytest.raises(ValidationError) as early:  # not assigned yet
        services.lead_verify(by=cast["supervisor"], lead=lead, version=1,
                             verified_on=DAY, findings="核实")
    assert "findings" in early.value.message_dict
    with pytest.raises(ValidationError) as wrong:  # the head supervises nobody's leads
        services.lead_assign(by=cast["supervisor"], lead=lead, version=1,
                             assignee=cast["head"])
    assert wrong.value.message_dict == {"assignee": ["请选择负责监督该干部的干部监督人员。"]}
    lead = services.lead_assign(by=cast["supervisor"], lead=lead, version=1,
                                assignee=cast["supervisor"])
    assert Notice.objects.filter(kind="supervision.lead.assigned",
                                 recipient=cast["supervisor"]).count() == 1
    lead = services.lead_verify(by=cast["supervisor"], lead=lead, version=lead.version,
                                verified_on=DAY + dt.timedelta(days=5),
                                findings="经调取银行流水，未发现收受礼金")
    with pytest.raises(ValidationError) as bare:
        services.lead_close(by=cast["supervisor"], lead=lead, version=lead.version,
                            closed_on=DAY + dt.timedelta(days=6), conclusion="cleared",
                            conclusion_note="")
    assert "conclusion_note" in bare.value.message_dict
    lead = services.lead_close(by=cast["supervisor"], lead=lead, version=lead.version,
                               closed_on=DAY + dt.timedelta(days=6), conclusion="cleared",
                               conclusion_note="在单位会议上予以澄清正名")
    assert (lead.status, lead.get_conclusion_display()) == ("closed", "不属实，澄清正名")
    with pytest.raises(ValidationError) as out:
        _lead(cast, partners, person="outsider")
    assert out.value.message_dict == {"person": ["请选择您职责范围内的干部。"]}


def test_leads_closed_count_by_conclusion_and_the_api_lists_them(cast, partners, client):
    # Three leads: two closed in March (one 澄清正名, one 容错纠错), one still received.
    for conclusion in ("cleared", "tolerated", None):
        lead = _lead(cast, partners)
        if conclusion is None:
            continue
        lead = services.lead_assign(by=cast["supervisor"], lead=lead, version=1,
                                    assignee=cast["supervisor"])
        lead = services.lead_verify(by=cast["supervisor"], lead=lead, version=2,
                                    verified_on=DAY, findings="核实")
        services.lead_close(by=cast["supervisor"], lead=lead, version=3, closed_on=DAY,
                            conclusion=conclusion, conclusion_note="符合三个区分开来")
    pid = cast.people["cadre"].pk
    year = {"people": [pid], "start": dt.date(2026, 1, 1), "end": dt.date(2026, 12, 31)}
    assert core_metrics.get("supervision.leads_received").totals(**year) == {(pid, None): 3}
    assert core_metrics.get("supervision.leads_closed").totals(**year) == {(pid, None): 2}
    assert core_metrics.get("supervision.leads_tolerated").totals(**year) == {(pid, None): 1}
    client.force_login(cast["head"])
    body = client.get("/api/v1/supervision/leads", {"status": "closed"}).json()
    assert sorted(i["conclusion"] for i in body["items"]) == ["cleared", "tolerated"]
    assert "礼金" not in str(body)
    client.force_login(cast["outsider"])
    assert client.get("/api/v1/supervision/leads").json()["items"] == []


def test_the_lead_page_steps_the_workflow_and_logs_each_read(cast, partners, client):
    lead = _lead(cast, partners)
    client.force_login(cast["supervisor"])
    url = reverse("supervision:lead", args=[lead.pk])
    assert "反映其违规收受礼金" in client.get(url).content.decode()
    response = client.post(url, {"version": "1", "assignee": str(cast["supervisor"].pk)})
    assert response.status_code == 302
    assert Lead.objects.get(pk=lead.pk).status == "assigned"
    bad = client.post(url, {"version": "2", "verified_on": "2020-01-01", "findings": "核实"})
    assert bad.status_code == 400 and "核实日期" in bad.content.decode()
    assert AuditEntry.objects.filter(action="supervision.lead.view").count() == 2
    client.force_login(cast["head"])  # the head reads, does not step
    assert client.post(url, {"version": "2"}).status_code == 403


def test_an_observation_is_recorded_for_a_cadre_in_scope(cast, client):
    client.force_login(cast["supervisor"])
    response = client.post(reverse("supervision:observations"), {
        "person": cast.people["managed"].pk, "kind": "home_visit", "on": "2026-03-02",
        "note": "廉政家访，与配偶谈家风", "concern": ""})
    assert response.status_code == 302
    rows = client.get(reverse("supervision:observations")).context["rows"]
    assert [(r.person.name, r.get_kind_display()) for r in rows] == [("田志强", "廉政家访")]
    with connection.cursor() as cur:
        cur.execute("SELECT note FROM supervision_observation")
        assert "家风" not in cur.fetchone()[0]
