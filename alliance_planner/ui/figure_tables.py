"""Read-only tables of figures the domain worked out: the Overview's options ranked and
forces' shares, Compare's each-force breakdown.

Each column says how its raw value reads. The views sort on the raw value (RAW_ROLE), so
£9m sorts below £10m and "never" after every year.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QSortFilterProxyModel
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableView
from shiboken6 import isValid

from .. import formats
from ..domain.model import financial_year_label
from . import first_paint
from .page import make_table
from .qt_numbers import ACCESSIBLE_TEXT_ROLE, ALIGN_RIGHT_MIDDLE, FONT_ROLE, TEXT_ALIGNMENT_ROLE
from .tables import RAW_ROLE


def money(value: float) -> str:
    return formats.money(value)


def share(value: float) -> str:
    return f"{value:.1%}"


def fte(value: float) -> str:
    return f"{value:,.1f}"


def fte_change(value: float) -> str:
    return "0.0" if abs(value) < 0.05 else f"{value:+,.1f}"


def hours(value: float) -> str:
    return f"{value:,.0f}"


def ratio(value: float) -> str:
    return "–" if value is None or math.isnan(value) else f"{value:.2f}"


def year(value: int | None) -> str:
    return "never" if value is None else financial_year_label(value)


def met(value: bool | None) -> str:
    return "–" if value is None else "met" if value else "not met"


@dataclass(frozen=True)
class Column:
    """A column of a figures table: its heading, how its raw values read, and its tip."""

    header: str
    show: Callable[[Any], str] = str
    tip: str = ""
    figure: bool = True
    """Set to the right, as figures are."""


class FiguresModel(QStandardItemModel):
    """Rows of raw values under columns that say how each reads; one row may be marked
    (in bold, and said to screen readers after its name) as the recommended option's.

    The cells are Qt's own items, so a view measures and paints them without calling into
    Python: a dozen calls a cell, over two thousand before the Overview's first paint, when
    the model answered them itself. It answers as a table model of its own did: no row
    numbers in its hidden vertical header, cells that can be selected but not edited."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns: tuple[Column, ...] = ()
        self.rows: list[tuple[Any, ...]] = []
        self.marked: int | None = None
        self.mark = ""
        self._bold: QFont | None = None

    def set_table(self, columns: Sequence[Column], rows: list[tuple[Any, ...]],
                  marked: int | None = None, mark: str = "") -> None:
        """New figures; the view keeps its sort and selection when only the values change."""
        columns = tuple(columns)
        reshaped = not (columns == self.columns and len(rows) == len(self.rows) and rows)
        self.columns, self.rows, self.marked, self.mark = columns, rows, marked, mark
        named = next((c for c, col in enumerate(columns) if not col.figure), 0)
        self.blockSignals(True)  # the views hear of it once: a reset, or one change
        try:
            if reshaped:
                self.clear()
                self.setColumnCount(len(columns))
                self.setRowCount(len(rows))
                for c, column in enumerate(columns):
                    header = QStandardItem(column.header)
                    if column.tip:
                        header.setToolTip(column.tip)
                    self.setHorizontalHeaderItem(c, header)
                for r in range(len(rows)):
                    self.setVerticalHeaderItem(r, QStandardItem())
            for r, row in enumerate(rows):
                for c, (column, value) in enumerate(zip(columns, row, strict=True)):
                    self._fill(r, c, column, value, r == marked, c == named)
        finally:
            self.blockSignals(False)
        if reshaped:
            self.beginResetModel()
            self.endResetModel()
        else:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(rows) - 1, len(columns) - 1))

    def _fill(self, r: int, c: int, column: Column, value: Any, marked: bool,
              named: bool) -> None:
        item = self.item(r, c)
        if item is None:
            item = QStandardItem()  # read-only cells: selected, never edited or dragged
            item.setEditable(False)
            item.setDragEnabled(False)
            item.setDropEnabled(False)
            self.setItem(r, c, item)
        text = column.show(value)
        item.setText(text)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            value = math.inf  # "never" and "–" sort last
        item.setData(value, RAW_ROLE)
        item.setData(text + self.mark if marked and named else text, ACCESSIBLE_TEXT_ROLE)
        item.setData(ALIGN_RIGHT_MIDDLE if column.figure else None, TEXT_ALIGNMENT_ROLE)
        if marked and self._bold is None:
            self._bold = QFont()
            self._bold.setBold(True)
        item.setData(self._bold if marked else None, FONT_ROLE)

    def text(self, row: int, column: int) -> str:
        return self.item(row, column).text()


def figures_table(model: FiguresModel, accessible_name: str) -> QTableView:
    """A sortable read-only table: click a heading to sort by its figures."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(RAW_ROLE)
    view = make_table(proxy, accessible_name, editable=False)
    # Sorting needs a Qt.SortOrder: at the start, once the window is painted.
    first_paint.after_paint(lambda: _sortable(view))
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(0)  # the rows in sight: 43 forces cost nothing unseen
    header.setStretchLastSection(True)
    return view


def _sortable(view: QTableView) -> None:
    """Sorting on, in the model's order until a heading is clicked."""
    if isValid(view):  # a view made while the window started may be gone by its paint
        view.setSortingEnabled(True)
        view.sortByColumn(-1, QtCore.Qt.SortOrder.AscendingOrder)
