"""The lecture list as xlsx: one row per session with its lecturers and counts."""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import events, services


def lectures_xlsx(*, user, qs) -> FileResponse:
    columns = [Column(_("held on"), width=12), Column(_("series"), width=16),
               Column(_("topic"), width=14), Column(pgettext("ability", "title"), width=30),
               Column(_("lecturers"), width=20), Column(_("audience"), width=10)]

    def rows():
        for lec in qs.iterator(chunk_size=200):
            yield [lec.held_on, lec.get_series_display(), lec.get_topic_display(), lec.title,
                   "、".join(s.person.name for s in lec.lecturer_seats), lec.audience_count]

    response = xlsx_response(filename=_("lectures") + ".xlsx",
                             sheets=[Sheet(_("lectures"), columns, rows())])
    services.export_logged(by=user, action=events.LECTURE_EXPORT,
                           count=response.row_counts[0])
    return response


def trainings_xlsx(*, user, qs) -> FileResponse:
    """Training events with their participants and summaries handed in."""
    columns = [Column(_("kind"), width=14), Column(pgettext("ability", "title"), width=30),
               Column(pgettext("ability", "place"), width=16), Column(_("first day"), width=12),
               Column(_("last day"), width=12), Column(_("hours"), width=8),
               Column(_("participants"), width=10), Column(_("summaries"), width=10)]

    def rows():
        for t in qs.iterator(chunk_size=200):
            yield [t.get_kind_display(), t.title, t.place, t.start, t.end, t.hours,
                   t.trainee_count, t.summary_count]

    response = xlsx_response(filename=_("training and secondments") + ".xlsx",
                             sheets=[Sheet(_("training"), columns, rows())])
    services.export_logged(by=user, action=events.TRAINING_EXPORT,
                           count=response.row_counts[0], object_type="ability.training")
    return response
