"""Optimise on the Roadmap page: the limits in a small dialog, the optimiser off the GUI
thread with progress and Cancel, and its answer added to the plan as one undoable edit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..domain import schema
from ..domain.model import Plan
from ..domain.optimiser import Limits, OptimiseError, Roadmap, optimise
from ..domain.validation import column_problem
from ..formats import ParseError
from .document import EditRefused, PlanDocument
from .worker import run_in_background


class OptimiseDialog(QDialog):
    """The limits the roadmap must keep to, prefilled from the plan's own."""

    def __init__(self, plan: Plan, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Optimise the roadmap")
        self.setAccessibleName("Optimise the roadmap")
        layout = QVBoxLayout(self)
        intro = QLabel("For each service, choose which change the options hold, and when, "
                       "to give the most NPSV within these limits. The answer is a new "
                       "option; Undo takes it away.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.budget = self._field(plan, "budget_per_year", "blank for no cap")
        self.concurrent = self._field(plan, "max_concurrent", "blank for no limit")
        form.addRow("One-off &budget a year (£):", self.budget)
        form.addRow("Most &changes at once:", self.concurrent)
        self.early_exits = QCheckBox("Allow &early exits (paying the exit fee)")
        self.early_exits.setAccessibleName("Allow early exits")
        self.early_exits.setChecked(plan.allow_early_exits)
        form.addRow(self.early_exits)
        layout.addLayout(form)
        self.links = plan.service_links
        count = len(self.links)
        layout.addWidget(QLabel(f"{count} service link{'s' if count != 1 else ''} "
                                "(listed on the Roadmap page) will be honoured."))
        self.problem = QLabel()
        self.problem.setAccessibleName("Problem")
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.hide()
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Optimise")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _field(plan: Plan, attr: str, placeholder: str) -> QLineEdit:
        column = schema.SETTING[attr]
        field = QLineEdit(column.edit_text(getattr(plan, attr)))
        field.setPlaceholderText(placeholder)
        field.setAccessibleName(column.header)
        field.setToolTip(column.tip)
        return field

    def limits(self) -> Limits:
        """The limits as typed; ParseError names the one that is not a limit."""
        values = []
        for attr, field in (("budget_per_year", self.budget),
                            ("max_concurrent", self.concurrent)):
            column = schema.SETTING[attr]
            try:
                value = column.parse(field.text())
            except ParseError as exc:
                raise ParseError(f"{column.header}: {exc}") from exc
            problem = column_problem(column, column.header, value)
            if problem is not None:
                raise ParseError(str(problem))
            values.append(value)
        return Limits(values[0], values[1], self.early_exits.isChecked(), self.links)

    def _accept(self) -> None:
        try:
            self.limits()
        except ParseError as exc:
            self.problem.setText(str(exc))
            self.problem.show()
            return
        self.accept()


def run_optimiser(parent: QWidget, document: PlanDocument, limits: Limits, *,
                  refuse: Callable[[str], None], report: Callable[[str], None],
                  shown: Callable[[Roadmap], None]) -> None:
    """Optimise the document's plan in the background; add the answer as one edit.

    ``refuse`` says why no roadmap was added, ``report`` that the user cancelled, and
    ``shown`` is called with the roadmap once it is in the plan. Cancel, or a result that
    arrives after it, changes nothing.
    """
    if document.read_only is not None:
        refuse(document.read_only_message())
        return
    plan = document.plan

    def work(cancelled: Callable[[], bool]) -> Roadmap:
        return optimise(plan, limits, cancelled=cancelled)

    def done(roadmap: Roadmap) -> None:
        if document.plan != plan:
            refuse("Not optimised: the plan changed while the optimiser ran; run it again")
            return
        try:
            document.edit(roadmap.plan, f"Add the {roadmap.option.name.lower()}")
        except EditRefused as exc:
            refuse(f"Not optimised: {exc}")
            return
        shown(roadmap)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, OptimiseError):
            refuse(f"Not optimised: {exc}")
        else:
            raise exc

    run_in_background(parent, "Optimising the roadmap…", work, done, failed,
                      on_cancelled=lambda: report("Optimise cancelled: nothing was changed"),
                      discard=lambda _: report("Optimise cancelled: nothing was changed"))
