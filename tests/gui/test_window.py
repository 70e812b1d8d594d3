"""The window driven as a person would: type into cells, press keys, open files."""

import hashlib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QMessageBox, QWidget

from alliance_planner.domain.engine import appraise
from alliance_planner.store.planfile import read_plan
from alliance_planner.ui.main_window import PAGES
from alliance_planner.ui.models import RAW_ROLE


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def go_to(window, qtbot, name):
    """By the keyboard: Ctrl+1 to Ctrl+9, Ctrl+0 for the tenth page, then Ctrl+PgDown."""
    index = PAGES.index(name)
    digit = min(index, 9)
    qtbot.keyClick(window, Qt.Key.Key_1 + digit if digit < 9 else Qt.Key.Key_0,
                   Qt.KeyboardModifier.ControlModifier)
    for _ in range(index - digit):
        qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    page = window.pages[name]
    assert window.stack.currentWidget() is page
    return page


def type_into(qtbot, table, row, column, text):
    index = table.model().index(row, column)
    table.setCurrentIndex(index)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editors = [w for w in table.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editors) == 1, "F2 opens one editor on the cell"
    editor = editors[0]
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits on a queued call, as it does for a person.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def estate_cell(page, force, service, header):
    model = page.model
    row = next(r for r in range(model.rowCount())
               if model.row_label(r) == f"{force}/{service}")
    column = next(c for c, col in enumerate(model.columns) if col.header == header)
    return row, column


def npv_of(window, code):
    compare = window.pages["Compare"]
    o = [opt.code for opt in window.document.plan.options].index(code)
    return compare.model.index(0, o).data(RAW_ROLE)


def test_opens_on_the_overview_and_compare_has_the_engines_figures(window, qtbot):
    assert window.stack.currentWidget() is window.pages["Overview"]
    expected = appraise(read_plan(window.document.path))
    for o, option in enumerate(window.document.plan.options):
        assert npv_of(window, option.code) == expected.npv[o]
    compare = go_to(window, qtbot, "Compare")
    qtbot.waitUntil(lambda: compare.chart.draw_count >= 1, timeout=10_000)


def test_edit_a_cost_see_compare_change_undo_and_reopen(window, qtbot):
    page = go_to(window, qtbot, "Today's estate")
    before = npv_of(window, "MS")
    row, column = estate_cell(page, "dorset", "service-desk", "Running cost a year")
    type_into(qtbot, page.table, row, column, "400000")
    assert page.model.index(row, column).data(RAW_ROLE) == 400_000.0
    after = npv_of(window, "MS")
    assert after != before
    # The figure shown is the engine's figure for the plan as saved on disk.
    on_disk = read_plan(window.document.path)
    assert after == appraise(on_disk).npv[[o.code for o in on_disk.options].index("MS")]
    compare = go_to(window, qtbot, "Compare")
    qtbot.waitUntil(lambda: not compare.chart._stale, timeout=5000)
    # Undo with the keyboard restores the figure and the file.
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert npv_of(window, "MS") == before
    assert read_plan(window.document.path) == window.document.plan
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert npv_of(window, "MS") == after
    # A crash now would lose nothing: a fresh reader finds the edit.
    reopened = read_plan(window.document.path)
    estate = {(e.force, e.service): e for e in reopened.estate}
    assert estate[("dorset", "service-desk")].annual_running_cost == 400_000.0


def test_a_bad_value_is_refused_with_the_reason(window, qtbot):
    page = go_to(window, qtbot, "Today's estate")
    row, column = estate_cell(page, "dorset", "service-desk", "Support FTE")
    plan, disk = window.document.plan, digest(window.document.path)
    type_into(qtbot, page.table, row, column, "-3")
    assert page.message.isVisible()
    assert "Dorset, Service desk › Support FTE: must not be negative (got -3" \
        in page.message.text()
    assert "Not changed" in window.statusBar().currentMessage()
    assert window.document.plan is plan
    assert digest(window.document.path) == disk
    type_into(qtbot, page.table, row, column, "4")  # a good edit clears the message
    assert not page.message.isVisible()


def test_open_a_damaged_file_shows_a_message(window, qtbot, tmp_path, monkeypatch):
    damaged = tmp_path / "damaged.alliance"
    data = bytearray(window.document.path.read_bytes())
    for start in range(4096, len(data), 4096):
        data[start:start + 64] = b"\xff" * 64
    damaged.write_bytes(bytes(data))
    before = digest(damaged)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: shown.append((title, text)))
    current = window.document
    window.open_path(damaged)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert shown[0][0] == "Cannot open the plan"
    assert str(damaged) in shown[0][1] and "is damaged" in shown[0][1]
    assert window.document is current  # still working on the plan it had
    assert digest(damaged) == before


def test_open_another_plan_and_recent_files(window, qtbot, tmp_path):
    from alliance_planner import samples
    from alliance_planner.store.planfile import write_new

    other = tmp_path / "mobile.alliance"
    write_new(other, samples.build("mobile-data"))
    window.open_path(other)
    qtbot.waitUntil(lambda: window.document.path == other, timeout=10_000)
    assert "Staffordshire: mobile data" in window.windowTitle()
    assert window.recent_files()[0] == str(other)
    assert window.settings.value("last_plan") == str(other)
    compare = window.pages["Compare"]
    assert compare.model.columnCount() == len(window.document.plan.options)


def test_options_page_edits_the_selected_options_decisions(window, qtbot):
    page = go_to(window, qtbot, "Options")
    ms = [o.code for o in window.document.plan.options].index("MS")
    page.options.table.setCurrentIndex(page.options.model.index(ms, 1))
    assert page.decisions.option_index == ms
    services = [s.code for s in window.document.plan.services]
    columns = [c.attr for c in page.decisions.columns]
    type_into(qtbot, page.decisions_table, services.index("field-mobile"),
              columns.index("officer_hours_per_week"), "1200")
    decision = window.document.plan.options[ms].decision_for("field-mobile")
    assert decision.officer_hours_per_week == 1200
    from alliance_planner.domain.headlines import BY_KEY, HEADLINES

    hours = HEADLINES.index(BY_KEY["officer_hours_released_per_week"])
    assert window.pages["Compare"].model.index(hours, ms).data(RAW_ROLE) == 1200 + 250


def test_history_view_lists_edits(window, qtbot):
    page = go_to(window, qtbot, "Forces")
    page.table.setCurrentIndex(page.table.model().index(1, 2))
    type_into(qtbot, page.table, 1, 2, "1500")
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.history.isVisible()
    assert window.undo_view.model().rowCount() == 2  # "Opened" and the edit


def test_roadmap_flags_early_exits(window, qtbot):
    page = go_to(window, qtbot, "Roadmap")
    assert window.document.plan.options[page.option.currentIndex()].code == "MS"
    assert page.exits.rowCount() > 0
    qtbot.waitUntil(lambda: page.chart.draw_count >= 1, timeout=5000)


def test_every_control_has_a_name_for_screen_readers(window, qtbot):
    for name in PAGES:
        go_to(window, qtbot, name)
    exempt = ("QScrollBar", "QSplitterHandle", "QHeaderView", "QTabBar", "QToolButton",
              "QStackedWidget", "QWidget")
    unnamed = [
        type(widget).__name__ for widget in window.findChildren(QWidget)
        if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and widget.isVisibleTo(window)
        and not (widget.accessibleName() or getattr(widget, "text", lambda: "")())
        and type(widget).__name__ not in exempt
    ]
    assert unnamed == []


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_from_the_keyboard(window, qtbot, name):
    go_to(window, qtbot, name)


def test_export_board_pack_from_the_window(window, qtbot, tmp_path):
    from alliance_planner.exchange.inputs import read_inputs

    target = tmp_path / "board.xlsx"
    window.export_board_pack(target)
    qtbot.waitUntil(target.exists, timeout=20_000)
    qtbot.waitUntil(lambda: "Board pack written" in window.statusBar().currentMessage(),
                    timeout=20_000)
    assert read_inputs(target) == window.document.plan


def test_import_a_workbook_with_problems_shows_them_all(window, qtbot, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from alliance_planner.exchange.template import write_template

    workbook = tmp_path / "filled.xlsx"
    write_template(workbook, window.document.plan)
    wb = load_workbook(workbook)
    wb["Estate"]["E2"] = "lots"
    wb["Forces"]["C3"] = -5
    wb.save(workbook)
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.detailedText()))
    target = tmp_path / "imported.alliance"
    window.import_workbook(workbook, target)
    qtbot.waitUntil(lambda: bool(shown), timeout=20_000)
    assert "Estate row 2, Running cost a year: expected a number, not 'lots'" in shown[0]
    assert not target.exists()


def test_import_a_good_workbook_opens_the_new_plan(window, qtbot, tmp_path):
    from alliance_planner import samples
    from alliance_planner.exchange.template import write_template

    workbook = tmp_path / "mobile.xlsx"
    write_template(workbook, samples.build("mobile-data"))
    target = tmp_path / "mobile.alliance"
    window.import_workbook(workbook, target)
    qtbot.waitUntil(lambda: window.document.path == target, timeout=20_000)
    assert window.document.plan == samples.build("mobile-data")


def test_an_edit_updates_the_chart_data_without_a_full_redraw(window, qtbot):
    compare = go_to(window, qtbot, "Compare")
    qtbot.waitUntil(lambda: compare.chart.draw_count >= 1 and compare.compare is not None,
                    timeout=10_000)
    estate = window.pages["Today's estate"]
    row, column = estate_cell(estate, "dorset", "service-desk", "Running cost a year")
    before = compare.compare.key
    assert estate.model.setData(estate.model.index(row, column), "130000")
    qtbot.waitUntil(lambda: not compare.chart._stale, timeout=5000)
    results = window.document.results
    lines = compare.chart.figure.axes[0].lines
    assert compare.compare.key == before  # updated in place, blitted
    for o in range(len(window.document.plan.options)):
        assert list(lines[o].get_ydata()) == pytest.approx(list(results.total_cost[o] / 1e6))


def test_what_the_first_paint_leaves_out_is_in_place_once_the_window_is_ready(
        open_window, qtbot, sample_file, tmp_path):
    """The Edit menu's keys, the history dock where it was left, and sorting by a heading
    of the Overview's tables: made after the first paint, without the Qt namespace."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QKeySequence

    from alliance_planner.ui import first_paint

    first_paint.hold()  # as the program's start does (ui/app.py)
    window = open_window(sample_file, charts=False)
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert QKeySequence("Ctrl+Y") in window.redo_action.shortcuts()
    assert window.add_action.shortcut() == QKeySequence("Ctrl+Shift+N")
    assert window.dockWidgetArea(window.history) == Qt.DockWidgetArea.RightDockWidgetArea
    assert not window.history.isVisible()
    ranked = window.pages["Overview"].ranked_table
    assert ranked.isSortingEnabled() and ranked.horizontalHeader().sortIndicatorSection() == -1
    ranked.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # NPV, largest first
    npv = [ranked.model().index(r, 2).data(RAW_ROLE) for r in range(ranked.model().rowCount())]
    assert npv == sorted(npv, reverse=True)

    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, window.history)
    window.history.show()
    window.close()  # the window's place and its docks are saved
    again = open_window(sample_file, charts=False)
    assert again.settings.fileName() == str(tmp_path / "settings.ini")
    assert again.dockWidgetArea(again.history) == Qt.DockWidgetArea.LeftDockWidgetArea
    assert again.history.isVisible()
    assert isinstance(again.settings, QSettings)
