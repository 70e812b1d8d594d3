"""The Risk page as a person uses it: the tornado and switching values of the plan as it is,
a Monte Carlo run equal to the domain's for the same seed, Cancel that leaves the last run
shown, figures marked out of date once the plan is edited, and a plan with no ranges."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from alliance_planner import samples
from alliance_planner.domain import risk
from alliance_planner.domain.green_book import OBCategory
from alliance_planner.domain.risk import simulate
from alliance_planner.domain.sensitivity import TOP, sensitivity
from alliance_planner.store.planfile import write_new
from alliance_planner.ui.document import PlanDocument
from alliance_planner.ui.models import RAW_ROLE
from alliance_planner.ui.risk import RiskPage

# The offscreen platform says this of any top-level window that is shown.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def make_page(qtbot, document) -> RiskPage:
    page = RiskPage(document)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    page.show()
    qtbot.waitExposed(page)
    page.chart.make_canvas()
    page.risk_chart.make_canvas()
    return page


@pytest.fixture
def page(qtbot, document):
    return make_page(qtbot, document)


def cells(model):
    return [[model.index(r, c).data(RAW_ROLE) for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def run(qtbot, page, runs, seed=7, correlation=0.5):
    page.runs.setValue(runs)
    page.seed.setValue(seed)
    page.correlation.setValue(correlation)
    page.tabs.setCurrentIndex(1)
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    finished(qtbot, page)


def finished(qtbot, page):
    qtbot.waitUntil(lambda: page.cancel_flag is None, timeout=30_000)


def test_the_tornado_of_the_preferred_option_is_the_domains(page, qtbot, document):
    s = sensitivity(document.plan)
    preferred = s.option_codes[s.preferred]
    assert page.option_code() == preferred
    qtbot.waitUntil(lambda: page.chart.draw_count >= 1, timeout=10_000)
    ax = page.chart.figure.axes[0]
    bars = s.tornado[preferred][:TOP]
    assert [t.get_text().replace("\n", " ") for t in ax.get_yticklabels()] == \
        [b.label for b in bars]
    ends = [p.get_x() + p.get_width() for p in ax.patches]  # low end, high end, per bar
    assert ends == pytest.approx([v / 1e6 for b in bars for v in (b.npsv_low, b.npsv_high)])
    assert page.switching.rowCount() == len(s.switching)
    first = s.switching[0]
    assert page.switching.index(0, 3).data(RAW_ROLE) == first.value
    assert page.switching.index(0, 4).data() == f"{first.change:+.0%}"
    # another option's tornado, from the selector
    other = next(code for code in s.tornado if code != preferred)
    page.option.setCurrentIndex(page.option.findData(other))
    qtbot.waitUntil(lambda: page.chart.figure.axes[0].get_yticklabels()[0].get_text()
                    .replace("\n", " ") == s.tornado[other][0].label, timeout=10_000)


def test_run_shows_the_domains_percentiles_for_the_seed(page, qtbot, document):
    run(qtbot, page, 2_000, seed=11, correlation=0.3)
    sim = simulate(document.plan, 2_000, 11, correlation=0.3)
    others = [o for o in range(len(sim.option_codes)) if o != sim.baseline]
    rows = cells(page.percentiles)
    assert len(rows) == len(others)
    npv, npsv = sim.percentiles(sim.npv), sim.percentiles(sim.npsv)
    for row, o in zip(rows, others, strict=True):
        assert row[1:7] == [*npv[:, o], *npsv[:, o]]  # to the bit: the same draws
        assert row[7] == sim.p_npv_positive[o]
        assert row[9] == (None if o == sim.preferred else sim.p_beats[o])
    preferred = sim.preferred
    force = cells(page.forces)
    f_npsv = sim.percentiles(sim.force_npsv)
    assert [r[4:7] for r in force] == [list(f_npsv[:, preferred, f])
                                       for f in range(len(sim.force_codes))]
    assert page.state.text().startswith("2,000 draws (seed 11) of 51 ranged inputs")
    qtbot.waitUntil(lambda: page.risk_chart.draw_count >= 1, timeout=10_000)
    assert len(page.risk_chart.figure.axes) == 2  # the histogram and the S-curve


def test_cancel_stops_the_run_and_leaves_the_last_one_shown(page, qtbot, monkeypatch):
    run(qtbot, page, 1_000)
    shown, before, drawn = page.last_run, cells(page.percentiles), page.risk_chart.draw_count
    started, go_on = threading.Event(), threading.Event()
    real_draw = risk.draw

    def slow_draw(*args, **kwargs):  # as if the draws were many: until Cancel is pressed
        started.set()
        go_on.wait(10)
        return real_draw(*args, **kwargs)

    monkeypatch.setattr(risk, "draw", slow_draw)
    page.runs.setValue(100_000)
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=10_000)
    assert not page.run_button.isEnabled()
    dialog = page.findChildren(QProgressDialog)[-1]  # the run's, shown as if slow to start
    dialog.show()
    button = dialog.findChild(QPushButton)
    assert button.text() == "Cancel"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    go_on.set()
    finished(qtbot, page)
    assert page.last_run is shown
    assert cells(page.percentiles) == before
    assert page.risk_chart.draw_count == drawn
    assert "cancelled" in page.state.text() and "1,000 draws" in page.state.text()
    assert page.run_button.isEnabled()


def test_an_edit_marks_the_run_out_of_date_and_undo_makes_it_current(page, qtbot, document):
    run(qtbot, page, 500)
    assert "Out of date" not in page.state.text()
    before = page.current_sensitivity()
    document.edit(document.plan.replace(cost_per_officer_hour=60.0), "Set the hour's value")
    assert page.is_out_of_date()
    assert page.state.text().startswith("<b>Out of date</b>")
    assert page.current_sensitivity() is not before  # the tornado follows the plan
    assert page.sensitivity.npsv.tolist() == sensitivity(document.plan).npsv.tolist()
    document.undo_stack.undo()
    assert not page.is_out_of_date()
    assert "Out of date" not in page.state.text()


def test_a_read_only_plan_with_no_ranges_runs_and_shows_the_note(qtbot, tmp_path):
    plan = samples.build("mobile-data")
    plan = plan.replace(options=tuple(
        dataclasses.replace(o, decisions=tuple(
            dataclasses.replace(d, cost_low=1.0, cost_high=1.0, benefit_low=1.0,
                                benefit_high=1.0, ob_category=OBCategory.STATED,
                                running_ob_category=OBCategory.STATED)
            for d in o.decisions)) for o in plan.options))
    path = tmp_path / "flat.alliance"
    write_new(path, plan)
    document = PlanDocument(*PlanDocument.open_file(path, read_only=True))
    try:
        assert document.read_only is not None
        page = make_page(qtbot, document)
        qtbot.waitUntil(lambda: page.chart.draw_count >= 1, timeout=10_000)
        assert "No ranged input" in page.chart.figure.axes[0].texts[0].get_text()
        run(qtbot, page, 200)
        assert page.last_run is not None and not page.note.isHidden()
        assert "no ranged inputs" in page.note.text()
        for row in cells(page.percentiles):
            assert np.ptp(row[1:4]) == 0 and np.ptp(row[4:7]) == 0  # P10 = P50 = P90
    finally:
        document.close()
