"""The measures list as xlsx. It lists who, when, which measure, its form and source, and the
inquiry's state; the facts, replies and outcomes never leave the app in a file."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _

from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import events, services


def measures_xlsx(*, user, qs) -> FileResponse:
    columns = [Column(_("date"), width=12), Column(_("cadre"), width=10),
               Column(_("unit"), width=24), Column(_("measure"), width=14),
               Column(_("form (四种形态)"), width=12), Column(_("source"), width=18),
               Column(_("reply due"), width=12), Column(_("verdict"), width=10),
               Column(_("promotion barred until"), width=14)]

    def rows():
        for m in qs.iterator(chunk_size=500):
            yield [m.on, m.person.name, m.person.unit.name, m.get_kind_display(),
                   m.get_form_display(), m.get_source_display(), m.reply_due or "",
                   m.get_verdict_display(), m.impact_until or ""]

    response = xlsx_response(filename=_("supervision measures") + ".xlsx",
                             sheets=[Sheet(_("measures"), columns, rows())])
    services.export_logged(by=user, action=events.MEASURE_EXPORT,
                           count=response.row_counts[0])
    return response
