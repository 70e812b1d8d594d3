"""The plan's input sheets: written into the template and the board pack, and read back.

One layout serves both ways, so a board pack exported and imported again is the same
plan. Reading is all or nothing: every problem in the workbook is collected, named by
sheet, row and column, and no plan is made until there are none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from .. import fields as F
from ..domain.model import (
    Decision,
    EstateItem,
    Force,
    Option,
    Plan,
    Service,
    Site,
    SiteAction,
    Source,
)
from ..domain.validation import validate
from ..fields import Column, Kind
from ..formats import ParseError
from .cells import (
    WRAP,
    print_setup,
    put_text,
    read_field,
    style_header,
    style_input,
    write_field,
)

KEY = Column("key", "Key")
OPTION = Column("option", "Option")
SERVICE = Column("service", "Service")
SITE = Column("site", "Site")
CLOSURES = (OPTION, SITE, Column("closure_year", "Closes from", Kind.YEAR),
            Column("disposal_receipt", "Disposal receipt", Kind.MONEY),
            Column("closure_cost", "Closure cost", Kind.MONEY))
DECISIONS = (OPTION, SERVICE, *F.DECISION)


@dataclass(frozen=True)
class Table:
    sheet: str
    columns: tuple[Column, ...]
    record: type
    help: str


TABLES: dict[str, Table] = {
    "forces": Table("Forces", F.FORCES, Force, "One row a force. Officers, staff and PCSOs "
                    "as FTE, specials as headcount."),
    "services": Table("Services", F.SERVICES, Service, "The service catalogue."),
    "estate": Table("Estate", F.ESTATE, EstateItem, "One row a force and service: what it "
                    "runs today. Running cost a year excludes support staff."),
    "options": Table("Options", F.OPTIONS, Option, "The short list: exactly one baseline."),
    "decisions": Table("Decisions", DECISIONS, Decision, "What each option does with each "
                       "service. Percentages as 41%; the profile as fractions, e.g. 0.5, 0.5."),
    "sites": Table("Sites", F.SITES, Site, "Buildings, optional."),
    "site_actions": Table("Site closures", CLOSURES, SiteAction, "Which option closes which "
                          "site, from which year."),
    "sources": Table("Sources", F.SOURCES, Source, "Where each figure comes from."),
}
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
}
"""The assumptions a board member can change, as named ranges the formulas use."""


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
    """(key, values by field) for each record of a table."""
    if table == "decisions":
        return [((o.code, d.service), {"option": o.code, **_fields(d)})
                for o in plan.options for d in o.decisions]
    if table == "site_actions":
        return [((o.code, a.site), {"option": o.code, **_fields(a)})
                for o in plan.options for a in o.site_actions]
    records = getattr(plan, table)
    if table == "estate":
        return [((e.force, e.service), _fields(e)) for e in records]
    key = "key" if table == "sources" else "code"
    return [((getattr(r, key),), _fields(r)) for r in records]


def _fields(record: Any) -> dict[str, Any]:
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def write_inputs(wb: Workbook, plan: Plan, *, spare_rows: int = 0) -> Layout:
    """Add the Assumptions sheet and one sheet a table; returns where each input is."""
    layout = Layout()
    _write_assumptions(wb, plan, layout)
    for table, spec in TABLES.items():
        ws = wb.create_sheet(spec.sheet)
        for c, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(c)
            layout.columns[(table, column.attr)] = letter
            cell = ws.cell(1, c)
            put_text(cell, column.header)
            style_header(cell)
            width = column.width // 7 if column.width else max(12, len(column.header) + 2)
            ws.column_dimensions[letter].width = min(60, width)
        rows = _rows(plan, table)
        for r, (key, values) in enumerate(rows, start=2):
            layout.rows[(table, *key)] = r
            for c, column in enumerate(spec.columns, start=1):
                cell = write_field(ws.cell(r, c), column, values.get(column.attr))
                style_input(cell)
        for r in range(len(rows) + 2, len(rows) + 2 + spare_rows):
            for c in range(1, len(spec.columns) + 1):
                style_input(ws.cell(r, c))
        ws.freeze_panes = "A2"
        print_setup(ws)
    _validations(wb, plan, spare_rows)
    return layout


def _write_assumptions(wb: Workbook, plan: Plan, layout: Layout) -> None:
    ws = wb.create_sheet(ASSUMPTIONS)
    for c, header in enumerate(("Key", "Setting", "Value", "About"), start=1):
        style_header(ws.cell(1, c))
        put_text(ws.cell(1, c), header)
    for r, column in enumerate(F.PLAN_SETTINGS, start=2):
        put_text(ws.cell(r, 1), column.attr)
        put_text(ws.cell(r, 2), column.header)
        cell = write_field(ws.cell(r, 3), column, getattr(plan, column.attr))
        if column.extra.get("whole"):
            cell.number_format = "0"
        style_input(cell)
        put_text(ws.cell(r, 4), column.tip).alignment = WRAP
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
        letter = get_column_letter([c.attr for c in spec.columns].index(attr) + 1)
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

    from ..domain.model import Category, Condition, Mode, OptionRole

    lists("estate", "force", codes("Forces"))
    lists("estate", "service", codes("Services"))
    lists("estate", "condition", choices(list(Condition)))
    lists("services", "category", choices(list(Category)))
    lists("options", "role", choices(list(OptionRole)))
    lists("decisions", "option", codes("Options"))
    lists("decisions", "service", codes("Services"))
    lists("decisions", "mode", choices(list(Mode)))
    lists("sites", "force", codes("Forces"))
    lists("site_actions", "option", codes("Options"))
    lists("site_actions", "site", codes("Sites"))




# --- reading ----------------------------------------------------------------------------------


class WorkbookProblems(ValueError):
    """Everything wrong with a workbook, each naming its sheet, row and column."""

    def __init__(self, path: Path, problems: Sequence[str]):
        self.path = path
        self.problems = tuple(problems)
        count = len(self.problems)
        super().__init__(f"{path}: {count} problem{'s' if count != 1 else ''}: "
                         + "; ".join(self.problems))


class WorkbookUnreadable(ValueError):
    """The file is missing or is not a workbook at all."""


def read_inputs(path: str | Path) -> Plan:
    """A plan from a template or board pack; WorkbookProblems if anything is wrong."""
    p = Path(path)
    if not p.is_file():
        raise WorkbookUnreadable(f"{p}: no such file")
    try:
        wb = load_workbook(p, data_only=True, read_only=True)
    except Exception as exc:  # zipfile, XML or openpyxl's own: all mean "not a workbook"
        raise WorkbookUnreadable(f"{p}: is not an Excel workbook (.xlsx) that can be "
                                 "read") from exc
    try:
        return _read(wb, p)
    finally:
        wb.close()


def _read(wb: Any, path: Path) -> Plan:
    problems: list[str] = []
    where: dict[str, tuple[str, int]] = {}
    settings = _read_assumptions(wb, problems, where)
    found = {table: _read_table(wb, table, spec, problems, where)
             for table, spec in TABLES.items()}
    plan = _assemble(settings, found, problems, where)
    # Check the plan even when some cells could not be read, so that every problem is
    # reported at once; then only problems that point at a row, as a sheet or record that
    # could not be read makes the plan's general checks (one baseline, say) unreliable.
    cell_problems = bool(problems)
    for problem in validate(plan):
        text = _locate(str(problem.where), problem.message, where)
        if (not cell_problems or " row " in text) and text not in problems:
            problems.append(text)
    if problems:
        raise WorkbookProblems(path, problems)
    return plan


def _assemble(settings: dict[str, Any], found: dict[str, list[tuple[Any, dict[str, Any]]]],
              problems: list[str], where: dict[str, tuple[str, int]]) -> Plan:
    decisions: dict[str, list[Decision]] = {}
    for _, values in found["decisions"]:
        values = dict(values)
        decisions.setdefault(values.pop("option"), []).append(Decision(**values))
    actions: dict[str, list[SiteAction]] = {}
    for _, values in found["site_actions"]:
        values = dict(values)
        actions.setdefault(values.pop("option"), []).append(SiteAction(**values))
    options = []
    for _, values in found["options"]:
        code = values["code"]
        options.append(Option(**values, decisions=tuple(decisions.pop(code, ())),
                              site_actions=tuple(actions.pop(code, ()))))
    for code in sorted(set(decisions) | set(actions)):
        sheet, row = where.get(f"decision-option:{code}", ("Decisions", 0))
        problems.append(f"{sheet} row {row}, Option: option {code!r} is not on the Options "
                        "sheet")
    head = {k: v for k, v in settings.items()}
    head.setdefault("name", "Imported plan")
    return Plan(
        **head,
        forces=tuple(Force(**v) for _, v in found["forces"]),
        services=tuple(Service(**v) for _, v in found["services"]),
        estate=tuple(EstateItem(**v) for _, v in found["estate"]),
        options=tuple(options),
        sites=tuple(Site(**v) for _, v in found["sites"]),
        sources=tuple(Source(**v) for _, v in found["sources"]),
    )


def _read_assumptions(wb: Any, problems: list[str], where: dict[str, tuple[str, int]]
                      ) -> dict[str, Any]:
    if ASSUMPTIONS not in wb.sheetnames:
        problems.append(f"sheet {ASSUMPTIONS!r} is missing")
        return {}
    by_key = {c.attr: c for c in F.PLAN_SETTINGS}
    settings: dict[str, Any] = {}
    for r, row in enumerate(wb[ASSUMPTIONS].iter_rows(min_row=2, max_col=3, values_only=True),
                            start=2):
        key = row[0] if row else None
        if key is None:
            continue
        column = by_key.get(str(key).strip())
        if column is None:
            problems.append(f"{ASSUMPTIONS} row {r}, Key: {key!r} is not a setting")
            continue
        where[f"plan.{column.attr}"] = (ASSUMPTIONS, r)
        try:
            value = read_field(column, row[2] if len(row) > 2 else None)
        except ParseError as exc:
            problems.append(f"{ASSUMPTIONS} row {r}, Value ({column.header}): {exc}")
            continue
        settings[column.attr] = value
    missing = [c.header for c in F.PLAN_SETTINGS if c.attr not in settings
               and not any(p.startswith(f"{ASSUMPTIONS} row") and c.header in p
                           for p in problems)]
    if missing and "name" not in settings:
        problems.append(f"{ASSUMPTIONS}: missing settings: {', '.join(missing)}")
    return settings


def _read_table(wb: Any, table: str, spec: Table, problems: list[str],
                where: dict[str, tuple[str, int]]) -> list[tuple[Any, dict[str, Any]]]:
    if spec.sheet not in wb.sheetnames:
        problems.append(f"sheet {spec.sheet!r} is missing")
        return []
    rows = wb[spec.sheet].iter_rows(values_only=True)
    header = next(rows, ())
    names = [str(h).strip() if h is not None else "" for h in header]
    positions: dict[str, int] = {}
    for column in spec.columns:
        if column.header in names:
            positions[column.attr] = names.index(column.header)
        else:
            problems.append(f"{spec.sheet} row 1: missing column {column.header!r}")
    if len(positions) < len(spec.columns):
        return []
    records = []
    for r, row in enumerate(rows, start=2):
        cells = [row[positions[c.attr]] if positions[c.attr] < len(row) else None
                 for c in spec.columns]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        values: dict[str, Any] = {}
        for column, value in zip(spec.columns, cells, strict=True):
            try:
                values[column.attr] = read_field(column, value)
            except ParseError as exc:
                problems.append(f"{spec.sheet} row {r}, {column.header}: {exc}")
        if len(values) == len(spec.columns):
            where[_record_key(table, values)] = (spec.sheet, r)
            if table in ("decisions", "site_actions"):
                where.setdefault(f"decision-option:{values['option']}", (spec.sheet, r))
            records.append((r, values))
    return records


def _record_key(table: str, v: dict[str, Any]) -> str:
    """The prefix validation uses for a record, e.g. estate[dorset/service-desk]."""
    if table == "estate":
        return f"estate[{v['force']}/{v['service']}]"
    if table == "decisions":
        return f"options[{v['option']}].decisions[{v['service']}]"
    if table == "site_actions":
        return f"options[{v['option']}].site_actions[{v['site']}]"
    if table == "sources":
        return f"sources[{v['key']}]"
    return f"{table}[{v['code']}]"


_HEADERS = {
    **{c.attr: c.header for spec in TABLES.values() for c in spec.columns},
}


def _locate(path: str, message: str, where: dict[str, tuple[str, int]]) -> str:
    """'estate[a/b].support_fte' -> 'Estate row 7, Support FTE'."""
    best = max((k for k in where if path == k or path.startswith(k + ".")
                or path.startswith(k + "[")), key=len, default=None)
    if best is None:
        collection = re.split(r"[.\[]", path)[0]
        sheet_name = TABLES[collection].sheet if collection in TABLES else ASSUMPTIONS
        return f"{sheet_name}: {message}"
    sheet, row = where[best]
    rest = path[len(best):].lstrip(".")
    attr = re.split(r"[.\[]", rest)[0] if rest else ""
    if sheet == ASSUMPTIONS:
        return f"{sheet} row {row}, Value: {message}"
    column = _HEADERS.get(attr)
    return f"{sheet} row {row}" + (f", {column}" if column else "") + f": {message}"

