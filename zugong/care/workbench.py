"""Care's part of the workbench: today's political birthdays in my scope not yet marked,
and the hardship records still open (for holders of care.sensitive)."""

from django.utils.translation import gettext as _

from zugong.core.registry import WorkbenchItem

from . import selectors
from .access import Cap, has_cap


def items(*, user, today):
    out = []
    if has_cap(user, Cap.CARE_MANAGE):
        due = selectors.birthdays_due(user=user, today=today)
        if due:
            out.append(WorkbenchItem(
                "care.birthdays", _("Political birthdays today, not yet marked"), due,
                f"/care/birthdays/?year={today.year}&month={today.month}", due=today,
                order=70))
    open_count = selectors.open_hardships_count(user=user)
    if open_count:
        out.append(WorkbenchItem("care.hardships", _("Cadres in difficulty, still open"),
                                 open_count, "/care/hardship/?open=1", order=71))
    return out
