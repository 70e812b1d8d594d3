"""Each sample plan reproduces its case's public headline figures and carries its sources."""

import pytest

from alliance_planner import samples
from alliance_planner.domain.engine import appraise
from alliance_planner.domain.model import OptionRole
from alliance_planner.domain.validation import validate
from alliance_planner.samples.blank import new_alliance
from alliance_planner.samples.common import england_and_wales


def option(plan, code):
    return plan.option(code)


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
            d.source for o in plan.options for d in o.decisions] + [s.source for s in plan.sites]
        assert all(cited), f"{name}: a figure without a source"
        assert set(cited) <= keys, name
        for source in plan.sources:
            assert source.title and source.detail, (name, source.key)
            if source.is_assumption:
                assert source.title.startswith("Assumption"), (name, source.title)


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
    managed = option(plan, "MS")
    assert managed.role is OptionRole.PREFERRED
    # The £70m ten-year contract: £7m a year across the converged services.
    assert sum(d.shared_running_cost for d in managed.decisions) * 10 == pytest.approx(70e6)
    assert {d.service for d in managed.decisions} == {
        "service-desk", "field-mobile", "radio-support", "body-worn-video",
        "contact-101-999", "security", "intelligence"}
    r = appraise(plan)
    # Costs and savings split by force size: officers.
    officers = forces["devon-and-cornwall"].officers
    assert r.weights[0] == pytest.approx(officers / sum(f.officers for f in plan.forces))
    assert any(e.option == "MS" for e in r.early_exits)


def test_strategic_partner(sample_plans):
    plan = sample_plans["strategic-partner"]
    partner = option(plan, "SP")
    assert sum(d.shared_running_cost for d in partner.decisions) * 10 >= 110e6
    assert [f.code for f in plan.forces] == ["staffordshire"]


def test_national_platform(sample_plans):
    plan = sample_plans["national-platform"]
    (decision,) = option(plan, "NP").decisions
    # £2.3m net over three years for an average force, for each of the five forces.
    assert decision.other_savings * 3 == pytest.approx(2.3e6 * len(plan.forces), abs=0.05)
    assert option(plan, "NPE").site_actions  # estate rationalisation follows mobility


def test_operating_model_partner(sample_plans):
    plan = sample_plans["operating-model-partner"]
    assert (plan.savings_target, plan.savings_target_years) == (120e6, 5)
    partner = option(plan, "OMP")
    assert sum(d.transition_cost for d in partner.decisions) == pytest.approx(25e6)
    r = appraise(plan)
    o = r.index("OMP")
    reached = r.savings[o].cumsum()[:5].max() >= 120e6
    assert bool(r.target_met[o]) == reached


def test_mobile_data_releases_100_officers(sample_plans):
    plan = sample_plans["mobile-data"]
    r = appraise(plan)
    o = r.index("TAB")
    assert r.officer_hours[o, -1] == 3000
    assert r.officer_fte[o, -1] == pytest.approx(100.0)  # "equivalent to 100 extra officers"
    # Non-cashable: the hours show in the NPSV, not the NPV.
    assert r.npsv[o] > r.npv[o]


def test_national_plan_has_benchmark_size(sample_plans):
    plan = sample_plans["national"]
    assert (len(plan.forces), len(plan.services), len(plan.options), plan.horizon_years) == (
        43, 20, 6, 10)
    assert plan == samples.build("national")  # the same on every machine


def test_new_alliance_from_real_forces():
    plan = new_alliance(["dorset", "wiltshire"])
    assert [f.name for f in plan.forces] == ["Dorset", "Wiltshire"]
    assert validate(plan) == []
    with pytest.raises(KeyError, match="unknown force codes: atlantis"):
        new_alliance(["dorset", "atlantis"])
