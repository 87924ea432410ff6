"""Display helpers of the learning pages: status colours and labels."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from ..compliance import Status

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
