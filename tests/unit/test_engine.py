"""Properties of the appraisal engine: what must hold for any plan."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import plans

from alliance_planner.domain.engine import appraise, discount_factors
from alliance_planner.domain.green_book import OBCategory
from alliance_planner.domain.model import Decision, Mode, Option, OptionRole, SharingBasis

SETTINGS = settings(max_examples=60, deadline=None)


def scale_costs(plan, k):
    """Every amount of money in the plan times k (not the value of an officer hour)."""
    def dec(d):
        return dataclasses.replace(
            d, transition_cost=d.transition_cost * k, exit_cost=d.exit_cost * k,
            shared_running_cost=d.shared_running_cost * k, other_savings=d.other_savings * k)
    return plan.replace(
        cost_per_staff_fte=plan.cost_per_staff_fte * k,
        estate=tuple(dataclasses.replace(e, annual_running_cost=e.annual_running_cost * k)
                     for e in plan.estate),
        sites=tuple(dataclasses.replace(s, annual_running_cost=s.annual_running_cost * k)
                    for s in plan.sites),
        options=tuple(dataclasses.replace(
            o, decisions=tuple(dec(d) for d in o.decisions),
            site_actions=tuple(dataclasses.replace(a, disposal_receipt=a.disposal_receipt * k,
                                                   closure_cost=a.closure_cost * k)
                               for a in o.site_actions)) for o in plan.options),
    )


@SETTINGS
@given(plans())
def test_baseline_against_itself_is_zero(plan):
    r = appraise(plan)
    b = r.baseline
    assert r.npv[b] == 0 and r.npsv[b] == 0
    assert np.all(r.savings[b] == 0)
    assert r.payback[b] == -1
    assert np.isnan(r.bcr[b])


@SETTINGS
@given(plans())
def test_force_shares_add_up_to_the_whole(plan):
    r = appraise(plan)
    assert np.allclose(r.force_cost.sum(axis=1), r.total_cost, rtol=1e-12, atol=1e-6)
    assert np.allclose(r.force_npv.sum(axis=1), r.npv, rtol=1e-12, atol=1e-6)
    assert np.allclose(r.force_hours.sum(axis=1), r.officer_hours, atol=1e-9)
    assert r.weights.sum() == pytest.approx(1.0)


@SETTINGS
@given(plans())
def test_npsv_is_benefits_less_costs(plan):
    r = appraise(plan)
    assert np.allclose(r.pv_benefits - r.pv_costs, r.npsv, rtol=1e-9, atol=1e-4)
    assert np.all(r.pv_costs >= 0) and np.all(r.pv_benefits >= 0)


@SETTINGS
@given(plans(), st.sampled_from([0.5, 2.0, 3.0, 10.0]))
def test_scaling_every_cost_by_k_scales_npv_by_k(plan, k):
    r1, rk = appraise(plan), appraise(scale_costs(plan, k))
    assert np.allclose(rk.npv, k * r1.npv, rtol=1e-9, atol=1e-3)
    assert np.allclose(rk.total_cost, k * r1.total_cost, rtol=1e-9, atol=1e-3)


@SETTINGS
@given(plans(), st.data())
def test_go_live_one_year_later_shifts_cash_flows_by_one_year(plan, data):
    changeable = [(i, o) for i, o in enumerate(plan.options) if o.decisions]
    if not changeable:
        return
    # Put every decision one year later within a horizon one year longer; no sites.
    longer = plan.replace(horizon_years=plan.horizon_years + 1, sites=(),
                          options=tuple(dataclasses.replace(o, site_actions=())
                                        for o in plan.options))
    later = longer.replace(options=tuple(dataclasses.replace(o, decisions=tuple(
        dataclasses.replace(d, go_live_year=d.go_live_year + 1) for d in o.decisions))
        for o in longer.options))
    r, r_late = appraise(longer), appraise(later)
    # Year t of the original is year t + 1 of the shifted plan; year 0 is business as usual.
    assert np.allclose(r_late.savings[:, 1:], r.savings[:, :-1], atol=1e-6)
    assert np.allclose(r_late.savings[:, 0], 0, atol=1e-6)
    assert np.allclose(r_late.officer_hours[:, 1:], r.officer_hours[:, :-1])


def test_discount_factors_follow_the_green_book():
    df = discount_factors(0.035, 31)
    assert df[0] == 1.0
    assert df[1] == pytest.approx(1 / 1.035)
    assert df[30] == pytest.approx(1.035 ** -30)


def test_optimism_bias_uplifts_one_off_and_running_costs(example_plan):
    option = example_plan.options[1]
    d = option.decisions[0]
    raised = dataclasses.replace(d, ob_category=OBCategory.STATED, optimism_bias=0.41,
                                 running_optimism_bias=0.2)
    plan = example_plan.replace(options=(example_plan.options[0],
                                         dataclasses.replace(option, decisions=(raised,))))
    r = appraise(plan)
    assert r.transition[1].sum() == pytest.approx(500_000 * 1.41)
    assert r.running[1, -1] == pytest.approx(1_100_000 * 1.2)
    assert r.exit[1].sum() == pytest.approx(100_000)  # exit fees carry no optimism bias


@pytest.mark.parametrize(("basis", "shares", "extra"), [
    (SharingBasis.OFFICERS, (0.75, 0.25), {}),
    (SharingBasis.EQUAL, (0.5, 0.5), {}),
    (SharingBasis.POPULATION, (0.2, 0.8), {"population": (1_000_000, 4_000_000)}),
    (SharingBasis.NET_REVENUE, (0.6, 0.4), {"net_revenue_budget": (300e6, 200e6)}),
    (SharingBasis.AGREED, (0.3, 0.7), {"agreed_share": (30.0, 70.0)}),
])
def test_sharing_bases(example_plan, basis, shares, extra):
    forces = tuple(dataclasses.replace(f, **{k: v[i] for k, v in extra.items()})
                   for i, f in enumerate(example_plan.forces))
    r = appraise(example_plan.replace(sharing_basis=basis, forces=forces))
    assert tuple(r.weights) == pytest.approx(shares)
    # The shared desk's running cost is split by the basis from go-live.
    own = np.array([1_000_000 + 10 * 45_000, 600_000 + 8 * 45_000])
    old_hq = np.array([0, 50_000])  # B's own site, open in 2028/29 in either option
    assert r.force_cost[1, :, 2] == pytest.approx(
        np.array(shares) * (1_100_000 + 12 * 45_000) + old_hq)
    assert r.force_cost[0, :, 2] == pytest.approx(own + old_hq)


def test_a_decision_for_some_forces_splits_among_them_only(example_plan):
    option = example_plan.options[1]
    only_b = dataclasses.replace(option.decisions[0], forces=("B",))
    plan = example_plan.replace(options=(example_plan.options[0],
                                         dataclasses.replace(option, decisions=(only_b,))))
    r = appraise(plan)
    assert r.force_hours[1, :, -1] == pytest.approx([0, 300])
    # A keeps its own desk; B pays the whole shared desk.
    assert r.force_cost[1, 0, -1] == pytest.approx(1_000_000 + 10 * 45_000)
    assert r.early_exits == ()  # A's contract is not broken


def test_retain_keeps_own_estate_and_adds_the_decision(example_plan):
    option = example_plan.options[1]
    kept = dataclasses.replace(option.decisions[0], mode=Mode.RETAIN)
    plan = example_plan.replace(options=(example_plan.options[0],
                                         dataclasses.replace(option, decisions=(kept,))))
    r = appraise(plan)
    assert r.running[1, -1] == pytest.approx(1_600_000 + 1_100_000)
    assert r.early_exits == ()


def test_savings_target_met_and_year(example_plan):
    plan = example_plan.replace(savings_target=1_000_000.0, savings_target_years=3)
    r = appraise(plan)
    # Cumulative savings: -275,000; 120,000; 890,000; 1,660,000 -> reached in year 3 (2029).
    assert r.target_year[1] == 3
    assert not r.target_met[1]
    r4 = appraise(plan.replace(savings_target_years=4))
    assert r4.target_met[1]


def test_payback_needs_cumulative_saving_to_stay_positive(example_plan):
    r = appraise(example_plan)
    assert r.payback[1] == 2  # cumulative -275,000, -69,000, then +701,000
    costly = dataclasses.replace(example_plan.options[1].decisions[0],
                                 shared_running_cost=2_000_000)
    plan = example_plan.replace(options=(
        example_plan.options[0],
        dataclasses.replace(example_plan.options[1], decisions=(costly,))))
    assert appraise(plan).payback[1] == -1


def test_site_closure_stops_running_cost_and_books_receipt(example_plan):
    from alliance_planner.domain.model import Site, SiteAction

    plan = example_plan.replace(
        sites=(Site("hq", "HQ", "B", annual_running_cost=200_000),),
        options=(example_plan.options[0],
                 Option("CL", "Close HQ", OptionRole.OTHER,
                        site_actions=(SiteAction("hq", 2028, 1_000_000, 50_000),))),
    )
    r = appraise(plan)
    assert list(r.buildings[1]) == [200_000, 200_000, 0, 0, 0]
    assert list(r.savings[1]) == [0, 0, 1_150_000, 200_000, 200_000]
    assert r.force_npv[1, 0] == 0  # the site is B's


def test_baseline_refresh_counts_against_every_option(example_plan):
    refresh = Decision("desk", Mode.RETAIN, go_live_year=2027, transition_cost=300_000)
    plan = example_plan.replace(options=(
        dataclasses.replace(example_plan.options[0], decisions=(refresh,)),
        example_plan.options[1]))
    r = appraise(plan)
    assert r.npv[1] == pytest.approx(appraise(example_plan).npv[1] + 300_000 / 1.035)
