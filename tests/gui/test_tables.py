"""Copy, paste, sort and filter on the plan's tables, as a person uses them."""

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication

from alliance_planner import samples
from alliance_planner.store.planfile import write_new
from alliance_planner.ui.clipboard import from_tsv, to_tsv
from alliance_planner.ui.document import PlanDocument
from alliance_planner.ui.models import RAW_ROLE
from alliance_planner.ui.pages import PlanPage, RecordPage
from alliance_planner.ui.tables import CLIP_ROLE, FilterBar

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def national(qapp, tmp_path):
    path = tmp_path / "national.alliance"
    write_new(path, samples.build("national"))
    document = PlanDocument.open(path)
    yield document
    document.close()


def estate_page(qtbot, document):
    page = RecordPage(document, "estate", "Today's estate", "")
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    return page


def column(page, attr):
    return [c.attr for c in page.model.columns].index(attr)


def select(table, top, left, bottom, right):
    model = table.model()
    table.setCurrentIndex(model.index(top, left))
    table.selectionModel().select(QItemSelection(model.index(top, left),
                                                 model.index(bottom, right)),
                                  QItemSelectionModel.SelectionFlag.ClearAndSelect)


def test_tab_separated_text_round_trips_as_excel_writes_it():
    rows = [["a", "b\tc", 'say "hi"'], ["line\nbreak", "", "£1,200"]]
    text = to_tsv(rows)
    assert text == 'a\t"b\tc"\t"say ""hi"""\r\n"line\nbreak"\t\t£1,200\r\n'
    assert from_tsv(text) == rows
    assert from_tsv("1\t2\n3\t4") == [["1", "2"], ["3", "4"]]  # no last line break


def test_ctrl_c_copies_a_range_that_ctrl_v_pastes_back_as_one_undoable_edit(document, qtbot):
    page = estate_page(qtbot, document)
    table, cost, fte = page.table, column(page, "annual_running_cost"), column(page, "support_fte")
    assert table.model().index(0, column(page, "force")).data() == "devon-and-cornwall — " \
        "Devon & Cornwall"  # the name beside the code
    select(table, 0, cost, 1, fte)
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    copied = from_tsv(QGuiApplication.clipboard().text())
    estate = document.plan.estate
    assert copied == [["271327.5", "15.1"], ["1881698", "3.8"]]  # exact, as Excel reads them

    QGuiApplication.clipboard().setText("1000\t2\r\n3000\t4\r\n")
    select(table, 2, cost, 2, cost)  # pasted from the current cell, down and right
    steps = document.undo_stack.count()
    qtbot.keyClick(table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [(e.annual_running_cost, e.support_fte) for e in document.plan.estate[2:4]] == \
        [(1000.0, 2.0), (3000.0, 4.0)]
    assert document.undo_stack.count() == steps + 1
    document.undo_stack.undo()
    assert document.plan.estate == estate


def test_a_paste_changes_nothing_unless_every_cell_is_sound(document, qtbot):
    page = estate_page(qtbot, document)
    table, cost = page.table, column(page, "annual_running_cost")
    before = document.plan
    select(table, 0, cost, 0, cost)
    assert not table.paste_text("1000\t2\r\n3000\tlots\r\n")
    assert document.plan is before
    assert page.message.text() == ("Nothing was pasted. Today's estate › Devon & Cornwall, "
                                   "Field mobile data › Support FTE: expected a number, not "
                                   "'lots'")
    assert not table.paste_text("1000\t-2\r\n")  # read, but the plan would be invalid
    assert document.plan is before
    assert page.message.text().startswith("Nothing was pasted. Today's estate › ")
    assert "Support FTE: must not be negative" in page.message.text()
    select(table, table.model().rowCount() - 1, cost, table.model().rowCount() - 1, cost)
    assert not table.paste_text("1\r\n2\r\n")
    assert "more than the table has" in page.message.text()
    assert document.undo_stack.count() == 0


def test_one_value_fills_the_selection_and_a_whole_table_copies_with_its_headers(document,
                                                                                  qtbot):
    page = estate_page(qtbot, document)
    table, fte = page.table, column(page, "support_fte")
    select(table, 0, fte, 3, fte)
    assert table.paste_text("7")
    assert [e.support_fte for e in document.plan.estate[:4]] == [7.0] * 4
    table.selectAll()
    text = table.copy_text()
    lines = from_tsv(text)
    assert lines[0][:3] == ["Force", "Service", "Supplier"]
    assert len(lines) == len(document.plan.estate) + 1
    steps = document.undo_stack.count()
    select(table, 0, 0, 0, 0)
    assert table.paste_text(text)  # the table pasted back over itself: nothing changes
    assert document.undo_stack.count() == steps


def test_a_code_pasted_as_shown_with_its_name_is_read_as_the_code(document, qtbot):
    page = RecordPage(document, "sites", "Sites", "")
    qtbot.addWidget(page)
    page.add()
    force = column(page, "force")
    select(page.table, 0, force, 0, force)
    assert page.table.paste_text("dorset — Dorset")
    assert document.plan.sites[0].force == "dorset"


def test_plan_settings_paste_into_the_form(document, qtbot):
    page = PlanPage(document)
    qtbot.addWidget(page)
    amount = next(r for r, s in enumerate(page.model.settings) if s.attr == "savings_target")
    select(page.table, amount, 0, amount + 1, 0)
    assert page.table.paste_text("2m\r\n5\r\n")
    assert (document.plan.savings_target, document.plan.savings_target_years) == (2e6, 5)


def test_sort_and_filter_the_national_estate(national, qtbot):
    page = estate_page(qtbot, national)
    table, cost = page.table, column(page, "annual_running_cost")
    proxy = table.model()
    assert proxy.rowCount() == 860
    table.sortByColumn(cost, Qt.SortOrder.DescendingOrder)
    shown = [proxy.index(r, cost).data(RAW_ROLE) for r in range(proxy.rowCount())]
    assert shown == sorted(shown, reverse=True)
    assert national.plan.estate[0] is national.plan.estate[0]  # the plan keeps its order

    bar = page.findChild(FilterBar)
    qtbot.keyClicks(bar.box, "dorset")
    assert proxy.rowCount() == 20  # matched by code or by name, in any column
    assert bar.count.text() == "20 of 860 rows"
    assert all(proxy.index(r, 0).data() == "dorset — Dorset" for r in range(20))
    # an edit through the sorted, filtered view changes the row it shows
    top = proxy.index(0, cost)
    item = national.plan.estate[proxy.mapToSource(top).row()]
    table.setCurrentIndex(top)
    assert proxy.setData(top, "1")
    changed = next(e for e in national.plan.estate
                   if (e.force, e.service) == (item.force, item.service))
    assert changed.annual_running_cost == 1.0
    assert proxy.rowCount() == 20 and proxy.index(0, cost).data(RAW_ROLE) == 1.0  # stays put
    table.show_source_row(0)  # a row the filter hides is wanted: the filter goes
    assert bar.box.text() == "" and proxy.rowCount() == 860
    assert table.source_row(table.currentIndex()) == 0


def test_a_row_added_to_a_filtered_table_is_shown(document, qtbot):
    page = RecordPage(document, "forces", "Forces", "")
    qtbot.addWidget(page)
    bar = page.findChild(FilterBar)
    bar.box.setText("dorset")
    assert page.table.model().rowCount() == 1
    page.add()
    assert bar.box.text() == ""
    assert page.table.source_row(page.table.currentIndex()) == len(document.plan.forces) - 1


def test_the_numbers_the_first_paint_passes_for_qt_enums_are_qts_own():
    from alliance_planner.ui import qt_numbers

    roles = Qt.ItemDataRole
    qts = {"FONT_ROLE": roles.FontRole, "TEXT_ALIGNMENT_ROLE": roles.TextAlignmentRole,
           "ACCESSIBLE_TEXT_ROLE": roles.AccessibleTextRole, "USER_ROLE": roles.UserRole,
           "ALIGN_RIGHT_MIDDLE": Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
           "VERTICAL": Qt.Orientation.Vertical}
    ours = {name: value for name, value in vars(qt_numbers).items() if name.isupper()}
    assert ours == {name: value.value for name, value in qts.items()}
    assert (roles.UserRole.value + 1, roles.UserRole.value + 2) == (RAW_ROLE, CLIP_ROLE)
