"""Display helpers of the assessment pages: grade labels and colours, numbers."""

from django import template
from django.utils.translation import gettext_lazy as _

from ..models import Grade, RaterGroup
from ..scoring import num

register = template.Library()

_CSS = {Grade.EXCELLENT: "success", Grade.GOOD: "success", Grade.COMPETENT: "primary",
        Grade.FAIRLY_GOOD: "primary", Grade.BASIC: "warning", Grade.ORDINARY: "warning",
        Grade.INCOMPETENT: "danger", Grade.POOR: "danger"}


@register.filter
def grade_label(grade) -> str:
    try:
        return Grade(grade).label
    except ValueError:
        return ""


@register.filter
def grade_css(grade) -> str:
    return _CSS.get(grade, "secondary")


@register.filter
def group_label(group) -> str:
    try:
        return RaterGroup(group).label
    except ValueError:
        return ""


_VETOES = {"punishment": _("punishment (处分)"), "political": _("failed the political standard"),
           "admonished": _("admonished (诫勉)")}
_SOURCES = {"A14": _("rewards and punishments (A14)"),
            "score": _("score of the political-standard indicator"),
            "supervision": _("supervision records"), "manual": _("marked by the office")}


@register.filter
def veto_label(reason) -> str:
    return str(_VETOES.get(reason, reason))


@register.filter
def veto_source_label(source) -> str:
    return str(_SOURCES.get(source, source))


@register.filter
def points(value) -> str:
    """A number without trailing zeros; anything else (a mistyped input) as it was."""
    if value in (None, ""):
        return ""
    try:
        return num(value)
    except (ArithmeticError, TypeError, ValueError):
        return str(value)


@register.filter
def field_errors(errors, key) -> list:
    return errors.get(key, []) if errors else []


@register.simple_tag
def sheet_key(assessee, indicator) -> str:
    return f"{assessee.pk}-{indicator.pk}"


@register.simple_tag
def posted_value(posted, assessee, indicator, default=""):
    key = f"s-{assessee.pk}-{indicator.pk}"
    return posted.get(key, default) if posted else default
