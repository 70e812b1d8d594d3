"""Compare › Affordability: any option's cash by year as the forces' budgets hold it
(capital, receipts, revenue, the optimism bias within them, and against business as
usual), for the alliance or one force, in base-year prices or in cash of each year.

Worked out when the tab is shown, not on every edit: it appraises the plan twice (with and
without optimism bias), which a page nobody is looking at need not pay for.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..domain.affordability import Affordability, affordability, statement
from ..domain.model import financial_year_label
from . import figure_tables as ft
from .document import PlanDocument
from .page import fill_option_choice

ALLIANCE = -1
REAL, CASH = "real", "cash"


def _total(value: float) -> str:
    """A line whose total means nothing (a running sum) shows none."""
    return "" if math.isnan(value) else ft.money(value)


class AffordabilityTab(QWidget):
    def __init__(self, document: PlanDocument, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._worked_out: tuple[object, Affordability] | None = None
        self._shown_for: tuple[object, ...] | None = None
        self.option = QComboBox()
        self.option.setAccessibleName("Option whose affordability is shown")
        self.force = QComboBox()
        self.force.setAccessibleName("The alliance or one force")
        self.prices = QComboBox()
        self.prices.setAccessibleName("Prices")
        self.prices.addItem("Base-year prices (real)", REAL)
        self.prices.addItem("Cash of each year (nominal)", CASH)
        self.prices.setToolTip("Cash of each year is the real figure times the year's GDP "
                               "deflator over the base year's (Deflators page)")
        row = QHBoxLayout()
        for text, field in (("&Option:", self.option), ("&For:", self.force),
                            ("&Prices:", self.prices)):
            label = QLabel(text)
            label.setBuddy(field)
            row.addWidget(label)
            row.addWidget(field, 1 if field is self.option else 0)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.model = ft.FiguresModel(self)
        self.table = ft.figures_table(self.model, "Affordability by year")
        self.table.setSortingEnabled(False)  # the lines read in their order, as a statement
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        column.addWidget(self.caption)
        column.addWidget(self.table, 1)
        self._fill_choices()
        for combo in (self.option, self.force, self.prices):
            combo.currentIndexChanged.connect(self.refresh)
        document.changed.connect(self._plan_changed)

    def _plan_changed(self) -> None:
        self._fill_choices()
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _fill_choices(self) -> None:
        plan = self.document.plan
        fill_option_choice(self.option, plan, self.document.results)
        items = [("All forces", ALLIANCE)] + [(f.name, i) for i, f in enumerate(plan.forces)]
        if items != [(self.force.itemText(i), self.force.itemData(i))
                     for i in range(self.force.count())]:
            chosen = self.force.currentText()
            self.force.blockSignals(True)
            self.force.clear()
            for name, index in items:
                self.force.addItem(name, index)
            self.force.setCurrentIndex(max(0, self.force.findText(chosen)))
            self.force.blockSignals(False)

    def figures(self) -> Affordability:
        plan = self.document.plan
        if self._worked_out is None or self._worked_out[0] is not plan:
            self._worked_out = (plan, affordability(plan))
        return self._worked_out[1]

    def refresh(self, *_: object) -> None:
        """The statement for the option, force and prices chosen, if any of them changed."""
        plan = self.document.plan
        if not plan.options or not plan.forces:
            self.model.set_table([], [])
            self.caption.setText("Add forces and options to see what each option costs "
                                 "the forces' budgets.")
            return
        o = max(0, min(self.option.currentIndex(), len(plan.options) - 1))
        force = self.force.currentData()
        cash = self.prices.currentData() == CASH
        key = (plan, o, force, cash)
        if key == self._shown_for:
            return
        self._shown_for = key
        a = self.figures()
        lines = statement(a, o, None if force in (None, ALLIANCE) else force, cash=cash)
        columns = [ft.Column("Line", str, figure=False)] + [
            ft.Column(financial_year_label(y), ft.money) for y in a.years] + [
            ft.Column("Total", _total, "Over the period, undiscounted")]
        rows = [(line.label, *map(float, line.values),
                 float(line.values.sum()) if line.summed else float("nan"))
                for line in lines]
        self.model.set_table(columns, rows)
        option = plan.options[o]
        who = "the alliance" if force in (None, ALLIANCE) else plan.forces[force].name
        prices = (f"cash of each year (the GDP deflator, {plan.deflator_growth:.1%} a year "
                  "after its series)" if cash
                  else f"{financial_year_label(plan.base_year)} prices (real terms)")
        self.caption.setText(
            f"What <b>{option.name}</b> costs {who}'s budgets, year by year, in {prices}. "
            "Capital is transition and site closure costs; revenue is running costs, "
            "support staff, buildings, exit fees and severance less other savings; both "
            "include optimism bias, shown on its own line. Residual values and officer "
            "hours are not cash and are left out: the appraisal is on the first tab.")
