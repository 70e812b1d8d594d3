"""What every page of the window shares: a heading, a line of help and a message line; a
chart page that follows the plan; a table of records or figures; the option pickers.

The first page a plan opens on is built from these alone, before the first paint: the
pages of records (pages.py) and their editors are loaded once the window is up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QVBoxLayout, QWidget

from ..domain.headlines import recommended
from ..domain.model import Plan
from ..domain.schema import Kind
from .tables import TableView

if TYPE_CHECKING:
    from PySide6.QtWidgets import QComboBox


def recommended_option(plan: Plan, results: Any) -> int:
    """The option the board is asked to back (the domain's one rule), -1 if there is none."""
    if not plan.options:
        return -1
    return recommended([o.role for o in plan.options], results.npsv.tolist(), results.baseline)


def fill_option_choice(combo: QComboBox, plan: Plan, results: Any, *,
                       skip_baseline: bool = False) -> bool:
    """Fill an option picker (each item's data its code), keeping the option chosen if
    the plan still has it, else choosing the recommended one. False, and nothing touched,
    when the plan's options are as shown."""
    items = [(o.name, o.code) for o in plan.options if not (skip_baseline and o.is_baseline)]
    if items == [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]:
        return False
    codes = [code for _, code in items]
    best = recommended_option(plan, results)
    wanted = [combo.currentData(), plan.options[best].code if best >= 0 else None]
    combo.blockSignals(True)
    combo.clear()
    for name, code in items:
        combo.addItem(name, code)
    combo.setCurrentIndex(next((codes.index(w) for w in wanted if w in codes), 0))
    combo.blockSignals(False)
    return True


def make_table(model, accessible_name: str, *, editable: bool = True) -> TableView:
    view = TableView()
    view.setModel(model)
    view.setAccessibleName(accessible_name)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    if editable:
        from .delegates import FieldDelegate  # its editors are needed once a cell is edited

        view.setItemDelegate(FieldDelegate(view))
        view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
    else:
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    for i, column in enumerate(getattr(model, "columns", ())):
        least = 130 if column.kind is Kind.MONEY else 90  # room for £1,408,160.00
        width = column.width or max(least, 9 * len(column.header))
        if column.refers_to is not None and column.kind is Kind.CHOICE:
            width = max(width, 230)  # a code and its name: "dorset — Dorset"
        header.resizeSection(i, width)
    return view


class MessageLine(QLabel):
    """Says why the last edit was refused, in words, beside the table it belongs to. It is
    coloured when it first says something: every page has one, hidden, and a style sheet
    costs milliseconds to parse and apply."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName("Message")
        self.hide()

    def say(self, text: str) -> None:
        if text and not self.styleSheet():
            self.setStyleSheet("color: #b00020;")
        self.setText(text)
        self.setVisible(bool(text))


class Page(QWidget):
    """A heading, a line of help, the page's content and the message line."""

    refused = Signal(str)

    def __init__(self, title: str, help_text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(title)
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(f"<h2>{title}</h2>")
        heading.setAccessibleName(title)
        self.layout_.addWidget(heading)
        if help_text:
            help_label = QLabel(help_text)
            help_label.setWordWrap(True)
            self.layout_.addWidget(help_label)
        self.message = MessageLine()

    def finish(self) -> None:
        self.layout_.addWidget(self.message)

    def watch(self, model) -> None:
        model.refused.connect(self._refused)
        model.document.changed.connect(lambda: self.message.say(""))

    def _refused(self, text: str) -> None:
        self.message.say(text)
        self.refused.emit(text)


class ChartPage(Page):
    """A page of figures and a chart that follow the plan: the chart is redrawn when it is
    next seen, the figures at once if the page is shown, else when it next is. Subclasses
    set ``self.chart`` and ``refresh()``, and connect ``document.changed`` to
    ``_plan_changed``."""

    chart: Any

    def refresh(self, *_: object) -> None:
        raise NotImplementedError

    def _plan_changed(self) -> None:
        self.chart.schedule()
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
