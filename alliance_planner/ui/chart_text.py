"""Each chart of the window said in words, with its key figures: the accessible description
a screen reader gives for the chart, which it cannot read from the picture.

Plain functions of the figures the chart draws (no Qt), kept short: what the chart shows,
then the figures a sighted reader takes from it first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from .. import formats
from ..charts import target_label
from ..domain.engine import Results
from ..domain.model import Mode, Plan, financial_year_label

if TYPE_CHECKING:  # the risk and sensitivity modules load with the Risk page, not at start
    from ..domain.risk import Simulation
    from ..domain.sensitivity import Bar

NAMED = 5
"""Figures named from the top of a long list, before the last one."""


def _in(value: float, unit: str) -> str:
    if unit == "£":
        return formats.money(value)
    return f"{value:,.1f} {unit}" if abs(value) < 10 else f"{value:,.0f} {unit}"


def ranked(pairs: Sequence[tuple[str, float]], unit: str = "£") -> str:
    """'A £3.00m, B £2.00m, … and lowest Z £0.10m (12 in all)', highest first."""
    order = sorted((p for p in pairs if not math.isnan(p[1])), key=lambda p: -p[1])
    if not order:
        return "none"
    said = [f"{name} {_in(value, unit)}" for name, value in order[:NAMED]]
    if len(order) > NAMED:
        name, value = order[-1]
        said.append(f"… and lowest {name} {_in(value, unit)} ({len(order)} in all)")
    return ", ".join(said)


def _target(plan: Plan) -> str:
    return f"the {target_label(plan)}" if plan.savings_target is not None \
        else "no savings target set"


def compare(plan: Plan, results: Results) -> str:
    names = [o.name for o in plan.options]
    if not names:
        return "No options yet."
    last = financial_year_label(int(results.years[-1]))
    cumulative = results.savings.sum(axis=1)
    lines = [f"{names[o]}: NPV {formats.money(float(results.npv[o]))}, savings to {last} "
             f"{formats.money(float(cumulative[o]))}, support staff in {last} "
             f"{float(results.support_fte[o, -1]):,.1f} FTE"
             for o in range(len(names)) if o != results.baseline]
    return ("Net cost by year, cumulative savings against " + _target(plan)
            + ", support staff by year and each force's NPV, for each option. "
            + ("; ".join(lines) or "Only business as usual so far") + ".")


def overview(plan: Plan, results: Results, recommended: int) -> str:
    others = [(o.name, float(results.npsv[i])) for i, o in enumerate(plan.options)
              if i != results.baseline]
    if not others or recommended < 0:
        return "No option to rank yet: the plan has only business as usual."
    savings = float(results.savings[recommended].sum())
    return (f"Options ranked by NPSV: {ranked(others)}. "
            f"{plan.options[recommended].name}'s cumulative savings reach "
            f"{formats.money(savings)} by {financial_year_label(int(results.years[-1]))}, "
            f"against {_target(plan)}.")


def each_force(title: str, option: str, names: Sequence[str], values: np.ndarray,
               unit: str) -> str:
    pairs = list(zip(names, (float(v) for v in values), strict=True))
    return f"{title} in {option}, highest first: {ranked(pairs, unit)}."


def benchmark(service: str, per: str, names: Sequence[str], figures: Sequence[float],
              average: float, dear: float) -> str:
    pairs = list(zip(names, figures, strict=True))
    running = [v for v in figures if not math.isnan(v)]
    if not running:
        return f"{service}: no force runs it yet."
    above = sum(1 for v in running if average > 0 and v >= dear * average)
    return (f"{service}, £ a year {per}, dearest first: {ranked(pairs)}. The alliance's "
            f"average is {formats.money(average)}; {above} of {len(running)} forces are "
            f"{dear - 1:.0%} or more above it.")


def roadmap(plan: Plan, results: Results, o: int) -> str:
    if not plan.options:
        return "No options yet."
    option = plan.options[o]
    names = {s.code: s.name for s in plan.services}
    live = [f"{names.get(d.service, d.service)} {financial_year_label(d.go_live_year)}"
            for d in option.decisions if d.mode is not Mode.RETAIN]
    exits = [e for e in results.early_exits if e.option == option.code]
    fees = sum(e.exit_cost for e in exits)
    return (f"Go-lives of {option.name}, against each force's contract end: "
            + (", ".join(live) if live else "no service changes") + ". "
            + (f"{len(exits)} early exit(s), {formats.money(fees)} in fees."
               if exits else "No early exits."))


def tornado(option: str, bars: Sequence[Bar], central: float) -> str:
    said = [f"{b.label} ({formats.money(b.npsv_low)} to {formats.money(b.npsv_high)})"
            for b in sorted(bars, key=lambda b: -b.swing)[:NAMED]]
    return (f"{option}: NPSV {formats.money(central)}, and with each input at each end of "
            f"its range; the widest first: " + ("; ".join(said) or "no ranged inputs") + ".")


def risk(plan: Plan, sim: Simulation) -> str:
    names = {o.code: o.name for o in plan.options}
    p10, p50, p90 = sim.percentiles(sim.npsv)
    positive = sim.p_npv_positive
    said = [f"{names.get(code, code)}: P10 {formats.money(float(p10[o]))}, P50 "
            f"{formats.money(float(p50[o]))}, P90 {formats.money(float(p90[o]))}, "
            f"NPV positive in {float(positive[o]):.0%} of draws"
            for o, code in enumerate(sim.option_codes) if o != sim.baseline]
    return (f"Histogram and S-curve of NPSV over {sim.runs:,} draws. "
            + ("; ".join(said) or "Only business as usual") + ".")
