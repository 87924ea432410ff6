"""xlsx exports of learning records and of compliance, with the page's filters applied.

Written through ``zugong.core.xlsx``: text typed by cadres (a topic, a title) arrives in
the file as text, never as a formula, and stray control characters are dropped.
"""

from __future__ import annotations

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from zugong.core.audit import audit_record
from zugong.core.jobs import JobFailed
from zugong.core.periods import Period
from zugong.core.xlsx import Column, Sheet, xlsx_response
from zugong.people.access import department_get_for_user

from . import events, selectors
from .access import Cap
from .compliance import Status

# The download's name, in the reader's language (a Chinese name in Chinese).
FILE_STUDY_COMPLIANCE = pgettext_lazy("file name", "study compliance")


def _yes_no(flag) -> str:
    return _("yes") if flag else _("no")


def _columns(kind: str) -> list[Column]:
    common = [Column(_("person"), value=lambda r: r.person.name),
              Column(_("unit"), value=lambda r: r.person.unit.name, width=20),
              Column(_("date"), value=lambda r: r.on, width=12)]
    extra = {
        "study": [Column(_("hours"), value=lambda r: float(r.hours)),
                  Column(_("form"), value=lambda r: r.get_form_display(), width=16),
                  Column(_("topic"), value=lambda r: r.topic, width=40)],
        "note": [Column(_("title"), value=lambda r: r.title, width=30),
                 Column(_("characters"), value=lambda r: r.char_count),
                 Column(_("paper notebook"), value=lambda r: _yes_no(r.is_paper))],
        "book": [Column(_("title"), value=lambda r: r.title, width=30),
                 Column(_("author"), value=lambda r: r.author, width=16),
                 Column(_("from the reading list"),
                        value=lambda r: _yes_no(r.reading_item_id))],
        "writing": [Column(_("kind"), value=lambda r: r.get_kind_display()),
                    Column(_("title"), value=lambda r: r.title, width=30),
                    Column(_("outlet"), value=lambda r: r.outlet, width=20),
                    Column(_("outlet level"), value=lambda r: r.get_outlet_level_display()),
                    Column(_("link"), value=lambda r: r.link, width=30)],
    }[kind]
    return [*common, *extra, Column(_("status"), value=lambda r: r.get_status_display()),
            Column(_("reason for returning"), value=lambda r: r.return_reason, width=30)]


def records_xlsx(*, user, filters, qs) -> FileResponse:
    response = xlsx_response(
        filename=(f"{selectors.RECORD_MODELS[filters.kind]._meta.verbose_name}"
                  f"-{timezone.localdate():%Y%m%d}.xlsx"),
        sheets=[Sheet(title=_("Learning records"), columns=_columns(filters.kind), rows=qs)])
    audit_record(actor=user, action=events.RECORD_EXPORT, object_type="learning.record",
                 after={"count": response.row_counts[0], "filters": filters.as_params()})
    return response


def _compliance_rows(result, window):
    for subject in result.subjects:
        for series in result.series:
            cell = result.cell(subject.pk, series.number, window)
            if cell is None:
                continue
            yield [subject.name, f"{series.number}. {series.metric.label}",
                   cell.window.label, float(cell.target), float(cell.actual),
                   float(cell.shortfall), str(Status(cell.status).label)]


def compliance_xlsx(*, result, window, dept) -> FileResponse:
    """One row per person and rule: target, actual, shortfall, status."""
    columns = [Column(_("person")), Column(_("rule"), width=30),
               Column(_("period judged"), width=16), Column(_("target")),
               Column(_("actual")), Column(_("shortfall")), Column(_("status"))]
    return xlsx_response(filename=(f"{dept.name}{FILE_STUDY_COMPLIANCE}"
                                   f"-{window.label}.xlsx"),
                         sheets=[Sheet(title=_("Compliance"), columns=columns,
                                       rows=_compliance_rows(result, window))])


def records_export(user, query):
    """The records list's export from the page's query (in the request or as a job)."""
    filters = selectors.RecordFilters.from_params(query)
    return records_xlsx(user=user, filters=filters,
                        qs=selectors.record_list(user=user, filters=filters))


def compliance_inputs(user, query):
    """The department, period and regime a compliance export is about; ``JobFailed``
    with the reason when the query names none."""
    dept = department_get_for_user(user, query.get("dept"), Cap.LEARNING_VIEW)
    today = timezone.localdate()
    raw = query.get("year", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year + 1 else today.year
    try:
        window = Period.parse(query.get("period") or str(year))
    except ValueError as exc:
        raise JobFailed(_("The period was not understood.")) from exc
    governed = selectors.regimes_overlapping(dept, window.start, window.end)
    regime = next((r for r in governed if str(r.pk) == query.get("regime")), None) \
        or selectors.regime_for_window(dept, window)
    if regime is None:
        raise JobFailed(_("The department has no learning regime yet."))
    return dept, window, regime


def compliance_export(user, query):
    dept, window, regime = compliance_inputs(user, query)
    # The page's unit filter goes into the export (a unit outside the scope is 404 there).
    unit = selectors.filter_unit(user=user, pk=query.get("unit", ""))
    result = selectors.department_compliance(user=user, regime=regime, windows=[window],
                                             unit=unit)
    return compliance_xlsx(result=result, window=window, dept=dept)
