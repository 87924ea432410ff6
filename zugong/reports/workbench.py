"""Reports' part of the workbench: the department's headline figures this year, for the
leaders (section "figure"); each links to the records behind it."""

from zugong.core.registry import WorkbenchItem
from zugong.people.access import LEADER_ROLES, roles_of

from . import selectors
from .access import Cap, has_cap


def items(*, user, today):
    if not has_cap(user, Cap.REPORTS_VIEW) or not roles_of(user) & set(LEADER_ROLES):
        return []
    unit = selectors.default_unit(user)
    span = selectors.span_of(str(today.year), today=today)
    figures = selectors.catalogue(user=user, headline=True)
    values = selectors.figure_values(user=user, unit=unit, span=span, figures=figures)
    return [WorkbenchItem(f"reports.{v.key}", _label(v), str(v.value),
                          v.records_url or f"/reports/figures/?unit={unit.pk}",
                          section="figure", order=90 + i)
            for i, v in enumerate(values) if v.value]


def _label(value) -> str:
    """The figure's name with its unit, unless the name already ends with it
    ("参加关怀活动（人次）" stays as it is rather than reading "（人次）（人次）")."""
    unit = f"（{value.unit}）"
    return str(value.label) if str(value.label).endswith(unit) else f"{value.label}{unit}"
