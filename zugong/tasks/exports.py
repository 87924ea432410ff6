"""xlsx export of task ledgers: one sheet of tasks, one of every ledger entry."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zugong.core.audit import audit_record

from .models import Entry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ledgers(user, tasks) -> FileResponse:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Tasks")
    ws.append([_("title"), _("section"), _("lead person"), _("deputy in charge"), _("source"),
               _("weight"), _("start"), _("deadline"), _("status"), _("progress (%)"),
               _("done on")])
    tasks = list(tasks)
    for t in tasks:
        ws.append([t.title, t.section.name, t.lead.name, t.deputy.name if t.deputy else "",
                   t.get_source_display(), float(t.weight), t.start, t.deadline,
                   t.get_status_display(), t.progress, t.done_on])
    sheet = wb.create_sheet(_("Ledger"))
    sheet.append([_("title"), _("date"), _("kind"), _("text"), _("percentage"),
                  _("new deadline")])
    for e in Entry.objects.filter(task__in=[t.pk for t in tasks]).select_related("task"):
        sheet.append([e.task.title, e.on, e.get_kind_display(), e.text, e.percent,
                      e.new_deadline])
    audit_record(actor=user, action="tasks.export", object_type="tasks.task",
                 after={"tasks": len(tasks)})
    return _response(wb, "tasks.xlsx")


def _response(wb: Workbook, name: str) -> FileResponse:
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX)


def stocktakes(user, takes) -> FileResponse:
    """Frozen stock-takes month by month: the department, then each section and person."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Stock-takes")
    keys = ("due", "done", "on_time", "late", "overdue")
    ws.append([_("month"), _("level"), _("name"), _("due"), _("done"), _("on time"),
               _("late"), _("overdue")])
    takes = list(takes)
    for take in takes:
        fig = take.figures
        ws.append([take.month, _("whole department"), take.department.name,
                   *[fig["total"][k] for k in keys]])
        for level, label in (("sections", _("section")), ("people", _("person"))):
            for row in fig.get(level, {}).values():
                ws.append([take.month, label, row["name"], *[row[k] for k in keys]])
    audit_record(actor=user, action="tasks.stocktake.export", object_type="tasks.stocktake",
                 after={"months": len(takes)})
    return _response(wb, "stocktakes.xlsx")
