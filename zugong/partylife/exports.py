"""The 整改清单 (rectification list) as xlsx, in the columns departments report upward:
序号, unit, person, source, problem, measure, owner, deadline, state, closed on, verified by,
on time. Evidence and notes stay in the app."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _

from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import services


def measures_xlsx(*, user, qs, today) -> FileResponse:
    columns = [Column(_("No."), width=6), Column(_("unit"), width=20),
               Column(_("person concerned"), width=10), Column(_("source"), width=10),
               Column(_("problem"), width=40), Column(_("rectification measure"), width=40),
               Column(_("owner"), width=10), Column(_("deadline"), width=12),
               Column(_("state"), width=10), Column(_("closed on"), width=12),
               Column(_("verified by"), width=10), Column(_("closed on time"), width=8)]

    def rows():
        for n, m in enumerate(qs.iterator(chunk_size=500), start=1):
            p = m.problem
            state = _("overdue") if m.overdue(today) else m.get_status_display()
            yield [n, p.unit.name, p.person.name if p.person_id else "",
                   p.get_source_display(), p.description, m.action, m.owner.name, m.deadline,
                   state, m.closed_on or "", m.verified_by.name if m.verified_by_id else "",
                   (_("yes") if m.closed_on_time else _("no")) if m.closed_on else ""]

    response = xlsx_response(filename=_("rectification list") + ".xlsx",
                             sheets=[Sheet(_("rectification list"), columns, rows())])
    services.export_logged(by=user, count=response.row_counts[0])
    return response
