"""The board pack's Affordability sheet: each option's cash by year as the forces' budgets
hold it, beside the appraisal, every figure a formula over the option's cash-flow sheet.

The lines are the domain's (``domain/affordability.py``, docs/method.md): capital
(transition and site closures), capital receipts, revenue (running, staff, buildings, exit
fees and other exit costs, severance, less other savings), net cash, the optimism bias
within them, and against business as usual; then net cash in cash of each year, by the
Deflators sheet. The optimism bias of a decision's line is the line × OB / (1 + OB), with
its rates from the Decision workings, so that it follows a changed rate or amount.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.model import Plan, financial_year_label
from .cached import cache
from .cells import (
    POUNDS,
    TITLE_FONT,
    WRAP,
    literal,
    print_setup,
    put_formula,
    put_text,
    style_header,
    year_label,
)
from .workings import deflator_formula

SHEET = "Affordability"
FACTOR = "0.0000"
LINES = ("Capital", "Capital receipts", "Revenue", "Net cash", "of which optimism bias",
         "Revenue against business as usual", "Net cash against business as usual",
         "Cumulative against business as usual", "Net cash, in cash of each year",
         "Net cash against business as usual, in cash of each year")
"""An option's rows, in order: the first eight are the domain's statement's, real terms."""


@dataclass(frozen=True)
class Biased:
    """Where a decision's lines that carry optimism bias are on its option's sheet, and
    the cells of its two rates."""

    transition_row: int
    running_row: int
    one_off_rate: str
    running_rate: str


@dataclass(frozen=True)
class Flow:
    """An option's cash-flow sheet, as this sheet refers to it."""

    name: str
    sheet: str
    biased: Sequence[Biased]


def write(ws: Worksheet, plan: Plan, flows: Sequence[Flow], baseline: int, first: int,
          top: dict[str, int], col: Callable[[int], str]) -> dict[tuple[int, str], int]:
    """Fill ``ws``; ``top`` names the cash-flow sheets' fixed rows, ``col(t)`` the column of
    year t there and here. Returns each (option, line)'s row, for tests and the Summary."""
    n_t = plan.horizon_years
    total_col = get_column_letter(first + n_t)
    put_text(ws["A1"], "Affordability: what each option costs the forces' budgets").font = \
        TITLE_FONT
    note = (" prices unless a line says cash. The appraisal's cash regrouped as budgets hold "
            "it: capital is transition and site closure costs; revenue is running costs, "
            "support staff, buildings, exit fees and severance, less other savings; both "
            "include optimism bias, shown on its own line. Residual values and officer hours "
            "are not cash and are left out. Every figure is a formula over the option's "
            "cash-flow sheet.")
    put_formula(ws["A2"], f'="£, real terms at "&{year_label(0)}&' + literal(note))
    cache(ws["A2"], f"£, real terms at {financial_year_label(plan.base_year)}{note}")
    ws["A2"].alignment = WRAP
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=first + n_t)
    ws.row_dimensions[2].height = 45
    header, factor_row = 4, 5
    style_header(put_text(ws.cell(header, 1), "Line"))
    for t in range(n_t):
        cell = ws.cell(header, first + t)
        put_formula(cell, f'=IF({t}<HorizonYears,{year_label(t)},"")')  # blank past it
        style_header(cell)
    style_header(put_text(ws[f"{total_col}{header}"], "Total"))
    put_text(ws.cell(factor_row, 1), "Cash of the year per £ of base-year prices")
    for t in range(n_t):
        put_formula(ws.cell(factor_row, first + t),
                    f"=IF(COUNT(DeflatorYears)=0,1,{deflator_formula(f'(BaseYear+{t})')}"
                    "/BaseDeflator)", FACTOR)
    rows: dict[tuple[int, str], int] = {}
    row = factor_row + 2
    for o, flow in enumerate(flows):
        put_text(ws.cell(row, 1), flow.name + (" (business as usual)" if o == baseline
                                               else "")).font = TITLE_FONT
        row += 1
        for line in LINES:
            rows[(o, line)] = row
            row += 1
        row += 1
    for o in range(len(flows)):
        _option(ws, flows, o, baseline, rows, top, col, factor_row, n_t, total_col)
    ws.column_dimensions["A"].width = 52
    for t in range(n_t + 1):
        ws.column_dimensions[get_column_letter(first + t)].width = 16
    ws.freeze_panes = ws.cell(header + 1, first)
    print_setup(ws)
    ws.print_title_rows = f"{header}:{header}"
    return rows


def _option(ws: Worksheet, flows: Sequence[Flow], o: int, baseline: int,
            rows: dict[tuple[int, str], int], top: dict[str, int],
            col: Callable[[int], str], factor_row: int, n_t: int, total_col: str) -> None:
    flow = flows[o]
    cf = quote_sheetname(flow.sheet)

    def at(line: str, c: str, option: int = o) -> str:
        return f"{c}{rows[(option, line)]}"

    def on_flow(c: str, *keys: str) -> list[str]:
        return [f"{cf}!{c}{top[k]}" for k in keys]

    def bias(c: str) -> str:
        terms = [f"{cf}!{c}{b.transition_row}*{b.one_off_rate}/(1+{b.one_off_rate})"
                 f"+{cf}!{c}{b.running_row}*{b.running_rate}/(1+{b.running_rate})"
                 for b in flow.biased]
        return "=" + ("+".join(terms) if terms else "0")

    formulas: dict[str, Callable[[str], str]] = {
        "Capital": lambda c: "=" + "+".join(on_flow(c, "transition", "closure")),
        "Capital receipts": lambda c: "=" + on_flow(c, "receipts")[0],
        "Revenue": lambda c: "=" + "+".join(on_flow(
            c, "running", "staff", "buildings", "exit_fees", "other_exit", "severance"))
        + "-" + on_flow(c, "other")[0],
        "Net cash": lambda c: f"={at('Capital', c)}-{at('Capital receipts', c)}"
                              f"+{at('Revenue', c)}",
        "of which optimism bias": bias,
        "Revenue against business as usual":
            lambda c: f"={at('Revenue', c)}-{at('Revenue', c, baseline)}",
        "Net cash against business as usual":
            lambda c: f"={at('Net cash', c)}-{at('Net cash', c, baseline)}",
        "Cumulative against business as usual":
            lambda c: f"=SUM(${col(0)}{rows[(o, 'Net cash against business as usual')]}"
                      f":{c}{rows[(o, 'Net cash against business as usual')]})",
        "Net cash, in cash of each year":
            lambda c: f"={at('Net cash', c)}*{c}${factor_row}",
        "Net cash against business as usual, in cash of each year":
            lambda c: f"={at('Net cash against business as usual', c)}*{c}${factor_row}",
    }
    for line in LINES:
        r = rows[(o, line)]
        put_text(ws.cell(r, 1), line)
        for t in range(n_t):
            put_formula(ws[f"{col(t)}{r}"], formulas[line](col(t)), POUNDS)
        if line != "Cumulative against business as usual":
            put_formula(ws[f"{total_col}{r}"], f"=SUM({col(0)}{r}:{col(n_t - 1)}{r})", POUNDS)
