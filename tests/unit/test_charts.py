"""The charts, drawn with matplotlib's Agg backend: no display, no Qt."""

import dataclasses

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from alliance_planner import charts
from alliance_planner.domain.engine import appraise


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
