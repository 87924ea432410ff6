"""xlsx exports of learning records and of compliance, with the page's filters applied."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zugong.core.audit import audit_record

from .compliance import Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(wb: Workbook, name: str) -> FileResponse:
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX)


def _columns(kind: str) -> list[tuple[str, callable]]:
    common = [(_("person"), lambda r: r.person.name), (_("unit"), lambda r: r.person.unit.name),
              (_("date"), lambda r: r.on)]
    extra = {
        "study": [(_("hours"), lambda r: float(r.hours)),
                  (_("form"), lambda r: r.get_form_display()), (_("topic"), lambda r: r.topic)],
        "note": [(_("title"), lambda r: r.title), (_("characters"), lambda r: r.char_count),
                 (_("paper notebook"), lambda r: _("yes") if r.is_paper else _("no"))],
        "book": [(_("title"), lambda r: r.title), (_("author"), lambda r: r.author),
                 (_("from the reading list"),
                  lambda r: _("yes") if r.reading_item_id else _("no"))],
        "writing": [(_("kind"), lambda r: r.get_kind_display()), (_("title"), lambda r: r.title),
                    (_("outlet"), lambda r: r.outlet),
                    (_("outlet level"), lambda r: r.get_outlet_level_display()),
                    (_("link"), lambda r: r.link)],
    }[kind]
    return [*common, *extra, (_("status"), lambda r: r.get_status_display()),
            (_("reason for returning"), lambda r: r.return_reason)]


def records_xlsx(*, user, filters, qs) -> FileResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Learning records"))
    columns = _columns(filters.kind)
    ws.append([str(label) for label, _get in columns])
    count = 0
    for record in qs.iterator(chunk_size=2000):
        ws.append([get(record) for _label, get in columns])
        count += 1
    audit_record(actor=user, action="learning.records_export", object_type="learning.record",
                 after={"count": count, "filters": filters.as_params()})
    return _response(wb, f"learning-{filters.kind}-{timezone.localdate():%Y%m%d}.xlsx")


def compliance_xlsx(*, result, window, dept) -> FileResponse:
    """One row per person and rule: target, actual, shortfall, status."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Compliance"))
    ws.append([_("person"), _("rule"), _("period judged"), _("target"), _("actual"),
               _("shortfall"), _("status")])
    for subject in result.subjects:
        for series in result.series:
            cell = result.cell(subject.pk, series.number, window)
            if cell is None:
                continue
            ws.append([subject.name, f"{series.number}. {series.metric.label}",
                       cell.window.label, float(cell.target), float(cell.actual),
                       float(cell.shortfall), str(Status(cell.status).label)])
    return _response(wb, f"compliance-{dept.code}-{window.key}.xlsx")
