"""Display helpers of the learning pages: status colours and labels."""

from django import template

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
