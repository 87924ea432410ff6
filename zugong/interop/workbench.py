"""Import's part of the workbench: my checked imports waiting for confirmation, and my
imports finished in the last week (a big one runs as a job and ends while I do other
things)."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core.registry import WorkbenchItem

from . import selectors
from .models import ImportBatch


def items(*, user, today):
    if not selectors.can_import(user):
        return []
    out = []
    for status, key, label, since in (
            (ImportBatch.Status.PREVIEW, "interop.preview",
             _("Checked imports waiting for my confirmation"), None),
            (ImportBatch.Status.IMPORTED, "interop.imported",
             _("My imports finished this week"), today - dt.timedelta(days=7))):
        mine = selectors.batch_list(user=user).filter(status=status)
        if since is not None:
            mine = mine.filter(created_at__date__gte=since)
        first = list(mine.values_list("pk", flat=True)[:2])
        if not first:
            continue
        count = mine.count()
        # One batch opens its page (preview or result); several open the list of my batches.
        url = reverse("interop:preview", args=[first[0]]) if count == 1 else \
            reverse("interop:workbook_import")
        out.append(WorkbenchItem(key, label, count, url, order=60 if since is None else 61))
    return out
