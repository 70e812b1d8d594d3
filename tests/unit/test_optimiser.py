"""The roadmap optimiser against brute force: on small plans, every combination of each
service's alternatives and go-live years is appraised by the real engine, and the best one
that keeps to the limits is what the optimiser must find; whatever it finds keeps to
every limit; with none, it does at least as well as every option the plan holds."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date

import numpy as np
import pytest

from alliance_planner import samples
from alliance_planner.domain.engine import appraise
from alliance_planner.domain.model import (
    Decision,
    EstateItem,
    Force,
    LinkKind,
    Mode,
    Option,
    OptionRole,
    Plan,
    Service,
    ServiceLink,
    Site,
    SiteAction,
)
from alliance_planner.domain.optimiser import Limits, OptimiseError, optimise
from alliance_planner.domain.progress import Cancelled
from alliance_planner.domain.validation import validate


def small_plan(seed: int) -> Plan:
    """Two forces, three services, five years: changes that pay and changes that do not,
    contracts that end in the horizon (and exit fees), staff cut in one service and added
    in another (so severance interacts), a site that one option closes."""
    rng = np.random.default_rng(seed)
    forces = (Force("A", "Force A", officers=3000, staff=1500),
              Force("B", "Force B", officers=1200, staff=600))
    services = tuple(Service(code, code.title()) for code in ("desk", "mobile", "records"))
    estate = tuple(
        EstateItem(f.code, s.code, annual_running_cost=float(rng.integers(3, 12)) * 100_000,
                   support_fte=float(rng.integers(4, 15)),
                   contract_end=date(2026 + int(rng.integers(1, 4)), 3, 31),
                   exit_fee=float(rng.integers(0, 4)) * 50_000)
        for f in forces for s in services)

    def change(service: str, go_live: int, spread: int) -> Decision:
        return Decision(
            service, Mode.CONVERGE, go_live_year=go_live,
            transition_cost=float(rng.integers(4, 20)) * 100_000,
            transition_profile=(1.0,) if spread == 1 else (0.5, 0.5),
            shared_running_cost=float(rng.integers(4, 20)) * 100_000,
            # a shared desk needs more staff than the forces' own; the others need fewer
            shared_support_fte=float(rng.integers(30, 46) if service == "desk"
                                     else rng.integers(0, 8)),
            officer_hours_per_week=float(rng.integers(0, 400)),
            other_savings=float(rng.integers(0, 3)) * 100_000, transfer_share=0.25)

    refresh = Decision("records", Mode.RETAIN, go_live_year=2028, transition_cost=300_000)
    options = (
        Option("BAU", "Business as usual", OptionRole.BASELINE, decisions=(refresh,)),
        Option("ONE", "One at a time", OptionRole.PREFERRED, decisions=(
            change("desk", 2027, 2), change("mobile", 2029, 1))),
        Option("TWO", "Another way", decisions=(
            change("desk", 2028, 1), change("records", 2027, 2),
            Decision("mobile", Mode.RETAIN))),
        Option("SITE", "Close the old HQ", site_actions=(
            SiteAction("hq", 2028, disposal_receipt=float(rng.integers(1, 9)) * 100_000,
                       closure_cost=200_000),)),
    )
    return Plan(name=f"Small {seed}", base_year=2026, horizon_years=5,
                cost_per_officer_hour=40.0, cost_per_staff_fte=45_000.0,
                forces=forces, services=services, estate=estate, options=options,
                sites=(Site("hq", "Old HQ", "B", annual_running_cost=150_000,
                            market_value=900_000),))


# --- brute force, with the real engine -------------------------------------------------------


def choices(plan: Plan) -> list[list[tuple[Decision | None, tuple[SiteAction, ...] | None]]]:
    """Each service's (and the sites') choices: the baseline's way (None), or each distinct
    decision another option holds at each go-live year its profile fits."""
    baseline = plan.baseline
    years = plan.years
    per_group = []
    for service in plan.services:
        ways: list = [(None, None)]
        seen = set()
        for option in plan.options[1:]:
            d = option.decision_for(service.code)
            if d is None:
                continue
            for year in years if d.makes_change else [d.go_live_year]:
                moved = Decision(**{**d.__dict__, "go_live_year": year})
                if moved in seen or moved == baseline.decision_for(service.code):
                    continue
                if d.makes_change and year - len(d.transition_profile) + 1 < plan.base_year:
                    continue
                seen.add(moved)
                ways.append((moved, None))
        per_group.append(ways)
    sites = [(None, baseline.site_actions)]
    sites += [(None, o.site_actions) for o in plan.options[1:]
              if o.site_actions != baseline.site_actions]
    per_group.append(sites)
    return per_group


def every_roadmap(plan: Plan) -> list[Option]:
    baseline = plan.baseline
    roadmaps = []
    for k, combination in enumerate(itertools.product(*choices(plan))):
        decisions = tuple(d for d, _ in combination if d is not None)
        closures = next(s for _, s in combination if s is not None)
        roadmaps.append(Option(f"R{k}", f"Roadmap {k}", decisions=decisions,
                               site_actions=closures or ()))
    assert baseline is not None
    return roadmaps


def broken_limits(plan: Plan, option: Option, limits: Limits, results=None) -> list[str]:
    """What the option, added to the plan, breaks: judged by the engine and its decisions."""
    if results is None:
        plan = plan.replace(options=(*plan.options, option))
        results = appraise(plan, validate=False)
    o, b = results.index(option.code), results.baseline
    broken = []
    one_off = results.transition + results.exit + results.severance + results.closure_costs
    if limits.budget_per_year is not None and \
            (one_off[o] - one_off[b]).max() > limits.budget_per_year + 0.01:
        broken.append("budget")
    spans = [(d.go_live_year - len(d.transition_profile) + 1, d.go_live_year)
             for d in option.decisions if d.makes_change]
    in_flight = max((sum(a <= y <= z for a, z in spans) for y in plan.years), default=0)
    if limits.max_concurrent is not None and in_flight > limits.max_concurrent:
        broken.append("in flight")
    if not limits.allow_early_exits and any(e.option == option.code
                                            for e in results.early_exits):
        broken.append("early exit")
    live = {d.service: d.go_live_year for d in option.decisions}
    for link in limits.links:
        one, other = live.get(link.service, 0), live.get(link.other, 0)
        if link.kind is LinkKind.TOGETHER and one != other:
            broken.append(f"together {link.service} {link.other}")
        if link.kind is LinkKind.BEFORE and other and not (one and one < other):
            broken.append(f"before {link.service} {link.other}")
    return broken


def brute_force(plan: Plan, limits: Limits) -> float:
    """The most NPSV of any roadmap that keeps to the limits (0: business as usual)."""
    roadmaps = every_roadmap(plan)
    everything = plan.replace(options=(plan.baseline, *roadmaps))
    results = appraise(everything, validate=False)
    best = 0.0
    for k, option in enumerate(roadmaps, start=1):
        if results.npsv[k] > best and not broken_limits(everything, option, limits, results):
            best = float(results.npsv[k])
    return best


LIMITS = {
    "none": Limits(),
    "budget": Limits(budget_per_year=900_000),
    "one at a time": Limits(max_concurrent=1),
    "no early exits": Limits(allow_early_exits=False),
    "together": Limits(links=(ServiceLink("desk", "mobile"),)),
    "before": Limits(links=(ServiceLink("records", "desk", LinkKind.BEFORE),)),
    "all": Limits(budget_per_year=1_500_000, max_concurrent=2, allow_early_exits=False,
                  links=(ServiceLink("desk", "mobile", LinkKind.BEFORE),)),
}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_optimiser_equals_brute_force(seed):
    plan = small_plan(seed)
    assert validate(plan) == []
    assert len(every_roadmap(plan)) > 200
    for name, limits in LIMITS.items():
        best = brute_force(plan, limits)
        try:
            roadmap = optimise(plan, limits)
        except OptimiseError as exc:
            assert best == 0.0, (name, str(exc))
            continue
        assert roadmap.npsv == pytest.approx(best, abs=0.01), name
        assert roadmap.objective == pytest.approx(roadmap.npsv, abs=0.01), name
        assert broken_limits(plan, roadmap.option, limits) == [], name


def test_severance_makes_the_brute_force_plans_interact():
    """The test plans cut staff in one service and add them in another: NPSV does not add
    up across services, so the brute force above checks the optimiser's severance terms."""
    plan = small_plan(1)
    roadmaps = every_roadmap(plan)
    r = appraise(plan.replace(options=(plan.baseline, *roadmaps)), validate=False)
    alone = {option.decisions[0]: r.npsv[k] for k, option in enumerate(roadmaps, start=1)
             if len(option.decisions) == 1 and not option.site_actions}
    apart = [abs(r.npsv[k] - sum(alone[d] for d in option.decisions))
             for k, option in enumerate(roadmaps, start=1)
             if len(option.decisions) > 1 and not option.site_actions]
    assert sum(gap > 1_000 for gap in apart) > 10


def test_the_roadmap_keeps_to_every_limit():
    plan = small_plan(2)
    limits = LIMITS["all"]
    roadmap = optimise(plan, limits)
    assert broken_limits(plan, roadmap.option, limits) == []
    assert roadmap.peak_spend <= limits.budget_per_year + 0.01
    assert roadmap.most_in_flight <= 2 and roadmap.early_exits == 0


@pytest.mark.parametrize("name", samples.names())
def test_with_no_limits_the_roadmap_beats_every_option(name):
    plan = samples.build(name)
    roadmap = optimise(plan, Limits())
    held = appraise(plan).npsv
    assert roadmap.npsv >= held.max() - 0.01
    assert validate(roadmap.plan) == []
    assert roadmap.status == "optimal"
    assert roadmap.objective == pytest.approx(roadmap.npsv, rel=1e-9, abs=0.01)


def test_the_answer_is_a_new_option_that_says_what_it_met():
    plan = small_plan(1).replace(budget_per_year=1_500_000.0, max_concurrent=2)
    roadmap = optimise(plan)  # the plan's own limits
    option = roadmap.option
    assert roadmap.plan.options == (*plan.options, option)
    assert (option.code, option.name, option.role) == ("ROADMAP", "Optimised roadmap",
                                                       OptionRole.OTHER)
    assert "within the cap of £1.50m" in option.description
    assert "within the limit of 2" in option.description
    assert "HiGHS: optimal, gap 0.00%" in option.description
    again = optimise(roadmap.plan)
    assert again.option.code == "ROADMAP-2"


def test_limits_nothing_can_meet_give_a_clear_message():
    plan = small_plan(1)
    with pytest.raises(OptimiseError, match="no change fits the limits: within them the "
                                            "best roadmap is business as usual"):
        optimise(plan, Limits(budget_per_year=0.0))
    with pytest.raises(OptimiseError, match="no change fits the limits"):
        optimise(plan, Limits(max_concurrent=0))
    with pytest.raises(OptimiseError, match="must not be negative"):
        optimise(plan, Limits(budget_per_year=-1.0))


def test_a_plan_with_nothing_to_choose_gives_a_clear_message():
    plan = small_plan(1)
    with pytest.raises(OptimiseError, match="nothing to choose"):
        optimise(plan.replace(options=plan.options[:1]))
    early = plan.replace(options=plan.options[:2])  # every change of ONE exits early...
    decisions = tuple(Decision(**{**d.__dict__, "go_live_year": 2026,
                                  "transition_profile": (1.0,)})
                      for d in early.options[1].decisions)
    only_early = early.replace(
        horizon_years=1, options=(early.options[0].__class__(
            "BAU", "Business as usual", OptionRole.BASELINE),
            Option("ONE", "Early", decisions=decisions)))
    with pytest.raises(OptimiseError, match="early exits are not allowed"):
        optimise(only_early, Limits(allow_early_exits=False))


def test_cancel_stops_it_before_or_during_the_solve():
    plan = samples.build("national")
    with pytest.raises(Cancelled):
        optimise(plan, cancelled=lambda: True)
    asked = []

    def after_two() -> bool:  # the evaluation goes ahead; the solve is stopped
        asked.append(1)
        return len(asked) > 2

    with pytest.raises(Cancelled):
        optimise(plan, Limits(budget_per_year=60e6, max_concurrent=6), cancelled=after_two)
    assert len(asked) > 2


def test_highs_is_loaded_only_when_a_roadmap_is_optimised():
    code = ("import sys, alliance_planner.cli, alliance_planner.domain.optimiser, "
            "alliance_planner.domain.engine; print('highspy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"


def test_a_search_cut_short_gives_the_best_found_and_says_so():
    """HiGHS stops at the time limit with the best roadmap it has and the gap it proved."""
    plan = samples.build("national")
    roadmap = optimise(plan, Limits(budget_per_year=30e6, max_concurrent=4), time_limit=0.3)
    assert roadmap.status in ("time limit reached", "optimal")
    if roadmap.status != "optimal":
        assert roadmap.gap > 0
        assert f"HiGHS: time limit reached, gap {roadmap.gap:.2%}" in roadmap.option.description
    assert broken_limits(plan, roadmap.option, Limits(budget_per_year=30e6,
                                                      max_concurrent=4)) == []
