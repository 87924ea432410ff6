"""Talent's part of the workbench: matters talents raised that are still open after the
reminder period, for those who manage the database."""

import datetime as dt

from django.utils.translation import gettext as _

from zugong.core.registry import WorkbenchItem

from . import selectors
from .access import Cap, has_cap
from .services import MATTER_REMIND_DAYS


def items(*, user, today):
    if not has_cap(user, Cap.TALENT_MANAGE):
        return []
    late = selectors.open_matters_count(
        user=user, raised_before=today - dt.timedelta(days=MATTER_REMIND_DAYS))
    if not late:
        return []
    return [WorkbenchItem("talent.matters", _("Talents' matters open more than %(d)s days")
                          % {"d": MATTER_REMIND_DAYS}, late, "/talent/matters/", order=72)]
