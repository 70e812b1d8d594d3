"""The Green Book appraisal, vectorised: a plan goes in, every option's figures come out.

Two steps with no hidden state between them:

* :func:`compile_plan` turns the plan's objects into arrays indexed by option (o),
  force (f), service (s), site (c) and year (t). It is the only loop over objects.
* :func:`evaluate` does the arithmetic on those arrays with NumPy only.

``docs/method.md`` states every formula used here; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .model import Mode, Plan, SharingBasis
from .validation import ensure_valid

Array = np.ndarray


@dataclass(frozen=True)
class Inputs:
    """A plan as arrays. Amounts are pounds in real terms at base-year prices."""

    base_year: int
    discount_rate: float
    cost_per_staff_fte: float
    annual_value_per_weekly_hour: float  # cost per officer hour x weeks a year
    visible_hours_per_officer_week: float
    baseline: int
    weights: Array  # [f] the sharing basis, normalised over all forces
    estate_running: Array  # [f, s]
    estate_fte: Array  # [f, s]
    switched_off: Array  # [o, s, f] 1 where the option moves the force off its own estate
    split: Array  # [o, s, f] each force's share of a decision's shared amounts
    live: Array  # [o, s, t] 1 from go-live on
    shared_running: Array  # [o, s] with running optimism bias
    shared_fte: Array  # [o, s]
    transition: Array  # [o, s, t] with optimism bias, spread by profile
    exit: Array  # [o, s, t] in the go-live year
    hours: Array  # [o, s] officer hours released a week
    other_savings: Array  # [o, s]
    site_force: Array  # [c, f]
    site_running: Array  # [c]
    site_open: Array  # [o, c, t]
    site_receipts: Array  # [o, c, t]
    site_closure_costs: Array  # [o, c, t]
    contract_end: Array  # [f, s] proleptic ordinal of the contract end date, 0 where none
    go_live: Array  # [o, s] go-live year, 0 where the option changes nothing
    exit_cost: Array  # [o, s]


@dataclass(frozen=True)
class EarlyExit:
    """A convergence that goes live while a force's contract for the service still runs."""

    option: str
    service: str
    force: str
    contract_end: date
    go_live_year: int
    exit_cost: float


@dataclass(frozen=True)
class Results:
    """Every option's figures. Arrays are [option, year] unless named otherwise."""

    years: Array  # [t] financial years (2026 = 2026/27)
    discount_factors: Array  # [t]
    option_codes: tuple[str, ...]
    force_codes: tuple[str, ...]
    baseline: int
    running: Array
    staff: Array
    support_fte: Array
    transition: Array
    exit: Array
    buildings: Array
    closure_costs: Array
    receipts: Array
    other_savings: Array
    total_cost: Array
    savings: Array
    officer_hours: Array  # a week
    officer_fte: Array
    non_cashable: Array
    npv: Array  # [o]
    npsv: Array  # [o]
    pv_benefits: Array  # [o]
    pv_costs: Array  # [o]
    bcr: Array  # [o], NaN where nothing costs more than in the baseline
    payback: Array  # [o] index of the payback year, -1 for none
    target_year: Array  # [o] index of the year the savings target is reached, -1 for none
    target_met: Array  # [o] bool, reached within the target's years
    weights: Array  # [f]
    force_cost: Array  # [o, f, t]
    force_savings: Array  # [o, f, t]
    force_npv: Array  # [o, f]
    force_one_off: Array  # [o, f] transition and exit, undiscounted
    force_hours: Array  # [o, f, t]
    early_exits: tuple[EarlyExit, ...]
    by_force: dict[str, Array]
    """[o, f, t] lines the exports need force by force: today's estate as each option keeps
    it (running, support FTE) and each force's buildings, closure costs and receipts."""

    def index(self, option_code: str) -> int:
        return self.option_codes.index(option_code)


def basis_weights(plan: Plan) -> Array:
    """Each force's weight under the plan's sharing basis (not yet normalised)."""
    basis = plan.sharing_basis
    if basis is SharingBasis.EQUAL:
        raw = [1.0 for _ in plan.forces]
    elif basis is SharingBasis.AGREED:
        raw = [f.agreed_share or 0.0 for f in plan.forces]
    elif basis is SharingBasis.NET_REVENUE:
        raw = [f.net_revenue_budget or 0.0 for f in plan.forces]
    elif basis is SharingBasis.POPULATION:
        raw = [f.population for f in plan.forces]
    else:
        raw = [f.officers for f in plan.forces]
    return np.asarray(raw, dtype=float)


def _share(weights: Array, members: Array) -> Array:
    """Split one whole among the member forces by weight; equally if their weights are 0."""
    w = weights * members
    total = w.sum()
    if total > 0:
        return w / total
    return members / members.sum()


def compile_plan(plan: Plan, *, validate: bool = True) -> Inputs:
    if validate:
        ensure_valid(plan)
    base, horizon = plan.base_year, plan.horizon_years
    forces = {f.code: i for i, f in enumerate(plan.forces)}
    services = {s.code: i for i, s in enumerate(plan.services)}
    sites = {s.code: i for i, s in enumerate(plan.sites)}
    n_o, n_f, n_s, n_c, n_t = len(plan.options), len(forces), len(services), len(sites), horizon
    t = np.arange(n_t)

    estate_running = np.zeros((n_f, n_s))
    estate_fte = np.zeros((n_f, n_s))
    contract_end = np.zeros((n_f, n_s), dtype=np.int64)
    for e in plan.estate:
        f, s = forces[e.force], services[e.service]
        estate_running[f, s] += e.annual_running_cost
        estate_fte[f, s] += e.support_fte
        if e.contract_end is not None:
            contract_end[f, s] = e.contract_end.toordinal()

    raw = basis_weights(plan)
    everyone = np.ones(n_f)
    weights = _share(raw, everyone)

    switched_off = np.zeros((n_o, n_s, n_f))
    split = np.zeros((n_o, n_s, n_f))
    live = np.zeros((n_o, n_s, n_t))
    shared_running = np.zeros((n_o, n_s))
    shared_fte = np.zeros((n_o, n_s))
    transition = np.zeros((n_o, n_s, n_t))
    exit_ = np.zeros((n_o, n_s, n_t))
    hours = np.zeros((n_o, n_s))
    other = np.zeros((n_o, n_s))
    go_live = np.zeros((n_o, n_s), dtype=np.int64)
    exit_cost = np.zeros((n_o, n_s))
    site_open = np.ones((n_o, n_c, n_t))
    receipts = np.zeros((n_o, n_c, n_t))
    closure_costs = np.zeros((n_o, n_c, n_t))

    for o, option in enumerate(plan.options):
        for d in option.decisions:
            if not d.makes_change or d.go_live_year is None:
                continue
            s = services[d.service]
            g = d.go_live_year - base
            if d.forces:
                members = np.zeros(n_f)
                members[[forces[c] for c in d.forces]] = 1.0
            else:
                members = everyone
            split[o, s] = _share(raw, members)
            if d.mode is Mode.CONVERGE:
                switched_off[o, s] = members
            live[o, s] = t >= g
            shared_running[o, s] = d.shared_running_cost * (1 + d.running_optimism_bias)
            shared_fte[o, s] = d.shared_support_fte
            profile = np.asarray(d.transition_profile, dtype=float)
            start = g - len(profile) + 1
            transition[o, s, start : g + 1] = d.transition_cost * (1 + d.optimism_bias) * profile
            exit_[o, s, g] = d.exit_cost
            go_live[o, s] = d.go_live_year
            exit_cost[o, s] = d.exit_cost
            hours[o, s] = d.officer_hours_per_week
            other[o, s] = d.other_savings
        for a in option.site_actions:
            c, g = sites[a.site], a.closure_year - base
            site_open[o, c, g:] = 0.0
            receipts[o, c, g] = a.disposal_receipt
            closure_costs[o, c, g] = a.closure_cost

    site_force = np.zeros((n_c, n_f))
    for c, site in enumerate(plan.sites):
        site_force[c, forces[site.force]] = 1.0

    baseline = next(i for i, o in enumerate(plan.options) if o.is_baseline)
    return Inputs(
        base_year=base,
        discount_rate=plan.discount_rate,
        cost_per_staff_fte=plan.cost_per_staff_fte,
        annual_value_per_weekly_hour=plan.cost_per_officer_hour * plan.weeks_per_year,
        visible_hours_per_officer_week=plan.visible_hours_per_officer_week,
        baseline=baseline,
        weights=weights,
        estate_running=estate_running,
        estate_fte=estate_fte,
        switched_off=switched_off,
        split=split,
        live=live,
        shared_running=shared_running,
        shared_fte=shared_fte,
        transition=transition,
        exit=exit_,
        hours=hours,
        other_savings=other,
        site_force=site_force,
        site_running=np.asarray([s.annual_running_cost for s in plan.sites], dtype=float),
        site_open=site_open,
        site_receipts=receipts,
        site_closure_costs=closure_costs,
        contract_end=contract_end,
        go_live=go_live,
        exit_cost=exit_cost,
    )


def discount_factors(rate: float, years: int) -> Array:
    return 1.0 / (1.0 + rate) ** np.arange(years)


def evaluate(x: Inputs) -> dict[str, Array]:
    """The arithmetic of the method, by option, force and year. Pure NumPy.

    Every line is a batched matrix product over services (or sites): [o, f, s] @ [o, s, t].
    """
    live = x.live
    by_force = x.split.transpose(0, 2, 1)  # [o, f, s]: each force's share of a decision

    def shared(per_decision: Array) -> Array:  # [o, s] amounts a year from go-live
        return np.matmul(by_force * per_decision[:, None, :], live)

    # Today's estate, less what the option switches off from go-live: [o, f, t]
    off = x.switched_off.transpose(0, 2, 1)  # [o, f, s]
    own_running = x.estate_running.sum(axis=1)[None, :, None] - np.matmul(
        off * x.estate_running[None, :, :], live)
    own_fte = x.estate_fte.sum(axis=1)[None, :, None] - np.matmul(
        off * x.estate_fte[None, :, :], live)
    shared_running = shared(x.shared_running)
    shared_fte = shared(x.shared_fte)
    transition = np.matmul(by_force, x.transition)
    exit_ = np.matmul(by_force, x.exit)
    other = shared(x.other_savings)
    hours = shared(x.hours)
    sites = x.site_force.T  # [f, c]
    buildings = np.matmul((sites * x.site_running[None, :])[None], x.site_open)
    receipts = np.matmul(sites[None], x.site_receipts)
    closure = np.matmul(sites[None], x.site_closure_costs)

    running = own_running + shared_running
    fte = own_fte + shared_fte
    staff = fte * x.cost_per_staff_fte
    cost = running + staff + buildings + transition + exit_ + closure - other - receipts
    return {
        "own_running": own_running,
        "own_fte": own_fte,
        "running": running,
        "support_fte": fte,
        "staff": staff,
        "transition": transition,
        "exit": exit_,
        "buildings": buildings,
        "closure_costs": closure,
        "receipts": receipts,
        "other_savings": other,
        "force_cost": cost,
        "force_hours": hours,
    }


def appraise(plan: Plan, *, validate: bool = True) -> Results:
    """Appraise every option of a plan against its baseline."""
    x = compile_plan(plan, validate=validate)
    by_force = evaluate(x)
    lines = {k: v.sum(axis=1) for k, v in by_force.items()}  # [o, t]
    own = {k: by_force[k] for k in ("own_running", "own_fte", "buildings", "closure_costs",
                                    "receipts")}
    n_t = plan.horizon_years
    df = discount_factors(x.discount_rate, n_t)
    b = x.baseline

    total_cost = lines["force_cost"]
    savings = total_cost[b] - total_cost
    force_cost = by_force["force_cost"]
    force_savings = force_cost[b] - force_cost
    hours = lines["force_hours"]
    non_cashable = (hours - hours[b]) * x.annual_value_per_weekly_hour
    one_off = lines["transition"] + lines["exit"] + lines["closure_costs"]

    npv = savings @ df
    npsv = npv + non_cashable @ df
    # Each cost line that rises against the baseline is a cost, each that falls a benefit
    # (savings lines the other way round), year by year: [line, o, t].
    deltas = np.stack([
        lines["running"] - lines["running"][b],
        lines["staff"] - lines["staff"][b],
        lines["buildings"] - lines["buildings"][b],
        one_off - one_off[b],
        lines["other_savings"][b] - lines["other_savings"],
        lines["receipts"][b] - lines["receipts"],
        -non_cashable,
    ])
    pv_costs = np.clip(deltas, 0.0, None).sum(axis=0) @ df
    pv_benefits = np.clip(-deltas, 0.0, None).sum(axis=0) @ df
    with np.errstate(divide="ignore", invalid="ignore"):
        bcr = np.where(pv_costs > 0, pv_benefits / np.where(pv_costs > 0, pv_costs, 1), np.nan)

    payback = _payback(savings)
    payback[b] = -1
    target_year, target_met = _target(plan, savings)
    force_one_off = (by_force["transition"] + by_force["exit"]).sum(axis=2)

    return Results(
        years=np.arange(plan.base_year, plan.base_year + n_t),
        discount_factors=df,
        option_codes=tuple(o.code for o in plan.options),
        force_codes=tuple(f.code for f in plan.forces),
        baseline=b,
        running=lines["running"],
        staff=lines["staff"],
        support_fte=lines["support_fte"],
        transition=lines["transition"],
        exit=lines["exit"],
        buildings=lines["buildings"],
        closure_costs=lines["closure_costs"],
        receipts=lines["receipts"],
        other_savings=lines["other_savings"],
        total_cost=total_cost,
        savings=savings,
        officer_hours=hours,
        officer_fte=hours / x.visible_hours_per_officer_week,
        non_cashable=non_cashable,
        npv=npv,
        npsv=npsv,
        pv_benefits=pv_benefits,
        pv_costs=pv_costs,
        bcr=bcr,
        payback=payback,
        target_year=target_year,
        target_met=target_met,
        weights=x.weights,
        force_cost=force_cost,
        force_savings=force_savings,
        force_npv=force_savings @ df,
        force_one_off=force_one_off,
        force_hours=by_force["force_hours"],
        early_exits=early_exits(plan, x),
        by_force=own,
    )


def _payback(savings: Array) -> Array:
    """First year whose cumulative saving is positive and never falls below zero again."""
    cumulative = np.cumsum(savings, axis=1)
    n_t = savings.shape[1]
    below = cumulative < -0.005
    last_below = np.where(below.any(axis=1), n_t - 1 - np.argmax(below[:, ::-1], axis=1), -1)
    after = np.arange(n_t)[None, :] > last_below[:, None]
    candidates = after & (cumulative > 0.005)
    return np.where(candidates.any(axis=1), np.argmax(candidates, axis=1), -1)


def _target(plan: Plan, savings: Array) -> tuple[Array, Array]:
    n_o = savings.shape[0]
    if plan.savings_target is None or plan.savings_target_years is None:
        return np.full(n_o, -1), np.zeros(n_o, dtype=bool)
    cumulative = np.cumsum(savings, axis=1)
    reached = cumulative >= plan.savings_target - 0.005
    year = np.where(reached.any(axis=1), np.argmax(reached, axis=1), -1)
    met = (year >= 0) & (year < plan.savings_target_years)
    return year, met


def early_exits(plan: Plan, x: Inputs) -> tuple[EarlyExit, ...]:
    """Convergences that go live before a participating force's contract ends."""
    go_live_day = np.array([date(y, 4, 1).toordinal() if y else 0
                            for y in x.go_live.ravel()]).reshape(x.go_live.shape)
    # [o, s, f]: a force moved off its own estate while its contract still runs
    flagged = (x.switched_off > 0) & (x.contract_end.T[None, :, :] > go_live_day[:, :, None])
    found = []
    for o, s, f in zip(*np.nonzero(flagged), strict=True):
        found.append(EarlyExit(
            plan.options[o].code, plan.services[s].code, plan.forces[f].code,
            date.fromordinal(int(x.contract_end[f, s])), int(x.go_live[o, s]),
            float(x.exit_cost[o, s] * x.split[o, s, f]),
        ))
    return tuple(found)
