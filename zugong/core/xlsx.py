"""The one xlsx export every list uses: frozen header, widths, autofilter, text-safe cells.

Exports leave the building: they are opened in Excel or WPS on office PCs and mailed on.
A name such as ``=HYPERLINK("http://x","y")`` typed into a form must therefore arrive as
the text it is, never as a live formula, and a stray control character pasted from a
Word file must not break the export. Every app writes its xlsx through this module, so
those rules live in one place.

Rows are written one at a time with openpyxl's write-only mode into a temporary file, which
``FileResponse`` then streams: memory stays bounded however many rows a province exports.

How an app uses it (``zugong/<app>/exports.py``)::

    from django.utils import timezone
    from django.utils.translation import gettext as _

    from zugong.core.audit import audit_record
    from zugong.core.xlsx import Column, Sheet, xlsx_response

    def talks_xlsx(*, user, filters, qs):
        columns = [
            Column(_("person"), value=lambda t: t.person.name),
            Column(_("date"), value=lambda t: t.held_on, width=12),
            Column(_("summary"), value=lambda t: t.summary, width=60),
        ]
        response = xlsx_response(
            filename=f"{_('talks')}-{timezone.localdate():%Y%m%d}.xlsx",
            sheets=[Sheet(title=_("Talks"), columns=columns, rows=qs)],
        )
        audit_record(actor=user, action="talks.talk.export", object_type="talks.talk",
                     after={"count": response.row_counts[0], "filters": filters.as_params()})
        return response

Columns either all have a ``value`` getter (``rows`` are then objects, for instance a
queryset, which is read with ``.iterator()``) or none has one (``rows`` are then
sequences of cell values, one per column).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .jobs import tick

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Excel's own limits: a cell holds at most 32,767 characters, a sheet title 31.
MAX_CELL_CHARS = 32767
MAX_TITLE_CHARS = 31
# Characters Excel forbids in sheet titles.
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Spreadsheet programs start a formula (or a DDE call) with these characters; tab and
# carriage return are on the OWASP list because some programs skip them first.
_FORMULA_START = frozenset("=+-@")
_WHITESPACE_START = ("\t", "\r")
# A queryset is read in chunks so that a large export never holds all rows at once.
_CHUNK = 2000
_MIN_WIDTH, _MAX_WIDTH = 8, 60


@dataclass(frozen=True)
class Column:
    """One column: its header, optionally how to get its value from a row object, and its
    width in Excel units (about one Latin character; a Chinese character counts two).
    Without a width, the header's own width decides."""

    label: str | Promise
    value: Callable[[Any], Any] | None = None
    width: float | None = None


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a title, its columns and an iterable of rows (objects or sequences)."""

    title: str | Promise
    columns: list[Column] | tuple[Column, ...]
    rows: Iterable[Any]


def display_width(text: str) -> int:
    """How many Latin-character widths ``text`` takes: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def safe_text(value: str) -> str:
    """``value`` without the control characters an xlsx file cannot hold, cut to Excel's
    cell limit. Removing them silently is right: they are invisible paste debris."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]


def _is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula or an error value."""
    if text.startswith(_WHITESPACE_START):
        return True
    stripped = text.lstrip()
    return (bool(stripped) and stripped[0] in _FORMULA_START) or text in ERROR_CODES


def _cell(ws, value: Any) -> Any:
    """A value openpyxl writes as data, never as a formula, and never raises on."""
    if value is None or isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, float):
        # Excel has no NaN or infinity; a number cell with one makes the file unreadable.
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime):
        # Excel has no time zones: show the wall-clock time the office sees on screen.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    text = safe_text(str(value))  # str subclasses, lazy translations, UUIDs, choices
    if not _is_formula_like(text):
        return text
    cell = WriteOnlyCell(ws, value=text)
    # openpyxl infers a formula from a leading "=" (and an error from "#N/A"): overrule it.
    cell.data_type = "s"
    # Excel's "quote prefix": the cell stays text even when a user edits it and presses Enter.
    cell.quotePrefix = True
    return cell


def _sheet_title(title: str | Promise, used: set[str]) -> str:
    """A title Excel accepts (no []:*?/\\, at most 31 characters), unique in the workbook."""
    base = _TITLE_FORBIDDEN.sub("_", safe_text(str(title))).strip("'") or "Sheet"
    base = base[:MAX_TITLE_CHARS]
    name, n = base, 1
    while name.lower() in used:
        n += 1
        suffix = f" ({n})"
        name = base[: MAX_TITLE_CHARS - len(suffix)] + suffix
    used.add(name.lower())
    return name


def _write_sheet(wb: Workbook, sheet: Sheet, used: set[str]) -> int:
    columns = list(sheet.columns)
    if not columns:
        raise ValueError("An xlsx sheet needs at least one column.")
    getters = [c.value for c in columns]
    with_getters = all(getters)
    if not with_getters and any(getters):
        raise ValueError("Give a value getter to every column of a sheet or to none.")
    ws = wb.create_sheet(_sheet_title(sheet.title, used))
    labels = [safe_text(str(c.label)) for c in columns]
    # Views and column widths are written before the first row in write-only mode.
    ws.freeze_panes = "A2"
    for index, (column, label) in enumerate(zip(columns, labels, strict=True), start=1):
        width = column.width or min(max(display_width(label) + 2, _MIN_WIDTH), _MAX_WIDTH)
        ws.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    header = []
    for label in labels:
        head = _cell(ws, label)
        if not isinstance(head, Cell):
            head = WriteOnlyCell(ws, value=head)
        head.font = bold
        header.append(head)
    ws.append(header)

    rows = sheet.rows
    if isinstance(rows, QuerySet):
        rows = rows.iterator(chunk_size=_CHUNK)
    count = 0
    for row in rows:
        values = [get(row) for get in getters] if with_getters else list(row)
        if len(values) != len(columns):
            raise ValueError(f"Row {count + 1} of sheet {sheet.title!s} has {len(values)} "
                             f"values for {len(columns)} columns.")
        ws.append([_cell(ws, v) for v in values])
        count += 1
        tick()  # a background export's progress bar
    # The filter spans header and data so that Excel sorts and filters every row.
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    return count


def write_xlsx(*, file: IO[bytes], sheets: Iterable[Sheet]) -> tuple[int, ...]:
    """Write ``sheets`` as an xlsx workbook into ``file``; returns the data rows per sheet."""
    wb = Workbook(write_only=True)
    used: set[str] = set()
    try:
        counts = tuple(_write_sheet(wb, sheet, used) for sheet in sheets)
        if not counts:
            raise ValueError("An xlsx workbook needs at least one sheet.")
        wb.save(file)
    except BaseException:
        _discard(wb)
        raise
    return counts


def _discard(wb: Workbook) -> None:
    """Finish and delete the sheets' temporary files after a failed export.

    openpyxl only removes them at interpreter exit, and a web worker lives for days.
    """
    for ws in wb.worksheets:
        writer = getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        if writer is not None:
            with contextlib.suppress(Exception):
                writer.cleanup()


def xlsx_response(*, filename: str, sheets: Iterable[Sheet]) -> FileResponse:
    """An attachment download of ``sheets``; ``filename`` may be Chinese.

    ``FileResponse`` sends a Chinese name as RFC 5987 ``filename*=utf-8''…`` with an ASCII
    fallback. The response's ``row_counts`` holds the data rows written per sheet, for the
    export's audit entry.
    """
    name = re.sub(r"[\\/\x00-\x1f\x7f]", "_", str(filename))
    if not name.lower().endswith(".xlsx"):
        name += ".xlsx"
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        counts = write_xlsx(file=tmp, sheets=sheets)
    except BaseException:
        tmp.close()
        raise
    tmp.seek(0)
    response = FileResponse(tmp, as_attachment=True, filename=name, content_type=XLSX)
    response.row_counts = counts
    return response
