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

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTableView

from .. import formats
from ..domain.model import financial_year_label
from .models import RAW_ROLE
from .pages import make_table

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


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
    header: str
    show: Callable[[Any], str] = str
    tip: str = ""
    figure: bool = True
    """Set to the right, as figures are."""


class FiguresModel(QAbstractTableModel):
    """Rows of raw values under columns that say how each reads; one row may be marked
    (in bold, and said to screen readers after its name) as the recommended option's."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns: tuple[Column, ...] = ()
        self.rows: list[tuple[Any, ...]] = []
        self.marked: int | None = None
        self.mark = ""

    def set_table(self, columns: Sequence[Column], rows: list[tuple[Any, ...]],
                  marked: int | None = None, mark: str = "") -> None:
        """New figures; the view keeps its sort and selection when only the values change."""
        columns = tuple(columns)
        if columns == self.columns and len(rows) == len(self.rows) and rows:
            self.rows, self.marked, self.mark = rows, marked, mark
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(rows) - 1, len(columns) - 1))
            return
        self.beginResetModel()
        self.columns, self.rows, self.marked, self.mark = columns, rows, marked, mark
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.columns[section].tip or None
        return None

    def text(self, row: int, column: int) -> str:
        return self.columns[column].show(self.rows[row][column])

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == RAW_ROLE:
            value = self.rows[row][column]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return math.inf  # "never" and "–" sort last
            return value
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self.text(row, column)
            named = next((c for c, col in enumerate(self.columns) if not col.figure), 0)
            return text + self.mark if row == self.marked and column == named else text
        if role == Qt.ItemDataRole.TextAlignmentRole and self.columns[column].figure:
            return _RIGHT
        if role == Qt.ItemDataRole.FontRole and row == self.marked:
            font = QFont()
            font.setBold(True)
            return font
        return None


def figures_table(model: FiguresModel, accessible_name: str) -> QTableView:
    """A sortable read-only table: click a heading to sort by its figures."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(RAW_ROLE)
    view = make_table(proxy, accessible_name, editable=False)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the model's order until asked
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(0)  # the rows in sight: 43 forces cost nothing unseen
    header.setStretchLastSection(True)
    return view
