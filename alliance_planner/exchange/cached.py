"""Cached values beside formulas, for viewers that do not calculate.

A workbook's formula cells may carry the value last calculated. Excel and LibreOffice work
every formula out again on opening (the board pack asks them to), but a phone's preview, a
mail client's or a web viewer shows only the cached value: without one, a blank. openpyxl
writes none, so the exporter states, for each formula whose figure the program knows, the
figure, and the cell writer (``cell_xml.py``) writes it beside the formula.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

_VALUES: WeakKeyDictionary[Workbook, dict[tuple[str, str], Any]] = WeakKeyDictionary()
_EXCEL_EPOCH = date(1899, 12, 30)


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


def values_of(wb: Workbook) -> dict[tuple[str, str], Any] | None:
    """The values recorded for `wb`, or None: for the writer."""
    return _VALUES.get(wb)
