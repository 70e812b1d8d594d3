"""The Forces page: Add offers the 43 forces of England and Wales with their public figures
(officers, staff, PCSOs, specials, population, recorded crime), as `alliance-planner new
--forces` builds them, as well as a blank force to fill in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import formats
from ..samples.blank import with_public_forces
from ..samples.common import england_and_wales, force_regions
from .document import EditRefused, PlanDocument
from .pages import RecordPage

HELP = "The forces in the alliance, with their public figures."


class AddForceDialog(QDialog):
    """The forces of England and Wales not yet in the plan, to tick one or several; or a
    blank force."""

    HEADERS = ("Force", "Region", "Officers", "Staff", "PCSOs", "Population")

    def __init__(self, taken: set[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add forces")
        self.blank = False
        regions = force_regions()
        self.forces = [f for f in england_and_wales() if f.code not in taken]
        layout = QVBoxLayout(self)
        intro = QLabel("Choose forces of England and Wales to add with their public figures "
                       "(Home Office workforce, ONS population); Ctrl or Shift and click for "
                       "several. Or add a blank force and type its figures." if self.forces else
                       "Every force of England and Wales is in the plan already. A blank "
                       "force is one to type the figures of (a national body, say).")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name or region")
        self.filter.setAccessibleName("Filter the forces")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        layout.addWidget(self.filter)
        self.table = QTableWidget(len(self.forces), len(self.HEADERS))
        self.table.setAccessibleName("Forces of England and Wales")
        self.table.setTabKeyNavigation(False)  # Tab goes on to OK, as from any control
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        for row, force in enumerate(self.forces):
            cells = (force.name, regions.get(force.code, ""), formats.number(force.officers),
                     formats.number(force.staff), formats.number(force.pcsos),
                     formats.number(force.population))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                item.setData(Qt.ItemDataRole.UserRole, force.code)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(self.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self._accept)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.add_button = QPushButton("&Add")
        self.add_button.setDefault(True)
        self.add_button.setEnabled(False)
        self.add_button.setAccessibleName("Add the forces chosen")
        blank = QPushButton("&Blank Force")
        blank.setAccessibleName("Add a blank force")
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(blank, QDialogButtonBox.ButtonRole.ActionRole)
        self.add_button.clicked.connect(self._accept)
        blank.clicked.connect(self._blank)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(640, 560)

    def chosen(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()
                       if not self.table.isRowHidden(i.row())})
        return [self.forces[r].code for r in rows]

    def choose(self, codes: list[str]) -> None:
        """Select these forces (by code), as a person would."""
        self.table.clearSelection()
        mode = self.table.selectionMode()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        for row, force in enumerate(self.forces):
            if force.code in codes:
                self.table.selectRow(row)
        self.table.setSelectionMode(mode)

    def _filter(self, text: str) -> None:
        words = text.casefold().split()
        for row in range(self.table.rowCount()):
            shown = " ".join(self.table.item(row, c).text() for c in (0, 1)).casefold()
            self.table.setRowHidden(row, not all(w in shown for w in words))

    def _selection_changed(self) -> None:
        count = len(self.chosen())
        self.add_button.setEnabled(bool(count))
        self.add_button.setText(f"&Add {count} Forces" if count > 1 else "&Add")

    def _accept(self, *_: object) -> None:
        if self.chosen():
            self.accept()

    def _blank(self) -> None:
        self.blank = True
        self.accept()


class ForcesPage(RecordPage):
    """The forces, with an Add that knows the 43 forces of England and Wales."""

    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__(document, "forces", "Forces", HELP, parent)
        self.document = document
        self.dialog: AddForceDialog | None = None

    def add(self) -> None:
        """Ask which forces, without blocking the window; added when the dialog is done."""
        taken = {f.code for f in self.document.plan.forces}
        self.dialog = AddForceDialog(taken, self)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.accepted.connect(lambda dialog=self.dialog: self._chosen(dialog))
        self.dialog.finished.connect(lambda _: setattr(self, "dialog", None))
        self.dialog.open()

    def _chosen(self, dialog: AddForceDialog) -> None:
        if dialog.blank:
            super().add()
        else:
            self.add_forces(dialog.chosen())

    def add_forces(self, codes: list[str]) -> bool:
        """The forces with their public figures, as one undoable edit."""
        if not codes:
            return False
        before = len(self.document.plan.forces)
        plan = with_public_forces(self.document.plan, codes)
        names = ", ".join(f.name for f in plan.forces[before:])
        try:
            self.document.edit(plan, f"Add {names}")
        except EditRefused as exc:
            self._refused(str(exc))
            return False
        self.table.show_source_row(before)
        return True
