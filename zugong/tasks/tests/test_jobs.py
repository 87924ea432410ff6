"""The scheduled jobs with a fixed clock: reminders before a deadline, overdue notices with
a negative everyday note, escalation to the deputy in charge, the Monday prompt, the
monthly stock-take, overdue inquiries — each leaving a run record."""

import datetime as dt

from zugong.assessment.models import EverydayNote
from zugong.core.models import JobRun, Notice
from zugong.tasks import events, services
from zugong.tasks import tasks as jobs
from zugong.tasks.models import EntryKind, Inquiry, ItemStatus, MonthlyItem, StockTake, TaskStatus

from .helpers import task

D = dt.date


def _notices(user, kind):
    return Notice.objects.filter(recipient=user, kind=kind).count()


def test_reminder_overdue_note_and_escalation_follow_the_clock(cast, clock):
    t = task(cast, deadline=D(2025, 3, 10), deputy=cast.people["deputy"])
    clock.set(D(2025, 3, 7))
    assert jobs.check_deadlines() == "1 reminders, 0 overdue, 0 escalated"
    jobs.check_deadlines()  # a second run the same day tells nobody twice
    assert _notices(cast["cadre"], events.NOTICE_REMIND) == 1

    clock.set(D(2025, 3, 11))
    assert jobs.check_deadlines() == "0 reminders, 1 overdue, 0 escalated"
    t.refresh_from_db()
    assert t.status == TaskStatus.OVERDUE
    note = EverydayNote.objects.get(person=cast.people["cadre"])
    assert not note.positive and note.on == D(2025, 3, 11)
    assert note.source == services.NOTE_SOURCE == "任务台账"
    assert _notices(cast["cadre"], events.NOTICE_OVERDUE) == 1
    assert _notices(cast["deputy"], events.NOTICE_ESCALATE) == 0

    clock.set(D(2025, 3, 15))  # five days overdue: the deputy in charge is told, once
    assert jobs.check_deadlines() == "0 reminders, 0 overdue, 1 escalated"
    jobs.check_deadlines()
    assert _notices(cast["deputy"], events.NOTICE_ESCALATE) == 1
    assert EverydayNote.objects.filter(person=cast.people["cadre"]).count() == 1
    assert [e.kind for e in t.entries.all()] == [EntryKind.NOTICE, EntryKind.NOTICE]
    runs = JobRun.objects.filter(name="tasks_deadlines")
    assert runs.count() == 5 and {r.status for r in runs} == {JobRun.Status.SUCCEEDED}


def test_a_new_deadline_from_the_dispatch_meeting_lifts_the_overdue_state(cast, clock):
    t = task(cast, deadline=D(2025, 3, 10))
    clock.set(D(2025, 3, 12))
    jobs.check_deadlines()
    services.dispatch_decide(by=cast["head"], task=t, text="延期至月底",
                             new_deadline=D(2025, 3, 31))
    t.refresh_from_db()
    assert t.status == TaskStatus.NOT_STARTED and t.deadline == D(2025, 3, 31)


def test_the_monday_prompt_asks_only_leads_without_an_update_this_week(cast, clock):
    fresh = task(cast, title="已更新")
    task(cast, title="未更新", lead="cadre2", section=cast.sec_cadre)
    clock.set(D(2025, 1, 13))
    services.entry_add(by=cast["cadre"], task=fresh, on=D(2025, 1, 13), text="进展", percent=5)
    assert jobs.prompt_weekly_updates() == "1 leads asked for an update"
    assert _notices(cast["cadre2"], events.NOTICE_WEEKLY) == 1
    assert _notices(cast["cadre"], events.NOTICE_WEEKLY) == 0
    assert JobRun.objects.get(name="tasks_weekly_prompt").status == JobRun.Status.SUCCEEDED


def test_the_monthly_job_freezes_last_months_stock_take_and_rolls_items_over(cast, clock):
    t = task(cast, deadline=D(2025, 1, 31))
    MonthlyItem.objects.create(section=cast.sec_org, month="2025-01", title="完成", task=t)
    clock.set(D(2025, 2, 1))
    assert jobs.freeze_stocktakes() == "1 stock-takes of 2025-01 frozen"
    take = StockTake.objects.get(department=cast.dept, month="2025-01")
    assert take.frozen_at and take.figures["total"]["overdue"] == 1
    assert MonthlyItem.objects.get(month="2025-01").status == ItemStatus.ROLLED
    assert jobs.freeze_stocktakes() == "0 stock-takes of 2025-01 frozen"
    assert JobRun.objects.filter(name="tasks_stocktake").count() == 2


def test_an_overdue_inquiry_escalates_and_leaves_a_note_for_whoever_holds_it(cast, clock):
    task(cast, deputy=cast.people["deputy"])  # the deputy in charge of the section
    inq = services.inquiry_add(by=cast["cadre2"], channel="phone", received_on=D(2025, 1, 2),
                               inquirer="群众甲", question="组织关系转接", due=D(2025, 1, 7),
                               handled_by=cast.people["cadre"])
    clock.set(D(2025, 1, 8))
    jobs.check_deadlines()
    inq.refresh_from_db()
    assert inq.escalated
    assert EverydayNote.objects.get(person=cast.people["cadre"]).positive is False
    # The cadre holding it, the cadre's section chief and the deputy in charge are told.
    for name in ("cadre", "chief", "deputy"):
        assert _notices(cast[name], events.NOTICE_INQUIRY_OVERDUE) == 1
    assert _notices(cast["cadre2"], events.NOTICE_INQUIRY_OVERDUE) == 0
    services.inquiry_close(by=cast["chief"], inquiry=inq, reply="已告知流程",
                           satisfaction="satisfied")
    assert Inquiry.objects.get(pk=inq.pk).closed_on == D(2025, 1, 8)
