"""Editing what a plan holds from the window: sites, forces from the 43, a decision's forces."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView

from alliance_planner.samples.common import england_and_wales
from alliance_planner.ui.delegates import CodesEditor
from alliance_planner.ui.forces_page import ForcesPage
from alliance_planner.ui.main_window import PAGE_MAKERS
from alliance_planner.ui.pages import OptionsPage

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def shown(qtbot, page):
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def test_add_force_offers_the_43_with_their_public_figures(document, qtbot):
    page = shown(qtbot, PAGE_MAKERS["Forces"](document))
    assert isinstance(page, ForcesPage)
    page.add()
    dialog = page.dialog
    assert dialog.table.rowCount() == 43 - 2  # the plan's own two are not offered again
    dialog.filter.setText("wiltshire")
    assert [dialog.forces[r].code for r in range(dialog.table.rowCount())
            if not dialog.table.isRowHidden(r)] == ["wiltshire"]
    dialog.filter.clear()
    dialog.choose(["wiltshire", "gloucestershire"])
    assert dialog.add_button.isEnabled() and dialog.add_button.text() == "&Add 2 Forces"
    steps = document.undo_stack.count()
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    public = {f.code: f for f in england_and_wales()}
    added = document.plan.forces[2:]
    assert [f.code for f in added] == ["gloucestershire", "wiltshire"]
    assert added[1] == public["wiltshire"]  # officers, staff, population... as published
    assert document.plan.source(added[1].source) is not None  # cited, so the source came too
    assert document.undo_stack.count() == steps + 1
    assert page.table.source_row(page.table.currentIndex()) == 2
    document.undo_stack.undo()
    assert len(document.plan.forces) == 2


def test_add_force_can_still_add_a_blank_one(document, qtbot):
    page = shown(qtbot, ForcesPage(document))
    page.add()
    blank = next(b for b in page.dialog.findChildren(type(page.dialog.add_button))
                 if b.text() == "&Blank Force")
    qtbot.mouseClick(blank, Qt.MouseButton.LeftButton)
    assert document.plan.forces[-1].code == "new-force"


def test_the_sites_page_adds_and_edits_sites_and_options_close_them(document, qtbot):
    sites = shown(qtbot, PAGE_MAKERS["Sites"](document))
    assert document.plan.sites == ()
    sites.add()
    assert len(document.plan.sites) == 1
    name = [c.attr for c in sites.model.columns].index("name")
    assert sites.table.model().setData(sites.table.model().index(0, name), "Old HQ")
    assert document.plan.sites[0].name == "Old HQ"

    options = shown(qtbot, OptionsPage(document))
    ms = [o.code for o in document.plan.options].index("MS")
    options.select_option(ms)
    options.tabs.setCurrentWidget(options.closures)
    assert not options.closures.empty.isVisible()
    options.closures.add()  # a new site, closed by this option, in one step
    dialog = options.closures.dialog
    dialog.fill(name="Exeter data centre", force="dorset", annual_running_cost="250k",
                closes="2029")
    steps = document.undo_stack.count()
    dialog.add()
    site = document.plan.sites[-1]
    assert (site.code, site.name, site.force, site.annual_running_cost) == (
        "exeter-data-centre", "Exeter data centre", "dorset", 250_000.0)
    assert [(a.site, a.closure_year) for a in document.plan.options[ms].site_actions] == [
        ("exeter-data-centre", 2029)]
    assert document.undo_stack.count() == steps + 1
    options.closures.table.setCurrentIndex(options.sites.index(1, 0))
    options.closures.keep()
    assert document.plan.options[ms].site_actions == ()


def test_a_bad_site_is_said_in_the_form_and_kept(document, qtbot):
    options = shown(qtbot, OptionsPage(document))
    options.closures.add()
    dialog = options.closures.dialog
    dialog.fill(name="Depot", annual_running_cost="lots")
    dialog.add()
    assert dialog.problem.text() == "Running cost a year: expected a number, not 'lots'"
    assert dialog.isVisible() and document.plan.sites == ()
    dialog.fill(annual_running_cost="-1")
    dialog.add()
    assert "Sites › Depot › Running cost a year: must not be negative" in dialog.problem.text()
    dialog.reject()


def test_a_decisions_forces_are_ticked_from_a_list(document, qtbot):
    page = shown(qtbot, OptionsPage(document))
    ms = [o.code for o in document.plan.options].index("MS")
    page.select_option(ms)
    table = page.decisions_table
    row = [s.code for s in document.plan.services].index("security")
    forces = [c.attr for c in page.decisions.columns].index("forces")
    table.setCurrentIndex(table.model().index(row, forces))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    picker = next(w for w in table.viewport().findChildren(CodesEditor) if w.isVisible())
    assert picker.item(0).checkState() == Qt.CheckState.Checked  # every force, to start
    assert picker.item(2).text() == "dorset — Dorset"
    assert picker.height() > table.rowHeight(row)  # a list, not squeezed into the cell
    picker.setCurrentRow(2)
    qtbot.keyClick(picker, Qt.Key.Key_Space)  # ticking a force unticks 'every force'
    assert picker.item(0).checkState() == Qt.CheckState.Unchecked
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert document.plan.options[ms].decision_for("security").forces == ("dorset",)

    qtbot.keyClick(table, Qt.Key.Key_F2)
    picker = next(w for w in table.viewport().findChildren(CodesEditor) if w.isVisible())
    assert picker.codes() == ("dorset",)
    picker.item(0).setCheckState(Qt.CheckState.Checked)  # every force again
    assert picker.codes() == ()
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert document.plan.options[ms].decision_for("security").forces == ()


def test_an_editor_left_as_it_was_changes_nothing(document, qtbot):
    page = shown(qtbot, OptionsPage(document))
    table = page.decisions_table
    row = [s.code for s in document.plan.services].index("security")
    assert page.decisions.index(row, 0).data() == "no change"
    for attr in ("platform", "forces"):  # Return in a cell of a 'no change' row
        table.setCurrentIndex(table.model().index(
            row, [c.attr for c in page.decisions.columns].index(attr)))
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_F2)
        qtbot.keyClick(table.viewport().focusWidget(), Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert document.undo_stack.count() == 0
    assert document.plan.options[0].decision_for("security") is None


def test_a_decisions_forces_are_named_in_its_tooltip(document):
    page = OptionsPage(document)
    ms = [o.code for o in document.plan.options].index("MS")
    page.select_option(ms)
    forces = [c.attr for c in page.decisions.columns].index("forces")
    row = [s.code for s in document.plan.services].index("service-desk")
    assert page.decisions.index(row, forces).data(Qt.ItemDataRole.ToolTipRole) == \
        "Every force"
    page.decisions.setData(page.decisions.index(row, forces), "dorset")
    assert page.decisions.index(row, forces).data(Qt.ItemDataRole.ToolTipRole) == "Dorset"
