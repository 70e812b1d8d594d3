"""The Benchmarking page: each force's cost of each service per officer or per 1,000
population against the alliance's average, so a CTO sees whose estate is dear before
choosing a platform.

Every figure comes from :mod:`domain.benchmarking`. A cell well above the alliance's
average is marked ▲ and shaded red, one well below ▼ and green: the mark is there for
whoever cannot tell the colours apart and on a black-and-white print. Out of sight, an edit
only marks the page stale.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTabWidget,
    QWidget,
)

from .. import charts
from ..domain.benchmarking import WHOLE_ESTATE, Average, Benchmark, Benchmarking, benchmarking
from ..domain.model import Plan
from . import chart_text
from .chart_widget import ChartWidget
from .document import PlanDocument
from .models import RAW_ROLE
from .page import ChartPage, make_table

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

DEAR = 1.1
"""A figure this many times the alliance's average or more is dear (▲, red)."""
VERY_DEAR = 1.25
"""...and this many times or more, very dear (a deeper red)."""
CHEAP = 0.9
"""A figure this many times the average or less is cheap (▼, green)."""
SHADES = {"very dear": "#f1aeb5", "dear": "#f8d7da", "cheap": "#d1e7dd"}
INK = "#1a1a1a"
"""Text on a shaded cell: dark on the light shades whatever the window's palette."""
PER = {"officer": ("per officer", "£ a year per officer"),
       "people": ("per 1,000 population", "£ a year per 1,000 population")}
AVERAGE_ROW = "Alliance average"
WHOLE_ESTATE_NAME = "Whole estate"


def band(versus: float) -> str:
    """How a figure stands against the alliance's average: 'very dear', 'dear', 'cheap' or
    '' (within the margins, or nothing to compare)."""
    if math.isnan(versus):
        return ""
    if versus >= VERY_DEAR:
        return "very dear"
    if versus >= DEAR:
        return "dear"
    return "cheap" if versus <= CHEAP else ""


def pounds(value: float) -> str:
    return "–" if math.isnan(value) else f"£{value:,.0f}"


def against(versus: float) -> str:
    """'34% above the alliance's average', 'at the average', 'n/a'."""
    if math.isnan(versus):
        return "no average to compare with"
    change = versus - 1
    if abs(change) < 0.005:
        return "at the alliance's average"
    return f"{abs(change):.0%} {'above' if change > 0 else 'below'} the alliance's average"


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


class BenchmarkModel(QAbstractTableModel):
    """Forces down, the whole estate and each service across, the alliance's average as the
    last row; each cell the force's cost per officer or per 1,000 population."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.per = "officer"
        self.forces: list[tuple[str, str]] = []  # (code, name)
        self.services: list[tuple[str, str]] = []  # (code, name), the whole estate first
        self.cells: dict[tuple[str, str], Benchmark] = {}
        self.averages: dict[str, Average] = {}

    def set_benchmarks(self, plan: Plan, found: Benchmarking, per: str) -> None:
        forces = [(f.code, f.name) for f in plan.forces]
        services = [(WHOLE_ESTATE, WHOLE_ESTATE_NAME)] + [(s.code, s.name)
                                                          for s in plan.services]
        same_shape = forces == self.forces and services == self.services
        if not same_shape:
            self.beginResetModel()
        self.forces, self.services, self.per = forces, services, per
        self.cells = {(b.force, b.service): b for b in found.rows}
        self.averages = found.averages
        if same_shape:
            if self.forces:
                self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1,
                                                                    self.columnCount() - 1))
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
        else:
            self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() or not self.forces else len(self.forces) + 1

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.services) + 1

    def is_average(self, row: int) -> bool:
        return row == len(self.forces)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        name = "Force" if section == 0 else self.services[section - 1][1]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return name
        if role == Qt.ItemDataRole.ToolTipRole and section:
            return (f"{name}: running cost and support staff, {PER[self.per][1]}"
                    + (" (every service a force runs, added up)" if section == 1 else ""))
        return None

    def figure(self, b: Benchmark | Average) -> float:
        return b.per_officer if self.per == "officer" else b.per_thousand_people

    def versus(self, b: Benchmark) -> float:
        return b.versus_average if self.per == "officer" else b.people_versus_average

    def cell(self, row: int, column: int) -> Benchmark | Average | None:
        """What a figure cell shows: a force's benchmark, the average, or None (the force
        does not run the service)."""
        service = self.services[column - 1][0]
        if self.is_average(row):
            return self.averages.get(service)
        return self.cells.get((self.forces[row][0], service))

    def band(self, row: int, column: int) -> str:
        b = self.cell(row, column) if column else None
        return band(self.versus(b)) if isinstance(b, Benchmark) else ""

    def text(self, row: int, column: int) -> str:
        if column == 0:
            return AVERAGE_ROW if self.is_average(row) else self.forces[row][1]
        b = self.cell(row, column)
        if b is None:
            return "–"
        mark = {"very dear": " ▲▲", "dear": " ▲", "cheap": " ▼"}.get(self.band(row, column), "")
        return pounds(self.figure(b)) + mark

    def describe(self, row: int, column: int) -> str:
        """A cell in words: the tooltip, and what a screen reader says."""
        if column == 0:
            return self.text(row, column)
        service = self.services[column - 1][1]
        who = AVERAGE_ROW if self.is_average(row) else self.forces[row][1]
        b = self.cell(row, column)
        if b is None:
            return f"{who} does not run {service} (Today's estate)"
        unit = PER[self.per][0]
        if isinstance(b, Average):
            return (f"{who}, {service}: £{b.cost:,.0f} a year over the {b.runs_it} "
                    f"force(s) that run it: {pounds(self.figure(b))} {unit}")
        rank = b.rank if self.per == "officer" else b.people_rank
        dearest = f"; {_ordinal(rank)} dearest of {b.runs_it}" if rank else ""
        return (f"{who}, {service}: £{b.cost:,.0f} a year (running cost and support staff), "
                f"{pounds(self.figure(b))} {unit}, {against(self.versus(b))}{dearest}")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.describe(row, column)
        if role == RAW_ROLE:
            if column == 0:
                return self.text(row, column)
            b = self.cell(row, column)
            figure = math.nan if b is None else self.figure(b)
            return -math.inf if math.isnan(figure) else figure  # none sorts as cheapest
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return _RIGHT
        shade = SHADES.get(self.band(row, column))
        if role == Qt.ItemDataRole.BackgroundRole and shade:
            return QColor(shade)
        if role == Qt.ItemDataRole.ForegroundRole and shade:
            return QColor(INK)
        if role == Qt.ItemDataRole.FontRole and self.is_average(row):
            font = QFont()
            font.setBold(True)
            return font
        return None


class AverageLast(QSortFilterProxyModel):
    """Sorts by the figures (RAW_ROLE), the alliance's average kept as the last row."""

    def lessThan(self, left: Index, right: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, BenchmarkModel)
        descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
        if model.is_average(left.row()):
            return descending
        if model.is_average(right.row()):
            return not descending
        return super().lessThan(left, right)


class BenchmarkingPage(ChartPage):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__("Benchmarking", "What each force's estate costs today (running cost "
                         "and support staff, from Today's estate) per officer or per 1,000 "
                         f"population, against the alliance's average. ▲ and red: "
                         f"{DEAR - 1:.0%} or more above the average (▲▲, "
                         f"{VERY_DEAR - 1:.0%} or more); ▼ and green: {1 - CHEAP:.0%} or "
                         "more below. Click a heading to sort; hover a figure for what it "
                         "is made of.", parent)
        self.document = document
        self.found: Benchmarking | None = None
        self._shown_for: tuple[object, ...] | None = None

        self.per = QComboBox()
        self.per.setAccessibleName("Benchmark per officer or per 1,000 population")
        for key, (label, _) in PER.items():
            self.per.addItem(f"£ {label}", key)
        self.service = QComboBox()
        self.service.setAccessibleName("Service shown in the chart")
        self.service.setToolTip("The service the Chart tab shows; clicking a column of "
                                "the table chooses it too")
        row = QHBoxLayout()
        for text, field, stretch in (("&Per:", self.per, 0), ("C&hart:", self.service, 1)):
            label = QLabel(text)
            label.setBuddy(field)
            row.addWidget(label)
            row.addWidget(field, stretch)
        self.layout_.addLayout(row)

        self.model = BenchmarkModel(self)
        self.proxy = AverageLast(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(RAW_ROLE)
        self.table = make_table(self.proxy, "Benchmarks: each force's cost of each service",
                                editable=False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the plan's order
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(0)
        self.chart = ChartWidget(self._draw, "Benchmark chart: each force, dearest first",
                                 describe=self._describe)
        self.tabs = QTabWidget()  # each the page's width: 21 columns, 43 names
        self.tabs.addTab(self.table, "Table")
        self.tabs.addTab(self.chart, "Chart")
        self.layout_.addWidget(self.tabs, 1)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName("Benchmarking: nothing to compare yet")
        self.empty.hide()  # until the plan, when shown, turns out to have nothing to compare
        self.layout_.addWidget(self.empty)
        self.finish()

        self.per.currentIndexChanged.connect(self.refresh)
        self.service.currentIndexChanged.connect(self._service_changed)
        self.table.selectionModel().currentColumnChanged.connect(self._column_chosen)
        document.changed.connect(self._plan_changed)  # filled when first shown

    # --- following the plan ---------------------------------------------------------------

    def refresh(self, *_: object) -> None:
        """The benchmarks of the plan as it is, per officer or population as chosen."""
        plan, per = self.document.plan, self.per.currentData()
        if self._shown_for == (plan, per):
            return
        self._shown_for = (plan, per)
        self.found = benchmarking(plan)
        self.model.set_benchmarks(plan, self.found, per)
        self._fill_services(plan)
        running = any(a.runs_it for a in self.found.averages.values())
        self.empty.setText("" if running else
                           "Nothing to compare yet: add what each force runs today on the "
                           "Today's estate page." if plan.forces else
                           "Nothing to compare yet: add the alliance's forces on the Forces "
                           "page, then what each runs on Today's estate.")
        self.empty.setVisible(not running)
        self.chart.set_minimum_height(len(plan.forces) * charts.EACH_FORCE_ROW + 110)
        self.chart.schedule()

    def _fill_services(self, plan: Plan) -> None:
        items = [(WHOLE_ESTATE_NAME, WHOLE_ESTATE)] + [(s.name, s.code) for s in plan.services]
        if items == [(self.service.itemText(i), self.service.itemData(i))
                     for i in range(self.service.count())]:
            return
        chosen = self.service.currentData()
        self.service.blockSignals(True)
        self.service.clear()
        for name, code in items:
            self.service.addItem(name, code)
        self.service.setCurrentIndex(max(0, self.service.findData(chosen)))
        self.service.blockSignals(False)

    def _column_chosen(self, current: QModelIndex, _: QModelIndex) -> None:
        if current.column() > 0:
            self.service.setCurrentIndex(current.column() - 1)

    def _service_changed(self, *_: object) -> None:
        self.chart.schedule()

    # --- the chart ------------------------------------------------------------------------

    def chart_figures(self) -> tuple[str, list[str], list[float], float]:
        """The chart's service, each force's name and figure (NaN if it does not run the
        service) and the alliance's average."""
        plan, found = self.document.plan, self.found
        code = self.service.currentData() or WHOLE_ESTATE
        name = self.service.currentText() or WHOLE_ESTATE_NAME
        if found is None:
            return name, [], [], math.nan
        figures = []
        for f in plan.forces:
            b = self.model.cells.get((f.code, code))
            figures.append(math.nan if b is None else self.model.figure(b))
        average = found.averages.get(code)
        return (name, [f.name for f in plan.forces], figures,
                math.nan if average is None else self.model.figure(average))

    def _describe(self) -> str:
        self.refresh()
        service, names, figures, average = self.chart_figures()
        return chart_text.benchmark(service, PER[self.model.per][0], names, figures,
                                    average, DEAR)

    def _draw(self, figure, theme) -> None:
        self.refresh()
        figure.clear()
        figure.set_facecolor(theme.background)
        figure.set_layout_engine("constrained", w_pad=0.06, h_pad=0.06)
        ax = figure.add_subplot(1, 1, 1)
        service, names, figures, average = self.chart_figures()
        unit = PER[self.model.per][0]
        title = f"{service}, £ a year {unit}; dashed: the alliance's average"
        if not math.isnan(average):
            title += f" ({pounds(average)})"
        charts.benchmark(ax, names, figures, average, charts.fit_title(title, figure, 0.62),
                         DEAR, CHEAP, theme)
