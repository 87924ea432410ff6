"""The learning app's part of the workbench: records to confirm and my progress this month."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core.registry import WorkbenchItem

from . import selectors
from .templatetags.learning import number as number_text


def items(*, user, today):
    out = []
    pending = sum(selectors.pending_counts(user=user).values())
    if pending:
        out.append(WorkbenchItem("learning.pending", _("Learning records waiting for my "
                                                       "confirmation"), pending,
                                 f"{reverse('learning:records')}?status=pending", order=10))
    _regime, _window, cells = selectors.my_progress(user=user, today=today)
    for series, cell in cells:
        out.append(WorkbenchItem(
            f"learning.progress.{series.number}", str(series.metric.label),
            f"{number_text(cell.actual)}/{number_text(cell.target)} {series.metric.unit}",
            reverse("learning:home"), section="progress", order=series.number))
    return out
