"""The open plan: its file, its undo stack and its latest results.

Every edit is a plan-to-plan command. It is written to the file before it joins the undo
stack, so an edit that cannot be saved (a full disk, a locked file) is refused, not lost
later; undo and redo are saved the same way. Views listen to ``changed`` and read
``plan`` and ``results``; they never compute figures themselves.

A plan that cannot be edited here (a read-only file or folder, or open for editing in
another window) opens read-only: it can be looked at and saved under another name, and
every edit is refused with the reason. A save that finds the file changed by another
program is refused too, and the document takes up the file as it is, so that nothing
another writer saved is ever put back to an older value.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..domain.engine import Results, appraise
from ..domain.model import Plan
from ..domain.validation import validate
from ..domain.wording import plain
from ..store.planfile import PlanChangedElsewhere, PlanFile, PlanFileError, PlanNotEditable


class EditRefused(Exception):
    """An edit would make the plan invalid or could not be saved; the message says why."""


class _PlanEdit(QUndoCommand):
    def __init__(self, document: PlanDocument, before: Plan, after: Plan, text: str):
        super().__init__(text)
        self._document = document
        self._before = before
        self._after = after
        self._first = True

    def redo(self) -> None:
        if self._first:  # already saved and shown by PlanDocument.edit
            self._first = False
            return
        self._document._show(self._after, save=True)

    def undo(self) -> None:
        self._document._show(self._before, save=True)


class PlanDocument(QObject):
    changed = Signal()
    """The plan or its results changed (an edit, undo, redo or a reload)."""
    saveFailed = Signal(str)
    reloaded = Signal(str)

    def __init__(self, plan_file: PlanFile, plan: Plan, parent: QObject | None = None):
        super().__init__(parent)
        self.file = plan_file
        self.plan = plan
        self.results: Results = appraise(plan, validate=False)
        self.undo_stack = QUndoStack(self)
        self.unsaved = False
        self.written = False
        """Something has been saved to the file since it was opened (an edit, undo, redo)."""

    @staticmethod
    def open_file(path: str | Path, *, read_only: bool = False) -> tuple[PlanFile, Plan]:
        """The file and its plan, without Qt objects: safe on a worker thread. A plan that
        cannot be edited here opens read-only; ``file.read_only`` says why."""
        if read_only:
            plan_file = PlanFile.open_read_only(path)
        else:
            try:
                plan_file = PlanFile.open(path)
            except PlanNotEditable as exc:
                plan_file = PlanFile.open_read_only(path, exc.reason)
        try:
            return plan_file, plan_file.opened or plan_file.load()
        except PlanFileError:
            plan_file.close()
            raise

    @classmethod
    def open(cls, path: str | Path, parent: QObject | None = None) -> PlanDocument:
        """Open a plan file for editing; PlanFileError says why it cannot be."""
        return cls(*cls.open_file(path), parent=parent)

    @property
    def path(self) -> Path:
        return self.file.path

    @property
    def read_only(self) -> str | None:
        """Why the plan is open read-only, or None when edits are saved to it."""
        return self.file.read_only

    def read_only_message(self) -> str:
        return (f"{self.path.name} is open read-only ({self.read_only}); nothing was "
                "changed. File › Save As makes a copy you can edit")

    def close(self) -> None:
        self.file.close()

    def check(self, plan: Plan) -> str | None:
        """Why a plan may not replace the current one, or None if it may: in words, naming
        the page, record and column as the user sees them."""
        problems = validate(plan)
        return plain(plan, problems[0]) if problems else None

    def edit(self, plan: Plan, text: str, *,
             logged: tuple[str, str, str, str] | None = None) -> None:
        """Make `plan` current as one undoable step; EditRefused if it is invalid or unsaved.

        ``logged``: (what, file, checksum, detail) for the changes log, for an edit that
        brings something in from outside (a force's return): the entry and the plan land in
        one transaction, or neither. Its undo and redo are ordinary edits."""
        if plan == self.plan:
            return
        if self.read_only is not None:
            raise EditRefused(self.read_only_message())
        reason = self.check(plan)
        if reason:
            raise EditRefused(reason)
        try:
            if logged is None:
                self.file.save(plan, previous=None if self.unsaved else self.plan,
                               checked=True)
            else:
                if self.unsaved:  # the file may hold either plan: make it hold ours first
                    self.file.save(self.plan, checked=True)
                    self.unsaved = False
                self.file.save_with_log(plan, self.plan, *logged)
        except PlanChangedElsewhere as exc:
            # Taken up once the editor that asked has returned: views reset then.
            QTimer.singleShot(0, self, self.reload_if_changed_elsewhere)
            raise EditRefused(str(exc)) from exc
        except PlanFileError as exc:
            raise EditRefused(str(exc)) from exc
        before = self.plan
        self.unsaved = False
        self.written = True
        self._set(plan)
        self.undo_stack.push(_PlanEdit(self, before, plan, text))

    def _show(self, plan: Plan, *, save: bool) -> None:
        if save:
            try:
                # After a failed save the file may hold either plan: write it whole.
                previous = None if self.unsaved else self.plan
                self.file.save(plan, previous=previous, checked=True)
                self.unsaved = False
                self.written = True
            except PlanChangedElsewhere as exc:
                # Called from inside the undo stack: take up the file once that returns.
                self.unsaved = True
                self.saveFailed.emit(str(exc))
                QTimer.singleShot(0, self, self.reload_if_changed_elsewhere)
            except PlanFileError as exc:
                self.unsaved = True
                self.saveFailed.emit(str(exc))
        self._set(plan)

    def _set(self, plan: Plan) -> None:
        self.plan = plan
        self.results = appraise(plan, validate=False)
        self.changed.emit()

    def reload_if_changed_elsewhere(self) -> bool:
        """Take up a save made by another window; our undo history no longer applies."""
        if not self.file.changed_elsewhere():
            return False
        try:
            plan = self.file.load()
        except PlanFileError as exc:
            self.saveFailed.emit(str(exc))
            return False
        self.undo_stack.clear()
        self.unsaved = False
        self._set(plan)
        self.reloaded.emit(f"{self.path.name} was changed in another window; showing its "
                           "latest state")
        return True
