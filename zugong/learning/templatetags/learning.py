"""Display helpers of the learning pages: status colours and labels."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..compliance import Status
from ..models import ReviewStatus

register = template.Library()

_CSS = {
    Status.MET: "success",
    Status.BEHIND: "warning",
    Status.MISSED: "danger",
    Status.NOT_DUE: "secondary",
    Status.EXEMPT: "info",
    Status.NOT_APPLICABLE: "light",
}


@register.filter
def status_css(status) -> str:
    return _CSS.get(status, "light")


@register.filter
def status_label(status) -> str:
    try:
        return Status(status).label
    except ValueError:
        return ""


@register.filter
def number(value) -> str:
    """1.0 → 1, 2.5 → 2.5, 25027 → 25,027: figures as people write them."""
    if value is None:
        return ""
    text = f"{value:,.1f}" if value % 1 else f"{int(value):,}"
    return text


_BLANK_CELL = SafeString('<td class="" data-status=""></td>')


@register.simple_tag
def matrix_cells(cells) -> SafeString:
    """A compliance matrix row's cells (``views.regime._MatrixCell`` or None), as HTML.

    Written here rather than as a loop in the template: a county's matrix has hundreds of
    cells, and the template engine resolving, localizing and escaping five variables of
    each took about a fifth of the page's CPU (issue 23). ``format_html`` escapes the same.
    """
    # Each part is format_html's output or the constant blank cell: joined, still safe.
    return mark_safe("".join(  # noqa: S308  # nosec B308 B703
        format_html('<td class="{}" data-status="{}"><a href="{}" title="{}">{}</a></td>',
                    c.css, c.status, c.url, c.title, c.text) if c else _BLANK_CELL
        for c in cells))


_REVIEW_CSS = {ReviewStatus.CONFIRMED: "success", ReviewStatus.RETURNED: "danger"}


@register.simple_tag
def record_rows(rows, kind: str, reviewable) -> SafeString:
    """The rows of the records list (``views.records.record_list_view``), as HTML.

    Written here for the same reason as ``matrix_cells``: the records list is the page
    cadres and chiefs open most after their progress, and the template engine's fifty
    rows of nine variables took about half of its CPU (issue 23). ``reviewable``: the
    pks that get a checkbox, or empty for a list without the review column.
    """
    labels = [_("person"), _("date"), _("record"), _("status")]
    pick = _("select")
    html = []
    for r in rows:
        parts = []
        if reviewable:
            parts.append(format_html(
                '<td><input class="form-check-input zg-pick" type="checkbox" name="records" '
                'value="{}:{}" aria-label="{}"></td>', kind, r.pk, pick)
                if r.pk in reviewable else SafeString("<td></td>"))
        extra = ""
        if kind == "note":
            extra = format_html('<span class="text-muted small">{}</span>',
                                number(r.char_count))
        elif kind == "writing":
            extra = format_html('<span class="text-muted small">{}{}</span>',
                                r.get_kind_display(),
                                format_html(" · {}", r.get_outlet_level_display())
                                if r.outlet_level else "")
        reason = (format_html(' <span class="small text-muted">{}</span>', r.return_reason)
                  if r.return_reason else "")
        parts.append(format_html(
            '<td data-label="{}">{} <span class="text-muted small">{}</span></td>'
            '<td data-label="{}">{}</td>'
            '<td data-label="{}"><a href="{}">{}</a> {}</td>'
            '<td data-label="{}"><span class="badge text-bg-{}">{}</span>{}</td>',
            labels[0], r.person.name, r.person.unit.name, labels[1], r.on.isoformat(),
            labels[2], r.zg_url, r, extra,
            labels[3], _REVIEW_CSS.get(r.status, "secondary"), r.get_status_display(),
            reason))
        html.append(format_html("<tr>{}</tr>", mark_safe("".join(parts))))  # noqa: S308  # nosec B308 B703
    # Each row is format_html's output: joined, still safe.
    return mark_safe("\n".join(html))  # noqa: S308  # nosec B308 B703
