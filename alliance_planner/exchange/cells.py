"""Single cells: values in and out of a worksheet, safely.

Text a user typed is always stored as text, never as a formula: a service named
``=HYPERLINK(...)`` stays those characters in Excel and LibreOffice, and a cell that starts
with ``= + - @`` keeps a quote prefix so that editing it in Excel does not turn it into one.
"""

from __future__ import annotations

import array
import errno
import gc
import io
import os
import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.worksheet import Worksheet

from .. import formats
from ..domain.progress import Cancelled
from ..domain.schema import Column, Kind
from ..formats import ParseError
from . import cell_xml
from .cached import PerWorkbook

MONEY = '£#,##0.00;[Red]-£#,##0.00'
POUNDS = '£#,##0;[Red]-£#,##0'
"""Whole pounds for the board's reading; the cells still hold every penny."""
MONEY_M = '£#,##0.0,,"m";[Red]-£#,##0.0,,"m"'
NUMBER = "#,##0.0"
WHOLE = "#,##0"
PERCENT = "0.0%"
RATIO = "0.00"
DATE = "yyyy-mm-dd"
INPUT_FILL = PatternFill("solid", fgColor="FFF7D6")
PLAIN_FILL = PatternFill(fill_type=None)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
_RISKY_START = ("=", "+", "-", "@", "\t", "\r")
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
                         "|_(?=x[0-9A-Fa-f]{4}_)")


def storable(text: str) -> str:
    """`text` as a workbook can hold it: a character XML cannot carry (an escape, a bell)
    as Excel's own ``_x001B_``, and a literal ``_x0041_`` with its underscore escaped, so
    that Excel shows the text and the importer reads it back as it was."""
    if _UNSTORABLE.search(text) is None:  # nearly always: looked for before replacing
        return text
    return _UNSTORABLE.sub(_excel_escape, text)


def _excel_escape(match: re.Match[str]) -> str:
    return f"_x{ord(match.group()):04X}_"


def cell_at(ws: Worksheet, row: int, column: int) -> Cell:
    """``ws.cell(row, column)`` without its checks, for the pack's generated rows (tens of
    thousands of cells): the cell there, made if there is none."""
    cells = ws._cells
    key = (row, column)
    cell = cells.get(key)
    if cell is None:
        cell = cells[key] = Cell(ws, row, column)
        if row > ws._current_row:
            ws._current_row = row
    return cell


def put_text(cell: Cell, text: str) -> Cell:
    """Store `text` as a string whatever it looks like: bound as openpyxl binds a string
    (cut to 32,767 characters), ``storable`` having left nothing its check refuses."""
    cell._value = str(storable(text))[:32767]
    cell.data_type = "s"
    if text.startswith(_RISKY_START):
        cell.quotePrefix = True  # so that editing it in Excel does not make it a formula
    return cell


def put_formula(cell: Cell, formula: str, number_format: str | None = None) -> Cell:
    """Only the program's own formulas go through here: bound as openpyxl would bind them,
    without its checks for text a user typed (a board pack holds some 30,000 formulas)."""
    assert formula.startswith("="), formula
    cell._value, cell.data_type = formula, "f"
    if number_format:
        set_format(cell, number_format)
    return cell


_formats: PerWorkbook[dict[str, StyleArray]] = PerWorkbook(lambda wb: {})
"""Each number format's style in a workbook, the format's id and nothing else set."""
_new_array = array.array.__new__
_UNSTYLED = StyleArray()


def set_format(cell: Cell, number_format: str) -> None:
    """``cell.number_format = number_format``, remembering each format's id in the
    workbook: openpyxl looks it up in a list each time."""
    formats = _formats(cell.parent.parent)
    found = formats.get(number_format)
    if found is None:
        cell.number_format = number_format
        formats[number_format] = StyleArray((0, 0, 0, cell._style.numFmtId, 0, 0, 0, 0, 0))
        return
    style = cell._style
    if style is None:
        cell._style = _new_array(StyleArray, "i", found)  # a copy, as StyleArray(found)
    else:
        style[3] = found[3]  # numFmtId


def literal(text: str) -> str:
    """``text`` as a formula's string: quotes doubled, and cut into pieces joined by & since
    Excel refuses a string of more than 255 characters inside a formula."""
    text = text.replace('"', '""')
    pieces = [text[i:i + 200] for i in range(0, len(text), 200)] or [""]
    return "&".join(f'"{piece}"' for piece in pieces)


def year_label(offset: int | str) -> str:
    """The financial year ``offset`` years after BaseYear as text ("2026/27"), as a formula
    (without its "="): a label that follows the base year typed in."""
    year = f"(BaseYear+{offset})"
    return f'{year}&"/"&RIGHT(TEXT({year}+1,"0"),2)'


def put_number(cell: Cell, value: float | int | None, number_format: str | None = None) -> Cell:
    if value.__class__ in (int, float):  # not a bool, a NumPy number or None: bound as
        cell._value, cell.data_type = value, "n"  # openpyxl binds a plain number
    else:
        cell.value = value
    if number_format:
        set_format(cell, number_format)
    return cell


_NUMBER_FORMATS = {Kind.MONEY: MONEY, Kind.NUMBER: NUMBER, Kind.PERCENT: PERCENT,
                   Kind.DATE: DATE, Kind.YEAR: "0"}


def number_format(column: Column) -> str | None:
    return _NUMBER_FORMATS.get(column.kind)


def write_field(cell: Cell, column: Column, value: Any) -> Cell:
    """A record's field into a cell, typed so that Excel shows and sorts it properly."""
    kind = column.kind
    if value is None:
        cell.value = None
    elif kind in _NUMBER_FORMATS:  # a number, a percentage, a year or a date
        put_number(cell, value, _NUMBER_FORMATS[kind])
    elif kind is Kind.BOOL:
        put_text(cell, "yes" if value else "no")
    elif kind in (Kind.CODES, Kind.FRACTIONS):
        put_text(cell, column.edit_text(value))
    elif isinstance(value, Enum):
        put_text(cell, str(value.value))
    else:
        put_text(cell, str(value))
    return cell


def read_field(column: Column, value: Any) -> Any:
    """A cell's value as the field's value; ParseError says what was expected.

    Blank cells are the caller's to decide (a default, or "a value is required").
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        if column.optional:
            return None
        raise ParseError("a value is required")
    if isinstance(value, bool) and column.kind is not Kind.BOOL:
        raise ParseError(f"expected {column.kind.value}, not {value}")
    if column.kind is Kind.PERCENT and isinstance(value, int | float):
        return float(value)  # the cell holds the fraction; Excel shows it as %
    if column.kind is Kind.DATE:
        if isinstance(value, datetime | date):
            return formats.parse_date(value)
        if isinstance(value, int | float):
            raise ParseError(f"expected a date such as 2028-03-31, not {value!r}")
    if column.kind is Kind.BOOL and isinstance(value, bool):
        return value
    if column.numeric and isinstance(value, int | float):
        return column.parse(value)
    return column.parse(_text(value))


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


COMPRESSION = 1
"""zlib's level for a saved workbook: its fastest, a quarter of the default's time for a
file a fifth larger (the national board pack: 7 MB of XML packed in 25 ms to 0.87 MB, not
in 80 ms to 0.73 MB). Any level is plain deflate, which every reader of .xlsx reads."""


def save_workbook(wb: Workbook, path: str | Path,
                  cancelled: Callable[[], bool] | None = None) -> None:
    """Write beside the target and rename into place: a failed or cancelled save leaves no
    half file and the target as it was. A failure is an OSError naming the target, with a
    reason a person understands ("the disk is full; nothing was written")."""
    target = Path(path)
    packed = io.BytesIO()  # a board pack is a few hundred kB: packed whole, then written
    with collector_paused():
        cell_xml.save(wb, packed, COMPRESSION)  # quicker, and with formulas' cached values
    if cancelled is not None and cancelled():
        raise Cancelled()
    tmp: Path | None = None
    try:
        # Made as an ordinary file is (the umask's permissions), under a name no one else
        # is using.
        name = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        tmp = name
        with os.fdopen(fd, "wb") as out:
            out.write(packed.getbuffer())
            out.flush()
            os.fsync(out.fileno())
        if cancelled is not None and cancelled():
            raise Cancelled()
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OSError(exc.errno, f"{_reason(exc)}; nothing was written", str(target)) \
            from exc
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a workbook is built or saved: the tens of
    thousands of cells and strings made set it off hundreds of times, each of its full
    passes over every object alive (a tenth of the national board pack's export). It
    collects once first, so that garbage already waiting (a workbook read before, say) is
    freed before the pack is built rather than held beside it; cycles the pack leaves are
    collected once it is back on. Where it is off already (the window runs it from a
    timer of its own: ui/collector.py), it is left alone."""
    if not gc.isenabled():
        yield
        return
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _reason(exc: OSError) -> str:
    return {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk is full (over quota)",
            errno.EROFS: "the disk is read-only", errno.EACCES: "permission denied",
            errno.EPERM: "permission denied"}.get(exc.errno or 0,
                                                   exc.strerror or str(exc))


def print_setup(ws: Worksheet) -> None:
    """A4 landscape, fitted to the page width, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.page_margins.left = ws.page_margins.right = 0.4


def style_header(cell: Cell) -> None:
    """Bold on a shaded ground, wrapped: the three styles' places in the workbook found once
    a workbook, as for an input cell (openpyxl hashes a style each time it is set)."""
    font, fill, alignment = _header_style(cell.parent.parent)
    style = cell._style
    if style is None:
        style = cell._style = _new_array(StyleArray, "i", _UNSTYLED)
    style[0], style[1], style[5] = font, fill, alignment  # fontId, fillId, alignmentId


HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
_header_style: PerWorkbook[tuple[int, int, int]] = PerWorkbook(
    lambda wb: (wb._fonts.add(HEADER_FONT), wb._fills.add(HEADER_FILL),
                wb._alignments.add(HEADER_ALIGNMENT)))


def style_input(cell: Cell) -> None:
    """A yellow, unlocked input cell.

    openpyxl finds a style's index in the workbook by hashing the style object, for every
    cell it is set on; with thousands of input cells that was most of an export's time. The
    two indices are found once a workbook instead and set on the cell's style directly.
    """
    fill, protection = _input_style(cell.parent.parent)
    style = cell._style
    if style is None:
        style = cell._style = _new_array(StyleArray, "i", _UNSTYLED)
    style[1], style[4] = fill, protection  # fillId, protectionId


UNLOCKED = Protection(locked=False)
_input_style: PerWorkbook[tuple[int, int]] = PerWorkbook(
    lambda wb: (wb._fills.add(INPUT_FILL), wb._protections.add(UNLOCKED)))
