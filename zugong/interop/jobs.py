"""Big imports and exports as background jobs (``zugong.core.jobs``).

Each function runs either in the request (small selections, through ``run_or_start``) or
in the job consumer; it reads again with the owner's scope, so a job exports nothing its
owner could not export from the page.
"""

from __future__ import annotations

import shutil

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from zugong.core.jobs import JobFailed
from zugong.people.selectors import PersonFilters

from . import exports, selectors, services
from .models import ImportBatch

# The download's name, in the reader's language (a Chinese name in Chinese).
FILE_CADRE_WORKBOOK = pgettext_lazy("file name", "cadre workbook")


def _people(user, params):
    filters = PersonFilters.from_params(params.get("filters") or {})
    ids = params.get("ids")
    return filters, selectors.exportable_people(user=user, filters=filters, ids=ids)


def people_lrmx_job(*, user, params, progress) -> str:
    filters, people = _people(user, params)
    progress.set_total(params.get("count") or people.count())
    _buf, count = exports.people_lrmx_zip(people, out=progress.output("lrmx.zip"),
                                          tick=progress.advance)
    services.export_logged(by=user, what="lrmx", count=count,
                           detail={"filters": filters.as_params()})
    return _("%(count)s people exported.") % {"count": count}


def people_workbook_job(*, user, params, progress) -> str:
    filters, people = _people(user, params)
    progress.set_total(params.get("count") or people.count())
    tmp, count = exports.people_workbook(user=user, people=people, tick=progress.advance)
    with tmp:
        shutil.copyfileobj(tmp, progress.output(
            f"{FILE_CADRE_WORKBOOK}-{timezone.localdate():%Y%m%d}.xlsx"))
    services.export_logged(by=user, what="workbook", count=count,
                           detail={"filters": filters.as_params()})
    return _("%(count)s people exported.") % {"count": count}


def batch_apply_job(*, user, params, progress) -> str:
    """Write a confirmed batch: one transaction, so an interrupted job writes nothing."""
    batch = selectors.batch_get_for_user(user, params["batch"])
    choices = {int(k): v for k, v in params["choices"].items()} \
        if params.get("choices") is not None else None
    progress.set_total(params.get("count") or 0)
    progress.link(reverse("interop:preview", args=[batch.pk]))
    try:
        counts = services.batch_apply(by=user, batch=batch, choices=choices,
                                      tick=progress.advance)
    except services.BatchStateError as exc:
        raise JobFailed(str(exc)) from exc
    except ValidationError as exc:
        raise JobFailed(_("Nothing was imported: %(errors)s") % {
            "errors": "；".join(exc.messages)}) from exc
    return _("Imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, "
             "%(skipped)s skipped.") % counts


def batch_size(batch: ImportBatch) -> int:
    return len(services.batch_records(batch))
