"""The activities list as xlsx (with the filters applied)."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import events, services


def activities_xlsx(*, user, qs) -> FileResponse:
    columns = [Column(_("held on"), width=12), Column(pgettext("care", "kind"), width=26),
               Column(pgettext("care", "title"), width=30), Column(_("place"), width=18),
               Column(_("organizer"), width=10), Column(_("participants"), width=10),
               Column(_("family members who came"), width=12), Column(_("department"), width=18)]

    def rows():
        for a in qs.iterator(chunk_size=500):
            yield [a.held_on, a.get_kind_display(), a.title, a.place, a.organizer.name,
                   a.joined, a.family_guests or "", a.department.name]

    response = xlsx_response(filename=_("care activities") + ".xlsx",
                             sheets=[Sheet(_("activities"), columns, rows())])
    services.export_logged(by=user, action=events.ACTIVITY_EXPORT,
                           count=response.row_counts[0])
    return response
