"""Named versions and the changes log in the window.

Each version is listed with when and by whom it was kept; it can be opened read-only in a
window of its own, compared with another version or with today's plan, or restored as a
new plan (the plan itself is never changed by any of these). The comparison, changed
inputs beside changed results, is the same view Merge Returns shows before it applies a
return, so that a planner reads one kind of account of a change wherever it comes from.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import formats
from ..domain.diff import ADDED, REMOVED, InputChange, ResultChange, diff_inputs, diff_results
from ..domain.engine import Results
from ..domain.model import Plan
from ..store.planfile import SUFFIX, PlanFile, PlanFileError, Version, write_new
from .document import PlanDocument
from .main_window import FILE_FILTER, MainWindow

MAX_COLUMN = 320
"""The widest a column opens (a long note or file name is in its tooltip)."""
VERSION_WINDOWS: list[QMainWindow] = []
"""The versions open in windows of their own, each kept until it is closed."""


def when(iso: str) -> str:
    """A moment the file keeps in UTC, as this computer's clock shows it: '1 Apr 2026 14:05'."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return f"{moment.day} {moment:%b %Y %H:%M}"


def describe(version: Version) -> str:
    return f"version '{version.name}' (kept {when(version.created_at)}" + \
        (f" by {version.created_by})" if version.created_by else ")")


def read_only_table(headers: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)  # Tab goes on to the next control, as from any other
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def fill(table: QTableWidget, rows: Sequence[Sequence[str]], right: frozenset[int] = frozenset(),
         tips: Sequence[Sequence[str]] | None = None,
         widest: Sequence[int] = ()) -> None:
    """Put text in a table, numbers right-aligned; each cell's tooltip holds it whole.
    ``widest``: the most each column opens to, so that the figures stay in sight."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(tips[r][c] if tips is not None else text)
            if c in right:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for c in range(table.columnCount() - header.stretchLastSection()):
        most = widest[c] if c < len(widest) else MAX_COLUMN
        header.resizeSection(c, min(most, header.sectionSize(c) + 12))


def fit(widget: QWidget, width: int, height: int) -> None:
    """Open at this size, or as much of it as the screen has room for."""
    room = widget.screen().availableGeometry()
    widget.resize(min(width, room.width() - 40), min(height, room.height() - 60))


def shown(table: QTableWidget) -> list[list[str]]:
    """What a table shows, row by row."""
    return [[table.item(r, c).text() if table.item(r, c) else ""
             for c in range(table.columnCount())] for r in range(table.rowCount())]


def figure_text(figure: str, value: float | None, *, signed: bool = False) -> str:
    """A result as the Compare page shows it; pennies where pounds would hide a change."""
    if value is None:
        return "–"
    sign = "+" if signed and value > 0 else ""
    if figure == "support_fte_final_year":
        return f"{sign}{value:,.1f} FTE"
    return sign + formats.money(value, pennies=abs(value) < 1e4)


def input_row(change: InputChange) -> list[str]:
    field = {ADDED: "(row added)", REMOVED: "(row removed)"}.get(change.what, change.field)
    return [change.sheet, change.record or "(the plan)", field, change.old, change.new]


def result_row(change: ResultChange, names: dict[str, str]) -> list[str]:
    return [names.get(change.option, change.option), change.label,
            figure_text(change.figure, change.old), figure_text(change.figure, change.new),
            figure_text(change.figure, change.difference, signed=True)]


class DiffView(QWidget):
    """What changed between two plans: the inputs (sheet, record, field, old → new) beside
    the results they give (option, figure, old, new, difference)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Comparison")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("What is compared")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("QLabel { font-weight: bold; }")
        layout.addWidget(self.heading)
        self.nothing = QLabel("No differences: every input and every result is the same.")
        self.nothing.setAccessibleName("No differences")
        self.nothing.setStyleSheet("QLabel { padding: 12px; font-weight: bold; }")
        self.nothing.hide()
        layout.addWidget(self.nothing)
        self.inputs = read_only_table(["Sheet", "Record", "Field", "Old", "New"],
                                      "Inputs changed")
        self.results = read_only_table(["Option", "Figure", "Old", "New", "Difference"],
                                       "Results changed")
        self.inputs_box = self._box(self.inputs)
        self.results_box = self._box(self.results)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.inputs_box)
        self.splitter.addWidget(self.results_box)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 5)  # the results have more to show
        self.splitter.setStretchFactor(1, 7)
        for table in (self.inputs, self.results):  # the second column takes what is left
            header = table.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.splitter, 1)

    @staticmethod
    def _box(table: QTableWidget) -> QGroupBox:
        box = QGroupBox(table.accessibleName())
        column = QVBoxLayout(box)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(table)
        return box

    def compare(self, old: Plan, new: Plan, heading: str, old_results: Results | None = None,
                new_results: Results | None = None) -> None:
        self.show_changes(diff_inputs(old, new),
                          diff_results(old, new, old_results, new_results), heading,
                          option_names(old, new))

    def show_changes(self, inputs: Sequence[InputChange], results: Sequence[ResultChange],
                     heading: str, names: dict[str, str]) -> None:
        self.heading.setText(heading)
        fill(self.inputs, [input_row(c) for c in inputs], widest=(100, 170, 150, 130, 130))
        fill(self.results, [result_row(c, names) for c in results],
             right=frozenset({2, 3, 4}), widest=(240, 200, 120, 120, 120),
             tips=[[*row[:4], f"{row[4]} ({c.option})"]
                   for c, row in zip(results, (result_row(c, names) for c in results),
                                     strict=True)])
        self.inputs_box.setTitle(f"Inputs changed ({len(inputs)})")
        self.results_box.setTitle(f"Results changed ({len(results)})" if results else
                                  "Results changed (none)")
        empty = not inputs and not results
        self.nothing.setVisible(empty)
        self.splitter.setVisible(not empty)


def option_names(*plans: Plan) -> dict[str, str]:
    return {o.code: o.name for plan in plans for o in plan.options}


def sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


class VersionsDialog(QDialog):
    """The plan's named versions and its changes log; the comparison of the chosen ones."""

    def __init__(self, document: PlanDocument, open_plan: Callable[[Path], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.open_plan = open_plan
        self.versions: list[Version] = []
        self.setWindowTitle(f"Versions of {document.plan.name}")
        self.setAccessibleName("Versions")
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

        page = QWidget()
        column = QVBoxLayout(page)
        intro = QLabel("Named copies kept inside the plan file. Select one to compare it with "
                       "today's plan, open it read-only or restore it as a new plan; select "
                       "two (Ctrl+click) to compare them. The plan itself is not changed.")
        intro.setWordWrap(True)
        column.addWidget(intro)
        self.table = read_only_table(["Name", "Kept", "By", "Note"], "Versions")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.compare())
        buttons = QHBoxLayout()
        self.compare_button = self._button("&Compare with Today's Plan", self.compare, buttons)
        self.open_button = self._button("&Open Read-only", self.open_read_only, buttons)
        self.restore_button = self._button("&Restore as New Plan…", self.restore, buttons)
        buttons.addStretch(1)
        top = QWidget()
        top_column = QVBoxLayout(top)
        top_column.setContentsMargins(0, 0, 0, 0)
        top_column.addWidget(self.table, 1)
        top_column.addLayout(buttons)
        self.diff = DiffView()
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.diff)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        split.setChildrenCollapsible(False)
        column.addWidget(split, 1)
        self.tabs.addTab(page, "&Versions")

        self.log = read_only_table(["When", "By", "What", "File", "SHA-256", "Detail"],
                                   "Changes log")
        log_page = QWidget()
        log_column = QVBoxLayout(log_page)
        log_intro = QLabel("What came into the plan from outside: each return merged, "
                           "workbook imported and version restored, with the file's SHA-256.")
        log_intro.setWordWrap(True)
        log_column.addWidget(log_intro)
        log_column.addWidget(self.log, 1)
        self.tabs.addTab(log_page, "Changes &log")

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout.addWidget(close)
        fit(self, 1340, 800)
        self.refresh()

    @staticmethod
    def _button(text: str, slot: Callable[[], None], row: QHBoxLayout) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        row.addWidget(button)
        return button

    def refresh(self) -> None:
        """Read the versions and the log afresh; the newest version is compared with today's."""
        try:
            versions, changes = self.document.file.versions(), self.document.file.changes()
        except PlanFileError as exc:
            QMessageBox.critical(self, "Cannot read the versions", str(exc))
            versions, changes = [], []
        self.versions = list(reversed(versions))  # the newest first
        fill(self.table, [[v.name, when(v.created_at), v.created_by or "–", v.note]
                          for v in self.versions])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        fill(self.log, [[when(c.at), c.by or "–", c.what, Path(c.file).name, c.checksum[:12],
                         c.detail] for c in reversed(changes)],
             tips=[[c.at, c.by, c.what, c.file, c.checksum, c.detail]
                   for c in reversed(changes)])
        if self.versions:
            self.table.selectRow(0)
            self.compare()
        else:
            self.diff.show_changes([], [], "No named versions yet: File › Save Version keeps "
                                   "one, and every merge and board-pack export can.", {})
            self.diff.nothing.hide()
        self._selection_changed()

    def selected(self) -> list[Version]:
        """The versions selected, oldest first."""
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return sorted((self.versions[r] for r in rows), key=lambda v: v.id)

    def _selection_changed(self) -> None:
        count = len(self.selected())
        self.compare_button.setEnabled(count in (1, 2))
        self.compare_button.setText("&Compare the Two" if count == 2 else
                                    "&Compare with Today's Plan")
        self.open_button.setEnabled(count == 1)
        self.restore_button.setEnabled(count == 1)

    def _load(self, version: Version) -> Plan | None:
        try:
            return self.document.file.load_version(version.id)
        except PlanFileError as exc:
            QMessageBox.critical(self, "Cannot read the version", str(exc))
            return None

    def compare(self) -> None:
        """The selected version against today's plan, or the older of two against the newer."""
        chosen = self.selected()
        if len(chosen) not in (1, 2):
            return
        old = self._load(chosen[0])
        if old is None:
            return
        if len(chosen) == 1:
            self.diff.compare(old, self.document.plan,
                              f"From {describe(chosen[0])} to today's plan:",
                              new_results=self.document.results)
            return
        new = self._load(chosen[1])
        if new is not None:
            self.diff.compare(old, new, f"From {describe(chosen[0])} to {describe(chosen[1])}:")

    def open_read_only(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            open_version_window(self.document, chosen[0], self)

    def restore(self) -> None:
        """Write the version as a new plan file, logged as a restore, and open it here."""
        chosen = self.selected()
        if len(chosen) != 1:
            return
        version = chosen[0]
        slug = re.sub(r"[^A-Za-z0-9]+", "-", version.name).strip("-")[:40] or "version"
        suggested = self.document.path.with_name(f"{self.document.path.stem}-{slug}{SUFFIX}")
        chosen_path, _ = QFileDialog.getSaveFileName(self, "Restore the version as a new plan",
                                                     str(suggested), FILE_FILTER)
        if not chosen_path:
            return
        path = Path(chosen_path)
        path = path if path.suffix else path.with_suffix(SUFFIX)
        plan = self._load(version)
        if plan is None:
            return
        source = self.document.path
        try:
            write_new(path, plan, overwrite=True,
                      logged=("restore", str(source), sha256(source),
                              f"version {version.id} {version.name!r}, kept "
                              f"{version.created_at}"))
        except PlanFileError as exc:
            QMessageBox.critical(self, "Could not restore the version", str(exc))
            return
        self.accept()
        self.open_plan(path)


def open_version_window(document: PlanDocument, version: Version,
                        parent: QWidget) -> MainWindow | None:
    """A window of its own on a version, read-only: the version is written to a private
    copy, so the window reads a real plan file (Save As from it makes an editable copy),
    and the copy is removed when the window closes. Its settings are kept apart, so that
    it is never remembered as the last or a recent plan."""
    try:
        plan = document.file.load_version(version.id)
    except PlanFileError as exc:
        QMessageBox.critical(parent, "Cannot open the version", str(exc))
        return None
    folder = Path(tempfile.mkdtemp(prefix="alliance-version-"))
    path = folder / f"{document.path.stem}-version-{version.id}{SUFFIX}"
    try:
        write_new(path, plan)
        plan_file = PlanFile.open_read_only(path, f"it is {describe(version)} of "
                                                  f"{document.path.name}")
    except PlanFileError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        QMessageBox.critical(parent, "Cannot open the version", str(exc))
        return None
    copy = PlanDocument(plan_file, plan)
    window = MainWindow(copy, QSettings(str(folder / "window.ini"),
                                        QSettings.Format.IniFormat))
    copy.setParent(window)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    VERSION_WINDOWS.append(window)

    def closed(*_: object) -> None:
        VERSION_WINDOWS.remove(window)
        shutil.rmtree(folder, ignore_errors=True)

    window.destroyed.connect(closed)
    window.setWindowTitle(f"{plan.name}: version '{version.name}' — Alliance Planner "
                          "(read-only)")
    window.show()
    return window
