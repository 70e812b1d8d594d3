"""The Compare page: every option side by side with the charts, and each force's part in
any option (one-off, running, savings, staff, hours; in total or by year) with a chart that
names every force, highest first, however many there are.

The recommended option (the plan's preferred, else the best by NPSV) is marked in its
heading and in bold, as the Overview and the Risk page mark it.
"""

from __future__ import annotations

import textwrap
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import charts
from ..domain.model import OptionRole, Plan, financial_year_label
from ..domain.overview import MEASURES, Measure
from . import chart_text
from . import figure_tables as ft
from .affordability import AffordabilityTab
from .chart_widget import ChartWidget
from .document import PlanDocument
from .models import ComparisonModel
from .page import Page, fill_option_choice, make_table, recommended_option

HEADER_WIDTH = 16
"""An option's name in a column heading wraps at this many characters, on three lines."""


def mark(plan: Plan, o: int) -> str:
    """How the recommended option is marked: as the plan's preferred, or the best by NPSV."""
    return "(preferred)" if plan.options[o].role is OptionRole.PREFERRED else "(best NPSV)"


class MarkedComparison(ComparisonModel):
    """The comparison, the recommended option's column marked in its heading and in bold
    (not the highest NPV, which need not be the option the plan backs)."""

    def recommended(self) -> int:
        return recommended_option(self.document.plan, self.document.results)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        plan = self.document.plan
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(plan.options):
            return super().headerData(section, orientation, role)
        option = plan.options[section]
        best = section == self.recommended() and not option.is_baseline
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            name = textwrap.fill(option.name, HEADER_WIDTH, max_lines=3, placeholder="…")
            if role == Qt.ItemDataRole.AccessibleTextRole:
                name = option.name
            if option.is_baseline:
                return f"{name}\n(baseline)"
            return f"{name}\n{mark(plan, section)}" if best else name
        if role == Qt.ItemDataRole.ToolTipRole:
            why = (" The plan marks it preferred." if option.role is OptionRole.PREFERRED
                   else " No option is marked preferred: this is the best by NPSV.")
            return option.name + (why if best else "")
        if role == Qt.ItemDataRole.FontRole and best:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _is_best(self, row: int, column: int) -> bool:
        return column == self.recommended() and not self.document.plan.options[column].is_baseline


def _fit_header(view) -> None:
    """Headings as tall as their lines and columns as wide as their longest line: a name is
    never cut, however narrow the window (the table scrolls sideways instead)."""
    model, header = view.model(), view.horizontalHeader()
    bold = QFont(header.font())
    bold.setBold(True)
    metrics = QFontMetrics(bold)
    lines = [str(model.headerData(c, Qt.Orientation.Horizontal) or "").split("\n")
             for c in range(model.columnCount())]
    wide = max((metrics.horizontalAdvance(t) for texts in lines for t in texts), default=60)
    header.setMinimumSectionSize(max(80, wide + 16))
    header.setMinimumHeight(max(2, *map(len, lines)) * metrics.lineSpacing() + 12)


class ComparePage(Page):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__("Compare", "Every option against business as usual. The recommended "
                         "option is marked and in bold: the plan's preferred (Options page), "
                         "else the best by NPSV. Hover a figure for what it means.", parent)
        self.document = document
        self.model = MarkedComparison(document, self)
        self.table = make_table(self.model, "Comparison of options", editable=False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(22)
        _fit_header(self.table)
        self.model.modelReset.connect(lambda: _fit_header(self.table))
        self.model.headerDataChanged.connect(lambda *_: _fit_header(self.table))
        self.compare: charts.CompareChart | None = None
        self.chart = ChartWidget(self._draw, "Comparison charts", update=self._update,
                                 animated=lambda: self.compare.artists if self.compare else [],
                                 minimum_height=330,
                                 describe=lambda: chart_text.compare(document.plan,
                                                                     document.results))
        figures = QSplitter(Qt.Orientation.Vertical)
        figures.addWidget(self.table)
        figures.addWidget(self.chart)
        figures.setSizes([300, 420])
        figures.setStretchFactor(0, 2)
        figures.setStretchFactor(1, 3)
        self.tabs = QTabWidget()
        self.tabs.addTab(figures, "Figures and charts")
        self.each_force = EachForce(document, self)
        self.tabs.addTab(self.each_force, "Each force")
        self.affordability = AffordabilityTab(document, self)
        self.tabs.addTab(self.affordability, "Affordability")
        self.layout_.addWidget(self.tabs, 1)
        self.finish()
        document.changed.connect(self.chart.schedule)

    def _draw(self, figure, theme) -> None:
        if self.compare is None or self.compare.figure is not figure:
            self.compare = charts.CompareChart(figure)
        self.compare.draw(self.document.plan, self.document.results, theme)

    def _update(self, theme) -> bool:
        return self.compare is not None and self.compare.update(
            self.document.plan, self.document.results, theme)


TOTALS = "Totals"


def _money_or(unit: str):
    return ft.money if unit == "£" else ft.fte if unit == "FTE" else ft.hours


class EachForce(QWidget):
    """Each force's part in one option: its totals, or one measure year by year; and a
    chart naming every force, highest first, that scrolls when there are many."""

    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._shown_for: tuple[object, ...] | None = None
        self.option = QComboBox()
        self.option.setAccessibleName("Option whose forces are shown")
        self.view = QComboBox()
        self.view.setAccessibleName("Figures shown for each force")
        self.view.addItem(TOTALS, TOTALS)
        for m in MEASURES:
            self.view.addItem(f"{m.label} by year", m.key)
        self.view.setToolTip("Each force's totals, or one figure year by year")
        row = QHBoxLayout()
        for text, field in (("&Option:", self.option), ("Sho&w:", self.view)):
            label = QLabel(text)
            label.setBuddy(field)
            row.addWidget(label)
            row.addWidget(field, 1 if field is self.option else 0)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.model = ft.FiguresModel(self)
        self.table = ft.figures_table(self.model, "Each force's figures")
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.chart = ChartWidget(self._draw, "Each force, highest first",
                                 describe=self._describe)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([600, 420])
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.caption)
        column.addWidget(split, 1)
        self._fill_options()
        self.option.currentIndexChanged.connect(self.refresh)
        self.view.currentIndexChanged.connect(self.refresh)
        document.changed.connect(self._plan_changed)

    def _plan_changed(self) -> None:
        self._fill_options()
        self.chart.schedule()
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _fill_options(self) -> None:
        if fill_option_choice(self.option, self.document.plan, self.document.results):
            self._shown_for = None

    def option_index(self) -> int:
        return max(0, min(self.option.currentIndex(), len(self.document.plan.options) - 1))

    def measure(self) -> Measure | None:
        key = self.view.currentData()
        return next((m for m in MEASURES if m.key == key), None)

    def refresh(self, *_: object) -> None:
        """The table for the option and view chosen, if the plan or the choice changed."""
        plan, r = self.document.plan, self.document.results
        if not plan.options:
            return
        o, measure = self.option_index(), self.measure()
        key = (plan, o, self.view.currentData())
        if key == self._shown_for:
            return
        self._shown_for = key
        names = [f.name for f in plan.forces]
        if measure is None:
            columns, rows = self._totals(plan, r, o, names)
        else:
            lines = measure.lines(r, o)
            show = _money_or(measure.unit)
            columns = [ft.Column("Force", str, figure=False)] + [
                ft.Column(financial_year_label(int(y)), show, measure.help) for y in r.years]
            rows = [(name, *map(float, lines[f])) for f, name in enumerate(names)]
            if measure.summed:
                columns.append(ft.Column("Total", show, "Over the period, undiscounted"))
                rows = [(*row, float(lines[f].sum())) for f, row in enumerate(rows)]
        self.model.set_table(columns, rows)
        option = plan.options[o]
        what = "totals" if measure is None else f"{measure.label.lower()} by year"
        self.caption.setText(f"Each force's {what} in <b>{option.name}</b>"
                             + (" (business as usual)" if option.is_baseline else "")
                             + ". Click a heading to sort; the chart names every force, "
                             "highest first.")
        self.chart.set_minimum_height(len(names) * charts.EACH_FORCE_ROW + 110)
        self.chart.schedule()

    def _totals(self, plan: Plan, r: Any, o: int,
                names: list[str]) -> tuple[list[ft.Column], list[tuple[Any, ...]]]:
        by = {m.key: m.summarise(r, o) for m in MEASURES}
        fte = r.by_force["support_fte"]
        change = fte[o, :, -1] - fte[r.baseline, :, -1]
        columns = [
            ft.Column("Force", str, figure=False),
            ft.Column("Share", ft.share, "Its share by the plan's sharing basis (Plan page)"),
            ft.Column("NPV", ft.money, "Its net present value of the option"),
            *(ft.Column(m.summary.replace(", ", "\n"), _money_or(m.unit), m.help)
              for m in MEASURES),
            ft.Column("Staff change", ft.fte_change, "Support FTE in the last year against "
                      "business as usual: negative is fewer posts"),
        ]
        rows = [(name, float(r.weights[f]), float(r.force_npv[o, f]),
                 *(float(by[m.key][f]) for m in MEASURES), float(change[f]))
                for f, name in enumerate(names)]
        return columns, rows

    def _figures(self) -> tuple[Any, str, str]:
        """The chart's figure for each force, what it is, and its unit."""
        r, o, measure = self.document.results, self.option_index(), self.measure()
        if measure is None:
            return r.force_npv[o], "NPV", "£"
        title = measure.summary[0].lower() + measure.summary[1:]
        return measure.summarise(r, o), title, measure.unit

    def _describe(self) -> str:
        plan = self.document.plan
        if not plan.options:
            return "No options yet."
        values, title, unit = self._figures()
        return chart_text.each_force(f"Each force's {title}",
                                     plan.options[self.option_index()].name,
                                     [f.name for f in plan.forces], values, unit)

    def _draw(self, figure, theme) -> None:
        plan = self.document.plan
        figure.clear()
        figure.set_facecolor(theme.background)
        figure.set_layout_engine("constrained", w_pad=0.06, h_pad=0.06)
        ax = figure.add_subplot(1, 1, 1)
        if not plan.options:
            return
        o = self.option_index()
        values, title, unit = self._figures()
        # the title starts where the names end: about a third of the way across
        charts.each_force(ax, plan, values,
                          charts.fit_title(f"Each force's {title}", figure, 0.62), unit,
                          charts.option_colour(o), theme)
