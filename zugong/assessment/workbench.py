"""Assessment's part of the workbench: the ballots I still owe and their deadline."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core.registry import WorkbenchItem

from . import selectors


def items(*, user, today):
    owed = [t for t in selectors.my_tasks(user=user) if not t["done"]]
    if not owed:
        return []
    return [WorkbenchItem("assessment.ballots", _("Ballots I still owe"), len(owed),
                          reverse("assessment:home"),
                          due=min(t["plan"].window_end for t in owed), order=20)]
