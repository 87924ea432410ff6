"""Exports of registered people: LRMX files (one, or a zip of a selection) and the
information workbook. These read the registry; the format modules only write files."""

from __future__ import annotations

import io
import re
import zipfile

from zugong.core.dictionaries import attach
from zugong.people.access import sensitive_scope_ids
from zugong.people.models import OrgUnit, Person
from zugong.people.selectors import DETAIL_DICT_FIELDS

from .lrmx import Codes
from .lrmx_writer import build_lrmx
from .merge import person_to_record
from .workbook import WorkbookWriter

CHUNK = 500


def lrmx_filename(person: Person) -> str:
    safe = re.sub(r"[^\w\u4e00-\u9fff-]+", "", person.name) or "person"
    return f"{safe}-{person.pk}.lrmx"


def person_lrmx(person: Person, codes: Codes | None = None) -> bytes:
    return build_lrmx(person_to_record(person), codes or Codes.load())


def _no_tick(n: int = 1) -> None:
    return None


def people_lrmx_zip(people, out=None, tick=_no_tick) -> tuple[io.BytesIO, int]:
    """Every person's LRMX file in one zip; returns the buffer and the count. ``tick`` is
    called once per person (a background export's progress)."""
    codes = Codes.load()
    buf = out or io.BytesIO()
    count = 0
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for person in people.iterator(chunk_size=200):
            archive.writestr(lrmx_filename(person), person_lrmx(person, codes))
            count += 1
            tick()
    buf.seek(0)
    return buf, count


def people_workbook(*, user, people, tick=_no_tick):
    """The people of a selection in the workbook's sheets, with the units they sit in. ID
    and phone are masked unless ``user`` may see them (``user=None``: the system, unmasked).
    Returns the file and the count."""
    writer = WorkbookWriter(Codes.load())
    units: dict[int, OrgUnit] = {}
    count = 0
    batch: list[Person] = []

    def flush():
        nonlocal count
        attach(batch, DETAIL_DICT_FIELDS)
        allowed = sensitive_scope_ids(user, batch) if user is not None else {p.pk for p in batch}
        for person in batch:
            writer.person(person, person_to_record(person, photo=False),
                          full=person.pk in allowed)
            units.setdefault(person.unit_id, person.unit)
            count += 1
        tick(len(batch))
        batch.clear()

    for person in people.select_related("unit").iterator(chunk_size=CHUNK):
        batch.append(person)
        if len(batch) == CHUNK:
            flush()
    flush()
    for unit in sorted(units.values(), key=lambda u: u.path):
        parent = OrgUnit.objects.get_parent(unit) if unit.depth > 1 else None
        writer.unit(unit, parent.code if parent else "")
    return writer.save(), count
