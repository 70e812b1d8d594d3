"""The board pack's Sensitivity and risk sheet: the preferred option's tornado and switching
values, and the Monte Carlo percentiles of every option and of each force.

These figures are the program's, not the workbook's: a tornado bar or a percentile is not a
formula over the input cells (10,000 draws are no spreadsheet's work), so the sheet holds
them as values, from the same data as ``alliance-planner sensitivity --json`` and ``risk
--json``. What ties them to the live workbook is a check: each option's NPSV as computed
here beside the Summary's live NPSV, so that a reviewer who changes an input in Excel sees
at once that this sheet is out of date.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from openpyxl.chart import BarChart, Reference, Series
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..domain.model import Plan
from ..domain.progress import IsCancelled, never
from ..domain.risk import DEFAULT_CORRELATION, DEFAULT_RUNS, DEFAULT_SEED, simulate
from ..domain.risk_summary import risk_json, sensitivity_json
from ..domain.sensitivity import TOP, sensitivity
from ..domain.uncertainty import linearise
from .cached import cache
from .cells import (
    MONEY,
    MONEY_M,
    PERCENT,
    POUNDS,
    TITLE_FONT,
    WRAP,
    print_setup,
    put_formula,
    put_number,
    put_text,
    style_header,
)

SHEET: Final = "Sensitivity and risk"
WIDTH: Final = 12
"""Columns the sheet uses: A (labels) and eleven of figures."""
CM_PER_ROW: Final = 0.53  # a default row, 15 points
INDENT: Final = Alignment(indent=2)
OUT_OF_DATE: Final = PatternFill("solid", fgColor="F4B6B6")
_UNIT_FORMAT: Final = {"×": '0.00"×"', "%": "0.0%", "£": MONEY}


@dataclass(frozen=True)
class Figures:
    """What the sheet shows: the two commands' JSON for the same plan."""

    sensitivity: dict[str, Any]
    risk: dict[str, Any]


def figures(plan: Plan, *, runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED,
            correlation: float = DEFAULT_CORRELATION, cancelled: IsCancelled = never
            ) -> Figures:
    """The tornadoes, switching values and ``runs`` draws, the linear model made once;
    ``cancelled`` is asked between the steps and between chunks of draws."""
    lin = linearise(plan)
    return Figures(sensitivity_json(plan, sensitivity(plan, linear=lin, cancelled=cancelled)),
                   risk_json(plan, simulate(plan, runs, seed, correlation=correlation,
                                            linear=lin, cancelled=cancelled)))


def write(ws: Worksheet, plan: Plan, found: Figures, live_npsv: Mapping[str, str]) -> None:
    """The sheet; ``live_npsv``: each option's code -> the Summary's cell of its NPSV."""
    s, r = found.sensitivity, found.risk
    options = [o for o in r["options"] if not o["is_baseline"]]
    preferred = next(o for o in r["options"] if o["is_preferred"])
    put_text(ws["A1"], f"Sensitivity and risk: {plan.name}").font = TITLE_FONT
    row = _note(ws, 2, _method(r))
    if r["note"]:
        row = _note(ws, row, f"Note: {r['note']}.")
    row = _check(ws, row + 1, options, live_npsv)
    row = _tornado(ws, row + 1, s, preferred)
    row = _switching(ws, row + 1, s, preferred["name"])
    row = _percentiles(ws, row + 1, r, options, preferred["name"])
    _forces(ws, row + 1, plan, preferred)
    ws.column_dimensions["A"].width = 58
    for c in range(2, WIDTH + 1):
        ws.column_dimensions[get_column_letter(c)].width = 14
    print_setup(ws)
    ws.sheet_properties.tabColor = "7F6000"


def _method(r: dict[str, Any]) -> str:
    return (f"Computed by Alliance Planner {__version__} when this pack was exported, from the "
            "ranges on the Decisions sheet (each decision's cost and benefit low and high ×, "
            "and the Green Book range of its optimism bias category): these are values, not "
            "formulas, and do not recalculate. Monte Carlo: "
            f"{r['runs']:,} draws, seed {r['seed']}, the costs of decisions on one platform "
            f"rank-correlated {r['rank_correlation_within_platform']:g}; "
            f"{r['sampling']}; {r['ranged_inputs']} ranged inputs. The commands "
            "'alliance-planner sensitivity' and 'alliance-planner risk --runs "
            f"{r['runs']} --seed {r['seed']} --correlation "
            f"{r['rank_correlation_within_platform']:g}' give the same figures; "
            "Alliance Planner's Help › Method (F1) states the method.")


def _note(ws: Worksheet, row: int, text: str) -> int:
    """A paragraph across the sheet's width; returns the next row."""
    put_text(ws.cell(row, 1), text).alignment = WRAP
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=WIDTH)
    ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(text) / 190))
    return row + 1


def _heading(ws: Worksheet, row: int, text: str) -> int:
    put_text(ws.cell(row, 1), text).font = Font(bold=True, size=12)
    return row + 1


def _header(ws: Worksheet, row: int, labels: tuple[str, ...]) -> int:
    for c, label in enumerate(labels, start=1):
        style_header(put_text(ws.cell(row, c), label))
    ws.row_dimensions[row].height = 32
    return row + 1


def _check(ws: Worksheet, row: int, options: list[dict[str, Any]],
           live_npsv: Mapping[str, str]) -> int:
    """Each option's NPSV here beside the Summary's live one: 0.00 while the inputs are as
    exported, and a status line that says so."""
    status = row
    put_text(ws.cell(row, 1), "Are these figures up to date?").font = Font(bold=True)
    row = _header(ws, row + 1, ("Option", "NPSV as computed here", "NPSV on the Summary "
                                "(live)", "Difference"))
    first = row
    for o in options:
        put_text(ws.cell(row, 1), o["name"])
        put_number(ws.cell(row, 2), o["central_npsv"], MONEY)
        # Cached as exported, when the Summary's NPSV is the one computed here.
        cache(put_formula(ws.cell(row, 3), f"={live_npsv[o['code']]}", MONEY),
              o["central_npsv"])
        cache(put_formula(ws.cell(row, 4), f"=ROUND(C{row}-B{row},2)", "0.00"), 0.0)
        row += 1
    differ = f"SUMPRODUCT(ABS($D${first}:$D${max(first, row - 1)}))>=0.005"
    up_to_date = ("Yes: the Summary's NPSV of every option is as computed here (the "
                  "differences are 0.00).")
    put_formula(ws.cell(status, 2),
                f'=IF({differ},"No: an input has changed since these figures were computed. '
                f'Export the board pack again for figures that match.","'
                f'{up_to_date}")')
    cache(ws.cell(status, 2), up_to_date)
    ws.cell(status, 2).font = Font(bold=True)
    ws.conditional_formatting.add(f"B{status}", FormulaRule(formula=[differ], fill=OUT_OF_DATE))
    return row


def _tornado(ws: Worksheet, row: int, s: dict[str, Any], preferred: dict[str, Any]) -> int:
    """The preferred option's tornado: a table, and a bar chart of its largest bars above."""
    code, name = preferred["code"], preferred["name"]
    central = s["npsv"][code]
    bars = s["tornado"].get(code, {"bars": []})["bars"]  # none for a lone baseline
    row = _heading(ws, row, f"Tornado: {name}")
    put_text(ws.cell(row, 1), "NPSV with each input at the low and the high end of its "
             "range, the others at their most likely values, largest swing first; a bar "
             "that says 'together' swings every range of that kind at once.")
    put_text(ws.cell(row + 1, 1), "Central NPSV (every input at its most likely value)")
    put_number(ws.cell(row + 1, 2), central, MONEY)
    row += 2
    if not bars:
        put_text(ws.cell(row, 1), "No ranged input moves its NPSV.")
        return row + 1
    shown = min(len(bars), TOP)
    height = 2.5 + 0.75 * shown  # cm: a bar and its gap at a readable size
    chart_row = row
    row += math.ceil(height / CM_PER_ROW) + 1
    row = _header(ws, row, ("Input", "Low", "High", "NPSV at low", "NPSV at high", "Swing",
                            "Low end less central", "High end less central"))
    first = row
    for b in bars:
        put_text(ws.cell(row, 1), b["input"])
        if b["unit"] == "range":
            put_text(ws.cell(row, 2), "each low")
            put_text(ws.cell(row, 3), "each high")
        else:
            put_number(ws.cell(row, 2), b["low"], _UNIT_FORMAT[b["unit"]])
            put_number(ws.cell(row, 3), b["high"], _UNIT_FORMAT[b["unit"]])
        for c, value in enumerate((b["npsv_low"], b["npsv_high"], b["swing"],
                                   b["npsv_low"] - central, b["npsv_high"] - central), start=4):
            put_number(ws.cell(row, c), value, POUNDS)
        row += 1
    for c in (2, 3):
        for rr in range(first, row):
            ws.cell(rr, c).alignment = Alignment(horizontal="right")
    ws.add_chart(_tornado_chart(ws, first, first + shown - 1, name, central, height),
                 f"A{chart_row}")
    if len(bars) > shown:
        put_text(ws.cell(row, 1), f"The chart shows the {shown} largest of {len(bars)}.")
        row += 1
    return row


def _tornado_chart(ws: Worksheet, first: int, last: int, name: str, central: float,
                   height: float) -> BarChart:
    """Horizontal bars either side of the central NPSV, largest at the top."""
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.overlap = 100
    chart.gapWidth = 40
    chart.title = _title(f"{name}: NPSV against its central £{central / 1e6:,.2f}m")
    chart.height, chart.width = height, 30
    for column, title, colour in ((7, "Input at the low end of its range", "C55A11"),
                                  (8, "Input at the high end of its range", "2E75B6")):
        series = Series(Reference(ws, min_col=column, min_row=first, max_row=last), title=title)
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.noFill = True
        chart.series.append(series)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.scaling.orientation = "maxMin"  # the largest bar at the top
    chart.x_axis.tickLblPos = "low"  # the labels at the left, clear of the bars
    chart.y_axis.crosses = "max"  # the value axis below the bars, not above
    chart.y_axis.number_format = MONEY_M
    chart.y_axis.title = "Change in NPSV from the central estimate"
    chart.legend.position = "b"
    return chart


def _title(text: str) -> Title:
    """A chart title at 12 points: the default is as large as the sheet's own title."""
    font = CharacterProperties(sz=1200, b=True)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=font),
                          r=[RegularTextRun(rPr=font, t=text)])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _switching(ws: Worksheet, row: int, s: dict[str, Any], name: str) -> int:
    switches = s["switching_values"]
    row = _heading(ws, row, f"Switching values: {name}")
    against = s["next_best"]
    rival = f"draws level with the next best option ({against}) or " if against else ""
    put_text(ws.cell(row, 1), f"The value of each key input at which {name} {rival}its NPSV "
             "falls to zero, the input that need move least first.")
    row = _header(ws, row + 1, ("Input", "Test", "Current value", "Switching value",
                                "Change from current"))
    for w in switches:
        fmt = _UNIT_FORMAT[w["unit"]]
        put_text(ws.cell(row, 1), w["input"])
        put_text(ws.cell(row, 2), w["test"])
        put_number(ws.cell(row, 3), w["current"], fmt)
        if w["switching_value"] is None:
            low, high = w["searched"]
            put_text(ws.cell(row, 4), "none").alignment = Alignment(horizontal="right")
            put_text(ws.cell(row, 5), f"(searched {_show(low, w['unit'])} to "
                                      f"{_show(high, w['unit'])})").alignment = INDENT
        else:
            put_number(ws.cell(row, 4), w["switching_value"], fmt)
            if w["current"]:
                put_number(ws.cell(row, 5), w["switching_value"] / w["current"] - 1, "+0%;-0%")
        row += 1
    return row


def _show(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.0%}"
    return f"£{value:,.0f}" if unit == "£" else f"{value:g}×"


P_LABELS: Final = ("P10", "P50", "P90")


def _percentiles(ws: Worksheet, row: int, r: dict[str, Any], options: list[dict[str, Any]],
                 name: str) -> int:
    """P10, P50 and P90 of each option's NPV and NPSV, and the chance of each outcome."""
    row = _heading(ws, row, "Monte Carlo: each option against the baseline")
    row = _header(ws, row, ("Option", "NPV central", *(f"NPV {p}" for p in P_LABELS),
                            "NPSV central", *(f"NPSV {p}" for p in P_LABELS), "P(NPV > 0)",
                            "P(savings target met)", "P(preferred beats it)"))
    for o in options:
        put_text(ws.cell(row, 1), o["name"] + (" (preferred)" if o["is_preferred"] else ""))
        for c, value in enumerate((o["central_npv"], *_ps(o["npv"]), o["central_npsv"],
                                   *_ps(o["npsv"])), start=2):
            put_number(ws.cell(row, c), value, POUNDS)
        put_number(ws.cell(row, 10), o["p_npv_positive"], PERCENT)
        for c, value, none in ((11, o["p_savings_target_met"], "no target"),
                               (12, o["p_preferred_beats"], "–")):
            if value is None:
                put_text(ws.cell(row, c), none).alignment = Alignment(horizontal="right")
            else:
                put_number(ws.cell(row, c), value, PERCENT)
        row += 1
    return _note(ws, row, "Central: every input at its most likely value, as on the "
                 "Summary. P10: nine draws in ten do better; P90: one in ten does. With skewed "
                 "ranges the P50 sits below the central estimate. P(preferred beats it): the "
                 f"share of draws in which the NPSV of {name} is higher.")


def _ps(figures: dict[str, float]) -> tuple[float, ...]:
    return tuple(figures[p.lower()] for p in P_LABELS)


def _forces(ws: Worksheet, row: int, plan: Plan, preferred: dict[str, Any]) -> int:
    row = _heading(ws, row, f"Monte Carlo: each force's share of {preferred['name']}")
    row = _header(ws, row, ("Force", *(f"NPV {p}" for p in P_LABELS),
                            *(f"NPSV {p}" for p in P_LABELS)))
    for force in plan.forces:
        found = preferred["forces"][force.code]
        put_text(ws.cell(row, 1), force.name)
        for c, value in enumerate((*_ps(found["npv"]), *_ps(found["npsv"])), start=2):
            put_number(ws.cell(row, c), value, POUNDS)
        row += 1
    return row
