"""Can the forces pay for it: each option's cash by year and by force, capital and revenue,
in base-year prices and in cash of each year, beside the appraisal.

The appraisal (NPV, NPSV) answers "is it worth doing"; a board's next question is "can we
afford it, and in which year's budget". The answer is the same cash lines as the
appraisal's, regrouped the way a force's budget is:

* **capital**: the one-off investment (transition costs and site closure costs);
* **capital receipts**: sites sold;
* **revenue**: what runs each year (running costs, support staff, buildings) and the one-off
  costs a revenue budget bears (exit fees and other exit costs, severance), less other
  cashable savings.

Residual values and officer hours are not cash and stay out. Optimism bias is inside these
lines, as the appraisal counts it, and is also shown on its own line: the part of each
year's capital and revenue that is the uplift rather than the estimate, so that a finance
reviewer can see both the budget to hold and the contingency within it.

Cash of a year is the base-year figure times D(year) / D(base year), the plan's own GDP
deflator series extended by its growth: the inverse of how cash inputs were brought to
base-year prices.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .engine import LINES, compile_plan, evaluate_lines, nominal_factors
from .green_book import OBCategory
from .model import Decision, Plan
from .tables import read

Floats = NDArray[np.float64]

CAPITAL = ("transition", "closure_costs")
RECEIPTS = ("receipts",)
REVENUE_COSTS = ("running", "staff", "buildings", "exit", "severance")
REVENUE_OFFSETS = ("other_savings",)


@dataclass(frozen=True)
class Affordability:
    """Each option's cash, [o, f, t] in base-year prices; ``nominal`` turns a year's
    figure into cash of that year."""

    years: tuple[int, ...]
    option_codes: tuple[str, ...]
    force_codes: tuple[str, ...]
    baseline: int
    capital: Floats
    receipts: Floats
    revenue: Floats
    optimism_bias: Floats  # the part of capital + revenue that is optimism bias
    nominal: Floats  # [t] cash of year t per £ of base-year prices

    @property
    def net(self) -> Floats:
        """Cash out less cash in, [o, f, t]."""
        result: Floats = self.capital - self.receipts + self.revenue
        return result

    @property
    def revenue_change(self) -> Floats:
        """Each option's revenue against business as usual, [o, f, t]: negative is a
        saving to the forces' revenue budgets."""
        change: Floats = self.revenue - self.revenue[self.baseline]
        return change

    def in_cash(self, figures: Floats) -> Floats:
        """``figures`` (any array whose last axis is the year) in cash of each year."""
        cash: Floats = figures * self.nominal
        return cash


def affordability(plan: Plan) -> Affordability:
    """The plan's cash by option, force and year, regrouped as budgets are."""
    stacked = _lines(plan)
    unbiased = _lines(without_optimism_bias(plan))

    def total(names: tuple[str, ...], lines: Floats = stacked) -> Floats:
        summed: Floats = np.sum([lines[LINES.index(n)] for n in names], axis=0)
        return summed.transpose(1, 0, 2)  # [f, o, t] to [o, f, t]

    def revenue(lines: Floats) -> Floats:
        net: Floats = total(REVENUE_COSTS, lines) - total(REVENUE_OFFSETS, lines)
        return net

    capital, revenue_ = total(CAPITAL), revenue(stacked)
    bias = capital + revenue_ - total(CAPITAL, unbiased) - revenue(unbiased)
    years = tuple(range(plan.base_year, plan.base_year + plan.horizon_years))
    return Affordability(
        years=years,
        option_codes=tuple(o.code for o in plan.options),
        force_codes=tuple(f.code for f in plan.forces),
        baseline=next(i for i, o in enumerate(plan.options) if o.is_baseline),
        capital=capital, receipts=total(RECEIPTS), revenue=revenue_, optimism_bias=bias,
        nominal=nominal_factors(plan))


def without_optimism_bias(plan: Plan) -> Plan:
    """The plan with every decision's optimism bias, one-off and running, set to none."""
    def plain(decision: Decision) -> Decision:
        return dataclasses.replace(
            decision, optimism_bias=0.0, running_optimism_bias=0.0,
            ob_category=OBCategory.STATED, running_ob_category=OBCategory.STATED)

    return dataclasses.replace(plan, options=tuple(
        dataclasses.replace(o, decisions=tuple(plain(d) for d in o.decisions))
        for o in plan.options))


def _lines(plan: Plan) -> Floats:
    lines: Floats = evaluate_lines(compile_plan(plan, tables=read(plan)))
    return lines


@dataclass(frozen=True)
class Line:
    label: str
    help: str
    values: Floats  # [t]
    summed: bool = True  # a total over the years means something


def statement(a: Affordability, o: int, force: int | None = None, *,
              cash: bool = False) -> tuple[Line, ...]:
    """One option's affordability statement, for the alliance or one force, year by year:
    the lines the window, the command line and the board pack show, in their order."""
    def pick(figures: Floats) -> Floats:
        chosen: Floats = figures[o].sum(axis=0) if force is None else figures[o, force]
        return a.in_cash(chosen) if cash else chosen

    def baseline(figures: Floats) -> Floats:
        chosen: Floats = (figures[a.baseline].sum(axis=0) if force is None
                          else figures[a.baseline, force])
        return a.in_cash(chosen) if cash else chosen

    capital, receipts, revenue = pick(a.capital), pick(a.receipts), pick(a.revenue)
    net = capital - receipts + revenue
    bau_revenue = baseline(a.revenue)
    against = net - baseline(a.net)
    return (
        Line("Capital", "Transition costs and site closure costs, optimism bias included",
             capital),
        Line("Capital receipts", "Sites sold", receipts),
        Line("Revenue", "Running costs, support staff, buildings, exit fees and severance, "
             "less other cashable savings, optimism bias included", revenue),
        Line("Net cash", "Capital less receipts plus revenue: what the forces pay", net),
        Line("of which optimism bias", "The Green Book uplift within capital and revenue: "
             "the contingency in the budget", pick(a.optimism_bias)),
        Line("Business as usual revenue", "What the forces' revenue budgets pay today, "
             "carried on", bau_revenue),
        Line("Revenue against business as usual", "Negative is a saving to the revenue "
             "budgets", revenue - bau_revenue),
        Line("Net cash against business as usual", "Negative is less cash than business as "
             "usual", against),
        Line("Cumulative against business as usual", "The funding needed until the "
             "savings repay it (at its highest) and the cash saved since",
             np.cumsum(against), summed=False),
    )


def statement_json(plan: Plan, a: Affordability, o: int, force: int | None,
                   cash: bool) -> dict[str, object]:
    """The statement as plain data: money in pounds, to the penny."""
    return {
        "option": a.option_codes[o], "force": None if force is None else a.force_codes[force],
        "prices": "cash" if cash else f"real, {plan.base_year} prices",
        "years": list(a.years),
        "lines": [{"line": line.label, "means": line.help,
                   "values": [round(float(v), 2) for v in line.values],
                   "total": round(float(line.values.sum()), 2) if line.summed else None}
                  for line in statement(a, o, force, cash=cash)]}


def statement_text(plan: Plan, a: Affordability, o: int, force: int | None,
                   cash: bool) -> str:
    """The statement as a table in £m, one line a row, one year a column."""
    from .model import financial_year_label

    who = "the alliance" if force is None else plan.forces[force].name
    prices = ("cash of each year" if cash
              else f"{financial_year_label(plan.base_year)} prices (real terms)")
    width = max(len(line.label) for line in statement(a, o, force, cash=cash)) + 2
    heads = [financial_year_label(y) for y in a.years] + ["Total"]
    rows = [f"{plan.options[o].name}: affordability for {who}, £m, {prices}",
            " " * width + "".join(f"{h:>9}" for h in heads)]
    for line in statement(a, o, force, cash=cash):
        total = f"{line.values.sum() / 1e6:9.2f}" if line.summed else " " * 9
        rows.append(f"{line.label:<{width}}" + "".join(
            f"{v / 1e6:9.2f}" for v in line.values) + total)
    return "\n".join(rows)
