"""Plans to plain data and back, and type errors that name the field."""

import json

import pytest
from hypothesis import given, settings
from strategies import plans

from alliance_planner.domain.serialize import plan_from_dict, plan_to_dict
from alliance_planner.domain.validation import ValidationError


@settings(max_examples=40, deadline=None)
@given(plans())
def test_round_trip_through_json(plan):
    assert plan_from_dict(json.loads(json.dumps(plan_to_dict(plan)))) == plan


def test_samples_round_trip(sample_plans):
    for plan in sample_plans.values():
        assert plan_from_dict(plan_to_dict(plan)) == plan


def test_type_errors_name_the_field(example_plan):
    data = plan_to_dict(example_plan)
    data["plan"]["forces"][1]["officers"] = "lots"
    data["plan"]["estate"][0]["contract_end"] = "31/03/2028"
    data["plan"]["options"][1]["role"] = "favourite"
    data["plan"]["colour"] = "blue"
    with pytest.raises(ValidationError) as info:
        plan_from_dict(data)
    found = [str(p) for p in info.value.problems]
    assert "plan.forces[1].officers: must be a number, not 'lots'" in found
    assert "plan.estate[0].contract_end: must be a date (YYYY-MM-DD), not '31/03/2028'" in found
    assert any(m.startswith("plan.options[1].role: must be one of") for m in found)
    assert "plan.colour: is not a known field" in found


def test_not_a_plan_document():
    with pytest.raises(ValidationError, match="not a plan document"):
        plan_from_dict([1, 2, 3])


def test_field_types_are_the_type_hints_of_every_record():
    import dataclasses
    import typing

    from alliance_planner.domain import model
    from alliance_planner.domain.serialize import field_types

    records = [c for c in vars(model).values()
               if isinstance(c, type) and dataclasses.is_dataclass(c)]
    assert len(records) >= 10
    for record in records:
        assert field_types(record) == typing.get_type_hints(record), record.__name__
