"""The board pack: a workbook a board can read, audit and recalculate.

Every figure is a formula over the input cells (the named ranges on Assumptions, the
Estate, Decisions, Sites, Site closures and Deflators sheets), laid out as docs/method.md
states it, so that a board member who changes the discount rate, a go-live year, an
optimism bias or its mitigation, a price year or a deflator, an exit fee, the sharing
basis or a contract price sees the whole pack recalculate. The steps between the inputs
and the cash flows are on the workings sheets (exchange/workings.py says what is
structure there). One sheet is the program's figures, not formulas: Sensitivity and risk
(exchange/risk_sheet.py), with a live check that says when it is out of date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference, Series
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from .. import __version__
from ..charts import option_colour
from ..domain import schema
from ..domain.engine import Results, appraise
from ..domain.green_book import DISCOUNT_SCHEDULE
from ..domain.headlines import BY_KEY, HEADLINES, Unit, recommended
from ..domain.model import OptionRole, Plan, financial_year_label
from ..domain.progress import IsCancelled, never
from ..domain.risk import DEFAULT_CORRELATION, DEFAULT_RUNS, DEFAULT_SEED
from ..messages import escaped
from . import affordability_sheet, pack_values, risk_sheet
from .cached import cache
from .cells import (
    DATE,
    MONEY_M,
    NUMBER,
    POUNDS,
    RATIO,
    TITLE_FONT,
    WRAP,
    cell_at,
    collector_paused,
    literal,
    print_setup,
    put_formula,
    put_number,
    put_text,
    save_workbook,
    style_header,
    year_label,
)
from .inputs import TABLES, write_inputs
from .workings import (
    Context,
    DecisionWorkings,
    EstateWorkings,
    Held,
    SiteWorkings,
    sheet_range,
    write_workings,
)

FIRST_YEAR_COLUMN = 3  # C
TOP = {  # the fixed rows of every cash-flow sheet: the baseline's are referred to by row
    "header": 4, "t": 5, "df": 6,
    "running": 8, "fte": 9, "staff": 10, "buildings": 11, "transition": 12, "exit_fees": 13,
    "other_exit": 14, "severance": 15, "closure": 16, "one_off": 17, "other": 18,
    "receipts": 19, "residual": 20, "net": 21, "baseline_net": 22, "saving": 23,
    "cumulative": 24, "hours": 25, "officer_fte": 26, "non_cashable": 27, "year_cost": 28,
    "year_benefit": 29, "stays_positive": 30, "target_reached": 31,
    "npv": 33, "npsv": 34, "pvc": 35, "pvb": 36, "bcr": 37, "npsv_per_pound": 38,
    "payback": 39, "payback_label": 40, "target_year": 41, "target_met": 42,
    "details": 45,
}
SHARES_LINES = ("fte", "severance", "exit_fees", "net")
"""Each force's lines on the Shares sheet, for every option, in this order."""
SHARES_LABELS = {"fte": "Support FTE", "severance": "Severance", "exit_fees": "Exit fees",
                 "net": "Net cost"}
FIRST_WEIGHT_ROW = 5
BOLD = Font(bold=True)
WORKINGS = ("Workings", "Estate workings", "Decision workings", "Site workings")


@dataclass
class DecisionRows:
    """Where one decision's lines are on an option's cash-flow sheet."""

    held: Held
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class OptionSheet:
    name: str
    decisions: list[DecisionRows]


class SharesLayout:
    """Where each force's lines are on the Shares sheet: one block an option, one section a
    line, one row a force."""

    def __init__(self, plan: Plan):
        self.n_f = len(plan.forces)
        self.last_weight_row = FIRST_WEIGHT_ROW + self.n_f - 1
        self.size = 3 + len(SHARES_LINES) * self.n_f  # title, header, sections, a gap

    def start(self, o: int) -> int:
        return self.last_weight_row + 3 + o * self.size

    def row(self, o: int, line: str, f: int) -> int:
        return self.start(o) + 2 + SHARES_LINES.index(line) * self.n_f + f

    def rows(self, o: int, line: str) -> tuple[int, int]:
        return self.row(o, line, 0), self.row(o, line, self.n_f - 1)


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


def export(plan: Plan, path: str | Path, results: Results | None = None, *,
           runs: int = DEFAULT_RUNS, seed: int = DEFAULT_SEED,
           correlation: float = DEFAULT_CORRELATION, version: str = "") -> None:
    """Write the board pack for `plan` to `path` (an .xlsx); `runs`, `seed` and
    `correlation` are the Monte Carlo's on the Sensitivity and risk sheet; `version` is
    printed at the foot of every page."""
    with collector_paused():
        wb = build(plan, results, runs=runs, seed=seed, correlation=correlation,
                   version=version)
        save_workbook(wb, path)
        _let_go(wb)


def _let_go(wb: Workbook) -> None:
    """Drop a saved pack's cells at once: a cell and its sheet refer to each other, so left
    alone the 50,000 of the national pack wait for the cycle collector, which then takes
    longer over them (60 ms) than emptying the sheets does (10 ms)."""
    for ws in wb.worksheets:
        ws._cells.clear()


def build(plan: Plan, results: Results | None = None, *, runs: int = DEFAULT_RUNS,
          seed: int = DEFAULT_SEED, correlation: float = DEFAULT_CORRELATION,
          cancelled: IsCancelled = never, version: str = "") -> Workbook:
    """The board pack as a workbook; ``cancelled`` is asked while its risk figures are
    worked out (`Cancelled` if it says yes), so that Cancel in the window is heard."""
    with collector_paused():
        return _build(plan, results, runs=runs, seed=seed, correlation=correlation,
                      cancelled=cancelled, version=version)


def _build(plan: Plan, results: Results | None, *, runs: int, seed: int, correlation: float,
           cancelled: IsCancelled, version: str) -> Workbook:
    r = results if results is not None else appraise(plan)
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    charts = wb.create_sheet("Charts")
    risk = wb.create_sheet(risk_sheet.SHEET)
    afford = wb.create_sheet(affordability_sheet.SHEET)
    taken = {"summary", "charts", risk.title.lower(), afford.title.lower(), "shares",
             "assumptions",
             *(w.lower() for w in WORKINGS), *(t.sheet.lower() for t in TABLES.values())}
    names = [sheet_name(o.code, taken) for o in plan.options]
    flows = [wb.create_sheet(n) for n in names]
    shares = wb.create_sheet("Shares")
    layout = write_inputs(wb, plan)
    limit_horizon(wb, plan)
    write_workings(wb.create_sheet(WORKINGS[0]), plan, layout)
    ctx = Context(plan, layout, shares.title, FIRST_WEIGHT_ROW)
    estate = EstateWorkings(wb.create_sheet(WORKINGS[1]), ctx)
    decisions = DecisionWorkings(wb.create_sheet(WORKINGS[2]), ctx)
    sites = SiteWorkings(wb.create_sheet(WORKINGS[3]), ctx)
    pack = Pack(plan, ctx, estate, decisions, sites, names[r.baseline], SharesLayout(plan))
    sheets = [_cash_flows(ws, pack, o) for o, ws in enumerate(flows)]
    force_npv = _shares(shares, pack, sheets)
    first_force_row = _summary(summary, pack, r, names, force_npv)
    _charts(charts, plan, r, names, summary, first_force_row)
    afford_rows = _affordability(afford, pack, sheets, r.baseline)
    pack_values.cache_pack(wb, pack, r, names, afford_rows, first_force_row)
    found = risk_sheet.figures(plan, runs=runs, seed=seed, correlation=correlation,
                               cancelled=cancelled)
    risk_sheet.write(risk, plan, found, {o.code: summary_cell("npsv", i)
                                         for i, o in enumerate(plan.options)})
    for name in WORKINGS:  # helpers between the inputs and the cash flows: not printed
        wb[name].sheet_state = "hidden"
    page_furniture(wb, plan, version)
    wb.calculation.fullCalcOnLoad = True
    wb.properties.creator = f"Alliance Planner {__version__}"
    wb.properties.title = plan.name
    return wb


def _affordability(ws: Worksheet, pack: Pack, sheets: list[OptionSheet], baseline: int
                   ) -> dict[tuple[int, str], int]:
    """The Affordability sheet, over each option's cash-flow sheet and its decisions'
    optimism bias rates."""
    flows = [affordability_sheet.Flow(option.name, sheet.name, [
        affordability_sheet.Biased(
            d.rows["transition"], d.rows["running"],
            pack.decisions.ref(d.held, "ob", pack.ctx),
            pack.decisions.ref(d.held, "running_ob", pack.ctx))
        for d in sheet.decisions]) for option, sheet in zip(pack.plan.options, sheets,
                                                             strict=True)]
    return affordability_sheet.write(ws, pack.plan, flows, baseline, FIRST_YEAR_COLUMN, TOP,
                                     _col)


def page_furniture(wb: Workbook, plan: Plan, version: str = "") -> None:
    """What every printed page carries: the protective marking at the top and the foot,
    the plan and the sheet, the version, the date and the page number."""
    from datetime import date

    def safe(text: str) -> str:
        """Printable as typed: control characters shown escaped (raw, they make the sheet's
        XML unreadable), and & doubled (it starts a field code)."""
        return escaped(" ".join(text.split())).replace("&", "&&")[:120]

    marking, name = safe(plan.marking), safe(plan.name)
    stamp = date.today().strftime("%-d %B %Y")
    foot = f"{name}" + (f" · version: {safe(version)}" if version else "") + f" · {stamp}"
    for ws in wb.worksheets:
        for header, footer in ((ws.oddHeader, ws.oddFooter), (ws.evenHeader, ws.evenFooter)):
            header.center.text = marking
            header.center.font = "Calibri,Bold"
            header.left.text = "&A"  # the sheet's name
            header.right.text = name
            footer.left.text = foot
            footer.center.text = marking
            footer.right.text = "Page &P of &N"


@dataclass
class Pack:
    """What every sheet of the pack refers to."""

    plan: Plan
    ctx: Context
    estate: EstateWorkings
    decisions: DecisionWorkings
    sites: SiteWorkings
    baseline: str  # the baseline's cash-flow sheet
    shares: SharesLayout

    @property
    def n_t(self) -> int:
        return self.plan.horizon_years


def _col(t: int) -> str:
    return get_column_letter(FIRST_YEAR_COLUMN + t)


def _span(row: int, n_t: int, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    return f"{d}{_col(0)}{d}{row}:{d}{_col(n_t - 1)}{d}{row}"


def _discount_factor(t: int, n_t: int) -> str:
    """DF_t: 1/(1+r)^t while every year is within the first 30; beyond, DF_(t-1)/(1+r_t)
    with r_t stepped down from the plan's rate as the Green Book's schedule steps."""
    if n_t <= DISCOUNT_SCHEDULE[1][0] or t == 0:
        return f"=1/(1+DiscountRate)^{_col(t)}{TOP['t']}"
    standard = DISCOUNT_SCHEDULE[0][1]
    band = next(rate for first, rate in reversed(DISCOUNT_SCHEDULE) if first <= t)
    step = round(band - standard, 6)
    rate = "DiscountRate" if step == 0 else f"(DiscountRate{step:+})"
    return f"={_col(t - 1)}{TOP['df']}/(1+{rate})"


def _within(t: str, formula: str) -> str:
    """`formula` in a year of the appraisal and 0 past it: the pack holds a column for each
    year of the exported horizon, and a horizon shortened in the workbook ends sooner.
    `t` is the cell holding the column's year number."""
    return f"=IF({t}<HorizonYears,{formula[1:]},0)"


def _year_header(t: int, t_cell: str) -> str:
    """A year column's label, blank past a horizon shortened in the workbook."""
    return f'=IF({t_cell}<HorizonYears,{year_label(t)},"")'


def _join(terms: list[str]) -> str:
    """'a', '-b', 'c' as 'a-b+c'; '0' for none."""
    if not terms:
        return "0"
    return terms[0] + "".join(t if t.startswith("-") else "+" + t for t in terms[1:])


def _year(c: str, sheet: str = "") -> str:
    """The financial year of a column, as a formula."""
    return f"({sheet}{c}${TOP['t']}+BaseYear)"


def _cash_flows(ws: Worksheet, pack: Pack, o: int) -> OptionSheet:
    plan, ctx = pack.plan, pack.ctx
    option = plan.options[o]
    n_t = pack.n_t
    base = quote_sheetname(pack.baseline)
    put_text(ws["A1"], f"Cash flows: {option.name}").font = TITLE_FONT
    note = (" prices. Inputs are the yellow cells on the Assumptions, Estate, Decisions, "
            "Sites, Site closures and Deflators sheets; every figure here is a formula over "
            "them, and the workings sheets show the steps. Each line's detail, decision by "
            f"decision, is below row {TOP['details']}.")
    put_formula(ws["A2"], f'="£, real terms at "&{year_label(0)}&' + literal(note))
    cache(ws["A2"], f"£, real terms at {financial_year_label(plan.base_year)}{note}")
    ws["A2"].alignment = WRAP
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=FIRST_YEAR_COLUMN + n_t)
    ws.row_dimensions[2].height = 30
    total_col = get_column_letter(FIRST_YEAR_COLUMN + n_t)
    for c, text in ((1, "Line"), (2, "Detail")):
        style_header(cell_at(ws, TOP["header"], c))
        put_text(cell_at(ws, TOP["header"], c), text)
    for t in range(n_t):
        cell = cell_at(ws, TOP["header"], FIRST_YEAR_COLUMN + t)
        put_formula(cell, _year_header(t, f"{_col(t)}${TOP['t']}"))
        style_header(cell)
        put_number(cell_at(ws, TOP["t"], FIRST_YEAR_COLUMN + t), t, "0")
        put_formula(cell_at(ws, TOP["df"], FIRST_YEAR_COLUMN + t),
                    _within(f"{_col(t)}${TOP['t']}", _discount_factor(t, n_t)), "0.000000")
    style_header(ws[f"{total_col}{TOP['header']}"])
    put_text(ws[f"{total_col}{TOP['header']}"], "Total")
    put_text(ws[f"A{TOP['t']}"], "Year (t)")
    put_text(ws[f"A{TOP['df']}"], "Discount factor")

    # --- detail rows: what the top rows add up -------------------------------------------
    row = TOP["details"]
    put_text(cell_at(ws, row, 1), "Detail").font = TITLE_FONT
    row += 1
    groups: dict[str, list[int]] = {k: [] for k in (
        "running", "fte", "transition", "exit_fees", "other_exit", "other", "hours",
        "residual", "buildings", "closure", "receipts")}
    services = {s.code: s.name for s in plan.services}

    def formula_row(label: str, detail: str, cells: dict[int, str], fmt: str) -> int:
        """A row of formulas, one a year, each 0 past the horizon; years not in `cells`
        hold 0."""
        nonlocal row
        put_text(cell_at(ws, row, 1), label)
        put_text(cell_at(ws, row, 2), detail)
        for t in range(n_t):
            cell = cell_at(ws, row, FIRST_YEAR_COLUMN + t)
            if t in cells:
                put_formula(cell, _within(f"{_col(t)}${TOP['t']}", cells[t]), fmt)
            else:
                put_number(cell, 0, fmt)
        row += 1
        return row - 1

    def each_year(formula) -> dict[int, str]:
        return {t: formula(_col(t), _year(_col(t))) for t in range(n_t)}

    def final_year(amount: str) -> dict[int, str]:
        """`amount` in the appraisal's last year, which a horizon typed in moves."""
        return each_year(lambda c, y: f"=IF({c}${TOP['t']}=HorizonYears-1,{amount},0)")

    ew, sw = pack.estate, pack.sites
    if ew.count:
        put_text(cell_at(ws, row, 1), "Today's estate").font = BOLD
        row += 1
        off = ew.range("off", o)
        fte_range = ctx.input_range("estate", "support_fte", ew.count)
        groups["running"].append(formula_row(
            "Today's estate kept", "running cost (base-year prices)",
            each_year(lambda c, y: f"=SUMPRODUCT({ew.range('running')},--({off}>{y}))"),
            POUNDS))
        groups["fte"].append(formula_row(
            "Today's estate kept", "support FTE",
            each_year(lambda c, y: f"=SUMPRODUCT({fte_range},--({off}>{y}))"), NUMBER))
    decisions: list[DecisionRows] = []
    for held in ctx.held[o]:
        d = held.decision
        found = DecisionRows(held)
        decisions.append(found)
        rows = found.rows
        go = ctx.decision(held, "go_live_year")
        name = services.get(d.service, d.service) + (" (business as usual)"
                                                     if held.inherited else "")
        heading = put_text(cell_at(ws, row, 1), services.get(d.service, d.service) + (
            ": the baseline's decision, which this option keeps" if held.inherited
            else f": {d.mode.value}"))
        heading.font = BOLD
        row += 1

        def work(key: str, held: Held = held) -> str:
            return pack.decisions.ref(held, key, ctx)

        def from_go_live(amount: str, go: str = go) -> dict[int, str]:
            return each_year(lambda c, y: f"=IF({y}>={go},{amount},0)")

        def ramped(amount: str, go: str = go, ramp: tuple[float, ...] = d.benefit_ramp
                   ) -> dict[int, str]:
            if len(ramp) == 1:
                share = "" if ramp[0] == 1 else f"*{ramp[0]!r}"
                return from_go_live(f"{amount}{share}")
            shares = ",".join(repr(x) for x in ramp)
            return each_year(lambda c, y: f"=IF({y}>={go},{amount}*CHOOSE(MIN({y}-{go}+1,"
                                          f"{len(ramp)}),{shares}),0)")

        k = len(d.transition_profile)
        profile = ",".join(repr(w) for w in d.transition_profile)
        rows["running"] = formula_row("Shared running, with OB", name,
                                      from_go_live(work("running")), POUNDS)
        rows["fte"] = formula_row("Shared support FTE", name,
                                  from_go_live(ctx.decision(held, "shared_support_fte")), NUMBER)
        one_off = work("one_off")
        rows["transition"] = formula_row("Transition, with OB", name, each_year(
            lambda c, y, go=go, k=k, profile=profile, one_off=one_off:
            f"=IF(AND({y}>={go}-{k - 1},{y}<={go}),{one_off}*CHOOSE({y}-{go}+{k},{profile}),0)"),
            POUNDS)
        if ew.count:
            number = ctx.service_number[d.service]
            fees = each_year(lambda c, y, number=number: (
                f"=SUMIFS({ew.range('fee', o)},{ew.range('service_number')},{number},"
                f"{ew.range('off', o)},{y})"))
        else:
            fees = {}
        rows["exit_fees"] = formula_row("Exit fees (contracts ended early)", name, fees, POUNDS)
        exit_cost = f"{ctx.decision(held, 'exit_cost')}*{work('factor')}"
        rows["other_exit"] = formula_row("Other exit costs", name, each_year(
            lambda c, y, go=go, exit_cost=exit_cost: f"=IF({y}={go},{exit_cost},0)"), POUNDS)
        rows["other"] = formula_row("Other savings, realised", name, ramped(work("other")),
                                    POUNDS)
        rows["hours"] = formula_row("Officer hours a week, realised", name,
                                    ramped(work("hours")), NUMBER)
        rows["residual"] = formula_row("Residual value", name, final_year(work("residual")),
                                       POUNDS)
        rows["net"] = formula_row(
            "Net cost before staff and exit fees", name, each_year(
                lambda c, y, r=dict(rows): f"={c}{r['running']}+{c}{r['transition']}"
                                           f"+{c}{r['other_exit']}-{c}{r['other']}"
                                           f"-{c}{r['residual']}"), POUNDS)
        for key in ("running", "fte", "transition", "exit_fees", "other_exit", "other", "hours",
                    "residual"):
            groups[key].append(rows[key])
    if sw.count:
        put_text(cell_at(ws, row, 1), "Sites").font = BOLD
        row += 1
        closes = sw.range("closes", o)
        groups["buildings"].append(formula_row(
            "Buildings", "running cost of the sites still open", each_year(
                lambda c, y: f'=SUMIFS({sw.range("running")},{closes},">"&{y})'), POUNDS))
        groups["closure"].append(formula_row("Site closure costs", "", each_year(
            lambda c, y: f"=SUMIFS({sw.range('closure_cost', o)},{closes},{y})"), POUNDS))
        groups["receipts"].append(formula_row("Disposal receipts", "", each_year(
            lambda c, y: f"=SUMIFS({sw.range('receipt', o)},{closes},{y})"), POUNDS))
        groups["residual"].append(formula_row(
            "Residual value", "market value of the sites still held", each_year(
                lambda c, y: f'=IF({c}${TOP["t"]}=HorizonYears-1,'
                             f'SUMIFS({sw.range("value")},{closes},">"&{y}),0)'), POUNDS))

    # --- the top rows -----------------------------------------------------------------------
    def top(key: str, label: str, formula, fmt: str, total: bool = True) -> None:
        rr = TOP[key]
        put_text(cell_at(ws, rr, 1), label)
        for t in range(n_t):
            put_formula(cell_at(ws, rr, FIRST_YEAR_COLUMN + t), formula(_col(t)), fmt)
        if total:
            put_formula(cell_at(ws, rr, FIRST_YEAR_COLUMN + n_t), f"=SUM({_span(rr, n_t)})", fmt)

    def total_of(key: str):
        return lambda c: "=" + _join([f"{c}{x}" for x in groups[key]])

    def line(c: str, *keys: str) -> list[str]:
        return [f"{c}{TOP[k]}" for k in keys]

    first_sev, last_sev = pack.shares.rows(o, "severance")
    top("running", "Running cost", total_of("running"), POUNDS)
    top("fte", "Support FTE", total_of("fte"), NUMBER, total=False)
    top("staff", "Support staff cost", lambda c: f"={c}{TOP['fte']}*CostPerStaffFTE", POUNDS)
    top("buildings", "Buildings", total_of("buildings"), POUNDS)
    top("transition", "Transition (one-off)", total_of("transition"), POUNDS)
    top("exit_fees", "Exit fees (one-off)", total_of("exit_fees"), POUNDS)
    top("other_exit", "Other exit costs (one-off)", total_of("other_exit"), POUNDS)
    top("severance", "Severance (one-off; each force's, on the Shares sheet)",
        lambda c: f"=SUM(Shares!{c}{first_sev}:{c}{last_sev})", POUNDS)
    top("closure", "Site closure costs (one-off)", total_of("closure"), POUNDS)
    top("one_off", "One-off costs", lambda c: "=" + "+".join(line(
        c, "transition", "exit_fees", "other_exit", "severance", "closure")), POUNDS)
    top("other", "Other savings", total_of("other"), POUNDS)
    top("receipts", "Disposal receipts", total_of("receipts"), POUNDS)
    top("residual", "Residual value (last year)", total_of("residual"), POUNDS)
    top("net", "Net cost", lambda c: "=" + _join([
        *line(c, "running", "staff", "buildings", "one_off"),
        *(f"-{x}" for x in line(c, "other", "receipts", "residual"))]), POUNDS)
    top("baseline_net", "Baseline net cost", lambda c: f"={base}!{c}{TOP['net']}", POUNDS)
    top("saving", "Cashable saving", lambda c: f"={c}{TOP['baseline_net']}-{c}{TOP['net']}",
        POUNDS)
    top("cumulative", "Cumulative saving",
        lambda c: f"=SUM(${_col(0)}{TOP['saving']}:{c}{TOP['saving']})", POUNDS, total=False)
    top("hours", "Officer hours a week", total_of("hours"), NUMBER, total=False)
    top("officer_fte", "Officer FTE released",
        lambda c: f"={c}{TOP['hours']}/VisibleHoursPerOfficerWeek", NUMBER, total=False)
    top("non_cashable", "Non-cashable benefit (officer hours)",
        lambda c: f"=({c}{TOP['hours']}-{base}!{c}{TOP['hours']})*WeeksPerYear"
                  f"*CostPerOfficerHour", POUNDS)
    saving, nc = TOP["saving"], TOP["non_cashable"]
    top("year_cost", "Cost against the baseline (netted by year)",
        lambda c: f"=MAX(0,-{c}{saving})+MAX(0,-{c}{nc})", POUNDS)
    top("year_benefit", "Benefit against the baseline (netted by year)",
        lambda c: f"=MAX(0,{c}{saving})+MAX(0,{c}{nc})", POUNDS)
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
        put_text(cell_at(ws, TOP[key], 1), label)
        put_formula(cell_at(ws, TOP[key], FIRST_YEAR_COLUMN), formula, fmt)

    pvc = f"{value}{TOP['pvc']}"
    result("npv", "NPV (cashable)", f"=SUMPRODUCT({_span(TOP['saving'], n_t)},{df})", POUNDS)
    result("npsv", "NPSV (with officer hours)",
           f"={value}{TOP['npv']}+SUMPRODUCT({_span(TOP['non_cashable'], n_t)},{df})", POUNDS)
    result("pvc", "PV costs", f"=SUMPRODUCT({_span(TOP['year_cost'], n_t)},{df})", POUNDS)
    result("pvb", "PV benefits", f"=SUMPRODUCT({_span(TOP['year_benefit'], n_t)},{df})",
           POUNDS)
    result("bcr", "Benefit–cost ratio",
           f'=IF({pvc}>0,{value}{TOP["pvb"]}/{pvc},"–")', RATIO)
    result("npsv_per_pound", "NPSV per £ of net cost",
           f'=IF({pvc}>0,{value}{TOP["npsv"]}/{pvc},"–")', RATIO)
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

    ws.column_dimensions["A"].width = 38
    ws.column_dimensions["B"].width = 30
    for t in range(n_t + 1):
        ws.column_dimensions[get_column_letter(FIRST_YEAR_COLUMN + t)].width = 15
    ws.freeze_panes = cell_at(ws, TOP["header"] + 1, FIRST_YEAR_COLUMN)
    print_setup(ws)
    ws.print_title_rows = f"{TOP['header']}:{TOP['header']}"
    return OptionSheet(ws.title, decisions)


def _shares(ws: Worksheet, pack: Pack, sheets: list[OptionSheet]) -> dict[tuple[int, int], str]:
    """Each force's weight, and its lines and NPV under every option."""
    plan, ctx, layout = pack.plan, pack.ctx, pack.shares
    n_t = pack.n_t
    put_text(ws["A1"], "Each force's share").font = TITLE_FONT
    put_text(ws["A2"], "Shared costs and savings are split by the sharing basis on the "
             "Assumptions sheet (officers, population, net_revenue, equal or agreed) among "
             "the forces that take part in each decision. A force's own estate, its "
             "contracts' exit fees (unless pooled), its staff and sites stay its own; "
             "severance follows each force's own fall in support staff. Change the basis "
             "there and the weights below follow.")
    for c, text in enumerate(("Force", "Code", "Basis figure", "Weight"), start=1):
        style_header(cell_at(ws, 4, c))
        put_text(cell_at(ws, 4, c), text)
    first, last = FIRST_WEIGHT_ROW, layout.last_weight_row
    for i, force in enumerate(plan.forces):
        rr = first + i

        def figure(attr: str, code: str = force.code) -> str:
            return ctx.ref("forces", (code,), attr)

        put_text(cell_at(ws, rr, 1), force.name)
        put_text(cell_at(ws, rr, 2), force.code)
        put_formula(cell_at(ws, rr, 3),
                    f'=IF(SharingBasis="officers",{figure("officers")},'
                    f'IF(SharingBasis="population",{figure("population")},'
                    f'IF(SharingBasis="net_revenue",N({figure("net_revenue_budget")}),'
                    f'IF(SharingBasis="agreed",N({figure("agreed_share")}),1))))', NUMBER)
        put_formula(cell_at(ws, rr, 4), f"=IF(SUM($C${first}:$C${last})=0,1/{len(plan.forces)},"
                                    f"C{rr}/SUM($C${first}:$C${last}))", "0.0000%")
    b = next(o for o, option in enumerate(plan.options) if option.is_baseline)
    end_col = get_column_letter(FIRST_YEAR_COLUMN + n_t)
    npv_cells: dict[tuple[int, int], str] = {}
    for o, option in enumerate(plan.options):
        start = layout.start(o)
        put_text(cell_at(ws, start, 1), f"{option.name}: each force's lines").font = TITLE_FONT
        for c, text in ((1, "Line"), (2, "Force")):
            style_header(cell_at(ws, start + 1, c))
            put_text(cell_at(ws, start + 1, c), text)
        base_t = quote_sheetname(pack.baseline) + "!"
        for t in range(n_t):
            cell = cell_at(ws, start + 1, FIRST_YEAR_COLUMN + t)
            put_formula(cell, _year_header(t, f"{base_t}{_col(t)}${TOP['t']}"))
            style_header(cell)
        style_header(ws[f"{end_col}{start + 1}"])
        put_text(ws[f"{end_col}{start + 1}"], "Total (net cost: NPV against the baseline)")
        ws.row_dimensions[start + 1].height = 30
        for f in range(len(plan.forces)):
            npv_cells[(o, f)] = _force_lines(ws, pack, sheets[o], o, f, b)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 24
    for t in range(n_t + 1):
        ws.column_dimensions[get_column_letter(FIRST_YEAR_COLUMN + t)].width = 15
    ws.freeze_panes = "C5"
    print_setup(ws)
    return npv_cells


def _force_lines(ws: Worksheet, pack: Pack, sheet: OptionSheet, o: int, f: int, b: int) -> str:
    """One force's support FTE, severance, exit fees and net cost under option o, a year a
    column; returns the cell of its NPV against the baseline (option b)."""
    plan, ctx, layout = pack.plan, pack.ctx, pack.shares
    n_t = pack.n_t
    ew, sw = pack.estate, pack.sites
    force = plan.forces[f]
    n = f + 1
    base = quote_sheetname(pack.baseline) + "!"
    cf = quote_sheetname(sheet.name) + "!"
    end_col = get_column_letter(FIRST_YEAR_COLUMN + n_t)
    rows = {line: layout.row(o, line, f) for line in SHARES_LINES}
    base_fte = layout.row(b, "fte", f)
    own = [(dr, ctx.split(force.code, dr.held.decision)) for dr in sheet.decisions
           if force.code in ctx.members(dr.held.decision)]
    fte_range = ctx.input_range("estate", "support_fte", ew.count)
    for line in SHARES_LINES:
        put_text(cell_at(ws, rows[line], 1), SHARES_LABELS[line])
        put_text(cell_at(ws, rows[line], 2), force.name)

    # What stays the same from year to year, written once: the force's estate lines and
    # its share of each decision's lines.
    mine = f",{ew.range('force_number')},{n},{ew.range('off', o)},"
    kept_fte, transferred, charged, running = (f"SUMIFS({values}{mine}" for values in (
        fte_range, ew.range("transfer", o), ew.range("fee", o), ew.range("running")))
    shares = [(f"{split}*{cf}", dr.rows) for dr, split in own]
    t_row, fte, exit_fees, severance = TOP["t"], rows["fte"], rows["exit_fees"], \
        rows["severance"]
    columns = [(FIRST_YEAR_COLUMN + t, _col(t)) for t in range(n_t)]
    for t, (column, c) in enumerate(columns):
        y = _year(c, base)
        formulas = {}
        own_fte = [f"{share}{c}{lines['fte']}" for share, lines in shares]
        formulas["fte"] = "=" + _join([f'{kept_fte}">"&{y})', *own_fte] if ew.count
                                      else own_fte)
        gap = f"({c}{base_fte}-{c}{fte})"
        before = f"({columns[t - 1][1]}{base_fte}-{columns[t - 1][1]}{fte})" if t else "0"
        formulas["severance"] = (f"=MAX(0,MAX(0,{gap}-{before})-"
                                 f"{f'{transferred}{y})' if ew.count else '0'})"
                                 "*SeverancePerFTE")
        pooled = _join([f"{share}{c}{lines['exit_fees']}" for share, lines in shares])
        formulas["exit_fees"] = (f"=IF(ExitFeesPooled=1,{pooled},"
                                 f"{f'{charged}{y})' if ew.count else '0'})")
        terms = [f'{running}">"&{y})'] if ew.count else []
        terms += [f"{c}{fte}*CostPerStaffFTE", f"{c}{exit_fees}", f"{c}{severance}"]
        terms += [f"{share}{c}{lines['net']}" for share, lines in shares]
        if sw.count:
            closes, site = sw.range("closes", o), f"{sw.range('force_number')},{n}"
            terms += [f'SUMIFS({sw.range("running")},{site},{closes},">"&{y})',
                      f"SUMIFS({sw.range('closure_cost', o)},{site},{closes},{y})",
                      f"-SUMIFS({sw.range('receipt', o)},{site},{closes},{y})"]
            terms.append(f'-IF({base}{c}${t_row}=HorizonYears-1,'
                         f'SUMIFS({sw.range("value")},{site},{closes},">"&{y}),0)')
        formulas["net"] = "=" + _join(terms)
        within = f"{base}{c}${t_row}"
        for line, formula in formulas.items():
            put_formula(cell_at(ws, rows[line], column), _within(within, formula),
                        NUMBER if line == "fte" else POUNDS)
    for line in ("severance", "exit_fees"):
        put_formula(cell_at(ws, rows[line], FIRST_YEAR_COLUMN + n_t),
                    f"=SUM({_span(rows[line], n_t)})", POUNDS)
    df = f"{base}{_span(TOP['df'], n_t, absolute=True)}"
    base_net = layout.row(b, "net", f)
    put_formula(cell_at(ws, rows['net'], FIRST_YEAR_COLUMN + n_t),
                f"=SUMPRODUCT({_span(base_net, n_t)}-{_span(rows['net'], n_t)},{df})", POUNDS)
    return f"Shares!${end_col}${rows['net']}"


_RESULT_CELLS = {
    # headline key -> (the row of the option's cash-flow sheet it reads, which year)
    "npv": ("npv", "first"), "npsv": ("npsv", "first"), "pv_benefits": ("pvb", "first"),
    "pv_costs": ("pvc", "first"), "bcr": ("bcr", "first"),
    "npsv_per_pound": ("npsv_per_pound", "first"),
    "payback_year": ("payback_label", "first"), "one_off_cost": ("one_off", "sum"),
    "support_fte_final_year": ("fte", "last"),
    "officer_hours_released_per_week": ("hours", "last"),
    "officer_fte_equivalent": ("officer_fte", "last"),
    "savings_target_status": ("target_met", "first"),
}
_HEADLINE_CELLS = {key: cell for key, cell in _RESULT_CELLS.items() if key in BY_KEY}
"""Where the Summary sheet finds each headline figure: every one has a live formula (and a
figure the cash-flow sheets state, such as NPSV per £, is ready for the list to name)."""
_FORMAT = {Unit.MONEY: POUNDS, Unit.RATIO: RATIO, Unit.YEAR: "@", Unit.FTE: NUMBER,
           Unit.HOURS: NUMBER, Unit.STATUS: "@"}


SUMMARY_HEADER = 6
"""The Summary's row of option names; each headline's row follows, in HEADLINES order."""


def _recommendation(cell: Any, pack: Pack, r: Results) -> None:
    """Page 1's first words, live: the option the Options sheet marks preferred (else the
    one the program recommends, the best by NPSV), its NPSV, payback and one-off cost."""
    plan, layout = pack.plan, pack.ctx.layout
    if not plan.options:
        return
    rows = [layout.rows[("options", o.code)] for o in plan.options]
    role = layout.columns[("options", "role")]
    roles = f"Options!${role}${min(rows)}:${role}${max(rows)}"
    fallback = recommended([o.role for o in plan.options], r.npsv.tolist(), r.baseline) + 1
    k = f'IFERROR(MATCH("{OptionRole.PREFERRED.value}",{roles},0),{fallback})'
    last = get_column_letter(1 + len(plan.options))

    def pick(key: str) -> str:
        row = SUMMARY_HEADER + 1 + [h.key for h in HEADLINES].index(key)
        return f"INDEX($B${row}:${last}${row},{k})"

    put_formula(cell, f'="Recommended: "&INDEX($B${SUMMARY_HEADER}:${last}${SUMMARY_HEADER},{k})'
                f'&" · NPSV "&TEXT({pick("npsv")},"£#,##0")&", NPV "&TEXT({pick("npv")},'
                f'"£#,##0")&", payback "&{pick("payback_year")}&", one-off cost "&'
                f'TEXT({pick("one_off_cost")},"£#,##0")').font = Font(bold=True, size=12)


def summary_cell(key: str, o: int) -> str:
    """The Summary's cell of option o's headline `key`, as a reference from another sheet."""
    row = SUMMARY_HEADER + 1 + [h.key for h in HEADLINES].index(key)
    return f"Summary!${get_column_letter(2 + o)}${row}"


def _headline_formula(key: str, sheet: str, n_t: int) -> str:
    row, year = _HEADLINE_CELLS[key]
    if year == "sum":
        return f"=SUM({sheet}!{_span(TOP[row], n_t, True)})"
    if year == "first":
        return f"={sheet}!$C${TOP[row]}"
    return f"=INDEX({sheet}!{_span(TOP[row], n_t, True)},HorizonYears)"  # the last year's


def _years_refused(pack: Pack) -> str:
    """True, as a formula, for a base year or horizon typed into the workbook that the
    program would refuse: out of its limits (a horizon no longer than the pack's year
    columns), or leaving a go-live or closure year outside the appraisal's years."""
    base = next(c for c in schema.SETTINGS if c.attr == "base_year")
    last = "(BaseYear+HorizonYears-1)"
    tests = [
        "NOT(ISNUMBER(BaseYear))", f"BaseYear<{base.minimum}", f"BaseYear>{base.maximum}",
        "BaseYear<>INT(BaseYear)", "NOT(ISNUMBER(HorizonYears))", "HorizonYears<1",
        f"HorizonYears>{pack.n_t}", "HorizonYears<>INT(HorizonYears)"]
    counts = []
    for table, attr, count in (
            ("decisions", "go_live_year", sum(len(o.decisions) for o in pack.plan.options)),
            ("site_actions", "closure_year",
             sum(len(o.site_actions) for o in pack.plan.options))):
        if count:
            years = pack.ctx.input_range(table, attr, count)
            counts.append(f'COUNTIFS({years},"<"&BaseYear)+COUNTIFS({years},">"&{last})')
    if counts:
        tests.append("+".join(counts) + ">0")
    return f"OR({','.join(tests)})"


def limit_horizon(wb: Workbook, plan: Plan) -> None:
    """The pack holds one column for each year of the exported horizon: a shorter horizon
    typed in recalculates every sheet (the later columns fall blank), a longer one needs
    more columns, so Excel refuses it with a message saying where to make it."""
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet, ref = next(iter(wb.defined_names["HorizonYears"].destinations))
    ws = wb[sheet]
    cell = ws[ref.replace("$", "")]
    n_t = plan.horizon_years
    rule = DataValidation(type="whole", operator="between", formula1="1",
                          formula2=str(n_t), showErrorMessage=True, errorStyle="stop",
                          errorTitle="At most the years this pack holds",
                          error=f"This pack holds {n_t} year columns: a horizon from 1 to "
                                f"{n_t} years recalculates here. For a longer one, change it "
                                "on the Plan page of Alliance Planner and export the board "
                                "pack again.")
    ws.add_data_validation(rule)
    rule.add(cell)
    cell_at(ws, cell.row, cell.column + 1).value = (
        f"Years appraised, 1 to {n_t} in this pack (one column a year): a shorter horizon "
        "recalculates every sheet; for a longer one, change it in Alliance Planner and "
        "export again")


def _summary(ws: Worksheet, pack: Pack, r: Results, names: list[str],
             force_npv: dict[tuple[int, int], str]) -> int:
    """The comparison; returns the row of the first force's NPV (the bar chart's data)."""
    plan = pack.plan
    n_t = plan.horizon_years
    put_text(ws["A1"], plan.name).font = TITLE_FONT
    put_text(ws["A2"], plan.alliance)
    put_formula(ws["A3"], f'=IF({_years_refused(pack)},' + literal(
        "THE BASE YEAR OR HORIZON IS ONE ALLIANCE PLANNER REFUSES: the base year must be a "
        f"whole year from 1990 to 2100, the horizon a whole number of years from 1 to {n_t} "
        "(the year columns this pack holds), and every go-live and site closure year within "
        "the appraisal's years. Until they are put right (Assumptions sheet), these figures "
        "mean nothing.") + ','
                f'"Base year "&{year_label(0)}&", "&HorizonYears&" years, discount rate "&'
                f'TEXT(DiscountRate,"0.0%")&" real; money in pounds at "&{year_label(0)}&'
                '" prices")')
    put_text(ws["A4"], "Change any yellow cell on the Assumptions, Estate, Decisions, Sites or "
             "Deflators sheets (a rate, a price, a price year, a go-live year, an exit fee, the "
             "sharing basis) and every figure here recalculates. Alliance Planner's Help › Method "
             "(F1) states each formula.")
    _recommendation(ws["A5"], pack, r)
    header = SUMMARY_HEADER
    style_header(cell_at(ws, header, 1))
    put_text(cell_at(ws, header, 1), "Figure")
    for o, option in enumerate(plan.options):
        cell = cell_at(ws, header, 2 + o)
        put_text(cell, option.name + (" (baseline)" if option.is_baseline else ""))
        style_header(cell)
    ws.row_dimensions[header].height = 48
    right = Alignment(horizontal="right")
    row = header + 1
    for headline in HEADLINES:
        put_text(cell_at(ws, row, 1), headline.label)
        for o, name in enumerate(names):
            formula = _headline_formula(headline.key, quote_sheetname(name), n_t)
            put_formula(cell_at(ws, row, 2 + o), formula, _FORMAT[headline.unit]).alignment = right
        row += 1
    row += 1
    put_text(cell_at(ws, row, 1), "Each force's NPV").font = TITLE_FONT
    row += 1
    first_force_row = row
    for f, force in enumerate(plan.forces):
        put_text(cell_at(ws, row, 1), force.name)
        for o in range(len(plan.options)):
            put_formula(cell_at(ws, row, 2 + o), "=" + force_npv[(o, f)], POUNDS)
        row += 1
    row += 1
    _early_exits(ws, pack, row, r)
    ws.column_dimensions["A"].width = 44
    for c in range(2, max(2 + len(plan.options), 7)):
        ws.column_dimensions[get_column_letter(c)].width = 22
    ws.freeze_panes = cell_at(ws, header + 1, 2)
    print_setup(ws)
    ws.print_title_rows = f"{header}:{header}"
    ws.sheet_properties.tabColor = "1F4E79"
    return first_force_row


EARLY_EXIT_HEADERS = ("Option", "Service", "Force", "Contract ends", "Go-live",
                      "Exit fee the force pays")


def _early_exits(ws: Worksheet, pack: Pack, row: int, r: Results) -> None:
    """The go-lives before a contract ends, as the workbook stands: the Estate workings
    number each early exit; row k of the list finds the k-th. Each row caches the early
    exit the program found, in the order the workings number them."""
    ew, ctx, plan = pack.estate, pack.ctx, pack.plan
    exported = len(r.early_exits)
    place = {o.code: k for k, o in enumerate(plan.options)}
    found = sorted(r.early_exits, key=lambda e: (
        place[e.option], ctx.layout.rows[("estate", e.force, e.service)]))
    if not ew.candidates:
        return
    put_text(cell_at(ws, row, 1), "Go-lives before a contract ends (early exits)").font = TITLE_FONT
    row += 1
    put_text(cell_at(ws, row, 1), "Early exits, as the workbook stands")
    count = f"$B${row}"
    cache(put_formula(cell_at(ws, row, 2), f"=COUNT({ew.block('fee')})", "0"), exported)
    row += 1
    for c, text in enumerate(EARLY_EXIT_HEADERS, start=1):
        style_header(cell_at(ws, row, c))
        put_text(cell_at(ws, row, c), text)
    row += 1
    capacity = min(ew.candidates, max(exported + 3, 5))
    numbers = ew.block("number")
    first_column = ew.column("number", 0)
    offset = ws.parent[ew.sheet][f"{first_column}1"].column - 1

    def names(table: str, count: int) -> str:
        return ctx.input_range(table, "name", count)

    def whole(column: str) -> str:
        return sheet_range(ew.sheet, column, 1, ew.last)

    contract_end = sheet_range(TABLES["estate"].sheet, ctx.column("estate", "contract_end"),
                               1, ew.last)
    for k in range(1, capacity + 1):
        hit = f"SUMPRODUCT(({numbers}={k})*ROW({numbers}))"
        option = f"SUMPRODUCT(({numbers}={k})*(COLUMN({numbers})-{offset}))"
        go = f"INDEX({ew.block('off', 1)},{hit},{option})"
        cells = (
            (f"INDEX({names('options', len(plan.options))},{option})", None),
            (f"INDEX({names('services', len(plan.services))},INDEX("
             f"{whole(ew.column('service_number'))},{hit}))", None),
            (f"INDEX({names('forces', len(plan.forces))},INDEX("
             f"{whole(ew.column('force_number'))},{hit}))", None),
            (f"INDEX({contract_end},{hit})", DATE),
            (f'{go}&"/"&RIGHT({go}+1,2)', None),
            (f"INDEX({ew.block('charged', 1)},{hit},{option})", POUNDS),
        )
        values: tuple[Any, ...] = ("",) * len(cells)
        if k <= exported:
            e = found[k - 1]
            values = (plan.option(e.option).name, plan.service(e.service).name,
                      plan.force(e.force).name, e.contract_end,
                      f"{e.go_live_year}/{str(e.go_live_year + 1)[-2:]}", e.exit_cost)
        for c, (formula, fmt) in enumerate(cells, start=1):
            cell = put_formula(cell_at(ws, row, c), f'=IF({count}<{k},"",{formula})', fmt)
            cache(cell, values[c - 1])
            if c == 5:
                cell.alignment = Alignment(horizontal="right")
        row += 1
    more = put_formula(cell_at(ws, row, 1), f'=IF({count}>{capacity},"... and "&({count}-'
                                        f'{capacity})&" more: the Estate workings sheet '
                                        'numbers each","")')
    cache(more, f"... and {exported - capacity} more: the Estate workings sheet numbers each"
          if exported > capacity else "")


def _axes(chart, number_format: str) -> None:
    """Show both axes (openpyxl hides them unless told) and format the values."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.number_format = number_format
    chart.y_axis.majorGridlines = chart.y_axis.majorGridlines
    chart.x_axis.tickLblPos = "low"  # the years below the plot, not on a zero line above
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
            series = Series(values)
            series.tx = SeriesLabel(v=plan.options[o].name[:60])  # text, even if it starts "="
            series.smooth = False
            series.graphicalProperties.line.solidFill = option_colour(o).lstrip("#")
            series.graphicalProperties.line.width = 22_000  # EMU: about 1.7 pt
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
        series = Series(values)
        series.tx = SeriesLabel(v=plan.options[o].name[:60])
        series.graphicalProperties.solidFill = option_colour(o).lstrip("#")
        series.graphicalProperties.line.solidFill = option_colour(o).lstrip("#")
        bars.series.append(series)
    bars.set_categories(Reference(summary, min_col=1, min_row=first_force_row,
                                  max_row=first_force_row + n_f - 1))
    _axes(bars, MONEY_M)
    ws.add_chart(bars, "K20")
    print_setup(ws)

