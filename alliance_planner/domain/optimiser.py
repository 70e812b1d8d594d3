"""The roadmap optimiser: for each service, which of the changes the plan's options hold,
going live in which year, gives the most NPSV within the plan's limits.

A candidate is one service's alternative going live in one year (or one option's set of
site closures). Every candidate is appraised by the engine in one batched call: a plan
whose options are the baseline and, for each candidate, the baseline with that one change.
Each candidate's NPSV, one-off spend and support staff are then terms of a mixed-integer
programme that HiGHS solves: a binary a candidate, at most one a service, and the limits as
rows. The appraisal adds up across services except for severance, which is paid on each
force's net fall in support staff a year: that is modelled exactly, as a continuous
variable a force and year bounded below by the fall the chosen candidates make. The
chosen roadmap is appraised again by the engine, and that is the NPSV reported.
docs/method.md states the formulation.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from .. import formats
from .edits import unique_code
from .engine import appraise, compile_plan, evaluate_lines, results
from .model import (
    Decision,
    LinkKind,
    Option,
    OptionRole,
    Plan,
    ServiceLink,
    SiteAction,
    financial_year_label,
)
from .progress import Cancelled, IsCancelled, never
from .schema import OPTIONS
from .validation import ensure_valid

Floats = NDArray[np.float64]

NAME: Final = "Optimised roadmap"
CODE: Final = "ROADMAP"
TIME_LIMIT: Final = 60.0
"""Seconds HiGHS may search; past them the best roadmap found is given, with its gap."""
_SITES: Final = ""
"""The group of the site-closure candidates (a service code is never blank)."""
_ELEMENTS: Final = 20_000_000
"""Array elements one engine call may size (about 160 MB): more candidates go in chunks."""
_MILLION: Final = 1e-6
"""The programme is in £m, so that HiGHS's tolerances are pennies, not pounds."""


class OptimiseError(ValueError):
    """The optimiser has no roadmap to give; the message says why, in the user's words."""


@dataclass(frozen=True)
class Limits:
    """What a roadmap must keep to: the plan's settings, or the command line's."""

    budget_per_year: float | None = None
    """The most its changes may spend once in a year, over the baseline; None: no cap."""
    max_concurrent: int | None = None
    """The most transitions in flight in any one year; None: no limit."""
    allow_early_exits: bool = True
    links: tuple[ServiceLink, ...] = ()

    @classmethod
    def of(cls, plan: Plan) -> Limits:
        return cls(plan.budget_per_year, plan.max_concurrent, plan.allow_early_exits,
                   plan.service_links)


@dataclass(frozen=True)
class Roadmap:
    """The optimiser's answer: a new option, the plan that holds it, and how it was found."""

    option: Option
    plan: Plan
    """The plan given, with the new option added last."""
    npsv: float
    """The engine's NPSV of the new option: the figure to quote."""
    objective: float
    """The programme's objective, £: equal to ``npsv`` but for rounding."""
    status: str
    gap: float
    """The relative gap HiGHS proved between the roadmap and the best possible."""
    seconds: float
    limits: Limits
    candidates: int
    peak_spend: float
    """The most the roadmap spends once in a year (transition, exit, severance, closures),
    over the baseline."""
    peak_year: int | None
    most_in_flight: int
    early_exits: int
    exit_fees: float

    def limits_met(self) -> list[str]:
        """One line a limit, saying what the roadmap does against it."""
        limits = self.limits
        spend = f"one-off spend over the baseline at most {formats.money(self.peak_spend)} " \
            "a year" + (f" (in {financial_year_label(self.peak_year)})"
                        if self.peak_year is not None and self.peak_spend > 0 else "")
        spend += ", with no cap" if limits.budget_per_year is None else \
            f", within the cap of {formats.money(limits.budget_per_year)}"
        most = self.most_in_flight
        flight = f"at most {most} change{'s' if most != 1 else ''} in flight at once"
        flight += ", with no limit" if limits.max_concurrent is None else \
            f", within the limit of {limits.max_concurrent}"
        if self.early_exits:
            exits = f"{self.early_exits} early exit{'s' if self.early_exits != 1 else ''}, " \
                f"fees {formats.money(self.exit_fees)}"
        else:
            exits = "no early exits" + ("" if limits.allow_early_exits else " (not allowed)")
        links = f"all {len(limits.links)} service links honoured" if limits.links else \
            "no service links"
        return [spend, flight, exits, links]

    def solver_line(self) -> str:
        gap = "" if not math.isfinite(self.gap) else f", gap {self.gap:.2%}"
        return f"HiGHS: {self.status}{gap}, {self.candidates:,} candidates"


@dataclass(frozen=True)
class _Candidate:
    """One service's alternative at one go-live year, or one option's site closures."""

    group: str
    """The service it decides, or _SITES."""
    decision: Decision | None = None
    site_actions: tuple[SiteAction, ...] = ()
    year: int | None = None
    """Its go-live year; None for a change with none (dropping the baseline's own)."""
    first: int = 0
    """The first year of its transition: in flight from here to go-live."""


@dataclass(frozen=True)
class _Values:
    """What the engine says of each candidate c, against the baseline."""

    value: Floats  # [c] NPSV with its own severance added back, £
    spend: Floats  # [c, t] transition, exit and closure costs over the baseline's, £
    step: Floats  # [c, f, t] the rise in support FTE cut that year, less those transferred
    exits: NDArray[np.bool_]  # [c] goes live before a participating force's contract ends
    severance_per_fte: float
    discount: Floats  # [t]


def optimise(plan: Plan, limits: Limits | None = None, *, cancelled: IsCancelled = never,
             time_limit: float = TIME_LIMIT) -> Roadmap:
    """The roadmap of most NPSV within ``limits`` (the plan's own by default), as a new
    option. OptimiseError says why there is none; Cancelled if asked to stop."""
    started = time.perf_counter()
    ensure_valid(plan)
    limits = Limits.of(plan) if limits is None else limits
    _check_limits(plan, limits)
    baseline = plan.baseline
    assert baseline is not None  # a valid plan has one
    candidates = _candidates(plan, baseline)
    if not candidates:
        raise OptimiseError("nothing to choose: no option changes any service (or site) "
                            "from what the baseline does, in a year the plan's horizon fits")
    values = _evaluate(plan, baseline, candidates, cancelled)
    if not limits.allow_early_exits:
        keep = np.flatnonzero(~values.exits)
        if not len(keep):
            raise OptimiseError("nothing to choose: every change the options hold goes live "
                                "before a force's contract ends, and early exits are not "
                                "allowed")
        candidates = [candidates[i] for i in keep.tolist()]
        values = dataclasses.replace(values, value=values.value[keep],
                                     spend=values.spend[keep], step=values.step[keep],
                                     exits=values.exits[keep])
    if cancelled():
        raise Cancelled()
    chosen, objective, status, gap = _solve(plan, candidates, values, limits, cancelled,
                                            time_limit)
    if cancelled():
        raise Cancelled()
    if not chosen:
        raise OptimiseError(_nothing_better(plan, limits, candidates, values, cancelled,
                                            time_limit))
    return _roadmap(plan, baseline, [candidates[i] for i in chosen], limits, objective,
                    status, gap, len(candidates), started)


def _check_limits(plan: Plan, limits: Limits) -> None:
    if limits.budget_per_year is not None and not limits.budget_per_year >= 0:
        raise OptimiseError(f"the budget a year must not be negative "
                            f"(got {formats.money(limits.budget_per_year)})")
    if limits.max_concurrent is not None and limits.max_concurrent < 0:
        raise OptimiseError(f"the most changes at once must not be negative "
                            f"(got {limits.max_concurrent})")
    known = {s.code for s in plan.services}
    for link in limits.links:
        if link.service not in known or link.other not in known:
            raise OptimiseError(f"the link {link.service} {link.kind} {link.other} names a "
                                "service the plan does not hold")
    if len(plan.options) >= OPTIONS.most:
        raise OptimiseError(f"the plan holds {len(plan.options)} options, the most it may: "
                            "remove one to make room for the roadmap")


# --- candidates ---------------------------------------------------------------------------


def _shape(decision: Decision) -> Decision:
    """A decision as an alternative: whatever its go-live year and its citation."""
    return dataclasses.replace(decision, go_live_year=None, source="")


def _closures(option: Option) -> tuple[SiteAction, ...]:
    return tuple(sorted(option.site_actions, key=lambda a: a.site))


def _candidates(plan: Plan, baseline: Option) -> list[_Candidate]:
    """Every alternative the options hold for each service at every go-live year its
    profile fits in the horizon, but what the baseline does; then each distinct set of
    site closures."""
    found: list[_Candidate] = []
    last = plan.base_year + plan.horizon_years - 1
    for service in plan.services:
        base = baseline.decision_for(service.code)
        seen: set[Decision] = set()
        for option in plan.options:
            decision = option.decision_for(service.code)
            if option.is_baseline or decision is None or _shape(decision) in seen:
                continue
            seen.add(_shape(decision))
            if not decision.makes_change:  # drops a change the baseline makes, if any
                if base is not None and base.makes_change:
                    found.append(_Candidate(service.code, decision))
                continue
            spread = len(decision.transition_profile)
            for year in range(plan.base_year + spread - 1, last + 1):
                moved = dataclasses.replace(decision, go_live_year=year)
                if base is not None and dataclasses.replace(moved, source="") == \
                        dataclasses.replace(base, source=""):
                    continue
                found.append(_Candidate(service.code, moved, year=year,
                                        first=year - spread + 1))
    kept = {_closures(baseline)}
    for option in plan.options:
        closures = _closures(option)
        if closures not in kept:
            kept.add(closures)
            found.append(_Candidate(_SITES, site_actions=closures))
    return found


def _trial(baseline: Option, candidate: _Candidate, code: str) -> Option:
    """The baseline with one candidate in place (an option is the baseline plus its own
    decisions, so the candidate's decision is the only one it needs)."""
    if candidate.group == _SITES:
        return Option(code, code, site_actions=candidate.site_actions)
    assert candidate.decision is not None
    return Option(code, code, decisions=(candidate.decision,),
                  site_actions=baseline.site_actions)


def _evaluate(plan: Plan, baseline: Option, candidates: Sequence[_Candidate],
              cancelled: IsCancelled) -> _Values:
    """Every candidate appraised against the baseline, in as few engine calls as memory
    allows (one for the national plan)."""
    n_f, n_s, n_t = len(plan.forces), len(plan.services), plan.horizon_years
    per_option = 4 * n_f * n_s + 20 * n_f * n_t + 6 * n_s * n_t + 1
    size = max(1, _ELEMENTS // per_option)
    value, spend, step, exits = [], [], [], []
    severance_per_fte, discount = 0.0, np.ones(n_t)
    for start in range(0, len(candidates), size):
        if cancelled():
            raise Cancelled()
        chunk = candidates[start:start + size]
        codes = [f"{baseline.code}~{i}" for i in range(len(chunk))]
        trial = plan.replace(options=(baseline, *(
            _trial(baseline, c, code) for c, code in zip(chunk, codes, strict=True))))
        x = compile_plan(trial, validate=False)
        r = results(trial, x, evaluate_lines(x))
        severance_per_fte, discount = x.severance_per_fte, r.discount_factors
        one_off = r.transition + r.exit + r.closure_costs  # [o, t], severance apart
        value.append(r.npsv[1:] + r.severance[1:] @ discount)
        spend.append(one_off[1:] - one_off[0])
        fte = r.by_force["support_fte"]  # [o, f, t]
        gap = fte[0] - fte[1:]
        rise = np.diff(gap, axis=2, prepend=0.0)
        step.append(rise - x.transferred[1:])
        early = {e.option for e in r.early_exits}
        exits.append(np.array([code in early for code in codes], dtype=np.bool_))
    return _Values(np.concatenate(value), np.concatenate(spend), np.concatenate(step),
                   np.concatenate(exits), severance_per_fte, discount)


# --- the programme ------------------------------------------------------------------------


class _Rows:
    """The programme's constraints, row by row, as HiGHS takes them (row-wise sparse)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []

    def add(self, columns: Sequence[int], coefficients: Sequence[float], lower: float,
            upper: float) -> None:
        self.starts.append(len(self.index))
        self.index.extend(columns)
        self.value.extend(coefficients)
        self.lower.append(lower)
        self.upper.append(upper)


def _solve(plan: Plan, candidates: Sequence[_Candidate], values: _Values, limits: Limits,
           cancelled: IsCancelled, time_limit: float) -> tuple[list[int], float, str, float]:
    """(the candidates chosen, the objective in £, the solver's status, its gap)."""
    import highspy

    inf = highspy.kHighsInf
    n = len(candidates)
    rows = _Rows()
    cost = (values.value * _MILLION).tolist()
    groups: dict[str, list[int]] = {}
    by_year: dict[tuple[str, int | None], list[int]] = {}
    for i, c in enumerate(candidates):
        groups.setdefault(c.group, []).append(i)
        by_year.setdefault((c.group, c.year), []).append(i)
    for members in groups.values():
        rows.add(members, [1.0] * len(members), -inf, 1.0)

    # Severance: u[f, t] >= the year's rise in staff cut, less transfers, at a cost a FTE.
    k = values.severance_per_fte
    falls: list[tuple[int, int]] = []
    if k > 0:
        rising = (values.step > 0).any(axis=0)  # [f, t]: where any candidate cuts more
        for f, t in zip(*np.nonzero(rising), strict=True):
            j = n + len(falls)
            falls.append((int(f), int(t)))
            cost.append(-k * float(values.discount[t]) * _MILLION)
            made = np.flatnonzero(values.step[:, f, t])
            rows.add([j, *made.tolist()], [1.0, *(-values.step[made, f, t]).tolist()], 0.0,
                     inf)
    if limits.budget_per_year is not None:
        for t in range(plan.horizon_years):
            made = np.flatnonzero(values.spend[:, t])
            cut = [n + j for j, (_, year) in enumerate(falls) if year == t]
            coefficients = [*(values.spend[made, t] * _MILLION).tolist(),
                            *[k * _MILLION] * len(cut)]
            if any(c > 0 for c in coefficients):
                rows.add([*made.tolist(), *cut], coefficients, -inf,
                         limits.budget_per_year * _MILLION)
    if limits.max_concurrent is not None:
        for year in plan.years:
            flying = [i for i, c in enumerate(candidates)
                      if c.year is not None and c.first <= year <= c.year]
            if len(flying) > limits.max_concurrent:
                rows.add(flying, [1.0] * len(flying), -inf, float(limits.max_concurrent))
    _link_rows(rows, limits.links, groups, by_year, candidates, inf)

    h = _quiet_highs(highspy)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 1e-6)  # a pound, in £m
    lp = highspy.HighsLp()
    lp.num_col_ = len(cost)
    lp.num_row_ = len(rows.lower)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.array(cost)
    lp.col_lower_ = np.zeros(len(cost))
    lp.col_upper_ = np.array([1.0] * n + [inf] * len(falls))
    lp.row_lower_ = np.array(rows.lower)
    lp.row_upper_ = np.array(rows.upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = len(cost)
    lp.a_matrix_.num_row_ = len(rows.lower)
    lp.a_matrix_.start_ = np.array([*rows.starts, len(rows.index)], dtype=np.int32)
    lp.a_matrix_.index_ = np.array(rows.index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(rows.value)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n + \
        [highspy.HighsVarType.kContinuous] * len(falls)
    h.passModel(lp)

    def interrupt(event: Any) -> None:
        if cancelled():
            event.interrupt()

    h.cbMipInterrupt += interrupt
    h.run()
    status = h.getModelStatus()
    if cancelled():  # (an interrupted solve was asked to stop)
        raise Cancelled()
    info = h.getInfo()
    if status == highspy.HighsModelStatus.kInfeasible:
        raise OptimiseError("no roadmap meets every limit together")
    found = info.primal_solution_status == highspy.kSolutionStatusFeasible
    if status != highspy.HighsModelStatus.kOptimal and not found:
        raise OptimiseError(f"the solver found no roadmap: {h.modelStatusToString(status)}")
    chosen = [i for i, v in enumerate(h.getSolution().col_value[:n]) if v > 0.5]
    text = "optimal" if status == highspy.HighsModelStatus.kOptimal else \
        h.modelStatusToString(status).lower()
    return chosen, info.objective_function_value / _MILLION, text, float(info.mip_gap)


def _link_rows(rows: _Rows, links: Sequence[ServiceLink], groups: dict[str, list[int]],
               by_year: dict[tuple[str, int | None], list[int]],
               candidates: Sequence[_Candidate], inf: float) -> None:
    """'together': the two services' candidates of each year are chosen alike. 'before':
    a candidate of the other service needs one of this service's in an earlier year."""
    for link in links:
        one, other = link.service, link.other
        if link.kind is LinkKind.TOGETHER:
            years = {y for g, y in by_year if g in (one, other)}
            for year in years:
                a, b = by_year.get((one, year), []), by_year.get((other, year), [])
                rows.add([*a, *b], [1.0] * len(a) + [-1.0] * len(b), 0.0, 0.0)
            continue
        for (group, year), later in by_year.items():
            if group != other:
                continue
            earlier = [i for i in groups.get(one, []) if _before(candidates[i].year, year)]
            rows.add([*later, *earlier], [1.0] * len(later) + [-1.0] * len(earlier), -inf,
                     0.0)


def _before(one: int | None, other: int | None) -> bool:
    """Whether a change going live in year ``one`` is before one in year ``other``; a
    change with no go-live year of its own needs only that the first service change."""
    return other is None or (one is not None and one < other)


def _quiet_highs(highspy: Any) -> Any:
    """A HiGHS instance that prints nothing: output is off before its first call that
    would print its banner (the callbacks it sets up as it is made)."""
    class Quiet(highspy.Highs):  # type: ignore[misc]
        def enableCallbacks(self) -> None:
            self.setOptionValue("output_flag", False)
            super().enableCallbacks()

    return Quiet()


def _nothing_better(plan: Plan, limits: Limits, candidates: Sequence[_Candidate],
                    values: _Values, cancelled: IsCancelled, time_limit: float) -> str:
    """Why the best roadmap changes nothing: the limits, or no change adds value."""
    unlimited = Limits()
    if limits != unlimited:
        chosen, objective, _, _ = _solve(plan, candidates, values, unlimited, cancelled,
                                         time_limit)
        if chosen:
            return ("no change fits the limits: within them the best roadmap is business as "
                    f"usual (without them it would add {formats.money(objective)} NPSV); "
                    "loosen the budget, the changes at once, early exits or the links")
    return "no change the options hold adds to NPSV: the best roadmap is business as usual"


# --- the answer ---------------------------------------------------------------------------


def _roadmap(plan: Plan, baseline: Option, chosen: Sequence[_Candidate], limits: Limits,
             objective: float, status: str, gap: float, candidates: int,
             started: float) -> Roadmap:
    order = {s.code: k for k, s in enumerate(plan.services)}
    decisions = tuple(sorted((c.decision for c in chosen if c.decision is not None),
                             key=lambda d: order[d.service]))
    closures = next((c.site_actions for c in chosen if c.group == _SITES),
                    baseline.site_actions)
    code = unique_code((o.code for o in plan.options), CODE)
    option = Option(code, NAME, OptionRole.OTHER, decisions=decisions, site_actions=closures)
    with_it = plan.replace(options=(*plan.options, option))
    r = appraise(with_it)
    o, b = len(plan.options), r.baseline
    one_off = r.transition + r.exit + r.severance + r.closure_costs
    spend = one_off[o] - one_off[b]
    peak = int(np.argmax(spend))
    exits = [e for e in r.early_exits if e.option == code]
    answer = Roadmap(option, with_it, float(r.npsv[o]), objective, status, gap,
                     time.perf_counter() - started, limits, candidates,
                     max(0.0, float(spend[peak])), plan.base_year + peak,
                     _most_in_flight(plan, decisions), len(exits),
                     sum(e.exit_cost for e in exits))
    described = dataclasses.replace(option, description=_description(answer))
    return dataclasses.replace(answer, option=described,
                               plan=plan.replace(options=(*plan.options, described)))


def _most_in_flight(plan: Plan, decisions: Sequence[Decision]) -> int:
    spans = [(d.go_live_year - len(d.transition_profile) + 1, d.go_live_year)
             for d in decisions if d.makes_change and d.go_live_year is not None]
    return max((sum(first <= y <= live for first, live in spans) for y in plan.years),
               default=0)


def _description(answer: Roadmap) -> str:
    changed = len(answer.option.decisions)
    closures = len(answer.option.site_actions)
    what = f"{changed} service{'s' if changed != 1 else ''} changed" + (
        f", {closures} site closure{'s' if closures != 1 else ''}" if closures else "")
    return (f"Chosen by the roadmap optimiser from the changes the plan's options hold: "
            f"{what}. Limits met: " + "; ".join(answer.limits_met()) +
            f". {answer.solver_line()}.")
