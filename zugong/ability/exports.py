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


def lecture_awards_xlsx(*, user, awards) -> FileResponse:
    """The awards of one term: one row per lecturer awarded."""
    columns = [Column(_("award level"), width=12), Column(_("award title"), width=16),
               Column(_("lecturer"), width=12), Column(_("unit"), width=20),
               Column(_("lecture"), width=30), Column(_("held on"), width=12),
               Column(_("term"), width=24), Column(_("decided on"), width=12),
               Column(_("decided by"), width=12)]

    def rows():
        for a in awards:
            yield [a.get_level_display(), a.title, a.person.name, a.person.unit.name,
                   a.lecture.title, a.lecture.held_on,
                   f"{a.term_start:%Y-%m-%d}~{a.term_end:%Y-%m-%d}", a.on,
                   _decider(a)]

    response = xlsx_response(filename=_("lecture awards") + ".xlsx",
                             sheets=[Sheet(_("lecture awards"), columns, rows())])
    services.export_logged(by=user, action=events.LECTURE_AWARD_EXPORT,
                           count=response.row_counts[0])
    return response


def _decider(award) -> str:
    user = award.created_by
    if user is None:
        return ""
    return user.person.name if user.person_id else user.username
