"""The Risk page: which inputs matter (the tornado and the switching values) and how sure
the figures are (a Monte Carlo run: histogram, S-curve and percentiles).

The sensitivity takes a tenth of a second, so it follows the plan, recomputed when the
page is seen. A Monte Carlo run is asked for: it runs off the GUI thread with Cancel, and
its figures belong to the plan it ran on; once the plan is edited, the page says they are
out of date rather than showing them as the plan's. Nothing here edits the plan, so a
read-only plan runs it too.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import charts
from ..domain.model import Plan
from ..domain.risk import DEFAULT_CORRELATION, DEFAULT_RUNS, DEFAULT_SEED, Simulation, simulate
from ..domain.risk_summary import risk_json
from ..domain.sensitivity import Sensitivity, sensitivity
from . import chart_text
from .chart_widget import ChartWidget
from .document import PlanDocument
from .page import Page, fill_option_choice, make_table
from .risk_models import ForcePercentilesModel, PercentilesModel, SwitchingModel
from .worker import run_in_background

MAX_RUNS_HERE = 100_000
"""The window keeps every draw for its charts; the command line goes to a million."""
WARNING = "QLabel { background: #fff4c2; color: #3d3000; padding: 4px; }"


class Run:
    """A finished Monte Carlo run, with the plan it ran on and its figures as data."""

    def __init__(self, plan: Plan, sim: Simulation, figures: dict[str, Any]):
        self.plan, self.sim, self.figures = plan, sim, figures


def _simulate(plan: Plan, runs: int, seed: int, correlation: float,
              cancelled: Callable[[], bool],
              progress: Callable[[float], None] | None = None) -> Run:
    """On the worker thread: the draws, and what the tables show of them."""
    sim = simulate(plan, runs, seed, correlation=correlation, cancelled=cancelled,
                   progress=progress)
    return Run(plan, sim, risk_json(plan, sim))


def _table(model, name: str) -> QTableView:
    """A read-only table whose first column takes the room the figures leave."""
    view = make_table(model, name, editable=False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    return view


def _fit_rows(view: QTableView, rows: int) -> None:
    """No taller than its rows (three at least): the room left goes to the charts."""
    height = (view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
              + view.verticalHeader().defaultSectionSize() * max(3, rows)
              + view.horizontalScrollBar().sizeHint().height())
    view.setMaximumHeight(height)


def _caption(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


class RiskPage(Page):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__("Risk", "Each decision's cost and benefit range and its optimism bias "
                         "range (Options page) move the figures. The tornado swings each one "
                         "across its range; Monte Carlo draws them all at once, triangular "
                         "low / likely / high, reproducibly from the seed.", parent)
        self.document = document
        self.sensitivity: Sensitivity | None = None
        self._sensitivity_of: Plan | None = None
        self.last_run: Run | None = None
        self.cancel_flag = None
        """The running job's cancel flag (a threading.Event), or None between runs."""

        self.option = QComboBox()
        self.option.setAccessibleName("Option shown in the tornado")
        self.option.setToolTip("The option whose tornado, and whose forces' figures, are shown")
        row = QHBoxLayout()
        label = QLabel("&Option:")
        label.setBuddy(self.option)
        row.addWidget(label)
        row.addWidget(self.option, 1)
        self.layout_.addLayout(row)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._sensitivity_tab(), "Sensitivity")
        self.tabs.addTab(self._monte_carlo_tab(), "Monte Carlo")
        self.layout_.addWidget(self.tabs, 1)
        self.finish()

        self._fill_options()
        self.option.currentIndexChanged.connect(self._option_changed)
        document.changed.connect(self._plan_changed)
        self._say_state()

    # --- building -------------------------------------------------------------------------

    def _sensitivity_tab(self) -> QWidget:
        self.chart = ChartWidget(self._draw_tornado, "Tornado chart",
                                 minimum_height=charts.tornado_height(),  # below, it scrolls
                                 describe=self._describe_tornado)
        self.switching = SwitchingModel(self)
        self.switching_table = _table(self.switching, "Switching values")
        self.switching_caption = _caption()
        lower = QWidget()
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.switching_caption)
        box.addWidget(self.switching_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(lower)
        splitter.setSizes([430, 220])
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        return splitter

    def _monte_carlo_tab(self) -> QWidget:
        self.runs = QSpinBox()
        self.runs.setRange(1, MAX_RUNS_HERE)
        self.runs.setValue(DEFAULT_RUNS)
        self.runs.setSingleStep(1000)
        self.runs.setGroupSeparatorShown(True)
        self.runs.setAccessibleName("Runs")
        self.runs.setToolTip(f"How many draws: up to {MAX_RUNS_HERE:,} here (the command "
                             "line's risk command goes to 1,000,000)")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(DEFAULT_SEED)
        self.seed.setAccessibleName("Seed")
        self.seed.setToolTip("The same plan, runs, seed and correlation give the same figures")
        self.correlation = QDoubleSpinBox()
        self.correlation.setRange(-0.99, 0.99)
        self.correlation.setDecimals(2)
        self.correlation.setSingleStep(0.1)
        self.correlation.setValue(DEFAULT_CORRELATION)
        self.correlation.setAccessibleName("Correlation")
        self.correlation.setToolTip("The rank correlation between the costs of decisions on "
                                    "one platform: one supplier's prices tend to move together")
        self.run_button = QPushButton("&Run")
        self.run_button.setAccessibleName("Run the Monte Carlo simulation")
        self.run_button.setToolTip("Draw every ranged input at once, this many times")
        self.run_button.clicked.connect(self.run)
        controls = QHBoxLayout()
        for text, field in (("R&uns:", self.runs), ("S&eed:", self.seed),
                            ("Rank &correlation of costs on one platform:", self.correlation)):
            label = QLabel(text)
            label.setBuddy(field)
            controls.addWidget(label)
            controls.addWidget(field)
            controls.addSpacing(12)
        controls.addWidget(self.run_button)
        controls.addStretch(1)

        self.state = _caption()
        self.state.setAccessibleName("Monte Carlo run")
        self.note = _caption()
        self.note.setAccessibleName("Note")
        self.note.setStyleSheet(WARNING)
        self.note.hide()
        self.risk_chart = ChartWidget(self._draw_risk, "Histogram and S-curve of NPSV",
                                      minimum_height=320, describe=self._describe_risk)
        self.percentiles = PercentilesModel(self)
        self.percentiles_table = _table(self.percentiles, "Percentiles of each option")
        _fit_rows(self.percentiles_table, 0)
        self.forces = ForcePercentilesModel(self)
        self.forces_table = _table(self.forces, "Percentiles of each force's share")
        self.forces_caption = _caption()
        tables = QWidget()  # the options' table as tall as its rows, the forces' the rest
        box = QVBoxLayout(tables)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.percentiles_table)
        box.addWidget(self.forces_caption)
        box.addWidget(self.forces_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.risk_chart)
        splitter.addWidget(tables)
        splitter.setSizes([400, 250])
        splitter.setStretchFactor(0, 1)  # a taller window gives the charts the room
        splitter.setStretchFactor(1, 0)
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addLayout(controls)
        column.addWidget(self.state)
        column.addWidget(self.note)
        column.addWidget(splitter, 1)
        return tab

    # --- following the plan ---------------------------------------------------------------

    def _fill_options(self) -> None:
        """The options a tornado can be drawn for: all but the baseline."""
        if fill_option_choice(self.option, self.document.plan, self.document.results,
                              skip_baseline=True):
            self._option_changed()

    def option_code(self) -> str | None:
        return self.option.currentData()

    def _option_changed(self, *_: object) -> None:
        self.chart.schedule()
        self._show_forces()

    def _plan_changed(self) -> None:
        self._fill_options()
        if self.isVisible():
            self.current_sensitivity()
        self.chart.schedule()
        self._say_state()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.current_sensitivity()

    def current_sensitivity(self) -> Sensitivity:
        """The plan's tornadoes and switching values, computed again if the plan changed."""
        plan = self.document.plan
        if self.sensitivity is None or self._sensitivity_of is not plan:
            self.sensitivity = sensitivity(plan)
            self._sensitivity_of = plan
            self.switching.set_sensitivity(plan, self.sensitivity)
            s = self.sensitivity
            names = {o.code: o.name for o in plan.options}
            preferred = html.escape(names.get(s.option_codes[s.preferred], ""))
            against = ("" if s.next_best is None else " it draws level with "
                       f"{html.escape(names.get(s.option_codes[s.next_best], ''))} (the next "
                       "best by NPSV), or")
            self.switching_caption.setText(
                f"<b>Switching values for {preferred}</b>, the preferred option: the value of "
                f"each input at which{against} its NPSV falls to zero. Nearest first.")
            self.chart.schedule()
        return self.sensitivity

    # --- the tornado ----------------------------------------------------------------------

    def _describe_tornado(self) -> str:
        s = self.current_sensitivity()
        code = self.option_code()
        if code not in s.tornado:
            return "The plan has no option but its baseline to show."
        return chart_text.tornado(self.option.currentText(), s.tornado[code],
                                  float(s.npsv[s.option_codes.index(code)]))

    def _describe_risk(self) -> str:
        run = self.last_run
        if run is None:
            return "Not run yet: press Run to draw the histogram and the S-curve."
        return chart_text.risk(run.plan, run.sim)

    def _draw_tornado(self, figure, theme) -> None:
        figure.clear()
        figure.set_facecolor(theme.background)
        ax = figure.add_subplot(1, 1, 1)
        s = self.current_sensitivity()
        code = self.option_code()
        if code in s.tornado:
            o = s.option_codes.index(code)
            name = self.option.currentText()
            charts.tornado(ax, s.tornado[code], float(s.npsv[o]),
                           charts.fit_title(f"{name}: NPSV with each input at each end of "
                                            "its range", figure, 0.5), theme)
        else:
            ax.set_axis_off()
            ax.text(0.5, 0.5, "The plan has no option but its baseline to show", ha="center",
                    va="center", transform=ax.transAxes, color=theme.text, fontsize=10)
        figure.tight_layout(pad=0.8)

    # --- Monte Carlo ----------------------------------------------------------------------

    def run(self) -> None:
        """Draw the plan as it is now, off the GUI thread; Cancel leaves the last run shown."""
        plan = self.document.plan
        runs, seed = self.runs.value(), self.seed.value()
        correlation = round(self.correlation.value(), 2)

        def work(cancelled: Callable[[], bool], report: Callable[[float], None]) -> Run:
            return _simulate(plan, runs, seed, correlation, cancelled, report)

        def done(run: Run) -> None:
            self._finished()
            self._show_run(run)

        def failed(exc: BaseException) -> None:
            self._finished()
            if isinstance(exc, ValueError):
                self._refused(f"Not run: {exc}")
            else:
                raise exc

        def cancelled(*_: object) -> None:
            self._finished()
            self._say_state(cancelled=True)

        self.message.say("")
        self.run_button.setEnabled(False)
        self.cancel_flag = run_in_background(
            self, f"Drawing {runs:,} times…", work, done, failed,
            on_cancelled=cancelled, discard=cancelled, progress=True)

    def _finished(self) -> None:
        self.cancel_flag = None
        self.run_button.setEnabled(True)

    def _show_run(self, run: Run) -> None:
        self.last_run = run
        self.percentiles.set_results(run.figures)
        _fit_rows(self.percentiles_table, self.percentiles.rowCount())
        self._show_forces()
        self.risk_chart.schedule()
        self._say_state()

    def _show_forces(self) -> None:
        run = self.last_run
        code = self.option_code()
        self.forces.set_option(run.plan if run else None, run.figures if run else None,
                               code or "")
        name = html.escape(self.option.currentText())
        self.forces_caption.setText(f"<b>Each force's share of {name}</b>: NPV and NPSV at "
                                    "P10, P50 and P90 (choose the option above)")

    def is_out_of_date(self) -> bool:
        run = self.last_run
        return run is not None and run.plan is not self.document.plan \
            and run.plan != self.document.plan

    def _say_state(self, *, cancelled: bool = False) -> None:
        run = self.last_run
        if run is None:
            text = ("Not run yet: press Run to draw every ranged input at once."
                    + (" The run was cancelled." if cancelled else ""))
            self.state.setStyleSheet("")
        else:
            sim = run.sim
            text = (f"{sim.runs:,} draws (seed {sim.seed}) of {len(sim.inputs)} ranged inputs, "
                    f"Latin hypercube; costs on one platform rank-correlated "
                    f"{sim.correlation:g}.")
            if self.is_out_of_date():
                text = ("<b>Out of date</b>: the plan has changed since this run, so these "
                        "figures are not the plan's. Press Run to draw it again. " + text)
            if cancelled:
                text = "The new run was cancelled: these are the last run's figures. " + text
            self.state.setStyleSheet(WARNING if self.is_out_of_date() else "")
        self.state.setText(text)
        note = run.sim.note if run is not None else ""
        self.note.setText(f"Note: {note}." if note else "")
        self.note.setVisible(bool(note))

    def _draw_risk(self, figure, theme) -> None:
        run = self.last_run
        if run is None:
            figure.clear()
            figure.set_facecolor(theme.background)
            figure.text(0.5, 0.5, "Press Run to draw the histogram and the S-curve",
                        ha="center", va="center", color=theme.text, fontsize=10)
            return
        charts.risk_figure(figure, run.plan, run.sim, theme)
