"""The projects list as xlsx, with the filters applied."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import services


def projects_xlsx(*, user, qs) -> FileResponse:
    columns = [Column(_("declared on"), width=12), Column(_("project"), width=36),
               Column(_("declaring unit"), width=20),
               Column(pgettext("projects", "category"), width=16),
               Column(_("guiding section"), width=14),
               Column(pgettext("projects", "status"), width=12),
               Column(_("follow-ups"), width=10),
               Column(_("reward fund granted (yuan)"), width=14),
               Column(pgettext("projects", "award"), width=20)]

    def rows():
        for p in qs.iterator(chunk_size=500):
            yield [p.declared_on, p.title, p.unit.name, p.get_category_display(),
                   p.guiding_section.name if p.guiding_section_id else "",
                   p.get_status_display(), p.followup_count, p.funding,
                   p.get_award_display()]

    response = xlsx_response(filename=_("innovation projects") + ".xlsx",
                             sheets=[Sheet(_("innovation projects"), columns, rows())])
    services.export_logged(by=user, count=response.row_counts[0])
    return response
