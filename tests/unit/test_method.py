"""The appraisal a finance reviewer signs off: the method's promises, as properties."""

import dataclasses
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from worked_example import worked_example

from alliance_planner.domain.engine import appraise, discount_factors, price_factors
from alliance_planner.domain.green_book import GDP_DEFLATORS, OBCategory, ob_rate
from alliance_planner.domain.model import Deflator, Option, OptionRole


def with_option(plan, option):
    return plan.replace(options=(*plan.options, option))


def test_an_option_with_no_decisions_is_the_baseline_on_every_sample(sample_plans):
    for name, plan in sample_plans.items():
        plan = with_option(plan, Option("NONE", "Says nothing", OptionRole.OTHER))
        r = appraise(plan)
        o, b = r.index("NONE"), r.baseline
        assert r.npv[o] == 0.0, name
        assert np.array_equal(r.total_cost[o], r.total_cost[b]), name
        assert np.array_equal(r.force_cost[o], r.force_cost[b]), name
        assert r.payback[o] == -1


def test_a_service_an_option_leaves_alone_keeps_the_baselines_refresh(example_plan):
    from alliance_planner.domain.model import Decision, Mode, Service

    refresh = Decision("net", Mode.RETAIN, go_live_year=2028, transition_cost=300_000)
    plan = example_plan.replace(
        services=(*example_plan.services, Service("net", "Network")),
        options=(dataclasses.replace(example_plan.options[0], decisions=(refresh,)),
                 example_plan.options[1]))
    r = appraise(plan)
    assert r.transition[1, 2] == r.transition[0, 2] == 300_000


@settings(max_examples=30, deadline=None)
@given(fee=st.floats(0, 5e6), share=st.floats(0, 1))
def test_one_forces_exit_fee_changes_only_that_forces_figures(fee, share):
    """Under the default, an early-termination fee falls on the force whose contract ends."""
    example_plan = worked_example()
    before = appraise(example_plan)
    estate = (dataclasses.replace(example_plan.estate[0], exit_fee=fee,
                                  exit_remaining_share=share), example_plan.estate[1])
    after = appraise(example_plan.replace(estate=estate))
    assert np.array_equal(after.force_cost[:, 1], before.force_cost[:, 1])  # B untouched
    years_left = (date(2028, 3, 31) - date(2027, 4, 1)).days / 365.25
    charged = fee + share * 1_000_000 * years_left
    assert after.force_cost[1, 0, 1] - before.force_cost[1, 0, 1] == pytest.approx(
        charged - 100_000, abs=1e-6)


def test_pooled_exit_fees_are_shared_by_the_basis(example_plan):
    r = appraise(example_plan.replace(pool_exit_fees=True))
    assert r.by_force["exit"][1, :, 1] == pytest.approx([75_000, 25_000])
    assert {e.force: round(e.exit_cost, 2) for e in r.early_exits} == {"A": 75_000}


@settings(max_examples=30, deadline=None)
@given(year=st.integers(2000, 2035), amount=st.floats(1, 1e7))
def test_a_cash_input_at_its_price_year_equals_its_deflated_real_input(year, amount):
    example_plan = worked_example()
    deflators = tuple(Deflator(y, i) for y, i in GDP_DEFLATORS)
    plan = example_plan.replace(deflators=deflators)
    factor = price_factors(plan.replace(estate=(
        dataclasses.replace(plan.estate[0], price_year=year), plan.estate[1])))[year]
    series = dict(GDP_DEFLATORS)

    def deflator(y):
        return series.get(y, series[2024] * 1.02 ** (y - 2024))

    assert factor == pytest.approx(deflator(2026) / deflator(year), rel=1e-12)
    option = plan.options[1]
    cash = dataclasses.replace(option.decisions[0], shared_running_cost=amount,
                               price_year=year)
    d = option.decisions[0]  # every money field of the decision is in that year's cash
    real = dataclasses.replace(d, shared_running_cost=amount * factor,
                               transition_cost=d.transition_cost * factor,
                               exit_cost=d.exit_cost * factor,
                               other_savings=d.other_savings * factor)

    def results(decision):
        return appraise(plan.replace(options=(
            plan.options[0], dataclasses.replace(option, decisions=(decision,)))))

    assert results(cash).total_cost[1] == pytest.approx(results(real).total_cost[1],
                                                        rel=1e-12)


@settings(max_examples=40, deadline=None)
@given(amount=st.floats(0, 2e6))
def test_the_bcr_does_not_depend_on_how_lines_are_grouped(amount):
    """Moving an amount from a cost line into a saving line (a price net of a rebate, or
    the price and the rebate apart) leaves every year's net cost, and so the BCR, alone."""
    example_plan = worked_example()
    option = example_plan.options[1]
    d = dataclasses.replace(option.decisions[0], benefit_ramp=(1.0,))  # a rebate: no ramp
    gross = dataclasses.replace(d, shared_running_cost=d.shared_running_cost + amount,
                                other_savings=amount)

    def figures(decision):
        r = appraise(example_plan.replace(options=(
            example_plan.options[0], dataclasses.replace(option, decisions=(decision,)))))
        return r.pv_costs[1], r.pv_benefits[1], r.bcr[1]

    assert figures(gross) == pytest.approx(figures(d), rel=1e-9)


def test_npsv_is_pvb_less_pvc_on_every_sample(sample_plans):
    for name, plan in sample_plans.items():
        r = appraise(plan)
        assert r.npsv == pytest.approx(r.pv_benefits - r.pv_costs, abs=0.01), name


def test_optimism_bias_by_category_and_mitigation():
    # the in-house option's "a quarter of the way from 10% to 200%": 75% mitigated
    assert ob_rate(OBCategory.EQUIPMENT_DEVELOPMENT, 0.75, 0.0) == pytest.approx(0.575)
    assert ob_rate(OBCategory.OUTSOURCING, 0.0, 0.0, running=True) == pytest.approx(0.41)
    assert ob_rate(OBCategory.STATED, 0.5, 0.2) == 0.2


def test_discount_factors_step_down_after_year_30():
    df = discount_factors(0.035, 40)
    assert df[30] == pytest.approx(1 / 1.035 ** 30)
    assert df[31] == pytest.approx(df[30] / 1.03)
    assert df[39] == pytest.approx(df[30] / 1.03 ** 9)
    assert discount_factors(0.035, 10) == pytest.approx(1 / 1.035 ** np.arange(10))


def test_benefits_ramp_and_realisation(example_plan):
    option = example_plan.options[1]
    d = dataclasses.replace(option.decisions[0], benefit_ramp=(0.25, 0.5, 1.0),
                            benefit_realisation=0.8, other_savings=100_000)
    r = appraise(example_plan.replace(options=(
        example_plan.options[0], dataclasses.replace(option, decisions=(d,)))))
    assert r.officer_hours[1].tolist() == pytest.approx([0, 60, 120, 240, 240])
    assert r.other_savings[1].tolist() == pytest.approx([0, 20_000, 40_000, 80_000, 80_000])


def test_staff_transferred_to_a_supplier_take_no_severance(example_plan):
    option = example_plan.options[1]
    d = dataclasses.replace(option.decisions[0], transfer_share=0.5)
    r = appraise(example_plan.replace(options=(
        example_plan.options[0], dataclasses.replace(option, decisions=(d,)))))
    # Half of each force's own staff transfer: A's 5 more than meet its fall of 1 FTE; B's
    # 4 leave 1 of its fall of 5 to take severance.
    assert r.by_force["severance"][1, :, 1].tolist() == pytest.approx([0, 0.7 * 45_000])
    assert r.staff_transferred[1, 1] == pytest.approx(1 + 4)


def test_a_site_kept_counts_its_value_at_the_end(example_plan):
    r = appraise(example_plan)
    assert r.residual_value[0].tolist() == [0, 0, 0, 0, 400_000]  # business as usual keeps
    assert r.residual_value[1].tolist() == pytest.approx([0, 0, 0, 0, 110_000])  # sold


def test_summary_json_shows_each_options_lines_and_contracts(example_plan):
    """Anyone can check a headline from the JSON alone: the lines by year add up to the
    net cost, and each decision says what its contract costs over the period."""
    from alliance_planner.domain.summary import summarise

    doc = summarise(example_plan.replace(deflators=tuple(
        Deflator(y, i) for y, i in GDP_DEFLATORS)))
    option = doc["options"][1]
    lines = option["lines_by_year"]
    costs = ("running", "staff", "transition", "exit", "severance", "buildings",
             "closure_costs")
    gains = ("receipts", "other_savings", "residual_value")
    for t, net in enumerate(option["cost_by_year"]):
        assert sum(lines[k][t] for k in costs) - sum(lines[k][t] for k in gains) == \
            pytest.approx(net)
    (desk,) = option["decisions"]
    assert desk["years_running_in_period"] == 4
    assert desk["contract_total_cash"] == desk["contract_total_real"] == 4 * 1_100_000
    assert option["severance_cost"] == pytest.approx(189_000)
    assert doc["early_exits"][0]["exit_fee"] == 100_000
    baseline_only = summarise(with_option(example_plan, Option("N", "None",
                                                               OptionRole.OTHER)))
    assert baseline_only["options"][2]["npv"] == 0.0
