"""The charts, drawn with matplotlib's Agg backend: no display, no Qt."""

import dataclasses

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import StepPatch

from alliance_planner import charts, samples
from alliance_planner.domain.engine import appraise
from alliance_planner.domain.green_book import OBCategory
from alliance_planner.domain.risk import simulate
from alliance_planner.domain.sensitivity import TOP, sensitivity


@pytest.fixture
def figure():
    fig = Figure(figsize=(10, 5))
    FigureCanvasAgg(fig)
    return fig


@pytest.mark.parametrize("name", ["south-west-alliance", "operating-model-partner", "national"])
def test_every_chart_draws_each_option(figure, sample_plans, name):
    plan = sample_plans[name]
    r = appraise(plan)
    chart = charts.CompareChart(figure)
    chart.draw(plan, r)
    figure.canvas.draw()
    cost = figure.axes[0]
    assert len(cost.lines) >= len(plan.options)
    assert np.allclose(cost.lines[0].get_ydata(), r.total_cost[0] / 1e6)
    assert cost.get_title(loc="left") == "Net cost by year"
    assert chart.artists and all(a.get_animated() for a in chart.artists)
    roadmap_fig = Figure()
    FigureCanvasAgg(roadmap_fig)
    ax = roadmap_fig.add_subplot()
    charts.roadmap(ax, plan, r, len(plan.options) - 1)
    assert len(ax.get_yticklabels()) == len(plan.services)


def test_a_small_edit_moves_the_data_in_place(figure, sample_plans):
    plan = sample_plans["south-west-alliance"]
    chart = charts.CompareChart(figure)
    chart.draw(plan, appraise(plan))
    estate = list(plan.estate)
    estate[0] = dataclasses.replace(estate[0], annual_running_cost=estate[0].annual_running_cost
                                    * 1.02)
    edited = plan.replace(estate=tuple(estate))
    r = appraise(edited)
    assert chart.update(edited, r)
    assert np.allclose(figure.axes[0].lines[2].get_ydata(), r.total_cost[2] / 1e6)
    assert np.allclose(figure.axes[1].lines[0].get_ydata(), np.cumsum(r.savings[1]) / 1e6)


def test_a_big_or_structural_edit_asks_for_a_full_redraw(figure, sample_plans):
    plan = sample_plans["south-west-alliance"]
    chart = charts.CompareChart(figure)
    chart.draw(plan, appraise(plan))
    estate = tuple(dataclasses.replace(e, annual_running_cost=e.annual_running_cost * 10)
                   for e in plan.estate)
    bigger = plan.replace(estate=estate)
    assert not chart.update(bigger, appraise(bigger))
    renamed = plan.replace(options=(dataclasses.replace(plan.options[0], name="BAU"),
                                    *plan.options[1:]))
    assert not chart.update(renamed, appraise(renamed))


def _bar_spans(ax):
    """Each tornado bar's two halves as (left, right) in £m, top bar first."""
    return [sorted((p.get_x(), p.get_x() + p.get_width())) for p in ax.patches]


def test_the_tornado_runs_each_bar_from_the_low_end_to_the_high_around_the_central(figure):
    plan = samples.build("south-west-alliance")
    s = sensitivity(plan)
    code = s.option_codes[s.preferred]
    central = float(s.npsv[s.preferred])
    ax = figure.add_subplot()
    charts.tornado(ax, s.tornado[code], central, "MS", charts.Theme())
    figure.canvas.draw()
    bars = s.tornado[code][:TOP]
    spans = _bar_spans(ax)
    assert len(spans) == 2 * len(bars)
    for bar, low_half, high_half in zip(bars, spans[::2], spans[1::2], strict=True):
        assert low_half == pytest.approx(sorted((central / 1e6, bar.npsv_low / 1e6)))
        assert high_half == pytest.approx(sorted((central / 1e6, bar.npsv_high / 1e6)))
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == bars[0].label and len(labels) == len(bars)
    assert all(len(line) <= charts.LABEL_WIDTH for label in labels for line in label.split("\n"))
    assert ax.yaxis_inverted()  # the largest swing on top
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert ticks and all(t.lstrip("-").startswith("£") and t.endswith("m") for t in ticks)


def test_a_tornado_with_no_bars_says_so(figure):
    ax = figure.add_subplot()
    charts.tornado(ax, (), 1e6, "Nothing ranged")
    assert len(ax.patches) == 0 and "No ranged input" in ax.texts[0].get_text()


def test_the_histogram_and_s_curve_show_each_option_but_the_baseline(figure):
    plan = samples.build("south-west-alliance")
    sim = simulate(plan, 600, seed=3)
    charts.risk_figure(figure, plan, sim)
    figure.canvas.draw()
    histogram, curve = figure.axes
    others = [o for o in range(len(sim.option_codes)) if o != sim.baseline]
    steps = [p for p in histogram.patches if isinstance(p, StepPatch)]
    assert len(steps) == len(others) + 1  # the preferred is filled, then outlined
    assert sum(p.get_fill() for p in steps) == 1
    # every option's P10, P50 and P90 are marked, where the domain puts them
    marked = sorted(round(line.get_xdata()[0], 9) for line in histogram.lines
                    if (line.get_gid() or "").startswith("P"))
    expected = sorted(round(float(v), 9) for o in others
                      for v in sim.percentiles(sim.npsv[:, o]) / 1e6)
    assert marked == pytest.approx(expected)
    assert len(curve.lines) >= len(others)
    for line, o in zip(curve.lines, others, strict=False):
        x, y = line.get_xdata(), line.get_ydata()
        assert y[0] == 0 and y[-1] == 1 and np.all(np.diff(x) >= 0)
        assert np.interp(0.5, y, x) == pytest.approx(np.median(sim.npsv[:, o]) / 1e6)
    assert sim.option_codes[sim.preferred] in {o.code for o in plan.options}
    assert any("(preferred)" in t.get_text() for t in figure.legends[0].get_texts())


def test_a_run_with_no_spread_draws_all_the_same(figure):
    plan = samples.build("mobile-data")
    plan = plan.replace(options=tuple(
        dataclasses.replace(o, decisions=tuple(
            dataclasses.replace(d, cost_low=1.0, cost_high=1.0, benefit_low=1.0,
                                benefit_high=1.0, ob_category=OBCategory.STATED,
                                running_ob_category=OBCategory.STATED)
            for d in o.decisions)) for o in plan.options))
    sim = simulate(plan, 50, seed=1)
    assert sim.note
    charts.risk_figure(figure, plan, sim)
    figure.canvas.draw()
