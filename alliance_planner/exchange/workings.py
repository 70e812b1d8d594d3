"""The board pack's workings: the steps between the input sheets and the cash flows.

Each workings sheet is a formula over the input cells, one row an input row, so that a
board member can follow any figure back to what was typed:

* **Workings**: the price base (the GDP deflator of the base year and of the series' last
  year), whether exit fees are pooled, the severance of one support post, and the Green
  Book's optimism bias table and discount rates.
* **Estate workings**, one row an Estate row: the price factor, the running cost at
  base-year prices and, for each option, the year it moves the item off its force's own
  platform, the early-termination fee, the staff who transfer and the early exits' order.
* **Decision workings**, one row a Decisions row: the price factor, the optimism bias rates
  by category and mitigation, and each decision's amounts at base-year prices.
* **Site workings**, one row a Sites row: the price factor and, for each option, when it
  closes the site and what that costs and brings in.

What stays structure (written as the program knew it): which decision each option is held
to for each service (its own, or the baseline's), which forces take part in a decision,
and the transition profile's and the benefit ramp's fractions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from openpyxl.utils import column_index_from_string, get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..domain.green_book import (
    CAPITAL_OB,
    DEFLATOR_SOURCE,
    DISCOUNT_SCHEDULE,
    DISCOUNT_SOURCE,
    OB_SOURCE,
    RUNNING_OB,
    OBCategory,
)
from ..domain.model import Decision, Plan
from .cells import (
    NUMBER,
    PERCENT,
    POUNDS,
    TITLE_FONT,
    cell_at,
    print_setup,
    put_formula,
    put_number,
    put_text,
    style_header,
)
from .inputs import TABLES, Layout

NEVER = 9999
"""The 'year' an option moves an item off its own platform, or closes a site, if it never does."""
FACTOR = "0.000000"
DEFLATOR_ROWS = 200
"""How far down the Deflators sheet the formulas look: room for a board member's new rows."""


def sheet_ref(sheet: str, column: str, row: int) -> str:
    return f"{quote_sheetname(sheet)}!${column}${row}"


def sheet_range(sheet: str, column: str, first: int, last: int) -> str:
    return f"{quote_sheetname(sheet)}!${column}${first}:${column}${last}"


def _name(wb: Workbook, name: str, ref: str) -> None:
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


@dataclass(frozen=True)
class Held:
    """A decision an option is held to: its own, or for a service it does not decide, the
    baseline's (every option is business as usual plus its changes)."""

    holder: str  # the code of the option whose Decisions row it is
    decision: Decision
    inherited: bool

    @property
    def key(self) -> tuple[str, str, str]:
        return ("decisions", self.holder, self.decision.service)


def held_decisions(plan: Plan) -> list[list[Held]]:
    """For each option, the decisions it is held to that have a go-live year."""
    baseline = plan.baseline
    found = []
    for option in plan.options:
        held = [Held(option.code, d, False) for d in option.decisions]
        if baseline is not None and option is not baseline:
            decided = {d.service for d in option.decisions}
            held += [Held(baseline.code, d, True) for d in baseline.decisions
                     if d.service not in decided]
        found.append([h for h in held if h.decision.go_live_year is not None])
    return found


class Context:
    """Where the inputs are, and the references every workings formula shares."""

    def __init__(self, plan: Plan, layout: Layout, weights_sheet: str, first_weight_row: int):
        self.plan = plan
        self.layout = layout
        self.held = held_decisions(plan)
        self.weights_sheet = weights_sheet
        self.first_weight_row = first_weight_row
        self.force_number = {f.code: i + 1 for i, f in enumerate(plan.forces)}
        self.service_number = {s.code: i + 1 for i, s in enumerate(plan.services)}
        self._every_force = tuple(f.code for f in plan.forces)
        self._splits: dict[tuple[str, tuple[str, ...]], str] = {}
        self._refs: dict[tuple[tuple[str, str, str], str], str] = {}

    def ref(self, table: str, key: tuple[str, ...], attr: str) -> str:
        return self.layout.ref(table, (table, *key), attr)

    def decision(self, held: Held, attr: str) -> str:
        """The input cell of a decision's field, written once: it recurs in every year."""
        key = (held.key, attr)
        found = self._refs.get(key)
        if found is None:
            found = self._refs[key] = self.layout.ref("decisions", held.key, attr)
        return found

    def column(self, table: str, attr: str) -> str:
        return self.layout.columns[(table, attr)]

    def input_range(self, table: str, attr: str, count: int) -> str:
        return sheet_range(TABLES[table].sheet, self.column(table, attr), 2, 1 + max(count, 1))

    def weight(self, force: str) -> str:
        row = self.first_weight_row + self.force_number[force] - 1
        return sheet_ref(self.weights_sheet, "D", row)

    def members(self, decision: Decision) -> tuple[str, ...]:
        return decision.forces or self._every_force

    def split(self, force: str, decision: Decision) -> str:
        """The force's share of what a decision adds: its weight over its partners' (the
        weights are already normalised over every force), equal shares if all are 0.
        Each is written once: a force's share recurs in every year of every option."""
        key = (force, decision.forces)
        found = self._splits.get(key)
        if found is None:
            found = self._splits[key] = self._split(force, decision.forces)
        return found

    def _split(self, force: str, partners: tuple[str, ...]) -> str:
        if not partners:
            return self.weight(force)
        total = "+".join(self.weight(c) for c in partners)
        return f"IF(({total})=0,1/{len(partners)},{self.weight(force)}/({total}))"

    def number_of(self, table: str, code_cell: str) -> str:
        """The position of a force or service (by its code) on its sheet, 1 for the first:
        an exact comparison, so that codes are never read as wildcards."""
        count = len(getattr(self.plan, table))
        codes = self.input_range(table, "code", count)
        return f"=SUMPRODUCT(({codes}={code_cell})*(ROW({codes})-1))"


# --- the Workings sheet -----------------------------------------------------------------------


def price_factor(year_cell: str) -> str:
    """Cash of the year in `year_cell` to base-year prices; 1 where the cell is blank."""
    return (f'=IF(OR({year_cell}="",COUNT(DeflatorYears)=0),1,'
            f"BaseDeflator/{_deflator(year_cell)})")


def deflator_formula(year: str) -> str:
    """D(year) as a formula: the Deflators sheet's index, or past its last year the last
    index grown by DeflatorGrowth."""
    return _deflator(year)


def _deflator(year: str) -> str:
    return (f"IF({year}>LastDeflatorYear,LastDeflator*(1+DeflatorGrowth)^({year}"
            f"-LastDeflatorYear),INDEX(DeflatorIndex,MATCH({year},DeflatorYears,0)))")


def write_workings(ws: Worksheet, plan: Plan, layout: Layout) -> None:
    """The Workings sheet and its named cells."""
    wb = ws.parent
    sheet = ws.title
    count = max(len(plan.deflators), 1) + DEFLATOR_ROWS
    deflators = TABLES["deflators"].sheet
    _name(wb, "DeflatorYears", sheet_range(deflators, layout.columns[("deflators", "year")],
                                           2, 1 + count))
    _name(wb, "DeflatorIndex", sheet_range(deflators, layout.columns[("deflators", "index")],
                                           2, 1 + count))
    put_text(ws["A1"], "Workings").font = TITLE_FONT
    put_text(ws["A2"], "The steps between the input sheets and the cash flows: formulas over "
             "the yellow cells, for auditing. The tables below are the Green Book's.")
    for c, text in enumerate(("Figure", "Value", "How"), start=1):
        style_header(cell_at(ws, 4, c))
        put_text(cell_at(ws, 4, c), text)
    rows = (
        ("LastDeflatorYear", "Last year of the deflator series",
         "=IF(COUNT(DeflatorYears)=0,0,MAX(DeflatorYears))", "0",
         "The Deflators sheet's last financial year; later years grow by DeflatorGrowth"),
        ("LastDeflator", "Its deflator",
         "=IF(COUNT(DeflatorYears)=0,1,INDEX(DeflatorIndex,MATCH(LastDeflatorYear,"
         "DeflatorYears,0)))", "0.0000", ""),
        ("BaseDeflator", "Deflator of the base year",
         f"=IF(COUNT(DeflatorYears)=0,1,{_deflator('BaseYear')})", "0.0000",
         "Cash of year y is base-year real terms x BaseDeflator / D(y): the price factor"),
        ("ExitFeesPooled", "Exit fees pooled (1 yes, 0 no)",
         '=IF(OR(N(PoolExitFees)=1,PoolExitFees="yes",PoolExitFees="y",'
         'PoolExitFees="true"),1,0)', "0",
         "Yes: a decision's fees are shared by the sharing weights; no: each force pays its "
         "own"),
        ("SeverancePerFTE", "Severance of one support post removed",
         "=SeveranceMonths/12*(1-TurnoverShare)*CostPerStaffFTE", POUNDS,
         "Months of pay / 12 x the share not absorbed by turnover x the cost of a support FTE"),
    )
    for r, (name, label, formula, fmt, how) in enumerate(rows, start=5):
        put_text(cell_at(ws, r, 1), label)
        put_formula(cell_at(ws, r, 2), formula, fmt)
        put_text(cell_at(ws, r, 3), how)
        _name(wb, name, sheet_ref(sheet, "B", r))

    top = 5 + len(rows) + 1
    put_text(cell_at(ws, top, 1), "Optimism bias (Green Book): rate = lower + (upper - lower) x "
             "(1 - mitigation)").font = TITLE_FONT
    headers = ("Category", "One-off: upper", "One-off: lower", "Running: upper",
               "Running: lower")
    for c, text in enumerate(headers, start=1):
        style_header(cell_at(ws, top + 1, c))
        put_text(cell_at(ws, top + 1, c), text)
    categories = [c for c in OBCategory if c is not OBCategory.STATED]
    first = top + 2
    for i, category in enumerate(categories):
        row = first + i
        put_text(cell_at(ws, row, 1), category.value)
        for c, table in ((2, CAPITAL_OB), (4, RUNNING_OB)):
            if category in table:
                upper, lower = table[category]
                put_number(cell_at(ws, row, c), upper, PERCENT)
                put_number(cell_at(ws, row, c + 1), lower, PERCENT)
    last = first + len(categories) - 1
    for name, column in (("OBCategory", "A"), ("OBOneOffUpper", "B"), ("OBOneOffLower", "C"),
                         ("OBRunningUpper", "D"), ("OBRunningLower", "E")):
        _name(wb, name, sheet_range(sheet, column, first, last))
    put_text(cell_at(ws, last + 1, 1), OB_SOURCE)

    top = last + 3
    put_text(cell_at(ws, top, 1), "Discount rates (Green Book)").font = TITLE_FONT
    for c, text in enumerate(("From year", "Rate"), start=1):
        style_header(cell_at(ws, top + 1, c))
        put_text(cell_at(ws, top + 1, c), text)
    for i, (year, rate) in enumerate(DISCOUNT_SCHEDULE):
        put_number(cell_at(ws, top + 2 + i, 1), year, "0")
        put_number(cell_at(ws, top + 2 + i, 2), rate, PERCENT)
    row = top + 2 + len(DISCOUNT_SCHEDULE)
    put_text(cell_at(ws, row, 1), DISCOUNT_SOURCE + ". The plan's discount rate stands for "
             "years 0-30; later years step down from it by the schedule's steps.")
    put_text(cell_at(ws, row + 1, 1), "Deflators: " + DEFLATOR_SOURCE + ".")
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 16
    ws.column_dimensions["C"].width = 16
    ws.column_dimensions["D"].width = 16
    ws.column_dimensions["E"].width = 16
    print_setup(ws)
    ws.print_title_rows = None


def _ob_rate(ctx: Context, held: Held, running: bool) -> str:
    """The optimism bias a decision's costs take: the stated rate, or the table's."""
    prefix = "running_" if running else ""
    category = ctx.decision(held, f"{prefix}ob_category")
    stated = ctx.decision(held, "running_optimism_bias" if running else "optimism_bias")
    mitigation = ctx.decision(held, f"{prefix}ob_mitigation")
    kind = "Running" if running else "OneOff"
    upper = f"SUMPRODUCT((OBCategory={category})*OB{kind}Upper)"
    lower = f"SUMPRODUCT((OBCategory={category})*OB{kind}Lower)"
    return f'=IF({category}="stated",{stated},{lower}+({upper}-{lower})*(1-{mitigation}))'


# --- one row an input row ---------------------------------------------------------------------


def _headers(ws: Worksheet, headers: list[str], widths: dict[int, int] | None = None) -> None:
    for c, text in enumerate(headers, start=1):
        cell = cell_at(ws, 1, c)
        put_text(cell, text)
        style_header(cell)
        ws.column_dimensions[get_column_letter(c)].width = (widths or {}).get(c, 16)
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "C2"
    print_setup(ws)


DECISION_COLUMNS = {
    "factor": ("C", "Price factor", FACTOR),
    "ob": ("D", "One-off optimism bias", PERCENT),
    "running_ob": ("E", "Running optimism bias", PERCENT),
    "one_off": ("F", "Transition with OB (base-year prices)", POUNDS),
    "running": ("G", "Shared running a year with OB (base-year prices)", POUNDS),
    "other": ("H", "Other savings a year, realised (base-year prices)", POUNDS),
    "hours": ("I", "Officer hours a week, realised", NUMBER),
    "years_live": ("J", "Years live in the period", NUMBER),
    "residual": ("K", "Residual value at the end", POUNDS),
}


class DecisionWorkings:
    """One row a Decisions row: its price factor, optimism bias and amounts in real terms."""

    def __init__(self, ws: Worksheet, ctx: Context):
        self.sheet = ws.title
        plan = ctx.plan
        _headers(ws, ["Option", "Service", *(c[1] for c in DECISION_COLUMNS.values())])
        for option in plan.options:
            for d in option.decisions:
                held = Held(option.code, d, False)
                row = ctx.layout.rows[held.key]

                def at(key: str, row: int = row) -> str:
                    return f"${DECISION_COLUMNS[key][0]}${row}"

                def put(key: str, formula: str, row: int = row) -> None:
                    column, _, fmt = DECISION_COLUMNS[key]
                    put_formula(ws[f"{column}{row}"], formula, fmt)

                def cell(attr: str, held: Held = held) -> str:
                    return ctx.decision(held, attr)

                put_text(cell_at(ws, row, 1), option.code)
                put_text(cell_at(ws, row, 2), d.service)
                put("factor", price_factor(cell("price_year")))
                put("ob", _ob_rate(ctx, held, running=False))
                put("running_ob", _ob_rate(ctx, held, running=True))
                put("one_off", f"={cell('transition_cost')}*{at('factor')}*(1+{at('ob')})")
                put("running", f"={cell('shared_running_cost')}*{at('factor')}"
                               f"*(1+{at('running_ob')})")
                put("other", f"={cell('other_savings')}*{at('factor')}"
                             f"*{cell('benefit_realisation')}")
                put("hours", f"={cell('officer_hours_per_week')}*{cell('benefit_realisation')}")
                put("years_live", f"=HorizonYears-({cell('go_live_year')}-BaseYear)")
                life = cell("asset_life")
                put("residual", f"=IF({life}>0,{at('one_off')}*MAX(0,1-{at('years_live')}"
                                f"/{life}),0)")
        ws.column_dimensions["B"].width = 22

    def ref(self, held: Held, key: str, ctx: Context) -> str:
        return sheet_ref(self.sheet, DECISION_COLUMNS[key][0], ctx.layout.rows[held.key])


class EstateWorkings:
    """One row an Estate row: in base-year prices, and as each option treats it.

    For each option, in blocks of one column an option: the year the option moves the item
    off its force's own platform (the go-live of the converging decision it is held to,
    9999 if none), the contract's early-termination fee if that comes before the contract
    ends (blank if not), the support FTE who transfer to the supplier, the fee the force is
    charged (its own, or under pooling its share of the decision's), and the early exit's
    number, for the Summary's list.
    """

    BLOCKS = ("off", "fee", "transfer", "charged", "number")
    TITLES: ClassVar[dict[str, str]] = {
        "off": "leaves own platform from", "fee": "exit fee if before the contract ends",
        "transfer": "support FTE transferred", "charged": "exit fee the force pays",
        "number": "early exit no."}
    FIXED: ClassVar[dict[str, str]] = {
        "force_number": "C", "service_number": "D", "factor": "E", "running": "F"}

    def __init__(self, ws: Worksheet, ctx: Context):
        self.sheet = ws.title
        plan = ctx.plan
        self.count = len(plan.estate)
        self.last = 1 + self.count
        self.options = len(plan.options)
        self.candidates = 0
        headers = ["Force", "Service", "Force no.", "Service no.", "Price factor",
                   "Running cost a year (base-year prices)"]
        for block in self.BLOCKS:
            headers += [f"{o.code}: {self.TITLES[block]}" for o in plan.options]
        self._columns: dict[tuple[str, int], str] = {}
        self._ranges: dict[tuple[str, int], str] = {}
        _headers(ws, headers, {1: 14, 2: 18})
        if not self.count:
            return
        sheet = quote_sheetname(TABLES["estate"].sheet)
        inputs = {attr: ctx.column("estate", attr) for attr in (
            "force", "service", "price_year", "annual_running_cost", "contract_end", "exit_fee",
            "exit_remaining_share", "support_fte")}

        def estate(attr: str, row: int) -> str:
            return f"{sheet}!${inputs[attr]}${row}"

        converging = [{h.decision.service: h for h in held} for held in ctx.held]
        blocks = {block: [(self.column(block, o), column_index_from_string(
            self.column(block, o))) for o in range(self.options)] for block in self.BLOCKS}
        service_numbers = self.range("service_number")
        for e in plan.estate:
            row = ctx.layout.rows[("estate", e.force, e.service)]
            put_text(cell_at(ws, row, 1), e.force)
            put_text(cell_at(ws, row, 2), e.service)
            put_formula(cell_at(ws, row, 3), ctx.number_of("forces", estate("force", row)), "0")
            put_formula(cell_at(ws, row, 4), ctx.number_of("services", estate("service", row)),
                        "0")
            put_formula(cell_at(ws, row, 5), price_factor(estate("price_year", row)), FACTOR)
            running = estate("annual_running_cost", row)
            put_formula(cell_at(ws, row, 6), f"={running}*$E{row}", POUNDS)
            end = estate("contract_end", row)
            exit_fee, remaining = estate("exit_fee", row), estate("exit_remaining_share", row)
            support_fte = estate("support_fte", row)
            for o in range(self.options):
                held = converging[o].get(e.service)
                column, index = blocks["off"][o]
                off = cell_at(ws, row, index)
                if held is None or e.force not in ctx.members(held.decision):
                    put_number(off, NEVER, "0")
                    continue
                self.candidates += 1
                go = ctx.decision(held, "go_live_year")
                mode = ctx.decision(held, "mode")
                put_formula(off, f'=IF({mode}="converge",{go},{NEVER})', "0")
                at = f"{column}{row}"
                april = f"DATE({at},4,1)"
                fees, index = blocks["fee"][o]
                fee = f"{fees}{row}"
                put_formula(cell_at(ws, row, index), (
                    f'=IF(AND({at}<{NEVER},N({end})>{april}),$E{row}*({exit_fee}'
                    f'+{remaining}*{running}*({end}-{april})/365.25),"")'), POUNDS)
                put_formula(cell_at(ws, row, blocks["transfer"][o][1]),
                            f"=IF({at}<{NEVER},{support_fte}"
                            f"*{ctx.decision(held, 'transfer_share')},0)", NUMBER)
                pooled = (f"{ctx.split(e.force, held.decision)}*SUMIFS({self.range('fee', o)},"
                          f"{service_numbers},$D{row})")
                put_formula(cell_at(ws, row, blocks["charged"][o][1]),
                            f"=IF(ExitFeesPooled=1,{pooled},N({fee}))", POUNDS)
                earlier = (f"COUNT(${blocks['fee'][0][0]}$2:${blocks['fee'][o - 1][0]}"
                           f"${self.last})+" if o else "")
                put_formula(cell_at(ws, row, blocks["number"][o][1]),
                            f'=IF(ISNUMBER({fee}),{earlier}COUNT(${fees}$2:${fees}{row}),"")', "0")

    def column(self, key: str, o: int = 0) -> str:
        found = self._columns.get((key, o))
        if found is None:
            found = self._columns[(key, o)] = self.FIXED[key] if key in self.FIXED else \
                get_column_letter(7 + self.BLOCKS.index(key) * self.options + o)
        return found

    def range(self, key: str, o: int = 0) -> str:
        """A column of the sheet's rows, as a reference: written once (the cash-flow and
        Shares sheets refer to each in every year)."""
        found = self._ranges.get((key, o))
        if found is None:
            found = self._ranges[(key, o)] = sheet_range(self.sheet, self.column(key, o), 2,
                                                         self.last)
        return found

    def block(self, key: str, first_row: int = 2) -> str:
        """Every option's column of one kind, as one range (rows from `first_row`)."""
        left, right = self.column(key, 0), self.column(key, self.options - 1)
        return f"{quote_sheetname(self.sheet)}!${left}${first_row}:${right}${self.last}"


SITE_FIXED = {"force_number": "B", "factor": "C", "running": "D", "value": "E"}


class SiteWorkings:
    """One row a Sites row: in base-year prices, and when each option closes it."""

    BLOCKS = ("closes", "closure_cost", "receipt")
    TITLES: ClassVar[dict[str, str]] = {
        "closes": "closes from", "closure_cost": "closure cost (base-year prices)",
        "receipt": "disposal receipt (base-year prices)"}

    def __init__(self, ws: Worksheet, ctx: Context):
        self.sheet = ws.title
        plan = ctx.plan
        self.count = len(plan.sites)
        self.last = 1 + self.count
        self.options = len(plan.options)
        headers = ["Site", "Force no.", "Price factor", "Running cost a year (base-year prices)",
                   "Market value (base-year prices)"]
        for block in self.BLOCKS:
            headers += [f"{o.code}: {self.TITLES[block]}" for o in plan.options]
        _headers(ws, headers, {1: 18})
        ws.freeze_panes = "B2"

        def site(attr: str, row: int) -> str:
            return sheet_ref(TABLES["sites"].sheet, ctx.column("sites", attr), row)

        for c in plan.sites:
            row = ctx.layout.rows[("sites", c.code)]
            put_text(cell_at(ws, row, 1), c.code)
            put_formula(ws[f"B{row}"], ctx.number_of("forces", site("force", row)), "0")
            put_formula(ws[f"C{row}"], price_factor(site("price_year", row)), FACTOR)
            put_formula(ws[f"D{row}"], f"={site('annual_running_cost', row)}*$C{row}", POUNDS)
            put_formula(ws[f"E{row}"], f"={site('market_value', row)}*$C{row}", POUNDS)
            for o, option in enumerate(plan.options):
                action = next((a for a in option.site_actions if a.site == c.code), None)
                closes = ws[f"{self.column('closes', o)}{row}"]
                if action is None:
                    put_number(closes, NEVER, "0")
                    continue
                key = (option.code, c.code)
                put_formula(closes, f"={ctx.ref('site_actions', key, 'closure_year')}", "0")
                for block, attr in (("closure_cost", "closure_cost"),
                                    ("receipt", "disposal_receipt")):
                    put_formula(ws[f"{self.column(block, o)}{row}"],
                                f"={ctx.ref('site_actions', key, attr)}*$C{row}", POUNDS)

    def column(self, key: str, o: int = 0) -> str:
        if key in SITE_FIXED:
            return SITE_FIXED[key]
        return get_column_letter(6 + self.BLOCKS.index(key) * self.options + o)

    def range(self, key: str, o: int = 0) -> str:
        return sheet_range(self.sheet, self.column(key, o), 2, self.last)
