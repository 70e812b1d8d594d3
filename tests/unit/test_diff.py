"""Comparing two plans: the inputs field by field and the results they give."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import plans

from alliance_planner import samples
from alliance_planner.domain.diff import ADDED, CHANGED, REMOVED, diff_inputs, diff_results
from alliance_planner.domain.engine import appraise
from alliance_planner.domain.serialize import plan_from_dict, plan_to_dict


@pytest.mark.parametrize("name", samples.names())
def test_a_plan_compared_with_itself_or_a_copy_shows_nothing(name):
    plan = samples.build(name)
    copy = plan_from_dict(plan_to_dict(plan))
    assert diff_inputs(plan, plan) == diff_inputs(plan, copy) == []
    assert diff_results(plan, copy) == []


def test_known_edits_are_listed_exactly_and_their_results_follow():
    plan = samples.build("south-west-alliance")
    force = plan.forces[0]
    option = next(o for o in plan.options if o.decisions)
    decision = option.decisions[0]
    edited = plan.replace(
        discount_rate=0.03,
        forces=(dataclasses.replace(force, officers=force.officers + 10), *plan.forces[1:]),
        options=tuple(dataclasses.replace(o, decisions=(
            dataclasses.replace(decision, go_live_year=decision.go_live_year + 1),
            *o.decisions[1:])) if o is option else o for o in plan.options),
        estate=plan.estate[1:])
    changes = diff_inputs(plan, edited)
    assert [(c.sheet, c.record, c.field, c.what) for c in changes] == [
        ("Assumptions", "", "Discount rate", CHANGED),
        ("Forces", force.code, "Officers", CHANGED),
        ("Estate", f"{plan.estate[0].force}/{plan.estate[0].service}", "", REMOVED),
        ("Decisions", f"{option.code}/{decision.service}", "Go-live", CHANGED),
    ]  # the settings, then each collection in the schema's order
    texts = [c.text for c in changes]
    assert "Assumptions, Discount rate: 3.5% → 3%" in texts
    assert f"Forces {force.code}, Officers: {force.officers:,.0f} → " \
           f"{force.officers + 10:,.0f}" in texts
    results = diff_results(plan, edited)
    old, new = appraise(plan), appraise(edited)
    npv = {c.option: c for c in results if c.figure == "npv"}
    for code in new.option_codes:
        o = new.index(code)
        if abs(new.npv[o] - old.npv[o]) >= 0.005:
            assert npv[code].old == pytest.approx(old.npv[o])
            assert npv[code].difference == pytest.approx(new.npv[o] - old.npv[o])
        else:
            assert code not in npv
    assert any(c.figure.startswith("npv:") for c in results)


def test_added_records_and_options_are_named():
    plan = samples.build("mobile-data")
    extra = dataclasses.replace(plan.options[1], code="NEW", name="New option")
    grown = plan.replace(options=(*plan.options, extra))
    changes = diff_inputs(plan, grown)
    assert ("Options", "NEW", ADDED) in [(c.sheet, c.record, c.what) for c in changes]
    assert all(c.what == ADDED for c in changes)  # its decisions too, nothing else
    new_npv = [c for c in diff_results(plan, grown) if c.option == "NEW" and c.figure == "npv"]
    assert new_npv and new_npv[0].old is None and new_npv[0].difference is None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), plans())
def test_any_two_plans_differ_only_where_the_diff_says(a, b):
    changes = diff_inputs(a, b)
    assert (changes == []) == (plan_to_dict(a) == plan_to_dict(b))
    assert diff_inputs(b, b) == []
