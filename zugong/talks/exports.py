"""xlsx exports of talks, the coverage matrix and visits.

A talk's summary goes into the file only for the rows whose summary the exporting user
may read, and the export's audit entry names those talks."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from zugong.core.audit import audit_record

from . import selectors, services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(wb: Workbook, name: str) -> FileResponse:
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX)


def talks_xlsx(*, user, filters, qs) -> FileResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Talks"))
    ws.append([_("date"), _("kind"), _("held by"), _("talked with"), _("place"),
               _("what was discussed")])
    talks = list(qs[:5000])
    visible = selectors.summary_visible_ids(user, talks)
    shown = []
    for talk in talks:
        if talk.pk in visible and talk.summary:
            shown.append(talk)
        ws.append([talk.held_on, talk.get_kind_display(), talk.by.name,
                   "、".join(p.person.name for p in talk.parties.all()), talk.place,
                   talk.summary if talk.pk in visible else ""])
    audit_record(actor=user, action="talks.export", object_type="talks.talk",
                 after={"count": len(talks), "filters": filters.as_params()})
    services.summary_read_logged(by=user, talks=shown)
    return _response(wb, f"talks-{timezone.localdate():%Y%m%d}.xlsx")


def coverage_xlsx(*, reqs, dept, today) -> FileResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Coverage"))
    ws.append([_("leader"), _("with"), _("rule"), _("required"), _("held"), _("last talk"),
               _("next due"), _("status")])
    labels = status_labels()
    for r in reqs:
        ws.append([r.leader.name if r.leader else "", r.member.name if r.member else "",
                   r.rule.get_relation_display(), r.required, r.done, r.last_talk,
                   r.next_due, str(labels[r.status])])
    return _response(wb, f"talk-coverage-{dept.code}-{today:%Y%m%d}.xlsx")


def visits_xlsx(*, user, qs) -> FileResponse:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Visits"))
    ws.append([_("date"), _("kind"), _("visited"), _("unit"), _("visitors"), _("place"),
               _("what was learned"), _("problems raised"), _("problems solved")])
    count = 0
    for v in qs[:5000]:
        problems = list(v.problems.all())
        ws.append([v.on, v.get_kind_display(), v.person.name, v.person.unit.name,
                   "、".join(p.name for p in v.visitors.all()), v.place, v.findings,
                   len(problems), sum(1 for p in problems if p.solved_on)])
        count += 1
    audit_record(actor=user, action="talks.visits_export", object_type="talks.visit",
                 after={"count": count})
    return _response(wb, f"visits-{timezone.localdate():%Y%m%d}.xlsx")


def status_labels():
    from .coverage import Status

    return {Status.MET: _("met"), Status.DUE_SOON: _("due soon"),
            Status.OVERDUE: _("overdue"), Status.OPEN: _("not yet due")}
