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
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from .. import formats
from ..domain.model import financial_year_label
from .page import make_table
from .tables import RAW_ROLE, TableView

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


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ANSWERED = frozenset({RAW_ROLE, _DISPLAY, _ACCESSIBLE, _ALIGNMENT, _FONT})
"""The roles a figures table answers. A view asks for a dozen at each cell it measures or
paints, over a thousand times before the first paint: the others are let go at once."""


class FiguresModel(QAbstractTableModel):
    """Rows of raw values under columns that say how each reads; one row may be marked
    (in bold, and said to screen readers after its name) as the recommended option's."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns: tuple[Column, ...] = ()
        self.rows: list[tuple[Any, ...]] = []
        self.marked: int | None = None
        self.mark = ""
        self.generation = 0
        """Counts the tables set, so that a view knows when what it measured has changed."""
        self._texts: list[list[str]] = []
        self._named = 0
        self._bold: QFont | None = None

    def set_table(self, columns: Sequence[Column], rows: list[tuple[Any, ...]],
                  marked: int | None = None, mark: str = "") -> None:
        """New figures; the view keeps its sort and selection when only the values change."""
        self.generation += 1
        columns = tuple(columns)
        texts = [[c.show(v) for c, v in zip(columns, row, strict=True)] for row in rows]
        named = next((c for c, col in enumerate(columns) if not col.figure), 0)
        if columns == self.columns and len(rows) == len(self.rows) and rows:
            self.rows, self.marked, self.mark = rows, marked, mark
            self._texts, self._named = texts, named
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(rows) - 1, len(columns) - 1))
            return
        self.beginResetModel()
        self.columns, self.rows, self.marked, self.mark = columns, rows, marked, mark
        self._texts, self._named = texts, named
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
        return self._texts[row][column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == _DISPLAY:
            return self._texts[row][column]
        if role == RAW_ROLE:
            value = self.rows[row][column]
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return math.inf  # "never" and "–" sort last
            return value
        if role == _ACCESSIBLE:
            text = self._texts[row][column]
            return text + self.mark if row == self.marked and column == self._named else text
        if role == _ALIGNMENT:
            return _RIGHT if self.columns[column].figure else None
        if row == self.marked:  # the font
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        return None


class FiguresView(TableView):
    """A table of figures whose columns fit their contents. Its header asks again for each
    column's width at every layout pass (half a dozen as the window is first shown), and
    each asking reads every cell in sight through the model. A width is kept instead, for
    as long as the figures, the rows in sight and their order, the font and the style stay
    as they were when it was measured.

    The rows in sight are known from the table's height, its header's and its horizontal
    scroll bar's, and how far it is scrolled, never from its viewport: a Python wrapper
    for the viewport (a plain QWidget made by Qt) makes PySide load every widget class it
    has, some 25 ms, to look for the viewport's own."""

    KEPT = 256
    """Widths kept at most; beyond, they are measured afresh."""

    def __init__(self, figures: FiguresModel, parent: QWidget | None = None):
        super().__init__(parent)
        self._figures = figures
        self._widths: dict[tuple[object, ...], int] = {}

    def sizeHintForColumn(self, column: int) -> int:
        rows, bar, proxy = self.verticalHeader(), self.horizontalScrollBar(), self.model()
        key = (self._figures.generation, column, self.isVisible(), self.height(),
               self.horizontalHeader().height(), bar.isVisible(), rows.offset(),
               proxy.sortColumn(), proxy.sortOrder())
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) >= self.KEPT:
                self._widths.clear()
            width = self._widths[key] = super().sizeHintForColumn(column)
        return width

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._widths.clear()
        super().changeEvent(event)


def figures_table(model: FiguresModel, accessible_name: str) -> QTableView:
    """A sortable read-only table: click a heading to sort by its figures."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(RAW_ROLE)
    view = make_table(proxy, accessible_name, editable=False, view=FiguresView(model))
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the model's order until asked
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setResizeContentsPrecision(0)  # the rows in sight: 43 forces cost nothing unseen
    header.setStretchLastSection(True)
    return view
