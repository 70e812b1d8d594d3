"""The Green Book appraisal, vectorised: a plan goes in, every option's figures come out.

Two steps with no hidden state between them:

* :func:`compile_plan` turns the plan's objects into arrays indexed by option (o),
  force (f), service (s), site (c) and year (t). It is the only loop over objects: it
  reads each table once into lists of plain values, which NumPy places by index.
* :func:`evaluate` does the arithmetic on those arrays with NumPy only.

``docs/method.md`` states every formula used here; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from .model import Mode, Plan, SharingBasis
from .validation import ensure_valid

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]


@dataclass(frozen=True)
class Inputs:
    """A plan as arrays. Amounts are pounds in real terms at base-year prices."""

    base_year: int
    discount_rate: float
    cost_per_staff_fte: float
    annual_value_per_weekly_hour: float  # cost per officer hour x weeks a year
    visible_hours_per_officer_week: float
    baseline: int
    weights: Floats  # [f] the sharing basis, normalised over all forces
    estate_running: Floats  # [f, s]
    estate_fte: Floats  # [f, s]
    switched_off: Floats  # [o, s, f] 1 where the option moves the force off its own estate
    split: Floats  # [o, s, f] each force's share of a decision's shared amounts
    live: Floats  # [o, s, t] 1 from go-live on
    shared_running: Floats  # [o, s] with running optimism bias
    shared_fte: Floats  # [o, s]
    transition: Floats  # [o, s, t] with optimism bias, spread by profile
    exit: Floats  # [o, s, t] in the go-live year
    hours: Floats  # [o, s] officer hours released a week
    other_savings: Floats  # [o, s]
    site_force: Floats  # [c, f]
    site_running: Floats  # [c]
    site_open: Floats  # [o, c, t]
    site_receipts: Floats  # [o, c, t]
    site_closure_costs: Floats  # [o, c, t]
    contract_end: Ints  # [f, s] proleptic ordinal of the contract end date, 0 where none
    go_live: Ints  # [o, s] go-live year, 0 where the option changes nothing
    exit_cost: Floats  # [o, s]


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

    years: Ints  # [t] financial years (2026 = 2026/27)
    discount_factors: Floats  # [t]
    option_codes: tuple[str, ...]
    force_codes: tuple[str, ...]
    baseline: int
    running: Floats
    staff: Floats
    support_fte: Floats
    transition: Floats
    exit: Floats
    buildings: Floats
    closure_costs: Floats
    receipts: Floats
    other_savings: Floats
    total_cost: Floats
    savings: Floats
    officer_hours: Floats  # a week
    officer_fte: Floats
    non_cashable: Floats
    npv: Floats  # [o]
    npsv: Floats  # [o]
    pv_benefits: Floats  # [o]
    pv_costs: Floats  # [o]
    bcr: Floats  # [o], NaN where nothing costs more than in the baseline
    payback: Ints  # [o] index of the payback year, -1 for none
    target_year: Ints  # [o] index of the year the savings target is reached, -1 for none
    target_met: Bools  # [o] bool, reached within the target's years
    weights: Floats  # [f]
    force_cost: Floats  # [o, f, t]
    force_savings: Floats  # [o, f, t]
    force_npv: Floats  # [o, f]
    force_one_off: Floats  # [o, f] transition and exit, undiscounted
    force_hours: Floats  # [o, f, t]
    early_exits: tuple[EarlyExit, ...]
    by_force: dict[str, Floats]
    """[o, f, t] lines the exports need force by force: today's estate as each option keeps
    it (running, support FTE) and each force's buildings, closure costs and receipts."""

    def index(self, option_code: str) -> int:
        return self.option_codes.index(option_code)


def basis_weights(plan: Plan) -> Floats:
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
    return np.asarray(raw, dtype=np.float64)


def _shares(weights: Floats, members: Floats) -> Floats:
    """Split one whole among each row's member forces by weight; equally where their
    weights are all 0. ``members`` is [row, f] with 1 for a member."""
    w = weights * members
    total: Floats = w.sum(axis=1, keepdims=True)
    weighted = total[:, 0] > 0
    if weighted.all():
        return w / total
    return np.where(weighted[:, None], w / np.where(total > 0, total, 1.0),
                    members / members.sum(axis=1, keepdims=True))


def _index(values: list[int]) -> Ints:
    return np.array(values, dtype=np.int64)


def compile_plan(plan: Plan, *, validate: bool = True) -> Inputs:
    """The plan as arrays. Each table is read once, into flat lists of plain values, and
    NumPy places those into the arrays all at once by index: no NumPy call per object."""
    if validate:
        ensure_valid(plan)
    base, n_t = plan.base_year, plan.horizon_years
    forces = {f.code: i for i, f in enumerate(plan.forces)}
    services = {s.code: i for i, s in enumerate(plan.services)}
    sites = {s.code: i for i, s in enumerate(plan.sites)}
    n_o, n_f, n_s, n_c = len(plan.options), len(forces), len(services), len(sites)
    t = np.arange(n_t)

    # Today's estate by [f, s] cell, summed in the plan's order (bincount gives integers
    # when there is nothing to add).
    estate = plan.estate
    cell = _index([forces[e.force] * n_s + services[e.service] for e in estate])
    estate_running = np.bincount(
        cell, np.array([e.annual_running_cost for e in estate], dtype=np.float64), n_f * n_s,
    ).astype(np.float64, copy=False).reshape(n_f, n_s)
    estate_fte = np.bincount(
        cell, np.array([e.support_fte for e in estate], dtype=np.float64), n_f * n_s,
    ).astype(np.float64, copy=False).reshape(n_f, n_s)
    contract_end = np.zeros(n_f * n_s, dtype=np.int64)
    dated = [(k, e.contract_end) for k, e in enumerate(estate) if e.contract_end is not None]
    if dated:
        contract_end[cell[[k for k, _ in dated]]] = [end.toordinal() for _, end in dated]

    raw = basis_weights(plan)
    weights = _shares(raw, np.ones((1, n_f)))[0]

    # The decisions that change something, one row d each, by option o and service s.
    changes = [(o, d, year) for o, option in enumerate(plan.options) for d in option.decisions
               if (year := d.go_live_year) is not None and d.makes_change]
    decisions = [d for _, d, _ in changes]
    n_d = len(decisions)
    o_d = _index([o for o, _, _ in changes])
    s_d = _index([services[d.service] for d in decisions])
    year_d = _index([year for _, _, year in changes])
    g_d = year_d - base
    (running_cost, running_bias, fte, hours_d, other_d, exit_d, one_off_cost,
     one_off_bias) = np.array([
        x for d in decisions for x in (
            d.shared_running_cost, d.running_optimism_bias, d.shared_support_fte,
            d.officer_hours_per_week, d.other_savings, d.exit_cost, d.transition_cost,
            d.optimism_bias)
    ], dtype=np.float64).reshape(n_d, 8).T
    members = np.zeros((n_d, n_f))  # [d, f] 1 for each participating force
    members[_index([row for row, d in enumerate(decisions) if not d.forces])] = 1.0
    members[_index([row for row, d in enumerate(decisions) for _ in d.forces]),
            _index([forces[code] for d in decisions for code in d.forces])] = 1.0
    converging = Mode.CONVERGE  # looked up once: on Python 3.11 an enum member is slow to get
    converge = np.array([d.mode is converging for d in decisions], dtype=np.bool_)
    # Each transition profile, one row p per year it spreads over, ending at go-live.
    p_d = _index([row for row, d in enumerate(decisions) for _ in d.transition_profile])
    p_back = _index([len(d.transition_profile) - 1 - k for d in decisions
                     for k in range(len(d.transition_profile))])
    p_fraction = np.array([x for d in decisions for x in d.transition_profile],
                          dtype=np.float64)

    by_force = np.zeros((2, n_o, n_s, n_f))
    switched_off, split = by_force
    by_year = np.zeros((3, n_o, n_s, n_t))
    live, transition, exit_ = by_year
    by_decision = np.zeros((5, n_o, n_s))
    shared_running, shared_fte, hours, other, exit_cost = by_decision
    go_live = np.zeros((n_o, n_s), dtype=np.int64)
    split[o_d, s_d] = _shares(raw, members)
    switched_off[o_d[converge], s_d[converge]] = members[converge]
    live[o_d, s_d] = t >= g_d[:, None]
    transition[o_d[p_d], s_d[p_d], g_d[p_d] - p_back] = (
        (one_off_cost * (1 + one_off_bias))[p_d] * p_fraction)
    exit_[o_d, s_d, g_d] = exit_d
    by_decision[:, o_d, s_d] = [running_cost * (1 + running_bias), fte, hours_d, other_d,
                                exit_d]
    go_live[o_d, s_d] = year_d

    # The sites each option closes, one row a each.
    site_open = np.ones((n_o, n_c, n_t))
    site_money = np.zeros((2, n_o, n_c, n_t))
    receipts, closure_costs = site_money
    actions = [(o, a) for o, option in enumerate(plan.options) for a in option.site_actions]
    if actions:
        o_a, c_a, g_a = _index([
            i for o, a in actions for i in (o, sites[a.site], a.closure_year - base)
        ]).reshape(len(actions), 3).T
        site_open[o_a, c_a] = t < g_a[:, None]
        site_money[:, o_a, c_a, g_a] = np.array(
            [x for _, a in actions for x in (a.disposal_receipt, a.closure_cost)],
            dtype=np.float64).reshape(len(actions), 2).T
    site_force = np.zeros((n_c, n_f))
    site_force[np.arange(n_c), _index([forces[site.force] for site in plan.sites])] = 1.0

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
        site_running=np.array([s.annual_running_cost for s in plan.sites], dtype=np.float64),
        site_open=site_open,
        site_receipts=receipts,
        site_closure_costs=closure_costs,
        contract_end=contract_end.reshape(n_f, n_s),
        go_live=go_live,
        exit_cost=exit_cost,
    )


def discount_factors(rate: float, years: int) -> Floats:
    factors: Floats = 1.0 / (1.0 + rate) ** np.arange(years, dtype=np.float64)
    return factors


def evaluate(x: Inputs) -> dict[str, Floats]:
    """The arithmetic of the method, by option, force and year. Pure NumPy.

    Every line is a batched matrix product over services (or sites): [o, f, s] @ [o, s, t].
    (Each line is its own small [o, f, t] array: stacked into one large array they cost
    more to allocate and to add up than they save in calls.)
    """
    live = x.live
    by_force = x.split.transpose(0, 2, 1)  # [o, f, s]: each force's share of a decision

    def shared(per_decision: Floats) -> Floats:  # [o, s] amounts a year from go-live
        lines: Floats = np.matmul(by_force * per_decision[:, None, :], live)
        return lines

    # Today's estate, less what the option switches off from go-live: [o, f, t]
    off = x.switched_off.transpose(0, 2, 1)  # [o, f, s]
    own_running = x.estate_running.sum(axis=1)[None, :, None] - np.matmul(
        off * x.estate_running[None, :, :], live)
    own_fte = x.estate_fte.sum(axis=1)[None, :, None] - np.matmul(
        off * x.estate_fte[None, :, :], live)
    transition = np.matmul(by_force, x.transition)
    exit_ = np.matmul(by_force, x.exit)
    other = shared(x.other_savings)
    sites = x.site_force.T  # [f, c]
    buildings = np.matmul((sites * x.site_running[None, :])[None], x.site_open)
    receipts = np.matmul(sites[None], x.site_receipts)
    closure = np.matmul(sites[None], x.site_closure_costs)

    running = own_running + shared(x.shared_running)
    fte = own_fte + shared(x.shared_fte)
    staff = fte * x.cost_per_staff_fte
    # running + staff + buildings + transition + exit + closure - other - receipts
    cost = running + staff
    cost += buildings
    cost += transition
    cost += exit_
    cost += closure
    cost -= other
    cost -= receipts
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
        "force_hours": shared(x.hours),
    }


def appraise(plan: Plan, *, validate: bool = True) -> Results:
    """Appraise every option of a plan against its baseline."""
    x = compile_plan(plan, validate=validate)
    by_force = evaluate(x)
    # Every force's figures added up, [o, t] (today's estate only as part of running costs)
    lines = {k: v.sum(axis=1) for k, v in by_force.items() if not k.startswith("own_")}
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
        years=np.arange(plan.base_year, plan.base_year + n_t, dtype=np.int64),
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


def _payback(savings: Floats) -> Ints:
    """First year whose cumulative saving is positive and never falls below zero again."""
    cumulative = np.cumsum(savings, axis=1)
    n_t = savings.shape[1]
    below = cumulative < -0.005
    last_below = np.where(below.any(axis=1), n_t - 1 - np.argmax(below[:, ::-1], axis=1), -1)
    after = np.arange(n_t)[None, :] > last_below[:, None]
    candidates = after & (cumulative > 0.005)
    first: Ints = np.where(candidates.any(axis=1), np.argmax(candidates, axis=1), -1)
    return first


def _target(plan: Plan, savings: Floats) -> tuple[Ints, Bools]:
    n_o = savings.shape[0]
    if plan.savings_target is None or plan.savings_target_years is None:
        return np.full(n_o, -1, dtype=np.int64), np.zeros(n_o, dtype=np.bool_)
    cumulative = np.cumsum(savings, axis=1)
    reached = cumulative >= plan.savings_target - 0.005
    year: Ints = np.where(reached.any(axis=1), np.argmax(reached, axis=1), -1)
    met = (year >= 0) & (year < plan.savings_target_years)
    return year, met


def early_exits(plan: Plan, x: Inputs) -> tuple[EarlyExit, ...]:
    """Convergences that go live before a participating force's contract ends."""
    # [o, s, f]: a force moved off its own estate where its contract has an end date
    o, s, f = np.nonzero((x.switched_off > 0) & (x.contract_end.T > 0)[None, :, :])
    if not len(o):
        return ()
    ends, years = x.contract_end[f, s], x.go_live[o, s]
    april = {y: date(y, 4, 1).toordinal() for y in set(years.tolist())}
    runs_on = ends > np.array([april[y] for y in years.tolist()], dtype=np.int64)
    o, s, f, ends, years = o[runs_on], s[runs_on], f[runs_on], ends[runs_on], years[runs_on]
    costs = x.exit_cost[o, s] * x.split[o, s, f]
    options, services, forces = plan.options, plan.services, plan.forces
    return tuple(
        EarlyExit(options[i].code, services[j].code, forces[k].code, date.fromordinal(end),
                  year, cost)
        for i, j, k, end, year, cost in zip(o.tolist(), s.tolist(), f.tolist(), ends.tolist(),
                                            years.tolist(), costs.tolist(), strict=True)
    )
