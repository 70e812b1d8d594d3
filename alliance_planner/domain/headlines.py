"""The headline figures of an appraisal, declared once.

``summary`` (text and JSON), the window's Compare page and the board pack's Summary sheet
all list these, in this order, with these labels: a figure added here appears in each
of them (the board pack names the formula for each and a test fails if one is missing).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .. import formats
from .engine import Results
from .model import OptionRole, Plan, financial_year_label


class Unit(StrEnum):
    MONEY = "£"
    RATIO = "ratio"
    YEAR = "financial year"
    FTE = "FTE"
    HOURS = "hours a week"
    STATUS = "status"


@dataclass(frozen=True)
class Headline:
    """A headline figure of an option, as summary, Compare and the board pack show it."""

    key: str
    """Its name in ``summary --json``."""
    label: str
    unit: Unit
    help: str
    value: Callable[[Plan, Results, int], Any]
    """The figure for option o: a number, a year (None for never), or a status text."""
    short: str = ""
    """Its column heading in the text summary; empty to leave it out of that table."""

    def show(self, value: Any) -> str:
        """The figure as people read it: £1.23m, 1.60, 2028/29, 28.3."""
        if self.unit is Unit.MONEY:
            return formats.money(value)
        if self.unit is Unit.RATIO:
            return "–" if value is None or math.isnan(value) else f"{value:.2f}"
        if self.unit is Unit.YEAR:
            return "never" if value is None else financial_year_label(value)
        if self.unit is Unit.FTE:
            return f"{value:,.1f}"
        if self.unit is Unit.HOURS:
            return f"{value:,.0f}"
        return str(value)


def _year(r: Results, index: int) -> int | None:
    return int(r.years[index]) if index >= 0 else None


def _bcr(plan: Plan, r: Results, o: int) -> float | None:
    value = float(r.bcr[o])
    return None if math.isnan(value) else value


def _target(plan: Plan, r: Results, o: int) -> str:
    if plan.savings_target is None:
        return "no target"
    if plan.options[o].is_baseline:
        return "–"
    year = _year(r, int(r.target_year[o]))
    when = f" ({financial_year_label(year)})" if year is not None else ""
    return ("met" if r.target_met[o] else "not met") + when


HEADLINES: tuple[Headline, ...] = (
    Headline("npv", "NPV (cashable)", Unit.MONEY,
             "Present value of cashable savings against the baseline",
             lambda p, r, o: float(r.npv[o]), "NPV"),
    Headline("npsv", "NPSV (with officer hours)", Unit.MONEY,
             "Net present social value: NPV plus the officer hours released, valued",
             lambda p, r, o: float(r.npsv[o]), "NPSV"),
    Headline("pv_benefits", "PV benefits", Unit.MONEY,
             "Present value of every line that improves on the baseline",
             lambda p, r, o: float(r.pv_benefits[o])),
    Headline("pv_costs", "PV costs", Unit.MONEY,
             "Present value of every line that costs more than the baseline",
             lambda p, r, o: float(r.pv_costs[o])),
    Headline("bcr", "Benefit–cost ratio", Unit.RATIO,
             "PV benefits / PV costs, netted year by year", _bcr, "BCR"),
    Headline("npsv_per_pound", "NPSV per £ of net public spending", Unit.RATIO,
             "NPSV / PV costs: what each pound of net public spending returns",
             lambda p, r, o: None if math.isnan(r.npsv_per_pound[o])
             else float(r.npsv_per_pound[o])),
    Headline("payback_year", "Payback year", Unit.YEAR,
             "First year cumulative savings stay positive",
             lambda p, r, o: None if p.options[o].is_baseline
             else _year(r, int(r.payback[o])), "payback"),
    Headline("one_off_cost", "One-off costs (transition, exit, severance, closure)",
             Unit.MONEY, "Transition (with optimism bias), exit fees and costs, severance "
             "and site closure costs, undiscounted",
             lambda p, r, o: float(r.transition[o].sum() + r.exit[o].sum()
                                   + r.severance[o].sum() + r.closure_costs[o].sum()),
             "one-off"),
    Headline("support_fte_final_year", "Support FTE, final year", Unit.FTE,
             "Support staff in the appraisal's last year",
             lambda p, r, o: float(r.support_fte[o, -1])),
    Headline("officer_hours_released_per_week", "Officer hours a week, final year",
             Unit.HOURS, "Officer hours released a week at full run rate",
             lambda p, r, o: float(r.officer_hours[o, -1]), "hours/wk"),
    Headline("officer_fte_equivalent", "Officer FTE released", Unit.FTE,
             "Hours a week / visible hours per officer-week",
             lambda p, r, o: float(r.officer_fte[o, -1]), "officer FTE"),
    Headline("savings_target_status", "Savings target", Unit.STATUS,
             "Whether cumulative cashable savings reach the plan's target in time", _target),
)
BY_KEY: dict[str, Headline] = {h.key: h for h in HEADLINES}


def recommended(roles: Sequence[OptionRole], npsv: Sequence[float], baseline: int) -> int:
    """The option a board is asked to back: the one the plan marks preferred, else the best
    by NPSV of those that are not the baseline (the baseline only if it stands alone).
    Everything that names a recommendation (summary, risk, the pack, the window) asks here."""
    if OptionRole.PREFERRED in roles:
        return list(roles).index(OptionRole.PREFERRED)
    others = [o for o in range(len(roles)) if o != baseline]
    return max(others, key=lambda o: npsv[o]) if others else baseline
