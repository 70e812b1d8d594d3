"""The board pack's Sensitivity and risk sheet, read back with openpyxl: its figures are the
domain's for the same seed, its check cells point at the Summary's live NPSV, and a plan
with no ranges exports with a note. (LibreOffice's recalculation of the check is in
tests/e2e/test_recalc.py.)"""

from __future__ import annotations

import dataclasses
import math

import pytest
from openpyxl import load_workbook

from alliance_planner import cli, samples
from alliance_planner.domain.green_book import OBCategory
from alliance_planner.domain.risk import simulate
from alliance_planner.domain.sensitivity import TOP, sensitivity
from alliance_planner.exchange import board_pack, risk_sheet
from alliance_planner.exchange.board_pack import TOP as TOP_ROWS

RUNS, SEED = 2_000, 7


def rows_under(ws, header: tuple[str, ...], start: int = 1) -> tuple[int, list[list]]:
    """The row of the first header that begins with `header` (from `start`), and the rows
    of values below it, up to the first with column A or B blank (a note, or a gap)."""
    for r in range(start, ws.max_row + 1):
        if tuple(ws.cell(r, c).value for c in range(1, len(header) + 1)) == header:
            found, rr = [], r + 1
            while ws.cell(rr, 1).value not in (None, "") and ws.cell(rr, 2).value is not None:
                found.append([ws.cell(rr, c).value for c in range(1, 13)])
                rr += 1
            return r, found
    raise AssertionError(f"no header {header} on {ws.title}")


def close(value, expected, tol=1e-6):
    assert isinstance(value, int | float), value
    assert math.isclose(value, expected, rel_tol=1e-12, abs_tol=tol), (value, expected)


@pytest.fixture(scope="module")
def south_west(tmp_path_factory):
    plan = samples.build("south-west-alliance")
    path = tmp_path_factory.mktemp("pack") / "pack.xlsx"
    board_pack.export(plan, path, runs=RUNS, seed=SEED)
    return plan, load_workbook(path)


def test_the_tornado_is_the_domains_with_a_bar_chart_of_the_largest(south_west):
    plan, wb = south_west
    ws = wb[risk_sheet.SHEET]
    assert wb.sheetnames.index(risk_sheet.SHEET) == 2  # after Summary and Charts
    s = sensitivity(plan)
    code = s.option_codes[s.preferred]
    bars = s.tornado[code]
    _, table = rows_under(ws, ("Input", "Low", "High", "NPSV at low"))
    assert [row[0] for row in table] == [b.label for b in bars]
    central = float(s.npsv[s.preferred])
    for row, b in zip(table, bars, strict=True):
        if b.unit == "range":
            assert row[1:3] == ["each low", "each high"]
        else:
            close(row[1], b.low)
            close(row[2], b.high)
        for value, expected in zip(row[3:8], (b.npsv_low, b.npsv_high, b.swing,
                                              b.npsv_low - central, b.npsv_high - central),
                                   strict=True):
            close(value, expected)
    (chart,) = ws._charts
    assert chart.type == "bar" and len(chart.series) == 2
    first = rows_under(ws, ("Input", "Low", "High", "NPSV at low"))[0] + 1
    last = first + min(TOP, len(bars)) - 1
    assert [x.val.numRef.f for x in chart.series] == [
        f"'{risk_sheet.SHEET}'!${c}${first}:${c}${last}" for c in "GH"]


def test_switching_values_are_the_domains(south_west):
    plan, wb = south_west
    s = sensitivity(plan)
    _, table = rows_under(wb[risk_sheet.SHEET], ("Input", "Test", "Current value"))
    assert len(table) == len(s.switching)
    for row, w in zip(table, s.switching, strict=True):
        assert row[0] == w.label
        assert row[1] == (f"level with {w.against}" if w.against else "NPSV zero")
        close(row[2], w.current)
        if w.value is None:
            assert row[3] == "none" and row[4].startswith("(searched ")
        else:
            close(row[3], w.value)


def test_percentiles_are_the_domains_for_the_same_seed(south_west):
    plan, wb = south_west
    ws = wb[risk_sheet.SHEET]
    sim = simulate(plan, RUNS, SEED)
    npv, npsv = sim.percentiles(sim.npv), sim.percentiles(sim.npsv)
    _, table = rows_under(ws, ("Option", "NPV central", "NPV P10"))
    shown = [o for o in range(len(plan.options)) if o != sim.baseline]
    assert len(table) == len(shown)
    for row, o in zip(table, shown, strict=True):
        assert row[0].startswith(plan.options[o].name)
        assert row[0].endswith("(preferred)") == (o == sim.preferred)
        for value, expected in zip(row[1:9], (sim.central_npv[o], *npv[:, o],
                                              sim.central_npsv[o], *npsv[:, o]), strict=True):
            close(value, expected)
        close(row[9], sim.p_npv_positive[o])
        assert row[10] == "no target" if sim.target_met is None else \
            math.isclose(row[10], sim.target_met[o])
        if o == sim.preferred:
            assert row[11] == "–"
        else:
            close(row[11], sim.p_beats[o])
    f_npv, f_npsv = sim.percentiles(sim.force_npv), sim.percentiles(sim.force_npsv)
    _, forces = rows_under(ws, ("Force", "NPV P10"))
    assert [row[0] for row in forces] == [f.name for f in plan.forces]
    for f, row in enumerate(forces):
        for value, expected in zip(row[1:7], (*f_npv[:, sim.preferred, f],
                                              *f_npsv[:, sim.preferred, f]), strict=True):
            close(value, expected)
    assert f"{RUNS:,} draws, seed {SEED}" in ws["A2"].value


def test_each_check_points_at_the_summarys_live_npsv(south_west):
    plan, wb = south_west
    ws, summary = wb[risk_sheet.SHEET], wb["Summary"]
    header, table = rows_under(ws, ("Option", "NPSV as computed here"))
    names = [o.name for o in plan.options]
    for i, row in enumerate(table):
        o = names.index(row[0])
        cell = row[2].removeprefix("=Summary!").replace("$", "")
        assert summary[cell].value == f"='CF {plan.options[o].code}'!$C${TOP_ROWS['npsv']}"
        assert summary.cell(summary[cell].row, 1).value.startswith("NPSV")
        assert row[3] == f"=ROUND(C{header + 1 + i}-B{header + 1 + i},2)"
    assert ws.conditional_formatting  # the status turns red when out of date


def no_ranges(plan):
    """Every range of the plan at 1x to 1x, and every optimism bias stated."""
    return plan.replace(options=tuple(dataclasses.replace(o, decisions=tuple(
        dataclasses.replace(d, cost_low=1.0, cost_high=1.0, benefit_low=1.0, benefit_high=1.0,
                            ob_category=OBCategory.STATED,
                            running_ob_category=OBCategory.STATED)
        for d in o.decisions)) for o in plan.options))


def test_a_plan_with_no_ranged_inputs_exports_with_the_note(tmp_path, example_plan):
    path = tmp_path / "pack.xlsx"
    board_pack.export(no_ranges(example_plan), path, runs=100)
    ws = load_workbook(path)[risk_sheet.SHEET]
    text = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    assert any(t and t.startswith("Note: the plan has no ranged inputs") for t in text)
    assert "No ranged input moves its NPSV." in text
    assert not ws._charts
    _, table = rows_under(ws, ("Option", "NPV central", "NPV P10"))
    for row in table:  # every percentile is the central figure
        assert row[2] == row[3] == row[4] == pytest.approx(row[1])


def test_export_takes_runs_and_seed_on_the_command_line(tmp_path, plan_file, capsys):
    out = tmp_path / "pack.xlsx"
    assert cli.main(["export", str(plan_file), "-o", str(out), "--runs", "300",
                     "--seed", "5"]) == 0
    assert "300 draws, seed 5" in load_workbook(out)[risk_sheet.SHEET]["A2"].value
    assert cli.main(["export", str(plan_file), "-o", str(out), "--runs", "0"]) == 2
    assert "--runs: must be from 1" in capsys.readouterr().err


def test_building_the_pack_hears_cancel_while_its_risk_figures_are_worked_out():
    from alliance_planner.domain.progress import Cancelled
    from alliance_planner.exchange.board_pack import build

    asked = []

    def cancelled():
        asked.append(1)
        return True

    with pytest.raises(Cancelled):
        build(samples.build("mobile-data"), cancelled=cancelled)
    assert asked


def test_every_page_carries_the_marking_the_plan_the_version_and_its_number(tmp_path):
    from alliance_planner.exchange.board_pack import WORKINGS, export

    plan = samples.build("mobile-data").replace(marking="OFFICIAL-SENSITIVE",
                                                 name="R&D plan")
    path = tmp_path / "pack.xlsx"
    export(plan, path, runs=100, version="Board, March")
    wb = load_workbook(path)
    for ws in wb.worksheets:
        assert ws.oddHeader.center.text == "OFFICIAL-SENSITIVE"
        assert ws.oddFooter.center.text == "OFFICIAL-SENSITIVE"
        assert ws.oddFooter.right.text == "Page &P of &N"
        assert ws.oddFooter.left.text.startswith("R&&D plan · version: Board, March · ")
        assert ws.sheet_state == ("hidden" if ws.title in WORKINGS else "visible")


def test_each_option_keeps_its_colour_and_its_name_stays_text_in_every_chart(tmp_path):
    from alliance_planner.charts import option_colour
    from alliance_planner.exchange.board_pack import export

    plan = samples.build("south-west-alliance")
    plan = plan.replace(options=tuple(dataclasses.replace(o, name="=SUM(A1)")
                                      if o.code == "DM" else o for o in plan.options))
    export(plan, tmp_path / "pack.xlsx", runs=100)
    wb = load_workbook(tmp_path / "pack.xlsx")
    colours = {}
    for chart in wb["Charts"]._charts:
        assert chart.x_axis.tickLblPos == "low"
        for series in chart.series:
            name = series.tx.v
            fill = series.graphicalProperties.line.solidFill
            rgb = fill.srgbClr
            colour = (rgb if isinstance(rgb, str) else rgb.val).upper()
            colours.setdefault(name, set()).add(colour)
    assert "=SUM(A1)" in colours
    for o, option in enumerate(plan.options):
        if option.name in colours:
            assert colours[option.name] == {option_colour(o).lstrip("#").upper()}
