"""The window's editing bugs, each driven as a person meets it: typing into cells."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from alliance_planner.store.planfile import PlanFileError
from alliance_planner.ui.pages import OptionsPage, PlanPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def type_into(qtbot, table, row, column, text):
    """F2 on a cell, the text typed over what is there, Return."""
    table.setCurrentIndex(table.model().index(row, column))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = next(w for w in table.viewport().findChildren(QLineEdit) if w.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, text) if text else qtbot.keyClick(editor, Qt.Key.Key_Delete)
    closed = []
    editor.destroyed.connect(lambda: closed.append(True))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(closed))  # a refused edit's editor then opens again


def shown(qtbot, page):
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def setting_row(page, attr):
    return next(r for r, s in enumerate(page.model.settings) if s.attr == attr)


def test_a_savings_target_is_set_and_cleared_on_the_plan_page(document, qtbot):
    page = shown(qtbot, PlanPage(document))
    amount, years = setting_row(page, "savings_target"), setting_row(page, "savings_target_years")
    horizon = document.plan.horizon_years
    document.edit(document.plan.replace(savings_target=None, savings_target_years=None), "none")

    type_into(qtbot, page.table, amount, 0, "5m")  # the amount alone: due within the horizon
    assert (document.plan.savings_target, document.plan.savings_target_years) == (5e6, horizon)
    assert not page.message.isVisible()
    type_into(qtbot, page.table, years, 0, "4")
    assert (document.plan.savings_target, document.plan.savings_target_years) == (5e6, 4)

    type_into(qtbot, page.table, years, 0, "")  # clearing either half clears the target
    assert (document.plan.savings_target, document.plan.savings_target_years) == (None, None)
    assert not page.message.isVisible()

    type_into(qtbot, page.table, years, 0, "6")  # years alone: break even within them
    assert (document.plan.savings_target, document.plan.savings_target_years) == (0.0, 6)
    type_into(qtbot, page.table, amount, 0, "")
    assert (document.plan.savings_target, document.plan.savings_target_years) == (None, None)
    document.undo_stack.undo()  # one step each, undone whole
    assert (document.plan.savings_target, document.plan.savings_target_years) == (0.0, 6)


def test_the_status_bar_says_saved_only_once_something_is_saved(window, qtbot):
    assert window.file_label.text() == "sw.alliance"  # opened: nothing written yet
    assert "Saved" not in window.file_label.text()
    forces = window.pages["Forces"]
    forces.model.setData(forces.model.index(0, 2), "1500")
    assert window.file_label.text() == "Saved to sw.alliance"


def test_the_title_names_the_file_then_the_plan_and_marks_what_is_unsaved(window, qtbot,
                                                                          monkeypatch):
    document = window.document
    title = window.windowTitle()
    assert title == f"sw.alliance[*] — {document.plan.name} — Alliance Planner"
    assert window.windowFilePath() == str(document.path)
    assert not window.isWindowModified()
    forces = window.pages["Forces"]
    forces.model.setData(forces.model.index(0, 2), "1500")

    def full_disk(*args, **kwargs):
        raise PlanFileError("the disk is full")

    monkeypatch.setattr(document.file, "save", full_disk)
    monkeypatch.setattr("alliance_planner.ui.main_window.QtWidgets.QMessageBox.warning",
                        lambda *args: None)
    document.undo_stack.undo()  # shown, but not saved
    assert window.isWindowModified()
    assert window.file_label.text() == "NOT SAVED: sw.alliance"


def test_a_refused_edit_says_where_in_words_and_keeps_what_was_typed(document, qtbot):
    page = shown(qtbot, OptionsPage(document))
    ms = [o.code for o in document.plan.options].index("MS")
    page.select_option(ms)
    row = [s.code for s in document.plan.services].index("radio-support")
    column = [c.attr for c in page.decisions.columns].index("transition_cost")
    before = document.plan
    type_into(qtbot, page.decisions_table, row, column, "-5")
    assert document.plan is before
    option, service = document.plan.options[ms].name, document.plan.services[row].name
    assert page.message.text() == (f"Options › {option} › {service} › Transition cost: must "
                                   "not be negative (got -5.0)")
    # the editor opens again on the cell, with what was typed, to be put right
    qtbot.waitUntil(lambda: page.decisions_table.state() == QAbstractItemView.State.EditingState)
    editor = next(w for w in page.decisions_table.viewport().findChildren(QLineEdit)
                  if w.isVisible())
    assert editor.text() == "-5"
    assert page.decisions_table.currentIndex().row() == row
    qtbot.keyClick(editor, Qt.Key.Key_Home)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)  # "5"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: document.plan is not before)
    assert document.plan.options[ms].decision_for("radio-support").transition_cost == 5.0
    assert not page.message.isVisible()


def test_a_typing_slip_names_the_cell_in_words(document, qtbot):
    page = shown(qtbot, OptionsPage(document))
    row = [s.code for s in document.plan.services].index("radio-support")
    column = [c.attr for c in page.decisions.columns].index("go_live_year")
    type_into(qtbot, page.decisions_table, row, column, "soon")
    option = document.plan.options[0].name
    assert page.message.text().startswith(f"Options › {option} › ")
    assert "Go-live: expected a year such as 2027" in page.message.text()
    qtbot.waitUntil(lambda: page.decisions_table.state() == QAbstractItemView.State.EditingState)
    qtbot.keyClick(page.decisions_table.focusWidget(), Qt.Key.Key_Escape)  # given up
    assert page.decisions_table.state() != QAbstractItemView.State.EditingState
