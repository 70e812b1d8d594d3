"""The window's table view: copy and paste of ranges as spreadsheets do, and, for the plan's
record tables, sorting by a column and a filter box.

Copy puts the selected cells on the clipboard as tab-separated text (exact figures, so that
Excel reads them as numbers and a paste back changes nothing). Paste reads such text into
the table from the current cell as one undoable edit, checked all or nothing by the model.

Sorting and filtering only reorder and hide the view's rows: the plan keeps its order. They
are not redone at each edit (an edited row stays where it is, under the cursor, and the
national plan's 860-row estate is not re-sorted at every keystroke), only when the rows
change or the user asks again.
"""

from __future__ import annotations

import datetime
from enum import Enum
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QTabWidget,
    QWidget,
)

from .clipboard import from_tsv, to_tsv
from .qt_numbers import USER_ROLE

Index = QModelIndex | QPersistentModelIndex
RAW_ROLE = USER_ROLE + 1
"""The unformatted value of a cell, for tests and exports."""
CLIP_ROLE = USER_ROLE + 2
"""A cell as copied to the clipboard: exact, as a spreadsheet reads it and as a paste reads
it back (a percentage keeps its % sign, so that Excel takes 41% as 0.41)."""


def source(index: Index) -> tuple[QAbstractItemModel, Index]:
    """The model that holds a cell, and the cell in it, below any sorting or filtering."""
    model = index.model()
    while isinstance(model, QAbstractProxyModel):
        index = model.mapToSource(index)
        model = model.sourceModel()
    return model, index


def _sort_key(value: Any, shown: str) -> tuple[int, Any]:
    """Numbers and dates by value, anything else by its text; blanks last."""
    if value is None or value == "":
        return (2, "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value))
    if isinstance(value, datetime.date):
        return (0, float(value.toordinal()))
    if isinstance(value, Enum):
        return (1, str(value.value).casefold())
    return (1, shown.casefold())


class TableProxy(QSortFilterProxyModel):
    """Sorts by what a cell holds (not its text: £9 before £10) and keeps the rows that
    contain the filter's words, in any column, as shown (names beside codes included)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setDynamicSortFilter(False)
        self._words: list[str] = []
        self._texts: list[str] | None = None
        self._keys: list[tuple[int, Any]] = []

    def setSourceModel(self, model) -> None:
        super().setSourceModel(model)
        model.modelAboutToBeReset.connect(self._forget)
        model.dataChanged.connect(self._forget)
        model.modelReset.connect(self._sort_again)

    def _forget(self, *_: object) -> None:
        self._texts = None

    def _sort_again(self) -> None:
        if self.sortColumn() >= 0:
            self.sort(self.sortColumn(), self.sortOrder())

    def set_filter(self, text: str) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def _row_texts(self) -> list[str]:
        if self._texts is None:
            model = self.sourceModel()
            columns = range(model.columnCount())
            self._texts = ["\t".join(str(model.index(r, c).data() or "") for c in columns)
                           .casefold() for r in range(model.rowCount())]
        return self._texts

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        texts = self._row_texts()
        if source_row >= len(texts):
            return True
        text = texts[source_row]
        return all(word in text for word in self._words)

    def sort(self, column: int, order: QtCore.Qt.SortOrder | None = None) -> None:
        if order is None:
            order = QtCore.Qt.SortOrder.AscendingOrder
        if column >= 0:
            model = self.sourceModel()
            cells = [model.index(r, column) for r in range(model.rowCount())]
            self._keys = [_sort_key(i.data(RAW_ROLE), str(i.data() or "")) for i in cells]
        super().sort(column, order)

    def lessThan(self, left: Index, right: Index) -> bool:
        keys = self._keys
        if left.row() >= len(keys) or right.row() >= len(keys):
            return left.row() < right.row()
        return keys[left.row()] < keys[right.row()]


class TableView(QTableView):
    """A table with Ctrl+C and Ctrl+V for ranges of cells (also on its context menu).

    Tab and Shift+Tab leave the table for the next and previous control, as they do every
    other control (the arrow keys move between cells; while a cell is edited, Tab moves on
    to the next cell, as in a spreadsheet). Ctrl+Tab and Ctrl+Shift+Tab leave it too, or,
    inside tabs, go to the next and previous tab."""

    refused = Signal(str)
    """A paste could not be made, and why (the model says why it refused one it tried)."""
    clear_filter = Signal()
    """A row the filter hides is wanted (one just added, say)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabKeyNavigation(False)

    def _in_tabs(self) -> bool:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QTabWidget):
            parent = parent.parentWidget()
        return parent is not None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        control = event.modifiers() & QtCore.Qt.KeyboardModifier.ControlModifier
        if control and event.key() in (QtCore.Qt.Key.Key_Tab, QtCore.Qt.Key.Key_Backtab) \
                and not self._in_tabs():
            self.focusNextPrevChild(event.key() == QtCore.Qt.Key.Key_Tab)
            event.accept()
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            event.accept()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            event.accept()
        else:
            super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        copy = menu.addAction("Copy", self.copy)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        if self.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers:
            paste = menu.addAction("Paste", self.paste)
            paste.setShortcut(QKeySequence.StandardKey.Paste)
        menu.exec(event.globalPos())

    # --- rows as the plan holds them -------------------------------------------------------

    def proxy(self) -> TableProxy | None:
        """The sorting, filtering proxy, if the table has one."""
        model = self.model()
        return model if isinstance(model, TableProxy) else None

    def source_row(self, index: Index) -> int:
        """The plan's row of a cell of the view (sorted or filtered, the two differ)."""
        return source(index)[1].row() if index.isValid() else -1

    def show_source_row(self, row: int, column: int = 0) -> None:
        """Make the plan's `row` current, clearing the filter if it hides the row."""
        proxy = self.proxy()
        if proxy is None:
            self.setCurrentIndex(self.model().index(row, column))
            return
        cell = proxy.mapFromSource(proxy.sourceModel().index(row, column))
        if not cell.isValid():
            self.clear_filter.emit()
            cell = proxy.mapFromSource(proxy.sourceModel().index(row, column))
        self.setCurrentIndex(cell)

    # --- the clipboard ---------------------------------------------------------------------

    def _selected(self) -> tuple[list[int], list[int]]:
        """The selected rows and columns, in the view's order (the current cell if none)."""
        cells = self.selectionModel().selectedIndexes() if self.selectionModel() else []
        if not cells and self.currentIndex().isValid():
            cells = [self.currentIndex()]
        rows = sorted({i.row() for i in cells})
        columns = sorted({i.column() for i in cells if not self.isColumnHidden(i.column())})
        return rows, columns

    def copy_text(self) -> str:
        """The selected cells as Excel's tab-separated text; the headers come first when
        every row is selected (the table as a whole)."""
        rows, columns = self._selected()
        if not rows or not columns:
            return ""
        model = self.model()
        chosen = {(i.row(), i.column()) for i in self.selectionModel().selectedIndexes()} \
            or {(self.currentIndex().row(), self.currentIndex().column())}
        lines = []
        if len(rows) == model.rowCount() > 1:
            lines.append([str(model.headerData(c, QtCore.Qt.Orientation.Horizontal) or "")
                          .replace("\n", " ") for c in columns])
        for r in rows:
            line = []
            for c in columns:
                cell = model.index(r, c)
                text = cell.data(CLIP_ROLE)
                if text is None:
                    text = cell.data()
                line.append(str(text or "") if (r, c) in chosen else "")
            lines.append(line)
        return to_tsv(lines)

    def copy(self) -> None:
        text = self.copy_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def paste(self) -> bool:
        return self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> bool:
        """Tab-separated text into the table from the top-left selected cell, or one value
        into every selected cell: one undoable edit, or, with the reason, none."""
        model = self.model()
        target = self.base_model()
        if not hasattr(target, "paste") or \
                self.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers:
            self._refuse("This table cannot be changed here")
            return False
        grid = from_tsv(text)
        rows, columns = self._selected()
        if not grid or not rows:
            self._refuse("Nothing to paste" if not grid else "Select a cell to paste into")
            return False
        across = QtCore.Qt.Orientation.Horizontal
        headers = [str(model.headerData(c, across) or "").replace("\n", " ")
                   for c in range(model.columnCount())]
        if len(grid) > 1 and all(cell in headers for cell in grid[0] if cell):
            grid = grid[1:]  # a copied table's headers
        if len(grid) == 1 and len(grid[0]) == 1 and len(rows) * len(columns) > 1:
            spots = [(r, c, grid[0][0]) for r in rows for c in columns]
        else:
            top, left = rows[0], columns[0]
            height, width = len(grid), max(len(line) for line in grid)
            if top + height > model.rowCount() or left + width > model.columnCount():
                self._refuse(
                    f"Nothing was pasted: the clipboard holds {height} row(s) by {width} "
                    f"column(s), more than the table has from the cell chosen "
                    f"({model.rowCount() - top} row(s) by {model.columnCount() - left} "
                    "column(s)); add rows first or choose a cell further up or left")
                return False
            spots = [(top + i, left + j, line[j] if j < len(line) else "")
                     for i, line in enumerate(grid) for j in range(width)]
        cells = []
        for r, c, value in spots:
            _, cell = source(model.index(r, c))
            cells.append((cell.row(), cell.column(), value))
        if not target.paste(cells):  # the model says why
            return False
        self._select(spots)
        return True

    def _select(self, spots: list[tuple[int, int, str]]) -> None:
        model = self.model()
        rows = [r for r, _, _ in spots]
        columns = [c for _, c, _ in spots]
        self.setCurrentIndex(model.index(min(rows), min(columns)))
        selection = QItemSelection(model.index(min(rows), min(columns)),
                                   model.index(max(rows), max(columns)))
        self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def base_model(self):
        """The model below any sorting or filtering: the one that edits the plan."""
        model = self.model()
        while isinstance(model, QAbstractProxyModel):
            model = model.sourceModel()
        return model

    def _refuse(self, text: str) -> None:
        """Said where the model's own refusals are: the page's message line."""
        signal = getattr(self.base_model(), "refused", None)
        (signal or self.refused).emit(text)


class FilterBar(QWidget):
    """A box that filters a sorted table's rows, and how many are shown."""

    def __init__(self, view: TableView, what: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        proxy = view.proxy()
        assert proxy is not None
        self.proxy = proxy
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("&Filter:")
        self.box = QLineEdit()
        self.box.setClearButtonEnabled(True)
        self.box.setPlaceholderText("words to look for in any column; click a header to sort")
        self.box.setAccessibleName(f"Filter {what}")
        label.setBuddy(self.box)
        self.count = QLabel()
        self.count.setAccessibleName(f"Rows of {what} shown")
        row.addWidget(label)
        row.addWidget(self.box, 1)
        row.addWidget(self.count)
        self.box.textChanged.connect(self._filter)
        view.clear_filter.connect(self.box.clear)
        for signal in (proxy.rowsInserted, proxy.rowsRemoved, proxy.modelReset,
                       proxy.layoutChanged):
            signal.connect(self._count)
        self._count()

    def _filter(self, text: str) -> None:
        self.proxy.set_filter(text)
        self._count()

    def _count(self, *_: object) -> None:
        shown, total = self.proxy.rowCount(), self.proxy.sourceModel().rowCount()
        self.count.setText(f"{shown:,} of {total:,} rows" if shown != total
                           else f"{total:,} rows")


def make_sortable(view: TableView) -> TableProxy:
    """Put a sorting, filtering proxy between a table and its model; the plan's order until
    a header is clicked (a third click brings it back)."""
    model = view.model()
    proxy = TableProxy(view)
    proxy.setSourceModel(model)
    delegate = view.itemDelegate()
    selection = view.selectionModel()
    view.setModel(proxy)
    view.setItemDelegate(delegate)
    if selection is not None:
        selection.deleteLater()
    header = view.horizontalHeader()
    header.setSortIndicatorClearable(True)
    header.setSortIndicator(-1, QtCore.Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)
    return proxy
