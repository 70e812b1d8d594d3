"""The tables kept from one read to the next: what an edit's recompute finds is what a read
afresh would find, whatever was read before, for good values and bad."""

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_planner import samples
from alliance_planner.domain import tables
from alliance_planner.domain.engine import appraise
from alliance_planner.domain.validation import validate

NATIONAL = samples.build("national")  # 860 estate items: long enough to be patched
assert len(NATIONAL.estate) >= tables.MANY

values = st.one_of(
    st.floats(min_value=0, max_value=1e7, allow_nan=False),
    st.integers(0, 10**6),
    st.sampled_from([-1.0, float("nan"), float("inf"), True, False, None, "12", 1e300]),
)
fields = st.sampled_from(["annual_running_cost", "support_fte", "exit_fee", "users",
                          "exit_remaining_share", "price_year", "force", "service"])


def edited(plan, k: int, attr: str, value):
    if attr in ("force", "service"):
        codes = [f.code for f in plan.forces] if attr == "force" else \
            [s.code for s in plan.services]
        whole = isinstance(value, int) and not isinstance(value, bool)
        value = codes[value % len(codes)] if whole else "no-such-code"
    item = dataclasses.replace(plan.estate[k], **{attr: value})
    return plan.replace(estate=(*plan.estate[:k], item, *plan.estate[k + 1:]))


def fresh(plan):
    tables.forget()
    return tables.read(plan), validate(plan)


def same_tables(a, b):
    assert a.tables.keys() == b.tables.keys()
    for name in a.tables:
        x, y = a[name], b[name]
        assert len(x.values) == len(y.values)
        for attr in x.values:
            assert list(x.values[attr]) == list(y.values[attr]) or all(
                p is q or p == q or (p != p and q != q)
                for p, q in zip(x.values[attr], y.values[attr], strict=True)), (name, attr)
        assert (x.numbers is None) == (y.numbers is None), name
        if x.numbers is not None:
            np.testing.assert_array_equal(x.numbers, y.numbers)
    assert (a.estate_cells is None) == (b.estate_cells is None)
    if a.estate_cells is not None:
        np.testing.assert_array_equal(a.estate_cells, b.estate_cells)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(NATIONAL.estate) - 1), fields, values),
                min_size=1, max_size=4))
def test_a_chain_of_estate_edits_reads_and_validates_as_a_read_afresh(steps):
    plan = NATIONAL
    tables.read(plan)
    validate(plan)
    for k, attr, value in steps:
        plan = edited(plan, k, attr, value)
        kept_tables, kept_problems = tables.read(plan), validate(plan)
        afresh_tables, afresh_problems = fresh(plan)
        same_tables(kept_tables, afresh_tables)
        assert kept_problems == afresh_problems


def test_a_bad_value_is_found_after_a_good_plan_was_read_and_gone_after_undo():
    tables.forget()
    appraise(NATIONAL)
    bad = edited(NATIONAL, 5, "annual_running_cost", -1.0)
    problems = validate(bad)
    assert problems and "estate[" in problems[0].where
    assert "annual_running_cost" in problems[0].where
    with pytest.raises(ValueError, match="annual_running_cost"):
        appraise(bad)
    assert validate(NATIONAL) == []  # the undo: the first plan's tables again
    np.testing.assert_array_equal(appraise(NATIONAL).npv, fresh_npv(NATIONAL))


def fresh_npv(plan):
    tables.forget()
    return appraise(plan).npv


def test_an_edit_moves_the_figures_as_a_read_afresh_does():
    tables.forget()
    before = appraise(NATIONAL)
    plan = edited(NATIONAL, 17, "annual_running_cost", 1_234_567.0)
    after = appraise(plan)
    assert not np.array_equal(after.running, before.running)
    np.testing.assert_array_equal(after.npv, fresh_npv(plan))
    np.testing.assert_array_equal(appraise(NATIONAL).npv, before.npv)


def test_kept_tables_cannot_be_changed_in_place():
    tables.forget()
    read = tables.read(NATIONAL)
    with pytest.raises(ValueError):
        read["estate"].numbers[0, 0] = 1.0
    with pytest.raises(ValueError):
        read.estate_cells[0] = 1
