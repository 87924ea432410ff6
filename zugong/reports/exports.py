"""Downloads of figures: xlsx through the kit, PDF through WeasyPrint, the annual docx."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from zugong.core.xlsx import Column, Sheet, xlsx_response

XLSX_NAME = "{unit}-{period}-figures.xlsx"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(name: str, *, inline: bool = False) -> str:
    from urllib.parse import quote

    return f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(name)}"


def _row(v) -> list:
    return [v.group, v.label, v.value, v.unit, v.previous, v.change, v.change_pct,
            v.key]


def figures_xlsx(*, unit, span, values):
    columns = [Column(_("group"), width=10), Column(_("figure"), width=32),
               Column(_("value"), width=10), Column(_("unit of measure"), width=8),
               Column(_("same period last year"), width=12), Column(_("change"), width=10),
               Column(_("change (%)"), width=10), Column(_("key"), width=30)]
    return xlsx_response(filename=f"{unit.name}-{span.key}-{_('figures')}.xlsx",
                         sheets=[Sheet(title=_("Figures"), columns=columns,
                                       rows=[_row(v) for v in values])])


def figures_pdf(*, unit, span, values, today) -> HttpResponse:
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_to_string("reports/figures_print.html", {
        "unit": unit, "span": span, "values": values, "today": today})
    # Nothing may be fetched while rendering (no file:// reads, no network).
    data = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf()
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"{unit.name}-{span.key}.pdf", inline=True)
    return response
