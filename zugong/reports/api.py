"""API of reports: the figures of a unit for a period (issue 22: the names are fixed)."""

from decimal import Decimal

from ninja import Query, Router, Schema

from . import selectors

router = Router(tags=["reports"])


class FigureOut(Schema):
    key: str
    label: str
    value: Decimal
    unit: str
    records_url: str


class FiguresQuery(Schema):
    # Strings, so that a bad value reaches the selectors and gets the Chinese message.
    unit: str = ""
    period: str = ""


@router.get("/reports/figures", response=list[FigureOut])
def list_report_figures(request, q: Query[FiguresQuery]):
    """Every figure of the catalogue for a unit (and everything below it) and a period
    (a period key such as 2026, 2026-H1, 2026-Q3, 2026-05, or a range 2026-01..2026-06),
    counted over the people the caller may see. 404 for a unit out of scope, 422 for a
    bad period."""
    span = selectors.span_of(q.period)
    unit = selectors.unit_for_user(request.user, q.unit)
    return [v.as_dict() for v in selectors.figure_values(user=request.user, span=span,
                                                         unit=unit)]
