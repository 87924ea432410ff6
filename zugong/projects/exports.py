"""The projects, ideas and adoptions lists as xlsx, with the page's filters applied."""

from __future__ import annotations

from itertools import islice

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import events, selectors, services

CHUNK = 500


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
        for p in qs.iterator(chunk_size=CHUNK):
            yield [p.declared_on, p.title, p.unit.name, p.get_category_display(),
                   p.guiding_section.name if p.guiding_section_id else "",
                   p.get_status_display(), p.followup_count, p.funding,
                   p.get_award_display()]

    response = xlsx_response(filename=_("innovation projects") + ".xlsx",
                             sheets=[Sheet(_("innovation projects"), columns, rows())])
    services.export_logged(by=user, count=response.row_counts[0])
    return response


def _chunks(qs):
    """The rows in chunks, so the learning records behind them are read one call per
    chunk (hook ``learning.writings``), never one per row."""
    it = qs.iterator(chunk_size=CHUNK)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def ideas_xlsx(*, user, rows) -> FileResponse:
    """A 好信息's title is the learning record's (it is not typed here)."""
    columns = [Column(_("date"), width=12), Column(pgettext("projects", "kind"), width=14),
               Column(_("title"), width=36), Column(_("cadre"), width=10),
               Column(_("unit"), width=14), Column(pgettext("projects", "status"), width=12),
               Column(_("score (0 to 100)"), width=10), Column(_("adopted on"), width=12),
               Column(_("adopted for"), width=24), Column(_("reward (yuan)"), width=10)]

    def out():
        for chunk in _chunks(rows):
            for i, w in selectors.ideas_with_writings(chunk):
                title = (w["title"] if w else _("(the learning record is no longer there)")) \
                    if i.writing_id else i.title
                yield [i.on, i.get_kind_display(), title, i.person.name, i.person.unit.name,
                       i.get_status_display(), i.score, i.adopted_on, i.adopted_for,
                       i.reward]

    response = xlsx_response(filename=_("ideas and information") + ".xlsx",
                             sheets=[Sheet(_("ideas and information"), columns, out())])
    services.export_logged(by=user, count=response.row_counts[0], action=events.IDEA_EXPORT,
                           object_type="projects.idea")
    return response


def adoptions_xlsx(*, user, qs) -> FileResponse:
    columns = [Column(_("adopted on"), width=12), Column(_("title"), width=36),
               Column(pgettext("projects", "kind"), width=10), Column(_("cadre"), width=10),
               Column(_("unit"), width=14), Column(_("outlet level"), width=12),
               Column(_("adopted by"), width=28)]

    def out():
        for chunk in _chunks(qs):
            for a, w in selectors.with_writings(chunk):
                yield [a.on, w["title"] if w else _("(the learning record is no longer there)"),
                       w["kind_label"] if w else "", a.person.name, a.person.unit.name,
                       a.get_level_display(), a.outlet]

    response = xlsx_response(filename=_("information adopted") + ".xlsx",
                             sheets=[Sheet(_("information adopted"), columns, out())])
    services.export_logged(by=user, count=response.row_counts[0],
                           action=events.ADOPTION_EXPORT, object_type="projects.adoption")
    return response
