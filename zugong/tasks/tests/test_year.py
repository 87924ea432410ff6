"""A test year of the task ledger driven by a fixed clock: decomposition, weekly updates
(one task without), dispatch, a monthly plan with sign-off and roll-over, frozen
stock-takes, the quarterly evaluation and a year-end clearance — each figure checked."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zugong.core import metrics
from zugong.core.periods import Period
from zugong.people.models import Person
from zugong.tasks import selectors, services
from zugong.tasks.models import (
    Entry,
    EntryKind,
    ItemStatus,
    MonthlyItem,
    Source,
    Task,
    TaskStatus,
)

from .helpers import evidence, task

D = dt.date


@pytest.fixture
def year(cast, clock):
    """Targets broken down on 2 January 2025."""
    target = services.target_add(by=cast["head"], department=cast.dept, year=2025,
                                 title="基层组织建设质量提升")
    a = task(cast, title="软弱涣散党组织整顿", weight=3, deputy=cast.people["deputy"],
             target=target, co_workers=[cast.people["chief"]])
    a1 = task(cast, title="摸排软弱涣散党组织", parent=a, deadline=D(2025, 3, 15),
              deputy=cast.people["deputy"])
    a2 = task(cast, title="逐村制定整顿方案", parent=a, weight=3, lead="chief",
              deputy=cast.people["deputy"])
    b = task(cast, title="发展党员年度计划", weight=2, deadline=D(2025, 2, 28),
             source=Source.MEETING, deputy=cast.people["deputy"])
    c = task(cast, title="干部档案专项审核", section=cast.sec_cadre, lead="cadre2",
             deadline=D(2025, 3, 20), source=Source.UPPER)
    return {"target": target, "a": a, "a1": a1, "a2": a2, "b": b, "c": c}


def _refresh(tasks):
    for t in tasks.values():
        t.refresh_from_db()


def test_a_year_walks_from_decomposition_to_clearance(cast, clock, year):
    t = year
    assert t["a"].target == t["target"] and t["a"].co_workers.get() == cast.people["chief"]
    assert list(t["a"].children.order_by("pk")) == [t["a1"], t["a2"]]

    # Week of 6 January: everyone reports except the archive audit (C).
    clock.set(D(2025, 1, 8))
    services.entry_add(by=cast["cadre"], task=t["a1"], on=D(2025, 1, 8), text="摸排过半",
                       percent=50)
    services.entry_add(by=cast["chief"], task=t["a2"], on=D(2025, 1, 8), text="方案起草",
                       percent=20)
    services.entry_add(by=cast["cadre"], task=t["b"], on=D(2025, 1, 8), text="名额分配",
                       percent=40)
    _refresh(t)
    # The parent's progress is the weighted mean of its sub-tasks: (50×1 + 20×3) / 4.
    assert t["a"].progress == 27 and t["a"].status == TaskStatus.IN_PROGRESS
    assert t["a"].last_update_on == D(2025, 1, 8)

    clock.set(D(2025, 1, 10))
    groups = selectors.dispatch(user=cast["head"])
    by_section = {unit.pk: rows for unit, rows in groups}
    assert [r.task.title for r in by_section[cast.sec_cadre.pk]] == ["干部档案专项审核"]
    stale = [r.task for _u, rows in groups for r in rows if r.stale]
    assert stale == [t["c"]]
    assert len(by_section[cast.sec_org.pk]) == 4

    # The meeting's decision lands in C's ledger and moves the deadline.
    services.dispatch_decide(by=cast["head"], task=t["c"], text="本月内完成首批审核",
                             new_deadline=D(2025, 3, 25))
    t["c"].refresh_from_db()
    assert t["c"].deadline == D(2025, 3, 25)
    decision = t["c"].entries.get()
    assert decision.kind == EntryKind.DISPATCH and decision.new_deadline == D(2025, 3, 25)

    # January's plan: two items; one signed off with evidence and approved by the deputy
    # in charge, the other rolls over to February, marked.
    item_b = services.monthly_item_add(by=cast["chief"], section=cast.sec_org,
                                       month="2025-01", title="完成名额分配", task=t["b"])
    item_a1 = services.monthly_item_add(by=cast["chief"], section=cast.sec_org,
                                        month="2025-01", title="完成摸排", task=t["a1"])
    with pytest.raises(ValidationError) as exc:
        services.monthly_signoff(by=cast["chief"], item=item_b)
    assert "evidence" in exc.value.message_dict
    item_b.refresh_from_db()
    assert item_b.status == ItemStatus.PLANNED
    services.monthly_signoff(by=cast["chief"], item=item_b, evidence=evidence())
    with pytest.raises(PermissionDenied):
        services.monthly_approve(by=cast["chief"], item=item_b)
    services.monthly_approve(by=cast["deputy"], item=item_b)
    clock.set(D(2025, 2, 1))
    assert services.month_roll_over(by=None, department=cast.dept, month="2025-01") == 1
    item_a1.refresh_from_db()
    assert item_a1.status == ItemStatus.ROLLED
    rolled = MonthlyItem.objects.get(month="2025-02")
    assert rolled.rolled_from == item_a1 and rolled.title == "完成摸排"
    assert MonthlyItem.objects.get(pk=item_b.pk).status == ItemStatus.APPROVED

    # B done on time, A1 late, A2 on time, A closed on its deadline; C stays open at 30 %.
    clock.set(D(2025, 2, 20))
    services.entry_add(by=cast["cadre"], task=t["b"], on=D(2025, 2, 20), text="计划完成",
                       percent=100, evidence=evidence())
    clock.set(D(2025, 3, 1))
    take_feb = services.stocktake_freeze(by=cast["head"], department=cast.dept,
                                         month="2025-02")
    assert take_feb.figures["total"] == {"due": 1, "done": 1, "on_time": 1, "late": 0,
                                         "overdue": 0}
    clock.set(D(2025, 3, 18))
    services.entry_add(by=cast["cadre"], task=t["a1"], on=D(2025, 3, 18), text="摸排完成",
                       percent=100, evidence=evidence())
    services.entry_add(by=cast["cadre2"], task=t["c"], on=D(2025, 3, 18), text="审核三成",
                       percent=30)
    clock.set(D(2025, 3, 28))
    services.entry_add(by=cast["chief"], task=t["a2"], on=D(2025, 3, 28), text="方案全部制定",
                       percent=100, evidence=evidence())
    t["a"].refresh_from_db()
    assert t["a"].progress == 100
    clock.set(D(2025, 3, 31))
    services.entry_add(by=cast["cadre"], task=t["a"], on=D(2025, 3, 31), text="整顿验收",
                       percent=100, evidence=evidence())

    # March stock-take, frozen on 1 April: 5 due, 4 done (3 on time, 1 late), 1 overdue.
    clock.set(D(2025, 4, 1))
    take = services.stocktake_freeze(by=cast["head"], department=cast.dept, month="2025-03")
    assert take.figures["total"] == {"due": 5, "done": 4, "on_time": 3, "late": 1,
                                     "overdue": 1}
    assert take.figures["sections"][str(cast.sec_cadre.pk)]["overdue"] == 1
    assert take.figures["people"][str(cast.people["cadre"].pk)] == {
        "name": "李小红", "due": 3, "done": 3, "on_time": 2, "late": 1, "overdue": 0}
    # Month to month: February's snapshot did not move when March's tasks closed.
    take_feb.refresh_from_db()
    assert take_feb.figures["total"]["due"] == 1
    # A frozen stock-take refuses edits and a second freeze.
    with pytest.raises(ValidationError):
        services.stocktake_edit(by=cast["head"], take=take, figures={})
    with pytest.raises(ValidationError):
        services.stocktake_freeze(by=cast["head"], department=cast.dept, month="2025-03")

    # Quarterly evaluation of Q1 as metrics.
    people = Person.objects.filter(pk__in=[cast.people[n].pk for n in
                                           ("cadre", "chief", "cadre2")])
    q1 = (D(2025, 1, 1), D(2025, 3, 31))
    rate = metrics.get("tasks.on_time_rate").totals(people=people, start=q1[0], end=q1[1])
    assert rate[(cast.people["cadre"].pk, None)] == Decimal("66.7")  # 2 of 3
    assert rate[(cast.people["chief"].pk, None)] == Decimal("100.0")
    assert rate[(cast.people["cadre2"].pk, None)] == Decimal("0.0")
    weighted = metrics.get("tasks.weighted_completion").totals(people=people, start=q1[0],
                                                                end=q1[1])
    assert weighted[(cast.people["cadre"].pk, None)] == Decimal("100.0")
    assert weighted[(cast.people["cadre2"].pk, None)] == Decimal("30.0")
    done = metrics.get("tasks.done").totals(people=people, start=q1[0], end=q1[1])
    assert done[(cast.people["cadre"].pk, None)] == 3
    sections = {r["name"]: r for r in selectors.quarterly(
        user=cast["head"], quarter=Period.parse("2025-Q1")) if r["kind"] == "section"}
    assert sections["组织室"]["on_time_rate"] == 75.0  # A, A2, B on time; A1 late
    assert sections["干部室"]["due"] == 1 and sections["干部室"]["done"] == 0

    # Year end: C is neither closed nor approved, so the year cannot be cleared.
    clock.set(D(2025, 12, 31))
    with pytest.raises(ValidationError) as exc:
        services.year_clear(by=cast["head"], department=cast.dept, year=2025)
    assert "year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.carry_over_request(by=cast["head"], task=t["c"], reason=" ")
    assert "reason" in exc.value.message_dict
    services.carry_over_request(by=cast["head"], task=t["c"], reason="上级调整审核范围")
    assert list(services.clearance_pending(cast.dept, 2025)) == [t["c"]]
    with pytest.raises(ValidationError):
        services.year_clear(by=cast["head"], department=cast.dept, year=2025)
    with pytest.raises(PermissionDenied):
        services.carry_over_approve(by=cast["deputy"], task=t["c"])
    services.carry_over_approve(by=cast["head"], task=t["c"])
    t["c"].refresh_from_db()
    assert t["c"].status == TaskStatus.CARRIED
    assert Task.objects.get(year=2026, title="干部档案专项审核").progress == 30
    assert not services.clearance_pending(cast.dept, 2025).exists()
    cleared = services.year_clear(by=cast["head"], department=cast.dept, year=2025)
    assert cleared.year == 2025


def test_a_deadline_before_the_start_is_refused_and_nothing_is_saved(cast, clock):
    with pytest.raises(ValidationError) as exc:
        task(cast, start=D(2025, 3, 1), deadline=D(2025, 2, 1), weight=0)
    assert set(exc.value.message_dict) == {"deadline", "weight"}
    assert not Task.objects.exists()


def test_a_sub_task_cannot_end_after_its_parent(cast, clock):
    parent = task(cast, deadline=D(2025, 3, 31))
    with pytest.raises(ValidationError) as exc:
        task(cast, parent=parent, deadline=D(2025, 4, 30))
    assert "deadline" in exc.value.message_dict


def test_the_ledger_keeps_every_entry_and_corrections_are_new_entries(cast, clock):
    t = task(cast)
    clock.set(D(2025, 1, 9))
    first = services.entry_add(by=cast["cadre"], task=t, on=D(2025, 1, 9), text="完成六成",
                               percent=60)
    services.entry_add(by=cast["cadre"], task=t, on=D(2025, 1, 9), text="更正：实为四成",
                       percent=40, corrects=first)
    t.refresh_from_db()
    assert t.progress == 40
    assert [e.kind for e in t.entries.all()] == [EntryKind.PROGRESS, EntryKind.CORRECTION]
    first.text = "改写"
    with pytest.raises(ValidationError):
        first.save()
    with pytest.raises(ValidationError):
        first.delete()
    with pytest.raises(ValidationError):
        Entry.objects.filter(task=t).update(text="改写")
    with pytest.raises(ValidationError):
        Entry.objects.filter(task=t).delete()
    assert Entry.objects.get(pk=first.pk).text == "完成六成"


def test_finishing_a_task_needs_evidence_and_a_cadre_cannot_update_another_sections_task(
        cast, clock):
    t = task(cast)
    with pytest.raises(ValidationError) as exc:
        services.entry_add(by=cast["cadre"], task=t, on=D(2025, 1, 2), text="完成",
                           percent=100)
    assert "evidence" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        services.entry_add(by=cast["cadre2"], task=t, on=D(2025, 1, 2), text="代填", percent=10)


def test_a_cancelled_task_keeps_its_reason_and_leaves_the_dispatch(cast, clock):
    t = task(cast)
    with pytest.raises(ValidationError):
        services.task_cancel(by=cast["chief"], task=t, reason="")
    services.task_cancel(by=cast["chief"], task=t, reason="上级通知取消")
    t.refresh_from_db()
    assert t.status == TaskStatus.CANCELLED and t.reason == "上级通知取消"
    assert selectors.dispatch(user=cast["head"]) == []
