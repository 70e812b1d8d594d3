"""Forces' returns in the window.

Merge Returns takes the returns one at a time: each is read off the GUI thread (Cancel
stops it and changes nothing), checked all or nothing by the exchange layer, and shown as
the change it would make, with Apply and Cancel. Apply keeps the plan as it is as a
version, then makes the change as one undoable edit whose save also writes the changes
log: both land or neither. Undo is an ordinary edit. Templates per Force writes the
workbooks to send out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ..domain.diff import ResultChange, diff_results
from ..domain.engine import Results
from ..domain.model import Plan
from ..domain.progress import Cancelled
from ..exchange.inputs import WorkbookProblems, WorkbookUnreadable
from ..exchange.returns import Merge, _safe, read_return, write_per_force
from ..messages import one_line
from ..store.planfile import PlanChangedElsewhere, PlanFileError
from .document import EditRefused, PlanDocument
from .main_window import PROBLEMS_SHOWN, MainWindow
from .versions import DiffView, fit, option_names
from .worker import run_in_background

WORKBOOKS = "Excel workbooks (*.xlsx)"
PROBLEMS_IN_VIEW = 12
"""A refused return's problems shown in its message at once; the rest under Details."""


def version_before(path: Path) -> str:
    return f"Before merging {path.name}"


class MergeDialog(QDialog):
    """What one return would change, with Apply and Cancel."""

    def __init__(self, merge: Merge, results: Sequence[ResultChange], before: Plan,
                 count: str, parent: QWidget | None = None):
        super().__init__(parent)
        name = merge.path.name
        self.setWindowTitle(f"Merge {name}{count}")
        self.setAccessibleName(f"Merge {name}")
        layout = QVBoxLayout(self)
        intro = QLabel(f"{name} ({merge.detail}) would change the plan as below. Apply merges "
                       f"it as one step (Edit › Undo takes it back); the plan as it is now is "
                       f"kept first as the version '{version_before(merge.path)}'.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for note in merge.notes:  # a return from an older template: what took its default
            line = QLabel(one_line(f"Note: {note}"))
            line.setWordWrap(True)
            layout.addWidget(line)
        self.diff = DiffView()
        self.diff.show_changes(merge.changes, results, f"From today's plan to the plan with "
                               f"{name} merged:", option_names(before, merge.plan))
        layout.addWidget(self.diff, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.clicked.connect(self.accept)
        self.apply_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit(self, 1340, 680)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.apply_button.setFocus()  # not a cell of the tables: there is nothing to edit


class ReturnsMerger(QObject):
    """Merges returns into a window's plan one after another; `dialog` is whatever it is
    asking or telling the user now (a MergeDialog or a message box), None when done."""

    def __init__(self, window: MainWindow, paths: Sequence[Path]):
        super().__init__(window)
        self.window = window
        self.queue = [Path(p) for p in paths]
        self.total = len(self.queue)
        self.dialog: QDialog | None = None
        self.done = False

    def start(self) -> None:
        document = self.window.document
        if document is not None and document.read_only is not None:
            self._say(QMessageBox.Icon.Information, "Nothing can be merged",
                      f"Merge Returns changes the plan, and {document.read_only_message()}.",
                      then=self._finish)
            return
        self._next()

    def _count(self) -> str:
        return f" ({self.total - len(self.queue)} of {self.total})" if self.total > 1 else ""

    def _next(self) -> None:
        self.dialog = None
        if not self.queue:
            self._finish()
            return
        self._read(self.queue.pop(0))

    def _finish(self) -> None:
        self.dialog = None
        self.done = True

    def _stop(self, text: str) -> None:
        self.queue.clear()
        self.window.statusBar().showMessage(f"Cancelled: {text}", 6000)
        self._finish()

    def _read(self, path: Path) -> None:
        document = self.window.document
        assert document is not None
        plan, results = document.plan, document.results

        def work(cancelled: Callable[[], bool]) -> tuple[Merge, list[ResultChange]]:
            merge = read_return(path, plan, cancelled=cancelled)
            if cancelled():
                raise Cancelled()
            return merge, diff_results(plan, merge.plan, results)

        def stopped(*_: object) -> None:
            self._stop(f"nothing was merged from {path.name}")

        run_in_background(self.window, f"Reading {path.name}…", work,
                          lambda found: self._review(document, plan, results, *found),
                          lambda exc: self._failed(path, exc),
                          on_cancelled=stopped, discard=stopped)

    def _failed(self, path: Path, exc: BaseException) -> None:
        if isinstance(exc, WorkbookProblems):
            lines = exc.lines(PROBLEMS_SHOWN)
            more = exc.count > PROBLEMS_IN_VIEW
            self._say(QMessageBox.Icon.Warning, "Nothing was merged",
                      one_line(f"{path.name} has {exc.count:,} problem(s), so nothing was "
                               "merged from it. Fix them in the return, or ask the force to, "
                               "and merge it again."),
                      informative="\n".join(exc.lines(PROBLEMS_IN_VIEW)),
                      details="\n".join(lines) if more else "")
        elif isinstance(exc, WorkbookUnreadable | PlanFileError):
            self._say(QMessageBox.Icon.Critical, "Nothing was merged", one_line(str(exc)))
        else:
            raise exc

    def _review(self, document: PlanDocument, plan: Plan, results: Results, merge: Merge,
                changes: list[ResultChange]) -> None:
        name = merge.path.name
        if self.window.document is not document or document.plan is not plan:
            self._say(QMessageBox.Icon.Warning, "Nothing was merged",
                      f"The plan changed while {name} was read; merge it again.")
            return
        if not merge.changes:
            self._say(QMessageBox.Icon.Information, "Nothing to merge",
                      one_line(f"Nothing to merge from {name}: it holds what the plan holds "
                               f"for {', '.join(merge.forces)}. The plan was not changed."))
            return
        dialog = MergeDialog(merge, changes, plan, self._count(), self.window)
        self.dialog = dialog

        def answered(result: int) -> None:
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                self._apply(document, plan, merge)
            else:
                self.window.statusBar().showMessage(f"Not merged: {name}", 6000)
                self._next()

        dialog.finished.connect(answered)
        dialog.open()

    def _apply(self, document: PlanDocument, before: Plan, merge: Merge) -> None:
        name = merge.path.name
        try:
            if document.plan is not before:
                raise EditRefused(f"the plan changed while {name} was shown; merge it again")
            document.file.save_version(version_before(merge.path), before,
                                       f"kept automatically before merging {merge.path}")
            document.edit(merge.plan, f"Merge {name}",
                          logged=("merge", str(merge.path), merge.checksum, merge.detail))
        except (EditRefused, PlanFileError) as exc:
            if isinstance(exc, PlanChangedElsewhere):
                QTimer.singleShot(0, document, document.reload_if_changed_elsewhere)
            self._say(QMessageBox.Icon.Critical, "Nothing was merged",
                      one_line(f"{name}: {exc}"))
            return
        self.window.statusBar().showMessage(
            one_line(f"Merged {name}: {merge.detail}. The plan before is kept as the version "
                     f"'{version_before(merge.path)}'; Edit › Undo takes the merge back."),
            15000)
        self._next()

    def _say(self, icon: QMessageBox.Icon, title: str, text: str, *, informative: str = "",
             details: str = "", then: Callable[[], None] | None = None) -> None:
        box = QMessageBox(icon, title, text, parent=self.window)
        if informative:
            box.setInformativeText(informative)
        if details:
            box.setDetailedText(details)
        self.dialog = box
        box.finished.connect(lambda _result: (box.deleteLater(), (then or self._next)()))
        box.open()


def merge_returns(window: MainWindow, paths: Sequence[Path]) -> ReturnsMerger:
    merger = ReturnsMerger(window, paths)
    merger.start()
    return merger


def choose_returns(window: MainWindow) -> ReturnsMerger | None:
    document = window.document
    assert document is not None
    if document.read_only is not None:
        return merge_returns(window, [])  # says why, and merges nothing
    paths, _ = QFileDialog.getOpenFileNames(window, "Merge forces' returns",
                                            str(document.path.parent), WORKBOOKS)
    return merge_returns(window, [Path(p) for p in paths]) if paths else None


def write_templates(window: MainWindow, folder: Path) -> None:
    """One template a force, prefilled with its rows, written off the GUI thread."""
    document = window.document
    assert document is not None
    plan = document.plan

    before = {p.name for p in folder.glob("*.xlsx")} if folder.is_dir() else set()

    def work(cancelled: Callable[[], bool]) -> list[Path]:
        if cancelled():
            raise Cancelled()
        return write_per_force(folder, plan, cancelled=cancelled)

    def stopped() -> None:
        made = sorted(p.name for p in folder.glob("*.xlsx") if p.name not in before) \
            if folder.is_dir() else []
        window.statusBar().showMessage(one_line(
            "Cancelled: " + (f"the {len(made)} template(s) written before it stay, each "
                             f"whole ({', '.join(made)})" if made
                             else "no templates written")), 10000)

    def done(paths: list[Path]) -> None:
        window.statusBar().showMessage(
            one_line(f"{len(paths)} templates written to {folder}, one a force "
                     f"({', '.join(p.name for p in paths)}): send each to its force, then "
                     "File › Merge Returns"), 15000)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, OSError):
            QMessageBox.critical(window, "Could not write the templates",
                                 one_line(f"{folder}: {exc.strerror or exc}"))
        else:
            raise exc

    run_in_background(window, f"Writing {len(plan.forces)} templates…", work, done, failed,
                      on_cancelled=stopped)


def choose_template_folder(window: MainWindow) -> None:
    document = window.document
    assert document is not None
    chosen = QFileDialog.getExistingDirectory(window, "Write a template per force into",
                                              str(document.path.parent))
    if not chosen:
        return
    folder = Path(chosen)
    taken = [f"{_safe(f.code)}.xlsx" for f in document.plan.forces
             if (folder / f"{_safe(f.code)}.xlsx").exists()]
    if taken:
        answer = QMessageBox.question(
            window, "Replace the workbooks?",
            one_line(f"{folder} holds {', '.join(taken)} already: a force's return may be "
                     f"among them. Replace {'it' if len(taken) == 1 else 'them'}?"))
        if answer != QMessageBox.StandardButton.Yes:
            return
    write_templates(window, folder)
