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


def _compare(figure, plan):
    r = appraise(plan)
    charts.CompareChart(figure).draw(plan, r)
    figure.canvas.draw()
    return r


def test_every_value_axis_starts_at_zero(figure, sample_plans):
    plan = sample_plans["operating-model-partner"]  # support staff 33 -> 32.4 FTE
    _compare(figure, plan)
    cost, savings, staff, forces = figure.axes
    assert staff.get_ylim() == (0, 40)
    # a year of net receipts, and losses, show below zero
    for ax in (cost, savings):
        assert ax.get_ylim()[0] < 0 < ax.get_ylim()[1]
    assert forces.get_xlim()[0] <= 0 <= forces.get_xlim()[1]


def test_the_savings_target_is_drawn_with_its_deadline(figure, sample_plans):
    plan = sample_plans["operating-model-partner"]
    _compare(figure, plan)
    savings = figure.axes[1]
    deadline = plan.base_year + plan.savings_target_years - 1
    marks = [line for line in savings.lines if line.get_marker() == "D"]
    assert [(m.get_xdata()[0], m.get_ydata()[0]) for m in marks] == [
        (deadline, pytest.approx(plan.savings_target / 1e6))]
    assert savings.get_ylim()[1] >= plan.savings_target / 1e6
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert f"savings target £168.56m by {deadline}/{(deadline + 1) % 100:02d}" in legend
    assert any(t.endswith("(preferred)") for t in legend)


def test_a_new_alliance_with_no_estate_shows_no_made_up_scale(figure):
    from alliance_planner.samples.blank import new_alliance

    plan = new_alliance(["dorset", "wiltshire"])
    overview = Figure()
    FigureCanvasAgg(overview)
    charts.overview_figure(overview, plan, appraise(plan))
    overview.canvas.draw()
    assert "No option" in overview.axes[0].texts[0].get_text()
    r = _compare(figure, plan)
    for ax in figure.axes:
        ticks = ax.get_yticks() if ax is not figure.axes[3] else ax.get_xticks()
        assert list(ticks) == [0]  # not ±0.05
        assert ax.texts  # says why it is empty
    years = [t.get_text() for t in figure.axes[1].get_xticklabels()]
    assert years[0] == "2026/27" and len(set(years)) == len(years)
    assert figure.axes[1].get_xlim() == (r.years[0] - 0.5, r.years[-1] + 0.5)


def test_a_narrow_chart_labels_fewer_years_rather_than_overlapping(sample_plans):
    plan = sample_plans["south-west-alliance"]
    counts = []
    for width in (5, 16):
        fig = Figure(figsize=(width, 4))
        FigureCanvasAgg(fig)
        _compare(fig, plan)
        counts.append(len([t for t in fig.axes[0].get_xticklabels() if t.get_text()]))
    assert counts[0] < counts[1] == plan.horizon_years


def test_each_force_chart_names_every_force_highest_first(figure, sample_plans):
    plan = sample_plans["national"]
    r = appraise(plan)
    ax = figure.add_subplot()
    o = len(plan.options) - 1
    charts.each_force(ax, plan, r.force_npv[o], "NPV", "£", "#1f77b4")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    best = plan.forces[int(np.argmax(r.force_npv[o]))].name
    assert len(labels) == 43 and labels[0] == charts.force_name(best, 22)
    widths = [p.get_width() for p in ax.patches]
    assert widths == sorted(widths, reverse=True)


def test_the_overview_figure_ranks_the_options_and_marks_the_recommended(figure, sample_plans):
    plan = sample_plans["south-west-alliance"]
    r = appraise(plan)
    charts.overview_figure(figure, plan, r)
    figure.canvas.draw()
    ranked, savings = figure.axes  # each on a subfigure of its own
    widths = [p.get_width() for p in ranked.patches]
    assert widths == sorted(widths, reverse=True) and len(widths) == len(plan.options) - 1
    bold = [t.get_text() for t in ranked.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["Single managed service\n(£70m, 10 years)"]
    assert len(savings.lines) >= 1
