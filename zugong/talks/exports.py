"""xlsx exports of talks, the coverage matrix and visits, through the kit's text-safe
``zugong.core.xlsx.xlsx_response``.

A talk's summary goes into the file only for the rows whose summary the exporting user
may read, and the export's audit entry names those talks."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from zugong.core.audit import audit_record
from zugong.core.xlsx import Column, Sheet, xlsx_response
from zugong.people.access import department_get_for_user

from . import events, selectors, services
from .access import Cap

# The download's name, in the reader's language (a Chinese name in Chinese).
FILE_TALKS = pgettext_lazy("file name", "talks")

# Talks are read in batches: whose summary the user may read is asked once per batch.
BATCH = 500


def _with_visibility(user, qs, shown: list) -> Iterator[tuple]:
    """(talk, summary readable) for every talk of ``qs``; ``shown`` collects the talks
    whose summary goes into the file, for the read's audit entry."""
    rows = qs.iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):
        visible = selectors.summary_visible_ids(user, batch)
        for talk in batch:
            readable = talk.pk in visible
            if readable and talk.summary:
                shown.append(talk)
            yield talk, readable


def talks_xlsx(*, user, filters, qs) -> FileResponse:
    shown: list = []
    columns = [
        Column(_("date"), value=lambda r: r[0].held_on, width=12),
        Column(_("kind"), value=lambda r: r[0].get_kind_display()),
        Column(_("held by"), value=lambda r: r[0].by.name),
        Column(_("talked with"), value=lambda r: "、".join(
            p.person.name for p in r[0].parties.all()), width=30),
        Column(_("place"), value=lambda r: r[0].place),
        Column(_("what was discussed"), value=lambda r: r[0].summary if r[1] else "",
               width=60),
    ]
    response = xlsx_response(
        filename=f"{FILE_TALKS}-{timezone.localdate():%Y%m%d}.xlsx",
        sheets=[Sheet(title=_("Talks"), columns=columns,
                      rows=_with_visibility(user, qs, shown))])
    audit_record(actor=user, action=events.TALK_EXPORT, object_type="talks.talk",
                 after={"count": response.row_counts[0], "filters": filters.as_params()})
    services.summary_read_logged(by=user, talks=shown)
    return response


def coverage_xlsx(*, reqs, dept, today) -> FileResponse:
    labels = status_labels()
    columns = [
        Column(_("leader"), value=lambda r: r.leader.name if r.leader else ""),
        Column(_("with"), value=lambda r: r.member.name if r.member else ""),
        Column(_("rule"), value=lambda r: r.rule.get_relation_display()),
        Column(_("required"), value=lambda r: r.required),
        Column(_("held"), value=lambda r: r.done),
        Column(_("last talk"), value=lambda r: r.last_talk, width=12),
        Column(_("next due"), value=lambda r: r.next_due, width=12),
        Column(_("status"), value=lambda r: str(labels[r.status])),
    ]
    name = pgettext("file name", "talk coverage")
    return xlsx_response(filename=f"{dept.name}{name}-{today:%Y%m%d}.xlsx",
                         sheets=[Sheet(title=_("Coverage"), columns=columns, rows=reqs)])


def _problems(visit) -> list:
    return list(visit.problems.all())


def visits_xlsx(*, user, qs) -> FileResponse:
    columns = [
        Column(_("date"), value=lambda v: v.on, width=12),
        Column(_("kind"), value=lambda v: v.get_kind_display()),
        Column(_("visited"), value=lambda v: v.person.name),
        Column(_("unit"), value=lambda v: v.person.unit.name),
        Column(_("visitors"), value=lambda v: "、".join(p.name for p in v.visitors.all())),
        Column(_("place"), value=lambda v: v.place),
        Column(_("what was learned"), value=lambda v: v.findings, width=60),
        Column(_("problems raised"), value=lambda v: len(_problems(v))),
        Column(_("problems solved"), value=lambda v: sum(1 for p in _problems(v)
                                                         if p.solved_on)),
    ]
    name = pgettext("file name", "visits")
    response = xlsx_response(filename=f"{name}-{timezone.localdate():%Y%m%d}.xlsx",
                             sheets=[Sheet(title=_("Visits"), columns=columns, rows=qs)])
    audit_record(actor=user, action=events.VISIT_EXPORT, object_type="talks.visit",
                 after={"count": response.row_counts[0]})
    return response


def status_labels():
    from .coverage import Status

    return {Status.MET: _("met"), Status.DUE_SOON: _("due soon"),
            Status.OVERDUE: _("overdue"), Status.OPEN: _("not yet due")}


def talks_export(user, query):
    """The talks list's export from the page's query (in the request or as a job)."""
    filters = selectors.TalkFilters.from_params(query)
    return talks_xlsx(user=user, filters=filters,
                      qs=selectors.talk_list(user=user, filters=filters))


def visits_export(user, query):
    filters = selectors.VisitFilters.from_params(query)
    # Filtered on a unit: that unit's visits wherever they went, as on the page.
    dept = None if filters.unit else department_get_for_user(user, query.get("dept"),
                                                             Cap.TALKS_VIEW)
    return visits_xlsx(user=user, qs=selectors.visit_list(user=user, department=dept,
                                                          filters=filters))
