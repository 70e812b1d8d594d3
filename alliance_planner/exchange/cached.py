"""Cached values beside formulas, for viewers that do not calculate.

A workbook's formula cells may carry the value last calculated. Excel and LibreOffice work
every formula out again on opening (the board pack asks them to), but a phone's preview, a
mail client's or a web viewer shows only the cached value: without one, a blank. openpyxl
writes none, so the exporter states, for each formula whose figure the program knows, the
figure, and the cell writer (``cell_xml.py``) writes it beside the formula.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from openpyxl import Workbook
from openpyxl.cell.cell import Cell

T = TypeVar("T")
_EXCEL_EPOCH = date(1899, 12, 30)


class PerWorkbook(Generic[T]):
    """What `make` works out once a workbook, the last workbook's at hand: a pack's cells
    are written one workbook at a time, and a weak dictionary's look-up costs more than
    the rest of setting a cell's format."""

    def __init__(self, make: Callable[[Workbook], T]):
        self._make = make
        self._found: WeakKeyDictionary[Workbook, T] = WeakKeyDictionary()
        self._recent: tuple[Callable[[], Workbook | None], T | None] = (lambda: None, None)

    def __call__(self, wb: Workbook) -> T:
        ref, value = self._recent
        if ref() is wb and value is not None:
            return value
        value = self._found.get(wb)
        if value is None:
            value = self._found[wb] = self._make(wb)
        self._recent = (weakref.ref(wb), value)
        return value


_values: PerWorkbook[dict[str, dict[str, Any]]] = PerWorkbook(lambda wb: {})
"""Each workbook's recorded values: sheet title -> cell coordinate -> value."""


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
    sheets = _values(ws.parent)
    found = sheets.get(ws.title)
    if found is None:
        found = sheets[ws.title] = {}
    found[cell.coordinate] = value


def values_of(wb: Workbook, title: str) -> dict[str, Any]:
    """The values recorded for a sheet of `wb`, by coordinate: for the writer."""
    return _values(wb).get(title, {})
