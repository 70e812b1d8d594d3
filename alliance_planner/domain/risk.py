"""Monte Carlo over every ranged input: how sure the figures are.

Each ranged input (:mod:`uncertainty`) is drawn from a triangular distribution, low /
likely / high. Draws are Latin hypercube samples (each input's range is cut into as many
equally likely slices as there are draws, and each slice is drawn once), the stratified
Monte Carlo that risk tools default to: the percentiles settle with fewer draws. Inputs
that move together (every cost on one platform) are given a rank correlation, the way
Iman and Conover did it: each input's draws are put in the order of a correlated normal
sample's ranks, which leaves each input's distribution as it was.

The figures are exact linear functions of the draws (see :mod:`uncertainty`), so all the
draws are one matrix product over a draws axis: 10,000 draws of the national plan are one
batched computation, in chunks so that Cancel is heard.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from .model import Plan
from .progress import Cancelled, IsCancelled, never
from .uncertainty import Floats, Linear, Ranged, linearise, ranged_inputs

PERCENTILES: Final = (10, 50, 90)
DEFAULT_RUNS: Final = 10_000
DEFAULT_SEED: Final = 20_260_401
DEFAULT_CORRELATION: Final = 0.5
"""The rank correlation between the costs of decisions on one platform, unless the user
says otherwise: one supplier's prices tend to move together."""
MAX_RUNS: Final = 1_000_000
_CHUNK: Final = 2_000


@dataclass(frozen=True)
class Simulation:
    """Every draw's figures, and what the board asks of them."""

    runs: int
    seed: int
    correlation: float
    option_codes: tuple[str, ...]
    force_codes: tuple[str, ...]
    baseline: int
    preferred: int
    inputs: tuple[Ranged, ...]
    central_npv: Floats  # [o]
    central_npsv: Floats  # [o]
    npv: Floats  # [draw, o]
    npsv: Floats  # [draw, o]
    force_npv: Floats  # [draw, o, f]
    force_npsv: Floats  # [draw, o, f]
    target_met: Floats | None  # [o] share of draws meeting the savings target; None: no target
    note: str = ""
    """Said with the figures: why the spread is nil, for one."""
    values: Floats = field(default_factory=lambda: np.zeros((0, 0)))
    """[draw, input] the inputs' drawn values (kept for checks and the charts)."""

    def percentiles(self, draws: Floats) -> Floats:
        """[3, ...] the P10, P50 and P90 of draws [draw, ...]: NumPy's, of each figure's
        draws sorted first, in a row of their own; the same numbers, found in a third of the
        time NumPy takes to partition them down a column (a board pack's per-force figures
        are 500 columns of 10,000 draws)."""
        # [figure, draw]: always a copy, being sorted in place (a figure of one column is
        # already contiguous, and would be the caller's own array)
        series = np.array(draws.reshape(len(draws), -1).T, order="C")
        series.sort(axis=1)
        found: Floats = np.percentile(series, PERCENTILES, axis=1, overwrite_input=True)
        return found.reshape(len(PERCENTILES), *draws.shape[1:])

    @property
    def p_npv_positive(self) -> Floats:
        share: Floats = (self.npv > 0).mean(axis=0)
        return share

    @property
    def p_beats(self) -> Floats:
        """[o] the share of draws in which the preferred option's NPSV beats each option's."""
        share: Floats = (self.npsv[:, self.preferred, None] > self.npsv).mean(axis=0)
        return share


def simulate(plan: Plan, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED, *,
             correlation: float = DEFAULT_CORRELATION, cancelled: IsCancelled = never,
             progress: Callable[[float], None] | None = None,
             linear: Linear | None = None) -> Simulation:
    """``runs`` draws of every ranged input, and every option's figures in each.

    ``progress``, if given, is called with the share done after each chunk of draws.
    The same plan, runs, seed and correlation give the same figures, to the bit.
    """
    if not 1 <= runs <= MAX_RUNS:
        raise ValueError(f"runs: must be from 1 to {MAX_RUNS:,} (got {runs:,})")
    if not -1.0 < correlation < 1.0:
        raise ValueError(f"correlation: must be between -1 and 1 (got {correlation})")
    lin = linear if linear is not None else linearise(plan)
    results = lin.results
    inputs = ranged_inputs(plan)
    values = draw(inputs, runs, seed, correlation)
    n_o, n_f = lin.force_npv.shape[1:]
    npv = np.empty((runs, n_o))
    npsv = np.empty((runs, n_o))
    force_npv = np.empty((runs, n_o, n_f))
    force_npsv = np.empty((runs, n_o, n_f))
    target = plan.savings_target
    met = np.zeros(n_o) if target is not None and plan.savings_target_years else None
    n_k = lin.npv.shape[0]  # (explicit shapes: there may be no components at all)
    savings = lin.savings.reshape(n_k, n_o * plan.horizon_years)
    central_savings = results.savings.reshape(-1)
    flat_npv = lin.force_npv.reshape(n_k, n_o * n_f)
    flat_npsv = lin.force_npsv.reshape(n_k, n_o * n_f)
    for start in range(0, runs, _CHUNK):
        if cancelled():
            raise Cancelled()
        chunk = slice(start, min(start + _CHUNK, runs))
        d = lin.factors(inputs, values[chunk]) - 1.0
        npv[chunk] = results.npv + d @ lin.npv
        npsv[chunk] = results.npsv + d @ lin.npsv
        force_npv[chunk] = (results.force_npv.reshape(-1) + d @ flat_npv).reshape(-1, n_o, n_f)
        force_npsv[chunk] = (lin.central_force_npsv.reshape(-1) + d @ flat_npsv
                             ).reshape(-1, n_o, n_f)
        if met is not None and target is not None and plan.savings_target_years:
            by_year = (central_savings + d @ savings).reshape(-1, n_o, plan.horizon_years)
            reached = np.cumsum(by_year[:, :, :plan.savings_target_years], axis=2) \
                >= target - 0.005
            met += reached.any(axis=2).sum(axis=0)
        if progress is not None:
            progress(chunk.stop / runs)
    note = "" if inputs else ("the plan has no ranged inputs (every decision's cost and "
                              "benefit range is 1× to 1×): every draw is the central estimate")
    return Simulation(runs, seed, correlation, results.option_codes, results.force_codes,
                      results.baseline, lin.preferred, inputs, results.npv, results.npsv,
                      npv, npsv, force_npv, force_npsv,
                      None if met is None else met / runs, note, values)


def draw(inputs: tuple[Ranged, ...], runs: int, seed: int,
         correlation: float = DEFAULT_CORRELATION) -> Floats:
    """[draw, input] Latin hypercube draws of each input's triangular distribution, those
    of one group given the rank ``correlation`` among themselves."""
    rng = np.random.default_rng(seed)
    n = len(inputs)
    # One stratified uniform a slice for each input, in a random order.
    u = (rng.permuted(np.tile(np.arange(runs), (n, 1)), axis=1).T
         + rng.random((runs, n))) / runs
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(inputs):
        if r.group:
            groups.setdefault(r.group, []).append(i)
    pearson = 2.0 * math.sin(math.pi * correlation / 6.0)  # gives that rank correlation
    for members in groups.values():
        if len(members) < 2 or correlation == 0.0:
            continue
        k = len(members)
        cov = np.full((k, k), pearson)
        np.fill_diagonal(cov, 1.0)
        scores = rng.standard_normal((runs, k)) @ np.linalg.cholesky(cov).T
        # Each member's uniforms, sorted, placed in the order of its scores' ranks: each
        # member's draws in a row of their own, where sorting is quicker, and its ranks as
        # the inverse of its scores' order rather than a second sort.
        order = np.argsort(np.ascontiguousarray(scores.T), axis=1)
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(runs)[None, :], axis=1)
        placed = np.sort(np.ascontiguousarray(u[:, members].T), axis=1)
        u[:, members] = np.take_along_axis(placed, ranks, axis=1).T
    low = np.array([r.low for r in inputs])
    likely = np.array([r.likely for r in inputs])
    high = np.array([r.high for r in inputs])
    return triangular(u, low, likely, high)


def triangular(u: Floats, low: Floats, likely: Floats, high: Floats) -> Floats:
    """The triangular distribution's quantile at ``u``: low where the range is nil.

    Worked in two arrays the size of ``u``, each step in place, rather than a new array a
    step: a million draws are 8 MB an array. The same operations on the same operands."""
    width = high - low
    safe = np.where(width > 0, width, 1.0)
    cut = (likely - low) / safe
    below = u * width  # low + sqrt(max(u * width * (likely - low), 0))
    below *= likely - low
    np.clip(below, 0.0, None, out=below)
    np.sqrt(below, out=below)
    below += low
    found: Floats = 1.0 - u  # high - sqrt(max((1 - u) * width * (high - likely), 0))
    found *= width
    found *= high - likely
    np.clip(found, 0.0, None, out=found)
    np.sqrt(found, out=found)
    np.subtract(high, found, out=found)
    np.copyto(found, below, where=u < cut)
    np.copyto(found, likely, where=~(width > 0))
    return found
