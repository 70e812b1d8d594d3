"""The Overview page, the first a plan opens on: the option to back and why, the options
ranked, each force's share of it, and what to put right before the figures go to a board.

Every figure comes from :mod:`domain.overview`. The chance of a positive NPV needs a
Monte Carlo run: a modest one (2,000 draws) works off the GUI thread once the page is seen,
and the page says so until it is back. Out of sight, an edit only marks the page stale.
"""

from __future__ import annotations

import html
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QTextBrowser, QVBoxLayout, QWidget
from shiboken6 import isValid

from .. import charts, formats
from ..domain.model import Plan, SharingBasis, financial_year_label
from ..domain.overview import (
    RISK_RUNS,
    Chance,
    ChosenBy,
    Overview,
    Recommendation,
    chance_of_positive_npv,
    overview,
)
from . import chart_text
from . import figure_tables as ft
from .chart_widget import ChartWidget
from .document import PlanDocument
from .first_use import FirstUseGuide
from .page import ChartPage, recommended_option
from .qt_numbers import VERTICAL
from .worker import run_quietly

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl

RANKED = (
    ft.Column("#", str, "Place by NPSV"),
    ft.Column("Option", str, "The recommended option is in bold", figure=False),
    ft.Column("NPSV", ft.money, "Net present social value: NPV plus officer hours, valued"),
    ft.Column("NPV", ft.money, "Present value of cashable savings against business as usual"),
    ft.Column("BCR", ft.ratio, "Benefit–cost ratio"),
    ft.Column("Payback", ft.year, "First year cumulative savings stay positive"),
    ft.Column("One-off cost", ft.money, "Transition, exit, severance and closure, undiscounted"),
    ft.Column("Savings target", ft.met, "Whether cumulative savings reach the plan's target "
              "in time (– with no target)"),
)
BASIS = {SharingBasis.OFFICERS: "officers", SharingBasis.POPULATION: "population",
         SharingBasis.NET_REVENUE: "net revenue budget", SharingBasis.EQUAL: "equal shares",
         SharingBasis.AGREED: "agreed shares"}
RISK_DELAY_MS = 300
"""A run starts this long after the last edit: typing a column of figures runs it once."""


def _force_columns(plan: Plan) -> tuple[ft.Column, ...]:
    return (
        ft.Column("Force", str, figure=False),
        ft.Column("Share", ft.share, f"Its share by the plan's sharing basis "
                  f"({BASIS.get(plan.sharing_basis, plan.sharing_basis.value)})"),
        ft.Column("NPV", ft.money, "Its net present value of the option"),
        ft.Column("One-off cost", ft.money, "Its part of the transition, exit fees, "
                  "severance and closures, undiscounted"),
        ft.Column("Of one-off", ft.share, "Its part of the option's one-off cost"),
        ft.Column("Savings", ft.money, "Cashable savings over the period, undiscounted"),
        ft.Column("Of savings", ft.share, "Its part of the option's cashable savings"),
        ft.Column("Support staff", ft.fte_change, "Support FTE in the last year against "
                  "business as usual: negative is fewer posts"),
        ft.Column("Officer hours", ft.hours, "Officer hours a week released in the last year"),
    )


def _why(plan: Plan, rec: Recommendation) -> str:
    if rec.chosen_by is ChosenBy.PREFERRED:
        return "The plan marks it preferred (Options page)."
    if rec.chosen_by is ChosenBy.NPSV:
        return ("No option is marked preferred, so this is the best by NPSV. Mark the one "
                "the board is asked to back preferred on the Options page.")
    return "The plan has no option to compare with business as usual yet."


def _target(rec: Recommendation, plan: Plan) -> tuple[str, str]:
    target = rec.target
    if target is None:
        return ("no target" if plan.savings_target is None else "–",
                "set a savings target on the Plan page" if plan.savings_target is None
                else "")
    deadline = financial_year_label(target.deadline)
    if target.met:
        return (f"met in {financial_year_label(target.reached or target.deadline)}",
                f"{formats.money(target.amount)} by {deadline}")
    when = ("reached " + financial_year_label(target.reached)) if target.reached is not None \
        else "not reached in the period"
    return "NOT met", f"{formats.money(target.amount)} by {deadline}; {when}"


def _chance(chance: Chance | None, code: str) -> tuple[str, str]:
    if chance is None or chance.option_code != code:
        return "working out…", f"in {RISK_RUNS:,} Monte Carlo draws, off to one side"
    note = f"; {chance.note}" if chance.note else ""
    return (f"{chance.positive:.0%}", f"of {chance.runs:,} Monte Carlo draws (seed "
            f"{chance.seed}){note}; the Risk page draws more")


class OverviewPage(ChartPage):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__("Overview", "The option to back and why, how the options rank, "
                         "each force's share, and what to put right before the figures go "
                         "to a board.", parent)
        self.document = document
        self.overview: Overview | None = None
        self._overview_of: Plan | None = None
        self.chance: Chance | None = None
        self._chance_of: Plan | None = None
        self._running: threading.Event | None = None
        self._links: list[str] = []

        self.card = QTextBrowser()
        self.card.setAccessibleName("Recommendation and what needs attention")
        self.card.setOpenLinks(False)
        self.card.anchorClicked.connect(self._follow)
        self.chart = ChartWidget(self._draw, "Options ranked by NPSV, and the recommended "
                                 "option's cumulative savings against the target",
                                 minimum_height=340, describe=self._describe)
        top = QSplitter()  # side by side
        top.addWidget(self.card)
        top.addWidget(self.chart)
        top.setSizes([500, 500])

        self.ranked = ft.FiguresModel(self)
        self.ranked_table = ft.figures_table(self.ranked, "Options ranked by NPSV")
        self.forces = ft.FiguresModel(self)
        self.forces_table = ft.figures_table(self.forces, "Each force's share")
        self._forces_of: Plan | None = None
        self.forces_caption = QLabel()
        self.forces_caption.setWordWrap(True)
        self.forces_tab = forces = QWidget()
        box = QVBoxLayout(forces)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.forces_caption)
        box.addWidget(self.forces_table, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.ranked_table, "Options ranked")
        self.tabs.addTab(forces, "Each force's share")
        self.tabs.currentChanged.connect(lambda _: self._fill_forces())

        splitter = QSplitter()
        splitter.setProperty("orientation", VERTICAL)  # one above the other
        splitter.addWidget(top)
        splitter.addWidget(self.tabs)
        splitter.setSizes([500, 160])
        splitter.setStretchFactor(0, 4)  # a taller window gives the card and charts the room
        splitter.setStretchFactor(1, 1)
        self.guide = FirstUseGuide()
        self.guide.go.connect(self._go)
        self.layout_.addWidget(self.guide)
        self.layout_.addWidget(splitter, 1)
        self.finish()

        self._risk_timer = QTimer(self)
        self._risk_timer.setSingleShot(True)
        self._risk_timer.setInterval(RISK_DELAY_MS)
        self._risk_timer.timeout.connect(self._start_chance)
        document.changed.connect(self._plan_changed)
        self.refresh()

    # --- following the plan ---------------------------------------------------------------

    def refresh(self) -> None:
        """The plan's overview, worked out again if the plan changed since."""
        plan = self.document.plan
        if self._overview_of is not plan:
            self.overview = overview(plan, self.document.results)
            self._overview_of = plan
            self._fill_tables(plan, self.overview)
            self.guide.follow(plan)
            self.chart.set_minimum_height(charts.overview_height(plan))
            self._say()
        if self._chance_of is not plan and self.isVisible():
            self._risk_timer.start()

    def _fill_tables(self, plan: Plan, ov: Overview) -> None:
        rec = ov.recommendation
        names = [o.name for o in plan.options]
        rows = [(i + 1, names[x.option], x.npsv, x.npv, x.bcr, x.payback, x.one_off,
                 x.target_met) for i, x in enumerate(ov.ranked)]
        marked = next((i for i, x in enumerate(ov.ranked) if x.option == rec.option), None)
        self.ranked.set_table(RANKED, rows, marked, " (recommended)")
        self._fill_forces()

    def _fill_forces(self) -> None:
        """Each force's share, filled when its tab is shown: the national plan's 43 rows
        cost nothing while nobody looks at them."""
        plan, ov = self._overview_of, self.overview
        if plan is None or ov is None or self._forces_of is plan \
                or self.tabs.currentWidget() is not self.forces_tab:
            return
        self._forces_of = plan
        rec = ov.recommendation
        names = [o.name for o in plan.options]
        self.forces.set_table(_force_columns(plan), [
            (plan.forces[s.force].name, s.weight, s.npv, s.one_off, s.one_off_share,
             s.savings, s.savings_share, s.support_fte_change, s.officer_hours)
            for s in ov.shares])
        basis = BASIS.get(plan.sharing_basis, plan.sharing_basis.value)
        self.forces_caption.setText(
            f"<b>Each force's share of {html.escape(names[rec.option])}</b> against "
            f"business as usual; shared costs and savings split by {basis} (Plan page). "
            "Click a heading to sort.")

    # --- the chance of a positive NPV, off the GUI thread ----------------------------------

    def _start_chance(self) -> None:
        plan = self.document.plan
        if self._chance_of is plan:
            return
        if self._running is not None:
            self._running.set()  # the result of a plan since edited is let go

        def done(chance: Chance) -> None:
            if not isValid(self):  # the page went with its plan while the draws ran
                return
            self._running = None
            if self.document.plan is plan:
                self.chance, self._chance_of = chance, plan
                self._say()

        def failed(exc: BaseException) -> None:
            if not isValid(self):
                return
            self._running = None
            self._refused(f"The chance of a positive NPV could not be worked out: {exc}")

        self._running = run_quietly(
            self, lambda cancelled: chance_of_positive_npv(plan, RISK_RUNS,
                                                           cancelled=cancelled),
            done, failed)

    def is_working(self) -> bool:
        return self._running is not None or self._risk_timer.isActive()

    # --- the card -------------------------------------------------------------------------

    def _link(self, page: str) -> str:
        self._links.append(page)
        return f'<a href="go:{len(self._links) - 1}">{html.escape(page)} page</a>'

    def _say(self) -> None:
        ov, plan = self.overview, self.document.plan
        if ov is None or not plan.options:
            self.card.setHtml("<p>The plan has no options.</p>")
            return
        self._links = []
        rec = ov.recommendation
        option = plan.options[rec.option]
        rows: list[tuple[str, str, str]] = []
        if rec.chosen_by is not ChosenBy.BASELINE:
            place = next((i for i, x in enumerate(ov.ranked) if x.option == rec.option), 0)
            rows += [
                ("NPSV", formats.money(rec.npsv),
                 f"{_ordinal(place + 1)} of {len(ov.ranked)} by NPSV; with the officer hours "
                 "released, valued"),
                ("NPV", formats.money(rec.npv), "cashable savings only"),
                ("Chance of a positive NPV", *_chance(self.chance, option.code)),
                ("Payback", ft.year(rec.payback), "cumulative savings positive from then on"),
                ("One-off cost", formats.money(rec.one_off),
                 "transition, exit fees, severance and closures; undiscounted"),
                ("Support staff, final year", f"{rec.support_fte:,.1f} FTE",
                 _fewer(rec.support_fte_change)),
                ("Officer hours released", f"{rec.officer_hours:,.0f} a week",
                 f"{rec.officer_fte:,.1f} officers' visible time"),
                ("Savings target", *_target(rec, plan)),
            ]
        figures = "".join(
            f"<tr><td>{html.escape(label)}</td><td align='right'><b>{html.escape(value)}</b>"
            f"</td><td>{html.escape(note)}</td></tr>" for label, value, note in rows)
        heading = ("No option to recommend yet" if rec.chosen_by is ChosenBy.BASELINE
                   else f"Recommended: {option.name}")
        parts = [f"<h3>{html.escape(heading)}</h3>", f"<p>{html.escape(_why(plan, rec))}</p>"]
        if figures:
            parts.append(f"<table cellspacing='0' cellpadding='3'>{figures}</table>")
        if ov.attention:
            items = []
            for a in ov.attention:
                details = "".join(f"<br>&nbsp;&nbsp;· {html.escape(d)}" for d in a.details)
                items.append(f"<li>{html.escape(a.text)} ({self._link(a.page)}){details}</li>")
            parts.append(f"<h4>Needs attention ({len(ov.attention)})</h4><ul>"
                         + "".join(items) + "</ul>")
        else:
            parts.append("<h4>Needs attention</h4><p>Nothing: every figure cites a source, "
                         "every assumption gives its reasoning.</p>")
        scrolled = self.card.verticalScrollBar().value()
        self.card.setHtml("".join(parts))
        self.card.verticalScrollBar().setValue(scrolled)

    def _follow(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("go:") and text[3:].isdigit() and int(text[3:]) < len(self._links):
            page = self._links[int(text[3:])]
            window = self.window()
            show = getattr(window, "show_page_named", None)
            if show is None or not show(page):
                self.message.say(f"Put it right on the {page} page")

    def _go(self, page: str, add: bool) -> None:
        """A step of the first-use guide: its page, and a new row on it if it adds one."""
        window = self.window()
        show = getattr(window, "show_page_named", None)
        if show is None or not show(page):
            self.message.say(f"Go to the {page} page")
            return
        action = getattr(window, "add_action", None)
        if add and action is not None:
            action.trigger()

    # --- the charts -----------------------------------------------------------------------

    def _describe(self) -> str:
        plan, results = self.document.plan, self.document.results
        return chart_text.overview(plan, results, recommended_option(plan, results))

    def _draw(self, figure, theme) -> None:
        charts.overview_figure(figure, self.document.plan, self.document.results, theme)


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _fewer(change: float) -> str:
    if abs(change) < 0.05:
        return "as many as business as usual"
    return f"{abs(change):,.1f} {'fewer' if change < 0 else 'more'} than business as usual"
