"""The auditor reads who, when, where, what kind of action, which object and which fields,
in Chinese and never the values; a business role entitled to the record reads the values,
and each reading is audited (issue 13, point 2)."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.core.models import AuditEntry
from zugong.talks import services as talks_services

pytestmark = pytest.mark.django_db
NOTE = "家人重病"


@pytest.fixture
def flagged(cast):
    talks_services.visit_flags_set(by=cast["head"], person=cast.people["managed"],
                                   data={"difficulty_since": dt.date(2026, 4, 1),
                                         "difficulty_note": NOTE})
    return AuditEntry.objects.filter(action="talks.visit_flags.set").latest("seq")


def test_the_auditor_sees_the_action_object_and_fields_in_chinese_never_the_values(
        cast, flagged, client_for):
    html = client_for(cast["auditor"]).get(
        reverse("console:audit"), {"action": "talks."}).content.decode()
    assert NOTE not in html
    assert "设置走访标记" in html  # the action, translated
    assert "困难情况" in html and "遇到困难日期" in html  # the fields, by their labels
    assert "talks.visit_flags.set" not in html.replace('title="talks.visit_flags.set"', "")
    assert "{&#x27;" not in html and "{'" not in html  # no raw dicts


def test_the_auditor_cannot_open_the_values(cast, flagged, client_for):
    url = reverse("console:audit_values", args=[flagged.seq])
    assert client_for(cast["auditor"]).get(url).status_code == 403


def test_the_head_in_scope_reads_the_values_and_the_reading_is_audited(
        cast, flagged, client_for):
    response = client_for(cast["head"]).get(reverse("console:audit_values",
                                                    args=[flagged.seq]))
    html = response.content.decode()
    assert response.status_code == 200
    assert NOTE in html and "困难情况" in html and "2026-04-01" in html
    read = AuditEntry.objects.filter(action="console.audit.read_values").latest("seq")
    assert read.actor_id == cast["head"].pk and read.object_id == str(flagged.seq)
    assert read.after is None and read.fields == []


def test_the_head_of_another_department_gets_the_same_404_as_for_a_missing_entry(
        cast, flagged, client_for):
    client = client_for(cast["outsider"])
    outside = client.get(reverse("console:audit_values", args=[flagged.seq]))
    missing = client.get(reverse("console:audit_values", args=[10 ** 9]))
    assert outside.status_code == missing.status_code == 404
    assert NOTE not in outside.content.decode()
    assert not AuditEntry.objects.filter(action="console.audit.read_values").exists()


def test_the_person_page_leads_the_head_to_each_change_and_its_values(cast, client_for):
    from zugong.core.audit import audit_record

    person = cast.people["cadre"]
    entry = audit_record(actor=cast["head"], action="people.person.update", obj=person,
                         before={"current_post": "科员"}, after={"current_post": "副主任科员"})
    head = client_for(cast["head"])
    page = head.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert 'id="tab-history"' in page
    tab = head.get(reverse("console:person_history", args=[person.pk])).content.decode()
    # The change in Chinese, its fields by label, and the way to its values; no values here.
    assert "修改人员" in tab and "现任职务" in tab and "副主任科员" not in tab
    values_url = reverse("console:audit_values", args=[entry.seq])
    assert values_url in tab
    assert "副主任科员" in head.get(values_url).content.decode()


def test_the_change_history_is_closed_to_the_auditor_and_out_of_scope(cast, client_for):
    person = cast.people["cadre"]
    url = reverse("console:person_history", args=[person.pk])
    assert client_for(cast["auditor"]).get(url).status_code == 403
    page = client_for(cast["auditor"]).get(
        reverse("people:detail", args=[person.pk]))
    assert 'id="tab-history"' not in page.content.decode()
    assert client_for(cast["outsider"]).get(url).status_code == 404
