"""The plan schema is the one declaration of what a plan holds: everything reads it."""

import dataclasses
import sqlite3

import pytest
from openpyxl import load_workbook

from alliance_planner.domain import schema
from alliance_planner.domain.green_book import OBCategory
from alliance_planner.domain.model import Force, Plan
from alliance_planner.exchange import template
from alliance_planner.exchange.inputs import WorkbookProblems, read_inputs, read_workbook
from alliance_planner.store.planfile import read_plan, write_new


def undeclared_fields() -> list[str]:
    """Fields of a record class that no column of the schema declares."""
    missing = []
    for collection in schema.COLLECTIONS.values():
        declared = {c.attr for c in collection.columns}
        missing += [f"{collection.record.__name__}.{name}"
                    for name in schema.record_fields(collection.record) if name not in declared]
    settings = {c.attr for c in schema.SETTINGS}
    top = {c.name for c in schema.TOP_LEVEL}
    missing += [f"Plan.{f.name}" for f in dataclasses.fields(Plan)
                if f.name not in settings and f.name not in top]
    return missing


def test_every_field_of_every_record_has_a_column():
    assert undeclared_fields() == []


def test_a_field_without_a_column_is_caught(monkeypatch):
    """Adding a field to Force and nowhere else fails the test above."""
    @dataclasses.dataclass(frozen=True)
    class WiderForce(Force):
        firearms_officers: float = 0.0

    monkeypatch.setitem(schema.COLLECTIONS, "forces",
                        dataclasses.replace(schema.FORCES, record=WiderForce))
    assert undeclared_fields() == ["WiderForce.firearms_officers"]


def test_every_column_is_a_field_of_its_record():
    for collection in schema.COLLECTIONS.values():
        fields = set(schema.record_fields(collection.record))
        assert {c.attr for c in collection.columns} == fields, collection.name


def test_the_plan_file_has_a_column_for_every_field(plan_file):
    """A new field needs a migration: the file's tables must hold every declared column."""
    with sqlite3.connect(plan_file) as conn:
        def columns(table):
            return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}

        assert {c.attr for c in schema.SETTINGS} <= columns("plan")
        for collection in schema.COLLECTIONS.values():
            assert {c.attr for c in collection.all_columns} <= columns(collection.table), \
                collection.table


def test_references_are_declared_once_and_point_at_keyed_collections():
    for collection in schema.COLLECTIONS.values():
        for column in collection.all_columns:
            if column.refers_to is not None:
                assert len(schema.COLLECTIONS[column.refers_to].key) == 1
    assert {c.name for c, _ in schema.references("forces")} == {"estate", "decisions",
                                                                 "sites"}


def test_defaults_come_from_the_record_classes():
    decisions = schema.DECISIONS
    assert decisions.column("exit_cost").default == 0.0
    assert decisions.column("cost_high").default == 1.0
    assert decisions.column("transition_profile").default == (1.0,)
    assert not decisions.column("mode").has_default
    assert not schema.FORCES.column("officers").has_default


def test_a_workbook_written_by_format_1_still_imports(sample_plans):
    """tests/data keeps a template written before the schema existed; it must always read."""
    from pathlib import Path

    data = Path(__file__).parent.parent / "data"
    imported = read_workbook(data / "template-format1-south-west.xlsx")
    assert imported.plan == read_plan(data / "south-west-format1.alliance")
    assert "no sheet 'Deflators' (a workbook from an earlier version); the plan starts " \
           "with none" in imported.notes
    assert any(note.startswith("Estate: no columns 'Exit fee' (£0.00), ")
               for note in imported.notes), imported.notes


def drop_column(path, sheet, header):
    wb = load_workbook(path)
    ws = wb[sheet]
    index = next(c.column for c in ws[1] if c.value == header)
    ws.delete_cols(index)
    wb.save(path)


def test_a_workbook_missing_a_newer_column_takes_its_default_with_a_note(tmp_path,
                                                                         sample_plans):
    plan = sample_plans["south-west-alliance"]
    path = tmp_path / "older.xlsx"
    template.write_template(path, plan)
    drop_column(path, "Decisions", "Benefit high ×")
    imported = read_workbook(path)
    assert imported.notes == (
        "Decisions: no column 'Benefit high ×' (1) (a workbook from an earlier version); "
        "every row takes the default",)
    expected = plan.replace(options=tuple(dataclasses.replace(o, decisions=tuple(
        dataclasses.replace(d, benefit_high=1.0) for d in o.decisions)) for o in plan.options))
    assert imported.plan == expected


def test_a_workbook_missing_a_required_column_is_refused(tmp_path, sample_plans):
    path = tmp_path / "older.xlsx"
    template.write_template(path, sample_plans["south-west-alliance"])
    drop_column(path, "Forces", "Officers")
    with pytest.raises(WorkbookProblems) as info:
        read_inputs(path)
    assert "Forces row 1: missing column 'Officers'" in info.value.problems


def test_blank_optional_cells_of_a_decision_take_their_defaults(tmp_path, example_plan):
    """Only the service, the change and the go-live are typed; the rest is left blank."""
    path = tmp_path / "filled.xlsx"
    template.write_template(path, example_plan)
    wb = load_workbook(path)
    ws = wb["Decisions"]
    headers = [c.value for c in ws[1]]
    keep = {"Option", "Service", "Change", "Go-live", "Transition cost", "Profile"}
    for c, header in enumerate(headers, start=1):
        if header not in keep:
            ws.cell(2, c).value = None
    wb.save(path)
    imported = read_workbook(path)
    decision = imported.plan.options[1].decisions[0]
    original = example_plan.options[1].decisions[0]
    assert decision == dataclasses.replace(
        original, forces=(), platform="", optimism_bias=0.0, exit_cost=0.0,
        shared_running_cost=0.0, shared_support_fte=0.0, officer_hours_per_week=0.0,
        ob_category=OBCategory.STATED, ob_mitigation=0.0, ob_reason="", benefit_ramp=(1.0,),
        asset_life=0.0)
    assert imported.notes == ()


def test_the_store_round_trips_every_declared_column(tmp_path, sample_plans):
    for name, plan in sample_plans.items():
        path = tmp_path / f"{name}.alliance"
        write_new(path, plan)
        assert read_plan(path) == plan, name
