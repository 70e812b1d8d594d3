"""Every table, chart and control of every page is named for screen readers, every chart is
described in words with its figures, and Tab leaves a table as it leaves any control."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from alliance_planner.samples.blank import new_alliance
from alliance_planner.ui.chart_widget import ChartWidget
from alliance_planner.ui.main_window import PAGES

CONTROLS = (QAbstractItemView, QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox,
            QTextEdit)
PARTS_OF = (QAbstractItemView, QComboBox, QAbstractSpinBox, QLineEdit, QTabBar)
"""A control inside one of these is a part of it (a combo box's list, a spin box's line,
a table's corner button), named by it."""


def _part(widget):
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, PARTS_OF):
            return True
        parent = parent.parentWidget()
    return False


def unnamed(root):
    """What a screen reader could not name, under `root`: (kind, what it shows). A control
    is checked, and so is anything Tab stops at (a chart's scrolling area, say)."""
    found = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, ChartWidget):
            if not widget.accessibleName():
                found.append(("chart", "a chart"))
            if widget.canvas is not None and not widget.canvas.accessibleName():
                found.append(("chart canvas", widget.accessibleName()))
            continue
        reached = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)  # by Tab
        if not (isinstance(widget, CONTROLS) or reached) or _part(widget) \
                or isinstance(widget, QHeaderView | QTabWidget | QTabBar) \
                or widget.objectName().startswith("qt_"):
            continue  # a tab is read by its words, a heading by its table's name; a bar's
            # overflow button is Qt's own
        name = widget.accessibleName()
        if not name and isinstance(widget, QAbstractButton):
            name = widget.text().replace("&", "")  # a button is read by its words
        if not name.strip():
            shown = getattr(widget, "text", lambda: "")() if hasattr(widget, "text") else ""
            found.append((type(widget).__name__, str(shown)[:40]))
    return found


def tabs_shown_in_turn(page):
    """Show every tab of every tab widget on the page, one after another."""
    for tabs in page.findChildren(QTabWidget):
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            yield tabs.widget(i)


def check_every_page(window, qtbot):
    for name in PAGES:
        window.show_page_named(name)
        page = window.pages[name]
        list(tabs_shown_in_turn(page))
        problems = unnamed(page)
        assert not problems, f"{name} page: unnamed {problems}"
        for view in page.findChildren(QAbstractItemView):
            if not isinstance(view, QHeaderView) and not _part(view):
                assert not view.tabKeyNavigation(), \
                    f"{name}: Tab is kept in {view.accessibleName()}"
        for chart in page.findChildren(ChartWidget):
            for _ in tabs_shown_in_turn(page):
                if chart.isVisible():
                    break
            assert chart.isVisible(), f"{name}: {chart.accessibleName()} is never shown"
            qtbot.waitUntil(lambda chart=chart: chart.draw_count > 0 and not chart._stale,
                            timeout=20_000)
            description = chart.accessibleDescription()
            assert description and description != chart.accessibleName(), \
                f"{name}: {chart.accessibleName()} is not described"
            assert chart.canvas.accessibleDescription() == description
            assert chart.scroll.accessibleDescription() == description  # where Tab stops
            yield name, chart.accessibleName(), description
    window.history.show()
    assert not unnamed(window), "the window around the pages"  # navigator, toolbar, history


def test_every_page_of_a_plan_names_its_controls_and_describes_its_charts(window, qtbot):
    described = dict(((page, chart), text)
                     for page, chart, text in check_every_page(window, qtbot))
    assert len(described) == 7  # every chart of the window
    compare = described["Compare", "Comparison charts"]
    plan, results = window.document.plan, window.document.results
    npv = results.npv[[o.code for o in plan.options].index("MS")]
    assert f"Single managed service (£70m, 10 years): NPV £{npv / 1e6:,.2f}m" in compare
    assert "savings target" in compare or "no savings target" in compare
    assert described["Benchmarking", "Benchmark chart: each force, dearest first"].startswith(
        "Whole estate, £ a year per officer, dearest first: ")


def test_a_new_alliance_is_described_too(open_window, qtbot):
    window = open_window(new_alliance(["dorset", "wiltshire"]))
    described = {chart: text for _, chart, text in check_every_page(window, qtbot)}
    assert described["Roadmap chart"].endswith("no service changes. No early exits.")
    assert "no force runs it yet" in described["Benchmark chart: each force, dearest first"]


@pytest.fixture
def focused(window, qtbot):
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def test_tab_and_ctrl_tab_leave_a_table(focused, qtbot):
    window = focused
    window.show_page_named("Forces")
    table = window.pages["Forces"].table
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 1))
    assert QApplication.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    assert table.currentIndex().column() == 1  # the cell stays as it was
    shift = Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, shift)
    assert QApplication.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is not table


def test_ctrl_tab_in_a_table_inside_tabs_goes_to_the_next_tab(focused, qtbot):
    window = focused
    window.show_page_named("Compare")
    compare = window.pages["Compare"]
    compare.table.setFocus()
    assert compare.tabs.currentIndex() == 0
    qtbot.keyClick(compare.table, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert compare.tabs.currentIndex() == 1


def test_tab_while_editing_a_cell_moves_to_the_next_cell(focused, qtbot):
    window = focused
    window.show_page_named("Forces")
    table = window.pages["Forces"].table
    officers = [c.attr for c in window.pages["Forces"].model.columns].index("officers")
    table.setFocus()
    table.setCurrentIndex(table.model().index(1, officers))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "1500")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert window.document.plan.forces[1].officers == 1500
    assert table.currentIndex().column() == officers + 1  # on, as in a spreadsheet
    assert table.isAncestorOf(QApplication.focusWidget())  # editing the next cell


def test_the_dialogs_name_their_controls(window, qtbot):
    from alliance_planner.samples.common import england_and_wales
    from alliance_planner.ui.export import BoardPackDialog, SummaryDialog
    from alliance_planner.ui.forces_page import AddForceDialog
    from alliance_planner.ui.new_alliance import NewAllianceDialog
    from alliance_planner.ui.optimise import OptimiseDialog
    from alliance_planner.ui.sites import NewSiteDialog
    from alliance_planner.ui.versions import VersionsDialog

    document = window.document
    dialogs = [BoardPackDialog(document.path.with_suffix(".xlsx"), None, window),
               SummaryDialog(document.path.with_suffix(".pdf"), None, window),
               AddForceDialog({f.code for f in document.plan.forces}, window),
               NewAllianceDialog(england_and_wales(), window),
               OptimiseDialog(document.plan, window),
               NewSiteDialog(document, 0, window),
               VersionsDialog(document, lambda _: None, window)]
    for dialog in dialogs:
        problems = unnamed(dialog)
        assert not problems, f"{dialog.windowTitle()}: unnamed {problems}"
        for view in dialog.findChildren(QAbstractItemView):
            if not isinstance(view, QHeaderView) and not _part(view):
                assert not view.tabKeyNavigation(), \
                    f"{dialog.windowTitle()}: Tab is kept in {view.accessibleName()}"
        dialog.deleteLater()
