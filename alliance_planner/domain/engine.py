"""The Green Book appraisal, vectorised: a plan goes in, every option's figures come out.

:func:`appraise` runs four steps:

* :func:`tables.read` reads each field of the plan's records once, into lists of plain
  values (and a float matrix a table), which validation checks and the engine compiles;
* :func:`compile_plan` places those values into arrays indexed by option (o), force (f),
  service (s), site (c) and year (t), all at once by index: no NumPy call per object;
* :func:`evaluate_lines` does the arithmetic on those arrays with NumPy only, every line
  by option, force and year, stacked in one array;
* :func:`results` adds the lines up and works out the headline figures.

A plan made by an edit shares every table the edit left alone (see :mod:`tables`), so
the parts of :func:`compile_plan` that depend on one part of the plan (today's estate, the
options' changes, the forces' weights) are kept with the tables and values they were made
from, and made again only when one of those is not the same: the recompute after an edit
compiles only what the edit touched. In the same way :func:`evaluate_lines` keeps its
products of the shares and of today's estate while the arrays they are made from are the
same. What is kept is read-only, and the same result as making it afresh.

``docs/method.md`` states every formula used here; keep the two in step. Each step keeps
the method's order of floating-point additions, so that the figures are exactly those the
formulas give, whatever the layout of the arrays.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any, Final, NamedTuple, TypeVar

import numpy as np
from numpy.typing import NDArray

from . import tables as _tables
from . import validation as _validation
from .green_book import DISCOUNT_SCHEDULE, OBCategory, ob_rate
from .model import Mode, OptionRole, Plan, SharingBasis
from .tables import NUMBER_ROW, Table, Tables, read
from .validation import ValidationError, ensure_valid
from .validation import validate as validate_plan

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]
Made = TypeVar("Made")


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
    """[o, f, t] lines the exports and the window need force by force: today's estate as
    each option keeps it (own running, own FTE), each force's running cost (its own and its
    share of shared platforms), transition, support FTE, buildings, closure costs,
    receipts, exit fees, severance and residual values."""

    def index(self, option_code: str) -> int:
        return self.option_codes.index(option_code)


_KEPT: dict[str, tuple[tuple[Any, ...], tuple[Any, ...], Any]] = {}
"""Each compile step's last result, with the objects and the plain values it was made from."""


def forget() -> None:
    """Drop everything kept from the last recompute: tables, validation and compiled parts
    (for tests and benchmarks of a recompute afresh)."""
    _tables.forget()
    _validation.forget()
    _KEPT.clear()


def _kept(step: str, objects: tuple[Any, ...], values: tuple[Any, ...],
          make: Callable[[], Made]) -> Made:
    """``make()``, or the step's last result if it was made from the same ``objects``
    (never changed once made: tables, their positions) and equal plain ``values``. The
    arrays of a result are made read-only, as they are shared from then on."""
    last = _KEPT.get(step)
    if last is not None and all(map(operator.is_, last[0], objects)) and last[1] == values:
        return last[2]  # type: ignore[no-any-return]
    made = make()
    for array in (made if isinstance(made, tuple) else (made,)):
        if isinstance(array, np.ndarray):
            array.flags.writeable = False
    _KEPT[step] = (objects, values, made)
    return made


def basis_weights(forces: Table, basis: SharingBasis) -> Floats:
    """Each force's weight under the plan's sharing basis (not yet normalised)."""
    if basis is SharingBasis.EQUAL:
        return np.ones(len(forces.records))
    if basis is SharingBasis.AGREED:
        return np.array([v or 0.0 for v in forces.values["agreed_share"]], dtype=np.float64)
    if basis is SharingBasis.NET_REVENUE:
        return np.array([v or 0.0 for v in forces.values["net_revenue_budget"]],
                        dtype=np.float64)
    return forces.floats("population" if basis is SharingBasis.POPULATION else "officers")


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


def _weights(forces: Table, basis: SharingBasis) -> tuple[Floats, Floats]:
    """(raw, normalised): each force's weight, and as a share of the whole."""
    raw = basis_weights(forces, basis)
    return raw, _normalised(raw)


def _normalised(raw: Floats) -> Floats:
    """The weights as shares of the whole; equal shares if every weight is 0."""
    total = raw.sum()
    shares: Floats = raw / total if total > 0 else np.full(len(raw), 1.0 / len(raw))
    return shares


def _index(values: Sequence[int]) -> Ints:
    return np.array(values, dtype=np.int64)


def price_factors(plan: Plan) -> dict[int | None, float]:
    """Cash of a year to base-year prices: D(base) / D(year), the deflator extended past
    its last year by the plan's growth. None (base-year prices already) is 1."""
    years = {e.price_year for e in plan.estate} | {c.price_year for c in plan.sites} | {
        d.price_year for o in plan.options for d in o.decisions}
    return _price_factors(plan, {d.year: d.index for d in plan.deflators}, years)


def nominal_factors(plan: Plan) -> Floats:
    """[t] cash of each appraisal year per £ of base-year prices: D(year) / D(base), the
    inverse of :func:`price_factors`; 1 throughout for a plan with no deflator series."""
    years = range(plan.base_year, plan.base_year + plan.horizon_years)
    factors = _price_factors(plan, {d.year: d.index for d in plan.deflators}, set(years))
    return np.array([1.0 / factors.get(y, 1.0) for y in years], dtype=np.float64)


def _price_factors(plan: Plan, series: dict[int, float],
                   years: AbstractSet[int | None]) -> dict[int | None, float]:
    """The factor of each of ``years`` from the deflator ``series`` (year: index)."""
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
    for year in (y for y in years if y is not None):
        factors[year] = base / deflator(year)
    return factors


def _held(roles: Sequence[OptionRole], decisions: Table) -> tuple[list[int], list[int]]:
    """(options, rows): every decision each option is held to, as the option and the row
    of the decisions table: its own, and for a service it does not decide, the
    baseline's. Every option is business as usual plus its changes."""
    baseline = roles.index(OptionRole.BASELINE)
    services = decisions.values["service"]
    rows_of: list[list[int]] = [[] for _ in roles]
    for row, holder in enumerate(decisions.holders):
        rows_of[holder].append(row)
    options, rows = [], []
    for o, own in enumerate(rows_of):
        held = own
        if o != baseline and rows_of[baseline]:
            decided = {services[r] for r in own}
            held = own + [r for r in rows_of[baseline] if services[r] not in decided]
        options += [o] * len(held)
        rows += held
    return options, rows


def _ramp(benefit: Floats, live: Floats, o_d: Ints, s_d: Ints, g_d: Ints,
          ramps: Sequence[tuple[float, ...]]) -> None:
    """Each decision's benefit ramp into ``benefit`` [o, s, t]: its last share from
    go-live on, then the earlier shares in their years (one row q per share)."""
    n_t = benefit.shape[2]
    q_d = _index([row for row, ramp in enumerate(ramps) for _ in ramp])
    q_step = _index([k for ramp in ramps for k in range(len(ramp))])
    q_share = np.array(list(chain.from_iterable(ramps)), dtype=np.float64)
    q_last = _index([len(ramp) - 1 for ramp in ramps])
    benefit[o_d, s_d] = live[o_d, s_d] * q_share[np.cumsum(q_last + 1) - 1][:, None]
    early = q_step < q_last[q_d]
    within = (g_d[q_d] + q_step)[early] < n_t
    q_rows = q_d[early][within]
    benefit[o_d[q_rows], s_d[q_rows], (g_d[q_d] + q_step)[early][within]] = \
        q_share[early][within]


def held_changes(tables: Tables) -> tuple[list[int], list[int] | None]:
    """(options, rows): every decision that changes something from a go-live year, for
    each option that is held to it, and its row of the decisions table. An option is held
    to its own decisions and, for a service it does not decide, to the baseline's: every
    option is business as usual plus its changes. rows None: every row, in order."""
    decided = tables["decisions"]
    roles = tables["options"].values["role"]
    holders, changes = decided.holders, tables.changes
    lives = decided.values["go_live_year"]
    if holders.count(roles.index(OptionRole.BASELINE)) == 0 and \
            changes.count(True) == len(holders) and None not in lives:
        return holders, None  # the common case: the baseline decides nothing new
    options, rows = [], []
    for option, row in zip(*_held(roles, decided), strict=True):
        if changes[row] and lives[row] is not None:
            options.append(option)
            rows.append(row)
    return options, rows


def _rates(categories: Sequence[OBCategory], mitigation: Floats, stated: Floats,
           *, running: bool = False) -> Floats:
    """Each decision's optimism bias rate: the stated one, or its category's."""
    if categories.count(OBCategory.STATED) == len(categories):
        return stated
    kinds = set(categories)
    if len(kinds) == 1:  # one category for all: ob_rate's arithmetic works on arrays too
        rates: Any = ob_rate(kinds.pop(), mitigation, stated,  # type: ignore[arg-type]
                             running=running)
        return np.asarray(rates, dtype=np.float64)
    return np.array([ob_rate(c, m, s, running=running) for c, m, s in
                     zip(categories, mitigation.tolist(), stated.tolist(), strict=True)],
                    dtype=np.float64)


_HELD_FIELDS: Final = ("service", "go_live_year", "price_year", "mode", "forces",
                       "transition_profile", "benefit_ramp", "ob_category",
                       "running_ob_category")
"""The decisions' fields compiled as lists, one value a change (the rest are numbers)."""


class _Estate(NamedTuple):
    """Today's estate on the [f, s] grid, in base-year prices."""

    running: Floats
    fte: Floats
    contract_end: Ints  # proleptic ordinal of the contract end date, 0 where none
    exit_fee: Floats
    remaining: Floats  # the share of the charges still due that an early exit pays, a year
    dated: bool  # whether any contract has an end date


def _compile_estate(tables: Tables, cells: Ints, factor: dict[int | None, float],
                    n_f: int, n_s: int) -> _Estate:
    """Each item added into its [f, s] cell, in the plan's order."""
    estate = tables["estate"]
    years = estate.values["price_year"]
    scale = np.array([factor[y] for y in years], dtype=np.float64) \
        if len(factor) > 1 and years.count(None) != len(years) else None

    def by_cell(values: Floats, *, in_cash: bool = True) -> Floats:
        """Summed by cell (bincount gives integers when there is nothing to add); money
        ``in_cash`` of its price year is brought to base-year prices first."""
        if in_cash and scale is not None:
            values = values * scale
        summed: Floats = np.bincount(cells, values, n_f * n_s).astype(np.float64, copy=False)
        return summed.reshape(n_f, n_s)

    running = estate.floats("annual_running_cost")
    contract_end = np.zeros(n_f * n_s, dtype=np.int64)
    ends = estate.values["contract_end"]
    dated = ends.count(None) != len(ends)
    if dated:
        items = [k for k, end in enumerate(ends) if end is not None]
        contract_end[cells[items]] = [ends[k].toordinal() for k in items]
    fee, remaining = estate.floats("exit_fee"), estate.floats("exit_remaining_share")
    if fee.any() or remaining.any():
        fee_fs, remaining_fs = by_cell(fee), by_cell(remaining * running)
    else:
        fee_fs = remaining_fs = np.zeros((n_f, n_s))
    return _Estate(by_cell(running), by_cell(estate.floats("support_fte"), in_cash=False),
                   contract_end.reshape(n_f, n_s), fee_fs, remaining_fs, dated)


class _Changes(NamedTuple):
    """The decisions that change something, one row d each, and the arrays they fill."""

    o: Ints  # [d] option
    s: Ints  # [d] service
    year: Ints  # [d] go-live year
    members: Floats  # [d, f] 1 for each participating force
    everyone: bool  # whether every decision is for every force
    converge: Bools  # [d]
    transfer: Floats  # [d] the share of support staff who transfer to the supplier
    switched_off: Floats  # [o, s, f]
    by_year: tuple[Floats, ...]  # 4 x [o, s, t]: live, transition, exit, benefit
    by_decision: tuple[Floats, ...]  # 6 x [o, s]: running, FTE, hours, other savings, exit,
    # residual (read-only rows of one array: the same objects while the changes are kept)
    go_live: Ints  # [o, s]


def _compile_changes(plan: Plan, tables: Tables, factor: dict[int | None, float]) -> _Changes:
    """Each change's amounts placed by option and service (and year), by index."""
    decided = tables["decisions"]
    services, forces = tables.positions["services"], tables.positions["forces"]
    n_o, n_s, n_f, n_t = len(plan.options), len(services), len(forces), plan.horizon_years
    held_options, rows = held_changes(tables)
    n_d = len(held_options)
    if rows is None:  # every decision, in order
        column, numbers = decided.values, decided.matrix()
    else:
        column = {attr: [decided.values[attr][r] for r in rows] for attr in _HELD_FIELDS}
        numbers = decided.matrix()[:, rows]

    def number(attr: str) -> Floats:
        row: Floats = numbers[NUMBER_ROW["decisions"][attr]]
        return row

    years = column["price_year"]
    scale = np.array([factor[y] for y in years], dtype=np.float64) \
        if len(factor) > 1 and years.count(None) != len(years) else None

    def real(amounts: Floats) -> Floats:
        """Cash of each decision's price year at base-year prices."""
        return amounts if scale is None else amounts * scale

    o_d = _index(held_options)
    s_d = _index(list(map(services.__getitem__, column["service"])))
    year_d = _index(column["go_live_year"])
    g_d = year_d - plan.base_year
    named = column["forces"]
    everyone = named.count(()) == n_d
    if everyone:  # every decision is for every force: each shares by the plan's weights
        members = np.ones((n_d, n_f))
    else:
        members = np.zeros((n_d, n_f))
        members[_index([row for row, codes in enumerate(named) if not codes])] = 1.0
        members[_index([row for row, codes in enumerate(named) for _ in codes]),
                _index([forces[code] for codes in named for code in codes])] = 1.0
    converging = Mode.CONVERGE  # looked up once: on Python 3.11 an enum member is slow to get
    converge = np.array([mode is converging for mode in column["mode"]], dtype=np.bool_)

    # [o, s, f], laid out [o, f, s]: the order evaluate multiplies it in
    switched_off = np.zeros((n_o, n_f, n_s)).transpose(0, 2, 1)
    if converge.all():
        switched_off[o_d, s_d] = members
    else:
        switched_off[o_d[converge], s_d[converge]] = members[converge]
    by_year = np.zeros((4, n_o, n_s, n_t))
    live, transition, exit_, benefit = by_year
    live[o_d, s_d] = np.arange(n_t) >= g_d[:, None]
    # Each transition profile, one row p per year it spreads over, ending at go-live.
    profiles, ramps = column["transition_profile"], column["benefit_ramp"]
    lengths = _index(list(map(len, profiles)))
    p_d = np.repeat(np.arange(n_d), lengths)
    p_back = (np.cumsum(lengths) - 1)[p_d] - np.arange(len(p_d))  # years before go-live
    p_fraction = np.array(list(chain.from_iterable(profiles)), dtype=np.float64)
    one_off = real(number("transition_cost")) * (1 + _rates(
        column["ob_category"], number("ob_mitigation"), number("optimism_bias")))
    transition[o_d[p_d], s_d[p_d], g_d[p_d] - p_back] = one_off[p_d] * p_fraction
    exit_d = real(number("exit_cost"))
    exit_[o_d, s_d, g_d] = exit_d
    if ramps.count((1.0,)) == n_d:  # every benefit in full from go-live
        benefit[...] = live
    else:
        _ramp(benefit, live, o_d, s_d, g_d, ramps)
    realised = number("benefit_realisation")
    if (realised != 1.0).any():
        benefit[o_d, s_d] *= realised[:, None]
    life = number("asset_life")
    if life.any():  # the transition's unused value at the end
        used = n_t - g_d
        residual_d = np.where(life > 0, one_off * np.clip(
            1 - used / np.where(life > 0, life, 1), 0.0, None), 0.0)
    else:
        residual_d = np.zeros(n_d)
    running_bias = _rates(column["running_ob_category"], number("running_ob_mitigation"),
                          number("running_optimism_bias"), running=True)
    by_decision = np.zeros((6, n_o, n_s))
    by_decision[:, o_d, s_d] = [
        real(number("shared_running_cost")) * (1 + running_bias),
        number("shared_support_fte"), number("officer_hours_per_week"),
        real(number("other_savings")), exit_d, residual_d]
    go_live = np.zeros((n_o, n_s), dtype=np.int64)
    go_live[o_d, s_d] = year_d
    by_year.flags.writeable = by_decision.flags.writeable = False
    return _Changes(o_d, s_d, year_d, members, everyone, converge, number("transfer_share"),
                    switched_off, tuple(by_year), tuple(by_decision), go_live)


class _Split(NamedTuple):
    """Each force's share of each change, by the plan's weights."""

    shares: Floats  # [d, f]
    split: Floats  # [o, s, f], laid out [o, f, s]: the order evaluate multiplies it in


def _split(changes: _Changes, raw: Floats, weights: Floats) -> _Split:
    """The shares: apart from the changes, as an edit to a force changes its weight and
    nothing else of them."""
    shares = weights * changes.members if changes.everyone else _shares(raw, changes.members)
    n_o, n_s, n_f = changes.switched_off.shape
    split = np.zeros((n_o, n_f, n_s)).transpose(0, 2, 1)
    split[changes.o, changes.s] = shares
    return _Split(shares, split)


def _compile_fees(plan: Plan, estate: _Estate, changes: _Changes, shares: Floats,
                  n_t: int) -> tuple[Floats, Floats, Floats]:
    """(fee_by_force [o, s, f], exit_fee [o, f, t], transferred [o, f, t]).

    Early-termination fees: a converging force whose contract runs past 1 April of the
    go-live year pays its own fee, and the share of the charges still due, that year.
    Staff who transfer to the supplier move in the go-live year.
    """
    n_o, n_s, n_f = changes.switched_off.shape
    fee_by_force = np.zeros((n_o, n_s, n_f))
    exit_fee = np.zeros((n_o, n_f, n_t))
    transferred = np.zeros((n_o, n_f, n_t))
    moving = changes.converge.nonzero()[0]
    if not len(moving):
        return fee_by_force, exit_fee, transferred
    o_m, s_m = changes.o[moving], changes.s[moving]
    g_m = changes.year[moving] - plan.base_year
    if estate.dated:  # no contract end date, no fee
        april = _index([date(int(y), 4, 1).toordinal() for y in changes.year[moving].tolist()])
        ends_m = estate.contract_end[:, s_m].T  # [m, f]
        years_left = np.clip(ends_m - april[:, None], 0, None) / 365.25
        runs_on = (ends_m > april[:, None]) & (changes.members[moving] > 0)
        fee = np.where(runs_on, estate.exit_fee[:, s_m].T
                       + estate.remaining[:, s_m].T * years_left, 0.0)
        if plan.pool_exit_fees:
            fee = shares[moving] * fee.sum(axis=1, keepdims=True)
        fee_by_force[o_m, s_m] = fee
        _add_by_option_and_year(exit_fee, o_m, g_m, fee)
    transfer = changes.transfer[moving]
    if transfer.any():
        staff = changes.members[moving] * estate.fte[:, s_m].T * transfer[:, None]
        _add_by_option_and_year(transferred, o_m, g_m, staff)
    return fee_by_force, exit_fee, transferred


class _Sites(NamedTuple):
    """The sites, and which each option closes when, in base-year prices."""

    force: Floats  # [c, f]
    running: Floats  # [c]
    residual: Floats  # [c]
    open: Floats  # [o, c, t]
    receipts: Floats  # [o, c, t]
    closure_costs: Floats  # [o, c, t]


def _compile_sites(plan: Plan, tables: Tables, factor: dict[int | None, float]) -> _Sites:
    """The sites each option closes, one row a each, placed by index."""
    sites, forces = tables.positions["sites"], tables.positions["forces"]
    n_o, n_c, n_f, n_t = len(plan.options), len(sites), len(forces), plan.horizon_years
    site_open = np.ones((n_o, n_c, n_t))
    site_money = np.zeros((2, n_o, n_c, n_t))
    site_force = np.zeros((n_c, n_f))
    if not n_c:
        return _Sites(site_force, np.zeros(0), np.zeros(0), site_open, *site_money)
    table = tables["sites"]
    k_c = np.array([factor[y] for y in table.values["price_year"]], dtype=np.float64)
    actions = tables["site_actions"]
    if actions.records:
        o_a = _index(actions.holders)
        c_a = _index([sites[code] for code in actions.values["site"]])
        g_a = _index(actions.values["closure_year"]) - plan.base_year
        site_open[o_a, c_a] = np.arange(n_t) < g_a[:, None]
        site_money[:, o_a, c_a, g_a] = np.array(
            [actions.floats("disposal_receipt"), actions.floats("closure_cost")]) * k_c[c_a]
    site_force[np.arange(n_c), _index([forces[code] for code in table.values["force"]])] = 1.0
    return _Sites(site_force, table.floats("annual_running_cost") * k_c,
                  table.floats("market_value") * k_c, site_open, *site_money)


def compile_plan(plan: Plan, *, validate: bool = True, tables: Tables | None = None) -> Inputs:
    """The plan as arrays. Each field is read once, into a list of plain values (by
    :func:`tables.read`, unless ``tables`` has them already), and NumPy places those into
    the arrays all at once by index: no NumPy call per object."""
    if tables is None:
        tables = read(plan)
    if validate:
        ensure_valid(plan, tables)
    cells, years = tables.estate_cells, tables.price_years
    if cells is None or years is None:  # only an invalid plan
        raise ValidationError(validate_plan(plan, tables))
    n_f, n_s = len(tables.positions["forces"]), len(tables.positions["services"])
    deflators = tables["deflators"].values
    factor: dict[int | None, float] = _price_factors(
        plan, dict(zip(deflators["year"], deflators["index"], strict=True)), years) \
        if not years <= {None} else {None: 1.0}
    factors = tuple(factor.items())
    estate = _kept("estate", (tables["estate"], cells), (factors, n_f, n_s),
                   lambda: _compile_estate(tables, cells, factor, n_f, n_s))
    raw, weights = _kept("weights", (tables["forces"],), (plan.sharing_basis,),
                         lambda: _weights(tables["forces"], plan.sharing_basis))
    positions = tables.positions
    changes = _kept(
        "changes", (tables["decisions"], tables["options"], tables.changes),
        (factors, plan.base_year, plan.horizon_years, positions["services"],
         positions["forces"]),
        lambda: _compile_changes(plan, tables, factor))
    # An edit to a force changes the shares only if it changes a weight: compared by value.
    shares, split = _kept("split", (changes,), (raw.tobytes(),),
                          lambda: _split(changes, raw, weights))
    fee_by_force, exit_fee, transferred = _kept(
        "fees", (estate, changes, shares),
        (plan.base_year, plan.horizon_years, plan.pool_exit_fees),
        lambda: _compile_fees(plan, estate, changes, shares, plan.horizon_years))
    sites = _kept("sites", (tables["sites"], tables["site_actions"]),
                  (factors, len(plan.options), plan.base_year, plan.horizon_years,
                   positions["sites"], positions["forces"]),
                  lambda: _compile_sites(plan, tables, factor))
    live, transition, exit_, benefit = changes.by_year
    shared_running, shared_fte, hours, other, exit_cost, residual = changes.by_decision
    return Inputs(
        base_year=plan.base_year,
        discount_rate=plan.discount_rate,
        cost_per_staff_fte=plan.cost_per_staff_fte,
        annual_value_per_weekly_hour=plan.cost_per_officer_hour * plan.weeks_per_year,
        visible_hours_per_officer_week=plan.visible_hours_per_officer_week,
        baseline=tables["options"].values["role"].index(OptionRole.BASELINE),
        weights=weights,
        estate_running=estate.running,
        estate_fte=estate.fte,
        switched_off=changes.switched_off,
        split=split,
        live=live,
        shared_running=shared_running,
        shared_fte=shared_fte,
        transition=transition,
        exit=exit_,
        hours=hours,
        other_savings=other,
        site_force=sites.force,
        site_running=sites.running,
        site_open=sites.open,
        site_receipts=sites.receipts,
        site_closure_costs=sites.closure_costs,
        contract_end=estate.contract_end,
        go_live=changes.go_live,
        exit_cost=exit_cost,
        benefit=benefit,
        transition_residual=residual,
        exit_fee=exit_fee,
        fee_by_force=fee_by_force,
        transferred=transferred,
        site_residual=sites.residual,
        discount_factors=discount_factors(plan.discount_rate, plan.horizon_years),
        severance_per_fte=plan.severance_months / 12 * (1 - plan.turnover_share)
        * plan.cost_per_staff_fte,
    )


def _add_by_option_and_year(into: Floats, options: Ints, years: Ints, amounts: Floats) -> None:
    """Add each row m of ``amounts`` ([m, f]) into ``into[options[m], :, years[m]]``, in
    the rows' order: each move's amounts to its option's go-live year."""
    np.add.at(into.transpose(0, 2, 1), (options, years), amounts)  # [o, t, f]


def discount_factors(rate: float, years: int) -> Floats:
    """DF_0 = 1, DF_t = DF_(t-1) / (1 + r_t): the plan's rate to year 30, then the Green
    Book's schedule, stepped down from the plan's rate by the schedule's own steps."""
    t = np.arange(years)
    if years <= DISCOUNT_SCHEDULE[1][0]:  # the common case, exactly as 1 / (1 + r)^t
        factors: Floats = 1.0 / (1.0 + rate) ** t.astype(np.float64)
        return factors
    rates = np.full(years, rate, dtype=np.float64)
    standard = DISCOUNT_SCHEDULE[0][1]
    for first, band in DISCOUNT_SCHEDULE[1:]:
        rates[t >= first] = rate + (band - standard)
    growth = np.concatenate(([1.0], 1.0 + rates[1:]))
    compounded: Floats = 1.0 / np.cumprod(growth)
    return compounded


LINES: Final = ("running", "staff", "buildings", "transition", "exit", "severance",
                "closure_costs", "other_savings", "force_hours", "receipts", "residual_value",
                "support_fte", "staff_transferred", "force_cost", "own_running", "own_fte")
"""The lines :func:`evaluate` computes, each by option, force and year: the costs first,
in the order the method adds them up; last, the two that are not added up over forces."""
_TOTALLED: Final = len(LINES) - 2
_COSTS: Final = 7
"""The first lines are the costs: running, staff, buildings, transition, exit, severance
and closure."""
_LINE: Final = {name: k for k, name in enumerate(LINES)}


def evaluate(x: Inputs) -> dict[str, Floats]:
    """The arithmetic of the method, by option, force and year: each line [o, f, t]."""
    stacked = evaluate_lines(x)
    return {name: line(stacked, name) for name in LINES}


def line(stacked: Floats, name: str) -> Floats:
    """One line, [o, f, t], of the lines stacked [line, f, o, t]."""
    one: Floats = stacked[_LINE[name]].transpose(1, 0, 2)
    return one


def _product_kept(group: str, arrays: tuple[Floats, ...], make: Callable[[], Floats]
                  ) -> Floats:
    """``make()``, kept as :func:`_kept` keeps a compiled part, when none of the arrays it
    is made from can change (read-only, as :func:`compile_plan` makes them): an edit to
    today's estate leaves the options' changes and the shares as they were, an edit to a
    force's weight the estate and the changes. A caller's writable arrays are multiplied
    afresh."""
    if any(a.flags.writeable for a in arrays):
        return make()
    return _kept(f"products: {group}", arrays, (), make)


def _product(by: Floats, amounts: Floats, when: Floats, into: Floats) -> Floats:
    """[o, f, t] into ``into``: each force's ``by`` ([o, f, s]) x ``amounts`` (by option and
    service), a year ``when`` ([o, s, t]), summed over services."""
    return np.matmul(by * amounts, when, out=into)


def _own_lines(x: Inputs) -> Floats:
    """[own running, own FTE] stacked [2, f, o, t]: today's estate, less what the option
    switches off from go-live."""
    n_o, _, n_f = x.split.shape
    made = np.empty((2, n_f, n_o, x.live.shape[2]))
    running, fte = made.transpose(0, 2, 1, 3)
    off = x.switched_off.transpose(0, 2, 1)  # [o, f, s]: 1 where it leaves its own estate
    np.subtract(x.estate_running.sum(axis=1)[None, :, None],
                _product(off, x.estate_running[None, :, :], x.live, running), out=running)
    np.subtract(x.estate_fte.sum(axis=1)[None, :, None],
                _product(off, x.estate_fte[None, :, :], x.live, fte), out=fte)
    return made


_SHARED: Final = ("running", "support_fte", "transition", "exit", "other_savings",
                  "force_hours")
"""The lines :func:`_shared_lines` makes, in its order."""


def _shared_lines(x: Inputs) -> Floats:
    """Each force's share of the decisions, stacked [7, f, o, t] as :data:`_SHARED`, then
    the transitions' unused life in the last year (the rest of that line is unused): the
    shared running costs and staff from go-live, the transition and exit costs by year,
    and the benefits as they ramp up."""
    n_o, _, n_f = x.split.shape
    made = np.empty((len(_SHARED) + 1, n_f, n_o, x.live.shape[2]))
    running, fte, transition, exit_, other, hours, unused = made.transpose(0, 2, 1, 3)
    by_force = x.split.transpose(0, 2, 1)  # [o, f, s]: each force's share of a decision
    _product(by_force, x.shared_running[:, None, :], x.live, running)
    _product(by_force, x.shared_fte[:, None, :], x.live, fte)
    np.matmul(by_force, x.transition, out=transition)
    np.matmul(by_force, x.exit, out=exit_)
    _product(by_force, x.other_savings[:, None, :], x.benefit, other)
    _product(by_force, x.hours[:, None, :], x.benefit, hours)
    unused[:, :, :-1] = 0.0
    if np.count_nonzero(x.transition_residual):
        unused[:, :, -1] = np.matmul(by_force, x.transition_residual[:, :, None])[:, :, 0]
    else:  # no unused life: the zeros a product of none gives
        unused[:, :, -1] = 0.0
    return made


def evaluate_lines(x: Inputs) -> Floats:
    """Every line of :data:`LINES`, stacked [line, f, o, t]. Pure NumPy.

    Every line is a batched matrix product over services (or sites): [o, f, s] @ [o, s, t],
    or a sum of such lines. The products of the decisions' shares and of today's estate
    are kept from one recompute to the next while the arrays they are made from are the
    same (:func:`_product_kept`). Stacked, the alliance's totals of every line are one sum
    over the force axis (NumPy adds force by force, as it would line by line, but in one
    call over long runs of memory), and the costs one sum over the first lines.
    """
    n_o, _, n_f = x.split.shape
    stacked = np.empty((len(LINES), n_f, n_o, x.live.shape[2]))
    lines = stacked.transpose(0, 2, 1, 3)  # [line, o, f, t]
    (_, staff, buildings, _, _, severance, closure, other, _, receipts, residual, fte,
     transferred, cost, _, _) = lines

    own = _product_kept("own", (x.switched_off, x.live, x.estate_running, x.estate_fte),
                        lambda: _own_lines(x))
    shared = _product_kept(
        "shared", (x.split, x.live, x.shared_running, x.shared_fte, x.transition, x.exit,
                   x.benefit, x.other_savings, x.hours, x.transition_residual),
        lambda: _shared_lines(x))
    # Today's estate as the option leaves it; the shared running costs and staff from
    # go-live added to it; the transition, exit fees and costs, and benefits as they are.
    own_running, own_fte = own
    stacked[_LINE["own_running"]] = own_running
    stacked[_LINE["own_fte"]] = own_fte
    running, fte_shared, transition, exit_, other_savings, hours = shared[:len(_SHARED)]
    np.add(running, own_running, out=stacked[_LINE["running"]])
    np.add(fte_shared, own_fte, out=stacked[_LINE["support_fte"]])
    stacked[_LINE["transition"]] = transition
    if np.count_nonzero(x.exit_fee):  # (adding no fees changes nothing)
        np.add(exit_, x.exit_fee.transpose(1, 0, 2), out=stacked[_LINE["exit"]])
    else:
        stacked[_LINE["exit"]] = exit_
    stacked[_LINE["other_savings"]] = other_savings
    stacked[_LINE["force_hours"]] = hours
    # Sites: running while open, receipts and closure costs, value kept at the end; and
    # the transitions' unused life. Both count in the last year only.
    sites = len(x.site_running) > 0
    unused_life = np.count_nonzero(x.transition_residual) > 0
    residual[...] = 0.0
    if sites:
        held = x.site_force.T  # [f, c]
        np.matmul((held * x.site_running[None, :])[None], x.site_open, out=buildings)
        np.matmul(held[None], x.site_receipts, out=receipts)
        np.matmul(held[None], x.site_closure_costs, out=closure)
        kept = np.matmul(held[None], (x.site_residual[None, :]
                                      * x.site_open[:, :, -1])[:, :, None])[:, :, 0]
    else:  # no sites: what a product over none gives
        buildings[...] = receipts[...] = closure[...] = 0.0
        kept = np.zeros((n_o, n_f))
    if sites or unused_life:  # (else 0 + 0, as it stands)
        residual[:, :, -1] = kept + shared[len(_SHARED), :, :, -1].T  # the unused life

    np.multiply(fte, x.cost_per_staff_fte, out=staff)
    # Severance: each year's fall in support FTE against the baseline, less those who
    # transfer to a supplier, of which turnover absorbs a share.
    # (gap and fall are [f, o, t], as the stack: the year before is the value before)
    in_stack = stacked[_LINE["support_fte"]]
    gap = in_stack[:, x.baseline, None] - in_stack
    fall = np.empty_like(gap)
    np.subtract(gap.reshape(-1)[1:], gap.reshape(-1)[:-1], out=fall.reshape(-1)[1:])
    fall[:, :, 0] = gap[:, :, 0]  # (the first year falls from 0)
    np.maximum(fall, 0.0, out=fall)
    fall = fall.transpose(1, 0, 2)  # [o, f, t]
    if np.count_nonzero(x.transferred):
        np.maximum(np.subtract(fall, x.transferred, out=severance), 0.0, out=severance)
        severance *= x.severance_per_fte
        np.minimum(fall, x.transferred, out=transferred)
    else:  # (the fall less none who transfer is the fall, never below 0)
        np.multiply(fall, x.severance_per_fte, out=severance)
        transferred[...] = 0.0
    # running + staff + buildings + transition + exit + severance + closure
    #   - other - receipts - residual: the costs added up line by line, in one call
    np.add.reduce(stacked[:_COSTS], axis=0, out=stacked[_LINE["force_cost"]])
    cost -= other
    if sites:  # (taking away 0 changes nothing)
        cost -= receipts
    if sites or unused_life:
        cost -= residual
    return stacked


_BY_FORCE: Final = ("own_running", "own_fte", "running", "transition", "buildings",
                    "closure_costs", "receipts", "residual_value", "severance", "exit",
                    "support_fte")
"""The lines :attr:`Results.by_force` carries."""


def appraise(plan: Plan, *, validate: bool = True) -> Results:
    """Appraise every option of a plan against its baseline: its fields read once, then
    validated, compiled to arrays, evaluated and added up."""
    x = compile_plan(plan, validate=validate, tables=read(plan))
    return results(plan, x, evaluate_lines(x))


def results(plan: Plan, x: Inputs, stacked: Floats) -> Results:
    """Every option's figures from the lines :func:`evaluate_lines` stacked."""
    # Every force's figures added up, [o, t], in one sum over the forces
    lines = dict(zip(LINES[:_TOTALLED], stacked[:_TOTALLED].sum(axis=1), strict=True))
    by_option = stacked.transpose(0, 2, 1, 3)  # [line, o, f, t]: each line as :func:`line`
    own = {name: by_option[_LINE[name]] for name in _BY_FORCE}
    n_t = plan.horizon_years
    df = x.discount_factors
    b = x.baseline

    total_cost = lines["force_cost"]
    savings = total_cost[b] - total_cost
    force_cost = line(stacked, "force_cost")
    force_savings = force_cost[b] - force_cost
    hours = lines["force_hours"]
    non_cashable = (hours - hours[b]) * x.annual_value_per_weekly_hour

    npv = savings @ df
    npsv = npv + non_cashable @ df
    # One BCR, netted year by year: a year the option costs more than the baseline is a
    # cost, a year it costs less a benefit; officer time is a benefit (or a cost if lost).
    pv_costs = (np.maximum(-savings, 0.0) + np.maximum(-non_cashable, 0.0)) @ df
    pv_benefits = (np.maximum(savings, 0.0) + np.maximum(non_cashable, 0.0)) @ df
    # per pound of cost, where there is a cost (six options: plain floats are quicker)
    costs = pv_costs.tolist()
    bcr = _per_pound(pv_benefits.tolist(), costs)
    npsv_per_pound = _per_pound(npsv.tolist(), costs)

    payback = _payback(savings)
    payback[b] = -1
    target_year, target_met = _target(plan, savings)
    # transition + exit + severance + closure, the lines that follow each other in the
    # stack, added up in one call, then over the years
    one_off = np.add.reduce(stacked[_LINE["transition"]:_LINE["closure_costs"] + 1], axis=0)
    force_one_off = one_off.transpose(1, 0, 2).sum(axis=2)

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
        force_hours=line(stacked, "force_hours"),
        early_exits=early_exits(plan, x),
        by_force=own,
    )


def _per_pound(amounts: list[float], costs: list[float]) -> Floats:
    """Each amount per pound of cost; NaN where there is no cost."""
    return np.array([a / c if c > 0 else math.nan for a, c in zip(amounts, costs, strict=True)],
                    dtype=np.float64)


def _payback(savings: Floats) -> Ints:
    """First year whose cumulative saving is positive and never falls below zero again.
    (A few options of a few years each: plain loops beat NumPy's cost per call.)"""
    years = []
    for cumulative in np.cumsum(savings, axis=1).tolist():
        first = -1
        for t, saved in enumerate(cumulative):
            if saved < -0.005:
                first = -1
            elif saved > 0.005 and first < 0:
                first = t
        years.append(first)
    return np.array(years, dtype=np.int64)


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
    if not x.contract_end.any():
        return ()
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
