"""What changed between two plans: the inputs, field by field, and the results they give.

Read from the plan schema, so that every collection and setting a plan holds is compared,
and each change names what the window and the workbook call it: the sheet, the record (its
key, as in a problem's path) and the column's label.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

from . import schema
from .engine import Results, appraise
from .headlines import HEADLINES
from .model import Plan

ADDED: Final = "added"
REMOVED: Final = "removed"
CHANGED: Final = "changed"

RESULT_FIGURES: Final = ("npv", "npsv", "one_off_cost", "support_fte_final_year")
"""The headline figures a comparison shows for each option, beside each force's NPV."""


@dataclass(frozen=True)
class InputChange:
    """One record added or removed, or one field of it changed."""

    collection: str  # "forces", or "settings" for the plan's own
    sheet: str
    record: str  # its key as a path: "dorset", "MS/desk"; "" for a setting
    field: str  # the column's label; "" for a whole record added or removed
    what: str  # ADDED, REMOVED or CHANGED
    old: str
    new: str

    @property
    def text(self) -> str:
        where = f"{self.sheet}" + (f" {self.record}" if self.record else "")
        if self.what != CHANGED:
            return f"{where}: {self.what}"
        return f"{where}, {self.field}: {self.old or '(blank)'} → {self.new or '(blank)'}"


@dataclass(frozen=True)
class ResultChange:
    """One figure of one option (or one force's share of it), before and after."""

    option: str
    figure: str  # a headline's key, or "npv:<force code>"
    label: str
    old: float | None
    new: float | None

    @property
    def difference(self) -> float | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


def diff_inputs(old: Plan, new: Plan) -> list[InputChange]:
    """Every setting changed, then each collection's records added, removed or changed,
    in the schema's order and each plan's record order."""
    found = []
    for column in schema.SETTINGS:
        a, b = getattr(old, column.attr), getattr(new, column.attr)
        if not _same(a, b):
            found.append(InputChange("settings", "Assumptions", "", column.header, CHANGED,
                                     column.display(a), column.display(b)))
    for collection in schema.COLLECTIONS.values():
        found += _diff_collection(collection, old, new)
    return found


def _diff_collection(collection: schema.Collection, old: Plan,
                     new: Plan) -> list[InputChange]:
    before = _keyed(collection, old)
    after = _keyed(collection, new)
    found = []
    for key, record in after.items():
        if key not in before:
            found.append(InputChange(collection.name, collection.sheet, _label(key), "",
                                     ADDED, "", ""))
            continue
        previous = before[key]
        for column in collection.all_columns:
            a, b = _value(previous, column), _value(record, column)
            if not _same(a, b):
                found.append(InputChange(collection.name, collection.sheet, _label(key),
                                         column.header, CHANGED, column.display(a),
                                         column.display(b)))
    found += [InputChange(collection.name, collection.sheet, _label(key), "", REMOVED, "", "")
              for key in before if key not in after]
    return found


def _keyed(collection: schema.Collection, plan: Plan) -> dict[tuple[Any, ...], tuple[Any, Any]]:
    """Each record by its key (its holder's code first, for a nested one), with its holder."""
    if collection.parent is None:
        return {collection.key_of(r): (None, r) for r in getattr(plan, collection.name)}
    return {(holder.code, *collection.key_of(r)): (holder, r)
            for holder in getattr(plan, collection.parent)
            for r in getattr(holder, collection.name)}


def _value(held: tuple[Any, Any], column: schema.Column) -> Any:
    holder, record = held
    if not hasattr(record, column.attr):  # the parent's column: the holder's code
        return holder.code if holder is not None else None
    return getattr(record, column.attr)


def _label(key: tuple[Any, ...]) -> str:
    return "/".join(str(k) for k in key)


def _same(a: Any, b: Any) -> bool:
    """Equal, with 1 and 1.0 alike (a figure typed either way) but True and 1 not."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b))
    if numbers:
        return bool(a == b) or (math.isnan(a) and math.isnan(b))
    return type(a) is type(b) and bool(a == b)


def diff_results(old: Plan, new: Plan, old_results: Results | None = None,
                 new_results: Results | None = None) -> list[ResultChange]:
    """Each option's headline figures and each force's NPV, for the options either plan
    holds (by code): those that differ by more than half a penny."""
    r_old = old_results if old_results is not None else appraise(old)
    r_new = new_results if new_results is not None else appraise(new)
    headlines = {h.key: h for h in HEADLINES}
    codes = list(r_old.option_codes) + [c for c in r_new.option_codes
                                        if c not in r_old.option_codes]
    forces = list(r_old.force_codes) + [f for f in r_new.force_codes
                                        if f not in r_old.force_codes]
    found = []
    for code in codes:
        for key in RESULT_FIGURES:
            headline = headlines[key]
            a = _headline(headline, old, r_old, code)
            b = _headline(headline, new, r_new, code)
            if _differ(a, b):
                found.append(ResultChange(code, key, headline.label, a, b))
        for force in forces:
            a, b = _force_npv(r_old, code, force), _force_npv(r_new, code, force)
            if _differ(a, b):
                found.append(ResultChange(code, f"npv:{force}", f"NPV: {force}'s share", a, b))
    return found


def _headline(headline: Any, plan: Plan, results: Results, code: str) -> float | None:
    if code not in results.option_codes:
        return None
    value = headline.value(plan, results, results.index(code))
    return None if value is None else float(value)


def _force_npv(results: Results, code: str, force: str) -> float | None:
    if code not in results.option_codes or force not in results.force_codes:
        return None
    return float(results.force_npv[results.index(code), results.force_codes.index(force)])


def _differ(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    if math.isnan(a) and math.isnan(b):
        return False
    return not abs(a - b) < 0.005


def diff_json(inputs: list[InputChange], results: list[ResultChange]) -> dict[str, Any]:
    return {
        "inputs": [{"sheet": c.sheet, "collection": c.collection, "record": c.record,
                    "field": c.field, "change": c.what, "old": c.old, "new": c.new}
                   for c in inputs],
        "results": [{"option": r.option, "figure": r.figure, "label": r.label, "old": r.old,
                     "new": r.new, "difference": r.difference} for r in results],
    }


def diff_text(inputs: list[InputChange], results: list[ResultChange]) -> str:
    """The changes as a person reads them: inputs one a line, then the results' table."""
    if not inputs and not results:
        return "No differences."
    lines = [f"{len(inputs)} input(s) changed:"] + [f"  {c.text}" for c in inputs]
    if results:
        lines += ["", f"{'option':<10} {'figure':<44} {'old':>14} {'new':>14} "
                      f"{'difference':>14}"]
        for r in results:
            lines.append(f"{r.option[:10]:<10} {r.label[:44]:<44} {_figure(r.figure, r.old):>14}"
                         f" {_figure(r.figure, r.new):>14} {_figure(r.figure, r.difference):>14}")
    else:
        lines += ["", "No result changes."]
    return "\n".join(lines)


def _figure(key: str, value: float | None) -> str:
    if value is None:
        return "–"
    if key == "support_fte_final_year":
        return f"{value:,.1f} FTE"
    return f"£{value:,.2f}" if value >= 0 else f"-£{-value:,.2f}"
