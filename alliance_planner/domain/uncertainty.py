"""The plan's ranged inputs, and the figures as exact linear functions of them.

Every decision carries a range on its costs and on its benefits (low x, high x), and a
decision whose optimism bias comes from a Green Book category carries that category's range
of rates (its lower to its upper bound). Each of these moves a few of the decision's
amounts in proportion, and each figure the board reads (NPV, NPSV, each force's share, the
savings in each year) is a sum of such amounts discounted: so every figure is exactly

    figure = central figure + sum over components k of (factor_k - 1) x coefficient_k

where a *component* is one part of one decision (its one-off costs, exit costs, shared
running costs, benefits) and its *factor* the product of the inputs that scale it. The
coefficients are worked out once from the compiled plan, so a tornado bar, a switching
value and 10,000 Monte Carlo draws are each one small matrix product, not a recompute
each; the tests check every one against a recompute of the plan with the input changed
(:func:`apply`).

What a range does not move, because it would not be proportional: a decision's support
staff numbers (severance depends on each year's fall in staff, clipped at zero), today's
estate (known, not estimated) and early-termination fees (set by contract).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
from numpy.typing import NDArray

from .engine import Inputs, Results, appraise, compile_plan, held_changes
from .green_book import CAPITAL_OB, RUNNING_OB, OBCategory, ob_rate
from .headlines import recommended
from .model import Decision, OptionRole, Plan
from .tables import read

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]


class Component(StrEnum):
    """The parts of a decision that a range scales."""

    ONE_OFF = "one-off costs"  # the transition, with its optimism bias and residual value
    EXIT = "exit costs"  # the decision's own exit costs (not contract fees)
    RUNNING = "running costs"  # the shared running cost, with its optimism bias
    BENEFIT = "benefits"  # other savings and officer hours released


COMPONENTS: Final = tuple(Component)


class Kind(StrEnum):
    """What a ranged input is."""

    COST = "costs"
    BENEFIT = "benefits"
    OPTIMISM_BIAS = "optimism bias"
    RUNNING_OPTIMISM_BIAS = "running optimism bias"


SCALES: Final[dict[Kind, tuple[Component, ...]]] = {
    Kind.COST: (Component.ONE_OFF, Component.EXIT, Component.RUNNING),
    Kind.BENEFIT: (Component.BENEFIT,),
    Kind.OPTIMISM_BIAS: (Component.ONE_OFF,),
    Kind.RUNNING_OPTIMISM_BIAS: (Component.RUNNING,),
}


@dataclass(frozen=True)
class Ranged:
    """One input with a range: a decision's cost or benefit multiplier, or its optimism
    bias rate. ``likely`` is the value the plan holds (1 for a multiplier)."""

    option: str
    service: str
    kind: Kind
    low: float
    likely: float
    high: float
    label: str
    group: str = ""
    """Inputs that move together share a group (costs on one platform); '' for none."""
    row: int = -1
    """The decision's row of the plan's decisions table (options' decisions in order)."""

    @property
    def key(self) -> str:
        return f"{self.option}/{self.service}/{self.kind.name.lower()}"

    @property
    def is_rate(self) -> bool:
        return self.kind in (Kind.OPTIMISM_BIAS, Kind.RUNNING_OPTIMISM_BIAS)

    @property
    def spread(self) -> bool:
        return self.high > self.low

    def factor(self, value: Floats | float) -> Floats | float:
        """What the input at ``value`` multiplies its components by."""
        if self.is_rate:
            return (1.0 + value) / (1.0 + self.likely)
        return value

    def describe(self, value: float) -> str:
        return f"{value:.1%}" if self.is_rate else f"{value:.2f}×"


def ranged_inputs(plan: Plan, *, spread_only: bool = True) -> tuple[Ranged, ...]:
    """Every ranged input of the decisions that change something, in plan order: for each,
    its costs and benefits, then its optimism bias rates where they come from the Green
    Book's table. ``spread_only``: leave out ranges from 1x to 1x."""
    services = {s.code: s.name for s in plan.services}
    held = _held_rows(plan)
    found: list[Ranged] = []
    row = -1
    for option in plan.options:
        for d in option.decisions:
            row += 1
            if row not in held:
                continue
            where = f"{option.code} · {services.get(d.service, d.service)}"
            group = f"platform {d.platform}" if d.platform.strip() else ""
            candidates = [
                Ranged(option.code, d.service, Kind.COST, d.cost_low, 1.0, d.cost_high,
                       f"{where}: costs", group, row),
                Ranged(option.code, d.service, Kind.BENEFIT, d.benefit_low, 1.0,
                       d.benefit_high, f"{where}: benefits", "", row),
            ]
            if d.transition_cost and d.ob_category is not OBCategory.STATED:
                upper, lower = CAPITAL_OB[d.ob_category]
                candidates.append(Ranged(
                    option.code, d.service, Kind.OPTIMISM_BIAS, lower,
                    ob_rate(d.ob_category, d.ob_mitigation, d.optimism_bias), upper,
                    f"{where}: optimism bias", "", row))
            if d.shared_running_cost and d.running_ob_category is not OBCategory.STATED:
                upper, lower = RUNNING_OB[d.running_ob_category]
                candidates.append(Ranged(
                    option.code, d.service, Kind.RUNNING_OPTIMISM_BIAS, lower,
                    ob_rate(d.running_ob_category, d.running_ob_mitigation,
                            d.running_optimism_bias, running=True), upper,
                    f"{where}: running optimism bias", "", row))
            found.extend(r for r in candidates if r.spread or not spread_only)
    return tuple(found)


def _held_rows(plan: Plan) -> set[int]:
    """The decisions' rows that some option is held to (those that change something)."""
    tables = read(plan)
    _, rows = held_changes(tables)
    return set(range(len(tables["decisions"].records))) if rows is None else set(rows)


def apply(plan: Plan, ranged: Ranged, value: float) -> Plan:
    """The plan with one input set to ``value``: what a recompute of a tornado bar or a
    switching value runs. A multiplier scales the decision's amounts; a rate is stated."""
    def change(d: Decision) -> Decision:
        if ranged.kind is Kind.COST:
            return dataclasses.replace(d, transition_cost=d.transition_cost * value,
                                       exit_cost=d.exit_cost * value,
                                       shared_running_cost=d.shared_running_cost * value)
        if ranged.kind is Kind.BENEFIT:
            return dataclasses.replace(d, other_savings=d.other_savings * value,
                                       officer_hours_per_week=d.officer_hours_per_week * value)
        if ranged.kind is Kind.OPTIMISM_BIAS:
            return dataclasses.replace(d, ob_category=OBCategory.STATED, optimism_bias=value)
        return dataclasses.replace(d, running_ob_category=OBCategory.STATED,
                                   running_optimism_bias=value)

    options = tuple(
        dataclasses.replace(o, decisions=tuple(
            change(d) if o.code == ranged.option and d.service == ranged.service else d
            for d in o.decisions)) if o.code == ranged.option else o
        for o in plan.options)
    return plan.replace(options=options)


@dataclass(frozen=True)
class Linear:
    """A plan's figures as linear functions of its components' factors.

    Coefficients are [k, ...] for component k = 4 x row + its place in :data:`COMPONENTS`:
    the change in the figure when that component's factor goes from 1 to 2.
    """

    results: Results
    rows: int
    npv: Floats  # [k, o]
    npsv: Floats  # [k, o]
    force_npv: Floats  # [k, o, f]
    force_npsv: Floats  # [k, o, f]
    savings: Floats  # [k, o, t] undiscounted, for the savings target
    central_force_npsv: Floats  # [o, f]
    roles: tuple[OptionRole, ...]

    @property
    def preferred(self) -> int:
        """The preferred option; the best by NPSV if none is marked (never the baseline
        while there is another)."""
        return recommended(self.roles, self.results.npsv.tolist(), self.results.baseline)

    def component(self, row: int, component: Component) -> int:
        return row * len(COMPONENTS) + COMPONENTS.index(component)

    def factors(self, inputs: tuple[Ranged, ...], values: Floats) -> Floats:
        """[n, k] every component's factor, for n sets of the inputs' values ([n, i]): the
        product of its inputs' factors, multiplied in the inputs' order.

        Worked a round at a time rather than an input at a time: the first input to scale
        each component, then the second, each round a few array operations over every
        component it reaches (a hundred inputs were a few hundred small operations, for
        each chunk of draws). Each component's product is taken in the same order, so the
        figures are the same to the bit."""
        g = np.ones((values.shape[0], self.rows * len(COMPONENTS)))
        f = values.astype(np.float64, copy=True)  # each input's factor at its value
        rates = [i for i, r in enumerate(inputs) if r.is_rate]
        if rates:
            likely = np.array([inputs[i].likely for i in rates])
            f[:, rates] = (1.0 + values[:, rates]) / (1.0 + likely)
        rounds: list[tuple[list[int], list[int]]] = []  # (components, inputs) each round
        seen: dict[int, int] = {}
        for i, r in enumerate(inputs):
            for c in SCALES[r.kind]:
                k = self.component(r.row, c)
                n = seen[k] = seen.get(k, -1) + 1
                if n == len(rounds):
                    rounds.append(([], []))
                rounds[n][0].append(k)
                rounds[n][1].append(i)
        for components, scaling in rounds:
            g[:, components] *= f[:, scaling]
        return g


def linearise(plan: Plan) -> Linear:
    """The central appraisal and every component's coefficients, from the compiled plan."""
    results = appraise(plan)
    x = compile_plan(plan, validate=False)
    tables = read(plan)
    n_rows = len(tables["decisions"].records)
    holders, rows = held_changes(tables)
    cell_rows = list(range(len(holders))) if rows is None else rows
    services = tables.positions["services"]
    service_of = tables["decisions"].values["service"]
    c_o = np.array(holders, dtype=np.int64)
    c_r = np.array(cell_rows, dtype=np.int64)
    c_s = np.array([services[service_of[r]] for r in cell_rows], dtype=np.int64)
    n_o = x.split.shape[0]
    n_t = len(x.discount_factors)
    n_k = n_rows * len(COMPONENTS)
    share = x.split[c_o, c_s]  # [cell, f]
    cost_t, hours_t = _component_years(x, c_o, c_s)  # [cell, component, t]
    df = x.discount_factors
    # Each cell's cost (and officer hours) by force and year for each component: [cell,
    # component, f, t], then what it does to each option's figures.
    cost = share[:, None, :, None] * cost_t[:, :, None, :]
    hours = share[:, None, :, None] * hours_t[:, :, None, :]
    value = x.annual_value_per_weekly_hour
    b = x.baseline
    # Cost counts against its own option and, held by the baseline, for every option.
    sign = -np.eye(n_o)[c_o]  # [cell, o]
    sign[c_o == b] += 1.0
    hours_sign = np.eye(n_o)[c_o]
    hours_sign[c_o == b] -= 1.0
    k = (c_r[:, None] * len(COMPONENTS) + np.arange(len(COMPONENTS))[None, :]).reshape(-1)

    def gather(per_cell: Floats) -> Floats:
        """[cell, component, ...] added up into [k, ...]."""
        out = np.zeros((n_k, *per_cell.shape[2:]))
        np.add.at(out, k, per_cell.reshape(-1, *per_cell.shape[2:]))
        return out

    cost_pv = cost @ df  # [cell, component, f]
    hours_pv = hours @ df * value
    force_npv = gather(sign[:, None, :, None] * cost_pv[:, :, None, :])  # [k, o, f]
    force_npsv = force_npv + gather(hours_sign[:, None, :, None] * hours_pv[:, :, None, :])
    savings = gather(sign[:, None, :, None] * cost.sum(axis=2)[:, :, None, :])  # [k, o, t]
    central_hours = (results.force_hours - results.force_hours[b]) * value @ df
    roles = tuple(o.role for o in plan.options)
    return Linear(results, n_rows, force_npv.sum(axis=2), force_npsv.sum(axis=2), force_npv,
                  force_npsv, savings.reshape(n_k, n_o, n_t),
                  results.force_npv + central_hours, roles)


def _component_years(x: Inputs, o: Ints, s: Ints) -> tuple[Floats, Floats]:
    """([cell, component, t] cost, [cell, component, t] weekly officer hours): what each
    held decision's components add, a year, before it is split among the forces."""
    n_t = len(x.discount_factors)
    cost = np.zeros((len(o), len(COMPONENTS), n_t))
    hours = np.zeros_like(cost)
    one_off, exit_, running, benefit = (COMPONENTS.index(c) for c in COMPONENTS)
    cost[:, one_off] = x.transition[o, s]
    cost[:, one_off, -1] -= x.transition_residual[o, s]
    cost[:, exit_] = x.exit[o, s]
    cost[:, running] = x.shared_running[o, s][:, None] * x.live[o, s]
    cost[:, benefit] = -x.other_savings[o, s][:, None] * x.benefit[o, s]
    hours[:, benefit] = x.hours[o, s][:, None] * x.benefit[o, s]
    return cost, hours
