"""Display helpers of the learning pages: status colours and labels."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from zugong.core.html import esc as _esc

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
    each took about a fifth of the page's CPU (issue 23). ``_esc`` escapes as ``format_html``.
    """
    # Every value is escaped (``_esc``) and the rest is constant: joined, still safe.
    return mark_safe("".join(  # noqa: S308  # nosec B308 B703
        f'<td class="{_esc(c.css)}" data-status="{_esc(c.status)}"><a href="{_esc(c.url)}" '
        f'title="{_esc(c.title)}">{_esc(c.text)}</a></td>' if c else _BLANK_CELL
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
    person, date, record, status = (_esc(_(label))
                                    for label in ("person", "date", "record", "status"))
    pick = _esc(_("select"))
    rows_html = []
    for r in rows:
        parts = []
        if reviewable:
            parts.append(f'<td><input class="form-check-input zg-pick" type="checkbox" '
                         f'name="records" value="{_esc(kind)}:{_esc(r.pk)}" '
                         f'aria-label="{pick}"></td>' if r.pk in reviewable else "<td></td>")
        extra = ""
        if kind == "note":
            extra = f'<span class="text-muted small">{_esc(number(r.char_count))}</span>'
        elif kind == "writing":
            outlet = f" · {_esc(r.get_outlet_level_display())}" if r.outlet_level else ""
            extra = f'<span class="text-muted small">{_esc(r.get_kind_display())}{outlet}</span>'
        reason = (f' <span class="small text-muted">{_esc(r.return_reason)}</span>'
                  if r.return_reason else "")
        parts.append(
            f'<td data-label="{person}">{_esc(r.person.name)} '
            f'<span class="text-muted small">{_esc(r.person.unit.name)}</span></td>'
            f'<td data-label="{date}">{_esc(r.on.isoformat())}</td>'
            f'<td data-label="{record}"><a href="{_esc(r.zg_url)}">{_esc(r)}</a> {extra}</td>'
            f'<td data-label="{status}"><span class="badge text-bg-'
            f'{_esc(_REVIEW_CSS.get(r.status, "secondary"))}">{_esc(r.get_status_display())}'
            f'</span>{reason}</td>')
        rows_html.append(f"<tr>{''.join(parts)}</tr>")
    # Every value is escaped (``_esc``) and the rest is constant: joined, still safe.
    return mark_safe("\n".join(rows_html))  # noqa: S308  # nosec B308 B703
