"""The talent list as xlsx (with the filters applied). Phone numbers stay out of files."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import services


def talents_xlsx(*, user, qs) -> FileResponse:
    columns = [Column(_("full name"), width=10), Column(pgettext("talent", "category"), width=24),
               Column(_("high-level talent"), width=10), Column(_("employer"), width=26),
               Column(_("specialty"), width=18), Column(_("contact leader"), width=10),
               Column(_("entered on"), width=12), Column(_("ability"), width=8),
               Column(_("results"), width=8), Column(_("contribution"), width=8),
               Column(_("grade"), width=6), Column(_("open matters"), width=8)]

    def rows():
        for t in qs.iterator(chunk_size=500):
            yield [t.name, t.get_category_display(), _("yes") if t.high_level else "",
                   t.employer, t.specialty, t.leader.name if t.leader_id else "", t.added_on,
                   t.ability if t.ability is not None else "",
                   t.results if t.results is not None else "",
                   t.contribution if t.contribution is not None else "", t.grade,
                   t.open_matters]

    response = xlsx_response(filename=_("talents") + ".xlsx",
                             sheets=[Sheet(_("talents"), columns, rows())])
    services.export_logged(by=user, count=response.row_counts[0])
    return response
