"""Each sheet's rows as XML, written as text: quicker than openpyxl's own writer, and with
the cached value of a formula beside it.

openpyxl builds an ElementTree element for every cell and row and serialises it, which is
most of the time a board pack takes to save (the national plan's has some 52,000 cells).
The cells this program writes are of four plain kinds (a number, a text, a formula, a
bool), and their XML is short and fixed, so the sheet's rows are written here as text
straight into its stream, each distinct style's id looked up once a sheet; anything else
(a date, rich text, an array formula, a hyperlink) goes to openpyxl's cell writer as
before. The XML is the same as openpyxl's, with the value recorded in ``cached.py``
inside a formula's ``<v>`` (``t="str"`` for a text, ``t="b"`` for a bool).
"""

from __future__ import annotations

import io
import math
import threading
import time
from collections.abc import Callable
from typing import IO, Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments.comment_sheet import CommentRecord
from openpyxl.compat import safe_string
from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import Element, SubElement

from .cached import values_of

_lock = threading.Lock()
_PLAIN = frozenset({int, float, str, bool})
_UNSTYLED = bytes(4 * 9)
"""An openpyxl StyleArray of nine zeros, as bytes: a cell with no style."""


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _attribute(text: str) -> str:
    """An attribute's value escaped as ElementTree escapes it."""
    text = _escape(text)
    for raw, escaped in (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;")):
        if raw in text:
            text = text.replace(raw, escaped)
    return text


def _number(value: float | int) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return f"{value:.16g}"


def cell_xml(cell: Cell, coordinate: str, style: int | None, cached: Any) -> str | None:
    """The cell as openpyxl would write it, `style` its style's id if it has one (with
    `cached` in a formula's value), or None for a cell of a kind left to openpyxl."""
    value, kind = cell._value, cell.data_type
    if cell.hyperlink is not None or (value.__class__ not in _PLAIN and value is not None):
        return None
    head = f'<c r="{coordinate}"' if style is None else f'<c r="{coordinate}" s="{style}"'
    if kind == "f":
        if value.__class__ is not str:
            return None
        formula = value[1:]
        if "&" in formula or "<" in formula or ">" in formula:
            formula = _escape(formula)
        if cached is None:
            return f"{head}><f>{formula}</f><v></v></c>"
        if cached.__class__ is bool:
            return f'{head} t="b"><f>{formula}</f><v>{int(cached)}</v></c>'
        if cached.__class__ is str:
            return f'{head} t="str"><f>{formula}</f><v>{_escape(cached)}</v></c>'
        return f"{head}><f>{formula}</f><v>{_number(cached)}</v></c>"
    if value is None or value == "":
        return f'{head} t="{"inlineStr" if kind == "s" else kind}"/>'
    if kind == "n" and value.__class__ in (int, float):
        return f'{head} t="n"><v>{_number(value)}</v></c>'
    if kind == "s" and value.__class__ is str:
        stripped = value.strip()  # marked as openpyxl marks it: not when all blank
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f'{head} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
    if kind == "b" and value.__class__ is bool:
        return f'{head} t="b"><v>{int(value)}</v></c>'
    return None


def _rows(ws: Any) -> list[tuple[int, list[Cell]]]:
    """The sheet's rows in order, each with its cells in order, and the rows that have only
    a height or a style: as openpyxl's writer finds them."""
    cells = ws._cells
    rows: dict[int, list[Cell]] = {}
    for key in sorted(cells):
        found = rows.get(key[0])
        if found is None:
            rows[key[0]] = [cells[key]]
        else:
            found.append(cells[key])
    for row in ws.row_dimensions.keys() - rows.keys():
        rows[row] = []
    return sorted(rows.items())


def _write_rows(writer: Any, write_cell: Callable[..., None]) -> None:
    """The sheet's rows as text into the et_xmlfile stream; a cell of another kind through
    `write_cell` (openpyxl's), or as an element with its cached value. Each distinct style
    is added to the workbook's list once, where openpyxl hashes it a cell: the same order,
    so the same ids."""
    ws = writer.ws
    xf = writer.xf.send(True)
    raw = getattr(xf, "_file", None)  # et_xmlfile's stream; lxml's writer has none
    values = values_of(ws.parent, ws.title)
    styles = ws.parent._cell_styles
    ids: dict[bytes, int | None] = {_UNSTYLED: None}
    dims = ws.row_dimensions
    with xf.element("sheetData"):
        parts: list[str] = []
        for row, cells in _rows(ws):
            r = f"{row}"
            attributes = {"r": r}
            attributes.update(dims.get(row, {}))
            if raw is None:
                with xf.element("row", attributes):
                    for cell in cells:
                        _write_cell(xf, ws, cell, _style_id(cell, ids, styles),
                                    values.get(cell.coordinate), write_cell)
                continue
            parts.append("<row" + "".join(f' {k}="{_attribute(v)}"'
                                          for k, v in attributes.items()) + ">")
            for cell in cells:
                found = _style_id(cell, ids, styles)
                if cell._comment is None:
                    if cell._value is None and found is None:
                        continue
                    coordinate = get_column_letter(cell.column) + r
                    text = cell_xml(cell, coordinate, found,
                                    values.get(coordinate) if values else None)
                    if text is not None:
                        parts.append(text)
                        continue
                raw("".join(parts))
                parts.clear()
                _write_cell(xf, ws, cell, found, values.get(cell.coordinate), write_cell)
            parts.append("</row>")
        if parts:
            raw("".join(parts))
    writer.xf.send(None)  # return control to the sheet's writer


def _style_id(cell: Cell, ids: dict[bytes, int | None], styles: Any) -> int | None:
    """The cell's style id, None if it has none."""
    style = cell._style
    if style is None:
        return None
    key = style.tobytes()
    found = ids.get(key, -1)
    if found == -1:
        found = ids[key] = styles.add(style)
    return found


def _write_cell(xf: Any, ws: Any, cell: Cell, style: int | None, cached: Any,
                write_cell: Callable[..., None]) -> None:
    """A cell as openpyxl's row writer writes it, with a formula's cached value."""
    if cell._comment is not None:
        ws._comments.append(CommentRecord.from_cell(cell))
    if cell._value is None and style is None and not cell._comment:
        return
    if cached is not None and cell.data_type == "f" and isinstance(cell._value, str):
        xf.write(_element(cell, style is not None, cached))
    else:
        write_cell(xf, ws, cell, style is not None)


def _element(cell: Cell, styled: bool | None, cached: Any) -> Any:
    """A formula with its cached value, as an element, for lxml's writer."""
    attributes = {"r": cell.coordinate}
    if styled:
        attributes["s"] = f"{cell.style_id}"
    if isinstance(cached, bool):
        attributes["t"], text = "b", "1" if cached else "0"
    elif isinstance(cached, str):
        attributes["t"], text = "str", cached
    else:
        text = safe_string(cached)
    element = Element("c", attributes)
    SubElement(element, "f").text = cell._value[1:]
    SubElement(element, "v").text = text
    return element


def install() -> None:
    """Have openpyxl write each sheet's rows this way, in every thread, from now on. Done
    once."""
    from openpyxl.worksheet import _writer

    with _lock:
        original = _writer.WorksheetWriter.write_rows
        if hasattr(original, "wrapped"):
            return

        def write_rows(self: Any) -> None:
            _write_rows(self, _writer.write_cell)

        write_rows.wrapped = original  # type: ignore[attr-defined]
        _writer.WorksheetWriter.write_rows = write_rows  # type: ignore[method-assign]


class _InMemory(ExcelWriter):
    """openpyxl's workbook writer, with each sheet's XML kept in memory: openpyxl writes it
    to a temporary file, reads that into the archive and deletes it, some 7 MB of XML for
    the national plan's pack. The archive's entries are as openpyxl makes them."""

    def write_worksheet(self, ws: Any) -> None:
        ws._drawing = SpreadsheetDrawing()
        ws._drawing.charts = ws._charts
        ws._drawing.images = ws._images
        writer = WorksheetWriter(ws, out=io.BytesIO())
        writer.write()
        ws._rels = writer._rels
        entry = ZipInfo(ws.path[1:], time.localtime()[:6])
        entry.external_attr = 0o100600 << 16  # a file of the owner's, as the temporary file
        self._archive.writestr(entry, writer.out.getvalue(), self._archive.compression,
                               self._archive.compresslevel)
        self.manifest.append(ws)


def save(wb: Workbook, out: IO[bytes], compresslevel: int | None = None) -> None:
    """``wb.save(out)``, with the rows written as above and each sheet kept in memory;
    `compresslevel` is zlib's (None: its default)."""
    install()
    if wb.write_only:  # its sheets are already written, to temporary files
        wb.save(out)
        return
    archive = ZipFile(out, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=compresslevel)
    _InMemory(wb, archive).save()
