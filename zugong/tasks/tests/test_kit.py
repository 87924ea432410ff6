"""The task ledger on the platform kit: edits carry the version they started from, every
list pages by cursor, exports are text-safe, event names and the system actor."""

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zugong.core.audit import SYSTEM, action_name_ok
from zugong.core.models import AuditEntry, Notice
from zugong.core.versioning import ConflictError, conflict_message
from zugong.tasks import events, services
from zugong.tasks import tasks as jobs
from zugong.tasks.models import Entry, Inquiry, MonthlyItem, StockTake, Task, TaskStatus

from .helpers import task

N = 205  # more than the 200 rows the old lists silently stopped at


def _open_task(cast, **extra):
    today = timezone.localdate()
    return task(cast, start=today - dt.timedelta(days=3),
                deadline=today + dt.timedelta(days=30), **extra)


def _bulk_tasks(cast, n=N, lead="cadre", year=None):
    today = timezone.localdate()
    Task.objects.bulk_create([
        Task(department=cast.dept, year=year or today.year, title=f"批量任务{i}",
             section=cast.sec_org, lead=cast.people[lead], start=today,
             deadline=today + dt.timedelta(days=i % 7)) for i in range(n)])


# ---------------------------------------------------------------- versions


def test_a_stale_progress_form_gets_the_conflict_message_and_saves_nothing(cast, client_for):
    t = _open_task(cast)
    client = client_for(cast["cadre"])
    url = reverse("tasks:task", args=[t.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    # Someone else records progress after the page was opened.
    services.entry_add(by=cast["chief"], task=t, on=timezone.localdate(), text="先行推进",
                       percent=20, version=1)
    data = {"on": timezone.localdate().isoformat(), "text": "我的进展", "percent": "30"}
    for stale in ({**data, "version": "1"}, data):  # an old version, or none at all
        response = client.post(url, stale)
        assert response.status_code == 200
        assert conflict_message() in response.content.decode()
    assert list(Entry.objects.values_list("text", flat=True)) == ["先行推进"]
    assert Task.objects.get(pk=t.pk).progress == 20
    assert client.post(url, {**data, "version": "2"}).status_code == 302
    assert Task.objects.get(pk=t.pk).version == 3


def test_stale_dispatch_cancel_and_carry_over_forms_are_refused(cast, client_for):
    t = _open_task(cast)
    services.entry_add(by=cast["cadre"], task=t, on=timezone.localdate(), text="推进",
                       percent=10)  # version 2
    head = client_for(cast["head"])
    for name, data in (("tasks:decide", {"text": "抓紧"}), ("tasks:cancel", {"reason": "撤销"}),
                       ("tasks:carry", {"reason": "跨年"})):
        page = head.post(reverse(name, args=[t.pk]), {**data, "version": "1"}, follow=True)
        assert conflict_message() in page.content.decode()
    fresh = Task.objects.get(pk=t.pk)
    assert (fresh.version, fresh.status, fresh.reason) == (2, TaskStatus.IN_PROGRESS, "")
    assert Entry.objects.filter(task=t).count() == 1
    head.post(reverse("tasks:carry", args=[t.pk]), {"reason": "跨年", "version": "2"})
    page = head.post(reverse("tasks:carry_approve", args=[t.pk]), {"version": "2"}, follow=True)
    assert conflict_message() in page.content.decode()
    assert Task.objects.get(pk=t.pk).is_open


def test_the_api_answers_409_to_a_stale_or_missing_version(cast, client_for):
    t = _open_task(cast)
    client = client_for(cast["cadre"])
    assert client.get(reverse("api:get_task", args=[t.pk])).json()["version"] == 1
    url = reverse("api:add_entry", args=[t.pk])
    body = {"on": timezone.localdate().isoformat(), "text": "推进", "percent": 10}
    assert client.post(url, {**body, "version": 1},
                       content_type="application/json").status_code == 201
    assert client.post(url, {**body, "version": 1},
                       content_type="application/json").status_code == 409
    assert client.post(url, body, content_type="application/json").status_code == 409
    assert Entry.objects.filter(task=t).count() == 1


def test_a_service_edit_with_an_old_version_raises_the_conflict(cast):
    t = _open_task(cast)
    services.task_cancel(by=cast["head"], task=t, reason="撤销", version=1)
    with pytest.raises(ConflictError):
        services.carry_over_request(by=cast["head"], task=t, reason="跨年", version=1)


# ---------------------------------------------------------------- paging


def _walk_page(client, url, key, base=None):
    """Follow the pager of a page to the end; the ids of the rows seen."""
    seen, params = [], dict(base or {})
    for _ in range(50):
        response = client.get(url, params)
        assert response.status_code == 200
        page = response.context["page"]
        seen += [key(row) for row in page.items]
        if not page.next:
            return seen
        params = {**(base or {}), "cursor": page.next}
    raise AssertionError("the pager did not end")


def _walk_api(client, url, params=None):
    seen, params = [], dict(params or {})
    for _ in range(50):
        body = client.get(url, params).json()
        seen += [row["id"] for row in body["items"]]
        if not body["next"]:
            return seen
        params["cursor"] = body["next"]
    raise AssertionError("the pager did not end")


def test_every_task_list_reaches_more_than_200_rows_by_walking_the_pages(cast, client_for):
    _bulk_tasks(cast)
    ids = set(Task.objects.values_list("pk", flat=True))
    cadre = client_for(cast["cadre"])
    mine = _walk_page(cadre, reverse("tasks:mine"), lambda row: row.pk)
    assert len(mine) == N and set(mine) == ids
    tab = _walk_page(cadre, reverse("tasks:person_tab", args=[cast.people["cadre"].pk]),
                     lambda row: row.pk)
    assert len(tab) == N and set(tab) == ids
    assert sorted(_walk_api(cadre, reverse("api:list_tasks"))) == sorted(ids)
    head = client_for(cast["head"])
    pending = _walk_page(head, reverse("tasks:clearance"), lambda row: row.pk)
    assert len(pending) == N and set(pending) == ids
    assert sorted(_walk_api(head, reverse("api:dispatch_list"), {"limit": "37"})) == sorted(ids)


def test_inquiries_monthly_items_and_stock_takes_page_past_200(cast, client_for):
    today = timezone.localdate()
    Inquiry.objects.bulk_create([
        Inquiry(department=cast.dept, channel="phone", received_on=today,
                first_receiver=cast.people["cadre"], inquirer=f"群众{i}", question="问",
                due=today + dt.timedelta(days=i % 9)) for i in range(N)])
    month = f"{today:%Y-%m}"
    MonthlyItem.objects.bulk_create([
        MonthlyItem(section=cast.sec_org, month=month, title=f"事项{i}") for i in range(N)])
    StockTake.objects.bulk_create([
        StockTake(department=cast.dept, month=f"{1800 + i // 12}-{i % 12 + 1:02d}",
                  figures={}) for i in range(N)])
    head = client_for(cast["head"])
    rows = _walk_page(head, reverse("tasks:inquiries"), lambda row: row.pk)
    assert len(set(rows)) == N
    assert len(set(_walk_api(head, reverse("api:list_inquiries")))) == N
    items = _walk_page(head, reverse("tasks:monthly"), lambda row: row.pk, {"month": month})
    assert len(set(items)) == N
    takes = _walk_page(head, reverse("tasks:stocktakes"), lambda row: row.pk)
    assert len(set(takes)) == N


PAGES = ("tasks:mine", "tasks:inquiries", "tasks:monthly", "tasks:stocktakes",
         "tasks:clearance")
APIS = ("api:list_tasks", "api:list_inquiries", "api:dispatch_list")


@pytest.mark.parametrize("limit", ["-1", "abc", "100000"])
def test_a_bad_page_size_is_a_422_on_every_list(cast, client_for, limit):
    head = client_for(cast["head"])
    for name in PAGES + APIS:
        assert head.get(reverse(name), {"limit": limit}).status_code == 422, name
    tab = reverse("tasks:person_tab", args=[cast.people["cadre"].pk])
    assert head.get(tab, {"limit": limit}).status_code == 422
    for name in APIS:
        assert head.get(reverse(name), {"offset": "5"}).status_code == 422, name
        assert head.get(reverse(name), {"cursor": "not-ours"}).status_code == 422, name


# ---------------------------------------------------------------- export


def test_the_ledger_export_writes_formula_like_text_as_text_without_control_characters(
        cast, client_for):
    hyperlink = '=HYPERLINK("http://x","y")'
    t = _open_task(cast, title=hyperlink)
    services.entry_add(by=cast["cadre"], task=t, on=timezone.localdate(),
                       text="进展\x01说明", percent=10)
    response = client_for(cast["head"]).get(reverse("tasks:export"))
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    tasks_sheet, ledger = wb.worksheets
    title = tasks_sheet.cell(2, 1)
    assert title.value == hyperlink and title.data_type == "s"
    assert ledger.cell(2, 4).value == "进展说明"
    entry = AuditEntry.objects.get(action=events.TASK_EXPORT)
    assert entry.after == {"tasks": 1, "entries": 1}


# ---------------------------------------------------------------- names and the system


def test_every_action_and_notice_kind_reads_app_entity_verb(cast):
    assert all(action_name_ok(n) for n in events.AUDIT_ACTIONS + events.NOTICE_KINDS)
    t = _open_task(cast)
    services.dispatch_decide(by=cast["head"], task=t, text="本周完成")
    assert AuditEntry.objects.filter(action="tasks.task.dispatch", object_id=str(t.pk)).exists()
    assert Notice.objects.filter(kind="tasks.task.dispatch").exists()


def test_the_monthly_job_acts_as_the_system(cast):
    _open_task(cast)
    jobs.freeze_stocktakes()
    entry = AuditEntry.objects.get(action=events.STOCKTAKE_FREEZE)
    assert entry.actor_id is None and entry.actor_username == SYSTEM.username
