"""What a board asks first, worked out once: which option to back and why, how the options
rank, each force's share of the one backed, and what to put right before the figures go
to a board. The window's Overview page shows this; it computes nothing itself.

The option backed is :func:`headlines.recommended`'s: the plan's preferred, else the best
by NPSV, so the Overview, Compare, the Risk page and the board pack always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np

from .. import formats
from .engine import Floats, Results
from .headlines import recommended
from .model import OptionRole, Plan, financial_year_label
from .progress import IsCancelled, never

RISK_RUNS: Final = 2_000
"""Draws behind the Overview's chance of a positive NPV: enough to settle it to about a
percentage point (Latin hypercube), few enough to take a tenth of a second on the national
plan. The Risk page draws more on request."""


class ChosenBy(StrEnum):
    PREFERRED = "preferred"
    """The plan marks it preferred (Options page)."""
    NPSV = "npsv"
    """No option is marked preferred: the best by NPSV."""
    BASELINE = "baseline"
    """The plan has no option but business as usual."""


@dataclass(frozen=True)
class Target:
    """The plan's savings target and how the option stands against it."""

    amount: float
    deadline: int
    """The last financial year in which reaching the target counts (2030 = 2030/31)."""
    met: bool
    reached: int | None
    """The year cumulative savings first reach the target; None if never in the period."""
    by_deadline: float
    """Cumulative cashable savings at the end of the deadline year."""


@dataclass(frozen=True)
class Recommendation:
    """The option the Overview recommends, why, and its headline figures."""

    option: int
    chosen_by: ChosenBy
    npv: float
    npsv: float
    bcr: float
    payback: int | None
    one_off: float
    support_fte: float
    """Support staff in the last year of the period."""
    support_fte_change: float
    """Against business as usual in the last year: negative is fewer posts."""
    officer_hours: float
    """Officer hours a week released in the last year."""
    officer_fte: float
    """Those hours as officers' visible time."""
    target: Target | None


@dataclass(frozen=True)
class Ranked:
    """An option's place by NPSV, best first; the baseline is left out (nil by definition)."""

    option: int
    npsv: float
    npv: float
    bcr: float
    payback: int | None
    one_off: float
    target_met: bool | None
    """None when the plan sets no target."""


@dataclass(frozen=True)
class ForceShare:
    """One force's part in the recommended option, against business as usual."""

    force: int
    weight: float
    """Its share under the plan's sharing basis (0 to 1)."""
    npv: float
    one_off: float
    one_off_share: float
    """Its part of the option's one-off cost (0 to 1; 0 when the option has none)."""
    savings: float
    """Cashable savings over the period, undiscounted."""
    savings_share: float
    support_fte_change: float
    officer_hours: float


class Concern(StrEnum):
    NO_ESTATE = "no-estate"
    NO_OPTIONS = "no-options"
    NOT_BEST = "not-best"
    NEGATIVE = "negative"
    TARGET = "target"
    EARLY_EXITS = "early-exits"
    UNSOURCED = "unsourced"
    UNREASONED = "unreasoned"


@dataclass(frozen=True)
class Attention:
    """Something to put right or explain before the figures go to a board."""

    concern: Concern
    text: str
    page: str
    """The page where it is put right."""
    details: tuple[str, ...] = ()


@dataclass(frozen=True)
class Overview:
    """Everything the Overview page shows, worked out from a plan and its results."""

    recommendation: Recommendation
    ranked: tuple[Ranked, ...]
    shares: tuple[ForceShare, ...]
    attention: tuple[Attention, ...]


def _year(r: Results, index: int) -> int | None:
    return int(r.years[index]) if index >= 0 else None


def recommended_option(plan: Plan, r: Results) -> int:
    return recommended([o.role for o in plan.options], r.npsv.tolist(), r.baseline)


def _chosen_by(plan: Plan, option: int) -> ChosenBy:
    if plan.options[option].role is OptionRole.PREFERRED:
        return ChosenBy.PREFERRED
    return ChosenBy.BASELINE if plan.options[option].is_baseline else ChosenBy.NPSV


def _target(plan: Plan, r: Results, o: int) -> Target | None:
    if plan.savings_target is None or not plan.savings_target_years:
        return None
    cumulative = np.cumsum(r.savings[o])
    last = min(plan.savings_target_years, len(cumulative)) - 1
    return Target(plan.savings_target, plan.base_year + plan.savings_target_years - 1,
                  bool(r.target_met[o]), _year(r, int(r.target_year[o])),
                  float(cumulative[last]))


def recommendation(plan: Plan, r: Results) -> Recommendation:
    o, b = recommended_option(plan, r), r.baseline
    fte = r.support_fte
    return Recommendation(
        o, _chosen_by(plan, o), float(r.npv[o]), float(r.npsv[o]), float(r.bcr[o]),
        None if o == b else _year(r, int(r.payback[o])), float(r.force_one_off[o].sum()),
        float(fte[o, -1]), float(fte[o, -1] - fte[b, -1]),
        float(r.officer_hours[o, -1] - r.officer_hours[b, -1]),
        float(r.officer_fte[o, -1] - r.officer_fte[b, -1]),
        None if o == b else _target(plan, r, o))


def ranked(plan: Plan, r: Results) -> tuple[Ranked, ...]:
    others = [o for o in range(len(plan.options)) if o != r.baseline]
    others.sort(key=lambda o: -float(r.npsv[o]))
    has_target = plan.savings_target is not None and bool(plan.savings_target_years)
    return tuple(Ranked(o, float(r.npsv[o]), float(r.npv[o]), float(r.bcr[o]),
                        _year(r, int(r.payback[o])), float(r.force_one_off[o].sum()),
                        bool(r.target_met[o]) if has_target else None) for o in others)


def _share(part: Floats) -> Floats:
    total = float(part.sum())
    shares: Floats = part / total if abs(total) > 0.005 else np.zeros_like(part)
    return shares


def force_shares(plan: Plan, r: Results, o: int) -> tuple[ForceShare, ...]:
    """Each force's part in option ``o``, in the plan's order of forces."""
    b = r.baseline
    one_off = r.force_one_off[o]
    savings = r.force_savings[o].sum(axis=1)
    fte = r.by_force["support_fte"]
    hours = r.force_hours
    return tuple(
        ForceShare(f, float(r.weights[f]), float(r.force_npv[o, f]), float(one_off[f]),
                   float(one_off_share), float(savings[f]), float(savings_share),
                   float(fte[o, f, -1] - fte[b, f, -1]),
                   float(hours[o, f, -1] - hours[b, f, -1]))
        for f, one_off_share, savings_share in zip(range(len(plan.forces)), _share(one_off),
                                                   _share(savings), strict=True))


# --- what needs attention ---------------------------------------------------------------------

SHOWN: Final = 8
"""Details listed under one concern; a last line counts the rest."""


def _listed(lines: list[str]) -> tuple[str, ...]:
    if len(lines) <= SHOWN:
        return tuple(lines)
    return (*lines[:SHOWN], f"and {len(lines) - SHOWN:,} more")


def _names(plan: Plan) -> tuple[dict[str, str], dict[str, str]]:
    return ({f.code: f.name for f in plan.forces}, {s.code: s.name for s in plan.services})


def _early_exits(plan: Plan, r: Results, o: int) -> Attention | None:
    code = plan.options[o].code
    exits = [e for e in r.early_exits if e.option == code]
    if not exits:
        return None
    forces, services = _names(plan)
    fees = sum(e.exit_cost for e in exits)
    lines = [f"{services.get(e.service, e.service)} for {forces.get(e.force, e.force)}: "
             f"goes live {financial_year_label(e.go_live_year)}, contract ends "
             f"{e.contract_end:%d %b %Y}, exit fee {formats.money(e.exit_cost)}"
             for e in sorted(exits, key=lambda e: -e.exit_cost)]
    return Attention(Concern.EARLY_EXITS,
                     f"{len(exits):,} go-live{'s' if len(exits) != 1 else ''} before a "
                     f"contract ends, with exit fees of {formats.money(fees)} in all",
                     "Roadmap", _listed(lines))


def _target_unmet(plan: Plan, r: Results, o: int) -> Attention | None:
    target = _target(plan, r, o)
    if target is None or target.met:
        return None
    when = ("it is reached only in " + financial_year_label(target.reached)
            if target.reached is not None else "it is not reached within the period")
    meeting = [plan.options[m].name for m in range(len(plan.options))
               if m != r.baseline and bool(r.target_met[m])]
    details = (f"Met by: {', '.join(meeting)}",) if meeting else ()
    return Attention(Concern.TARGET,
                     f"The savings target of {formats.money(target.amount)} by "
                     f"{financial_year_label(target.deadline)} is not met: cumulative "
                     f"savings are {formats.money(target.by_deadline)} by then, and {when}",
                     "Plan", details)


def _unsourced(plan: Plan, o: int) -> Attention | None:
    """Figures that cite no source: forces, today's estate, the option's changes, sites
    and deflators."""
    forces, services = _names(plan)
    option = plan.options[o]
    groups = (
        ("forces", "Forces", [f.name for f in plan.forces if not f.source]),
        ("rows of today's estate", "Today's estate",
         [f"{forces.get(e.force, e.force)}: {services.get(e.service, e.service)}"
          for e in plan.estate if not e.source]),
        (f"changes in {option.name}", "Options",
         [services.get(d.service, d.service) for d in option.decisions
          if d.makes_change and not d.source]),
        ("sites", "Sites", [s.name for s in plan.sites if not s.source]),
        ("deflators", "Deflators", [financial_year_label(d.year) for d in plan.deflators
                                    if not d.source]),
    )
    found = [(what, page, lines) for what, page, lines in groups if lines]
    if not found:
        return None
    counts = "; ".join(f"{len(lines):,} {what}" for what, _, lines in found)
    details = [f"{what[0].upper()}{what[1:]}: {', '.join(lines[:4])}"
               + (f" and {len(lines) - 4:,} more" if len(lines) > 4 else "")
               for what, _, lines in found]
    return Attention(Concern.UNSOURCED, f"Figures that cite no source: {counts}",
                     found[0][1], tuple(details))


def _unreasoned(plan: Plan) -> Attention | None:
    bare = [s for s in plan.sources if s.is_assumption and not s.detail.strip()]
    if not bare:
        return None
    return Attention(Concern.UNREASONED,
                     f"{len(bare):,} assumption{'s' if len(bare) != 1 else ''} without "
                     "reasoning: say why each figure is what it is", "Sources",
                     _listed([f"{s.title} ({s.key})" for s in bare]))


def attention(plan: Plan, r: Results, o: int | None = None) -> tuple[Attention, ...]:
    """What needs putting right or explaining about option ``o`` (the recommended one by
    default) and the plan's evidence, most pressing first."""
    o = recommended_option(plan, r) if o is None else o
    found: list[Attention | None] = []
    if not plan.estate:
        found.append(Attention(Concern.NO_ESTATE, "Today's estate is empty: enter what each "
                               "force runs today for each service, or import the forces' "
                               "filled data-collection workbooks (File menu)",
                               "Today's estate"))
    if o == r.baseline:
        found.append(Attention(Concern.NO_OPTIONS, "The plan has no option but business "
                               "as usual: add the options to compare on the Options page",
                               "Options"))
    else:
        name = plan.options[o].name
        best = max((m for m in range(len(plan.options)) if m != r.baseline),
                   key=lambda m: float(r.npsv[m]))
        if best != o and float(r.npsv[best]) > float(r.npsv[o]) + 0.5:
            found.append(Attention(
                Concern.NOT_BEST, f"{plan.options[best].name} has a higher NPSV than the "
                f"preferred {name}: {formats.money(float(r.npsv[best]))} against "
                f"{formats.money(float(r.npsv[o]))}. Say why the preferred is preferred, "
                "or mark the other preferred", "Options"))
        if float(r.npsv[o]) < 0:
            found.append(Attention(Concern.NEGATIVE, f"{name} costs more than it returns: "
                                   f"its NPSV is {formats.money(float(r.npsv[o]))}",
                                   "Options"))
        found += [_target_unmet(plan, r, o), _early_exits(plan, r, o)]
    found += [_unsourced(plan, o), _unreasoned(plan)]
    return tuple(a for a in found if a is not None)


def overview(plan: Plan, r: Results) -> Overview:
    rec = recommendation(plan, r)
    return Overview(rec, ranked(plan, r), force_shares(plan, r, rec.option),
                    attention(plan, r, rec.option))


# --- the chance of a positive NPV -------------------------------------------------------------

@dataclass(frozen=True)
class Chance:
    """The share of Monte Carlo draws in which the recommended option's NPV is positive."""

    option_code: str
    positive: float
    runs: int
    seed: int
    note: str = ""


def chance_of_positive_npv(plan: Plan, runs: int = RISK_RUNS, *,
                           cancelled: IsCancelled = never) -> Chance:
    """A modest run of :func:`risk.simulate` (its default seed, so the same plan gives the
    same chance), for the recommended option."""
    from .risk import DEFAULT_SEED, simulate

    sim = simulate(plan, runs, DEFAULT_SEED, cancelled=cancelled)
    return Chance(sim.option_codes[sim.preferred], float(sim.p_npv_positive[sim.preferred]),
                  runs, DEFAULT_SEED, sim.note)


# --- each force's lines by year, for Compare ----------------------------------------------------

@dataclass(frozen=True)
class Measure:
    """A figure Compare breaks down by force and year, and how it is read from the results."""

    key: str
    label: str
    unit: str
    """"£", "FTE" or "hours a week"."""
    help: str
    lines: Callable[[Results, int], Floats]
    """[f, t] the measure for each force and year in option o."""
    summed: bool
    """Summed over the period (one-off costs, savings), or read in the last year (a year's
    running cost, staff in post, hours a week at full run rate)."""

    @property
    def summary(self) -> str:
        return f"{self.label}, {'in total' if self.summed else 'final year'}"

    def summarise(self, r: Results, o: int) -> Floats:
        """[f] each force's figure: the total over the period or the last year's."""
        lines = self.lines(r, o)
        found: Floats = lines.sum(axis=1) if self.summed else lines[:, -1]
        return found


def _one_off(r: Results, o: int) -> Floats:
    by = r.by_force
    found: Floats = by["transition"][o] + by["exit"][o] + by["severance"][o] \
        + by["closure_costs"][o]
    return found


def _running(r: Results, o: int) -> Floats:
    found: Floats = r.by_force["running"][o] + r.by_force["buildings"][o]
    return found


MEASURES: Final = (
    Measure("one_off", "One-off cost", "£", "Transition (with optimism bias), exit fees and "
            "costs, severance and site closure costs, undiscounted", _one_off, True),
    Measure("running", "Running cost", "£", "Services (the force's own estate as the option "
            "keeps it and its share of shared platforms) and buildings; not staff", _running,
            False),
    Measure("savings", "Cashable savings", "£", "Net cost saved against business as usual, "
            "all lines, undiscounted", lambda r, o: r.force_savings[o], True),
    Measure("support_fte", "Support staff", "FTE", "Support staff in post",
            lambda r, o: r.by_force["support_fte"][o], False),
    Measure("officer_hours", "Officer hours released", "hours a week",
            "Officer hours a week released against business as usual",
            lambda r, o: r.force_hours[o] - r.force_hours[r.baseline], False),
)
MEASURE: Final = {m.key: m for m in MEASURES}
