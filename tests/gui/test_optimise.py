"""Optimise on the Roadmap page, as a person uses it: the limits prefilled, the roadmap
added as one undoable edit and shown, Cancel that changes nothing, and clear refusals."""

from __future__ import annotations

import hashlib
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QProgressDialog, QPushButton

from alliance_planner.domain import optimiser
from alliance_planner.domain.model import LinkKind, ServiceLink
from alliance_planner.domain.optimiser import Limits, optimise
from alliance_planner.store.planfile import read_plan
from alliance_planner.ui import optimise as optimise_ui
from alliance_planner.ui.pages import RoadmapPage


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def page(qtbot, document):
    page = RoadmapPage(document)
    qtbot.addWidget(page)
    return page


def answer_dialog(monkeypatch, budget=None, concurrent=None, early_exits=None):
    """The dialog, filled in and accepted as a person would, without waiting on exec()."""
    seen = []

    def exec_(dialog):
        seen.append(dialog)
        if budget is not None:
            dialog.budget.setText(budget)
        if concurrent is not None:
            dialog.concurrent.setText(concurrent)
        if early_exits is not None:
            dialog.early_exits.setChecked(early_exits)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(optimise_ui.OptimiseDialog, "exec", exec_)
    return seen


def finished(qtbot, page):
    qtbot.waitUntil(lambda: not getattr(page, "_background_jobs", []), timeout=30_000)


def test_optimise_adds_the_roadmap_as_one_undoable_edit(page, qtbot, monkeypatch, document):
    before = document.plan
    answer_dialog(monkeypatch, budget="4m", concurrent="3", early_exits=False)
    page.optimise_button.click()
    finished(qtbot, page)
    expected = optimise(before, Limits(4e6, 3, False))
    assert document.plan == expected.plan
    assert read_plan(document.path) == document.plan  # saved as it was made
    assert document.undo_stack.count() == 1
    assert document.undo_stack.text(0) == "Add the optimised roadmap"
    assert page.option.currentText() == "Optimised roadmap"
    assert page.exits.rowCount() == 0  # no early exits, as asked
    assert not page.outcome.isHidden() and "within the cap of £4.00m" in page.outcome.text()
    document.undo_stack.undo()
    assert document.plan == before


def test_the_dialog_starts_from_the_plans_limits(qtbot, document):
    plan = document.plan
    services = [s.code for s in plan.services]
    plan = plan.replace(budget_per_year=2_500_000.0, max_concurrent=2, allow_early_exits=False,
                        service_links=(ServiceLink(services[0], services[1],
                                                   LinkKind.BEFORE),))
    dialog = optimise_ui.OptimiseDialog(plan)
    qtbot.addWidget(dialog)
    assert (dialog.budget.text(), dialog.concurrent.text()) == ("2500000", "2")
    assert not dialog.early_exits.isChecked()
    assert dialog.limits() == Limits(2_500_000.0, 2, False, plan.service_links)
    dialog.concurrent.setText("")
    assert dialog.limits().max_concurrent is None
    dialog.budget.setText("lots")
    dialog._accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "expected a number, not 'lots'" in dialog.problem.text()
    dialog.budget.setText("-5")
    dialog._accept()
    assert "must not be negative" in dialog.problem.text()


def test_cancel_stops_the_optimiser_and_changes_nothing(page, qtbot, monkeypatch, document):
    solving = threading.Event()
    solve = optimiser._solve

    def slow_solve(plan, candidates, values, limits, cancelled, time_limit):
        solving.set()
        for _ in range(1000):  # as if the search were long: until Cancel is pressed
            if cancelled():
                break
            threading.Event().wait(0.01)
        return solve(plan, candidates, values, limits, cancelled, time_limit)

    monkeypatch.setattr(optimiser, "_solve", slow_solve)
    before, disk = document.plan, digest(document.path)
    answer_dialog(monkeypatch)
    page.optimise_button.click()
    qtbot.waitUntil(solving.is_set, timeout=10_000)
    dialog = page.findChild(QProgressDialog)
    dialog.show()
    button = dialog.findChild(QPushButton)
    assert button.text() == "Cancel"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    finished(qtbot, page)
    assert document.plan is before
    assert digest(document.path) == disk
    assert document.undo_stack.count() == 0
    assert page.outcome.text() == "Optimise cancelled: nothing was changed"


def test_limits_nothing_meets_are_refused_with_the_reason(page, qtbot, monkeypatch,
                                                          document):
    before = document.plan
    answer_dialog(monkeypatch, concurrent="0")
    page.optimise_button.click()
    finished(qtbot, page)
    assert document.plan is before
    assert not page.message.isHidden()
    assert page.message.text().startswith("Not optimised: no change fits the limits")


def test_the_service_links_are_edited_on_the_roadmap_page(page, document):
    page.add()
    (link,) = document.plan.service_links
    assert link.service != link.other
    assert read_plan(document.path).service_links == (link,)
