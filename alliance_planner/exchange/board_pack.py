"""The board pack: a workbook a board can read, audit and recalculate.

Every figure is a formula over the input cells (the named ranges on Assumptions, the
Estate and Decisions sheets), laid out as docs/method.md states it, so that a board member
who changes the discount rate, a go-live year, an optimism bias, the sharing basis or a
contract price sees the whole pack recalculate. Only site costs are written as computed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..domain.engine import Results, appraise
from ..domain.headlines import HEADLINES, Unit
from ..domain.model import Mode, Plan, financial_year_label
from .cells import (
    MONEY_M,
    NUMBER,
    POUNDS,
    RATIO,
    TITLE_FONT,
    WRAP,
    print_setup,
    put_formula,
    put_number,
    put_text,
    save_workbook,
    style_header,
)
from .inputs import TABLES, Layout, write_inputs

FIRST_YEAR_COLUMN = 3  # C
TOP = {  # the fixed rows of every cash-flow sheet: the baseline's are referred to by row
    "header": 4, "t": 5, "df": 6,
    "running": 8, "fte": 9, "staff": 10, "one_off": 11, "buildings": 12, "other": 13,
    "receipts": 14, "net": 15, "baseline_net": 16, "saving": 17, "cumulative": 18,
    "hours": 19, "officer_fte": 20, "non_cashable": 21,
    "d_running": 23, "d_staff": 24, "d_buildings": 25, "d_one_off": 26, "d_other": 27,
    "d_receipts": 28, "d_non_cashable": 29, "stays_positive": 30, "target_reached": 31,
    "npv": 33, "npsv": 34, "pvc": 35, "pvb": 36, "bcr": 37, "payback": 38, "payback_label": 39,
    "target_year": 40, "target_met": 41,
    "details": 44,
}
DELTAS = ("d_running", "d_staff", "d_buildings", "d_one_off", "d_other", "d_receipts",
          "d_non_cashable")


@dataclass
class OptionSheet:
    name: str
    decision_net: dict[str, int]  # service code -> row of the decision's net cost


def sheet_name(code: str, taken: set[str]) -> str:
    """'CF <code>', made safe for Excel (no []:*?/\\, at most 31 characters) and unique."""
    base = "CF " + re.sub(r"[\[\]:*?/\\']", "-", code)
    name = base[:31]
    n = 2
    while name.lower() in taken:
        suffix = f" {n}"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name.lower())
    return name


def export(plan: Plan, path: str | Path, results: Results | None = None) -> None:
    """Write the board pack for `plan` to `path` (an .xlsx)."""
    save_workbook(build(plan, results), path)


def build(plan: Plan, results: Results | None = None) -> Workbook:
    r = results if results is not None else appraise(plan)
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    charts = wb.create_sheet("Charts")
    taken = {"summary", "charts", "shares", "assumptions",
             *(t.sheet.lower() for t in TABLES.values())}
    names = [sheet_name(o.code, taken) for o in plan.options]
    flows = [wb.create_sheet(n) for n in names]
    shares = wb.create_sheet("Shares")
    layout = write_inputs(wb, plan)
    switch_off = SwitchOff(wb.create_sheet("Switch-off years"), plan, layout)
    baseline = names[r.baseline]
    sheets = [_cash_flows(ws, plan, r, o, layout, baseline, switch_off)
              for o, ws in enumerate(flows)]
    force_npv = _shares(shares, plan, r, sheets, layout, baseline, switch_off)
    first_force_row = _summary(summary, plan, r, names, force_npv)
    _charts(charts, plan, r, names, summary, first_force_row)
    wb.calculation.fullCalcOnLoad = True
    wb.properties.creator = f"Alliance Planner {__version__}"
    wb.properties.title = plan.name
    return wb


class SwitchOff:
    """When each option moves each estate item off its force's own platform.

    One row an estate item (in the Estate sheet's order), one column an option: the go-live
    year of the decision that converges it (a formula on the Decisions sheet's cell), or
    9999 where the option keeps it. The cash flows sum the Estate sheet over this.
    """

    NEVER = 9999

    def __init__(self, ws: Worksheet, plan: Plan, layout: Layout):
        self.ws = ws
        self.count = len(plan.estate)
        put_text(ws["A1"], "Force")
        put_text(ws["B1"], "Service")
        style_header(ws["A1"])
        style_header(ws["B1"])
        for o, option in enumerate(plan.options):
            cell = ws.cell(1, 3 + o)
            put_text(cell, f"{option.code}: leaves own platform from")
            style_header(cell)
            ws.column_dimensions[get_column_letter(3 + o)].width = 16
        for i, e in enumerate(plan.estate):
            row = 2 + i
            put_text(ws.cell(row, 1), e.force)
            put_text(ws.cell(row, 2), e.service)
            for o, option in enumerate(plan.options):
                d = option.decision_for(e.service)
                converges = (d is not None and d.mode is Mode.CONVERGE and d.makes_change
                             and d.go_live_year is not None
                             and (not d.forces or e.force in d.forces))
                cell = ws.cell(row, 3 + o)
                if converges:
                    go = layout.ref("decisions", ("decisions", option.code, e.service),
                                    "go_live_year")
                    put_formula(cell, f"={go}", "0")
                else:
                    put_number(cell, self.NEVER, "0")
        self.estate_sheet = quote_sheetname(TABLES["estate"].sheet)
        self.columns = {attr: layout.columns[("estate", attr)]
                        for attr in ("annual_running_cost", "support_fte", "force")}
        ws.column_dimensions["A"].width = 22
        ws.column_dimensions["B"].width = 22
        ws.freeze_panes = "C2"
        print_setup(ws)

    def estate_ranges(self):
        """(running, FTE, force code ranges on the Estate sheet, option -> switch-off range)."""
        if not self.count:
            return None
        last = 1 + self.count

        def column(attr: str) -> str:
            c = self.columns[attr]
            return f"{self.estate_sheet}!${c}$2:${c}${last}"

        name = quote_sheetname(self.ws.title)

        def off(o: int) -> str:
            c = get_column_letter(3 + o)
            return f"{name}!${c}$2:${c}${last}"

        return (column("annual_running_cost"), column("support_fte"), column("force"), off)


def _col(t: int) -> str:
    return get_column_letter(FIRST_YEAR_COLUMN + t)


def _span(row: int, n_t: int, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    return f"{d}{_col(0)}{d}{row}:{d}{_col(n_t - 1)}{d}{row}"


def _cash_flows(ws: Worksheet, plan: Plan, r: Results, o: int, layout: Layout,
                baseline: str, switch_off: SwitchOff) -> OptionSheet:
    option = plan.options[o]
    n_t = plan.horizon_years
    base = quote_sheetname(baseline)
    put_text(ws["A1"], f"Cash flows: {option.name}").font = TITLE_FONT
    put_text(ws["A2"], f"£, real terms at {financial_year_label(plan.base_year)} prices. "
             "Inputs are the yellow cells on the Assumptions, Estate and Decisions sheets "
             "(go-live years included); every figure here is a formula over them, except "
             "sites, which are written as computed.")
    ws["A2"].alignment = WRAP
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=FIRST_YEAR_COLUMN + n_t)
    ws.row_dimensions[2].height = 30
    total_col = get_column_letter(FIRST_YEAR_COLUMN + n_t)
    for c, text in ((1, "Line"), (2, "Detail")):
        style_header(ws.cell(TOP["header"], c))
        put_text(ws.cell(TOP["header"], c), text)
    for t in range(n_t):
        cell = ws.cell(TOP["header"], FIRST_YEAR_COLUMN + t)
        put_text(cell, financial_year_label(plan.base_year + t))
        style_header(cell)
        put_number(ws.cell(TOP["t"], FIRST_YEAR_COLUMN + t), t, "0")
        put_formula(ws.cell(TOP["df"], FIRST_YEAR_COLUMN + t),
                    f"=1/(1+DiscountRate)^{_col(t)}{TOP['t']}", "0.000000")
    style_header(ws[f"{total_col}{TOP['header']}"])
    put_text(ws[f"{total_col}{TOP['header']}"], "Total")
    put_text(ws[f"A{TOP['t']}"], "Year (t)")
    put_text(ws[f"A{TOP['df']}"], "Discount factor")

    # --- detail rows: what the top rows add up -------------------------------------------
    row = TOP["details"]
    put_text(ws[f"A{row}"], "Detail").font = TITLE_FONT
    row += 1
    groups: dict[str, list[int]] = {k: [] for k in ("running", "fte", "one_off", "other",
                                                     "hours")}
    decision_net: dict[str, int] = {}
    services = {s.code: s.name for s in plan.services}

    def values_row(label: str, detail: str, values, fmt: str) -> int:
        nonlocal row
        put_text(ws[f"A{row}"], label)
        put_text(ws[f"B{row}"], detail)
        for t in range(n_t):
            put_number(ws.cell(row, FIRST_YEAR_COLUMN + t), round(float(values[t]), 10), fmt)
        row += 1
        return row - 1

    def formula_row(label: str, detail: str, cells: dict[int, str], fmt: str) -> int:
        nonlocal row
        put_text(ws[f"A{row}"], label)
        put_text(ws[f"B{row}"], detail)
        for t in range(n_t):
            cell = ws.cell(row, FIRST_YEAR_COLUMN + t)
            if t in cells:
                put_formula(cell, cells[t], fmt)
            else:
                put_number(cell, 0, fmt)
        row += 1
        return row - 1

    year = f"({{c}}${TOP['t']}+BaseYear)"  # the financial year of a column, as a formula
    estate = switch_off.estate_ranges()
    if estate:
        running_range, fte_range, _, off_range = estate
        off = off_range(o)

        def kept(values: str) -> dict[int, str]:
            return {t: f"=SUMPRODUCT({values},--({off}>{year.format(c=_col(t))}))"
                    for t in range(n_t)}

        groups["running"].append(formula_row("Today's estate kept", "running cost",
                                             kept(running_range), POUNDS))
        groups["fte"].append(formula_row("Today's estate kept", "support FTE",
                                         kept(fte_range), NUMBER))
    for d in option.decisions:
        if not d.makes_change or d.go_live_year is None:
            continue
        key = (option.code, d.service)

        def ref(attr: str, key=key) -> str:
            return layout.ref("decisions", ("decisions", *key), attr)

        go = ref("go_live_year")
        name = services.get(d.service, d.service)
        first = row

        def from_go_live(amount: str, go: str = go) -> dict[int, str]:
            return {t: f"=IF({year.format(c=_col(t))}>={go},{amount},0)" for t in range(n_t)}

        k = len(d.transition_profile)
        weights = ",".join(repr(w) for w in d.transition_profile)
        groups["running"].append(formula_row(
            "Shared running", name,
            from_go_live(f"{ref('shared_running_cost')}*(1+{ref('running_optimism_bias')})"),
            POUNDS))
        groups["fte"].append(formula_row(
            "Shared support FTE", name, from_go_live(ref("shared_support_fte")), NUMBER))
        groups["one_off"].append(formula_row(
            "Transition", name,
            {t: f"=IF(AND({year.format(c=_col(t))}>={go}-{k - 1},"
                f"{year.format(c=_col(t))}<={go}),{ref('transition_cost')}"
                f"*(1+{ref('optimism_bias')})*CHOOSE({year.format(c=_col(t))}-{go}+{k},"
                f"{weights}),0)" for t in range(n_t)}, POUNDS))
        groups["one_off"].append(formula_row(
            "Exit", name, {t: f"=IF({year.format(c=_col(t))}={go},{ref('exit_cost')},0)"
                           for t in range(n_t)}, POUNDS))
        groups["other"].append(formula_row(
            "Other savings", name, from_go_live(ref("other_savings")), POUNDS))
        groups["hours"].append(formula_row(
            "Officer hours a week", name, from_go_live(ref("officer_hours_per_week")), NUMBER))
        run, fte, trans, exit_, other = first, first + 1, first + 2, first + 3, first + 4
        decision_net[d.service] = formula_row(
            "Decision net cost", name,
            {t: f"={_col(t)}{run}+{_col(t)}{fte}*CostPerStaffFTE+{_col(t)}{trans}"
                f"+{_col(t)}{exit_}-{_col(t)}{other}" for t in range(n_t)}, POUNDS)
    closure_row = values_row("Site closure costs", "", r.closure_costs[o], POUNDS)
    groups["one_off"].append(closure_row)
    buildings_row = values_row("Buildings", "running cost of sites still open",
                               r.buildings[o], POUNDS)
    receipts_row = values_row("Disposal receipts", "", r.receipts[o], POUNDS)

    # --- the top rows -----------------------------------------------------------------------
    def top(key: str, label: str, formula, fmt: str, total: bool = True) -> None:
        rr = TOP[key]
        put_text(ws[f"A{rr}"], label)
        for t in range(n_t):
            put_formula(ws.cell(rr, FIRST_YEAR_COLUMN + t), formula(_col(t)), fmt)
        if total:
            put_formula(ws[f"{total_col}{rr}"], f"=SUM({_span(rr, n_t)})", fmt)

    def total_of(rows: list[int]):
        return lambda c: "=" + ("+".join(f"{c}{x}" for x in rows) if rows else "0")

    top("running", "Running cost", total_of(groups["running"]), POUNDS)
    top("fte", "Support FTE", total_of(groups["fte"]), NUMBER, total=False)
    top("staff", "Support staff cost", lambda c: f"={c}{TOP['fte']}*CostPerStaffFTE", POUNDS)
    top("one_off", "One-off costs", total_of(groups["one_off"]), POUNDS)
    top("buildings", "Buildings", lambda c: f"={c}{buildings_row}", POUNDS)
    top("other", "Other savings", total_of(groups["other"]), POUNDS)
    top("receipts", "Disposal receipts", lambda c: f"={c}{receipts_row}", POUNDS)
    top("net", "Net cost", lambda c: f"={c}{TOP['running']}+{c}{TOP['staff']}+"
        f"{c}{TOP['one_off']}+{c}{TOP['buildings']}-{c}{TOP['other']}-{c}{TOP['receipts']}",
        POUNDS)
    top("baseline_net", "Baseline net cost", lambda c: f"={base}!{c}{TOP['net']}", POUNDS)
    top("saving", "Cashable saving", lambda c: f"={c}{TOP['baseline_net']}-{c}{TOP['net']}",
        POUNDS)
    top("cumulative", "Cumulative saving",
        lambda c: f"=SUM(${_col(0)}{TOP['saving']}:{c}{TOP['saving']})", POUNDS, total=False)
    top("hours", "Officer hours a week", total_of(groups["hours"]), NUMBER, total=False)
    top("officer_fte", "Officer FTE released",
        lambda c: f"={c}{TOP['hours']}/VisibleHoursPerOfficerWeek", NUMBER, total=False)
    top("non_cashable", "Non-cashable benefit (officer hours)",
        lambda c: f"=({c}{TOP['hours']}-{base}!{c}{TOP['hours']})*WeeksPerYear"
                  f"*CostPerOfficerHour", POUNDS)
    put_text(ws[f"A{TOP['d_running'] - 1}"], "Against the baseline (a rise is a cost, a fall "
             "a benefit)").font = TITLE_FONT
    for key, line, label, sign in (
            ("d_running", "running", "Running cost", 1),
            ("d_staff", "staff", "Support staff cost", 1),
            ("d_buildings", "buildings", "Buildings", 1),
            ("d_one_off", "one_off", "One-off costs", 1),
            ("d_other", "other", "Other savings (fall)", -1),
            ("d_receipts", "receipts", "Disposal receipts (fall)", -1)):
        rr = TOP[line]
        if sign > 0:
            top(key, label, lambda c, rr=rr: f"={c}{rr}-{base}!{c}{rr}", POUNDS, total=False)
        else:
            top(key, label, lambda c, rr=rr: f"={base}!{c}{rr}-{c}{rr}", POUNDS, total=False)
    top("d_non_cashable", "Officer hours (fall in value)",
        lambda c: f"=-{c}{TOP['non_cashable']}", POUNDS, total=False)
    last = _col(n_t - 1)
    top("stays_positive", "Cumulative saving positive from here on",
        lambda c: f"=IF(AND({c}{TOP['cumulative']}>0.005,MIN({c}{TOP['cumulative']}:"
                  f"${last}{TOP['cumulative']})>=-0.005),1,0)", "0", total=False)
    top("target_reached", "Savings target reached",
        lambda c: f"=IF(ISNUMBER(SavingsTarget),IF({c}{TOP['cumulative']}>=SavingsTarget"
                  f"-0.005,1,0),0)", "0", total=False)

    # --- results ------------------------------------------------------------------------------
    df = _span(TOP["df"], n_t, absolute=True)
    value = get_column_letter(FIRST_YEAR_COLUMN)

    put_text(ws[f"A{TOP['npv'] - 1}"], "Results").font = TITLE_FONT

    def result(key: str, label: str, formula: str, fmt: str) -> None:
        put_text(ws[f"A{TOP[key]}"], label)
        put_formula(ws[f"{value}{TOP[key]}"], formula, fmt)

    rises = "+".join(f"SUMPRODUCT(({_span(TOP[k], n_t)}>0)*{_span(TOP[k], n_t)}*{df})"
                     for k in DELTAS)
    falls = "+".join(f"SUMPRODUCT(({_span(TOP[k], n_t)}<0)*(-{_span(TOP[k], n_t)})*{df})"
                     for k in DELTAS)
    result("npv", "NPV (cashable)", f"=SUMPRODUCT({_span(TOP['saving'], n_t)},{df})", POUNDS)
    result("npsv", "NPSV (with officer hours)",
           f"={value}{TOP['npv']}+SUMPRODUCT({_span(TOP['non_cashable'], n_t)},{df})", POUNDS)
    result("pvc", "PV costs", f"={rises}", POUNDS)
    result("pvb", "PV benefits", f"={falls}", POUNDS)
    result("bcr", "Benefit–cost ratio",
           f'=IF({value}{TOP["pvc"]}>0,{value}{TOP["pvb"]}/{value}{TOP["pvc"]},"–")', RATIO)
    result("payback", "Payback year (first calendar year of the financial year)",
           f'=IFERROR(INDEX({_span(TOP["t"], n_t)},MATCH(1,{_span(TOP["stays_positive"], n_t)}'
           f',0))+BaseYear,"never")', "0")
    p = f"{value}{TOP['payback']}"
    result("payback_label", "Payback year",
           f'=IF(ISNUMBER({p}),{p}&"/"&RIGHT(TEXT({p}+1,"0"),2),"never")', "@")
    result("target_year", "Savings target reached in",
           f'=IFERROR(INDEX({_span(TOP["t"], n_t)},MATCH(1,{_span(TOP["target_reached"], n_t)}'
           f',0))+BaseYear,"never")', "0")
    ty = f"{value}{TOP['target_year']}"
    result("target_met", "Savings target",
           f'=IF(ISNUMBER(SavingsTarget),IF(ISNUMBER({ty}),IF({ty}-BaseYear<SavingsTargetYears,'
           f'"met","not met"),"not met"),"no target")', "@")

    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 30
    for t in range(n_t + 1):
        ws.column_dimensions[get_column_letter(FIRST_YEAR_COLUMN + t)].width = 15
    ws.freeze_panes = ws.cell(TOP["header"] + 1, FIRST_YEAR_COLUMN)
    print_setup(ws)
    ws.print_title_rows = f"{TOP['header']}:{TOP['header']}"
    return OptionSheet(ws.title, decision_net)


def _shares(ws: Worksheet, plan: Plan, r: Results, sheets: list[OptionSheet],
            layout: Layout, baseline: str, switch_off: SwitchOff
            ) -> dict[tuple[int, int], str]:
    """Each force's weight, and its cost and NPV under every option."""
    n_t = plan.horizon_years
    put_text(ws["A1"], "Each force's share").font = TITLE_FONT
    put_text(ws["A2"], "Shared costs and savings are split by the sharing basis on the "
             "Assumptions sheet (officers, population, net_revenue, equal or agreed) among "
             "the forces that take part in each decision. A force's own estate and sites stay "
             "its own. Change the basis there and the weights below follow.")
    for c, text in enumerate(("Force", "Code", "Basis figure", "Weight"), start=1):
        style_header(ws.cell(4, c))
        put_text(ws.cell(4, c), text)
    first = 5
    last = first + len(plan.forces) - 1
    weight_cell: dict[str, str] = {}
    for i, force in enumerate(plan.forces):
        rr = first + i

        def figure(attr: str, code: str = force.code) -> str:
            return layout.ref("forces", ("forces", code), attr)

        put_text(ws.cell(rr, 1), force.name)
        put_text(ws.cell(rr, 2), force.code)
        put_formula(ws.cell(rr, 3),
                    f'=IF(SharingBasis="officers",{figure("officers")},'
                    f'IF(SharingBasis="population",{figure("population")},'
                    f'IF(SharingBasis="net_revenue",N({figure("net_revenue_budget")}),'
                    f'IF(SharingBasis="agreed",N({figure("agreed_share")}),1))))', NUMBER)
        put_formula(ws.cell(rr, 4), f"=C{rr}/SUM($C${first}:$C${last})", "0.0000%")
        weight_cell[force.code] = f"$D${rr}"
    row = last + 3
    estate = switch_off.estate_ranges()
    base_t = f"{quote_sheetname(baseline)}!"
    weight_row = {force.code: first + i for i, force in enumerate(plan.forces)}
    df = f"{quote_sheetname(baseline)}!{_span(TOP['df'], n_t, absolute=True)}"
    npv_cells: dict[tuple[int, int], str] = {}
    base_rows: dict[int, int] = {}
    for o, option in enumerate(plan.options):
        put_text(ws.cell(row, 1), f"{option.name}: each force's net cost").font = TITLE_FONT
        row += 1
        style_header(ws.cell(row, 1))
        put_text(ws.cell(row, 1), "Force")
        for t in range(n_t):
            cell = ws.cell(row, FIRST_YEAR_COLUMN + t)
            put_text(cell, financial_year_label(plan.base_year + t))
            style_header(cell)
        npv_col = get_column_letter(FIRST_YEAR_COLUMN + n_t)
        style_header(ws[f"{npv_col}{row}"])
        put_text(ws[f"{npv_col}{row}"], "NPV against the baseline")
        row += 1
        sheet = quote_sheetname(sheets[o].name)
        for f, force in enumerate(plan.forces):
            put_text(ws.cell(row, 1), force.name)
            for t in range(n_t):
                sites = (r.by_force["buildings"][o, f, t] + r.by_force["closure_costs"][o, f, t]
                         - r.by_force["receipts"][o, f, t])
                terms = [repr(round(float(sites), 10))]
                if estate is not None:
                    running, fte, forces, off = estate
                    year = f"({base_t}{_col(t)}${TOP['t']}+BaseYear)"
                    code = f"$B${weight_row[force.code]}"
                    kept = f'{forces},{code},{off(o)},">"&{year}'
                    terms += [f"SUMIFS({running},{kept})",
                              f"SUMIFS({fte},{kept})*CostPerStaffFTE"]
                for d in option.decisions:
                    if d.service not in sheets[o].decision_net:
                        continue
                    members = d.forces or tuple(x.code for x in plan.forces)
                    if force.code not in members:
                        continue
                    if d.forces:
                        split = (f"{weight_cell[force.code]}/("
                                 + "+".join(weight_cell[c] for c in members) + ")")
                    else:
                        split = weight_cell[force.code]
                    terms.append(f"{split}*{sheet}!{_col(t)}{sheets[o].decision_net[d.service]}")
                put_formula(ws.cell(row, FIRST_YEAR_COLUMN + t), "=" + "+".join(terms), POUNDS)
            if o == r.baseline:
                base_rows[f] = row
            row += 1
    # The NPVs refer to the baseline's rows, which may come after an option's: a second pass.
    _npv_pass(ws, plan, base_rows, df, npv_cells, first_block=last + 3)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 18
    for t in range(n_t + 1):
        ws.column_dimensions[get_column_letter(FIRST_YEAR_COLUMN + t)].width = 15
    ws.freeze_panes = "B5"
    print_setup(ws)
    return npv_cells


def _npv_pass(ws: Worksheet, plan: Plan, base_rows: dict[int, int], df: str,
              npv_cells: dict[tuple[int, int], str], first_block: int) -> None:
    n_t = plan.horizon_years
    npv_col = get_column_letter(FIRST_YEAR_COLUMN + n_t)
    row = first_block
    for o in range(len(plan.options)):
        row += 2  # title and header
        for f in range(len(plan.forces)):
            put_formula(ws[f"{npv_col}{row}"],
                        f"=SUMPRODUCT({_span(base_rows[f], n_t)}-{_span(row, n_t)},{df})",
                        POUNDS)
            npv_cells[(o, f)] = f"Shares!${npv_col}${row}"
            row += 1


_HEADLINE_CELLS = {
    # headline key -> (the row of the option's cash-flow sheet it reads, which year)
    "npv": ("npv", "first"), "npsv": ("npsv", "first"), "pv_benefits": ("pvb", "first"),
    "pv_costs": ("pvc", "first"), "bcr": ("bcr", "first"),
    "payback_year": ("payback_label", "first"), "one_off_cost": ("one_off", "sum"),
    "support_fte_final_year": ("fte", "last"),
    "officer_hours_released_per_week": ("hours", "last"),
    "officer_fte_equivalent": ("officer_fte", "last"),
    "savings_target_status": ("target_met", "first"),
}
"""Where the Summary sheet finds each headline figure: every one has a live formula."""
_FORMAT = {Unit.MONEY: POUNDS, Unit.RATIO: RATIO, Unit.YEAR: "@", Unit.FTE: NUMBER,
           Unit.HOURS: NUMBER, Unit.STATUS: "@"}


def _headline_formula(key: str, sheet: str, n_t: int) -> str:
    row, year = _HEADLINE_CELLS[key]
    if year == "sum":
        return f"=SUM({sheet}!{_span(TOP[row], n_t, True)})"
    column = "C" if year == "first" else _col(n_t - 1)
    return f"={sheet}!${column}${TOP[row]}"


def _summary(ws: Worksheet, plan: Plan, r: Results, names: list[str],
             force_npv: dict[tuple[int, int], str]) -> int:
    """The comparison; returns the row of the first force's NPV (the bar chart's data)."""
    n_t = plan.horizon_years
    put_text(ws["A1"], plan.name).font = TITLE_FONT
    put_text(ws["A2"], plan.alliance)
    put_formula(ws["A3"], f'="Base year {financial_year_label(plan.base_year)}, '
                f'{n_t} years, discount rate "&TEXT(DiscountRate,"0.0%")&" real; money in '
                f'pounds at {financial_year_label(plan.base_year)} prices"')
    put_text(ws["A4"], "Change any yellow cell on the Assumptions, Estate or Decisions sheets "
             "(a rate, a price, a go-live year, the sharing basis) and every figure here "
             "recalculates. docs/method.md in Alliance Planner states each formula.")
    header = 6
    style_header(ws.cell(header, 1))
    put_text(ws.cell(header, 1), "Figure")
    for o, option in enumerate(plan.options):
        cell = ws.cell(header, 2 + o)
        put_text(cell, option.name + (" (baseline)" if option.is_baseline else ""))
        style_header(cell)
    ws.row_dimensions[header].height = 48
    right = Alignment(horizontal="right")
    row = header + 1
    for headline in HEADLINES:
        put_text(ws.cell(row, 1), headline.label)
        for o, name in enumerate(names):
            formula = _headline_formula(headline.key, quote_sheetname(name), n_t)
            put_formula(ws.cell(row, 2 + o), formula, _FORMAT[headline.unit]).alignment = right
        row += 1
    row += 1
    put_text(ws.cell(row, 1), "Each force's NPV").font = TITLE_FONT
    row += 1
    first_force_row = row
    for f, force in enumerate(plan.forces):
        put_text(ws.cell(row, 1), force.name)
        for o in range(len(plan.options)):
            put_formula(ws.cell(row, 2 + o), "=" + force_npv[(o, f)], POUNDS)
        row += 1
    row += 1
    if r.early_exits:
        put_text(ws.cell(row, 1), "Go-lives before a contract ends (early exits), as "
                 "exported").font = TITLE_FONT
        row += 1
        for c, text in enumerate(("Option", "Service", "Force", "Contract ends", "Go-live",
                                  "Exit cost share"), start=1):
            style_header(ws.cell(row, c))
            put_text(ws.cell(row, c), text)
        row += 1
        for e in r.early_exits:
            option, service, force = plan.option(e.option), plan.service(e.service), \
                plan.force(e.force)
            for c, text in enumerate((option.name if option else e.option,
                                      service.name if service else e.service,
                                      force.name if force else e.force,
                                      e.contract_end.isoformat(),
                                      financial_year_label(e.go_live_year)), start=1):
                put_text(ws.cell(row, c), text)
            put_number(ws.cell(row, 6), round(e.exit_cost, 2), POUNDS)
            row += 1
    ws.column_dimensions["A"].width = 44
    for c in range(2, max(2 + len(plan.options), 7)):
        ws.column_dimensions[get_column_letter(c)].width = 22
    ws.freeze_panes = ws.cell(header + 1, 2)
    print_setup(ws)
    ws.print_title_rows = f"{header}:{header}"
    ws.sheet_properties.tabColor = "1F4E79"
    return first_force_row


def _axes(chart, number_format: str) -> None:
    """Show both axes (openpyxl hides them unless told) and format the values."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = number_format
    chart.y_axis.majorGridlines = chart.y_axis.majorGridlines
    chart.legend.position = "b"


def _charts(ws: Worksheet, plan: Plan, r: Results, names: list[str], summary: Worksheet,
            first_force_row: int) -> None:
    """Native Excel charts over the cash-flow rows, so a board member can restyle them."""
    n_t = plan.horizon_years
    wb = ws.parent
    put_text(ws["A1"], "Charts").font = TITLE_FONT
    baseline_ws = wb[names[r.baseline]]
    years = Reference(baseline_ws, min_col=FIRST_YEAR_COLUMN, max_col=FIRST_YEAR_COLUMN + n_t - 1,
                      min_row=TOP["header"])

    def line_chart(title: str, key: str, y_title: str, skip_baseline: bool) -> LineChart:
        chart = LineChart()
        chart.title = title
        chart.y_axis.title = y_title
        chart.height, chart.width = 8, 16
        for o, name in enumerate(names):
            if skip_baseline and o == r.baseline:
                continue
            values = Reference(wb[name], min_col=FIRST_YEAR_COLUMN,
                               max_col=FIRST_YEAR_COLUMN + n_t - 1, min_row=TOP[key])
            series = Series(values, title=plan.options[o].name[:60])
            series.smooth = False
            chart.series.append(series)
        chart.set_categories(years)
        _axes(chart, MONEY_M if key != "fte" else "#,##0")
        return chart

    ws.add_chart(line_chart("Net cost by year", "net", "£ a year", False), "A3")
    ws.add_chart(line_chart("Cumulative cashable savings", "cumulative", "£", True), "K3")
    ws.add_chart(line_chart("Support staff by year", "fte", "FTE", False), "A20")
    bars = BarChart()
    bars.title = "Each force's NPV"
    bars.y_axis.title = "£"
    bars.height, bars.width = 8, 16
    n_f = len(plan.forces)
    for o in range(len(plan.options)):
        if o == r.baseline:
            continue
        values = Reference(summary, min_col=2 + o, max_col=2 + o, min_row=first_force_row,
                           max_row=first_force_row + n_f - 1)
        bars.series.append(Series(values, title=plan.options[o].name[:60]))
    bars.set_categories(Reference(summary, min_col=1, min_row=first_force_row,
                                  max_row=first_force_row + n_f - 1))
    _axes(bars, MONEY_M)
    ws.add_chart(bars, "K20")
    print_setup(ws)

