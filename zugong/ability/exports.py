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


def pairs_xlsx(*, user, qs) -> FileResponse:
    """青蓝 pairs with their goals and check-ins (the list's filters applied)."""
    columns = [Column(_("section"), width=14), Column(_("mentor"), width=10),
               Column(_("mentee"), width=10), Column(_("started on"), width=12),
               Column(_("ends on"), width=12), Column(_("status"), width=8),
               Column(_("political and ideological goal"), width=24),
               Column(_("work goal"), width=24), Column(_("life goal"), width=24),
               Column(_("check-ins"), width=8), Column(_("last check-in"), width=12)]

    def rows():
        for p in qs.iterator(chunk_size=200):
            yield [p.section.name, p.mentor.name, p.mentee.name, p.started_on, p.ends_on,
                   p.get_status_display(), p.goal_thought, p.goal_work, p.goal_life,
                   p.checkin_count, p.last_checkin]

    response = xlsx_response(filename=_("青蓝 mentoring pairs") + ".xlsx",
                             sheets=[Sheet(_("mentoring pairs"), columns, rows())])
    services.export_logged(by=user, action=events.PAIR_EXPORT,
                           count=response.row_counts[0], object_type="ability.pair")
    return response


def competitions_xlsx(*, user, qs) -> FileResponse:
    """Competitions with their entrants, tasks and awards (the list's filters applied)."""
    columns = [Column(_("held on"), width=12), Column(pgettext("ability", "title"), width=30),
               Column(_("entrants"), width=10), Column(pgettext("ability", "tasks"), width=10),
               Column(_("prizes won"), width=10)]

    def rows():
        for c in qs.iterator(chunk_size=200):
            yield [c.held_on, c.title, c.entrant_count, c.task_count, c.award_count]

    response = xlsx_response(filename=_("competitions") + ".xlsx",
                             sheets=[Sheet(_("competitions"), columns, rows())])
    services.export_logged(by=user, action=events.COMPETITION_EXPORT,
                           count=response.row_counts[0], object_type="ability.competition")
    return response


def topics_xlsx(*, user, qs) -> FileResponse:
    """Research topics with their team, milestones, report and adoption."""
    columns = [Column(_("year"), width=8), Column(pgettext("ability", "title"), width=30),
               Column(_("team leader"), width=10), Column(_("team members"), width=10),
               Column(_("milestones"), width=10), Column(_("status"), width=12),
               Column(_("report title"), width=30), Column(_("reported on"), width=12),
               Column(_("adopted on"), width=12),
               Column(_("how the leaders adopted it"), width=30)]

    def rows():
        for t in qs.iterator(chunk_size=200):
            yield [t.year, t.title, t.leader.name, t.member_count,
                   f"{t.milestones_done}/{t.milestone_count}", t.get_status_display(),
                   t.report_title, t.reported_on, t.adopted_on, t.adoption]

    response = xlsx_response(filename=_("research topics") + ".xlsx",
                             sheets=[Sheet(_("research topics"), columns, rows())])
    services.export_logged(by=user, action=events.TOPIC_EXPORT,
                           count=response.row_counts[0], object_type="ability.researchtopic")
    return response


def ledgers_xlsx(*, user, qs) -> FileResponse:
    """Post ledgers (岗位练兵): what each job holds, its contacts and open matters."""
    columns = [Column(_("post"), width=20), Column(_("post holder"), width=10),
               Column(_("unit"), width=16), Column(_("confirmed current on"), width=12),
               Column(_("to confirm"), width=8), Column(_("what the job holds"), width=40),
               Column(_("contacts"), width=30), Column(_("open matters"), width=30)]

    def rows():
        for led in qs.iterator(chunk_size=200):
            yield [led.post, led.holder.name, led.holder.unit.name, led.confirmed_on,
                   _("yes") if led.stale else "", led.duties, led.contacts,
                   led.open_matters]

    response = xlsx_response(filename=_("post ledgers") + ".xlsx",
                             sheets=[Sheet(_("post ledgers"), columns, rows())])
    services.export_logged(by=user, action=events.LEDGER_EXPORT,
                           count=response.row_counts[0], object_type="ability.postledger")
    return response
