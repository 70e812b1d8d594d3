"""One delegate for every table: a list to choose from where a field has choices, a list to
tick where it names several forces, and a line editor that starts from the exact value
elsewhere (parsing happens in the model).

An edit the model refuses opens its editor again on the same cell with what was typed, so
that a slip is corrected rather than typed again; Escape gives it up.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QWidget,
)

from .. import formats
from ..domain import schema
from ..domain.schema import Column, Kind
from .tables import source

if TYPE_CHECKING:  # PySide6 builds a class on first use: this one costs milliseconds at start
    from PySide6.QtWidgets import QStyleOptionViewItem

Index = QModelIndex | QPersistentModelIndex
EVERY = "every"
"""The first item of a force picker: no force ticked means every force."""


def column_at(model: QAbstractItemModel, index: Index) -> Column | None:
    if isinstance(model, QAbstractProxyModel):
        model, index = source(index)
    if hasattr(model, "column_for"):
        return model.column_for(index)  # type: ignore[no-any-return]
    columns = getattr(model, "columns", None)
    return columns[index.column()] if columns else None


def _label(choice: Any, names: dict[str, str]) -> str:
    value = choice.value if isinstance(choice, Enum) else choice
    if value == "":
        return "(none)"
    name = names.get(value)
    return f"{value} — {name}" if name and name != value else str(value)


def names_of(plan: Any, collection: str) -> dict[str, str]:
    """A collection's codes and the names they stand for."""
    spec = schema.COLLECTIONS[collection]
    return {getattr(r, spec.key[0]): str(getattr(r, "name", None) or getattr(r, "title", None)
                                         or "") for r in getattr(plan, collection)}


class CodesEditor(QListWidget):
    """A checkable list of the records a field may name (a decision's forces): ticking none,
    or the first item, means every one."""

    def __init__(self, parent: QWidget, names: dict[str, str], header: str):
        super().__init__(parent)
        self.setAccessibleName(f"{header}: tick each one, or the first for every one")
        every = QListWidgetItem("Every force (all)")
        every.setData(Qt.ItemDataRole.UserRole, EVERY)
        self.addItem(every)
        for code, name in names.items():
            item = QListWidgetItem(f"{code} — {name}" if name and name != code else code)
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.addItem(item)
        for i in range(self.count()):
            self.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.setCurrentRow(0)
        self.itemChanged.connect(self._keep_consistent)

    def codes(self) -> tuple[str, ...]:
        return tuple(self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(1, self.count())
                     if self.item(i).checkState() == Qt.CheckState.Checked)

    def set_codes(self, codes: tuple[str, ...]) -> None:
        self.blockSignals(True)
        for i in range(1, self.count()):
            code = self.item(i).data(Qt.ItemDataRole.UserRole)
            self.item(i).setCheckState(Qt.CheckState.Checked if code in codes
                                       else Qt.CheckState.Unchecked)
        self.item(0).setCheckState(Qt.CheckState.Unchecked if codes
                                   else Qt.CheckState.Checked)
        self.blockSignals(False)

    def text(self) -> str:
        return formats.codes(self.codes())

    def _keep_consistent(self, item: QListWidgetItem) -> None:
        """Every force, or the ones ticked: never both, never neither."""
        checked = item.checkState() == Qt.CheckState.Checked
        if item is self.item(0):
            self.set_codes(() if checked else self.codes())
        else:
            self.set_codes(self.codes())


class FieldDelegate(QStyledItemDelegate):
    def __init__(self, parent: QAbstractItemView):
        super().__init__(parent)
        self._retry: tuple[QPersistentModelIndex, Any] | None = None
        self._started: dict[QWidget, Any] = {}
        """What each open editor started from: an editor left as it was changes nothing
        (leaving a 'no change' row's cell does not give the option a decision)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        model, cell = source(index)
        column = column_at(model, cell)
        document = getattr(model, "document", None)
        if column is not None and column.kind is Kind.CODES and column.refers_to \
                and document:
            return CodesEditor(parent, names_of(document.plan, column.refers_to),
                               column.header)
        if column is not None and column.kind in (Kind.CHOICE, Kind.BOOL) and document:
            combo = QComboBox(parent)
            combo.setAccessibleName(column.header)
            choices = ["yes", "no"] if column.kind is Kind.BOOL else list(
                column.choices(document.plan))
            names = names_of(document.plan, column.refers_to) if column.refers_to else {}
            for choice in choices:
                raw = choice.value if isinstance(choice, Enum) else choice
                combo.addItem(_label(choice, names), raw)
            return combo
        editor = QLineEdit(parent)
        if column is not None:
            editor.setAccessibleName(column.header)
            editor.setPlaceholderText("blank: not known" if column.optional else "")
        return editor

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: Index) -> None:
        if not isinstance(editor, CodesEditor):
            super().updateEditorGeometry(editor, option, index)
            return
        # a list taller and wider than its cell, kept inside the table
        area = editor.parentWidget().rect() if editor.parentWidget() else option.rect
        height = min(editor.sizeHintForRow(0) * editor.count() + 2 * editor.frameWidth() + 2,
                     320, area.height())
        rect = QRect(option.rect.topLeft(), option.rect.size())
        wide = editor.sizeHintForColumn(0) + 2 * editor.frameWidth() \
            + editor.verticalScrollBar().sizeHint().width() + 8
        rect.setWidth(min(max(rect.width(), wide), area.width()))
        rect.setHeight(height)
        if rect.bottom() > area.bottom():
            rect.moveBottom(area.bottom())
        if rect.right() > area.right():
            rect.moveRight(area.right())
        editor.setGeometry(rect)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        text = index.data(Qt.ItemDataRole.EditRole)
        self._started[editor] = text
        editor.destroyed.connect(lambda *_: self._started.pop(editor, None))
        if self._retry is not None and self._retry[0] == QPersistentModelIndex(index):
            text = self._retry[1]  # what was typed and refused, to be corrected
            self._retry = None
        if isinstance(editor, CodesEditor):
            editor.set_codes(formats.parse_codes(str(text or "")))
        elif isinstance(editor, QComboBox):
            position = editor.findData(text)
            if position < 0:
                position = editor.findText(str(text))
            editor.setCurrentIndex(max(0, position))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if text is None else str(text))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, CodesEditor):
            value: Any = editor.text()
        elif isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, QLineEdit):
            value = editor.text()
        else:
            return
        started = self._started.get(editor, object())
        if value == started or (isinstance(editor, CodesEditor)
                                and started is not None
                                and editor.codes() == formats.parse_codes(str(started))):
            return
        if not model.setData(index, value, Qt.ItemDataRole.EditRole):
            self._edit_again(index, value)

    def _edit_again(self, index: Index, value: Any) -> None:
        """Open the refused cell's editor again, once this one has closed, with `value`."""
        view = self.parent()
        if not isinstance(view, QAbstractItemView) or not view.isVisible():
            return
        cell = QPersistentModelIndex(index)
        self._retry = (cell, value)

        def reopen() -> None:
            if not cell.isValid() or self._retry is None or not view.isVisible():
                self._retry = None
                return
            target = view.model().index(cell.row(), cell.column())
            view.setCurrentIndex(target)
            if not view.edit(target, QAbstractItemView.EditTrigger.AllEditTriggers, None):
                self._retry = None

        QTimer.singleShot(0, view, reopen)
