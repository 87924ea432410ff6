"""The recycle bin (回收站): delete, restore with the same id and history, purge after the
retention period, erase on request, and who sees what."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from zugong.core import recycle
from zugong.core.metrics import Metric
from zugong.core.models import AuditEntry, JobRun, RecycledRecord
from zugong.core.tasks import purge_recycle_bin
from zugong.people import events, services
from zugong.people.models import (
    AnnualAssessment,
    FamilyMember,
    Person,
    ResumeEntry,
    RewardPunishment,
)

pytestmark = pytest.mark.django_db

# A figure over rewards, as an app would declare one: a deleted reward must leave it.
REWARDS = Metric(key="test.rewards", label="rewards", unit="", model="people.RewardPunishment",
                 person_field="person", date_field="date")
YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def _reward(person, title="县级优秀共产党员"):
    return services.subrecord_add(by=None, person=person, kind="rewards", data={
        "kind": "reward", "date": dt.date(2025, 7, 1), "title": title, "issuer": "中共泸溪县委",
        "reason": ""})


def _figure(person):
    totals = REWARDS.totals(people=[person.pk], start=YEAR[0], end=YEAR[1])
    return totals.get((person.pk, None), 0)


def _entry(record):
    return RecycledRecord.objects.get(model=record._meta.label_lower, object_pk=str(record.pk))


def test_a_deleted_record_leaves_lists_and_figures_and_comes_back_with_its_id(cast, client):
    person = cast.people["cadre"]
    reward = _reward(person)
    client.force_login(cast["chief"])
    page = reverse("people:detail", args=[person.pk])
    assert "县级优秀共产党员" in client.get(page).content.decode()
    assert _figure(person) == 1

    response = client.post(reverse("people:subrecord_delete",
                                   args=[person.pk, "rewards", reward.pk]))
    assert response.status_code == 302
    assert not RewardPunishment.objects.filter(pk=reward.pk).exists()
    assert "县级优秀共产党员" not in client.get(page).content.decode()
    assert _figure(person) == 0
    bin_page = client.get(reverse("console:recycle")).content.decode()
    assert "县级优秀共产党员" in bin_page and "李小红" in bin_page

    entry = _entry(reward)
    response = client.post(reverse("console:recycle_restore", args=[entry.pk]), follow=True)
    assert "已恢复" in response.content.decode()
    back = RewardPunishment.objects.get(pk=reward.pk)
    assert (back.person_id, back.title, back.date) == (person.pk, reward.title, reward.date)
    assert _figure(person) == 1
    assert "县级优秀共产党员" in client.get(page).content.decode()
    assert not RecycledRecord.objects.filter(pk=entry.pk).exists()
    # The history is intact: the delete is still in the audit chain, and the restore names
    # the record by its (unchanged) id.
    deletes = AuditEntry.objects.filter(action=events.SUBRECORD_DELETE["rewards"],
                                        object_id=str(person.pk))
    assert [e.after.get("recycled") for e in deletes] == [entry.pk]
    restored = AuditEntry.objects.get(action=recycle.RESTORE)
    assert (restored.object_type, restored.object_id, restored.actor) == (
        "people.rewardpunishment", str(reward.pk), cast["chief"])


def test_the_payload_is_encrypted_at_rest(cast):
    person = cast.people["cadre"]
    reward = _reward(person, title="见义勇为先进个人")
    services.subrecord_delete(by=None, person=person, kind="rewards", pk=reward.pk)
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM core_recycledrecord WHERE object_pk = %s",
                       [str(reward.pk)])
        (raw,) = cursor.fetchone()
    assert "见义勇为" not in raw and raw.startswith("v")
    assert "见义勇为" in _entry(reward).payload


def test_a_cascade_comes_back_whole_with_encrypted_fields(cast):
    person = make_person(cast.sec_org, "回收测试")
    pk, id_number, phone = person.pk, person.id_number, person.phone
    line = services.subrecord_add(by=None, person=person, kind="resume", data={
        "start": dt.date(2010, 9, 1), "end": None, "text": "泸溪县委组织部干事"})
    member = services.subrecord_add(by=None, person=person, kind="family", data={
        "kind": "family", "relation": "11", "name": "回收家属"})
    entry = recycle.recycle(person, by=cast["head"], label="回收测试", cap="people.change",
                            person_id=None, department_id=cast.dept.pk)
    assert entry.rows == 3
    assert not Person.objects.filter(pk=pk).exists()
    assert not ResumeEntry.objects.filter(pk=line.pk).exists()

    recycle.restore(entry, by=cast["head"])
    back = Person.objects.get(pk=pk)
    assert (back.id_number, back.phone) == (id_number, phone)
    assert ResumeEntry.objects.get(pk=line.pk).person_id == pk
    assert FamilyMember.objects.get(pk=member.pk).name == "回收家属"
    with pytest.raises(ValidationError, match="已不在回收站"):  # a second click
        recycle.restore(entry, by=cast["head"])


def test_a_restore_is_refused_when_the_parent_is_gone(cast):
    person = make_person(cast.sec_org, "临时人员")
    line = services.subrecord_add(by=None, person=person, kind="resume", data={
        "start": dt.date(2012, 1, 1), "end": None, "text": "科员"})
    services.subrecord_delete(by=None, person=person, kind="resume", pk=line.pk)
    Person.objects.filter(pk=person.pk).delete()
    entry = _entry(line)
    with pytest.raises(ValidationError) as exc:
        recycle.restore(entry, by=cast["head"])
    assert "不存在" in " ".join(exc.value.messages)
    assert RecycledRecord.objects.filter(pk=entry.pk).exists()
    assert not ResumeEntry.objects.filter(pk=line.pk).exists()


def test_a_restore_is_refused_when_a_unique_key_clashes(cast, client):
    person = cast.people["cadre"]
    first = services.subrecord_add(by=None, person=person, kind="assessments",
                                   data={"year": 2023, "result": "1"})
    services.subrecord_delete(by=None, person=person, kind="assessments", pk=first.pk)
    services.subrecord_add(by=None, person=person, kind="assessments",
                           data={"year": 2023, "result": "2"})
    entry = _entry(first)
    client.force_login(cast["head"])
    response = client.post(reverse("console:recycle_restore", args=[entry.pk]), follow=True)
    assert "无法恢复" in response.content.decode()
    assert RecycledRecord.objects.filter(pk=entry.pk).exists()
    assert AnnualAssessment.objects.get(person=person, year=2023).result.name == "称职"


def test_entries_are_purged_after_the_retention_period(cast, settings):
    settings.ZUGONG_RECYCLE_KEEP_DAYS = 30
    person = cast.people["cadre"]
    old, recent = _reward(person, "旧表彰"), _reward(person, "新表彰")
    for reward in (old, recent):
        services.subrecord_delete(by=None, person=person, kind="rewards", pk=reward.pk)
    RecycledRecord.objects.filter(object_pk=str(old.pk)).update(
        deleted_at=timezone.now() - dt.timedelta(days=31))

    message = purge_recycle_bin()
    assert message.startswith("1 ")
    assert not RecycledRecord.objects.filter(object_pk=str(old.pk)).exists()
    assert RecycledRecord.objects.filter(object_pk=str(recent.pk)).exists()
    assert JobRun.objects.filter(name="recycle_purge", status=JobRun.Status.SUCCEEDED).exists()
    purged = AuditEntry.objects.get(action=recycle.PURGE)
    assert purged.after["records"] == {"people.rewardpunishment": [str(old.pk)]}


def test_hard_erase_needs_a_reason_and_leaves_no_payload(cast, client):
    person = cast.people["cadre"]
    reward = _reward(person, "需擦除的记录")
    services.subrecord_delete(by=None, person=person, kind="rewards", pk=reward.pk)
    entry = _entry(reward)
    url = reverse("console:recycle_erase", args=[entry.pk])

    client.force_login(cast["deputy"])  # may restore, may not erase
    assert client.post(url, {"reason": "申请"}).status_code == 403
    client.force_login(cast["head"])
    response = client.post(url, {"reason": " "}, follow=True)
    assert "原因" in response.content.decode()
    assert RecycledRecord.objects.filter(pk=entry.pk).exists()

    client.post(url, {"reason": "本人依《个人信息保护法》申请删除"})
    assert not RecycledRecord.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_recycledrecord")
        assert cursor.fetchone()[0] == 0
    erased = AuditEntry.objects.get(action=recycle.ERASE)
    assert erased.after["reason"] == "本人依《个人信息保护法》申请删除"
    assert "需擦除" not in str(erased.after) and erased.actor == cast["head"]
    assert not RewardPunishment.objects.filter(pk=reward.pk).exists()


def test_each_user_sees_the_entries_they_could_have_deleted(cast, client):
    reward = _reward(cast.people["cadre"], "范围测试")
    services.subrecord_delete(by=None, person=cast.people["cadre"], kind="rewards",
                              pk=reward.pk)
    seen = {}
    for name in ("head", "deputy", "chief", "outsider", "assessor"):
        client.force_login(cast[name])
        seen[name] = "范围测试" in client.get(reverse("console:recycle")).content.decode()
    assert seen == {"head": True, "deputy": True, "chief": True, "outsider": False,
                    "assessor": False}
    client.force_login(cast["head"])
    html = client.get(reverse("console:recycle")).content.decode()
    assert reverse("console:recycle_erase", args=[_entry(reward).pk]) in html
    client.force_login(cast["chief"])
    html = client.get(reverse("console:recycle")).content.decode()
    assert reverse("console:recycle_erase", args=[_entry(reward).pk]) not in html
