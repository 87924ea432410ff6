"""Issue 15, "Tasks": on-time rates that a department cannot game, each rule with figures
worked out by hand.

9.1 a completion takes the date it is recorded; backdating needs the deputy's approval;
9.2 a deadline moved at dispatch keeps the original one for the on-time rate;
9.3 lateness stays with whoever led the task at its deadline, not the successor;
9.4 editing a stock-take is audited;
9.5 the reminder and escalation delays are settings.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from zugong.core import metrics
from zugong.core.models import AuditEntry, Notice
from zugong.core.periods import Period
from zugong.people.models import Person
from zugong.tasks import events, selectors, services
from zugong.tasks.models import EntryKind, StockTake, Task, TaskStatus

from .helpers import evidence, task

D = dt.date
Q1 = (D(2025, 1, 1), D(2025, 3, 31))
Q2 = (D(2025, 4, 1), D(2025, 6, 30))


def _rate(cast, names, window=Q1):
    people = Person.objects.filter(pk__in=[cast.people[n].pk for n in names])
    got = metrics.get("tasks.on_time_rate").totals(people=people, start=window[0],
                                                   end=window[1])
    return {n: got.get((cast.people[n].pk, None)) for n in names}


def _actions(action):
    return AuditEntry.objects.filter(action=action)


# ---------------------------------------------------------------- 9.1 completion date


def test_a_backdated_completion_counts_from_the_day_it_is_recorded_until_approved(
        cast, clock):
    t = task(cast, deadline=D(2025, 3, 31), deputy=cast.people["deputy"])
    # Recorded on 3 April, three days late, but dated 30 March (before the deadline).
    clock.set(D(2025, 4, 3))
    entry = services.entry_add(by=cast["cadre"], task=t, on=D(2025, 3, 30), text="完成",
                               percent=100, evidence=evidence())
    t.refresh_from_db()
    assert entry.on == D(2025, 3, 30)  # the ledger keeps what the lead wrote
    assert t.status == TaskStatus.DONE
    assert t.done_on == D(2025, 4, 3) and t.done_claimed_on == D(2025, 3, 30)
    assert not t.on_time
    assert _rate(cast, ["cadre"]) == {"cadre": Decimal("0.0")}  # 0 of 1 on time
    claim = _actions(events.COMPLETION_BACKDATE).get()
    assert claim.after["claimed"] == "2025-03-30" and claim.after["done_on"] == "2025-04-03"
    assert Notice.objects.filter(kind=events.NOTICE_BACKDATE,
                                 recipient=cast["deputy"]).exists()

    # Only the deputy in charge decides; the section chief and the head may not.
    for who in ("chief", "head", "cadre"):
        with pytest.raises(PermissionDenied):
            services.completion_backdate_decide(by=cast[who], task=t, approve=True)
    clock.set(D(2025, 4, 4))
    services.completion_backdate_decide(by=cast["deputy"], task=t, approve=True)
    t.refresh_from_db()
    assert t.done_on == D(2025, 3, 30) and t.done_claimed_on is None and t.on_time
    assert _rate(cast, ["cadre"]) == {"cadre": Decimal("100.0")}
    approval = _actions(events.COMPLETION_APPROVE).get()
    assert approval.before == {"done_on": "2025-04-03"}
    assert approval.after == {"done_on": "2025-03-30"}
    assert t.entries.filter(kind=EntryKind.STATUS).count() == 1
    # Decided once.
    with pytest.raises(ValidationError):
        services.completion_backdate_decide(by=cast["deputy"], task=t, approve=True)


def test_a_refused_backdate_keeps_the_recording_date(cast, clock):
    t = task(cast, deadline=D(2025, 3, 31), deputy=cast.people["deputy"])
    clock.set(D(2025, 4, 3))
    services.entry_add(by=cast["cadre"], task=t, on=D(2025, 3, 30), text="完成",
                       percent=100, evidence=evidence())
    services.completion_backdate_decide(by=cast["deputy"], task=t, approve=False)
    t.refresh_from_db()
    assert t.done_on == D(2025, 4, 3) and t.done_claimed_on is None and not t.on_time
    assert _actions(events.COMPLETION_REFUSE).count() == 1
    assert _rate(cast, ["cadre"]) == {"cadre": Decimal("0.0")}


def test_the_deputy_may_backdate_directly_and_without_a_deputy_the_head_decides(
        cast, clock):
    mine = task(cast, deadline=D(2025, 3, 31), deputy=cast.people["deputy"])
    orphan = task(cast, title="无分管领导的任务", deadline=D(2025, 3, 31))
    clock.set(D(2025, 4, 3))
    services.entry_add(by=cast["deputy"], task=mine, on=D(2025, 3, 30), text="完成",
                       percent=100, evidence=evidence())
    mine.refresh_from_db()
    assert mine.done_on == D(2025, 3, 30) and mine.done_claimed_on is None
    assert _actions(events.COMPLETION_APPROVE).count() == 1

    services.entry_add(by=cast["cadre"], task=orphan, on=D(2025, 3, 31), text="完成",
                       percent=100, evidence=evidence())
    with pytest.raises(PermissionDenied):
        services.completion_backdate_decide(by=cast["deputy"], task=orphan, approve=True)
    services.completion_backdate_decide(by=cast["head"], task=orphan, approve=True)
    orphan.refresh_from_db()
    assert orphan.done_on == D(2025, 3, 31)


def test_a_completion_dated_today_is_no_backdate(cast, clock):
    t = task(cast, deadline=D(2025, 3, 31), deputy=cast.people["deputy"])
    clock.set(D(2025, 3, 20))
    services.entry_add(by=cast["cadre"], task=t, on=D(2025, 3, 20), text="完成",
                       percent=100, evidence=evidence())
    t.refresh_from_db()
    assert t.done_on == D(2025, 3, 20) and t.done_claimed_on is None
    assert not _actions(events.COMPLETION_BACKDATE).exists()


def test_the_deputy_decides_a_backdate_on_the_task_page(cast, clock, client_for):
    t = task(cast, deadline=D(2025, 3, 31), deputy=cast.people["deputy"])
    clock.set(D(2025, 4, 3))
    services.entry_add(by=cast["cadre"], task=t, on=D(2025, 3, 30), text="完成",
                       percent=100, evidence=evidence())
    t.refresh_from_db()
    client = client_for(cast["deputy"])
    page = client.get(reverse("tasks:task", args=[t.pk])).content.decode()
    assert 'id="backdate-form"' in page and "2025-03-30" in page
    url = reverse("tasks:backdate", args=[t.pk])
    bad = client.post(url, {"decision": "maybe", "version": t.version}, follow=True)
    assert bad.status_code == 200 and "请选择批准或不批准" in bad.content.decode()
    t.refresh_from_db()
    assert t.done_on == D(2025, 4, 3)
    ok = client.post(url, {"decision": "approve", "version": t.version})
    assert ok.status_code == 302
    t.refresh_from_db()
    assert t.done_on == D(2025, 3, 30)


# ---------------------------------------------------------------- 9.2 original deadline


def _rescheduled(cast, clock):
    """Due 20 March; on 15 March the dispatch meeting moves it to 10 April; done 5 April."""
    t = task(cast, deadline=D(2025, 3, 20), deputy=cast.people["deputy"])
    clock.set(D(2025, 3, 15))
    services.dispatch_decide(by=cast["head"], task=t, text="延至四月", new_deadline=D(2025, 4, 10))
    clock.set(D(2025, 4, 5))
    services.entry_add(by=cast["cadre"], task=t, on=D(2025, 4, 5), text="完成", percent=100,
                       evidence=evidence())
    t.refresh_from_db()
    return t


def test_a_deadline_moved_at_dispatch_keeps_the_original_for_the_on_time_rate(cast, clock):
    t = _rescheduled(cast, clock)
    assert t.deadline == D(2025, 4, 10) and t.original_deadline == D(2025, 3, 20)
    assert not t.on_time  # done 5 April, after the original 20 March
    # Counted in Q1 (originally due), late: 0 of 1; not counted in Q2 at all.
    assert _rate(cast, ["cadre"], Q1) == {"cadre": Decimal("0.0")}
    assert _rate(cast, ["cadre"], Q2) == {"cadre": None}
    rows = {r["name"]: r for r in selectors.quarterly(user=cast["head"],
                                                      quarter=Period.parse("2025-Q1"))}
    assert rows["组织室"]["due"] == 1 and rows["组织室"]["on_time_rate"] == 0.0
    # The March stock-take counts it as due and, not done by 31 March, overdue.
    clock.set(D(2025, 4, 6))
    figures = services.stocktake_figures(cast.dept, "2025-03", D(2025, 4, 6))
    assert figures["total"] == {"due": 1, "done": 0, "on_time": 0, "late": 0, "overdue": 1}
    april = services.stocktake_figures(cast.dept, "2025-04", D(2025, 4, 6))
    assert april["total"] == {"due": 1, "done": 1, "on_time": 0, "late": 1, "overdue": 0}


def test_the_task_page_and_the_export_show_both_deadlines(cast, clock, client_for):
    t = _rescheduled(cast, clock)
    client = client_for(cast["head"])
    page = client.get(reverse("tasks:task", args=[t.pk])).content.decode()
    assert 'id="task-original-deadline"' in page
    assert "2025-03-20" in page and "2025-04-10" in page
    response = client.get(reverse("tasks:export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["任务"]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index("原定截止日期")].date() == D(2025, 3, 20)
    assert row[header.index("截止日期")].date() == D(2025, 4, 10)
    api = client.get(reverse("api:get_task", args=[t.pk])).json()
    assert api["original_deadline"] == "2025-03-20" and api["deadline"] == "2025-04-10"


def test_a_task_that_was_never_rescheduled_shows_one_deadline(cast, clock, client_for):
    t = task(cast, deadline=D(2025, 3, 31))
    assert t.original_deadline == D(2025, 3, 31)
    page = client_for(cast["head"]).get(reverse("tasks:task", args=[t.pk])).content.decode()
    assert 'id="task-original-deadline"' not in page


# ---------------------------------------------------------------- 9.3 handover


def test_a_handover_leaves_lateness_already_incurred_with_the_predecessor(cast, clock):
    late = task(cast, title="已逾期任务", deadline=D(2025, 2, 28))
    fresh = task(cast, title="未到期任务", deadline=D(2025, 3, 31))
    clock.set(D(2025, 3, 5))
    services.deadlines_check(today=D(2025, 3, 5))
    services.handover(by=cast["head"], person=cast.people["cadre"],
                      successor=cast.people["chief"], note="岗位调整")
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.lead == fresh.lead == cast.people["chief"]
    assert late.deadline_lead == cast.people["cadre"] and fresh.deadline_lead is None
    clock.set(D(2025, 3, 10))
    services.entry_add(by=cast["chief"], task=late, on=D(2025, 3, 10), text="补办完成",
                       percent=100, evidence=evidence())
    clock.set(D(2025, 3, 20))
    services.entry_add(by=cast["chief"], task=fresh, on=D(2025, 3, 20), text="按期完成",
                       percent=100, evidence=evidence())
    # The late task is the predecessor's (0 of 1); the successor met his one deadline.
    assert _rate(cast, ["cadre", "chief"]) == {"cadre": Decimal("0.0"),
                                               "chief": Decimal("100.0")}
    people = {r["name"]: r for r in selectors.quarterly(
        user=cast["head"], quarter=Period.parse("2025-Q1")) if r["kind"] == "person"}
    assert people["李小红"]["due"] == 1 and people["李小红"]["on_time_rate"] == 0.0
    assert people["张建国"]["due"] == 1 and people["张建国"]["on_time_rate"] == 100.0
    figures = services.stocktake_figures(cast.dept, "2025-03", D(2025, 4, 1))
    assert figures["people"][str(cast.people["cadre"].pk)] == {
        "name": "李小红", "due": 1, "done": 1, "on_time": 0, "late": 1, "overdue": 0}
    assert figures["people"][str(cast.people["chief"].pk)] == {
        "name": "张建国", "due": 1, "done": 1, "on_time": 1, "late": 0, "overdue": 0}


def test_a_handover_on_the_deadline_day_passes_the_deadline_on(cast, clock):
    t = task(cast, deadline=D(2025, 3, 5))
    clock.set(D(2025, 3, 5))
    services.handover(by=cast["head"], person=cast.people["cadre"],
                      successor=cast.people["chief"], note="岗位调整")
    t.refresh_from_db()
    assert t.deadline_lead is None
    assert _rate(cast, ["cadre", "chief"]) == {"cadre": None, "chief": Decimal("0.0")}


# ---------------------------------------------------------------- 9.4 stock-take edits


def test_editing_a_stock_take_is_audited(cast, clock):
    take = StockTake.objects.create(department=cast.dept, month="2025-01",
                                    figures={"total": {"due": 2}})
    services.stocktake_edit(by=cast["head"], take=take, figures={"total": {"due": 3}})
    entry = _actions(events.STOCKTAKE_EDIT).get()
    assert entry.actor == cast["head"]
    assert entry.before == {"month": "2025-01", "figures": {"total": {"due": 2}}}
    assert entry.after == {"month": "2025-01", "figures": {"total": {"due": 3}}}


# ---------------------------------------------------------------- 9.5 settings


def _late(cast):
    """Due on 1 January 2025, started in December."""
    return task(cast, title="逾期", start=D(2024, 12, 20), deadline=D(2025, 1, 1))


@override_settings(ZUGONG_TASKS_REMIND_DAYS=7, ZUGONG_TASKS_ESCALATE_DAYS=2)
def test_the_reminder_and_escalation_delays_are_settings(cast, clock):
    task(cast, title="六日后到期", deadline=D(2025, 1, 8))
    late = _late(cast)
    # 2 January: due in 6 days (≤ 7, not ≤ 3) → reminded; the late task 1 day late (< 2).
    sent = services.deadlines_check(today=D(2025, 1, 2))
    assert sent["reminded"] == 1 and sent["escalated"] == 0
    clock.set(D(2025, 1, 3))
    sent = services.deadlines_check(today=D(2025, 1, 3))  # 2 days late (≥ 2, not ≥ 5)
    assert sent["escalated"] == 1
    late.refresh_from_db()
    assert late.escalated


def test_the_delays_default_to_three_and_five_days(cast, clock):
    task(cast, title="四日后到期", deadline=D(2025, 1, 6))
    late = _late(cast)
    assert services.deadlines_check(today=D(2025, 1, 2))["reminded"] == 0
    clock.set(D(2025, 1, 5))
    services.deadlines_check(today=D(2025, 1, 5))  # 4 days late
    late.refresh_from_db()
    assert not late.escalated
    clock.set(D(2025, 1, 6))
    services.deadlines_check(today=D(2025, 1, 6))  # 5 days late
    late.refresh_from_db()
    assert late.escalated


@override_settings(ZUGONG_TASKS_REMIND_DAYS="x", ZUGONG_TASKS_ESCALATE_DAYS=-1)
def test_a_bad_delay_setting_falls_back_to_the_default(cast, clock):
    assert services.remind_days() == 3 and services.escalate_days() == 5


def test_the_migration_recovers_an_original_deadline_from_the_creation_audit(cast, clock):
    from importlib import import_module

    from django.apps import apps

    t = task(cast, deadline=D(2025, 3, 20))
    services.dispatch_decide(by=cast["head"], task=t, text="延期", new_deadline=D(2025, 4, 10))
    # As before the migration: no original deadline kept.
    Task.objects.filter(pk=t.pk).update(original_deadline=D(2025, 4, 10))
    import_module("zugong.tasks.migrations.0002_rules_on_time").fill_original_deadlines(
        apps, None)
    t.refresh_from_db()
    assert t.original_deadline == D(2025, 3, 20) and t.deadline == D(2025, 4, 10)


@pytest.mark.parametrize("month", ["2025", "2025-Q1", "2025-13", "三月"])
def test_a_stock_take_is_taken_per_calendar_month(cast, month):
    """The month is a PeriodField: a year or a quarter is refused with the month message,
    and nothing is stored."""
    with pytest.raises(ValidationError) as exc:
        services.stocktake_freeze(by=cast["head"], department=cast.dept, month=month)
    assert "month" in exc.value.message_dict
    assert not StockTake.objects.filter(department=cast.dept).exists()


def test_stock_take_months_are_periods(cast):
    take = services.stocktake_freeze(by=cast["head"], department=cast.dept, month="2025-03")
    take.refresh_from_db()
    assert take.month == Period.parse("2025-03") and str(take) == "2025-03"
    assert StockTake.objects.filter(month=Period.parse("2025-03")).get() == take
