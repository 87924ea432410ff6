"""Import's part of the workbench: my checked imports waiting for confirmation."""

from django.urls import reverse
from django.utils.translation import gettext as _

from zugong.core.registry import WorkbenchItem

from . import selectors
from .models import ImportBatch


def items(*, user, today):
    if not selectors.can_import(user):
        return []
    waiting = list(selectors.batch_list(user=user).filter(
        status=ImportBatch.Status.PREVIEW).values_list("pk", flat=True)[:2])
    if not waiting:
        return []
    count = selectors.batch_list(user=user).filter(status=ImportBatch.Status.PREVIEW).count()
    # One batch opens its preview; several open the list of my batches.
    url = reverse("interop:preview", args=[waiting[0]]) if count == 1 else \
        reverse("interop:workbook_import")
    return [WorkbenchItem("interop.preview", _("Checked imports waiting for my confirmation"),
                          count, url, order=60)]
