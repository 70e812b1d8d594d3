"""The plan's input sheets: written into the template and the board pack, and read back.

One layout serves both ways, so a board pack exported and imported again is the same
plan. Reading is all or nothing: every problem in the workbook is collected, named by
sheet, row and column, and no plan is made until there are none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from ..domain import schema
from ..domain.model import Option, Plan
from ..domain.schema import Collection, Column, Kind
from ..domain.validation import validate
from ..formats import ParseError
from ..messages import one_line
from .cells import (
    WRAP,
    cell_at,
    print_setup,
    put_text,
    read_field,
    style_header,
    style_input,
    write_field,
)
from .xlsx import LIMITS, Bad, Limits, SheetRows, Unreadable, column_letter, short
from .xlsx import Workbook as XlsxWorkbook

TABLES: dict[str, Collection] = schema.COLLECTIONS
"""The input sheets, one a collection, in the order they are laid out."""
ASSUMPTIONS = "Assumptions"
NAMES = {
    "base_year": "BaseYear",
    "horizon_years": "HorizonYears",
    "discount_rate": "DiscountRate",
    "cost_per_officer_hour": "CostPerOfficerHour",
    "cost_per_staff_fte": "CostPerStaffFTE",
    "visible_hours_per_officer_week": "VisibleHoursPerOfficerWeek",
    "weeks_per_year": "WeeksPerYear",
    "savings_target": "SavingsTarget",
    "savings_target_years": "SavingsTargetYears",
    "sharing_basis": "SharingBasis",
    "pool_exit_fees": "PoolExitFees",
    "severance_months": "SeveranceMonths",
    "turnover_share": "TurnoverShare",
    "deflator_growth": "DeflatorGrowth",
}
"""The assumptions a board member can change, as named ranges the formulas use."""


@dataclass(frozen=True)
class Imported:
    """A plan read from a workbook, and what the reader had to assume to read it."""

    plan: Plan
    notes: tuple[str, ...] = ()


@dataclass
class Layout:
    """Where the inputs landed, for the board pack's formulas to refer to."""

    rows: dict[tuple[str, ...], int] = field(default_factory=dict)
    columns: dict[tuple[str, str], str] = field(default_factory=dict)

    def ref(self, table: str, key: tuple[str, ...], attr: str) -> str:
        sheet = TABLES[table].sheet
        return f"{quote_sheetname(sheet)}!${self.columns[(table, attr)]}${self.rows[key]}"


# --- writing ----------------------------------------------------------------------------------


def _rows(plan: Plan, table: str) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """(key, values by column) for each record of a table, the holder's code first."""
    collection = TABLES[table]
    found = []
    holders = getattr(plan, collection.parent) if collection.parent else [None]
    for holder in holders:
        records = getattr(holder, table) if holder is not None else getattr(plan, table)
        for record in records:
            values = {c.attr: getattr(record, c.attr) for c in collection.columns}
            key = collection.key_of(record)
            if holder is not None:
                values[collection.parent_column.attr] = holder.code  # type: ignore[union-attr]
                key = (holder.code, *key)
            found.append((key, values))
    return found


def write_inputs(wb: Workbook, plan: Plan, *, spare_rows: int = 0) -> Layout:
    """Add the Assumptions sheet and one sheet a table; returns where each input is."""
    layout = Layout()
    _write_assumptions(wb, plan, layout)
    for table, spec in TABLES.items():
        ws = wb.create_sheet(spec.sheet)
        for c, column in enumerate(spec.all_columns, start=1):
            letter = get_column_letter(c)
            layout.columns[(table, column.attr)] = letter
            cell = cell_at(ws, 1, c)
            put_text(cell, column.header)
            style_header(cell)
            width = column.width // 7 if column.width else max(12, len(column.header) + 2)
            ws.column_dimensions[letter].width = min(60, width)
        rows = _rows(plan, table)
        for r, (key, values) in enumerate(rows, start=2):
            layout.rows[(table, *key)] = r
            for c, column in enumerate(spec.all_columns, start=1):
                cell = write_field(cell_at(ws, r, c), column, values.get(column.attr))
                style_input(cell)
        for r in range(len(rows) + 2, len(rows) + 2 + spare_rows):
            for c in range(1, len(spec.all_columns) + 1):
                style_input(cell_at(ws, r, c))
        ws.freeze_panes = "A2"
        print_setup(ws)
    _validations(wb, plan, spare_rows)
    return layout


def _write_assumptions(wb: Workbook, plan: Plan, layout: Layout) -> None:
    ws = wb.create_sheet(ASSUMPTIONS)
    for c, header in enumerate(("Key", "Setting", "Value", "About"), start=1):
        style_header(cell_at(ws, 1, c))
        put_text(cell_at(ws, 1, c), header)
    for r, column in enumerate(schema.SETTINGS, start=2):
        put_text(cell_at(ws, r, 1), column.attr)
        put_text(cell_at(ws, r, 2), column.header)
        cell = write_field(cell_at(ws, r, 3), column, getattr(plan, column.attr))
        if column.whole and column.kind is not Kind.YEAR:
            cell.number_format = "0"
        style_input(cell)
        put_text(cell_at(ws, r, 4), column.tip).alignment = WRAP
        layout.rows[("plan", column.attr)] = r
        if column.attr in NAMES:
            from openpyxl.workbook.defined_name import DefinedName

            ref = f"{quote_sheetname(ASSUMPTIONS)}!$C${r}"
            wb.defined_names[NAMES[column.attr]] = DefinedName(NAMES[column.attr],
                                                               attr_text=ref)
    for letter, width in zip("ABCD", (30, 34, 22, 70), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    print_setup(ws)


def _validations(wb: Workbook, plan: Plan, spare_rows: int) -> None:
    """Drop-down lists where a cell takes one of a few values."""
    def lists(table: str, attr: str, formula: str) -> None:
        spec = TABLES[table]
        letter = get_column_letter([c.attr for c in spec.all_columns].index(attr) + 1)
        last = max(2, len(_rows(plan, table)) + 1 + spare_rows)
        dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                            showErrorMessage=True, errorTitle="Not on the list",
                            error=f"Choose a value from the list for {attr.replace('_', ' ')}.")
        dv.add(f"{letter}2:{letter}{last}")
        wb[spec.sheet].add_data_validation(dv)

    def codes(sheet: str) -> str:
        return f"{quote_sheetname(sheet)}!$A$2:$A$2000"

    def choices(values: Sequence[Any]) -> str:
        return '"' + ",".join(str(getattr(v, "value", v)) for v in values) + '"'

    for table, spec in TABLES.items():
        for column in spec.all_columns:
            if column.enum is not None:
                lists(table, column.attr, choices(list(column.enum)))
            elif column.refers_to is not None and column.kind is Kind.CHOICE \
                    and column.on_remove is not schema.OnRemove.REFUSE:
                lists(table, column.attr, codes(TABLES[column.refers_to].sheet))


# --- reading ----------------------------------------------------------------------------------


PROBLEMS_KEPT = 1000
"""Problems a failed import keeps to show; the rest are only counted."""


class WorkbookProblems(ValueError):
    """Everything wrong with a workbook, each naming its sheet, row and column: the first
    `PROBLEMS_KEPT`, each one line, and how many more there were."""

    nothing = "nothing was imported"

    def __init__(self, path: Path, problems: Sequence[str], more: int = 0):
        self.path = path
        self.problems = tuple(one_line(p) for p in problems)
        self.more = more
        self.count = len(self.problems) + more
        super().__init__(f"{path}: {self.count:,} problem{'s' if self.count != 1 else ''}: "
                         + "; ".join(self.lines(5)))

    def lines(self, shown: int) -> list[str]:
        """The first `shown` problems, then a line saying how many are not shown."""
        lines = list(self.problems[:shown])
        rest = self.count - len(lines)
        if rest:
            lines.append(f"and {rest:,} more problem{'s' if rest != 1 else ''}")
        return lines


class WorkbookUnreadable(ValueError):
    """The file is missing, is not a workbook at all, or is too big to read safely."""


def read_inputs(path: str | Path) -> Plan:
    """A plan from a template or board pack; WorkbookProblems if anything is wrong."""
    return read_workbook(path).plan


def read_workbook(path: str | Path, *, limits: Limits = LIMITS,
                  cancelled: Callable[[], bool] | None = None) -> Imported:
    """A plan from a template or board pack, with notes of the defaults it had to take.

    A workbook from an earlier version that lacks a newer column is read with that
    column's default (and a note says so); a blank cell takes its column's default where
    one makes sense (0 for an exit cost, 1x for a range multiplier).

    Only the input sheets are read, within `limits` (exchange/xlsx.py). `cancelled` is
    asked between chunks of the file; when it says yes, `Cancelled` is raised.
    """
    p = Path(path)
    if not p.is_file():
        raise WorkbookUnreadable(f"{p}: no such file")
    try:
        with XlsxWorkbook(p, limits, cancelled) as book:
            return _read(book, p)
    except Unreadable as exc:
        raise WorkbookUnreadable(f"{p}: {exc}") from None


class _Reading:
    """What reading a workbook has found so far: problems, notes, where records came from."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.more = 0
        self._seen: set[str] = set()
        self.notes: list[str] = []
        self.where: dict[str, tuple[str, int]] = {}

    def problem(self, text: str) -> None:
        if text in self._seen:
            return
        if len(self.problems) < PROBLEMS_KEPT:
            self.problems.append(text)
            self._seen.add(text)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.problems)


def _read(book: XlsxWorkbook, path: Path) -> Imported:
    reading = _Reading()
    settings = _read_assumptions(book, reading)
    found = {table: _read_table(book, spec, reading) for table, spec in TABLES.items()}
    plan = _assemble(settings, found, reading)
    # Check the plan even when some cells could not be read, so that every problem is
    # reported at once; then only problems that point at a row, as a sheet or record that
    # could not be read makes the plan's general checks (one baseline, say) unreliable.
    cell_problems = bool(reading)
    for problem in validate(plan):
        text = _locate(str(problem.where), problem.message, reading.where)
        if not cell_problems or " row " in text:
            reading.problem(text)
    if reading:
        raise WorkbookProblems(path, reading.problems, reading.more)
    return Imported(plan, tuple(reading.notes))


def _merged(reading: _Reading, sheet: str, rows: SheetRows, columns: set[int]) -> None:
    """A merged range over cells that are read is refused: Excel shows only its top-left
    cell's value across the range, and the cells beneath may hold other values (Excel
    keeps them when a file is made by another program), so what would be imported is not
    what the person sees. They unmerge it and give each cell its own value."""
    for top, left, bottom, right in rows.merges:
        if any(left <= c <= right for c in columns):
            cells = f"{column_letter(left)}{top}:{column_letter(right)}{bottom}"
            reading.problem(f"{sheet} {cells}: merged cells over the cells read (Excel shows "
                            "one value across them); unmerge them and give each cell its "
                            "own value")


def _assemble(settings: dict[str, Any], found: dict[str, list[dict[str, Any]]],
              reading: _Reading) -> Plan:
    """The plan from what each sheet held; records whose option is missing are named."""
    held: dict[str, dict[str, list[Any]]] = {}
    for collection in schema.NESTED:
        parent = collection.parent_column.attr  # type: ignore[union-attr]
        by_holder = held.setdefault(collection.name, {})
        for values in found[collection.name]:
            values = dict(values)
            by_holder.setdefault(values.pop(parent), []).append(collection.record(**values))
    options = []
    for values in found["options"]:
        code = values["code"]
        options.append(Option(**values, **{c: tuple(held[c].pop(code, ())) for c in held}))
    for name, by_holder in held.items():
        sheet = TABLES[name].sheet
        for code in sorted(by_holder):
            _, row = reading.where.get(f"{name}-option:{code}", (sheet, 0))
            reading.problem(f"{sheet} row {row}, Option: option {code!r} is not on "
                                    "the Options sheet")
    head = dict(settings)
    head.setdefault("name", "Imported plan")
    top = {c.name: tuple(c.record(**v) for v in found[c.name])
           for c in schema.TOP_LEVEL if c.name != "options"}
    return Plan(**head, **top, options=tuple(options))


def _read_assumptions(book: XlsxWorkbook, reading: _Reading) -> dict[str, Any]:
    if ASSUMPTIONS not in book.sheetnames:
        reading.problem(f"sheet {ASSUMPTIONS!r} is missing")
        return {}
    settings: dict[str, Any] = {}
    rows = book.rows(ASSUMPTIONS)
    rows.wanted = {1, 3}  # Key and Value; the setting's name and its note are for people
    for r, cells in rows:
        key = cells.get(1)
        if r == 1 or key is None:
            continue
        if isinstance(key, Bad):
            reading.problem(f"{ASSUMPTIONS} row {r}, Key: {key.reason}")
            continue
        column = schema.SETTING.get(str(key).strip())
        if column is None:
            reading.problem(f"{ASSUMPTIONS} row {r}, Key: {short(key)} is not a setting")
            continue
        reading.where[f"plan.{column.attr}"] = (ASSUMPTIONS, r)
        try:
            settings[column.attr] = _cell(column, cells.get(3))
        except ParseError as exc:
            reading.problem(f"{ASSUMPTIONS} row {r}, Value ({column.header}): {exc}")
    _merged(reading, ASSUMPTIONS, rows, {1, 3})
    unread = [c for c in schema.SETTINGS if c.attr not in settings
              and f"plan.{c.attr}" not in reading.where]
    missing = [c.header for c in unread if not c.has_default]
    if missing:
        reading.problem(f"{ASSUMPTIONS}: missing settings: {', '.join(missing)}")
    defaulted = [c for c in unread if c.has_default]
    for column in defaulted:
        settings[column.attr] = column.default
    if defaulted:
        reading.notes.append(f"{ASSUMPTIONS}: no row for {_defaults(defaulted)} (a workbook "
                             "from an earlier version); each takes its default")
    return settings


def _defaults(columns: Sequence[Column]) -> str:
    """'Running OB' (0%), 'Profile' (1): what an older workbook lacked, and what stands in."""
    return ", ".join(f"{c.header!r} ({c.display(c.default) or 'blank'})" for c in columns)


def _cell(column: Column, value: Any) -> Any:
    """A cell's value, or the column's default where it is blank and one makes sense."""
    if isinstance(value, Bad):
        raise ParseError(value.reason)
    if value is None or (isinstance(value, str) and not value.strip()):
        if column.optional:
            return None
        if column.has_default:
            return column.default
        raise ParseError("a value is required")
    read = read_field(column, value)
    if isinstance(read, int) and abs(read) > _HUGE:
        # No field takes a figure this big, and one this big (a year of 1e308) overflows
        # the plan's checks: refused here, with the figure shortened.
        raise ParseError(f"{short(read, 24)} is far too large a number")
    return read


_HUGE = 10**15


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_table(book: XlsxWorkbook, spec: Collection, reading: _Reading
                ) -> list[dict[str, Any]]:
    if spec.sheet not in book.sheetnames:
        if spec.since > 1:
            reading.notes.append(f"no sheet {spec.sheet!r} (a workbook from an earlier "
                                 "version); the plan starts with none")
        else:
            reading.problem(f"sheet {spec.sheet!r} is missing")
        return []
    rows = book.rows(spec.sheet)
    first = next(rows, None)
    header = first[1] if first is not None and first[0] == 1 else {}
    names: dict[str, int] = {}
    for c, h in sorted(header.items()):
        names.setdefault(str(h).strip() if not isinstance(h, Bad) else "", c)
    positions: dict[str, int] = {}
    defaulted = []
    for column in spec.all_columns:
        if column.header in names:
            positions[column.attr] = names[column.header]
        elif column.has_default:
            defaulted.append(column)
        else:
            reading.problem(f"{spec.sheet} row 1: missing column {column.header!r}")
    if defaulted:
        plural = "s" if len(defaulted) > 1 else ""
        reading.notes.append(f"{spec.sheet}: no column{plural} {_defaults(defaulted)} (a "
                             f"workbook from an earlier version); every row takes the "
                             f"default{plural}")
    if any(c.attr not in positions and not c.has_default for c in spec.all_columns):
        return []
    rows.wanted = set(positions.values())
    records = []
    for r, cells in rows if header else ():
        if all(_blank(cells.get(i)) for i in positions.values()):
            continue
        values: dict[str, Any] = {}
        bad = False
        for column in spec.all_columns:
            if column.attr not in positions:
                values[column.attr] = column.default
                continue
            try:
                values[column.attr] = _cell(column, cells.get(positions[column.attr]))
            except ParseError as exc:
                reading.problem(f"{spec.sheet} row {r}, {column.header}: {exc}")
                bad = True
        if not bad:
            reading.where[_record_key(spec.name, values)] = (spec.sheet, r)
            if spec.parent is not None:
                reading.where.setdefault(f"{spec.name}-option:{values['option']}",
                                         (spec.sheet, r))
            records.append(values)
    _merged(reading, spec.sheet, rows, set(positions.values()))
    return records


def _record_key(table: str, v: dict[str, Any]) -> str:
    """The prefix validation uses for a record, e.g. estate[dorset/service-desk]."""
    spec = TABLES[table]
    label = "/".join(str(v[k]) for k in spec.key)
    if spec.parent is not None:
        return f"{spec.parent}[{v[spec.parent_column.attr]}].{table}[{label}]"  # type: ignore[union-attr]
    return f"{table}[{label}]"


_HEADERS = {c.attr: c.header for spec in TABLES.values() for c in spec.all_columns}


def _locate(path: str, message: str, where: dict[str, tuple[str, int]]) -> str:
    """'estate[a/b].support_fte' -> 'Estate row 7, Support FTE'."""
    # The longest key that is the whole path or ends where a field or an index starts.
    best = path if path in where else None
    if best is None:
        for i in range(len(path) - 1, 0, -1):
            if path[i] in ".[" and path[:i] in where:
                best = path[:i]
                break
    if best is None:
        collection = re.split(r"[.\[]", path)[0]
        sheet_name = TABLES[collection].sheet if collection in TABLES else ASSUMPTIONS
        return f"{sheet_name}: {message}"
    sheet, row = where[best]
    rest = path[len(best):].lstrip(".")
    attr = re.split(r"[.\[]", rest)[0] if rest else ""
    if sheet == ASSUMPTIONS:
        setting = schema.SETTING.get(best.removeprefix("plan."))
        return f"{sheet} row {row}, Value" + (f" ({setting.header})" if setting else "") + \
            f": {message}"
    column = _HEADERS.get(attr)
    return f"{sheet} row {row}" + (f", {column}" if column else "") + f": {message}"
