"""Affordability: the appraisal's cash regrouped as budgets are (capital, receipts,
revenue, optimism bias within them), by option, force and year, real and in cash."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from worked_example import worked_example

from alliance_planner import samples
from alliance_planner.domain.affordability import affordability, statement, without_optimism_bias
from alliance_planner.domain.engine import appraise, nominal_factors, price_factors
from alliance_planner.domain.green_book import CAPITAL_OB, OBCategory
from alliance_planner.domain.model import Deflator


@pytest.mark.parametrize("name", samples.names())
def test_the_lines_add_up_to_the_appraisals_cash(name):
    plan = samples.build(name)
    a, r = affordability(plan), appraise(plan)
    by_year = {k: getattr(a, k).sum(axis=1) for k in ("capital", "receipts", "revenue")}
    np.testing.assert_allclose(by_year["capital"], r.transition + r.closure_costs, atol=0.005)
    np.testing.assert_allclose(by_year["receipts"], r.receipts, atol=0.005)
    np.testing.assert_allclose(
        by_year["revenue"],
        r.running + r.staff + r.buildings + r.exit + r.severance - r.other_savings, atol=0.005)
    # cash out less cash in is the appraisal's net cost before residual values, force by force
    np.testing.assert_allclose(a.net - r.by_force["residual_value"], r.force_cost, atol=0.005)
    assert a.option_codes == r.option_codes and a.force_codes == r.force_codes
    assert a.years == tuple(int(y) for y in r.years) and a.baseline == r.baseline
    assert np.all(a.revenue_change[a.baseline] == 0)


def test_the_worked_example_optimism_bias_is_the_tables_lower_bound_on_the_transition():
    plan = worked_example()
    a = affordability(plan)
    _, lower = CAPITAL_OB[OBCategory.EQUIPMENT_DEVELOPMENT]
    assert lower == pytest.approx(0.10)  # the Green Book table's lower bound, fully mitigated
    one = a.option_codes.index("ONE")
    # £500,000 over 2026/27 and 2027/28 in halves; no running optimism bias is stated
    np.testing.assert_allclose(a.optimism_bias[one].sum(axis=0),
                               [250_000 * lower, 250_000 * lower, 0, 0, 0], atol=1e-6)
    np.testing.assert_allclose(a.capital[one].sum(axis=0)[:2], 250_000 * (1 + lower))
    assert np.all(a.optimism_bias[a.baseline] == 0)
    # the sale of Old HQ in 2029/30 is the one capital receipt, Force B's
    b = a.force_codes.index("B")
    assert a.receipts[one, b].tolist() == [0, 0, 0, 400_000, 0]
    assert a.receipts.sum() == 400_000


@pytest.mark.parametrize("name", samples.names())
def test_without_optimism_bias_there_is_none_to_show(name):
    plain = without_optimism_bias(samples.build(name))
    assert np.all(np.abs(affordability(plain).optimism_bias) < 1e-6)


def test_cash_of_each_year_undoes_its_price_factor():
    plan = dataclasses.replace(worked_example(), deflators=(
        Deflator(2024, 100.0), Deflator(2025, 103.0)), deflator_growth=0.025)
    nominal = nominal_factors(plan)
    np.testing.assert_allclose(nominal, 1.025 ** np.arange(5))
    # a running cost typed in cash of 2028/29 comes back as that cash in 2028/29's column
    item = dataclasses.replace(plan.estate[1], price_year=2028)
    priced = dataclasses.replace(plan, estate=(plan.estate[0], item))
    factor = price_factors(priced)[2028]
    assert factor * nominal[2] == pytest.approx(1.0)
    a = affordability(priced)
    b, t = a.force_codes.index("B"), 2
    bau_b_running = 600_000 * factor  # base-year prices; only force B runs it, all years
    assert a.in_cash(a.revenue)[a.baseline, b, t] == pytest.approx(
        (bau_b_running + 8 * plan.cost_per_staff_fte + 50_000) * nominal[t])


def test_a_plan_with_no_deflators_has_cash_equal_to_real():
    plan = dataclasses.replace(worked_example(), deflators=())
    assert nominal_factors(plan).tolist() == [1.0] * plan.horizon_years


@settings(max_examples=30, deadline=None)
@given(rate=st.floats(0, 2), running=st.floats(0, 2))
def test_optimism_bias_grows_with_the_stated_rate(rate, running):
    """A stated rate r on £500,000 of transition shows as r × £500,000 over the profile,
    and a running rate on the shared running cost as that share of it in each live year."""
    plan = worked_example()
    one = plan.options[1]
    decision = dataclasses.replace(one.decisions[0], ob_category=OBCategory.STATED,
                                   optimism_bias=rate, running_optimism_bias=running)
    plan = dataclasses.replace(plan, options=(
        plan.options[0], dataclasses.replace(one, decisions=(decision,))))
    a = affordability(plan)
    by_year = a.optimism_bias[1].sum(axis=0)
    live = 1_100_000 * running  # from go-live, 2027/28, every year
    np.testing.assert_allclose(by_year, [250_000 * rate, 250_000 * rate + live, live, live,
                                         live], rtol=1e-9, atol=1e-6)



@pytest.mark.parametrize("cash", [False, True])
def test_the_statement_of_each_force_adds_up_to_the_alliances(cash):
    plan = samples.build("south-west-alliance")
    a = affordability(plan)
    o = a.option_codes.index(next(x.code for x in plan.options if x.role.value == "preferred"))
    alliance = statement(a, o, cash=cash)
    forces = [statement(a, o, f, cash=cash) for f in range(len(a.force_codes))]
    for i, line in enumerate(alliance):
        np.testing.assert_allclose(sum(f[i].values for f in forces), line.values, atol=1e-6)
    lines = {line.label: line.values for line in alliance}
    np.testing.assert_allclose(lines["Net cash"], lines["Capital"] - lines["Capital receipts"]
                               + lines["Revenue"])
    np.testing.assert_allclose(lines["Cumulative against business as usual"],
                               np.cumsum(lines["Net cash against business as usual"]))
    scale = a.nominal if cash else 1.0
    np.testing.assert_allclose(lines["Capital"], a.capital[o].sum(axis=0) * scale)
    # business as usual against itself is nothing
    bau = {line.label: line.values for line in statement(a, a.baseline, cash=cash)}
    assert not bau["Net cash against business as usual"].any()
