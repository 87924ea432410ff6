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


def leads_xlsx(*, user, qs) -> FileResponse:
    """The joint-supervision leads of the list's filters: who, from which partner, the
    state, the days and the conclusion; what the lead says, the findings and the basis of
    the conclusion never leave the app in a file."""
    columns = [Column(_("received on"), width=12), Column(_("cadre"), width=10),
               Column(_("unit"), width=24), Column(_("partner department"), width=14),
               Column(_("status"), width=10), Column(_("assigned to"), width=12),
               Column(_("verified on"), width=12), Column(_("closed on"), width=12),
               Column(_("conclusion"), width=20)]

    def rows():
        for lead in qs.iterator(chunk_size=500):
            assignee = lead.assignee
            yield [lead.on, lead.person.name, lead.person.unit.name, lead.partner.name,
                   lead.get_status_display(),
                   (assignee.get_full_name() or assignee.username) if assignee else "",
                   lead.verified_on or "", lead.closed_on or "",
                   lead.get_conclusion_display()]

    response = xlsx_response(filename=_("supervision leads") + ".xlsx",
                             sheets=[Sheet(_("supervision leads"), columns, rows())])
    services.export_logged(by=user, action=events.LEAD_EXPORT, object_type="supervision.lead",
                           count=response.row_counts[0])
    return response


def ratings_xlsx(*, user, data: dict, year: int) -> FileResponse:
    """The year's 清廉组室 and 清廉家庭 ratings in the user's scope, as the ratings page shows
    them (a section not rated yet is listed with an empty rating)."""
    section_columns = [Column(_("section"), width=24), Column(_("year"), width=8),
                       Column(_("rating"), width=10), Column(_("date"), width=12)]
    family_columns = [Column(_("cadre"), width=10), Column(_("unit"), width=24),
                      Column(_("year"), width=8), Column(_("rating"), width=10),
                      Column(_("date"), width=12)]
    sections = [[unit.name, year, rating.get_level_display() if rating else "",
                 rating.on if rating else ""] for unit, rating in data["sections"]]
    families = [[r.person.name, r.person.unit.name, r.year, r.get_level_display(), r.on]
                for r in data["families"]]
    response = xlsx_response(
        filename=_("integrity ratings %(year)s") % {"year": year} + ".xlsx",
        sheets=[Sheet(_("integrity sections"), section_columns, sections),
                Sheet(_("integrity families"), family_columns, families)])
    services.export_logged(by=user, action=events.RATING_EXPORT,
                           object_type="supervision.family_rating",
                           count=len(sections) + len(families))
    return response
