"""The tables kept from one read to the next: what an edit's recompute finds is what a read
afresh would find, whatever was read before, for good values and bad."""

import dataclasses

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_planner import samples
from alliance_planner.domain import engine, tables
from alliance_planner.domain.engine import appraise, compile_plan, evaluate_lines, forget
from alliance_planner.domain.model import SharingBasis
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
    forget()
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
    assert a.price_years == b.price_years
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
    forget()
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
    forget()
    return appraise(plan).npv


def test_an_edit_moves_the_figures_as_a_read_afresh_does():
    forget()
    before = appraise(NATIONAL)
    plan = edited(NATIONAL, 17, "annual_running_cost", 1_234_567.0)
    after = appraise(plan)
    assert not np.array_equal(after.running, before.running)
    np.testing.assert_array_equal(after.npv, fresh_npv(plan))
    np.testing.assert_array_equal(appraise(NATIONAL).npv, before.npv)


def test_kept_tables_cannot_be_changed_in_place():
    forget()
    read = tables.read(NATIONAL)
    with pytest.raises(ValueError):
        read["estate"].numbers[0, 0] = 1.0
    with pytest.raises(ValueError):
        read.estate_cells[0] = 1


force_fields = st.sampled_from(["officers", "staff", "population", "specials", "code",
                                "name"])


def force_edited(plan, k: int, attr: str, value):
    if attr in ("code", "name"):  # a key, or required text: a clash, a blank, a new one
        value = {0: plan.forces[(k + 1) % len(plan.forces)].code, 1: "", 2: "NEW"}.get(
            value if isinstance(value, int) and not isinstance(value, bool) else 0, "NEW")
    force = dataclasses.replace(plan.forces[k], **{attr: value})
    return plan.replace(forces=(*plan.forces[:k], force, *plan.forces[k + 1:]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(NATIONAL.forces) - 1), force_fields, values),
                min_size=1, max_size=4))
def test_a_chain_of_force_edits_validates_as_a_validation_afresh(steps):
    """A few forces changed in a valid plan are checked on their own: what that finds
    is what checking every force finds."""
    plan = NATIONAL
    validate(plan)
    for k, attr, value in steps:
        plan = force_edited(plan, k, attr, value)
        kept = validate(plan)
        forget()
        assert kept == validate(plan)


def decision_edited(plan, option: int, attr: str, value):
    o = plan.options[option]
    moved = dataclasses.replace(o.decisions[0], **{attr: value})
    options = list(plan.options)
    options[option] = dataclasses.replace(o, decisions=(moved, *o.decisions[1:]))
    return plan.replace(options=tuple(options))


def test_each_kind_of_edit_appraises_as_a_recompute_afresh():
    """The compiled parts kept from one recompute to the next (today's estate, the
    changes, the shares, the fees, the sites) give the figures a recompute afresh gives,
    after an edit to each part and to the settings they depend on."""
    option = next(o for o, opt in enumerate(NATIONAL.options) if opt.decisions)
    year = NATIONAL.options[option].decisions[0].go_live_year
    plan = NATIONAL
    appraise(plan)
    for edit in (
            lambda p: edited(p, 3, "annual_running_cost", 2_500_000.0),
            lambda p: force_edited(p, 2, "officers", p.forces[2].officers + 500),
            lambda p: force_edited(p, 2, "specials", p.forces[2].specials + 5),
            lambda p: decision_edited(p, option, "go_live_year", year + 1),
            lambda p: decision_edited(p, option, "shared_running_cost", 1e6),
            lambda p: p.replace(sharing_basis=SharingBasis.POPULATION),
            lambda p: p.replace(pool_exit_fees=not p.pool_exit_fees),
            lambda p: p.replace(base_year=p.base_year - 1),
            lambda p: p.replace(horizon_years=p.horizon_years + 2),
            lambda p: p.replace(deflators=p.deflators[:-1]),
            lambda p: NATIONAL):  # and back: the first plan's tables again
        plan = edit(plan)
        kept = appraise(plan)
        forget()
        afresh = appraise(plan)
        for name in ("running", "staff", "transition", "exit", "severance", "npv", "npsv",
                     "force_npv", "force_cost", "officer_hours", "other_savings",
                     "residual_value", "support_fte"):
            np.testing.assert_array_equal(getattr(kept, name), getattr(afresh, name), name)
        for name, line in kept.by_force.items():
            np.testing.assert_array_equal(line, afresh.by_force[name], name)
        assert kept.early_exits == afresh.early_exits


def test_compiled_parts_kept_cannot_be_changed_in_place():
    forget()
    appraise(NATIONAL)
    x = compile_plan(NATIONAL)
    for array in (x.split, x.switched_off, x.live, x.estate_running, x.weights, x.exit_fee):
        with pytest.raises(ValueError):
            array[(0,) * array.ndim] = 1.0


def test_a_patched_table_shares_what_the_edit_left_alone():
    """An edit to one item's text copies that field's list and nothing else; an edit to a
    number copies the matrix of numbers, and the table before it is left as it was."""
    forget()
    before = tables.read(NATIONAL)["estate"]
    renamed = tables.read(edited(NATIONAL, 7, "force", 3))["estate"]
    assert renamed.values["force"] is not before.values["force"]
    assert renamed.values["annual_running_cost"] is before.values["annual_running_cost"]
    assert renamed.numbers is before.numbers
    costed = tables.read(edited(NATIONAL, 7, "annual_running_cost", 123.0))["estate"]
    assert costed.numbers is not before.numbers
    assert costed.floats("annual_running_cost")[7] == 123.0
    assert before.floats("annual_running_cost")[7] == NATIONAL.estate[7].annual_running_cost
    assert tables.patched_rows(renamed, costed) == [7]
    assert tables.patched_rows(before, costed) is None  # not the table it was patched from


def kept_product(group: str):
    """What the engine keeps of a group of products (see engine._product_kept)."""
    return engine._KEPT[f"products: {group}"][2]


def test_the_shares_products_are_kept_through_an_estate_edit_and_made_again_after_a_decision():
    forget()
    appraise(NATIONAL)
    shared, own = kept_product("shared"), kept_product("own")
    plan = edited(NATIONAL, 3, "annual_running_cost", 2_500_000.0)
    appraise(plan)
    assert kept_product("shared") is shared
    assert kept_product("own") is not own
    option = next(o for o, opt in enumerate(plan.options) if opt.decisions)
    appraise(decision_edited(plan, option, "shared_running_cost", 1e6))
    assert kept_product("shared") is not shared
    with pytest.raises(ValueError):
        kept_product("shared")[0, 0, 0, 0] = 1.0


def test_arrays_that_can_change_are_never_kept():
    """Inputs a caller made writable (and may change in place) are multiplied afresh."""
    forget()
    x = compile_plan(NATIONAL)
    live = x.live.copy()
    changed = dataclasses.replace(x, live=live)
    first = evaluate_lines(changed)
    assert "products: shared" not in engine._KEPT and "products: own" not in engine._KEPT
    live[:] = 0.0  # nothing goes live: nothing is shared or switched off
    again = evaluate_lines(changed)
    assert not np.array_equal(first, again)
    line = engine.LINES.index("own_running")
    np.testing.assert_array_equal(again[line], np.broadcast_to(
        x.estate_running.sum(axis=1)[:, None, None], again[line].shape))
