"""The open plan: its file, its undo stack and its latest results.

Every edit is a plan-to-plan command. It is written to the file before it joins the undo
stack, so an edit that cannot be saved (a full disk, a locked file) is refused, not lost
later; undo and redo are saved the same way. Views listen to ``changed`` and read
``plan`` and ``results``; they never compute figures themselves.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..domain.engine import Results, appraise
from ..domain.model import Plan
from ..domain.validation import validate
from ..store.planfile import PlanFile, PlanFileError


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

    @staticmethod
    def open_file(path: str | Path) -> tuple[PlanFile, Plan]:
        """The file and its plan, without Qt objects: safe on a worker thread."""
        plan_file = PlanFile.open(path)
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

    def close(self) -> None:
        self.file.close()

    def check(self, plan: Plan) -> str | None:
        """Why a plan may not replace the current one, or None if it may."""
        problems = validate(plan)
        return str(problems[0]) if problems else None

    def edit(self, plan: Plan, text: str) -> None:
        """Make `plan` current as one undoable step; EditRefused if it is invalid or unsaved."""
        if plan == self.plan:
            return
        reason = self.check(plan)
        if reason:
            raise EditRefused(reason)
        try:
            self.file.save(plan, previous=None if self.unsaved else self.plan, checked=True)
        except PlanFileError as exc:
            raise EditRefused(str(exc)) from exc
        before = self.plan
        self.unsaved = False
        self._set(plan)
        self.undo_stack.push(_PlanEdit(self, before, plan, text))

    def _show(self, plan: Plan, *, save: bool) -> None:
        if save:
            try:
                # After a failed save the file may hold either plan: write it whole.
                previous = None if self.unsaved else self.plan
                self.file.save(plan, previous=previous, checked=True)
                self.unsaved = False
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
        self._set(plan)
        self.reloaded.emit(f"{self.path.name} was changed in another window; showing its "
                           "latest state")
        return True
