"""Pages and API of the task ledger: the dispatch view at scale, bad input in Chinese,
the quarterly on-time rate as an automatic assessment indicator, handover, export."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zugong.assessment import services as assessment_services
from zugong.people.models import Person
from zugong.tasks import services
from zugong.tasks.models import (
    Entry,
    EntryKind,
    Handover,
    Inquiry,
    MonthlyItem,
    StockTake,
    Task,
)

from .helpers import evidence, task

D = dt.date


def _bulk(cast, n, start=0):
    today = timezone.localdate()
    Task.objects.bulk_create([
        Task(department=cast.dept, year=today.year, title=f"任务{i}",
             section=(cast.sec_org, cast.sec_cadre, cast.sec_sup)[i % 3],
             lead=cast.people[("cadre", "cadre2", "supervisor")[i % 3]], start=today,
             deadline=today + dt.timedelta(days=i % 40 - 5),
             last_update_on=today if i % 2 else None)
        for i in range(start, start + n)])


def _dispatch_queries(client):
    client.get(reverse("tasks:dispatch"))  # warm-up: session, caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("tasks:dispatch"))
    assert response.status_code == 200
    return len(ctx), response


def test_the_dispatch_view_of_1000_open_tasks_needs_no_more_queries_than_of_10(
        cast, client_for):
    client = client_for(cast["head"])
    _bulk(cast, 10)
    few, _r = _dispatch_queries(client)
    _bulk(cast, 990, start=10)
    many, response = _dispatch_queries(client)
    assert many == few <= 12
    text = response.content.decode()
    assert "1000" in text and text.count("zg-light-red") >= 100
    assert "本周未更新" in text


def test_a_deadline_before_the_start_is_shown_in_chinese_beside_the_field(cast, client_for):
    client = client_for(cast["chief"])
    response = client.post(reverse("tasks:task_add"), {
        "title": "换届筹备", "section": cast.sec_org.pk, "lead": cast.people["cadre"].pk,
        "source": "meeting", "weight": "1", "start": "2026-05-01", "deadline": "2026-04-01"})
    assert response.status_code == 200
    assert "截止日期早于开始日期。" in response.content.decode()
    assert not Task.objects.exists()


def test_a_cadre_records_progress_with_evidence_from_the_task_page(cast, client_for):
    t = task(cast, start=timezone.localdate() - dt.timedelta(days=3),
             deadline=timezone.localdate() + dt.timedelta(days=30))
    client = client_for(cast["cadre"])
    url = reverse("tasks:task", args=[t.pk])
    response = client.post(url, {"on": timezone.localdate().isoformat(), "text": "完成",
                                 "percent": "100", "version": t.version})
    assert "任务完成须上传佐证材料。" in response.content.decode()
    response = client.post(url, {"on": timezone.localdate().isoformat(), "text": "完成",
                                 "percent": "100", "evidence": evidence(),
                                 "version": t.version})
    assert response.status_code == 302
    assert Entry.objects.get(task=t).evidence.name.startswith(f"tasks/evidence/{t.pk}/")


def test_a_sign_off_without_evidence_is_refused_with_a_chinese_message(cast, client_for):
    t = task(cast, deputy=cast.people["deputy"], start=D(2026, 1, 1),
             deadline=D(2026, 12, 31))
    item = services.monthly_item_add(by=cast["chief"], section=cast.sec_org, month="2026-03",
                                     title="调研", task=t)
    client = client_for(cast["chief"])
    response = client.post(reverse("tasks:signoff", args=[item.pk]), follow=True)
    assert "销号须提供佐证：请上传文件或说明佐证材料。" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "planned"


def test_editing_a_frozen_stock_take_is_refused_in_chinese(cast, client_for):
    services.stocktake_freeze(by=cast["head"], department=cast.dept, month="2026-01")
    client = client_for(cast["head"])
    response = client.post(reverse("tasks:stocktakes"), {"month": "2026-01"}, follow=True)
    assert "本月盘点已固化，不能修改。" in response.content.decode()
    assert StockTake.objects.count() == 1


def test_bad_api_input_is_a_structured_422_and_nothing_is_saved(cast, client_for):
    t = task(cast, start=timezone.localdate() - dt.timedelta(days=3),
             deadline=timezone.localdate() + dt.timedelta(days=30))
    client = client_for(cast["cadre"])
    response = client.post(reverse("api:add_entry", args=[t.pk]),
                           {"on": timezone.localdate().isoformat(), "text": "",
                            "percent": 120}, content_type="application/json")
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert set(fields) >= {"text", "percent"}
    assert not Entry.objects.exists()
    detail = client.get(reverse("api:get_task", args=[t.pk])).json()
    assert detail["title"] == t.title and detail["entries"] == []


def test_the_quarterly_on_time_rate_reaches_an_automatic_assessment_indicator(cast, clock):
    from zugong.assessment.tests.helpers import annual_plan

    clock.set(D(2026, 1, 5))
    on_time = task(cast, title="按期", start=D(2026, 1, 5), deadline=D(2026, 2, 27))
    task(cast, title="逾期", start=D(2026, 1, 5), deadline=D(2026, 3, 20))
    clock.set(D(2026, 2, 20))
    services.entry_add(by=cast["cadre"], task=on_time, on=D(2026, 2, 20), text="完成",
                       percent=100, evidence=evidence())
    clock.set(D(2026, 4, 2))
    plan = annual_plan(cast, cast.sec_org, kind="regular", period="2026-Q1",
                       groups={"chief": 100}, indicators=(("工作", 80, 100),))
    assessment_services.indicator_add(by=cast["assessor"], plan=plan, name="任务按期完成率",
                                      weight=20, max_score=100, metric="tasks.on_time_rate",
                                      formula_text="value")
    cadre = Person.objects.get(pk=cast.people["cadre"].pk)
    inds = list(plan.indicators.filter(metric="tasks.on_time_rate"))
    auto = assessment_services.automatic_values(plan, inds, [cadre.pk])
    assert auto[(inds[0].pk, cadre.pk)]["value"] == Decimal("50.0")  # 1 of 2 on time
    assert auto[(inds[0].pk, cadre.pk)]["points"] == Decimal("50.00")


def test_handover_passes_open_tasks_and_inquiries_to_the_successor(cast, clock):
    open_task = task(cast, title="在办")
    done = task(cast, title="已办")
    services.entry_add(by=cast["cadre"], task=done, on=D(2025, 1, 2), text="完成",
                       percent=100, evidence=evidence())
    inq = services.inquiry_add(by=cast["cadre"], channel="visit", received_on=D(2025, 1, 2),
                               inquirer="群众乙", question="入党申请", due=D(2025, 1, 9))
    record = services.handover(by=cast["chief"], person=cast.people["cadre"],
                               successor=cast.people["chief"], note="资料在档案柜第二层")
    assert (record.tasks, record.inquiries) == (1, 1)
    assert Task.objects.get(pk=open_task.pk).lead == cast.people["chief"]
    assert Task.objects.get(pk=done.pk).lead == cast.people["cadre"]
    assert Inquiry.objects.get(pk=inq.pk).handled_by == cast.people["chief"]
    assert open_task.entries.get().kind == EntryKind.HANDOVER
    assert "资料在档案柜第二层" in open_task.entries.get().text
    assert Handover.objects.count() == 1


def test_the_export_lists_tasks_and_ledger_entries(cast, client_for):
    t = task(cast, start=timezone.localdate() - dt.timedelta(days=3),
             deadline=timezone.localdate() + dt.timedelta(days=30))
    services.entry_add(by=cast["cadre"], task=t, on=timezone.localdate(), text="推进",
                       percent=30)
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for(cast["head"]).get(reverse("tasks:export"))
    wb = load_workbook(BytesIO(b"".join(response.streaming_content)))
    tasks_sheet, ledger = wb.worksheets
    assert tasks_sheet.max_row == 2 and tasks_sheet.cell(2, 1).value == t.title
    assert ledger.cell(2, 4).value == "推进"


def test_the_overview_charts_each_section_and_shows_the_quarterly_evaluation(
        cast, client_for):
    today = timezone.localdate()
    t = task(cast, start=today - dt.timedelta(days=3), deadline=today)
    services.entry_add(by=cast["cadre"], task=t, on=today, text="完成", percent=100,
                       evidence=evidence())
    response = client_for(cast["head"]).get(reverse("tasks:overview"))
    text = response.content.decode()
    assert 'id="section-chart-data"' in text and "tasks/tasks.js" in text
    assert response.context["chart"]["done"] == [1]
    row = next(r for r in response.context["evaluation"] if r["kind"] == "person")
    assert (row["name"], row["due"], row["on_time_rate"]) == ("李小红", 1, 100.0)


def test_the_stock_take_export_lists_each_month_by_department_section_and_person(
        cast, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    t = task(cast, start=D(2026, 1, 5), deadline=D(2026, 1, 20))
    t.status, t.done_on = "done", D(2026, 1, 19)
    t.save()
    services.stocktake_freeze(by=cast["head"], department=cast.dept, month="2026-01")
    services.stocktake_freeze(by=cast["head"], department=cast.dept, month="2026-02")
    response = client_for(cast["head"]).get(reverse("tasks:stocktake_export"))
    ws = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    assert ["2026-01", "全部门", "泸溪县委组织部", 1, 1, 1, 0, 0] in rows
    assert ["2026-01", "人员", "李小红", 1, 1, 1, 0, 0] in rows
    assert sum(1 for r in rows if r[0] == "2026-02") == 3  # the task stays due in February


def test_my_tasks_and_the_section_board_need_no_more_queries_with_more_tasks(
        cast, client_for):
    client = client_for(cast["chief"])
    _bulk(cast, 6)
    counts = []
    for extra in (0, 300):
        _bulk(cast, extra, start=100)
        for name in ("tasks:mine", "tasks:board", "tasks:calendar", "tasks:overview"):
            client.get(reverse(name))
        with CaptureQueriesContext(connection) as ctx:
            for name in ("tasks:mine", "tasks:board", "tasks:calendar", "tasks:overview"):
                assert client.get(reverse(name)).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_the_api_lists_the_dispatch_and_registers_inquiries_with_chinese_errors(
        cast, client_for):
    today = timezone.localdate()
    task(cast, start=today - dt.timedelta(days=3), deadline=today - dt.timedelta(days=1))
    client = client_for(cast["chief"])
    rows = client.get(reverse("api:dispatch_list")).json()["items"]
    assert [(r["light"], r["stale"]) for r in rows] == [("red", True)]
    bad = client.post(reverse("api:create_inquiry"), {
        "channel": "fax", "received_on": "2026-03-02", "inquirer": "", "question": "问",
        "due": "2026-03-01"}, content_type="application/json")
    assert bad.status_code == 422
    assert set(bad.json()["error"]["fields"]) == {"channel", "inquirer", "due"}
    assert bad.json()["error"]["fields"]["due"] == ["办结时限早于受理日期。"]
    ok = client.post(reverse("api:create_inquiry"), {
        "channel": "visit", "received_on": "2026-03-02", "inquirer": "群众丙",
        "question": "党费标准", "due": "2026-03-06",
        "handled_by_id": cast.people["cadre"].pk}, content_type="application/json")
    assert ok.status_code == 201 and ok.json()["first_receiver_id"] == cast.people["chief"].pk
    listed = client_for(cast["cadre"]).get(reverse("api:list_inquiries")).json()["items"]
    assert [i["question"] for i in listed] == ["党费标准"]


def test_the_head_records_a_decision_from_the_dispatch_page_and_it_lands_in_the_ledger(
        cast, client_for):
    today = timezone.localdate()
    t = task(cast, start=today - dt.timedelta(days=3), deadline=today + dt.timedelta(days=2))
    client = client_for(cast["head"])
    page = client.get(reverse("tasks:dispatch")).content.decode()
    assert f'action="/tasks/{t.pk}/decide/"' in page
    new = today + dt.timedelta(days=20)
    response = client.post(reverse("tasks:decide", args=[t.pk]), {
        "text": "下周部务会专题汇报", "new_deadline": new.isoformat(), "next": "/tasks/dispatch/",
        "version": t.version})
    assert response.status_code == 302 and response.url == "/tasks/dispatch/"
    entry = Entry.objects.get(task=t)
    assert (entry.kind, entry.text, entry.new_deadline) == (EntryKind.DISPATCH,
                                                            "下周部务会专题汇报", new)
    assert Task.objects.get(pk=t.pk).deadline == new
    empty = client.post(reverse("tasks:decide", args=[t.pk]), {"text": ""}, follow=True)
    assert "此项为必填项。" in empty.content.decode()
    assert Entry.objects.filter(task=t).count() == 1


def test_carry_over_and_clearance_from_the_pages(cast, client_for):
    year = timezone.localdate().year
    t = task(cast, start=dt.date(year, 1, 1), deadline=dt.date(year, 12, 31))
    head = client_for(cast["head"])
    page = head.post(reverse("tasks:clearance"), {"year": year}, follow=True)
    assert "还有1项任务既未办结也未批准结转，本年度不能清零。" in page.content.decode()
    page = head.post(reverse("tasks:carry", args=[t.pk]), {"reason": ""}, follow=True)
    assert Task.objects.get(pk=t.pk).reason == ""
    head.post(reverse("tasks:carry", args=[t.pk]), {"reason": "跨年度实施", "version": 1})
    head.post(reverse("tasks:carry_approve", args=[t.pk]), {"version": 2})
    page = head.post(reverse("tasks:clearance"), {"year": year}, follow=True)
    assert "本年度已清零。" in page.content.decode()


def test_an_inquiry_is_registered_handed_on_and_closed_from_the_register(cast, client_for):
    today = timezone.localdate()
    client = client_for(cast["cadre"])
    bad = client.post(reverse("tasks:inquiries"), {
        "channel": "letter", "received_on": today.isoformat(), "inquirer": "群众丁",
        "question": "问", "due": (today - dt.timedelta(days=1)).isoformat()})
    assert "办结时限早于受理日期。" in bad.content.decode()
    client.post(reverse("tasks:inquiries"), {
        "channel": "letter", "received_on": today.isoformat(), "inquirer": "群众丁",
        "question": "组织关系接转", "due": today.isoformat(),
        "handled_by": cast.people["chief"].pk})
    inq = Inquiry.objects.get()
    assert inq.first_receiver == cast.people["cadre"] and inq.handled_by == cast.people["chief"]
    client_for(cast["chief"]).post(reverse("tasks:inquiry_close", args=[inq.pk]),
                                   {"reply": "已电话告知", "satisfaction": "satisfied"})
    inq.refresh_from_db()
    assert inq.closed_on == today and inq.satisfaction == "satisfied"


def test_a_handover_from_the_page_needs_a_note(cast, client_for):
    today = timezone.localdate()
    task(cast, start=today - dt.timedelta(days=3), deadline=today + dt.timedelta(days=9))
    client = client_for(cast["chief"])
    data = {"person": cast.people["cadre"].pk, "successor": cast.people["chief"].pk}
    refused = client.post(reverse("tasks:handover"), {**data, "note": " "})
    assert "此项为必填项。" in refused.content.decode()
    assert client.post(reverse("tasks:handover"), {**data, "note": "资料已移交"}).status_code == 302
    assert Task.objects.get().lead == cast.people["chief"]


def test_targets_show_the_weighted_progress_of_their_tasks(cast, client_for):
    today = timezone.localdate()
    assert client_for(cast["chief"]).post(reverse("tasks:targets"),
                                          {"title": "科室目标"}).status_code == 403
    client = client_for(cast["head"])
    assert client.post(reverse("tasks:targets"), {"title": " "}).status_code == 200
    client.post(reverse("tasks:targets"), {"title": "党建引领基层治理"})
    target = cast.dept.task_targets.get()
    for weight, percent in ((1, 100), (3, 20)):
        t = task(cast, by="chief", start=today - dt.timedelta(days=3),
                 deadline=today + dt.timedelta(days=30), target=target, weight=weight)
        services.entry_add(by=cast["cadre"], task=t, on=today, text="推进", percent=percent,
                           evidence=evidence() if percent == 100 else None)
    row = client.get(reverse("tasks:targets")).context["rows"][0]
    assert (row["tasks"], row["progress"]) == (2, 40.0)  # (100×1 + 20×3) / 4


def test_stock_takes_compare_sections_month_to_month(cast, client_for):
    t = task(cast, start=D(2026, 1, 5), deadline=D(2026, 1, 20))
    t.status, t.done_on = "done", D(2026, 1, 25)
    t.save()
    services.stocktake_freeze(by=cast["head"], department=cast.dept, month="2026-01")
    services.stocktake_freeze(by=cast["head"], department=cast.dept, month="2026-02")
    response = client_for(cast["head"]).get(reverse("tasks:stocktakes"))
    assert [m.key for m in response.context["months"]] == ["2026-01", "2026-02"]
    assert response.context["compare"] == [{"name": "组织室", "cells": ["0/1", "0/1"]}]


def test_the_monthly_plan_needs_no_more_queries_with_more_items_and_offers_the_right_approvals(
        cast, client_for):
    month = timezone.localdate().strftime("%Y-%m")
    deputy_task = task(cast, title="副部长分管", deputy=cast.people["deputy"])
    client = client_for(cast["head"])
    url = f"{reverse('tasks:monthly')}?month={month}"

    def items(n, start):
        # Signed items awaiting approval: half without a task (the head approves them),
        # half under the deputy's task (only the deputy does), in every section.
        MonthlyItem.objects.bulk_create([
            MonthlyItem(section=(cast.sec_org, cast.sec_cadre, cast.sec_sup)[i % 3],
                        month=month, title=f"事项{i}", status="signed",
                        task=deputy_task if i % 2 else None)
            for i in range(start, start + n)])

    def measure():
        client.get(url)  # warm-up: session, caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx), response.content.decode().count(">审核通过</button>")

    items(2, 0)
    small = measure()
    items(8, 2)
    large = measure()
    assert small[0] == large[0]
    assert (small[1], large[1]) == (1, 5)
