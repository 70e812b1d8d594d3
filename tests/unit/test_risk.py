"""Sensitivity and Monte Carlo: every figure checked against a recompute of the plan with
the inputs changed, through the engine, never against the linear model itself."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import plans

from alliance_planner import samples
from alliance_planner.domain import risk
from alliance_planner.domain.engine import appraise
from alliance_planner.domain.green_book import OBCategory
from alliance_planner.domain.model import OptionRole
from alliance_planner.domain.progress import Cancelled
from alliance_planner.domain.risk import draw, simulate
from alliance_planner.domain.risk_summary import risk_json, sensitivity_json
from alliance_planner.domain.sensitivity import sensitivity
from alliance_planner.domain.uncertainty import Kind, Ranged, apply, linearise, ranged_inputs

PENNY = 0.01


def apply_all(plan, inputs, values):
    for r, v in zip(inputs, values, strict=True):
        plan = apply(plan, r, float(v))
    return plan


@pytest.mark.parametrize("name", samples.names())
def test_every_tornado_bar_equals_a_recompute_with_that_input_at_that_end(name):
    plan = samples.build(name)
    s = sensitivity(plan)
    inputs = {r.key: r for r in ranged_inputs(plan)}
    checked = 0
    for code, bars in s.tornado.items():
        o = s.option_codes.index(code)
        for bar in bars:
            if bar.key.startswith("all/"):
                kind = Kind[bar.key.removeprefix("all/").upper()]
                chosen = [r for r in inputs.values() if r.kind is kind
                          or (kind is Kind.OPTIMISM_BIAS and r.is_rate)]
                low = appraise(apply_all(plan, chosen, [r.low for r in chosen])).npsv[o]
                high = appraise(apply_all(plan, chosen, [r.high for r in chosen])).npsv[o]
            else:
                r = inputs[bar.key]
                assert (bar.low, bar.high) == (r.low, r.high)
                low = appraise(apply(plan, r, r.low)).npsv[o]
                high = appraise(apply(plan, r, r.high)).npsv[o]
            assert bar.npsv_low == pytest.approx(low, abs=PENNY), (code, bar)
            assert bar.npsv_high == pytest.approx(high, abs=PENNY), (code, bar)
            checked += 1
    assert checked > 0
    # largest swing first
    for bars in s.tornado.values():
        assert [b.swing for b in bars] == sorted((b.swing for b in bars), reverse=True)


@pytest.mark.parametrize("name", samples.names())
def test_applying_a_switching_value_puts_the_options_level_or_npsv_at_zero(name):
    plan = samples.build(name)
    s = sensitivity(plan)
    inputs = {r.key: r for r in ranged_inputs(plan, spread_only=False)}
    p = s.preferred
    switched = 0
    for w in s.switching:
        if w.value is None:
            continue
        if w.key.startswith("plan/"):
            changed = plan.replace(**{w.key.removeprefix("plan/"): w.value})
        else:
            changed = apply(plan, inputs[w.key], w.value)
        r = appraise(changed, validate=False)
        other = r.npsv[s.option_codes.index(w.against)] if w.against else 0.0
        assert r.npsv[p] == pytest.approx(other, abs=PENNY), w
        switched += 1
    assert switched > 0


def test_switching_values_say_when_nothing_in_reach_switches_them():
    plan = samples.build("south-west-alliance")
    found = sensitivity(plan).switching
    never = [w for w in found if w.value is None]
    assert never and all(w.text.startswith("does not switch between") for w in never)
    assert [w.distance for w in found] == sorted(w.distance for w in found)


@pytest.mark.parametrize("name", samples.names())
def test_each_draw_equals_a_recompute_of_the_plan_with_the_drawn_values(name):
    """The batched draws against the engine: five draws, every option, every force."""
    plan = samples.build(name)
    sim = simulate(plan, 5, seed=7)
    for i in range(5):
        r = appraise(apply_all(plan, sim.inputs, sim.values[i]))
        assert sim.npv[i] == pytest.approx(r.npv, abs=PENNY)
        assert sim.npsv[i] == pytest.approx(r.npsv, abs=PENNY)
        assert sim.force_npv[i] == pytest.approx(r.force_npv, abs=PENNY)


def test_the_chance_of_meeting_the_savings_target_counts_the_draws_that_meet_it():
    plan = samples.build("south-west-alliance")
    o = [opt.role for opt in plan.options].index(OptionRole.PREFERRED)
    # a target that half the draws of the preferred option meet within the period
    drawn = simulate(plan, 40, seed=3)
    best = [np.cumsum(appraise(apply_all(plan, drawn.inputs, v)).savings[o]).max()
            for v in drawn.values]
    assert np.median(best) > 0
    plan = plan.replace(savings_target=float(np.median(best)),
                        savings_target_years=plan.horizon_years)
    sim = simulate(plan, 40, seed=3)
    met = [appraise(apply_all(plan, sim.inputs, v)).target_met for v in sim.values]
    assert sim.target_met == pytest.approx(np.mean(met, axis=0))
    assert 0 < sim.target_met[o] < 1


def test_force_shares_add_up_to_the_alliance_in_every_draw():
    sim = simulate(samples.build("national"), 500, seed=1)
    assert sim.force_npv.sum(axis=2) == pytest.approx(sim.npv, abs=1.0)
    assert sim.force_npsv.sum(axis=2) == pytest.approx(sim.npsv, abs=1.0)


def test_a_fixed_seed_reproduces_the_output_exactly_and_another_seed_does_not():
    plan = samples.build("south-west-alliance")
    first, again = simulate(plan, 3000, seed=11), simulate(plan, 3000, seed=11)
    assert np.array_equal(first.npsv, again.npsv)
    assert np.array_equal(first.force_npv, again.force_npv)
    assert risk_json(plan, first) == risk_json(plan, again)
    other = simulate(plan, 3000, seed=12)
    assert not np.array_equal(first.npsv, other.npsv)


@pytest.mark.parametrize("shape", [(300,), (300, 1), (300, 2, 1), (300, 3, 4)])
def test_percentiles_are_numpys_and_leave_the_draws_as_they_were(shape):
    sim = simulate(samples.build("mobile-data"), 50, seed=1)
    draws = np.random.default_rng(2).normal(size=shape)
    kept = draws.copy()
    found = sim.percentiles(draws)
    assert np.array_equal(found, np.percentile(kept, risk.PERCENTILES, axis=0))
    assert np.array_equal(draws, kept)


def _one_range(low, high, *, kind="cost"):
    """The mobile-data sample with one decision ranged and every other range removed."""
    plan = samples.build("mobile-data")
    options = []
    first = True
    for o in plan.options:
        decisions = []
        for d in o.decisions:
            d = dataclasses.replace(d, cost_low=1.0, cost_high=1.0, benefit_low=1.0,
                                    benefit_high=1.0, ob_category=OBCategory.STATED,
                                    running_ob_category=OBCategory.STATED)
            if first and o.role is OptionRole.PREFERRED:
                d = dataclasses.replace(d, **{f"{kind}_low": low, f"{kind}_high": high})
                first = False
            decisions.append(d)
        options.append(dataclasses.replace(o, decisions=tuple(decisions)))
    return plan.replace(options=tuple(options))


@pytest.mark.parametrize(("kind", "low", "high"), [("cost", 0.8, 1.5), ("benefit", 0.5, 1.2)])
def test_the_mean_of_many_draws_converges_on_the_expectation_of_a_linear_case(kind, low, high):
    """NPSV is linear in a multiplier, so its mean is the NPSV at the multiplier's mean,
    (low + likely + high) / 3 for a triangular distribution."""
    plan = _one_range(low, high, kind=kind)
    (ranged,) = ranged_inputs(plan)
    expected = appraise(apply(plan, ranged, (low + 1.0 + high) / 3)).npsv
    sim = simulate(plan, 20_000, seed=5)
    spread = sim.npsv.std(axis=0)
    assert spread.max() > 0
    assert sim.npsv.mean(axis=0) == pytest.approx(expected, abs=0.002 * spread.max() + PENNY)
    assert sim.values[:, 0].mean() == pytest.approx((low + 1.0 + high) / 3, abs=1e-4)


def _spearman(a, b):
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


@pytest.mark.parametrize("asked", [0.3, 0.6, 0.9])
def test_correlated_draws_show_the_asked_rank_correlation(asked):
    grouped = [Ranged("A", f"s{i}", Kind.COST, 0.9, 1.0, 1.6, f"s{i}", "platform X", i)
               for i in range(3)]
    inputs = (*grouped, Ranged("A", "t", Kind.COST, 0.9, 1.0, 1.6, "t", "", 3))
    values = draw(inputs, 20_000, seed=1, correlation=asked)
    for i in range(3):
        for j in range(i + 1, 3):
            assert _spearman(values[:, i], values[:, j]) == pytest.approx(asked, abs=0.03)
        assert abs(_spearman(values[:, i], values[:, 3])) < 0.03  # not in the group
    # each input keeps its triangular distribution: mean (low + likely + high) / 3
    assert values.mean(axis=0) == pytest.approx([3.5 / 3] * 4, abs=1e-3)


def test_a_plan_with_no_ranges_gives_a_note_and_degenerate_percentiles():
    plan = _one_range(1.0, 1.0)
    assert ranged_inputs(plan) == ()
    sim = simulate(plan, 1000, seed=1)
    assert "no ranged inputs" in sim.note
    for p in sim.percentiles(sim.npsv):
        assert p == pytest.approx(sim.central_npsv)
    s = sensitivity(plan)
    assert all(bars == () for bars in s.tornado.values())
    assert sensitivity_json(plan, s)["tornado"]  # still reports each option


def test_cancel_stops_the_simulation():
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(Cancelled):
        simulate(samples.build("national"), 10_000, seed=1, cancelled=cancelled)


def test_runs_and_correlation_are_bounded():
    plan = samples.build("mobile-data")
    with pytest.raises(ValueError, match="runs"):
        simulate(plan, 0)
    with pytest.raises(ValueError, match="runs"):
        simulate(plan, risk.MAX_RUNS + 1)
    with pytest.raises(ValueError, match="correlation"):
        simulate(plan, 10, correlation=1.0)


@st.composite
def ranged_plans(draw_):
    plan = draw_(plans())
    options = []
    for o in plan.options:
        decisions = tuple(dataclasses.replace(
            d, cost_low=draw_(st.sampled_from([0.5, 0.9, 1.0])),
            cost_high=draw_(st.sampled_from([1.0, 1.3, 2.0])),
            benefit_low=draw_(st.sampled_from([0.2, 1.0])),
            benefit_high=draw_(st.sampled_from([1.0, 1.5])),
            ob_category=draw_(st.sampled_from([OBCategory.STATED,
                                               OBCategory.EQUIPMENT_DEVELOPMENT,
                                               OBCategory.STANDARD_BUILDINGS])),
            ob_mitigation=draw_(st.sampled_from([0.0, 0.5])),
            running_ob_category=draw_(st.sampled_from([OBCategory.STATED,
                                                       OBCategory.OUTSOURCING])),
            platform=draw_(st.sampled_from(["", "P"])),
        ) for d in o.decisions)
        options.append(dataclasses.replace(o, decisions=decisions))
    return plan.replace(options=tuple(options))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ranged_plans(), st.integers(0, 2**32 - 1))
def test_on_any_plan_the_batched_draws_equal_recomputes(plan, seed):
    sim = simulate(plan, 2, seed=seed)
    for i in range(2):
        r = appraise(apply_all(plan, sim.inputs, sim.values[i]))
        scale = max(1.0, float(np.abs(r.npsv).max()))
        assert sim.npsv[i] == pytest.approx(r.npsv, abs=1e-9 * scale + PENNY)
        assert sim.force_npsv[i].sum(axis=1) == pytest.approx(r.npsv, abs=1e-9 * scale + 1.0)


def test_the_linear_model_is_made_once_and_shared():
    """The window and the board pack pass one linearisation to both analyses."""
    plan = samples.build("south-west-alliance")
    lin = linearise(plan)
    assert sensitivity(plan, linear=lin).npsv.tolist() == lin.results.npsv.tolist()
    assert np.array_equal(simulate(plan, 100, seed=1, linear=lin).npsv,
                          simulate(plan, 100, seed=1).npsv)
