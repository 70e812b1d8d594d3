"""Forces' returns: a template sent to one force, filled in, and merged into the plan.

A return may change only its own force's rows: its row on the Forces sheet, its rows on
the Estate and Sites sheets; and it may add sources for them. Everything else it holds
(the settings, services, options, decisions, other forces' rows) is there for reference
and must be as the plan has it: a return that changes it, or that refers to a service the
plan lacks, is refused with the sheet, row and column, and nothing is merged. A row the
return leaves out of its force's Estate or Sites is removed: the return is the force's
whole account of its estate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from ..domain import schema
from ..domain.diff import InputChange, diff_inputs
from ..domain.model import Plan
from ..domain.validation import validate
from .inputs import (
    ASSUMPTIONS,
    TABLES,
    WorkbookProblems,
    WorkbookUnreadable,
    _locate,
    _read_assumptions,
    _read_table,
    _Reading,
)
from .template import build
from .xlsx import LIMITS, Unreadable
from .xlsx import Workbook as XlsxWorkbook


class ReturnProblems(WorkbookProblems):
    """A return that cannot be merged: each problem names its sheet, row and column."""

    nothing = "nothing was merged"


OWN: Final = {"forces": "code", "estate": "force", "sites": "force"}
"""The collections a return brings, and the column that says whose each row is."""


@dataclass(frozen=True)
class Merge:
    """A plan with a return's rows in it, what that changes, and the file it came from."""

    plan: Plan
    forces: tuple[str, ...]
    changes: tuple[InputChange, ...]
    notes: tuple[str, ...]
    path: Path
    checksum: str

    @property
    def detail(self) -> str:
        return (f"{len(self.changes)} change(s) for {', '.join(self.forces)}" if self.changes
                else f"no changes for {', '.join(self.forces)}")


def scoped(plan: Plan, force: str) -> Plan:
    """The plan as a template for one force shows it: its own rows, and everyone's else."""
    return plan.replace(forces=tuple(f for f in plan.forces if f.code == force),
                        estate=tuple(e for e in plan.estate if e.force == force),
                        sites=tuple(s for s in plan.sites if s.force == force))


def write_per_force(folder: str | Path, plan: Plan, *,
                    cancelled: Callable[[], bool] | None = None) -> list[Path]:
    """One template a force, prefilled with its rows: ``FOLDER/<force code>.xlsx``.
    ``cancelled`` is asked before each workbook: those written stay, and are complete."""
    from ..domain.progress import Cancelled
    from .cells import save_workbook

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for force in plan.forces:
        if cancelled is not None and cancelled():
            raise Cancelled()
        path = out / f"{_safe(force.code)}.xlsx"
        book = build(scoped(plan, force.code))
        book["Instructions"]["A2"].value = f"{plan.name}: the return of {force.name} " \
                                           f"({force.code})"
        save_workbook(book, path)
        written.append(path)
    return written


def _safe(code: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in code) or "force"


def read_return(path: str | Path, plan: Plan, forces: Sequence[str] = (), *,
                cancelled: Callable[[], bool] | None = None) -> Merge:
    """The plan with the return's rows merged in; WorkbookProblems (naming the sheet, row
    and column of each) if the return is not its force's alone, or the result not valid.
    ``forces``: whose return it is; by default the forces on its Forces sheet."""
    p = Path(path)
    if not p.is_file():
        raise WorkbookUnreadable(f"{p}: no such file")
    checksum = hashlib.sha256(p.read_bytes()).hexdigest()
    try:
        with XlsxWorkbook(p, LIMITS, cancelled) as book:
            reading = _Reading()
            settings = _read_assumptions(book, reading)
            found = {table: _read_table(book, spec, reading) for table, spec in TABLES.items()}
    except Unreadable as exc:
        raise WorkbookUnreadable(f"{p}: {exc}") from None
    if reading:
        raise ReturnProblems(p, reading.problems, reading.more)
    whose = tuple(forces) or tuple(dict.fromkeys(v["code"] for v in found["forces"]))
    _check_scope(plan, whose, settings, found, reading)
    if reading:
        raise ReturnProblems(p, reading.problems, reading.more)
    merged = _merge(plan, whose, found)
    for problem in validate(merged):
        reading.problem(_locate(str(problem.where), problem.message, reading.where))
    if reading:
        raise ReturnProblems(p, reading.problems, reading.more)
    return Merge(merged, whose, tuple(diff_inputs(plan, merged)), tuple(reading.notes), p,
                 checksum)


def _check_scope(plan: Plan, whose: tuple[str, ...], settings: dict[str, Any],
                 found: dict[str, list[dict[str, Any]]], reading: _Reading) -> None:
    codes = {f.code for f in plan.forces}
    services = {s.code for s in plan.services}
    if not whose:
        reading.problem("Forces: no force's row: a return is one force's (or name the force "
                        "it is for)")
    for code in whose:
        if code not in codes:
            reading.problem(f"Forces: the plan has no force {code!r}; a return updates a force "
                            "the plan holds")
    for table, column in OWN.items():
        spec = TABLES[table]
        header = spec.column(column).header
        for values in found[table]:
            sheet, row = reading.where[_key(table, values)]
            if values[column] not in whose:
                reading.problem(f"{sheet} row {row}, {header}: {values[column]!r} is another "
                                f"force's row; this return is for {', '.join(whose)}")
            if table == "estate" and values["service"] not in services:
                reading.problem(f"{sheet} row {row}, Service: the plan has no service "
                                f"{values['service']!r}; ask the planner to add it")
    for setting in schema.SETTINGS:
        if setting.attr in settings and not _same(settings[setting.attr],
                                                  getattr(plan, setting.attr)):
            reading.problem(f"{ASSUMPTIONS}: {setting.header}: a return may not change the "
                            f"plan's settings (the plan has "
                            f"{setting.display(getattr(plan, setting.attr))})")
    for table, spec in TABLES.items():
        if table in OWN:
            continue
        held = {k: record for k, record in _plan_rows(plan, spec)}
        for values in found[table]:
            key = tuple(values[c.attr] for c in _key_columns(spec))
            sheet, row = reading.where[_key(table, values)]
            if key not in held:
                if table == "sources":
                    continue  # a return may add the sources of its figures
                reading.problem(f"{sheet} row {row}: {'/'.join(map(str, key))} is not in the "
                                f"plan; a return changes only its force's Forces, Estate and "
                                f"Sites rows")
                continue
            for column in spec.all_columns:
                if not _same(values[column.attr], held[key].get(column.attr)):
                    reading.problem(f"{sheet} row {row}, {column.header}: a return changes "
                                    f"only its force's rows (the plan has "
                                    f"{column.display(held[key].get(column.attr)) or 'blank'})")


def _key_columns(spec: schema.Collection) -> list[schema.Column]:
    parent = [spec.parent_column] if spec.parent_column is not None else []
    return [*parent, *(spec.column(k) for k in spec.key)]


def _plan_rows(plan: Plan, spec: schema.Collection) -> list[tuple[tuple[Any, ...],
                                                                   dict[str, Any]]]:
    rows = []
    holders = getattr(plan, spec.parent) if spec.parent else [None]
    for holder in holders:
        records = getattr(holder, spec.name) if holder is not None else getattr(plan, spec.name)
        for record in records:
            values = {c.attr: getattr(record, c.attr) for c in spec.columns}
            if holder is not None and spec.parent_column is not None:
                values[spec.parent_column.attr] = holder.code
            rows.append((tuple(values[c.attr] for c in _key_columns(spec)), values))
    return rows


def _key(table: str, values: dict[str, Any]) -> str:
    from .inputs import _record_key

    return _record_key(table, values)


def _same(a: Any, b: Any) -> bool:
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
    if numbers:
        return bool(abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b)))
    if a in ("", None) and b in ("", None):
        return True
    return bool(a == b)


def _merge(plan: Plan, whose: tuple[str, ...], found: dict[str, list[dict[str, Any]]]) -> Plan:
    """The plan with each of the return's forces' rows replaced by the return's, each where
    that force's rows were (at the end for a force that had none), and its new sources."""
    changes: dict[str, Any] = {}
    for table, column in OWN.items():
        record = TABLES[table].record
        brought = [record(**values) for values in found[table]]
        kept: list[Any] = []
        placed = False
        for existing in getattr(plan, table):
            if getattr(existing, column) in whose:
                if not placed:
                    kept += brought
                    placed = True
                continue
            kept.append(existing)
        if not placed:
            kept += brought
        changes[table] = tuple(kept)
    known = {s.key for s in plan.sources}
    new_sources = [TABLES["sources"].record(**v) for v in found["sources"]
                   if v["key"] not in known]
    changes["sources"] = (*plan.sources, *new_sources)
    return replace(plan, **changes)
