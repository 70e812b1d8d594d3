"""The Benchmarking page: whose estate is dear, per officer and per 1,000 population."""

import dataclasses
import math

import pytest
from PySide6.QtCore import Qt

from alliance_planner import samples
from alliance_planner.domain.benchmarking import WHOLE_ESTATE, benchmarking
from alliance_planner.samples.blank import new_alliance
from alliance_planner.ui.benchmarking import AVERAGE_ROW, CHEAP, DEAR, SHADES
from alliance_planner.ui.models import RAW_ROLE


@pytest.fixture
def open_plan(open_window):
    """The window on a plan, showing its Benchmarking page."""

    def open_(plan):
        window = open_window(plan)
        window.show_page_named("Benchmarking")
        return window, window.pages["Benchmarking"]

    return open_


def column_texts(view, column):
    model = view.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_national_plan_each_force_against_the_average_the_dear_marked(open_plan, qtbot):
    window, page = open_plan(samples.build("national"))
    plan = window.document.plan
    found = benchmarking(plan)
    model = page.model
    assert column_texts(page.table, 0) == [f.name for f in plan.forces] + [AVERAGE_ROW]
    assert model.columnCount() == 2 + len(plan.services)
    dear = cheap = 0
    for r, force in enumerate(plan.forces):
        for c, service in enumerate([WHOLE_ESTATE] + [s.code for s in plan.services], 1):
            b = found.row(force.code, service)
            cell = model.index(r, c)
            if b is None:
                assert cell.data() == "–"
                continue
            assert cell.data(RAW_ROLE) == pytest.approx(b.per_officer)
            assert cell.data().startswith(f"£{b.per_officer:,.0f}")
            shade = cell.data(Qt.ItemDataRole.BackgroundRole)
            if b.versus_average >= DEAR:
                dear += 1
                assert "▲" in cell.data() and shade is not None
                assert shade.name() in (SHADES["dear"], SHADES["very dear"])
                assert "above the alliance's average" in cell.data(
                    Qt.ItemDataRole.ToolTipRole)
            elif b.versus_average <= CHEAP:
                cheap += 1
                assert "▼" in cell.data() and shade.name() == SHADES["cheap"]
            else:
                assert shade is None and "▲" not in cell.data()
    assert dear and cheap  # the sample has both, or the test proves nothing
    average = model.index(len(plan.forces), 1)
    assert average.data() == f"£{found.averages[WHOLE_ESTATE].per_officer:,.0f}"
    assert average.data(Qt.ItemDataRole.FontRole).bold()
    # the chart names all 43 forces, each legible: it scrolls
    page.tabs.setCurrentWidget(page.chart)
    qtbot.waitUntil(lambda: page.chart.draw_count > 0, timeout=10_000)
    names = {t.get_text() for t in page.chart.figure.axes[0].get_yticklabels()}
    assert len(names) == 43
    assert page.chart.canvas.minimumHeight() >= 43 * 17


def test_per_1000_population_and_sorting_keep_the_average_last(window, qtbot):
    window.show_page_named("Benchmarking")
    page = window.pages["Benchmarking"]
    plan = window.document.plan
    found = benchmarking(plan)
    page.per.setCurrentIndex(page.per.findData("people"))
    for r, force in enumerate(plan.forces):
        b = found.row(force.code, WHOLE_ESTATE)
        assert page.model.index(r, 1).data(RAW_ROLE) == pytest.approx(b.per_thousand_people)
    assert "per 1,000 population" in page.model.headerData(1, Qt.Orientation.Horizontal,
                                                           Qt.ItemDataRole.ToolTipRole)
    for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
        page.table.sortByColumn(1, order)
        shown = column_texts(page.table, 0)
        assert shown[-1] == AVERAGE_ROW
        figures = [page.table.model().index(r, 1).data(RAW_ROLE)
                   for r in range(len(shown) - 1)]
        assert figures == sorted(figures, reverse=order == Qt.SortOrder.DescendingOrder)


def test_an_estate_edit_is_benchmarked_at_once(window, qtbot):
    window.show_page_named("Benchmarking")
    page = window.pages["Benchmarking"]
    document = window.document
    plan = document.plan
    item = plan.estate[0]
    force = [f.code for f in plan.forces].index(item.force)
    before = page.model.index(force, 1).data(RAW_ROLE)
    dearer = dataclasses.replace(item, annual_running_cost=item.annual_running_cost + 1e6)
    document.edit(plan.replace(estate=(dearer, *plan.estate[1:])), "Dearer")
    officers = plan.forces[force].officers
    assert page.model.index(force, 1).data(RAW_ROLE) == pytest.approx(
        before + 1e6 / officers, rel=1e-3)  # the base year's prices: factor about 1


def test_clicking_a_column_charts_that_service(window, qtbot):
    window.show_page_named("Benchmarking")
    page = window.pages["Benchmarking"]
    plan = window.document.plan
    page.table.setCurrentIndex(page.table.model().index(0, 3))
    assert page.service.currentText() == plan.services[1].name
    service, names, _, average = page.chart_figures()
    assert service == plan.services[1].name and names == [f.name for f in plan.forces]
    assert average == pytest.approx(
        benchmarking(plan).averages[plan.services[1].code].per_officer)


def test_a_new_alliance_with_no_estate_says_what_to_do(open_plan, qtbot):
    _, page = open_plan(new_alliance(["dorset", "wiltshire"]))
    assert page.empty.isVisible()
    assert "Today's estate" in page.empty.text()
    assert column_texts(page.table, 1) == ["–", "–", "–"]
    page.tabs.setCurrentWidget(page.chart)
    qtbot.waitUntil(lambda: page.chart.draw_count > 0, timeout=10_000)
    _, _, figures, average = page.chart_figures()
    assert all(math.isnan(f) for f in figures) and math.isnan(average)
    texts = [t.get_text() for t in page.chart.figure.axes[0].texts]
    assert any("No force runs" in t for t in texts)
