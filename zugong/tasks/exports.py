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
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename="tasks.xlsx", content_type=XLSX)
