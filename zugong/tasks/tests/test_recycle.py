"""Deleting tasks and monthly items: only what was entered by mistake (a ledger is never
deleted), into the recycle bin, out of the lists and the parent's progress, back with it;
who may, and the guards on putting them back."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import today
from zugong.core import recycle
from zugong.core.audit import SYSTEM
from zugong.core.models import AuditEntry, RecycledRecord
from zugong.tasks import events, services
from zugong.tasks.models import MonthlyItem, Task, TaskStatus, YearClearance

pytestmark = pytest.mark.django_db



def _task(cast, title, parent=None, lead="cadre"):
    return services.task_create(by=SYSTEM, title=title, section=cast.sec_org,
                                lead=cast.people[lead], deputy=cast.people["deputy"],
                                start=today() - dt.timedelta(days=10),
                                deadline=today() + dt.timedelta(days=30), parent=parent)


def _entry(model, pk):
    return RecycledRecord.objects.get(model=model, object_pk=str(pk))


def test_a_sub_task_entered_by_mistake_leaves_the_list_and_the_parents_progress(cast, client):
    parent = _task(cast, "基层党建三年行动")
    done_half = _task(cast, "摸底调研", parent=parent)
    mistake = _task(cast, "重复录入的子任务", parent=parent)
    pk = mistake.pk
    services.entry_add(by=cast["cadre"], task=done_half, on=today(), text="完成六成", percent=60)
    # Two sub-tasks of weight 1 at 60% and 0%: the parent stands at (60 + 0) / 2 = 30%.
    assert Task.objects.get(pk=parent.pk).progress == 30

    client.force_login(cast["chief"])
    page = client.get(reverse("tasks:task", args=[pk])).content.decode()
    delete_url = reverse("tasks:task_delete", args=[pk])
    assert delete_url in page
    assert "重复录入的子任务" in client.get(delete_url).content.decode()
    response = client.post(delete_url, follow=True)
    assert "任务已移入回收站" in response.content.decode()
    assert not Task.objects.filter(pk=pk).exists()
    assert "重复录入的子任务" not in client.get(
        reverse("tasks:task", args=[parent.pk])).content.decode()
    # One sub-task left, at 60%: so is the parent.
    assert Task.objects.get(pk=parent.pk).progress == 60
    deleted = AuditEntry.objects.get(action=events.TASK_DELETE)
    assert (deleted.object_id, deleted.actor) == (str(pk), cast["chief"])

    # The chief (the cadre who leads it is in the chief's scope) restores it: 30% again.
    client.post(reverse("console:recycle_restore", args=[_entry("tasks.task", pk).pk]))
    assert Task.objects.get(pk=pk).title == "重复录入的子任务"
    assert Task.objects.get(pk=parent.pk).progress == 30
    assert AuditEntry.objects.get(action=recycle.RESTORE).actor == cast["chief"]


def test_a_task_with_a_ledger_is_not_deleted_but_cancelled(cast, client):
    task = _task(cast, "已有台账的任务")
    services.entry_add(by=cast["cadre"], task=task, on=today(), text="启动", percent=10)
    client.force_login(cast["chief"])
    assert reverse("tasks:task_delete", args=[task.pk]) not in client.get(
        reverse("tasks:task", args=[task.pk])).content.decode()
    response = client.post(reverse("tasks:task_delete", args=[task.pk]), follow=True)
    assert "台账" in response.content.decode() and "取消" in response.content.decode()
    assert Task.objects.filter(pk=task.pk).exists()
    assert not RecycledRecord.objects.exists()


def test_who_may_delete_a_task(cast, client):
    """Whoever may assign tasks in the section: head, deputy in charge, section chief. The
    cadre leading it sees it but may not (403); another county's head sees nothing (404)."""
    expected = {"cadre": 403, "supervisor": 403, "cadre2": 404, "outsider": 404,
                "head": 302, "deputy": 302, "chief": 302}
    seen = {}
    for name in expected:
        task = _task(cast, f"权限测试{name}")
        client.force_login(cast[name])
        seen[name] = client.post(reverse("tasks:task_delete", args=[task.pk])).status_code
    assert seen == expected
    assert Task.objects.count() == 7 - 3


def test_the_api_deletes_a_task_and_explains_a_refusal(cast, client):
    task = _task(cast, "接口删除")
    kept = _task(cast, "接口删除被拒")
    services.entry_add(by=cast["cadre"], task=kept, on=today(), text="启动", percent=10)
    client.force_login(cast["chief"])
    response = client.delete(f"/api/v1/tasks/{kept.pk}")
    assert response.status_code == 422
    assert "台账" in response.json()["error"]["message"]
    assert client.delete(f"/api/v1/tasks/{task.pk}").status_code == 204
    assert client.delete(f"/api/v1/tasks/{task.pk}").status_code == 404


def test_a_task_does_not_come_back_into_a_cleared_year(cast, client):
    task = _task(cast, "年底清零前删除")
    pk, year = task.pk, task.year
    services.task_delete(by=cast["head"], task=task)
    YearClearance.objects.create(department=cast.dept, year=year, cleared_at=timezone.now(),
                                 cleared_by=cast["head"])
    client.force_login(cast["head"])
    response = client.post(reverse("console:recycle_restore",
                                   args=[_entry("tasks.task", pk).pk]), follow=True)
    assert "已清零" in response.content.decode() or "无法恢复" in response.content.decode()
    assert not Task.objects.filter(pk=pk).exists()


def test_a_planned_monthly_item_is_deleted_and_restored_by_the_head(cast, client):
    month = today().strftime("%Y-%m")
    item = services.monthly_item_add(by=SYSTEM, section=cast.sec_org, month=month,
                                     title="完成村级换届调研")
    pk = item.pk
    client.force_login(cast["chief"])
    monthly = f"{reverse('tasks:monthly')}?month={month}"
    delete_url = reverse("tasks:monthly_delete", args=[pk])
    assert delete_url in client.get(monthly).content.decode()
    response = client.post(delete_url, follow=True)
    assert "事项已移入回收站" in response.content.decode()
    assert "完成村级换届调研" not in client.get(monthly).content.decode()
    assert AuditEntry.objects.get(action=events.MONTHLY_DELETE).object_id == str(pk)

    # An item is about no one person: the department's head puts it back.
    client.force_login(cast["head"])
    client.post(reverse("console:recycle_restore", args=[_entry("tasks.monthlyitem", pk).pk]))
    assert MonthlyItem.objects.get(pk=pk).title == "完成村级换届调研"
    assert "完成村级换届调研" in client.get(monthly).content.decode()


def test_a_signed_off_item_is_not_deleted(cast, client):
    item = services.monthly_item_add(by=SYSTEM, section=cast.sec_org,
                                     month=today().strftime("%Y-%m"), title="已销号事项")
    services.monthly_signoff(by=cast["chief"], item=item, note="已完成")
    client.force_login(cast["chief"])
    response = client.post(reverse("tasks:monthly_delete", args=[item.pk]), follow=True)
    assert "销号" in response.content.decode()
    assert MonthlyItem.objects.filter(pk=item.pk).exists()


def test_an_item_does_not_come_back_naming_a_task_of_another_section(cast, client):
    task = _task(cast, "组织室任务")
    item = services.monthly_item_add(by=SYSTEM, section=cast.sec_org,
                                     month=today().strftime("%Y-%m"), title="组织室事项",
                                     task=task)
    pk = item.pk
    services.monthly_item_delete(by=cast["head"], item=item)
    Task.objects.filter(pk=task.pk).update(section=cast.sec_cadre)
    client.force_login(cast["head"])
    response = client.post(reverse("console:recycle_restore",
                                   args=[_entry("tasks.monthlyitem", pk).pk]), follow=True)
    assert "其他科室" in response.content.decode()
    assert not MonthlyItem.objects.filter(pk=pk).exists()
    assert Task.objects.get(pk=task.pk).status == TaskStatus.NOT_STARTED
