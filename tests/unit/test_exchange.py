"""The workbooks without LibreOffice: round trips, safe text, all-or-nothing import."""

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook
from strategies import plans

from alliance_planner.domain.model import Service
from alliance_planner.exchange import board_pack, template
from alliance_planner.exchange.inputs import (
    NAMES,
    WorkbookProblems,
    WorkbookUnreadable,
    read_inputs,
)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans())
def test_board_pack_exported_and_imported_again_is_the_same_plan(tmp_path, plan):
    path = tmp_path / "pack.xlsx"
    board_pack.export(plan, path)
    assert read_inputs(path) == plan


def test_every_sample_round_trips_through_the_board_pack_and_the_template(tmp_path,
                                                                          sample_plans):
    for name, plan in sample_plans.items():
        pack, filled = tmp_path / f"{name}.xlsx", tmp_path / f"{name}-template.xlsx"
        board_pack.export(plan, pack)
        template.write_template(filled, plan)
        assert read_inputs(pack) == plan, name
        assert read_inputs(filled) == plan, name


DANGEROUS = ['=HYPERLINK("http://example.invalid","click")', "+cmd|' /C calc'!A0",
             "@SUM(A1)", "-2+3", "=1+1"]


def test_typed_text_never_becomes_a_formula(tmp_path, example_plan):
    plan = example_plan.replace(
        name=DANGEROUS[4],
        services=(Service("desk", DANGEROUS[0]),),
        estate=tuple(dataclasses.replace(e, supplier=DANGEROUS[1], platform=DANGEROUS[2])
                     for e in example_plan.estate),
        forces=(dataclasses.replace(example_plan.forces[0], name=DANGEROUS[3]),
                example_plan.forces[1]),
    )
    path = tmp_path / "pack.xlsx"
    board_pack.export(plan, path)
    wb = load_workbook(path)
    seen = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in DANGEROUS:
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    assert cell.quotePrefix or not cell.value.startswith(("=", "+", "-", "@"))
                    seen.add(cell.value)
    assert seen == set(DANGEROUS)
    assert read_inputs(path) == plan


def test_board_pack_structure(tmp_path, sample_plans):
    plan = sample_plans["south-west-alliance"]
    path = tmp_path / "pack.xlsx"
    board_pack.export(plan, path)
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["Summary", "Charts"]
    assert {"Assumptions", "Shares", "Estate", "Sources", "CF MS"} <= set(wb.sheetnames)
    assert set(NAMES.values()) <= set(wb.defined_names)
    assert wb.calculation.fullCalcOnLoad
    assert len(wb["Charts"]._charts) == 4
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1, ws.title
    cf = wb["CF MS"]
    assert cf["C33"].value.startswith("=SUMPRODUCT(")  # NPV is a live formula
    assert "DiscountRate" in cf["C6"].value


def test_template_has_instructions_lists_and_input_cells(tmp_path, sample_plans):
    path = tmp_path / "template.xlsx"
    template.write_template(path, sample_plans["south-west-alliance"])
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Instructions"
    estate = wb["Estate"]
    ranges = [str(v.sqref) for v in estate.data_validations.dataValidation]
    assert any(r.startswith("A2:") for r in ranges)  # force codes from a list
    assert estate["E2"].fill.fgColor.rgb.endswith("FFF7D6")  # an input cell
    blank = tmp_path / "blank.xlsx"
    template.write_template(blank)
    assert load_workbook(blank)["Services"].max_row > 20


def spoil(path, edits):
    wb = load_workbook(path)
    for sheet, cell, value in edits:
        if cell is None:
            del wb[sheet]
        else:
            wb[sheet][cell] = value
    wb.save(path)


def test_every_problem_is_reported_at_once_and_nothing_is_made(tmp_path, sample_plans):
    path = tmp_path / "filled.xlsx"
    template.write_template(path, sample_plans["south-west-alliance"])
    spoil(path, [
        ("Estate", "E3", "lots"),            # text in a number cell
        ("Estate", "F4", -2),                 # negative FTE
        ("Estate", "A5", "atlantis"),         # unknown force
        ("Estate", "G6", "next spring"),      # a date that is not a date
        ("Services", "B1", "Service name"),   # wrong header
        ("Sites", None, None),                # missing sheet
    ])
    with pytest.raises(WorkbookProblems) as info:
        read_inputs(path)
    problems = info.value.problems
    assert "Estate row 3, Running cost a year: expected a number, not 'lots'" in problems
    assert "Estate row 6, Contract ends: expected a date such as 2028-03-31 or 31/03/2028, " \
           "not 'next spring'" in problems
    assert "Services row 1: missing column 'Service'" in problems
    assert "sheet 'Sites' is missing" in problems
    assert "Estate row 4, Support FTE: must not be negative (got -2.0)" in problems
    assert "Estate row 5, Force: force 'atlantis' is not in the plan" in problems
    assert not (tmp_path / "filled.alliance").exists()


def test_unreadable_workbooks(tmp_path):
    with pytest.raises(WorkbookUnreadable, match="no such file"):
        read_inputs(tmp_path / "missing.xlsx")
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    with pytest.raises(WorkbookUnreadable, match="is not an Excel workbook"):
        read_inputs(text)


def test_sheet_names_are_safe_and_unique():
    taken = {"summary"}
    assert board_pack.sheet_name("A/B:C", taken) == "CF A-B-C"
    long = "X" * 40
    first = board_pack.sheet_name(long, taken)
    second = board_pack.sheet_name(long, taken)
    assert len(first) == len(second) == 31 and first != second


def test_a_fractional_horizon_is_refused_by_row(tmp_path, sample_plans):
    path = tmp_path / "filled.xlsx"
    template.write_template(path, sample_plans["mobile-data"])
    wb = load_workbook(path)
    ws = wb["Assumptions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "horizon_years")
    ws.cell(row, 3).value = 7.5
    wb.save(path)
    with pytest.raises(WorkbookProblems) as info:
        read_inputs(path)
    assert f"Assumptions row {row}, Value (Horizon (years)): expected a whole number, " \
           "not 7.5" in info.value.problems


def test_the_packs_horizon_is_an_input_up_to_its_year_columns(tmp_path, sample_plans):
    """The pack's sheets hold one column a year for the exported horizon: its horizon cell
    stays a yellow input, and Excel refuses a longer horizon with a message naming where to
    make one. The template's horizon has no such limit."""
    from alliance_planner.exchange.cells import INPUT_FILL

    plan = sample_plans["south-west-alliance"]
    board_pack.export(plan, tmp_path / "pack.xlsx", runs=50)
    template.write_template(tmp_path / "template.xlsx", plan)
    for name, in_pack in (("pack.xlsx", True), ("template.xlsx", False)):
        wb = load_workbook(tmp_path / name)
        sheet, ref = next(iter(wb.defined_names["HorizonYears"].destinations))
        cell = wb[sheet][ref.replace("$", "")]
        assert cell.value == plan.horizon_years
        assert cell.fill.fgColor.rgb[2:] == INPUT_FILL.fgColor.rgb[2:], name
        rules = [v for v in wb[sheet].data_validations.dataValidation
                 if cell.coordinate in v.sqref]
        if not in_pack:
            assert not rules
        else:
            (rule,) = rules
            assert (rule.type, rule.operator, rule.formula1, rule.formula2) == (
                "whole", "between", "1", str(plan.horizon_years))
            assert rule.showErrorMessage and "export the board pack again" in rule.error
            assert f"1 to {plan.horizon_years} in this pack" in wb[sheet].cell(
                cell.row, cell.column + 1).value
    assert read_inputs(tmp_path / "pack.xlsx") == plan
