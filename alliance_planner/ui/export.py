"""Export to the board: where the pack goes and, ticked unless the plan cannot take it, a
named version of the plan kept as it went. A board asks months later "what did we see?";
the version answers it, and one click is all it costs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

WORKBOOKS = "Excel workbooks (*.xlsx)"
PDFS = "PDF documents (*.pdf)"


def board_version_name(day: date | None = None) -> str:
    day = day or date.today()
    return f"Board pack {day.day} {day:%B %Y}"


class BoardPackDialog(QDialog):
    """The board pack's file (or the one-page summary's), and the version kept with it."""

    title = "Export the board pack"
    what = "Workbook"
    suffix = ".xlsx"
    filter = WORKBOOKS

    def __init__(self, path: Path, read_only: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._confirmed = ""  # a file the save dialog already asked to replace
        self.setWindowTitle(self.title)
        self.setAccessibleName(self.title)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        row = QHBoxLayout()
        self.path_edit = QLineEdit(str(path.with_suffix(self.suffix)))
        self.path_edit.setAccessibleName(self.what)
        self.path_edit.setMinimumWidth(420)
        choose = QPushButton("&Choose…")
        choose.clicked.connect(self._choose)
        row.addWidget(self.path_edit, 1)
        row.addWidget(choose)
        form.addRow(f"&{self.what}:", row)
        layout.addLayout(form)
        self.keep = QCheckBox("&Keep the plan as it goes to the board, as the version:")
        self.keep.setAccessibleName("Keep a version")
        self.version_name = QLineEdit(board_version_name())
        self.version_name.setAccessibleName("Version name")
        self.keep.toggled.connect(self.version_name.setEnabled)
        self.keep.setChecked(read_only is None)
        self.version_name.setEnabled(read_only is None)
        layout.addWidget(self.keep)
        layout.addWidget(self.version_name)
        if read_only is not None:
            self.keep.setEnabled(False)
            why = QLabel(f"No version can be kept: the plan is open read-only ({read_only}).")
            why.setWordWrap(True)
            layout.addWidget(why)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _choose(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.title, self.path_edit.text(),
                                              self.filter)
        if path:
            self.path_edit.setText(path)
            self._confirmed = str(self.path())

    def _accept(self) -> None:
        if not self.path_edit.text().strip() or (self.keep.isChecked()
                                                 and not self.version_name.text().strip()):
            return
        path = self.path()
        if path.exists() and str(path) != self._confirmed:
            answer = QMessageBox.question(self, f"Replace the {self.what.lower()}?",
                                          f"{path.name} exists already. Replace it?")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.accept()

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).with_suffix(self.suffix)

    def version(self) -> str | None:
        """The name of the version to keep, or None for none."""
        name = self.version_name.text().strip()
        return name if self.keep.isChecked() and name else None


class SummaryDialog(BoardPackDialog):
    """The one-page PDF summary's file; the version kept with it is the one it names."""

    title = "Export the board summary"
    what = "Summary"
    suffix = ".pdf"
    filter = PDFS
