"""Sites from the Options page: the Site closures tab's buttons, and a form that adds a site
(and, if a year is given, its closure in the option shown) as one undoable edit. The Sites
page itself is a record page like Forces."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import edits, schema
from ..domain.model import Plan, Site, SiteAction
from ..formats import ParseError
from .document import EditRefused, PlanDocument
from .models import SiteActionsModel

_FIELDS = ("name", "force", "annual_running_cost", "market_value")


class NewSiteDialog(QDialog):
    """A site's name, force, running cost and market value, and when the option closes it."""

    def __init__(self, document: PlanDocument, option_index: int,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.option_index = option_index
        plan = document.plan
        option = plan.options[option_index]
        self.setWindowTitle("Add a site")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.editors: dict[str, QLineEdit | QComboBox] = {}
        for attr in _FIELDS:
            column = schema.SITES.column(attr)
            editor: QLineEdit | QComboBox
            if attr == "force":
                editor = QComboBox()
                for force in plan.forces:
                    editor.addItem(f"{force.code} — {force.name}", force.code)
            else:
                editor = QLineEdit("0" if attr == "market_value" else "")
            editor.setAccessibleName(column.header)
            editor.setToolTip(column.tip)
            form.addRow(f"{column.header}:", editor)
            self.editors[attr] = editor
        self.closes = QLineEdit()
        self.closes.setAccessibleName(f"Closed by {option.name} from")
        self.closes.setPlaceholderText("blank: this option keeps it")
        form.addRow(f"{option.name} closes it from:", self.closes)
        layout.addLayout(form)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setAccessibleName("Message")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def fill(self, **texts: str) -> None:
        """Type into the form (for tests and scripts): field name to text."""
        for attr, text in texts.items():
            editor = self.closes if attr == "closes" else self.editors[attr]
            if isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(0, editor.findData(text)))
            else:
                editor.setText(text)

    def plan(self) -> Plan:
        """The plan with the site (and its closure); ParseError says what is wrong where."""
        plan = self.document.plan
        values: dict[str, Any] = {}
        for attr, editor in self.editors.items():
            column = schema.SITES.column(attr)
            text = editor.currentData() if isinstance(editor, QComboBox) else editor.text()
            try:
                values[attr] = column.parse(text, plan)
            except ParseError as exc:
                raise ParseError(f"{column.header}: {exc}") from exc
        code = edits.code_for(values["name"], schema.keys(plan, "sites"))
        plan = edits.insert_record(plan, "sites", Site(code=code, **values))
        if self.closes.text().strip():
            column = SiteActionsModel.COLUMNS[0]
            try:
                year = column.parse(self.closes.text(), plan)
            except ParseError as exc:
                raise ParseError(f"Closes from: {exc}") from exc
            plan = edits.set_site_action(plan, self.option_index, code, SiteAction(code, year))
        return plan

    def add(self) -> None:
        """Add the site as one undoable edit; a problem is said here and the form kept."""
        try:
            plan = self.plan()
            name = plan.sites[-1].name
            self.document.edit(plan, f"Add site {name}")
        except (ParseError, EditRefused) as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        self.accept()


class SiteClosures(QWidget):
    """The option's site closures, with Add Site… and Keep Site (no closure)."""

    refused = Signal(str)

    def __init__(self, table, model: SiteActionsModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.table = table
        self.model = model
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel("No sites yet. Add Site… adds one here (and to the Sites page); "
                            "type a year in Closes from to close it in this option.")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        add = QPushButton("Add Site…")
        add.setAccessibleName("Add a site")
        add.setToolTip("A new site, closed by this option from a year if you give one")
        add.clicked.connect(self.add)
        keep = QPushButton("Keep Site")
        keep.setAccessibleName("Keep the selected site in this option")
        keep.setToolTip("This option does not close the selected site")
        keep.clicked.connect(self.keep)
        row.addWidget(add)
        row.addWidget(keep)
        row.addStretch(1)
        layout.addLayout(row)
        self.dialog: NewSiteDialog | None = None
        model.modelReset.connect(self._empty)
        self._empty()

    def _empty(self) -> None:
        self.empty.setVisible(self.model.rowCount() == 0)

    def add(self) -> None:
        self.dialog = NewSiteDialog(self.model.document, self.model.option_index, self)
        self.dialog.finished.connect(self._added)
        self.dialog.open()

    def _added(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted:
            self.table.setCurrentIndex(self.model.index(self.model.rowCount() - 1, 0))
        self.dialog = None

    def keep(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.refused.emit("Select a site first")
            return
        plan = self.model.document.plan
        site = plan.sites[index.row()].code
        changed = edits.set_site_action(plan, self.model.option_index, site, None)
        if changed != plan:
            self.model.commit(changed, f"Keep {plan.sites[index.row()].name}")
