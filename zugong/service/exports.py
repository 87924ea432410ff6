"""The problems list as xlsx: who raised what and when, who handled it, when it was solved
and how the public rated it. The evidence stays in the app."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import services


def problems_xlsx(*, user, qs) -> FileResponse:
    columns = [Column(_("raised on"), width=12), Column(_("cadre"), width=10),
               Column(_("unit"), width=24), Column(_("problem"), width=40),
               Column(pgettext("service", "status"), width=12),
               Column(_("handled by"), width=16), Column(_("solved on"), width=12),
               Column(_("satisfaction"), width=12)]

    def rows():
        for p in qs.iterator(chunk_size=500):
            handler = p.handler.name if p.handler_id else p.handler_unit
            yield [p.on, p.person.name, p.person.unit.name, p.title, p.get_status_display(),
                   handler, p.solved_on or "", p.get_satisfaction_display()]

    response = xlsx_response(filename=_("problems of the public") + ".xlsx",
                             sheets=[Sheet(_("problems of the public"), columns, rows())])
    services.export_logged(by=user, count=response.row_counts[0])
    return response
