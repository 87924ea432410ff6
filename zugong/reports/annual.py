"""The annual work report as an editable Word document, from a template kept as data.

The template's body is plain text: a line starting with ``#`` opens a section, every other
line is a paragraph, and ``{figure key}`` is replaced by that figure for the unit and year.
Lines before the first section are the opening paragraphs. The document is written with
ordinary paragraphs and heading styles (no fields, no text boxes), so the office goes on
editing it in Word or WPS as any other draft.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_.]*)\}")


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def fill(text: str, values: dict[str, str]) -> str:
    """Numbers in for the keys; an unknown key is left visible for the editor to fix."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), "【" + m.group(1) + "】"), text)


def sections(body: str, values: dict[str, str]) -> tuple[list[str], list[Section]]:
    """The opening paragraphs and the sections of a filled template."""
    opening: list[str] = []
    out: list[Section] = []
    for raw in body.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            out.append(Section(fill(line.lstrip("#").strip(), values)))
        elif out:
            out[-1].paragraphs.append(fill(line, values))
        else:
            opening.append(fill(line, values))
    return opening, out


def annual_docx(*, title: str, body: str, values: dict[str, str], table: list) -> bytes:
    """The report: title, opening, sections, and an appendix table of every figure
    (label, value, unit, last year) so each number in the text can be checked."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "仿宋"
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    doc.add_heading(title, level=0)
    opening, parts = sections(body, values)
    for text in opening:
        doc.add_paragraph(text).paragraph_format.first_line_indent = Pt(28)
    for part in parts:
        doc.add_heading(part.title, level=1)
        for text in part.paragraphs:
            doc.add_paragraph(text).paragraph_format.first_line_indent = Pt(28)
    doc.add_heading(_("Appendix: the figures of the year"), level=1)
    grid = doc.add_table(rows=1, cols=4)
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, (_("figure"), _("value"), _("unit of measure"),
                                               _("last year")), strict=True):
        cell.text = str(text)
    for row in table:
        cells = grid.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
