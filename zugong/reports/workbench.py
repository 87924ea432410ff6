"""Reports' part of the workbench: the department's headline figures this year, for the
leaders (section "figure"); each links to the records behind it.

The figures are kept for five minutes (``core.memo``, issue 23): they count every record
of the year over the people the reader may see, one grouped query per metric, on every
view of a leader's home page. They are kept per reader (their user, roles, unit, the year
and the headline figures), so no one is shown figures counted over another reader's
people. Other apps' records (and changes of people or grants) show on the workbench
within five minutes; an edit of the catalogue (a figure's label, metrics, headline flag)
shows at once, as its services bump ``selectors.CATALOGUE_SCOPE``. The figures page
(``/reports/figures/``) is always counted afresh.
"""

from django.utils.translation import get_language

from zugong.core.memo import memo
from zugong.core.registry import WorkbenchItem
from zugong.people.access import LEADER_ROLES, roles_of

from . import selectors
from .access import Cap, has_cap

# Seconds the figures are kept: how stale another app's records may be on the workbench.
TIMEOUT = 300


def items(*, user, today):
    roles = roles_of(user)
    if not has_cap(user, Cap.REPORTS_VIEW) or not roles & set(LEADER_ROLES):
        return []
    unit = selectors.default_unit(user)
    span = selectors.span_of(str(today.year), today=today)
    figures = selectors.catalogue(user=user, headline=True)

    def compute() -> list[dict]:
        # Plain values only (strings and Decimals): no model instance is kept.
        values = selectors.figure_values(user=user, unit=unit, span=span, figures=figures)
        return [{"key": v.key, "label": _label(v), "value": v.value,
                 "records_url": v.records_url} for v in values]

    kept = memo("reports.workbench",
                [user.pk, sorted(map(str, roles)), unit.pk, span.key,
                 [f.key for f in figures], get_language()],  # the labels are translated
                [selectors.CATALOGUE_SCOPE], compute, timeout=TIMEOUT)
    return [WorkbenchItem(f"reports.{v['key']}", v["label"], str(v["value"]),
                          v["records_url"] or f"/reports/figures/?unit={unit.pk}",
                          section="figure", order=90 + i)
            for i, v in enumerate(kept) if v["value"]]


def _label(value) -> str:
    """The figure's name with its unit, unless the name already ends with it
    ("参加关怀活动（人次）" stays as it is rather than reading "（人次）（人次）")."""
    unit = f"（{value.unit}）"
    return str(value.label) if str(value.label).endswith(unit) else f"{value.label}{unit}"
