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
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .green_book import DISCOUNT_SCHEDULE, ob_rate
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
    exit_cost: Floats  # [o, s] the decision's other exit costs
    benefit: Floats  # [o, s, t] realisation x ramp: the share of a decision's benefits
    transition_residual: Floats  # [o, s] the transition's unused value at the end
    exit_fee: Floats  # [o, f, t] early-termination fees, charged as the plan says
    fee_by_force: Floats  # [o, s, f] each force's fee for an early exit
    transferred: Floats  # [o, f, t] support FTE who transfer to a supplier at go-live
    site_residual: Floats  # [c] market value (real), counted while a site is kept
    discount_factors: Floats  # [t]
    severance_per_fte: float  # one FTE removed: months / 12 x (1 - turnover) x its cost


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
    exit: Floats  # early-termination fees and other exit costs
    severance: Floats
    staff_transferred: Floats  # support FTE moved to a supplier, in the year they move
    buildings: Floats
    closure_costs: Floats
    receipts: Floats
    other_savings: Floats
    residual_value: Floats  # in the last year
    total_cost: Floats
    savings: Floats
    officer_hours: Floats  # a week
    officer_fte: Floats
    non_cashable: Floats
    npv: Floats  # [o]
    npsv: Floats  # [o]
    pv_benefits: Floats  # [o]
    pv_costs: Floats  # [o]
    bcr: Floats  # [o], NaN where no year costs more than the baseline
    npsv_per_pound: Floats  # [o] NPSV / PV costs, NaN likewise
    payback: Ints  # [o] index of the payback year, -1 for none
    target_year: Ints  # [o] index of the year the savings target is reached, -1 for none
    target_met: Bools  # [o] bool, reached within the target's years
    weights: Floats  # [f]
    force_cost: Floats  # [o, f, t]
    force_savings: Floats  # [o, f, t]
    force_npv: Floats  # [o, f]
    force_one_off: Floats  # [o, f] transition, exit, severance and closure, undiscounted
    force_hours: Floats  # [o, f, t]
    early_exits: tuple[EarlyExit, ...]
    by_force: dict[str, Floats]
    """[o, f, t] lines the exports need force by force: today's estate as each option keeps
    it (running, support FTE), each force's support FTE, buildings, closure costs,
    receipts, exit fees, severance and residual values."""

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


def price_factors(plan: Plan) -> dict[int | None, float]:
    """Cash of a year to base-year prices: D(base) / D(year), the deflator extended past
    its last year by the plan's growth. None (base-year prices already) is 1."""
    series = {d.year: d.index for d in plan.deflators}
    factors: dict[int | None, float] = {None: 1.0}
    if not series:
        return factors
    last = max(series)

    def deflator(year: int) -> float:
        if year in series:
            return series[year]
        return series[last] * (1.0 + plan.deflator_growth) ** (year - last)

    base = deflator(plan.base_year) if plan.base_year > last or plan.base_year in series \
        else float("nan")
    years = {e.price_year for e in plan.estate} | {c.price_year for c in plan.sites} | {
        d.price_year for o in plan.options for d in o.decisions}
    for year in (y for y in years if y is not None):
        factors[year] = base / deflator(year)
    return factors


def _decisions(plan: Plan) -> list[tuple[int, Any]]:
    """(option, decision) for every decision each option is held to: its own, and for a
    service it does not decide, the baseline's. Every option is business as usual plus
    its changes."""
    baseline = next(o for o in plan.options if o.is_baseline)
    found = []
    for o, option in enumerate(plan.options):
        decided = {d.service for d in option.decisions}
        found += [(o, d) for d in option.decisions]
        if option is not baseline:
            found += [(o, d) for d in baseline.decisions if d.service not in decided]
    return found


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
    factor = price_factors(plan)

    # Today's estate by [f, s] cell, summed in the plan's order (bincount gives integers
    # when there is nothing to add), in base-year prices.
    estate = plan.estate
    cell = _index([forces[e.force] * n_s + services[e.service] for e in estate])
    priced = any(e.price_year is not None for e in estate)
    k_e = np.array([factor[e.price_year] for e in estate], dtype=np.float64) if priced \
        else 1.0

    def by_cell(values: list[float], scale: Floats | float = 1.0) -> Floats:
        summed: Floats = np.bincount(cell, np.array(values, dtype=np.float64) * scale,
                                     n_f * n_s).astype(np.float64, copy=False)
        return summed.reshape(n_f, n_s)

    estate_running = by_cell([e.annual_running_cost for e in estate], k_e)
    estate_fte = by_cell([e.support_fte for e in estate])
    contract_end = np.zeros(n_f * n_s, dtype=np.int64)
    dated = [(k, e.contract_end) for k, e in enumerate(estate) if e.contract_end is not None]
    if dated:
        contract_end[cell[[k for k, _ in dated]]] = [end.toordinal() for _, end in dated]
    fees = [(e.exit_fee, e.exit_remaining_share) for e in estate
            if e.exit_fee or e.exit_remaining_share]
    if fees:
        exit_fee_fs = by_cell([e.exit_fee for e in estate], k_e)
        remaining_fs = by_cell([e.exit_remaining_share * e.annual_running_cost
                                for e in estate], k_e)
    else:
        exit_fee_fs = remaining_fs = np.zeros((n_f, n_s))

    raw = basis_weights(plan)
    weights = _shares(raw, np.ones((1, n_f)))[0]

    # The decisions that change something, one row d each, by option o and service s.
    changes = [(o, d, year) for o, d in _decisions(plan)
               if (year := d.go_live_year) is not None and d.makes_change]
    decisions = [d for _, d, _ in changes]
    n_d = len(decisions)
    o_d = _index([o for o, _, _ in changes])
    s_d = _index([services[d.service] for d in decisions])
    year_d = _index([year for _, _, year in changes])
    g_d = year_d - base
    (running_cost, fte, hours_d, other_d, exit_d, one_off_cost, realised, life, transfer,
     k_d) = np.array([
        x for d in decisions for x in (
            d.shared_running_cost, d.shared_support_fte, d.officer_hours_per_week,
            d.other_savings, d.exit_cost, d.transition_cost, d.benefit_realisation,
            d.asset_life, d.transfer_share, factor[d.price_year])
    ], dtype=np.float64).reshape(n_d, 10).T
    one_off_bias = np.array([ob_rate(d.ob_category, d.ob_mitigation, d.optimism_bias)
                             for d in decisions], dtype=np.float64)
    running_bias = np.array([ob_rate(d.running_ob_category, d.running_ob_mitigation,
                                     d.running_optimism_bias, running=True)
                             for d in decisions], dtype=np.float64)
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
    # Each benefit ramp, one row q per share, from go-live on; the last share continues.
    q_d = _index([row for row, d in enumerate(decisions) for _ in d.benefit_ramp])
    q_step = _index([k for d in decisions for k in range(len(d.benefit_ramp))])
    q_share = np.array([x for d in decisions for x in d.benefit_ramp], dtype=np.float64)
    q_last = _index([len(d.benefit_ramp) - 1 for d in decisions])

    by_force = np.zeros((2, n_o, n_s, n_f))
    switched_off, split = by_force
    by_year = np.zeros((4, n_o, n_s, n_t))
    live, transition, exit_, benefit = by_year
    by_decision = np.zeros((6, n_o, n_s))
    shared_running, shared_fte, hours, other, exit_cost, residual = by_decision
    go_live = np.zeros((n_o, n_s), dtype=np.int64)
    shares = _shares(raw, members)
    split[o_d, s_d] = shares
    switched_off[o_d[converge], s_d[converge]] = members[converge]
    live[o_d, s_d] = t >= g_d[:, None]
    one_off = one_off_cost * k_d * (1 + one_off_bias)
    transition[o_d[p_d], s_d[p_d], g_d[p_d] - p_back] = one_off[p_d] * p_fraction
    exit_[o_d, s_d, g_d] = exit_d * k_d
    # the ramp: its last share from go-live on, then the earlier shares in their years
    benefit[o_d, s_d] = live[o_d, s_d] * q_share[np.cumsum(q_last + 1) - 1][:, None]
    early = q_step < q_last[q_d]
    within = (g_d[q_d] + q_step)[early] < n_t
    q_rows = q_d[early][within]
    benefit[o_d[q_rows], s_d[q_rows], (g_d[q_d] + q_step)[early][within]] = \
        q_share[early][within]
    benefit[o_d, s_d] *= realised[:, None]
    used = n_t - g_d
    residual_d = np.where(life > 0, one_off * np.clip(1 - used / np.where(life > 0, life, 1),
                                                      0.0, None), 0.0)
    by_decision[:, o_d, s_d] = [running_cost * k_d * (1 + running_bias), fte, hours_d,
                                other_d * k_d, exit_d * k_d, residual_d]
    go_live[o_d, s_d] = year_d

    # Early-termination fees: a converging force whose contract runs past 1 April of the
    # go-live year pays its own fee, and the share of the charges still due, that year.
    fee_by_force = np.zeros((n_o, n_s, n_f))
    exit_fee = np.zeros((n_o, n_f, n_t))
    transferred = np.zeros((n_o, n_f, n_t))
    moving = converge.nonzero()[0]
    if len(moving):
        april = _index([date(int(y), 4, 1).toordinal() for y in year_d[moving].tolist()])
        ends = contract_end.reshape(n_f, n_s)[:, s_d[moving]].T  # [m, f]
        years_left = np.clip(ends - april[:, None], 0, None) / 365.25
        runs_on = (ends > april[:, None]) & (members[moving] > 0)
        fee = np.where(runs_on, exit_fee_fs[:, s_d[moving]].T
                       + remaining_fs[:, s_d[moving]].T * years_left, 0.0)
        if plan.pool_exit_fees:
            fee = shares[moving] * fee.sum(axis=1, keepdims=True)
        fee_by_force[o_d[moving], s_d[moving]] = fee
        # [m, o] and [m, t]: which option each move belongs to, and its go-live year
        option_of = (o_d[moving, None] == np.arange(n_o)).astype(np.float64)
        year_of = (g_d[moving, None] == t).astype(np.float64)
        staff = members[moving] * estate_fte[:, s_d[moving]].T * transfer[moving, None]
        exit_fee = np.einsum("mf,mo,mt->oft", fee, option_of, year_of)
        transferred = np.einsum("mf,mo,mt->oft", staff, option_of, year_of)

    # The sites each option closes, one row a each, in base-year prices.
    k_c = np.array([factor[c.price_year] for c in plan.sites], dtype=np.float64)
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
            dtype=np.float64).reshape(len(actions), 2).T * k_c[c_a]
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
        site_running=np.array([s.annual_running_cost for s in plan.sites],
                              dtype=np.float64) * k_c,
        site_open=site_open,
        site_receipts=receipts,
        site_closure_costs=closure_costs,
        contract_end=contract_end.reshape(n_f, n_s),
        go_live=go_live,
        exit_cost=exit_cost,
        benefit=benefit,
        transition_residual=residual,
        exit_fee=exit_fee,
        fee_by_force=fee_by_force,
        transferred=transferred,
        site_residual=np.array([c.market_value for c in plan.sites], dtype=np.float64) * k_c,
        discount_factors=discount_factors(plan.discount_rate, n_t),
        severance_per_fte=plan.severance_months / 12 * (1 - plan.turnover_share)
        * plan.cost_per_staff_fte,
    )


def discount_factors(rate: float, years: int) -> Floats:
    """DF_0 = 1, DF_t = DF_(t-1) / (1 + r_t): the plan's rate to year 30, then the Green
    Book's schedule, stepped down from the plan's rate by the schedule's own steps."""
    t = np.arange(years)
    rates = np.full(years, rate, dtype=np.float64)
    standard = DISCOUNT_SCHEDULE[0][1]
    for first, band in DISCOUNT_SCHEDULE[1:]:
        rates[t >= first] = rate + (band - standard)
    if years <= DISCOUNT_SCHEDULE[1][0]:  # the common case, exactly as 1 / (1 + r)^t
        factors: Floats = 1.0 / (1.0 + rate) ** t.astype(np.float64)
        return factors
    growth = np.concatenate(([1.0], 1.0 + rates[1:]))
    compounded: Floats = 1.0 / np.cumprod(growth)
    return compounded


def evaluate(x: Inputs) -> dict[str, Floats]:
    """The arithmetic of the method, by option, force and year. Pure NumPy.

    Every line is a batched matrix product over services (or sites): [o, f, s] @ [o, s, t].
    (Each line is its own small [o, f, t] array: stacked into one large array they cost
    more to allocate and to add up than they save in calls.)
    """
    live = x.live
    by_force = x.split.transpose(0, 2, 1)  # [o, f, s]: each force's share of a decision

    def shared(per_decision: Floats, when: Floats = live) -> Floats:  # [o, s] a year
        lines: Floats = np.matmul(by_force * per_decision[:, None, :], when)
        return lines

    # Today's estate, less what the option switches off from go-live: [o, f, t]
    off = x.switched_off.transpose(0, 2, 1)  # [o, f, s]
    own_running = x.estate_running.sum(axis=1)[None, :, None] - np.matmul(
        off * x.estate_running[None, :, :], live)
    own_fte = x.estate_fte.sum(axis=1)[None, :, None] - np.matmul(
        off * x.estate_fte[None, :, :], live)
    transition = np.matmul(by_force, x.transition)
    exit_ = np.matmul(by_force, x.exit) + x.exit_fee
    other = shared(x.other_savings, x.benefit)
    sites = x.site_force.T  # [f, c]
    buildings = np.matmul((sites * x.site_running[None, :])[None], x.site_open)
    receipts = np.matmul(sites[None], x.site_receipts)
    closure = np.matmul(sites[None], x.site_closure_costs)
    # Residual values, in the last year: the sites still held, the transitions' unused life
    residual = np.zeros_like(transition)
    residual[:, :, -1] = (np.matmul(sites[None], (x.site_residual[None, :]
                                                  * x.site_open[:, :, -1])[:, :, None])[:, :, 0]
                          + np.matmul(by_force, x.transition_residual[:, :, None])[:, :, 0])

    running = own_running + shared(x.shared_running)
    fte = own_fte + shared(x.shared_fte)
    staff = fte * x.cost_per_staff_fte
    # Severance: each year's fall in support FTE against the baseline, less those who
    # transfer to a supplier, of which turnover absorbs a share.
    gap = fte[x.baseline][None] - fte
    fall = np.clip(np.diff(gap, axis=2, prepend=0.0), 0.0, None)
    severance_fte = np.clip(fall - x.transferred, 0.0, None)
    severance = severance_fte * x.severance_per_fte
    # running + staff + buildings + transition + exit + severance + closure
    #   - other - receipts - residual
    cost = running + staff
    cost += buildings
    cost += transition
    cost += exit_
    cost += severance
    cost += closure
    cost -= other
    cost -= receipts
    cost -= residual
    return {
        "own_running": own_running,
        "own_fte": own_fte,
        "running": running,
        "support_fte": fte,
        "staff": staff,
        "transition": transition,
        "exit": exit_,
        "severance": severance,
        "staff_transferred": np.minimum(fall, x.transferred),
        "buildings": buildings,
        "closure_costs": closure,
        "receipts": receipts,
        "other_savings": other,
        "residual_value": residual,
        "force_cost": cost,
        "force_hours": shared(x.hours, x.benefit),
    }


def appraise(plan: Plan, *, validate: bool = True) -> Results:
    """Appraise every option of a plan against its baseline."""
    x = compile_plan(plan, validate=validate)
    by_force = evaluate(x)
    # Every force's figures added up, [o, t] (today's estate only as part of running costs)
    lines = {k: v.sum(axis=1) for k, v in by_force.items() if not k.startswith("own_")}
    own = {k: by_force[k] for k in ("own_running", "own_fte", "buildings", "closure_costs",
                                    "receipts", "residual_value", "severance", "exit",
                                    "support_fte")}
    n_t = plan.horizon_years
    df = x.discount_factors
    b = x.baseline

    total_cost = lines["force_cost"]
    savings = total_cost[b] - total_cost
    force_cost = by_force["force_cost"]
    force_savings = force_cost[b] - force_cost
    hours = lines["force_hours"]
    non_cashable = (hours - hours[b]) * x.annual_value_per_weekly_hour

    npv = savings @ df
    npsv = npv + non_cashable @ df
    # One BCR, netted year by year: a year the option costs more than the baseline is a
    # cost, a year it costs less a benefit; officer time is a benefit (or a cost if lost).
    pv_costs = (np.clip(-savings, 0.0, None) + np.clip(-non_cashable, 0.0, None)) @ df
    pv_benefits = (np.clip(savings, 0.0, None) + np.clip(non_cashable, 0.0, None)) @ df
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(pv_costs > 0, pv_costs, 1)
        bcr = np.where(pv_costs > 0, pv_benefits / safe, np.nan)
        npsv_per_pound = np.where(pv_costs > 0, npsv / safe, np.nan)

    payback = _payback(savings)
    payback[b] = -1
    target_year, target_met = _target(plan, savings)
    force_one_off = (by_force["transition"] + by_force["exit"] + by_force["severance"]
                     + by_force["closure_costs"]).sum(axis=2)

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
        severance=lines["severance"],
        staff_transferred=lines["staff_transferred"],
        buildings=lines["buildings"],
        closure_costs=lines["closure_costs"],
        receipts=lines["receipts"],
        other_savings=lines["other_savings"],
        residual_value=lines["residual_value"],
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
        npsv_per_pound=npsv_per_pound,
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
    costs = x.fee_by_force[o, s, f]
    options, services, forces = plan.options, plan.services, plan.forces
    return tuple(
        EarlyExit(options[i].code, services[j].code, forces[k].code, date.fromordinal(end),
                  year, cost)
        for i, j, k, end, year, cost in zip(o.tolist(), s.tolist(), f.tolist(), ends.tolist(),
                                            years.tolist(), costs.tolist(), strict=True)
    )
