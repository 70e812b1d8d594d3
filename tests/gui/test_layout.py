"""The charts' text laid out in the real window: at the window's least size (900×600), its
usual size (1280×820), a large screen (2560×1440), and at a scale factor of 2, no chart
title, legend, axis label or tick label overlaps another or runs off its canvas, on the
Overview, Compare (both tabs), Roadmap, Benchmarking and Risk (both tabs) pages.

The boxes are matplotlib's own text extents (``get_window_extent`` with the canvas's
renderer) after the canvas has drawn at the size the window gave it. The plan is the
national one (six options, 43 forces, 20 services) with a savings target, the most text.

QT_SCALE_FACTOR is read once, when the application starts, so the scale factor 2 run is a
second pytest process with it set (QT_SCALE_FACTOR=2, at 900×600 and 1280×820: a 2560×1440
screen at 200% is 1280×720); that run checks that the window and the figures really are at
twice the pixels (device pixel ratio 2, figure DPI 200).
"""

import itertools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from alliance_planner import samples
from alliance_planner.store.planfile import write_new
from alliance_planner.ui.chart_widget import ChartWidget
from alliance_planner.ui.document import PlanDocument
from alliance_planner.ui.main_window import MainWindow

SIZES = {"900x600": (900, 600), "1280x820": (1280, 820), "2560x1440": (2560, 1440)}
SCALE = float(os.environ.get("ALLIANCE_PLANNER_LAYOUT_SCALE", "1"))
TOLERANCE = 0.5
"""Pixels two boxes may share (antialiasing), or stand past the canvas."""


def parts(figure):
    """The figure and its subfigures, at any depth."""
    yield figure
    for sub in getattr(figure, "subfigs", ()):
        yield from parts(sub)


def text_boxes(figure):
    """(what, box) for each title, axis label, tick label and legend of a drawn figure."""
    renderer = figure.canvas.get_renderer()
    found = [(f"legend {i}", legend.get_window_extent(renderer))
             for i, legend in enumerate(legend for part in parts(figure)
                                        for legend in part.legends)]
    axes = list(dict.fromkeys(ax for part in parts(figure) for ax in part.axes))
    for k, ax in enumerate(axes):
        if not ax.get_visible():
            continue
        for title in (ax.title, ax._left_title, ax._right_title):
            if title.get_text():
                found.append((f"axes {k} title {title.get_text()!r}",
                              title.get_window_extent(renderer)))
        for label in (ax.xaxis.label, ax.yaxis.label):
            if label.get_text() and label.get_visible():
                found.append((f"axes {k} label {label.get_text()!r}",
                              label.get_window_extent(renderer)))
        if ax.get_legend() is not None:
            found.append((f"axes {k} legend", ax.get_legend().get_window_extent(renderer)))
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            for tick in axis.get_major_ticks():
                if not low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    continue  # not drawn
                for label in (tick.label1, tick.label2):
                    if label.get_visible() and label.get_text():
                        found.append((f"axes {k} tick {label.get_text()!r}",
                                      label.get_window_extent(renderer)))
    return found


def collisions(figure):
    """What overlaps another or runs off the canvas: empty when the layout is clear."""
    canvas = figure.bbox
    boxes = text_boxes(figure)
    found = [f"{what} runs off the canvas: {box.bounds} in {canvas.bounds}"
             for what, box in boxes
             if box.x0 < canvas.x0 - TOLERANCE or box.y0 < canvas.y0 - TOLERANCE
             or box.x1 > canvas.x1 + TOLERANCE or box.y1 > canvas.y1 + TOLERANCE]
    for (one, a), (other, b) in itertools.combinations(boxes, 2):
        if (a.x0 < b.x1 - TOLERANCE and b.x0 < a.x1 - TOLERANCE
                and a.y0 < b.y1 - TOLERANCE and b.y0 < a.y1 - TOLERANCE):
            found.append(f"{one} overlaps {other}")
    return found


@pytest.fixture(scope="module")
def national_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("layout") / "national.alliance"
    plan = samples.build("national")
    write_new(path, plan.replace(savings_target=400e6, savings_target_years=6))
    return path


@pytest.fixture
def big_window(qtbot, tmp_path, national_file):
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    document = PlanDocument.open(national_file)
    window = MainWindow(document, store)
    document.setParent(window)
    qtbot.addWidget(window)
    return window


def drawn(qtbot, chart):
    """The chart as the window shows it: drawn, at the size the window gave it."""
    qtbot.waitUntil(lambda: chart.ready and chart.isVisible() and chart.draw_count >= 1
                    and not chart._stale, timeout=20_000)
    qtbot.wait(30)  # a resize's draw, if one is pending
    dpr = chart.canvas.devicePixelRatioF()
    assert chart.figure.bbox.width == pytest.approx(chart.canvas.width() * dpr, abs=1)
    chart.canvas.draw()
    return chart.figure


def check(qtbot, chart, where):
    figure = drawn(qtbot, chart)
    assert figure.dpi == pytest.approx(100 * SCALE)
    problems = collisions(figure)
    assert not problems, f"{where}: " + "; ".join(problems[:6])


@pytest.mark.parametrize("size", SIZES)
def test_no_chart_text_collides_or_runs_off(big_window, qtbot, size):
    window = big_window
    window.resize(*SIZES[size])
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.charts_loaded, timeout=20_000)
    assert window.devicePixelRatioF() == SCALE
    assert (window.width(), window.height()) == SIZES[size]

    window.show_page_named("Overview")
    check(qtbot, window.pages["Overview"].chart, f"Overview at {size}")

    compare = window.pages["Compare"]
    window.show_page_named("Compare")
    check(qtbot, compare.chart, f"Compare at {size}")
    each = compare.each_force
    compare.tabs.setCurrentWidget(each)
    check(qtbot, each.chart, f"Compare, each force, at {size}")
    each.view.setCurrentIndex(each.view.findData("officer_hours"))  # the longest title
    check(qtbot, each.chart, f"Compare, each force's officer hours, at {size}")

    window.show_page_named("Roadmap")
    check(qtbot, window.pages["Roadmap"].chart, f"Roadmap at {size}")

    benchmarking = window.pages["Benchmarking"]
    window.show_page_named("Benchmarking")
    benchmarking.tabs.setCurrentWidget(benchmarking.chart)
    check(qtbot, benchmarking.chart, f"Benchmarking at {size}")

    risk = window.pages["Risk"]
    window.show_page_named("Risk")
    check(qtbot, risk.chart, f"Risk, tornado, at {size}")
    risk.tabs.setCurrentIndex(1)
    risk.runs.setValue(500)
    risk.run()
    qtbot.waitUntil(lambda: risk.last_run is not None, timeout=20_000)
    check(qtbot, risk.risk_chart, f"Risk, Monte Carlo, at {size}")
    assert all(isinstance(c, ChartWidget) for c in (compare.chart, risk.risk_chart))


@pytest.mark.skipif(SCALE != 1, reason="this is the run that starts the scale factor 2 run")
def test_no_chart_text_collides_at_scale_factor_2():
    here = Path(__file__)
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "ALLIANCE_PLANNER_LAYOUT_SCALE": "2",
           "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"{here}::test_no_chart_text_collides_or_runs_off", "-k", "900x600 or 1280x820"],
        cwd=here.parents[2], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "2 passed" in run.stdout  # 900×600 and 1280×820, each drawn at twice the pixels
