"""The board pack as a spreadsheet sees it: LibreOffice recalculates every formula, and every
figure equals the engine's, to the penny."""

import dataclasses
import math
import os
import shutil

import pytest
from openpyxl import load_workbook

from alliance_planner import samples
from alliance_planner.domain.engine import appraise
from alliance_planner.exchange import board_pack
from alliance_planner.exchange.board_pack import FIRST_YEAR_COLUMN, TOP
from alliance_planner.exchange.libreoffice import convert_many

pytestmark = [
    pytest.mark.slow,
    # CI installs LibreOffice (scripts/setup --test) and must run these; elsewhere they skip.
    pytest.mark.skipif(shutil.which("soffice") is None and os.environ.get("CI") != "true",
                       reason="LibreOffice is not installed (scripts/setup --test installs it)"),
]
PENNY = 0.005


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """Every sample's board pack, exported and recalculated by LibreOffice in one go."""
    folder = tmp_path_factory.mktemp("packs")
    plans, sources = {}, []
    for name in samples.names():
        plans[name] = samples.build(name)
        path = folder / f"{name}.xlsx"
        board_pack.export(plans[name], path)
        sources.append(path)
    # And the south-west pack with the discount rate changed in the workbook, as a board
    # member would change it.
    changed = folder / "changed-rate.xlsx"
    wb = load_workbook(sources[0])
    ws = wb["Assumptions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "discount_rate")
    ws.cell(row, 3).value = 0.06
    wb.save(changed)
    # And with a go-live two years later and a different sharing basis, typed into the
    # Decisions and Assumptions sheets.
    later = folder / "later-go-live.xlsx"
    wb = load_workbook(sources[0])
    decisions = wb["Decisions"]
    headers = [c.value for c in decisions[1]]
    for row in range(2, decisions.max_row + 1):
        if (decisions.cell(row, 1).value, decisions.cell(row, 2).value) == ("MS", "service-desk"):
            decisions.cell(row, headers.index("Go-live") + 1).value = 2029
    ws = wb["Assumptions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "sharing_basis")
    ws.cell(row, 3).value = "population"
    wb.save(later)
    outputs, _ = convert_many([*sources, changed, later], folder / "recalculated")
    books = {name: load_workbook(out, data_only=True)
             for name, out in zip([*plans, "changed-rate", "later-go-live"], outputs,
                                  strict=True)}
    return plans, books


def close(value, expected):
    assert isinstance(value, int | float), value
    assert math.isclose(value, expected, abs_tol=PENNY), (value, expected)


@pytest.mark.parametrize("name", samples.names())
def test_every_figure_equals_the_engines(recalculated, name):
    plans, books = recalculated
    plan, wb = plans[name], books[name]
    r = appraise(plan)
    names = wb.sheetnames
    for o, option in enumerate(plan.options):
        ws = wb[next(n for n in names if n == f"CF {option.code}")]
        close(ws[f"C{TOP['npv']}"].value, r.npv[o])
        close(ws[f"C{TOP['npsv']}"].value, r.npsv[o])
        close(ws[f"C{TOP['pvc']}"].value, r.pv_costs[o])
        close(ws[f"C{TOP['pvb']}"].value, r.pv_benefits[o])
        bcr = ws[f"C{TOP['bcr']}"].value
        if math.isnan(r.bcr[o]):
            assert bcr == "–"
        else:
            assert math.isclose(bcr, r.bcr[o], rel_tol=1e-9)
        payback = ws[f"C{TOP['payback']}"].value
        assert payback == ("never" if r.payback[o] < 0 else int(r.years[r.payback[o]]))
        met = ws[f"C{TOP['target_met']}"].value
        if plan.savings_target is None:
            assert met == "no target"
        else:
            assert met == ("met" if r.target_met[o] else "not met")
        for t in range(plan.horizon_years):
            column = FIRST_YEAR_COLUMN + t
            close(ws.cell(TOP["net"], column).value, r.total_cost[o, t])
            close(ws.cell(TOP["saving"], column).value, r.savings[o, t])
            close(ws.cell(TOP["fte"], column).value, r.support_fte[o, t])
            close(ws.cell(TOP["hours"], column).value, r.officer_hours[o, t])
            close(ws.cell(TOP["non_cashable"], column).value, r.non_cashable[o, t])
    summary = wb["Summary"]
    first = next(row for row in range(1, summary.max_row + 1)
                 if summary.cell(row, 1).value == "Each force's NPV") + 1
    for f in range(len(plan.forces)):
        assert summary.cell(first + f, 1).value == plan.forces[f].name
        for o in range(len(plan.options)):
            close(summary.cell(first + f, 2 + o).value, r.force_npv[o, f])
    npv_row = next(row for row in range(1, 30) if summary.cell(row, 1).value == "NPV (cashable)")
    for o in range(len(plan.options)):
        close(summary.cell(npv_row, 2 + o).value, r.npv[o])


def test_changing_the_discount_rate_in_the_workbook_recalculates_everything(recalculated):
    plans, books = recalculated
    plan = dataclasses.replace(plans["south-west-alliance"], discount_rate=0.06)
    r = appraise(plan)
    wb = books["changed-rate"]
    for o, option in enumerate(plan.options):
        close(wb[f"CF {option.code}"][f"C{TOP['npv']}"].value, r.npv[o])
        close(wb[f"CF {option.code}"][f"C{TOP['npsv']}"].value, r.npsv[o])
    summary = wb["Summary"]
    assert "6.0%" in summary["A3"].value


def test_a_later_go_live_and_another_basis_typed_in_excel_recalculate(recalculated):
    from alliance_planner.domain import edits
    from alliance_planner.domain.model import SharingBasis

    plans, books = recalculated
    plan = plans["south-west-alliance"]
    ms = [o.code for o in plan.options].index("MS")
    decision = plan.options[ms].decision_for("service-desk")
    plan = edits.set_decision(plan, ms, "service-desk",
                              dataclasses.replace(decision, go_live_year=2029))
    plan = plan.replace(sharing_basis=SharingBasis.POPULATION)
    r = appraise(plan)
    wb = books["later-go-live"]
    for o, option in enumerate(plan.options):
        ws = wb[f"CF {option.code}"]
        close(ws[f"C{TOP['npv']}"].value, r.npv[o])
        for t in range(plan.horizon_years):
            close(ws.cell(TOP["net"], FIRST_YEAR_COLUMN + t).value, r.total_cost[o, t])
    summary = wb["Summary"]
    first = next(row for row in range(1, summary.max_row + 1)
                 if summary.cell(row, 1).value == "Each force's NPV") + 1
    for f in range(len(plan.forces)):
        for o in range(len(plan.options)):
            close(summary.cell(first + f, 2 + o).value, r.force_npv[o, f])
