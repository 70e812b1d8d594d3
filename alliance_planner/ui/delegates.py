"""One delegate for every table: a list to choose from where a field has choices, and a
line editor that starts from the exact value elsewhere (parsing happens in the model)."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyledItemDelegate, QWidget

from ..domain.schema import Column, Kind

if TYPE_CHECKING:  # PySide6 builds a class on first use: this one costs milliseconds at start
    from PySide6.QtWidgets import QStyleOptionViewItem

Index = QModelIndex | QPersistentModelIndex


def column_at(model: QAbstractItemModel, index: Index) -> Column | None:
    if hasattr(model, "column_for"):
        return model.column_for(index)  # type: ignore[no-any-return]
    columns = getattr(model, "columns", None)
    return columns[index.column()] if columns else None


def _label(choice: Any) -> str:
    value = choice.value if isinstance(choice, Enum) else choice
    return str(value) if value != "" else "(none)"


class FieldDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        column = column_at(index.model(), index)
        document = getattr(index.model(), "document", None)
        if column is not None and column.kind in (Kind.CHOICE, Kind.BOOL) and document:
            combo = QComboBox(parent)
            combo.setAccessibleName(column.header)
            choices = ["yes", "no"] if column.kind is Kind.BOOL else list(
                column.choices(document.plan))
            for choice in choices:
                raw = choice.value if isinstance(choice, Enum) else choice
                combo.addItem(_label(choice), raw)
            return combo
        editor = QLineEdit(parent)
        if column is not None:
            editor.setAccessibleName(column.header)
            editor.setPlaceholderText("blank: not known" if column.optional else "")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        text = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            position = editor.findData(text)
            if position < 0:
                position = editor.findText(str(text))
            editor.setCurrentIndex(max(0, position))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if text is None else str(text))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
