"""Deleted indicators go to the recycle bin and come back only into a plan in preparation."""

import datetime as dt

import pytest
from django.urls import reverse

from zugong.assessment import events, services
from zugong.assessment.models import EverydayNote, Indicator, Plan, PlanStatus, RaterGroup
from zugong.core.models import AuditEntry, RecycledRecord

from .matrix import _plan

pytestmark = pytest.mark.django_db


def _bin_entry(indicator_pk):
    return RecycledRecord.objects.get(model="assessment.indicator", object_pk=str(indicator_pk))


def test_an_indicator_is_restored_only_while_its_plan_is_a_draft(cast, client):
    plan = _plan(cast, "回收站方案", groups={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 40})
    kept = services.indicator_add(by=None, plan=plan, name="工作实绩", weight=10)
    gone = services.indicator_add(by=None, plan=plan, name="廉洁自律", weight=10)
    kept_pk, gone_pk = kept.pk, gone.pk
    services.indicator_delete(by=cast["assessor"], indicator=kept)
    services.indicator_delete(by=cast["assessor"], indicator=gone)
    entry = _bin_entry(kept_pk)
    assert (entry.cap, entry.department_id) == ("assessment.manage", cast.dept.pk)

    client.force_login(cast["assessor"])
    assert "工作实绩" in client.get(reverse("console:recycle")).content.decode()
    client.post(reverse("console:recycle_restore", args=[entry.pk]))
    assert Indicator.objects.get(pk=kept_pk).plan_id == plan.pk

    # Scoring has begun (opening itself is tested elsewhere): indicators are fixed now.
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.SCORING)
    response = client.post(reverse("console:recycle_restore", args=[_bin_entry(gone_pk).pk]),
                           follow=True)
    assert "方案已不在准备阶段" in response.content.decode()
    assert not Indicator.objects.filter(pk=gone_pk).exists()
    assert RecycledRecord.objects.filter(object_pk=str(gone_pk)).exists()


def test_a_draft_plan_is_deleted_whole_and_restored_by_whoever_runs_the_plans(cast, client):
    plan = _plan(cast, "误建的方案", groups={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 40})
    pk = plan.pk
    indicators = list(plan.indicators.values_list("pk", flat=True))
    assessees = plan.assessees.count()
    client.force_login(cast["assessor"])
    assert "误建的方案" in client.get(reverse("assessment:plans")).content.decode()
    delete_url = reverse("assessment:plan_delete", args=[pk])
    assert delete_url in client.get(reverse("assessment:plan", args=[pk])).content.decode()
    assert "回收站" in client.get(delete_url).content.decode()
    response = client.post(delete_url, follow=True)
    assert "方案已移入回收站" in response.content.decode()
    assert not Plan.objects.filter(pk=pk).exists()
    assert "误建的方案" not in client.get(reverse("assessment:plans")).content.decode()
    entry = RecycledRecord.objects.get(model="assessment.plan", object_pk=str(pk))
    assert AuditEntry.objects.get(action=events.PLAN_DELETE).after == {"recycled": entry.pk}

    client.force_login(cast["head"])
    client.post(reverse("console:recycle_restore", args=[entry.pk]))
    back = Plan.objects.get(pk=pk)
    assert list(back.indicators.values_list("pk", flat=True)) == indicators
    assert back.assessees.count() == assessees


def test_an_open_plan_is_not_deleted(cast, client):
    plan = _plan(cast, "已开始的方案", groups={RaterGroup.HEAD: 60, RaterGroup.DEMOCRATIC: 40},
                 status="scoring")
    client.force_login(cast["assessor"])
    response = client.post(reverse("assessment:plan_delete", args=[plan.pk]), follow=True)
    assert "只能删除" in response.content.decode()
    assert Plan.objects.filter(pk=plan.pk).exists()
    response = client.delete(f"/api/v1/assessment/plans/{plan.pk}")
    assert response.status_code == 422
    client.force_login(cast["cadre"])  # sees the plan, does not run it
    assert client.delete(f"/api/v1/assessment/plans/{plan.pk}").status_code == 403


def test_an_everyday_note_is_deleted_and_restored_by_a_leader_in_scope(cast, client):
    cadre = cast.people["cadre"]
    note = services.everyday_note_add(by=cast["chief"], person=cadre,
                                      on=dt.date(2026, 3, 2), positive=False,
                                      text="未按时报送材料")
    pk = note.pk
    notes = f"{reverse('assessment:notes')}?person={cadre.pk}"
    client.force_login(cast["cadre"])  # reads the note about herself, may not delete it
    assert "未按时报送材料" in client.get(notes).content.decode()
    assert client.post(reverse("assessment:note_delete", args=[pk])).status_code == 403
    client.force_login(cast["chief"])
    delete_url = reverse("assessment:note_delete", args=[pk])
    assert delete_url in client.get(notes).content.decode()
    response = client.post(delete_url, follow=True)
    assert "记实已移入回收站" in response.content.decode()
    assert not EverydayNote.objects.filter(pk=pk).exists()
    deleted = AuditEntry.objects.get(action=events.NOTE_DELETE)
    assert "未按时" not in str(deleted.before) + deleted.object_repr

    client.post(reverse("console:recycle_restore", args=[
        RecycledRecord.objects.get(model="assessment.everydaynote", object_pk=str(pk)).pk]))
    assert EverydayNote.objects.get(pk=pk).text == "未按时报送材料"
