"""LRMX files of registered people: one file, or a zip of a selection."""

from __future__ import annotations

import io
import re
import zipfile

from zugong.people.models import Person

from .lrmx import Codes
from .lrmx_writer import build_lrmx
from .merge import person_to_record


def lrmx_filename(person: Person) -> str:
    safe = re.sub(r"[^\w\u4e00-\u9fff-]+", "", person.name) or "person"
    return f"{safe}-{person.pk}.lrmx"


def person_lrmx(person: Person, codes: Codes | None = None) -> bytes:
    return build_lrmx(person_to_record(person), codes or Codes.load())


def people_lrmx_zip(people, out=None) -> tuple[io.BytesIO, int]:
    """Every person's LRMX file in one zip; returns the buffer and the count."""
    codes = Codes.load()
    buf = out or io.BytesIO()
    count = 0
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for person in people.iterator(chunk_size=200):
            archive.writestr(lrmx_filename(person), person_lrmx(person, codes))
            count += 1
    buf.seek(0)
    return buf, count
