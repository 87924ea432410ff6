"""xlsx export of the filtered people list, masked for the viewer."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from openpyxl import Workbook

from zugong.core.dictionaries import attach
from zugong.core.masking import mask_id_number, mask_phone

from . import services
from .access import sensitive_scope_ids
from .selectors import LIST_DICT_FIELDS

HEADERS = (
    _l("full name"), _l("sex"), _l("birth date"), _l("unit"), _l("current post"), _l("post level"),
    _l("full-time education"), _l("ID number"), _l("phone"), _l("category"),
)


def _chunks(qs, size=2000):
    batch = []
    for person in qs.iterator(chunk_size=size):
        batch.append(person)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def people_xlsx_response(*, user, qs, filters):
    """Streams rows into a write-only workbook on disk, so memory stays flat."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("People"))
    ws.append([str(h) for h in HEADERS])
    count = 0
    for batch in _chunks(qs):
        attach(batch, LIST_DICT_FIELDS)
        allowed = sensitive_scope_ids(user, batch)
        for p in batch:
            full = p.pk in allowed
            ws.append([
                p.name, p.sex.name, p.birth_date, p.unit.name, p.current_post,
                p.post_level.name if p.post_level else "",
                p.ft_education.name if p.ft_education else "",
                p.id_number if full else mask_id_number(p.id_number),
                p.phone if full else mask_phone(p.phone),
                p.get_category_display(),
            ])
            count += 1
    services.person_export_logged(by=user, count=count, filters=filters.as_params())
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by FileResponse
    wb.save(tmp)
    tmp.seek(0)
    name = f"people-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(tmp, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument."
                                     "spreadsheetml.sheet")
