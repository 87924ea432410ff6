"""Deleting a person entered by mistake: into the recycle bin with their sub-records, back
whole; refused for a person with an account or named by another area's records."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_person
from zugong.core.models import AuditEntry, RecycledRecord
from zugong.people import events, services
from zugong.people.models import Person, ResumeEntry
from zugong.talks import services as talks_services

pytestmark = pytest.mark.django_db


def test_a_person_entered_by_mistake_leaves_the_list_and_comes_back_whole(cast, client):
    person = make_person(cast.sec_org, "误录干部")
    pk = person.pk
    line = services.subrecord_add(by=None, person=person, kind="resume", data={
        "start": dt.date(2015, 7, 1), "end": None, "text": "泸溪县某乡镇科员"})
    client.force_login(cast["chief"])
    listing = reverse("people:list")
    assert "误录干部" in client.get(listing).content.decode()
    delete_url = reverse("people:delete", args=[pk])
    assert delete_url in client.get(reverse("people:detail", args=[pk])).content.decode()
    assert "误录干部" in client.get(delete_url).content.decode()
    response = client.post(delete_url, follow=True)
    assert "人员已移入回收站" in response.content.decode()
    assert not Person.objects.filter(pk=pk).exists()
    assert not ResumeEntry.objects.filter(pk=line.pk).exists()
    assert "误录干部" not in client.get(listing).content.decode()
    entry = RecycledRecord.objects.get(model="people.person", object_pk=str(pk))
    # The person and the resume line; the post history rows written at creation go too.
    assert entry.rows >= 2 and entry.person_id is None and entry.department_id == cast.dept.pk
    deleted = AuditEntry.objects.get(action=events.PERSON_DELETE)
    assert (deleted.object_id, deleted.object_repr) == (str(pk), f"#{pk}")

    # The person is gone, so the entry belongs to the department: the head restores it.
    client.force_login(cast["head"])
    client.post(reverse("console:recycle_restore", args=[entry.pk]))
    assert Person.objects.get(pk=pk).name == "误录干部"
    assert ResumeEntry.objects.get(pk=line.pk).person_id == pk


def test_a_person_with_an_account_or_other_records_is_kept(cast, client):
    client.force_login(cast["head"])
    response = client.post(reverse("people:delete", args=[cast.people["cadre"].pk]),
                           follow=True)
    assert "账号" in response.content.decode()
    talked = make_person(cast.sec_org, "谈话对象")
    talks_services.talk_record(by=cast["chief"], with_people=[talked],
                               held_on=dt.date(2026, 3, 2), kind="heart")
    response = client.delete(f"/api/v1/people/{talked.pk}")
    assert response.status_code == 422
    assert "其他" in response.json()["error"]["message"]
    assert Person.objects.filter(pk=talked.pk).exists()
    assert not RecycledRecord.objects.exists()
