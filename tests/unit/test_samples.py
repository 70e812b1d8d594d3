"""Each sample plan reproduces its case's public headline figures and carries its sources."""

import re
from datetime import date
from importlib import import_module

import pytest

from alliance_planner import samples
from alliance_planner.domain.engine import appraise, compile_plan, price_factors
from alliance_planner.domain.green_book import GDP_DEFLATORS, OBCategory, ob_rate
from alliance_planner.domain.model import OptionRole
from alliance_planner.domain.validation import validate
from alliance_planner.samples.blank import new_alliance
from alliance_planner.samples.common import england_and_wales, to_base_prices

CASES = ("south-west-alliance", "strategic-partner", "national-platform",
         "operating-model-partner", "mobile-data")
KEY = r"[a-z][a-z0-9]*(?:-[a-z0-9]+)+"


def option(plan, code):
    return plan.option(code)


def module(name):
    return import_module(f"alliance_planner.samples.{samples.SAMPLES[name][0]}")


def live_years(plan, decision):
    """How many of the plan's years a decision is live in."""
    return plan.base_year + plan.horizon_years - decision.go_live_year


def one_off_rate(d):
    return ob_rate(d.ob_category, d.ob_mitigation, d.optimism_bias)


def running_rate(d):
    return ob_rate(d.running_ob_category, d.running_ob_mitigation, d.running_optimism_bias,
                   running=True)


def test_every_sample_is_valid_and_appraises(sample_plans):
    assert set(sample_plans) == set(samples.names())
    for name, plan in sample_plans.items():
        assert validate(plan) == [], name
        r = appraise(plan)
        assert r.npv[r.baseline] == 0


def test_every_sample_has_the_green_book_short_list(sample_plans):
    for name, plan in sample_plans.items():
        roles = {o.role for o in plan.options}
        assert {OptionRole.BASELINE, OptionRole.DO_MINIMUM, OptionRole.PREFERRED} <= roles, name
        assert len(plan.options) >= 4, name


def test_every_figure_names_a_source_and_assumptions_say_so(sample_plans):
    for name, plan in sample_plans.items():
        keys = {s.key for s in plan.sources}
        cited = [f.source for f in plan.forces] + [e.source for e in plan.estate] + [
            d.source for o in plan.options for d in o.decisions] + [
            s.source for s in plan.sites] + [d.source for d in plan.deflators]
        assert all(cited), f"{name}: a figure without a source"
        assert set(cited) <= keys, name
        for source in plan.sources:
            assert source.title and source.detail, (name, source.key)
            # an assumption says so in its title, and only an assumption does
            assert source.is_assumption == source.title.startswith("Assumption"), (
                name, source.title)


def test_every_source_a_sample_refers_to_exists(sample_plans):
    """Reasons and sources name other sources by key, in brackets: each must be there."""
    for name, plan in sample_plans.items():
        keys = {s.key for s in plan.sources}
        texts = [s.detail for s in plan.sources] + [
            d.ob_reason for o in plan.options for d in o.decisions]
        named = {key for text in texts
                 for group in re.findall(r"\(([^()]*)\)", text)
                 if re.fullmatch(rf"{KEY}(?:, {KEY})*", group)
                 for key in group.split(", ")}
        assert named <= keys, (name, named - keys)


def test_every_sample_labels_the_shared_assumptions(sample_plans):
    """The settings no public source gives are labelled assumptions in every plan."""
    for name, plan in sample_plans.items():
        assumed = {s.key for s in plan.sources if s.is_assumption}
        assert {"a-officer-hour", "a-staff-fte", "a-severance", "a-turnover",
                "a-deflator-growth"} <= assumed, name
        assert (plan.severance_months, plan.turnover_share, plan.deflator_growth) == (
            12, 0.3, 0.02), name
        # the deflators are HM Treasury's, with their source
        assert [(d.year, d.index) for d in plan.deflators] == list(GDP_DEFLATORS), name
        gdp = plan.source("gdp-deflators")
        assert gdp is not None and not gdp.is_assumption and "March 2026" in gdp.title


def test_optimism_bias_comes_from_the_green_book_table_with_a_reason(sample_plans):
    """One-off IT costs take the equipment/development row and a stated mitigation, never a
    bare rate; every decision that costs anything says why its rates are what they are."""
    for name, plan in sample_plans.items():
        for o in plan.options:
            for d in o.decisions:
                where = (name, o.code, d.service)
                if d.transition_cost:
                    assert d.ob_category is OBCategory.EQUIPMENT_DEVELOPMENT, where
                if d.transition_cost or d.shared_running_cost:
                    assert d.ob_reason, where
                assert d.running_ob_category in (OBCategory.STATED, OBCategory.OUTSOURCING)
                if d.running_ob_category is OBCategory.STATED:
                    assert d.running_optimism_bias == 0, where


def test_every_sample_horizon_covers_its_contract_terms(sample_plans):
    """The horizon covers the transition and every contract's whole term."""
    for name in CASES:
        plan, terms = sample_plans[name], module(name).TERMS
        last = plan.base_year + plan.horizon_years - 1
        for code, (first, years) in terms.items():
            assert plan.base_year <= first and first + years - 1 <= last, (name, code)
            for d in option(plan, code).decisions:
                assert first <= d.go_live_year <= last, (name, code, d.service)
        # every option priced in a contract's cash has its term stated
        priced = {o.code for o in plan.options if any(d.price_year for d in o.decisions)}
        assert priced <= set(terms), name


CONTRACTS = [  # sample, options, the contract's cash value a year over its term, price year
    ("south-west-alliance", ("MS",), 70e6, 2023),
    ("strategic-partner", ("SP", "SPF"), 110e6, 2015),
]


@pytest.mark.parametrize(("name", "codes", "value", "year"), CONTRACTS)
def test_contracts_are_counted_in_full_in_cash_over_their_term(sample_plans, name, codes,
                                                               value, year):
    plan = sample_plans[name]
    x = compile_plan(plan)
    for code in codes:
        charges = [d for d in option(plan, code).decisions if d.shared_running_cost
                   and d.price_year == year]
        # as entered: cash of the year the contract was let, every year of the term
        assert sum(d.shared_running_cost * live_years(plan, d) for d in charges) == \
            pytest.approx(value, abs=0.01)
        assert {live_years(plan, d) for d in charges} == {module(name).TERMS[code][1]}
        # in the engine: the same, at base-year prices, before optimism bias
        o = plan.options.index(option(plan, code))
        counted = sum(x.shared_running[o, plan.services.index(plan.service(d.service))]
                      / (1 + running_rate(d)) * live_years(plan, d) for d in charges)
        assert counted == pytest.approx(to_base_prices(value, year), rel=1e-9)
        assert price_factors(plan)[year] == pytest.approx(to_base_prices(1.0, year))


def test_the_43_forces():
    forces = england_and_wales()
    assert len(forces) == 43
    # The Home Office's published totals for 30 September 2019 (police_forces_SOURCES.md).
    assert sum(f.pcsos for f in forces) == pytest.approx(9292.28, abs=0.1)  # CSV: 1 d.p.
    assert sum(f.specials for f in forces) == 10039
    assert sum(f.staff for f in forces) == pytest.approx(65595.83 + 5141.64, abs=0.5)
    assert sum(f.population for f in forces) == pytest.approx(61.81e6, rel=1e-3)


def test_south_west_alliance(sample_plans):
    plan = sample_plans["south-west-alliance"]
    forces = {f.code: f for f in plan.forces}
    assert set(forces) == {"devon-and-cornwall", "dorset"}
    assert sum(f.officers for f in plan.forces) > 5100  # "over 5,100 officers"
    assert sum(f.pcsos + f.specials for f in plan.forces) > 550  # "over 550 PCSOs and specials"
    # The staff (3,500) and crimes (118,000) the case quotes differ from the Home Office's
    # and ONS's figures the plan uses: the forces' source says so, as an assumption.
    assert {f.source for f in plan.forces} == {"sw-a-forces"}
    assert plan.source("sw-a-forces").is_assumption
    managed = option(plan, "MS")
    assert managed.role is OptionRole.PREFERRED
    # The £70m ten-year contract: £7m a year across the converged services.
    assert sum(d.shared_running_cost for d in managed.decisions) * 10 == pytest.approx(70e6)
    assert {d.service for d in managed.decisions} == {
        "service-desk", "field-mobile", "radio-support", "body-worn-video",
        "contact-101-999", "security", "intelligence"}
    # A signed price: outsourcing optimism bias, mitigated; in-house "a quarter of the way
    # from 10% to 200%" is 57.5%.
    assert [running_rate(d) for d in managed.decisions] == pytest.approx([0.1025] * 7)
    assert [one_off_rate(d) for d in option(plan, "IH").decisions] == pytest.approx([0.575] * 7)
    r = appraise(plan)
    # Costs and savings split by force size: officers.
    officers = forces["devon-and-cornwall"].officers
    assert r.weights[0] == pytest.approx(officers / sum(f.officers for f in plan.forces))
    # Early exits: each force pays the fee on its own contracts, none is shared by weight.
    assert all(d.exit_cost == 0 for o in plan.options for d in o.decisions)
    exits = [e for e in r.early_exits if e.option == "MS"]
    assert exits and all(e.exit_cost > 0 for e in exits)
    for e in exits:
        item = next(i for i in plan.estate if (i.force, i.service) == (e.force, e.service))
        years_left = (e.contract_end - date(e.go_live_year, 4, 1)).days / 365.25
        assert e.exit_cost == pytest.approx(0.5 * item.annual_running_cost * years_left)
    # Staff who run the outsourced services transfer to the supplier: little severance.
    ms = r.index("MS")
    assert r.staff_transferred[ms].sum() == pytest.approx(
        0.75 * sum(i.support_fte for i in plan.estate if i.service != "airwave-airtime"),
        abs=0.05)
    assert r.severance[ms].sum() < r.severance[r.index("IH")].sum()


def test_strategic_partner(sample_plans):
    plan = sample_plans["strategic-partner"]
    partner = option(plan, "SP")
    assert [f.code for f in plan.forces] == ["staffordshire"]
    # "at least £110m" over ten years
    assert sum(d.shared_running_cost * live_years(plan, d) for d in partner.decisions) >= \
        110e6 - 0.005
    # The partner replaces 80% of the in-scope support staff: a client team of 20% stays,
    # and those it replaces transfer to it, with no severance.
    staff_today = sum(e.support_fte for e in plan.estate)
    assert sum(d.shared_support_fte for d in partner.decisions) == pytest.approx(
        0.2 * staff_today, abs=0.05)
    assert {d.transfer_share for d in partner.decisions} == {0.8}
    r = appraise(plan)
    assert r.severance[r.index("SP")].sum() == 0
    # Mobilisation is capital (equipment/development); the fee is running cost, outsourcing
    # (41% upper), mitigated by a labelled assumption.
    for d in partner.decisions:
        assert d.ob_category is OBCategory.EQUIPMENT_DEVELOPMENT
        assert d.running_ob_category is OBCategory.OUTSOURCING
        assert 0 < d.running_ob_mitigation < 1
        assert running_rate(d) == pytest.approx(0.41 * (1 - d.running_ob_mitigation))
    assert plan.source("st-a-ob").is_assumption
    # The fire back office comes on top of the partnership, which stays whole.
    with_fire = option(plan, "SPF")
    assert set(partner.decisions) < set(with_fire.decisions)


def test_national_platform(sample_plans):
    plan = sample_plans["national-platform"]
    (decision,) = option(plan, "NP").decisions
    # £2.3m net over three years for an average force, for each of the five forces: the
    # claim in full over the three years it covers, and nothing beyond them.
    ramp = decision.benefit_ramp
    assert len(ramp) == 4 and ramp[-1] == 0
    assert decision.other_savings * sum(ramp[:3]) == pytest.approx(
        2.3e6 * len(plan.forces), abs=0.05)
    # a vendor's claim: only part of it is expected to be realised
    assert 0 < decision.benefit_realisation < 1
    r = appraise(plan)
    assert (r.other_savings[r.index("NP")] > 0).sum() == 3
    # A one-off IT cost: equipment/development, not the works-duration rate.
    assert decision.ob_category is OBCategory.EQUIPMENT_DEVELOPMENT
    # Estate rationalisation follows mobility: five sites sold for £12.5m, and business as
    # usual, which keeps them, counts their market value at the end.
    closures = option(plan, "NPE").site_actions
    assert sum(a.disposal_receipt for a in closures) == pytest.approx(12.5e6)
    assert all(s.market_value == a.disposal_receipt for s, a in zip(plan.sites, closures,
                                                                       strict=True))
    assert r.residual_value[r.baseline, -1] == pytest.approx(12.5e6)
    assert r.residual_value[r.index("NPE")].sum() == 0


def test_operating_model_partner(sample_plans):
    plan = sample_plans["operating-model-partner"]
    # £120m in five years, cash of 2014-15, at the plan's prices
    assert (plan.savings_target, plan.savings_target_years) == (
        pytest.approx(to_base_prices(120e6, 2014), abs=0.01), 5)
    # five years and the three-year extension
    assert plan.horizon_years == 8
    partner = option(plan, "OMP")
    # the £25m contract, in full, in cash of 2014-15
    assert sum(d.transition_cost for d in partner.decisions) == pytest.approx(25e6)
    assert {d.price_year for d in partner.decisions} == {2014}
    r = appraise(plan)
    o = r.index("OMP")
    reached = r.savings[o].cumsum()[:5].max() >= plan.savings_target
    assert bool(r.target_met[o]) == reached


def test_mobile_data_releases_100_officers(sample_plans):
    plan = sample_plans["mobile-data"]
    r = appraise(plan)
    o = r.index("TAB")
    assert r.officer_hours[o, -1] == 3000
    assert r.officer_fte[o, -1] == pytest.approx(100.0)  # "equivalent to 100 extra officers"
    # Reached over the first year of the rollout, not on go-live day.
    first = option(plan, "TAB").decisions[0].go_live_year - plan.base_year
    assert r.officer_hours[o, first] == 1500
    # Non-cashable: the hours show in the NPSV, not the NPV.
    assert r.npsv[o] > r.npv[o]


def test_benefits_ramp_up_from_go_live(sample_plans):
    """No case's hours or savings arrive in full on go-live day."""
    for name in CASES:
        for o in sample_plans[name].options:
            for d in o.decisions:
                if d.officer_hours_per_week or d.other_savings:
                    assert d.benefit_ramp[0] < 1, (name, o.code, d.service)


def test_national_plan_has_benchmark_size(sample_plans):
    plan = sample_plans["national"]
    assert (len(plan.forces), len(plan.services), len(plan.options), plan.horizon_years) == (
        43, 20, 6, 10)
    assert plan == samples.build("national")  # the same on every machine


def test_new_alliance_from_real_forces():
    plan = new_alliance(["dorset", "wiltshire"])
    assert [f.name for f in plan.forces] == ["Dorset", "Wiltshire"]
    assert validate(plan) == []
    assert [(d.year, d.index) for d in plan.deflators] == list(GDP_DEFLATORS)
    assert {d.source for d in plan.deflators} <= {s.key for s in plan.sources}
    with pytest.raises(KeyError, match="unknown force codes: atlantis"):
        new_alliance(["dorset", "atlantis"])

