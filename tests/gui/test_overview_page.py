"""The Overview page and Compare's marks and each-force view, in the window."""

import pytest
from PySide6.QtCore import QSettings, Qt, QUrl

from alliance_planner.domain.engine import appraise
from alliance_planner.domain.overview import RISK_RUNS, overview
from alliance_planner.domain.risk import DEFAULT_SEED, simulate
from alliance_planner.ui.document import PlanDocument
from alliance_planner.ui.main_window import PAGES, MainWindow
from alliance_planner.ui.models import RAW_ROLE


def cells(view, column):
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_overview_says_what_to_back_and_why(window, qtbot):
    page = window.pages["Overview"]
    assert window.stack.currentWidget() is page and PAGES[0] == "Overview"
    plan = window.document.plan
    expected = overview(plan, appraise(plan))
    text = page.card.toPlainText()
    assert "Recommended: Single managed service (£70m, 10 years)" in text
    assert "The plan marks it preferred" in text
    for figure in ("£26.19m", "£12.34m", "2030/31", "£6.90m", "12.0 FTE",
                   "37.4 fewer than business as usual", "850 a week"):
        assert figure in text
    assert f"Needs attention ({len(expected.attention)})" in text
    assert "8 go-lives before a contract ends" in text
    # the options ranked, best first, the recommended in bold
    assert cells(page.ranked_table, 1) == [plan.options[x.option].name for x in expected.ranked]
    bold = page.ranked.index(0, 1).data(Qt.ItemDataRole.FontRole)
    assert bold is not None and bold.bold()
    assert page.ranked.index(0, 1).data(Qt.ItemDataRole.AccessibleTextRole).endswith(
        "(recommended)")
    # each force's share of it, filled when its tab is shown
    page.tabs.setCurrentWidget(page.forces_tab)
    assert cells(page.forces_table, 0) == [f.name for f in plan.forces]
    assert sum(page.forces.index(r, 3).data(RAW_ROLE)
               for r in range(page.forces.rowCount())) == pytest.approx(
        expected.recommendation.one_off)


def test_the_chance_of_a_positive_npv_arrives_off_the_gui_thread(window, qtbot):
    page = window.pages["Overview"]
    qtbot.waitUntil(lambda: page.chance is not None, timeout=10_000)
    plan = window.document.plan
    sim = simulate(plan, RISK_RUNS, DEFAULT_SEED)
    assert page.chance.positive == sim.p_npv_positive[sim.preferred]
    assert f"{page.chance.positive:.0%}" in page.card.toPlainText()
    assert f"of {RISK_RUNS:,} Monte Carlo draws" in page.card.toPlainText()


def test_an_edit_out_of_sight_is_shown_when_the_page_is_seen(window, qtbot):
    page = window.pages["Overview"]
    window.show_page_named("Options")
    options = window.pages["Options"].options.model
    role = [c.attr for c in options.columns].index("role")
    dm = [o.code for o in window.document.plan.options].index("DM")
    assert options.setData(options.index(dm, role), "preferred")
    assert "Do minimum" not in page.card.toPlainText().split("\n")[0]  # not redone unseen
    window.show_page_named("Overview")
    assert page.card.toPlainText().startswith("Recommended: Do minimum: shared service desk")
    assert "higher NPSV than the preferred" in page.card.toPlainText()
    qtbot.waitUntil(lambda: page.chance is not None
                    and page.chance.option_code == "DM", timeout=10_000)


def test_a_link_in_what_needs_attention_opens_its_page(window, qtbot):
    page = window.pages["Overview"]
    assert "Roadmap page" in page.card.toPlainText()
    page.card.anchorClicked.emit(QUrl(f"go:{page._links.index('Roadmap')}"))
    assert window.stack.currentWidget() is window.pages["Roadmap"]


def test_a_plan_reopens_on_the_page_it_was_left_on(qtbot, tmp_path, sample_file):
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)

    def open_window(path):
        document = PlanDocument.open(path)
        window = MainWindow(document, store)
        document.setParent(window)
        qtbot.addWidget(window)
        return window

    first = open_window(sample_file)
    assert first.stack.currentWidget() is first.pages["Overview"]
    first.show_page_named("Roadmap")
    first.close()
    again = open_window(sample_file)
    assert again.stack.currentWidget() is again.pages["Roadmap"]
    again.close()
    other = tmp_path / "other.alliance"
    other.write_bytes(sample_file.read_bytes())
    assert open_window(other).navigator.currentRow() == PAGES.index("Overview")


def test_pages_step_with_ctrl_page_down_and_up(window, qtbot):
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window, Qt.Key.Key_PageDown, ctrl)
    assert window.navigator.currentRow() == 1
    qtbot.keyClick(window, Qt.Key.Key_PageUp, ctrl)
    qtbot.keyClick(window, Qt.Key.Key_PageUp, ctrl)  # round to the last
    assert window.navigator.currentRow() == len(PAGES) - 1


def test_compare_marks_the_plans_preferred_option_not_the_highest_npv(window, qtbot):
    compare = window.pages["Compare"]
    model = compare.model
    codes = [o.code for o in window.document.plan.options]
    ms = codes.index("MS")
    heading = model.headerData(ms, Qt.Orientation.Horizontal)
    assert heading.endswith("(preferred)")
    assert model.index(0, ms).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, codes.index("IH")).data(Qt.ItemDataRole.FontRole) is None
    # marked preferred, the do-minimum is marked, though MS has the higher NPV
    options = window.pages["Options"].options.model
    role = [c.attr for c in options.columns].index("role")
    assert options.setData(options.index(codes.index("DM"), role), "preferred")
    assert model.headerData(codes.index("DM"), Qt.Orientation.Horizontal).endswith(
        "(preferred)")
    assert model.index(0, ms).data(Qt.ItemDataRole.FontRole) is None


def test_each_force_in_any_option_in_total_and_by_year(window, qtbot):
    compare = window.pages["Compare"]
    window.show_page_named("Compare")
    each = compare.each_force
    compare.tabs.setCurrentWidget(each)
    r = window.document.results
    ih = [o.code for o in window.document.plan.options].index("IH")
    each.option.setCurrentIndex(ih)
    headers = [each.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(each.model.columnCount())]
    assert headers[:3] == ["Force", "Share", "NPV"]
    npv = [each.model.index(f, 2).data(RAW_ROLE) for f in range(each.model.rowCount())]
    assert npv == pytest.approx(list(r.force_npv[ih]))
    each.view.setCurrentIndex(each.view.findData("support_fte"))
    assert each.model.columnCount() == 1 + len(r.years)
    assert each.model.index(0, 1).data(RAW_ROLE) == pytest.approx(
        r.by_force["support_fte"][ih, 0, 0])
    qtbot.waitUntil(lambda: each.chart.ready and each.chart.draw_count >= 1, timeout=10_000)
    labels = [t.get_text() for t in each.chart.figure.axes[0].get_yticklabels()]
    assert sorted(labels) == sorted(f.name for f in window.document.plan.forces)



def test_a_figures_model_answers_as_a_table_model_of_its_own(qtbot):
    """The figures are Qt's own items (a view reads them without calling into Python), and
    the model answers as before: read-only cells, no row numbers, raw values to sort by,
    the marked row in bold and named so; new figures in the same shape are one change."""
    from PySide6.QtCore import QSortFilterProxyModel
    from PySide6.QtWidgets import QWidget

    from alliance_planner.ui import figure_tables as ft

    columns = (ft.Column("Option", str, figure=False), ft.Column("NPV", ft.money, "Its NPV"),
               ft.Column("Payback", ft.year))
    owner = QWidget()  # as a page owns its models
    qtbot.addWidget(owner)
    model = ft.FiguresModel(owner)
    model.set_table(columns, [("A", 2e6, None), ("B", 5e6, 2030)], 1, " (recommended)")
    assert (model.rowCount(), model.columnCount()) == (2, 3)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == \
        ["Option", "NPV", "Payback"]
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == \
        "Its NPV"
    assert model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    cell = model.index(0, 2)
    assert (cell.data(), cell.data(RAW_ROLE)) == ("never", float("inf"))
    assert cell.flags() == Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
    assert model.index(0, 0).data(Qt.ItemDataRole.TextAlignmentRole) is None
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(1, 2).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(1, 0).data(Qt.ItemDataRole.AccessibleTextRole) == "B (recommended)"
    assert model.index(1, 1).data(Qt.ItemDataRole.AccessibleTextRole) == "£5.00m"
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(RAW_ROLE)
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    resets, changes = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda *_: changes.append(1))
    model.set_table(columns, [("A", 9e6, 2031), ("B", 5e6, 2030)], 1, " (recommended)")
    assert (resets, changes) == ([], [1])
    assert [proxy.index(r, 0).data() for r in range(2)] == ["A", "B"]  # sorted again
    assert model.index(0, 2).data(RAW_ROLE) == 2031
    model.set_table(columns[:2], [("C", 1e6)])
    assert (resets, model.columnCount(), model.index(0, 0).data()) == ([1], 2, "C")
