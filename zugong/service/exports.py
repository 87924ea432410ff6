"""The service lists as xlsx, through the kit's ``core.xlsx``: problems, visits, expert
orders and the coverage table, each with the list's filters applied. What the public said,
the evidence of a solution and an order's texts stay in the app; every export leaves an
audit entry with its row count (and the filters)."""

from __future__ import annotations

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import events, services


def _name(title: str) -> str:
    return f"{title}-{timezone.localdate():%Y%m%d}.xlsx"


def problems_xlsx(*, user, qs) -> FileResponse:
    columns = [Column(_("raised on"), width=12), Column(_("cadre"), width=10),
               Column(_("unit"), width=24), Column(_("problem"), width=40),
               Column(pgettext("service", "status"), width=12),
               Column(_("handled by"), width=16), Column(_("solved on"), width=12),
               Column(_("satisfaction"), width=12)]

    def rows():
        for p in qs.iterator(chunk_size=500):
            handler = p.handler.name if p.handler_id else p.handler_unit
            yield [p.on, p.person.name, p.person.unit.name, p.title, p.get_status_display(),
                   handler, p.solved_on or "", p.get_satisfaction_display()]

    response = xlsx_response(filename=_("problems of the public") + ".xlsx",
                             sheets=[Sheet(_("problems of the public"), columns, rows())])
    services.export_logged(by=user, count=response.row_counts[0])
    return response


def visits_xlsx(*, user, qs, filters: dict) -> FileResponse:
    """The visits of the list (三入三解 and household calls): when, who, where, how; not what
    was heard (encrypted, read on the visit's own page)."""
    columns = [Column(_("date"), value=lambda v: v.on, width=12),
               Column(_("cadre"), value=lambda v: v.person.name, width=10),
               Column(_("unit"), value=lambda v: v.person.unit.name, width=24),
               Column(pgettext("service", "kind"), value=lambda v: v.get_kind_display(),
                      width=16),
               Column(_("where"), value=lambda v: v.place, width=24),
               Column(_("how"), value=lambda v: v.get_mode_display(), width=10)]
    response = xlsx_response(filename=_name(_("Service visits")),
                             sheets=[Sheet(_("Service visits"), columns, qs)])
    services.export_audit(by=user, action=events.VISIT_EXPORT, object_type="service.visit",
                          count=response.row_counts[0], filters=filters)
    return response


def orders_xlsx(*, user, qs, filters: dict) -> FileResponse:
    """The 点单式 orders of the list, as the list shows them (what was needed and delivered
    are read on the order's own page)."""
    columns = [Column(_("date"), value=lambda o: o.on, width=12),
               Column(_("ordered by"), value=lambda o: o.get_orderer_kind_display(), width=8),
               Column(_("village or enterprise"), value=lambda o: o.orderer, width=24),
               Column(_("cadre"), value=lambda o: o.person.name, width=10),
               Column(_("unit"), value=lambda o: o.person.unit.name, width=20),
               Column(pgettext("service", "status"), value=lambda o: o.get_status_display(),
                      width=12),
               Column(_("expert"), value=lambda o: o.expert.name if o.expert_id else None,
                      width=12),
               Column(_("matched on"), value=lambda o: o.matched_on, width=12),
               Column(_("delivered on"), value=lambda o: o.delivered_on, width=12),
               Column(_("rating (1 to 5)"), value=lambda o: o.score, width=10)]
    response = xlsx_response(filename=_name(_("Expert orders")),
                             sheets=[Sheet(_("Expert orders"), columns, qs)])
    services.export_audit(by=user, action=events.ORDER_EXPORT, object_type="service.order",
                          count=response.row_counts[0], filters=filters)
    return response


def coverage_xlsx(*, user, department, year, as_of, rows, totals, unit=None,
                  **_page) -> FileResponse:
    """The coverage table: one row per cadre, then the department's totals (the figures of
    the page, as of the same day)."""
    columns = [Column(_("cadre"), width=10), Column(_("unit"), width=20),
               Column(_("village-months due"), width=10),
               Column(_("village-months met"), width=10),
               Column(_("household-months due"), width=10),
               Column(_("household-months met"), width=10),
               Column(_("problems solved"), width=10), Column(_("yearly minimum"), width=10),
               Column(_("villages owed this month"), width=10),
               Column(_("households owed this month"), width=10)]

    def lines():
        for person, r in rows:
            yield [person.name, person.unit.name, r.points.due, r.points.met,
                   r.households.due, r.households.met, r.solved, r.solved_target,
                   len(r.points.owed_now), len(r.households.owed_now)]
        yield [pgettext("service", "total"),
               unit.name if unit is not None else department.name,
               totals["points"].due, totals["points"].met, totals["households"].due,
               totals["households"].met, totals["solved"],
               _("%(n)s of %(of)s cadres at the minimum") % {"n": totals["solved_ok"],
                                                            "of": totals["people"]},
               len(totals["points"].owed_now), len(totals["households"].owed_now)]

    title = _("Service coverage")
    response = xlsx_response(
        filename=_name(f"{title}-{department.name}-{year}"),
        sheets=[Sheet(f"{title} {year}", columns, lines())])
    services.export_audit(by=user, action=events.COVERAGE_EXPORT,
                          object_type="service.coverage", count=len(rows),
                          filters={"year": year, "as_of": as_of.isoformat(),
                                   "department": department.pk,
                                   "unit": unit.pk if unit is not None else None})
    return response
