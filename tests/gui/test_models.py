"""The table models on their own, checked by Qt's model tester and driven like an editor."""

import dataclasses

import pytest
from PySide6.QtCore import Qt

from alliance_planner.domain import schema
from alliance_planner.domain.engine import appraise
from alliance_planner.ui.models import (
    RAW_ROLE,
    ComparisonModel,
    DecisionsModel,
    EarlyExitsModel,
    PlanSettingsModel,
    RecordModel,
    SiteActionsModel,
)


@pytest.mark.parametrize("collection", ["forces", "services", "estate", "options", "sources"])
def test_record_models_pass_the_model_tester(qtmodeltester, document, collection):
    model = RecordModel(document, collection, schema.COLLECTIONS[collection].columns)
    qtmodeltester.check(model)


def test_other_models_pass_the_model_tester(qtmodeltester, document):
    for model in (PlanSettingsModel(document, schema.SETTINGS), DecisionsModel(document),
                  SiteActionsModel(document), ComparisonModel(document),
                  EarlyExitsModel(document)):
        qtmodeltester.check(model)


def cell(model, row_label, header):
    row = next(r for r in range(model.rowCount()) if model.row_label(r) == row_label)
    column = next(c for c, col in enumerate(model.columns) if col.header == header)
    return model.index(row, column)


def test_an_edit_is_parsed_saved_and_undoable(document, qtbot):
    model = RecordModel(document, "estate", schema.ESTATE.columns)
    index = cell(model, "dorset/service-desk", "Running cost a year")
    with qtbot.waitSignal(document.changed):
        assert model.setData(index, "£250k")
    assert index.data(RAW_ROLE) == 250_000.0
    assert document.file.load() == document.plan  # on disk already
    document.undo_stack.undo()
    assert index.data(RAW_ROLE) != 250_000.0
    document.undo_stack.redo()
    assert index.data(RAW_ROLE) == 250_000.0


@pytest.mark.parametrize(("header", "typed", "reason"), [
    ("Running cost a year", "lots", "expected a number, not 'lots'"),
    ("Running cost a year", "-5", "Today's estate › Dorset, Service desk › Running cost a "
                                  "year: must not be negative"),
    ("Running cost a year", "2e10", "must be at most 10,000,000,000"),
    ("Support FTE", "nan", "expected a number, not 'nan'"),
    ("Contract ends", "31/02/2028", "expected a date"),
])
def test_bad_values_are_refused_at_the_cell(document, qtbot, header, typed, reason):
    model = RecordModel(document, "estate", schema.ESTATE.columns)
    index = cell(model, "dorset/service-desk", header)
    before = document.plan
    with qtbot.waitSignal(model.refused) as refused:
        assert not model.setData(index, typed)
    assert reason in refused.args[0]
    assert document.plan is before
    assert document.file.load() == before
    assert document.undo_stack.count() == 0


def test_renaming_a_force_code_carries_through(document):
    model = RecordModel(document, "forces", schema.FORCES.columns)
    assert model.setData(cell(model, "Dorset", "Code"), "DOR")
    plan = document.plan
    assert {e.force for e in plan.estate} == {"devon-and-cornwall", "DOR"}


def test_removing_a_cited_source_is_refused(document, qtbot):
    model = RecordModel(document, "sources", schema.SOURCES.columns)
    row = next(r for r in range(model.rowCount()) if model.records()[r].key == "sw-contract")
    with qtbot.waitSignal(model.refused) as refused:
        assert not model.remove(row)
    assert "names source 'sw-contract'" in refused.args[0]


def test_add_duplicate_remove(document):
    model = RecordModel(document, "options", schema.OPTIONS.columns)
    rows = model.rowCount()
    assert model.add()
    assert model.rowCount() == rows + 1
    assert model.duplicate(rows)
    assert document.plan.options[-1].name == "New option (copy)"
    assert model.remove(rows + 1) and model.remove(rows)
    assert model.rowCount() == rows
    baseline = next(r for r in range(rows) if document.plan.options[r].is_baseline)
    assert not model.remove(baseline)  # a plan keeps exactly one baseline


def test_decisions_model_creates_and_clears_a_decision(document):
    model = DecisionsModel(document)
    model.set_option(1)  # the do-minimum: only the service desk changes
    row = [s.code for s in document.plan.services].index("security")
    mode = model.index(row, 0)
    assert mode.data() == "no change"
    go_live = model.index(row, [c.attr for c in model.columns].index("go_live_year"))
    assert model.setData(go_live, "2029/30")
    running = model.index(row, [c.attr for c in model.columns].index("other_savings"))
    assert model.setData(running, "100k")
    decision = document.plan.options[1].decision_for("security")
    assert (decision.go_live_year, decision.other_savings) == (2029, 100_000.0)
    assert model.clear(row)
    assert document.plan.options[1].decision_for("security") is None


def test_plan_settings_model(document, qtbot):
    model = PlanSettingsModel(document, schema.SETTINGS)
    rate = next(r for r in range(model.rowCount()) if model.row_label(r) == "Discount rate")
    index = model.index(rate, 0)
    assert index.data() == "3.5%"
    assert model.setData(index, "5")
    assert document.plan.discount_rate == pytest.approx(0.05)
    horizon = next(r for r in range(model.rowCount()) if model.row_label(r) == "Horizon (years)")
    years = document.plan.horizon_years
    with qtbot.waitSignal(model.refused) as refused:
        model.setData(model.index(horizon, 0), "70")
    assert "Plan › Horizon (years): must be at most 60" in refused.args[0]
    with qtbot.waitSignal(model.refused) as refused:
        model.setData(model.index(horizon, 0), "7.5")
    assert refused.args[0] == "Plan › Horizon (years): expected a whole number, not 7.5"
    assert document.plan.horizon_years == years  # refused edits change nothing


def test_comparison_shows_the_engines_figures(document):
    model = ComparisonModel(document)
    results = appraise(document.plan)
    npv_row = 0
    for o in range(model.columnCount()):
        assert model.index(npv_row, o).data(RAW_ROLE) == results.npv[o]
    header = model.headerData(0, Qt.Orientation.Horizontal)
    assert "Business as usual" in header and "(baseline)" in header
    from alliance_planner.domain.headlines import HEADLINES

    rows = [model.headerData(r, Qt.Orientation.Vertical) for r in range(len(HEADLINES))]
    assert rows == [h.label for h in HEADLINES]
    # each force's NPV, then its support staff: the last year shown, each year on hover
    plan = document.plan
    staff_row = len(HEADLINES) + len(plan.forces)
    assert model.headerData(staff_row, Qt.Orientation.Vertical) == \
        f"Support FTE, final year: {plan.forces[0].name}"
    for o in range(model.columnCount()):
        assert model.index(staff_row, o).data(RAW_ROLE) == \
            results.by_force["support_fte"][o, 0, -1]
    tip = model.index(staff_row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[0].startswith("2026/27: ") and tip.endswith(" FTE")
    assert model.rowCount() == len(HEADLINES) + 2 * len(plan.forces)


def test_site_actions_model(document):
    plan = document.plan
    from alliance_planner.domain.model import Site

    document.edit(plan.replace(sites=(Site("hq", "Headquarters", "dorset", 300_000.0),)),
                  "add a site")
    model = SiteActionsModel(document)
    model.set_option(2)
    assert model.setData(model.index(0, 0), "2029")
    assert model.setData(model.index(0, 1), "1.5m")
    action = document.plan.options[2].site_actions[0]
    assert (action.closure_year, action.disposal_receipt) == (2029, 1_500_000.0)
    assert model.setData(model.index(0, 0), "")
    assert document.plan.options[2].site_actions == ()
    assert dataclasses.replace(action, closure_year=2029).site == "hq"


def test_an_option_shows_and_can_take_over_the_baselines_decision(document):
    from alliance_planner.domain.model import Decision, Mode

    plan = document.plan
    option = plan.options[1]
    row, service = next((i, s.code) for i, s in enumerate(plan.services)
                        if option.decision_for(s.code) is None)
    refresh = Decision(service, Mode.RETAIN, go_live_year=plan.base_year + 2,
                       transition_cost=250_000.0)
    baseline = dataclasses.replace(plan.options[0], decisions=(
        *(d for d in plan.options[0].decisions if d.service != service), refresh))
    document.edit(plan.replace(options=(baseline, *plan.options[1:])), "a refresh")
    model = DecisionsModel(document)
    model.set_option(1)
    assert model.index(row, 0).data() == "as business as usual"
    cost = [c.attr for c in model.columns].index("transition_cost")
    assert model.index(row, cost).data(RAW_ROLE) == 250_000.0
    assert model.setData(model.index(row, cost), "300k")
    own = document.plan.options[1].decision_for(service)
    assert (own.mode, own.transition_cost, own.go_live_year) == (
        Mode.RETAIN, 300_000.0, plan.base_year + 2)


def test_the_optimism_bias_column_shows_the_rate_in_effect(document):
    from alliance_planner.domain.green_book import OBCategory
    from alliance_planner.domain.model import Decision, Mode

    plan = document.plan
    service = plan.services[0].code
    decision = Decision(service, Mode.CONVERGE, go_live_year=plan.base_year + 1,
                        transition_cost=1e6, ob_category=OBCategory.EQUIPMENT_DEVELOPMENT,
                        ob_mitigation=0.75)
    option = dataclasses.replace(plan.options[1], decisions=(
        decision, *(d for d in plan.options[1].decisions if d.service != service)))
    document.edit(plan.replace(options=(plan.options[0], option, *plan.options[2:])), "OB")
    model = DecisionsModel(document)
    model.set_option(1)
    column = [c.attr for c in model.columns].index("optimism_bias")
    assert model.index(0, column).data() == "57.5%"  # a quarter of the way from 10% to 200%
    assert "equipment/development" in model.index(0, column).data(Qt.ItemDataRole.ToolTipRole)
    assert model.setData(model.index(0, column), "30")
    changed = document.plan.options[1].decision_for(service)
    assert (changed.ob_category, changed.optimism_bias) == (OBCategory.STATED, 0.3)
