"""xlsx exports of the task ledger, written through ``zugong.core.xlsx`` (text-safe cells,
frozen header, widths): task ledgers (one sheet of tasks, one of every ledger entry) and
the frozen stock-takes."""

from __future__ import annotations

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zugong.core.audit import audit_record
from zugong.core.xlsx import Column, Sheet, xlsx_response
from zugong.people.access import require_cap

from . import events, selectors
from .access import Cap
from .models import Entry


def ledgers(user, tasks) -> FileResponse:
    tasks = tasks.select_related("section", "lead", "deputy", "deadline_lead").order_by(
        "deadline", "pk")
    task_columns = [
        Column(_("title"), value=lambda t: t.title, width=40),
        Column(_("section"), value=lambda t: t.section.name, width=16),
        Column(_("lead person"), value=lambda t: t.lead.name, width=12),
        Column(_("deputy in charge"), value=lambda t: t.deputy.name if t.deputy else "",
               width=12),
        Column(_("source"), value=lambda t: t.get_source_display()),
        Column(_("weight"), value=lambda t: float(t.weight)),
        Column(_("start"), value=lambda t: t.start, width=12),
        Column(_("deadline"), value=lambda t: t.deadline, width=12),
        # The on-time rate measures against the original deadline (issue 15).
        Column(_("original deadline"), value=lambda t: t.original_deadline, width=12),
        Column(_("lead at the deadline"),
               value=lambda t: t.deadline_lead.name if t.deadline_lead else t.lead.name,
               width=12),
        Column(_("status"), value=lambda t: t.get_status_display()),
        Column(_("progress (%)"), value=lambda t: t.progress),
        Column(_("done on"), value=lambda t: t.done_on, width=12),
        Column(_("claimed completion date"), value=lambda t: t.done_claimed_on, width=12),
        Column(_("on time"), value=lambda t: _("yes") if t.on_time else ""),
    ]
    entry_columns = [
        Column(_("title"), value=lambda e: e.task.title, width=40),
        Column(_("date"), value=lambda e: e.on, width=12),
        Column(_("kind"), value=lambda e: e.get_kind_display()),
        Column(_("text"), value=lambda e: e.text, width=60),
        Column(_("percentage"), value=lambda e: e.percent),
        Column(_("new deadline"), value=lambda e: e.new_deadline, width=12),
    ]
    entries = Entry.objects.filter(task__in=tasks.values("pk")).select_related(
        "task").order_by("on", "pk")
    name = pgettext("file name", "task ledger")
    response = xlsx_response(filename=f"{name}-{timezone.localdate():%Y%m%d}.xlsx", sheets=[
        Sheet(title=_("Tasks"), columns=task_columns, rows=tasks),
        Sheet(title=_("Ledger"), columns=entry_columns, rows=entries),
    ])
    audit_record(actor=user, action=events.TASK_EXPORT, object_type="tasks.task",
                 after={"tasks": response.row_counts[0], "entries": response.row_counts[1]})
    return response


def stocktakes(user, takes) -> FileResponse:
    """Frozen stock-takes month by month: the department, then each section and person."""
    keys = ("due", "done", "on_time", "late", "overdue")
    takes = list(takes)

    def rows():
        for take in takes:
            fig = take.figures
            yield [take.month.key, _("whole department"), take.department.name,
                   *[fig["total"][k] for k in keys]]
            for level, label in (("sections", _("section")), ("people", _("person"))):
                for row in fig.get(level, {}).values():
                    yield [take.month.key, label, row["name"], *[row[k] for k in keys]]

    columns = [Column(_("month"), width=10), Column(_("level")), Column(_("name"), width=20),
               Column(_("due")), Column(_("done")), Column(_("on time")), Column(_("late")),
               Column(_("overdue"))]
    name = pgettext("file name", "stock-takes")
    response = xlsx_response(filename=f"{name}-{timezone.localdate():%Y%m%d}.xlsx", sheets=[
        Sheet(title=_("Stock-takes"), columns=columns, rows=rows())])
    audit_record(actor=user, action=events.STOCKTAKE_EXPORT, object_type="tasks.stocktake",
                 after={"months": len(takes), "rows": response.row_counts[0]})
    return response


def ledger_tasks(user, query):
    """The tasks of the year the page asks for (this year by default)."""
    raw = query.get("year", "")
    year = int(raw) if raw.isdigit() else timezone.localdate().year
    return selectors.tasks_for(user).filter(year=year)


def ledgers_export(user, query):
    """The ledgers' export from the page's query (in the request or as a job)."""
    require_cap(user, Cap.TASKS_VIEW)
    return ledgers(user, ledger_tasks(user, query))
