"""Deleting learning records: into the recycle bin, out of the lists and the figures, back
with their history; who may delete, and the guard on a full day."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zugong.core import metrics, recycle
from zugong.core.models import AuditEntry, RecycledRecord
from zugong.learning import events, services
from zugong.learning.models import ReviewStatus, StudySession, Writing

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)
HOURS = metrics.get("learning.study_hours")


def _session(cast, hours="2", topic="学习二十届四中全会精神"):
    """A study session the cadre's section chief entered: confirmed at once, so it counts."""
    return services.record_create(by=cast["chief"], kind="study", person=cast.people["cadre"],
                                  data={"on": DAY, "hours": Decimal(hours), "form": "self",
                                        "topic": topic})


def _hours(cast) -> Decimal:
    person = cast.people["cadre"].pk
    return HOURS.totals(people=[person], start=DAY, end=DAY).get((person, None), Decimal(0))


def _entry(pk, model="learning.studysession"):
    return RecycledRecord.objects.get(model=model, object_pk=str(pk))


def test_a_deleted_record_leaves_the_list_and_the_figures_and_comes_back(cast, client):
    record = _session(cast)
    pk = record.pk
    assert _hours(cast) == Decimal("2")
    client.force_login(cast["cadre"])
    records = reverse("learning:records") + "?kind=study"
    assert "学习二十届四中全会精神" in client.get(records).content.decode()

    # The record's page links to the confirm page, which names the record; POST deletes.
    page = client.get(reverse("learning:record", args=["study", pk])).content.decode()
    delete_url = reverse("learning:record_delete", args=["study", pk])
    assert delete_url in page
    confirm = client.get(delete_url).content.decode()
    assert "学习二十届四中全会精神" in confirm and "回收站" in confirm
    response = client.post(delete_url, follow=True)
    assert "已移入回收站" in response.content.decode()
    assert not StudySession.objects.filter(pk=pk).exists()
    assert "学习二十届四中全会精神" not in client.get(records).content.decode()
    assert _hours(cast) == Decimal("0")

    # The delete is audited against the record, the create entry is still there.
    deleted = AuditEntry.objects.get(action=events.RECORD_DELETE)
    assert (deleted.object_type, deleted.object_id, deleted.actor) == (
        "learning.studysession", str(pk), cast["cadre"])
    assert deleted.after == {"recycled": _entry(pk).pk}
    assert AuditEntry.objects.filter(action=events.RECORD_CREATE, object_id=str(pk)).exists()

    # The cadre's section chief (who confirms it) restores it from the bin; audited.
    client.force_login(cast["chief"])
    response = client.post(reverse("console:recycle_restore", args=[_entry(pk).pk]),
                           follow=True)
    assert "已恢复" in response.content.decode()
    back = StudySession.objects.get(pk=pk)
    assert (back.topic, back.status) == ("学习二十届四中全会精神", ReviewStatus.CONFIRMED)
    assert _hours(cast) == Decimal("2")
    restored = AuditEntry.objects.get(action=recycle.RESTORE)
    assert (restored.object_id, restored.actor) == (str(pk), cast["chief"])


def test_who_may_delete_a_record(cast, client):
    """The owner and the reviewers in scope (head, deputy in charge, section chief) may;
    supervision sees the record but may not change it (403); another cadre and another
    county's head do not see it (404, as for a missing record)."""
    expected = {"head": 302, "deputy": 302, "chief": 302, "cadre": 302, "supervisor": 403,
                "assessor": 403, "cadre2": 404, "outsider": 404}
    seen = {}
    for name in expected:
        record = _session(cast, hours="1", topic=f"删除测试{name}")
        client.force_login(cast[name])
        seen[name] = client.post(
            reverse("learning:record_delete", args=["study", record.pk])).status_code
    assert seen == expected
    # Eight sessions were made, four deletes went through (head, deputy, chief, cadre).
    assert StudySession.objects.count() == 8 - 4
    with pytest.raises(PermissionDenied):
        services.record_delete(by=cast["supervisor"],
                               record=StudySession.objects.filter(topic="删除测试supervisor")
                               .get())


def test_the_api_deletes_with_204_and_hides_out_of_scope_records(cast, client):
    writing = Writing.objects.create(person=cast.people["cadre"], on=DAY, kind="reflection",
                                     title="学习心得", status=ReviewStatus.PENDING)
    url = f"/api/v1/learning/records/writing/{writing.pk}"
    client.force_login(cast["outsider"])
    response = client.delete(url)
    assert response.status_code == 404
    assert "李小红" not in response.content.decode()
    client.force_login(cast["cadre"])
    assert client.delete(url).status_code == 204
    assert not Writing.objects.filter(pk=writing.pk).exists()
    assert client.delete(url).status_code == 404  # already gone
    assert _entry(writing.pk, "learning.writing").cap == "learning.review"


def test_a_session_does_not_come_back_into_a_day_filled_since(cast, client):
    """Deleted 10 hours; 16 hours entered since for that day: 16 + 10 = 26 > 24 hours, so
    the bin refuses, in Chinese, and keeps the entry."""
    first = _session(cast, hours="10", topic="上午集中学习")
    pk = first.pk
    services.record_delete(by=cast["chief"], record=first)
    _session(cast, hours="16", topic="全天学习")
    client.force_login(cast["chief"])
    response = client.post(reverse("console:recycle_restore", args=[_entry(pk).pk]),
                           follow=True)
    assert "无法恢复" in response.content.decode()
    assert not StudySession.objects.filter(pk=pk).exists()
    assert RecycledRecord.objects.filter(object_pk=str(pk)).exists()
