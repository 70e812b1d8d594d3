"""The board pack's figures as the program calculates them, cached beside their formulas.

What a board member reads (the Summary, every option's lines and results, each force's
lines, the Affordability sheet, the early exits, the risk sheet's check) carries its value,
so that a viewer that does not calculate shows the figures rather than blanks. Each value
is worked out as the cell's formula states it, from the engine's appraisal of the plan as
exported; a test holds every one to LibreOffice's recalculation of the same cell. The
workings sheets and each decision's detail rows are left to the spreadsheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.affordability import affordability, statement
from ..domain.engine import Results, compile_plan
from ..domain.headlines import HEADLINES, recommended
from ..domain.model import OptionRole, Plan, SharingBasis, financial_year_label
from . import affordability_sheet
from .cached import cache
from .cells import cell_at

if TYPE_CHECKING:
    from .board_pack import Pack

NEAR = 0.005  # the formulas' tolerance for "above zero" and "reached", a half penny


def pounds(value: float) -> str:
    """As TEXT(value, "£#,##0") gives it: whole pounds, halves away from zero."""
    whole = int(Decimal(repr(abs(value))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return ("-" if value < 0 and whole else "") + f"£{whole:,}"


class OptionFigures:
    """One option's cash-flow sheet, row by row, as its formulas work it out."""

    def __init__(self, plan: Plan, r: Results, fees: np.ndarray, o: int):
        b, n_t = r.baseline, plan.horizon_years
        self.rows: dict[str, Any] = {
            "df": r.discount_factors[:n_t],
            "running": r.running[o], "fte": r.support_fte[o], "staff": r.staff[o],
            "buildings": r.buildings[o], "transition": r.transition[o],
            "exit_fees": fees[o], "other_exit": r.exit[o] - fees[o],
            "severance": r.severance[o], "closure": r.closure_costs[o],
            "one_off": r.transition[o] + r.exit[o] + r.severance[o] + r.closure_costs[o],
            "other": r.other_savings[o], "receipts": r.receipts[o],
            "residual": r.residual_value[o], "net": r.total_cost[o],
            "baseline_net": r.total_cost[b], "saving": r.savings[o],
            "hours": r.officer_hours[o], "officer_fte": r.officer_fte[o],
            "non_cashable": r.non_cashable[o]}
        saving, nc = r.savings[o], r.non_cashable[o]
        cumulative = np.cumsum(saving)
        self.rows["cumulative"] = cumulative
        self.rows["year_cost"] = np.maximum(0, -saving) + np.maximum(0, -nc)
        self.rows["year_benefit"] = np.maximum(0, saving) + np.maximum(0, nc)
        tail_min = np.minimum.accumulate(cumulative[::-1])[::-1]
        self.rows["stays_positive"] = ((cumulative > NEAR) & (tail_min >= -NEAR)).astype(int)
        target = plan.savings_target
        self.rows["target_reached"] = (
            (cumulative >= target - NEAR).astype(int) if target is not None
            else np.zeros(n_t, dtype=int))
        self.totals = {k: float(v.sum()) for k, v in self.rows.items()
                       if k not in ("df", "fte", "cumulative", "hours", "officer_fte",
                                    "stays_positive", "target_reached")}
        self.results: dict[str, Any] = {
            "npv": float(r.npv[o]), "npsv": float(r.npsv[o]), "pvc": float(r.pv_costs[o]),
            "pvb": float(r.pv_benefits[o])}
        pvc = self.results["pvc"]
        self.results["bcr"] = self.results["pvb"] / pvc if pvc > 0 else "–"
        self.results["npsv_per_pound"] = self.results["npsv"] / pvc if pvc > 0 else "–"
        payback = np.flatnonzero(self.rows["stays_positive"])
        year = int(plan.base_year + payback[0]) if len(payback) else None
        self.results["payback"] = year if year is not None else "never"
        self.results["payback_label"] = financial_year_label(year) if year is not None else "never"
        reached = np.flatnonzero(self.rows["target_reached"])
        target_year = int(plan.base_year + reached[0]) if len(reached) else None
        self.results["target_year"] = target_year if target_year is not None else "never"
        if target is None:
            self.results["target_met"] = "no target"
        else:
            within = plan.savings_target_years or 0
            self.results["target_met"] = "met" if (
                target_year is not None and target_year - plan.base_year < within) \
                else "not met"


def cache_pack(wb: Any, pack: Pack, r: Results, names: Sequence[str],
               afford_rows: dict[tuple[int, str], int], first_force_row: int) -> None:
    """Record the value of every formula a board member reads in the pack ``wb``."""
    from .board_pack import FIRST_YEAR_COLUMN, SHARES_LINES, SUMMARY_HEADER, TOP

    plan = pack.plan
    n_t = plan.horizon_years
    x = compile_plan(plan)
    fees = x.exit_fee.sum(axis=1)  # [o, t]
    labels = [financial_year_label(plan.base_year + t) for t in range(n_t)]
    total = FIRST_YEAR_COLUMN + n_t
    figures = [OptionFigures(plan, r, fees, o) for o in range(len(plan.options))]

    def row_of(ws: Worksheet, row: int, values: Sequence[Any], total_value: Any = None
               ) -> None:
        for t, value in enumerate(values):
            cache(cell_at(ws, row, FIRST_YEAR_COLUMN + t), _plain(value))
        if total_value is not None:
            cache(cell_at(ws, row, total), _plain(total_value))

    for o, name in enumerate(names):
        ws, f = wb[name], figures[o]
        row_of(ws, TOP["header"], labels)
        for key, values in f.rows.items():
            row_of(ws, TOP[key], values, f.totals.get(key))
        for key, value in f.results.items():
            cache(cell_at(ws, TOP[key], FIRST_YEAR_COLUMN), value)

    _cache_shares(wb["Shares"], pack, r, x.exit_fee, labels, FIRST_YEAR_COLUMN,
                  SHARES_LINES)
    summary = wb["Summary"]
    headline_rows = {h.key: SUMMARY_HEADER + 1 + i for i, h in enumerate(HEADLINES)}
    from_sheet = {"npv": "npv", "npsv": "npsv", "pv_benefits": "pvb", "pv_costs": "pvc",
                  "bcr": "bcr", "npsv_per_pound": "npsv_per_pound",
                  "payback_year": "payback_label", "savings_target_status": "target_met"}
    last_year = {"support_fte_final_year": "fte", "officer_hours_released_per_week": "hours",
                 "officer_fte_equivalent": "officer_fte"}
    for key, row in headline_rows.items():
        for o, f in enumerate(figures):
            if key in from_sheet:
                value = f.results[from_sheet[key]]
            elif key in last_year:
                value = float(f.rows[last_year[key]][-1])
            else:  # one-off costs: the sum of the line
                value = f.totals["one_off"]
            cache(cell_at(summary, row, 2 + o), _plain(value))
    for i in range(len(plan.forces)):
        for o in range(len(plan.options)):
            cache(cell_at(summary, first_force_row + i, 2 + o), float(r.force_npv[o, i]))
    cache(summary["A3"], f"Base year {labels[0]}, {n_t} years, discount rate "
                         f"{plan.discount_rate * 100:.1f}% real; money in pounds at "
                         f"{labels[0]} prices")
    _cache_recommendation(summary["A5"], plan, r, figures)
    _cache_affordability(wb[affordability_sheet.SHEET], plan, afford_rows, labels,
                         FIRST_YEAR_COLUMN)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    return value


def _cache_recommendation(cell: Any, plan: Plan, r: Results,
                          figures: Sequence[OptionFigures]) -> None:
    roles = [o.role for o in plan.options]
    k = roles.index(OptionRole.PREFERRED) if OptionRole.PREFERRED in roles else \
        recommended(roles, r.npsv.tolist(), r.baseline)
    f = figures[k]
    cache(cell, f"Recommended: {plan.options[k].name}"
                f"{' (baseline)' if plan.options[k].is_baseline else ''} · NPSV "
                f"{pounds(f.results['npsv'])}, NPV {pounds(f.results['npv'])}, payback "
                f"{f.results['payback_label']}, one-off cost {pounds(f.totals['one_off'])}")


def _cache_shares(ws: Worksheet, pack: Pack, r: Results, exit_fee: np.ndarray,
                  labels: Sequence[str], first: int, lines: Sequence[str]) -> None:
    plan, layout = pack.plan, pack.shares
    n_t = plan.horizon_years
    from .board_pack import FIRST_WEIGHT_ROW

    basis = plan.sharing_basis
    for i, force in enumerate(plan.forces):
        figure = {SharingBasis.OFFICERS: force.officers,
                  SharingBasis.POPULATION: force.population,
                  SharingBasis.NET_REVENUE: force.net_revenue_budget or 0,
                  SharingBasis.AGREED: force.agreed_share or 0}.get(basis, 1)
        cache(cell_at(ws, FIRST_WEIGHT_ROW + i, 3), float(figure))
        cache(cell_at(ws, FIRST_WEIGHT_ROW + i, 4), float(r.weights[i]))
    by_line = {"fte": r.by_force["support_fte"], "severance": r.by_force["severance"],
               "exit_fees": exit_fee, "net": r.force_cost}
    for o in range(len(plan.options)):
        for t, label in enumerate(labels):
            cache(cell_at(ws, layout.start(o) + 1, first + t), label)
        for line in lines:
            for i in range(len(plan.forces)):
                row = layout.row(o, line, i)
                values = by_line[line][o, i]
                for t in range(n_t):
                    cache(cell_at(ws, row, first + t), float(values[t]))
                if line in ("severance", "exit_fees"):
                    cache(cell_at(ws, row, first + n_t), float(values.sum()))
                elif line == "net":
                    cache(cell_at(ws, row, first + n_t), float(r.force_npv[o, i]))


def _cache_affordability(ws: Worksheet, plan: Plan, rows: dict[tuple[int, str], int],
                         labels: Sequence[str], first: int) -> None:
    a = affordability(plan)
    n_t = plan.horizon_years
    for t, label in enumerate(labels):
        cache(cell_at(ws, 4, first + t), label)
        cache(cell_at(ws, 5, first + t), float(a.nominal[t]))
    for o in range(len(plan.options)):
        lines = {line.label: line.values for line in statement(a, o)}
        lines["Net cash, in cash of each year"] = lines["Net cash"] * a.nominal
        lines["Net cash against business as usual, in cash of each year"] = (
            lines["Net cash against business as usual"] * a.nominal)
        for label in affordability_sheet.LINES:
            row, values = rows[(o, label)], lines[label]
            for t in range(n_t):
                cache(cell_at(ws, row, first + t), float(values[t]))
            if label != "Cumulative against business as usual":
                cache(cell_at(ws, row, first + n_t), float(np.sum(values)))

