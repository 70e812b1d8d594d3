"""Cached values beside formulas, for viewers that do not calculate.

A workbook's formula cells may carry the value last calculated. Excel and LibreOffice work
every formula out again on opening (the board pack asks them to), but a phone's preview, a
mail client's or a web viewer shows only the cached value: without one, a blank. openpyxl
writes none, so the exporter states, for each formula whose figure the program knows, the
figure, and :func:`save_values` writes it beside the formula while openpyxl saves.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.xml.functions import Element, SubElement

_VALUES: WeakKeyDictionary[Workbook, dict[tuple[str, str], Any]] = WeakKeyDictionary()
_EXCEL_EPOCH = date(1899, 12, 30)
_installed = threading.Lock()


def cache(cell: Cell, value: Any) -> None:
    """Record `value` as what the formula in `cell` calculates to: a number, a text, a
    bool or a date. A value no cell can hold (NaN, infinity) is left out."""
    if isinstance(value, float) and not math.isfinite(value):
        return
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        value = (value - _EXCEL_EPOCH).days
    ws = cell.parent
    _VALUES.setdefault(ws.parent, {})[(ws.title, cell.coordinate)] = value


def cached(wb: Workbook) -> dict[tuple[str, str], Any]:
    """Every value recorded for `wb`: (sheet, coordinate) -> value."""
    return _VALUES.get(wb, {})


def _with_values(write_cell: Callable[..., None]) -> Callable[..., None]:
    def write(xf: Any, worksheet: Any, cell: Cell, styled: bool | None = None) -> None:
        values = _VALUES.get(worksheet.parent)
        value = None if values is None else values.get((worksheet.title, cell.coordinate))
        formula = cell._value
        if value is None or cell.data_type != "f" or not isinstance(formula, str):
            write_cell(xf, worksheet, cell, styled)
            return
        attributes = {"r": cell.coordinate}
        if styled:
            attributes["s"] = f"{cell.style_id}"
        if isinstance(value, bool):
            attributes["t"], text = "b", "1" if value else "0"
        elif isinstance(value, str):
            attributes["t"], text = "str", value
        else:
            text = safe_string(value)
        element = Element("c", attributes)
        SubElement(element, "f").text = formula[1:]
        SubElement(element, "v").text = text
        xf.write(element)

    write.wrapped = write_cell  # type: ignore[attr-defined]
    return write


def install() -> None:
    """Have openpyxl write the recorded values; cells of workbooks with none are written as
    openpyxl writes them. Done once, for every thread."""
    from openpyxl.worksheet import _writer

    with _installed:
        if not hasattr(_writer.write_cell, "wrapped"):
            _writer.write_cell = _with_values(_writer.write_cell)
