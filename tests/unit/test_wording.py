"""Validation's paths said as the user sees them, and a savings target set whole."""

import pytest

from alliance_planner import samples
from alliance_planner.domain import edits, wording
from alliance_planner.domain.validation import validate


@pytest.fixture(scope="module")
def plan():
    return samples.build("south-west-alliance")


@pytest.mark.parametrize(("where", "said"), [
    ("options[MS].decisions[radio-support].transition_cost",
     "Options › Single managed service (£70m, 10 years) › Airwave handheld and vehicle radio "
     "support › Transition cost"),
    ("estate[dorset/service-desk].support_fte", "Today's estate › Dorset, Service desk › "
                                                 "Support FTE"),
    ("plan.savings_target_years", "Plan › Savings target within (years)"),
    ("forces[dorset].officers", "Forces › Dorset › Officers"),
    ("forces.agreed_share", "Forces › Agreed share (%)"),
    ("forces", "Forces"),
    ("deflators[2025].index", "Deflators › 2025/26 › Deflator index"),
    ("forces[gone].name", "Forces › gone › Force"),  # a code not in the plan stays a code
    ("something else", "something else"),
])
def test_a_path_is_said_as_page_record_and_column(plan, where, said):
    assert wording.place(plan, where) == said


def test_every_problem_of_a_broken_plan_is_said_without_a_path(plan):
    broken = edits.set_field(plan, "estate", 0, "support_fte", -1.0)
    broken = edits.set_field(broken, "forces", 1, "name", "")
    said = [wording.plain(broken, p) for p in validate(broken)]
    assert said and not any("[" in s or "_" in s for s in said)


def test_a_savings_target_is_set_and_cleared_whole(plan):
    none = plan.replace(savings_target=None, savings_target_years=None)
    amount = edits.set_setting(none, "savings_target", 1e6)
    assert (amount.savings_target, amount.savings_target_years) == (1e6, plan.horizon_years)
    years = edits.set_setting(none, "savings_target_years", 3)
    assert (years.savings_target, years.savings_target_years) == (0.0, 3)
    cleared = edits.set_setting(amount, "savings_target_years", None)
    assert (cleared.savings_target, cleared.savings_target_years) == (None, None)
    for changed in (amount, years, cleared):
        assert validate(changed) == []
