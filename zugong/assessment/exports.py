"""xlsx exports of a plan's results and of the consequence lists (audited: they hold
personal results)."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zugong.core.audit import audit_record

from .models import Grade

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(wb, name: str) -> FileResponse:
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX)


def results_xlsx(*, user, plan, rows):
    wb = Workbook()
    ws = wb.active
    ws.title = _("Results")
    labels = dict(Grade.choices)
    ws.append([_("rank"), _("person"), _("unit"), _("score"), _("grade"), _("vetoed"),
               _("adjusted")])
    count = 0
    for a in rows:
        ws.append([a.rank, a.person.name, a.person.unit.name, float(a.score or 0),
                   str(labels.get(a.grade, a.grade)), _("yes") if a.vetoed else "",
                   _("yes") if a.grade != a.computed_grade else ""])
        count += 1
    audit_record(actor=user, action="assessment.export", obj=plan, after={"rows": count})
    return _response(wb, f"assessment-{plan.pk}-results.xlsx")


def consequences_xlsx(*, user, dept, year, rows, **_ignored):
    wb = Workbook()
    ws = wb.active
    ws.title = str(year)
    ws.append([_("consequence"), _("person"), _("unit"), _("annual grades")])
    count = 0
    for row in rows:
        for hit in row.people:
            ws.append([row.label, hit["name"], hit["unit"], " ".join(hit["grades"])])
            count += 1
    audit_record(actor=user, action="assessment.consequences.export", obj=dept,
                 after={"year": year, "rows": count})
    return _response(wb, f"assessment-consequences-{year}.xlsx")
