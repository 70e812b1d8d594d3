"""The window's pages of records: plan settings, the record tables, options and roadmap.

What every page shares is in page.py; these load once the first page has been painted.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from .. import charts, formats
from ..domain import schema
from . import chart_text
from .chart_widget import ChartWidget
from .document import PlanDocument
from .models import (
    DecisionsModel,
    EarlyExitsModel,
    PlanSettingsModel,
    RecordModel,
    SiteActionsModel,
)
from .page import Page, fill_option_choice, make_table
from .sites import SiteClosures
from .tables import FilterBar, make_sortable


class RecordPage(Page):
    """A collection as a table, with Add, Duplicate and Remove; sorted and filtered if
    `sortable` (the plan keeps its own order)."""

    def __init__(self, document: PlanDocument, collection: str, title: str,
                 help_text: str, parent: QWidget | None = None, *, sortable: bool = True):
        super().__init__(title, help_text, parent)
        self.model = RecordModel(document, collection, schema.COLLECTIONS[collection].columns, self)
        self.table = make_table(self.model, title)
        self.watch(self.model)
        buttons = QHBoxLayout()
        for text, slot, tip in (("Add", self.add, "Add a row (Ctrl+Shift+N)"),
                                ("Duplicate", self.duplicate, "Copy the selected row (Ctrl+D)"),
                                ("Remove", self.remove, "Remove the selected row")):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.setAccessibleName(f"{text} {title.lower()}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
        if sortable:
            make_sortable(self.table)
            buttons.addSpacing(24)
            buttons.addWidget(FilterBar(self.table, title.lower()), 1)
        else:
            buttons.addStretch(1)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.table, 1)
        self.finish()

    def _row(self) -> int | None:
        index = self.table.currentIndex()
        return self.table.source_row(index) if index.isValid() else None

    def add(self) -> None:
        if self.model.add():
            self.table.show_source_row(self.model.rowCount() - 1)

    def duplicate(self) -> None:
        row = self._row()
        if row is None:
            self._refused("Select a row to duplicate")
        elif self.model.duplicate(row):
            self.table.show_source_row(row + 1)

    def remove(self) -> None:
        row = self._row()
        if row is None:
            self._refused("Select a row to remove")
        else:
            self.model.remove(row)


class PlanPage(Page):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__("Plan", "The appraisal's settings. Money is in pounds at base-year "
                         "prices; years are financial years (2026 is 2026/27).", parent)
        self.model = PlanSettingsModel(document, schema.SETTINGS, self)
        self.table = make_table(self.model, "Plan settings")
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.watch(self.model)
        self.layout_.addWidget(self.table, 1)
        self.finish()


class OptionsPage(Page):
    """The options, and for the one selected: what it does with each service and site."""

    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__("Options", "The Green Book short list. Select an option to set, for "
                         "each service, whether it retains or converges, when, and at what "
                         "cost. Type percentages as 41 for 41%.", parent)
        self.document = document
        self.options = RecordPage(document, "options", "Options list", "", self, sortable=False)
        self.options.layout_.itemAt(0).widget().hide()  # the page has its own heading
        self.decisions = DecisionsModel(document, self)
        self.decisions_table = make_table(self.decisions, "Decisions for the option")
        self.sites = SiteActionsModel(document, self)
        self.sites_table = make_table(self.sites, "Site closures for the option")
        self.watch(self.decisions)
        self.watch(self.sites)
        self.options.refused.connect(self._refused)

        clear = QPushButton("No change to this service")
        clear.setAccessibleName("No change to the selected service")
        clear.clicked.connect(self._clear)
        decisions_box = QWidget()
        box = QVBoxLayout(decisions_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.decisions_table, 1)
        box.addWidget(clear, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget()
        self.tabs.addTab(decisions_box, "Services")
        self.closures = SiteClosures(self.sites_table, self.sites)
        self.closures.refused.connect(self._refused)
        self.tabs.addTab(self.closures, "Site closures")
        self.selected = QLabel()
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.options)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.selected)
        lower_layout.addWidget(self.tabs, 1)
        splitter.addWidget(lower)
        splitter.setSizes([180, 420])
        self.layout_.addWidget(splitter, 1)
        self.finish()
        self.options.table.selectionModel().currentRowChanged.connect(
            lambda current, _: self.select_option(current.row()))
        document.changed.connect(self._label)
        self.select_option(0)

    def select_option(self, row: int) -> None:
        if row < 0:
            return
        current = self.options.table.currentIndex()
        target = self.options.model.index(row, 1)
        if target.isValid() and (not current.isValid() or current.row() != row):
            # Making the row current calls back here, through currentRowChanged, once.
            self.options.table.selectionModel().setCurrentIndex(
                target, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            return
        self.decisions.set_option(row)
        self.sites.set_option(row)
        self._label()

    def _label(self) -> None:
        plan = self.document.plan
        if self.decisions.option_index < len(plan.options):
            option = plan.options[self.decisions.option_index]
            self.selected.setText(f"<b>{option.name}</b>: what it does with each service")

    def _clear(self) -> None:
        index = self.decisions_table.currentIndex()
        if index.isValid():
            self.decisions.clear(index.row())
        else:
            self._refused("Select a service first")


class RoadmapPage(Page):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__("Roadmap", "When each service goes live in an option, against each "
                         "force's contract end (|). A red ▼ is a go-live before a contract "
                         "ends: an early exit, listed below with its cost. Optimise chooses "
                         "the roadmap of most NPSV within the plan's limits and the service "
                         "links below.", parent)
        self.document = document
        self.option = QComboBox()
        self.option.setAccessibleName("Option shown on the roadmap")
        row = QHBoxLayout()
        label = QLabel("&Option:")
        label.setBuddy(self.option)
        row.addWidget(label)
        row.addWidget(self.option, 1)
        self.optimise_button = QPushButton("Optimise…")
        self.optimise_button.setAccessibleName("Optimise the roadmap")
        self.optimise_button.setToolTip("Choose each service's change and go-live year for "
                                        "the most NPSV within the plan's limits, as a new "
                                        "option")
        self.optimise_button.clicked.connect(self.optimise)
        row.addWidget(self.optimise_button)
        self.layout_.addLayout(row)
        self.outcome = QLabel()
        self.outcome.setAccessibleName("Optimiser's answer")
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.layout_.addWidget(self.outcome)
        self.chart = ChartWidget(self._draw, "Roadmap chart", describe=lambda: chart_text.roadmap(
            document.plan, document.results, self._option_index()))
        self.exits = EarlyExitsModel(document, self)
        self.exits_table = make_table(self.exits, "Early exits", editable=False)
        self.exits_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.links = RecordPage(document, "service_links", "Service links",
                                f"<b>Service links.</b> {schema.SERVICE_LINKS.help}", self,
                                sortable=False)
        self.links.layout_.itemAt(0).widget().hide()  # its help says what it is
        self.links.refused.connect(self._refused)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.exits_table)
        splitter.addWidget(self.links)
        splitter.setSizes([380, 120, 200])
        self.layout_.addWidget(splitter, 1)
        self.finish()
        self._fill_options()
        self.option.currentIndexChanged.connect(self._option_changed)
        document.changed.connect(self._fill_options)
        document.changed.connect(self.chart.schedule)

    def _fill_options(self) -> None:
        if fill_option_choice(self.option, self.document.plan, self.document.results):
            self._option_changed()

    def _option_index(self) -> int:
        return max(0, min(self.option.currentIndex(), len(self.document.plan.options) - 1))

    def _option_changed(self, *_: object) -> None:
        plan = self.document.plan
        if plan.options:
            self.exits.set_option(plan.options[self._option_index()].code)
        self.chart.set_minimum_height(charts.roadmap_height(plan))  # scrolls, names clear
        self.chart.schedule()

    # Edit › Add, Duplicate and Remove act on the service links
    def add(self) -> None:
        self.links.add()

    def duplicate(self) -> None:
        self.links.duplicate()

    def remove(self) -> None:
        self.links.remove()

    def optimise(self) -> None:
        """Ask for the limits, then optimise off the GUI thread (see ui/optimise.py)."""
        from .optimise import OptimiseDialog, run_optimiser

        dialog = OptimiseDialog(self.document.plan, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.outcome.hide()
        run_optimiser(self, self.document, dialog.limits(), refuse=self._refused,
                      report=self._report, shown=self._show_roadmap)

    def _report(self, text: str) -> None:
        self.outcome.setText(text)
        self.outcome.show()

    def _show_roadmap(self, roadmap) -> None:
        self.option.setCurrentIndex(self.document.plan.options.index(roadmap.option))
        self._report(f"<b>{html.escape(roadmap.option.name)}</b> added: NPSV "
                     f"{formats.money(roadmap.npsv)}; " + "; ".join(roadmap.limits_met())
                     + f". {roadmap.solver_line()}.")

    def _draw(self, figure, theme) -> None:
        figure.clear()
        figure.set_facecolor(theme.background)
        ax = figure.add_subplot(1, 1, 1)
        charts.roadmap(ax, self.document.plan, self.document.results, self._option_index(),
                       theme)
        figure.tight_layout(pad=1.0)
