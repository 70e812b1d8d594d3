"""Bad values are refused with the field named and the reason given."""

import dataclasses
import math

import pytest

from alliance_planner.domain.engine import appraise
from alliance_planner.domain.model import Decision, Mode, OptionRole, SharingBasis
from alliance_planner.domain.validation import ValidationError, check_number, validate


def messages(plan):
    return [str(p) for p in validate(plan)]


def with_force(plan, **changes):
    return plan.replace(forces=(dataclasses.replace(plan.forces[0], **changes),
                                *plan.forces[1:]))


def with_decision(plan, **changes):
    option = plan.options[1]
    decision = dataclasses.replace(option.decisions[0], **changes)
    return plan.replace(options=(plan.options[0],
                                 dataclasses.replace(option, decisions=(decision,))))


def test_the_example_is_valid(example_plan):
    assert validate(example_plan) == []


@pytest.mark.parametrize(("changes", "expected"), [
    ({"officers": -5}, "forces[A].officers: must not be negative (got -5)"),
    ({"staff": math.nan}, "forces[A].staff: must be a finite number (got nan)"),
    ({"population": math.inf}, "forces[A].population: must be a finite number (got inf)"),
    ({"officers": "many"}, "forces[A].officers: must be a number, not 'many'"),
    ({"net_revenue_budget": 1e308}, "forces[A].net_revenue_budget: must be at most"),
])
def test_bad_force_figures(example_plan, changes, expected):
    found = messages(with_force(example_plan, **changes))
    assert any(m.startswith(expected) for m in found), found


def test_a_cost_above_ten_billion_is_refused(example_plan):
    plan = example_plan.replace(estate=(
        dataclasses.replace(example_plan.estate[0], annual_running_cost=1.2e10),
        example_plan.estate[1]))
    assert messages(plan) == [
        "estate[A/desk].annual_running_cost: must be at most 10,000,000,000.0 "
        "(got 12,000,000,000.0)"]


@pytest.mark.parametrize(("changes", "expected"), [
    ({"go_live_year": 2040}, "options[ONE].decisions[desk].go_live_year: 2040 is outside "
                             "the plan's years 2026 to 2030"),
    ({"go_live_year": None}, "options[ONE].decisions[desk].go_live_year: a change needs a "
                             "go-live year"),
    ({"forces": ("A", "Z")}, "options[ONE].decisions[desk].forces: force 'Z' is not in the "
                             "plan"),
    ({"transition_profile": (0.5, 0.4)}, "options[ONE].decisions[desk].transition_profile: "
                                          "fractions must add up to 1"),
    ({"transition_profile": (0.2, 0.3, 0.5)}, "options[ONE].decisions[desk]."
                                               "transition_profile: spreads 3 years back"),
    ({"transition_cost": -1.0}, "options[ONE].decisions[desk].transition_cost: must not be "
                                "negative"),
    ({"cost_low": 1.5}, "options[ONE].decisions[desk].cost_low: must be at most 1.0"),
    ({"optimism_bias": 5.0}, "options[ONE].decisions[desk].optimism_bias: must be at most"),
])
def test_bad_decisions(example_plan, changes, expected):
    found = messages(with_decision(example_plan, **changes))
    assert any(m.startswith(expected) for m in found), found


def test_agreed_shares_must_add_up_to_100(example_plan):
    plan = example_plan.replace(
        sharing_basis=SharingBasis.AGREED,
        forces=(dataclasses.replace(example_plan.forces[0], agreed_share=60.0),
                dataclasses.replace(example_plan.forces[1], agreed_share=30.0)))
    assert messages(plan) == [
        "forces.agreed_share: agreed shares must add up to 100% (they add up to 90%)"]


def test_agreed_shares_need_every_force(example_plan):
    plan = example_plan.replace(sharing_basis=SharingBasis.AGREED)
    assert messages(plan) == [
        "plan.sharing_basis: agreed shares need a percentage for every force (missing: A, B)"]


def test_exactly_one_baseline(example_plan):
    options = tuple(dataclasses.replace(o, role=OptionRole.BASELINE)
                    for o in example_plan.options)
    found = messages(example_plan.replace(options=options))
    assert "options: exactly one option must be the baseline (found 2)" in found


def test_baseline_cannot_converge(example_plan):
    baseline = dataclasses.replace(example_plan.options[0], decisions=(
        Decision("desk", Mode.CONVERGE, go_live_year=2027),))
    found = messages(example_plan.replace(options=(baseline, example_plan.options[1])))
    assert found[0].startswith("options[BAU].decisions[desk].mode: the baseline is business")


def test_estate_for_unknown_force_and_duplicates(example_plan):
    ghost = dataclasses.replace(example_plan.estate[0], force="Q")
    plan = example_plan.replace(estate=(*example_plan.estate, ghost, example_plan.estate[0]))
    found = messages(plan)
    assert "estate[Q/desk].force: force 'Q' is not in the plan" in found
    assert "estate[A/desk]: appears 2 times; a force has one estate item a service" in found


def test_horizon_and_rate_limits(example_plan):
    found = messages(example_plan.replace(horizon_years=61, discount_rate=-0.01))
    assert "plan.horizon_years: must be at most 60 (got 61)" in found
    assert "plan.discount_rate: must not be negative (got -0.01)" in found


def test_appraise_refuses_an_invalid_plan(example_plan):
    with pytest.raises(ValidationError) as info:
        appraise(with_force(example_plan, officers=-1))
    assert "forces[A].officers" in str(info.value)


def test_check_number_accepts_plain_numbers_only():
    assert check_number("x", 3) is None
    assert check_number("x", True) is not None
    assert check_number("x", None, optional=True) is None
    assert str(check_number("x", 2.5, integer=True, minimum=None)) == \
        "x: must be a whole number (got 2.5)"


JUNK = [None, "x", math.nan, -1.0, 1e308, True, math.inf]


@pytest.mark.parametrize("junk", JUNK, ids=repr)
@pytest.mark.parametrize(("where", "attr"), [
    ("force", "officers"), ("force", "staff"), ("force", "population"),
    ("estate", "annual_running_cost"), ("estate", "support_fte"),
    ("decision", "shared_running_cost"), ("decision", "officer_hours_per_week"),
    ("decision", "exit_cost"), ("plan", "discount_rate"), ("plan", "cost_per_staff_fte"),
])
def test_any_junk_in_a_number_field_is_named_never_a_crash(example_plan, where, attr, junk):
    if where == "force":
        plan, field = with_force(example_plan, **{attr: junk}), f"forces[A].{attr}"
    elif where == "estate":
        plan = example_plan.replace(estate=(
            dataclasses.replace(example_plan.estate[0], **{attr: junk}),
            example_plan.estate[1]))
        field = f"estate[A/desk].{attr}"
    elif where == "decision":
        plan, field = with_decision(example_plan, **{attr: junk}), \
            f"options[ONE].decisions[desk].{attr}"
    else:
        plan, field = example_plan.replace(**{attr: junk}), f"plan.{attr}"
    found = messages(plan)
    assert any(m.startswith(field + ":") for m in found), found
