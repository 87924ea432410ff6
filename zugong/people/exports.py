"""xlsx export of the filtered people list, masked for the viewer."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext_lazy

from zugong.core.dictionaries import attach
from zugong.core.masking import mask_id_number, mask_phone
from zugong.core.xlsx import Column, Sheet, xlsx_response

from . import services
from .access import Cap, require_cap, sensitive_scope_ids
from .selectors import LIST_DICT_FIELDS, PersonFilters, person_list

# The download's name, in the reader's language (a Chinese name in Chinese).
FILE_CADRE_ROSTER = pgettext_lazy("file name", "cadre roster")

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


def _rows(*, user, qs):
    """The export's rows, a chunk at a time: code-table names and the sensitive-value
    check cost one query per chunk, not per person."""
    for batch in _chunks(qs):
        attach(batch, LIST_DICT_FIELDS)
        allowed = sensitive_scope_ids(user, batch)
        for p in batch:
            full = p.pk in allowed
            yield [
                p.name, p.sex.name, p.birth_date, p.unit.name, p.current_post,
                p.post_level.name if p.post_level else "",
                p.ft_education.name if p.ft_education else "",
                p.id_number if full else mask_id_number(p.id_number),
                p.phone if full else mask_phone(p.phone),
                p.get_category_display(),
            ]


def people_xlsx_response(*, user, qs, filters):
    """The filtered list, masked for the viewer, streamed through the kit's xlsx response
    (memory stays flat; formula-like text stays text); the export is audited."""
    response = xlsx_response(
        filename=f"{FILE_CADRE_ROSTER}-{timezone.localdate():%Y%m%d}.xlsx",
        sheets=[Sheet(title=_("People"), columns=[Column(h) for h in HEADERS],
                      rows=_rows(user=user, qs=qs))],
    )
    services.person_export_logged(by=user, count=response.row_counts[0],
                                  filters=filters.as_params())
    return response


def people_export(user, query):
    """The list's export from the page's query (in the request, or as a background job)."""
    require_cap(user, Cap.PEOPLE_EXPORT)
    filters = PersonFilters.from_params(query)
    return people_xlsx_response(user=user, qs=person_list(user=user, filters=filters),
                                filters=filters)
