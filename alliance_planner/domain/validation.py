"""Checks that a plan makes sense before anything is computed or saved from it.

Every problem names the field it is about (``forces[dorset].officers``) and the reason,
so that the window, an import or the command line can tell the user exactly what to fix.
All problems are collected at once rather than stopping at the first.

What each field may hold (limits, whole numbers, required text, references to other
records, unique keys) comes from the plan schema; only the rules that tie fields together
(one baseline, a go-live inside the plan's years, shares that add up) are written here.

A recompute validates the whole plan every time, so each check has two ways. The common
case is decided for a whole table at once, in C or NumPy, with no message built: a
table's numbers as one matrix (all within their limits?), each text column (none
blank?), each reference (all known?), the keys (all distinct?). Only a check that finds
something goes the slow way, value by value, which names every problem in a fixed order.
The fields are read once by :mod:`tables`, which the engine shares.
"""

from __future__ import annotations

import math
import operator
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, KeysView, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, compress
from typing import Any, Final, NamedTuple

import numpy as np

from . import schema
from .green_book import OBCategory
from .model import Decision, Mode, OptionRole, Plan, SharingBasis
from .schema import MAX_HORIZON, MAX_MONEY, Collection, Column, Kind
from .tables import (
    MANY,
    NUMBER_TYPES,
    NUMBERS,
    PATCHED,
    Floats,
    Table,
    Tables,
    checked_columns,
    patched_rows,
    read,
    replaced,
    table_of,
)

__all__ = ["MAX_HORIZON", "MAX_MONEY", "Problem", "ValidationError", "check_number",
           "ensure_valid", "validate"]


@dataclass(frozen=True)
class Problem:
    """What is wrong and where, as a path to the record and field (``forces[DC].officers``)."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ValidationError(ValueError):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def check_number(
    where: str,
    value: object,
    *,
    minimum: float | None = 0.0,
    maximum: float | None = MAX_MONEY,
    integer: bool = False,
    optional: bool = False,
) -> Problem | None:
    """The one place that says what a valid number is; reused by editors and importers."""
    if value is None:
        return None if optional else Problem(where, "a number is required")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Problem(where, f"must be a number, not {value!r}")
    if not math.isfinite(value):
        return Problem(where, f"must be a finite number (got {value})")
    if integer and value != int(value):
        return Problem(where, f"must be a whole number (got {value})")
    if minimum is not None and value < minimum:
        if minimum == 0:
            return Problem(where, f"must not be negative (got {value:,})")
        return Problem(where, f"must be at least {minimum:,} (got {value:,})")
    if maximum is not None and value > maximum:
        return Problem(where, f"must be at most {maximum:,} (got {value:,})")
    return None


def column_problem(column: Column, where: str, value: object) -> Problem | None:
    """What is wrong with one value of a column, judged by the schema alone."""
    if column.numeric:
        return check_number(where, value, minimum=column.minimum, maximum=column.maximum,
                            integer=column.whole, optional=column.optional)
    if column.required_text and not (isinstance(value, str) and value.strip()):
        return Problem(where, column.required_text)
    return None


_NUMBER_TYPES = NUMBER_TYPES
_INT: Final = frozenset({int})
_MANY = MANY
"""Below this many values, builtins beat NumPy's fixed cost per call."""


def _numbers_plainly_valid(column: Column, values: Sequence[Any]) -> bool:
    """The common case, checked in C without a message: plain finite numbers in limits.

    A short column is checked with builtins (a NaN or an infinity makes the sum
    non-finite; the limits keep finite sums finite). For a long one, ``array('d', ...)``
    refuses text and None; NumPy then checks finiteness and limits
    over the same buffer. A bool would pass as 0 or 1, so the types are looked at only
    when some value is 0 or 1. Anything doubtful goes the slow way, which names it.
    """
    if column.optional and None in values:
        values = [v for v in values if v is not None]
    if not values:
        return True
    if len(values) < _MANY:
        types = set(map(type, values))
        if not types <= _NUMBER_TYPES or not math.isfinite(sum(values)):
            return False
        if column.minimum is not None and min(values) < column.minimum:
            return False
        if column.maximum is not None and max(values) > column.maximum:
            return False
        return not column.whole or types == {int} or all(float(v).is_integer()
                                                         for v in values)
    try:
        numbers = np.frombuffer(array("d", values), dtype=float)
    except (TypeError, OverflowError):
        return False
    if not np.isfinite(numbers).all():
        return False
    if column.minimum is not None and numbers.min() < column.minimum:
        return False
    if column.maximum is not None and numbers.max() > column.maximum:
        return False
    if column.whole and not (numbers == np.floor(numbers)).all():
        return False
    if ((numbers == 0.0) | (numbers == 1.0)).any():
        return set(map(type, values)) <= _NUMBER_TYPES
    return True


def validate(plan: Plan, tables: Tables | None = None) -> list[Problem]:
    """Every problem with the plan, in a fixed order: [] for a valid plan.

    ``tables`` is the plan's fields already read (:func:`tables.read`); ``appraise`` passes
    the ones it computes from, so that a recompute reads the plan once.
    """
    if too_big := _size_problems(plan):
        return too_big
    if tables is None:
        tables = read(plan)
    problems: list[Problem] = []
    add = problems.append
    if not _settings_plainly_valid(plan):
        for column, where in _SETTINGS:
            if problem := column_problem(column, where, getattr(plan, column.attr)):
                add(problem)
    if (plan.savings_target is None) != (plan.savings_target_years is None):
        add(Problem("plan.savings_target", "a savings target needs both an amount and years"))

    codes = {name: positions.keys() for name, positions in tables.positions.items()}
    plain = {}
    for collection in schema.COLLECTIONS.values():
        plain[collection.name] = _plainly_valid_kept(collection, tables, codes)
        if not plain[collection.name]:
            _check(collection, tables, codes, problems)

    if not plan.forces:
        add(Problem("forces", "a plan needs at least one force"))
    _check_basis(plan, tables, problems, numbers_sound=plain["forces"])
    # Sized only once the horizon is known to be a sane whole number (at most 30).
    bounded = not any(p.where in ("plan.horizon_years", "plan.base_year") for p in problems)
    years = set(range(int(plan.base_year), int(plan.base_year) + int(plan.horizon_years))) \
        if bounded else set()
    baselines = tables["options"].values["role"].count(OptionRole.BASELINE)
    if not plan.options:
        add(Problem("options", "a plan needs at least a baseline option"))
    elif baselines != 1:
        add(Problem("options", f"exactly one option must be the baseline "
                               f"(found {baselines})"))
    if not (_decisions_plainly_sound_kept(plan, tables, years)
            and _closures_plainly_inside(tables, years)):
        _check_options(plan, years, problems)
    _check_price_years(plan, tables, problems)
    for link in plan.service_links:
        if link.service == link.other:
            add(Problem(f"service_links[{link.service}/{link.other}].other",
                        "a service cannot be linked to itself"))
    return problems


def _size_problems(plan: Plan) -> list[Problem]:
    """A plan past what any alliance holds, refused before anything is read or sized by it:
    the engine's arrays grow with options x forces x services."""
    problems = []
    for collection in schema.COLLECTIONS.values():
        if collection.parent is None:
            count = len(getattr(plan, collection.name))
        else:
            count = sum(len(getattr(p, collection.name))
                        for p in getattr(plan, collection.parent))
        if count > collection.most:
            problems.append(Problem(collection.name, f"a plan may hold at most "
                                    f"{collection.most:,} {collection.noun}s (this one has "
                                    f"{count:,})"))
    cells = len(plan.options) * len(plan.forces) * len(plan.services)
    if not problems and cells > schema.MAX_CELLS:
        problems.append(Problem("options", f"{len(plan.options):,} options x "
                                f"{len(plan.forces):,} forces x {len(plan.services):,} "
                                f"services is {cells:,}, past the {schema.MAX_CELLS:,} a plan "
                                "may hold"))
    return problems


def ensure_valid(plan: Plan, tables: Tables | None = None) -> Plan:
    problems = validate(plan, tables)
    if problems:
        raise ValidationError(problems)
    return plan


_SETTINGS: Final = tuple((column, f"plan.{column.attr}") for column in schema.SETTINGS)


def _settings_check() -> Callable[[Plan], bool]:
    """A function that says, with no message built, whether every setting is plainly
    valid: generated from the schema as one test a setting, several times quicker than
    :func:`column_problem` a setting. (Anything doubtful goes the slow way.)"""
    lines = []
    for column in schema.SETTINGS:
        value = f"plan.{column.attr}"
        if column.numeric:
            test = ["type(v) in NUMBER_TYPES",
                    "v > -INF" if column.minimum is None else f"v >= {column.minimum!r}",
                    "v < INF" if column.maximum is None else f"v <= {column.maximum!r}"]
            if column.whole:
                test.append("v == int(v)")
            test_text = " and ".join(test)
            if column.optional:
                test_text = f"v is None or ({test_text})"
        elif column.required_text:
            test_text = "isinstance(v, str) and v.strip()"
        else:
            continue
        lines.append(f"    v = {value}\n    if not ({test_text}):\n        return False\n")
    namespace: dict[str, Any] = {"NUMBER_TYPES": NUMBER_TYPES, "INF": math.inf}
    exec("def check(plan):\n" + "".join(lines) + "    return True\n", namespace)
    return namespace["check"]  # type: ignore[no-any-return]


_settings_plainly_valid: Final = _settings_check()


_CHECKED: Final = {c.name: checked_columns(c) for c in schema.COLLECTIONS.values()}
_OPTIONAL: Final = {name: tuple(c for c in columns if c.numeric and c.optional)
                    for name, columns in _CHECKED.items()}
_TEXT: Final = {name: tuple(c.attr for c in columns if c.required_text)
                for name, columns in _CHECKED.items()}
_REFERRED: Final = {
    c.name: tuple((other, schema.COLLECTIONS[other].key[0]) for other in sorted(
        {col.refers_to for col in c.columns if col.refers_to is not None}
        | ({c.parent} if c.parent else set())))
    for c in schema.COLLECTIONS.values()}
"""The tables each collection's plain validity depends on besides its own, each with the
field of its key."""
_REFERENCES: Final = {name: tuple(c for c in columns if c.refers_to is not None)
                      for name, columns in _CHECKED.items()}
_LARGEST: Final = float(np.finfo(np.float64).max)
_LIMITS: Final = {
    name: (np.array([[-_LARGEST if c.minimum is None else c.minimum] for c in columns]),
           np.array([[_LARGEST if c.maximum is None else c.maximum] for c in columns]),
           [k for k, c in enumerate(columns) if c.whole])
    for name, columns in NUMBERS.items()
}
"""Each table's matrix of numbers: [k, 1] its rows' lowest and highest values (no limit
is the largest float, so that an infinity fails), and the rows that must be whole."""


class _Group(NamedTuple):
    """Numeric columns of one table that share their limits."""

    attrs: tuple[str, ...]
    minimum: float | None
    maximum: float | None
    whole: bool
    optional: bool


def _groups(columns: Iterable[Column]) -> tuple[_Group, ...]:
    shared: dict[tuple[Any, ...], list[str]] = {}
    for c in columns:
        shared.setdefault((c.minimum, c.maximum, c.whole, c.optional), []).append(c.attr)
    return tuple(_Group(tuple(attrs), *limits) for limits, attrs in shared.items())


_GROUPS: Final = {name: _groups(c for c in columns if c.numeric)
                  for name, columns in _CHECKED.items()}
_OPTIONAL_GROUPS: Final = {name: _groups(columns) for name, columns in _OPTIONAL.items()}
"""Each table's numeric columns (or only its optional ones, for a table whose required
numbers are in a matrix), grouped by their limits."""


def _group_plainly_valid(group: _Group, values: dict[str, Sequence[Any]]) -> bool:
    """Whether every value of a group of columns is plainly valid, decided with a few
    builtins over them all: plain numbers (or None where optional), a finite sum (so no
    NaN or infinity), within the limits, whole if they must be. False is only doubt: the
    slow way then checks value by value."""
    numbers: Sequence[Any] = values[group.attrs[0]] if len(group.attrs) == 1 else \
        list(chain.from_iterable(values[attr] for attr in group.attrs))
    if group.optional:
        absent = numbers.count(None)
        if absent == len(numbers):
            return True
        if absent:
            numbers = [v for v in numbers if v is not None]
    types = set(map(type, numbers))
    return (types <= _NUMBER_TYPES and math.isfinite(sum(numbers))
            and (group.minimum is None or min(numbers) >= group.minimum)
            and (group.maximum is None or max(numbers) <= group.maximum)
            and (not group.whole or types == _INT or all(float(v).is_integer()
                                                         for v in numbers)))


def _numbers_sound(name: str, numbers: Floats) -> bool:
    """Whether every number of a table is finite, within its column's limits and, if it
    must be, whole: clipped to the limits (and rounded down), sound numbers are unchanged,
    and a NaN, which stays NaN, is not."""
    lowest, highest, whole = _LIMITS[name]
    clipped = np.minimum(np.maximum(numbers, lowest), highest)
    if whole:
        clipped[whole] = np.floor(clipped[whole])
    return bool((clipped == numbers).all())


def _all_text(values: Sequence[Any]) -> bool:
    """Whether every value is text that is not blank (decided in C: str.strip refuses
    anything that is not text)."""
    try:
        return all(map(str.strip, values))
    except TypeError:
        return False


def _prefixes(collection: Collection, tables: Tables) -> list[str]:
    """Where each record sits: 'estate', or its holder's 'options[ONE].decisions'."""
    table = tables[collection.name]
    if collection.parent is None:
        return [collection.name] * len(table.records)
    holders = [f"{collection.parent}[{code}].{collection.name}"
               for code in tables[collection.parent].values["code"]]
    return [holders[h] for h in table.holders]


_LAST_PLAIN: dict[str, tuple[Table, tuple[Sequence[Any], ...], bool]] = {}
"""Each collection's last :func:`_plainly_valid`, with the table it was decided on and the
keys of those it refers to."""


def _plainly_valid_kept(collection: Collection, tables: Tables,
                        codes: Mapping[str, KeysView[Any]]) -> bool:
    """:func:`_plainly_valid`, kept while its table is the same (``tables.read`` keeps a
    collection's table while its records are the same) and the keys it refers to are; and
    for a plan-level table of a plain valid one in which a few records changed, keys
    unchanged, decided on those records alone."""
    name = collection.name
    table = tables[name]
    referred = tuple(tables[other].values[key] for other, key in _REFERRED[name])
    last = _LAST_PLAIN.get(name)
    same_referred = last is not None and all(
        a is b or a == b for a, b in zip(last[1], referred, strict=True))
    if last is not None and same_referred and last[0] is table:
        return last[2]
    changed = _changed_rows(collection, last[0], table) \
        if last is not None and same_referred and last[2] else None
    if changed is not None:
        rows = table_of(collection, [table.records[i] for i in changed])
        found = _plainly_valid(collection, tables, codes, rows)
    else:
        found = _plainly_valid(collection, tables, codes)
    _LAST_PLAIN[name] = (table, referred, found)
    return found


def _changed_rows(collection: Collection, old: Table, new: Table) -> list[int] | None:
    """The rows of a plan-level table whose records are not those of ``old``, if few and
    their keys are as they were (so the keys stay distinct); else None."""
    if collection.parent is not None or len(old.records) != len(new.records):
        return None
    changed = patched_rows(old, new)
    if changed is None:
        changed = replaced(new.records, old.records)
    if len(changed) > PATCHED:
        return None
    for attr in collection.key:
        was, now = old.values[attr], new.values[attr]
        if any(was[i] != now[i] for i in changed):
            return None
    return changed


def _plainly_valid(collection: Collection, tables: Tables,
                   codes: Mapping[str, KeysView[Any]], table: Table | None = None) -> bool:
    """The common case of :func:`_check`, decided for the whole table (or for ``table``,
    some of its rows): True if it would find nothing. Its numbers are sound, its optional
    numbers absent or sound, no required text is blank, every reference is known and every
    key distinct."""
    name = collection.name
    if table is None:
        table = tables[name]
    n = len(table.records)
    if not n:
        return True
    values = table.values
    if table.numbers is not None and not _numbers_sound(name, table.numbers):
        return False
    if not all(_group_plainly_valid(group, values) for group in
               (_OPTIONAL_GROUPS if table.numbers is not None else _GROUPS)[name]):
        return False
    if not all(_all_text(values[attr]) for attr in _TEXT[name]):
        return False
    on_grid = collection is schema.ESTATE
    for column in _REFERENCES[name]:
        if on_grid and column.attr in collection.key:
            continue  # known if the items are on the grid, below
        known = codes[column.refers_to or ""]
        column_values = values[column.attr]
        if column.kind is Kind.CODES:
            if column_values.count(()) != n and not all(
                    set(v) <= known and len(set(v)) == len(v) for v in column_values):
                return False
        elif not set(column_values) <= (known | {""} if column.has_default else known):
            return False
    if on_grid:
        cells = tables.estate_cells
        return cells is not None and int(np.bincount(cells).max()) <= 1
    if collection.parent is not None:
        return _distinct_pairs(_prefixes(collection, tables), values[collection.key[0]])
    keys = values[collection.key[0]]
    if len(collection.key) == 2:  # a pair (a service link)
        return _distinct_pairs(keys, values[collection.key[1]])
    return len(set(keys)) == n


def _check(collection: Collection, tables: Tables, codes: Mapping[str, KeysView[Any]],
           problems: list[Problem]) -> None:
    """Each column's values against the schema, value by value, naming every problem:
    limits, required text, references, keys."""
    table = tables[collection.name]
    records = table.records
    if not records:
        return
    prefixes = _prefixes(collection, tables)
    position = {id(r): i for i, r in enumerate(records)} if collection.parent else {}

    def where(record: Any, attr: str) -> str:
        prefix = prefixes[position.get(id(record), 0)]
        return f"{prefix}[{collection.label(record)}].{attr}"

    # on the grid, every force and service the estate names is known
    on_grid = collection is schema.ESTATE and tables.estate_cells is not None
    values_by_column = table.values
    for column in _CHECKED[collection.name]:
        values = values_by_column[column.attr]
        if column.numeric:
            if not _numbers_plainly_valid(column, values):
                for record, value in zip(records, values, strict=True):
                    if problem := column_problem(column, where(record, column.attr), value):
                        problems.append(problem)
        elif column.required_text and not _all_text(values):
            for record, value in zip(records, values, strict=True):
                if problem := column_problem(column, where(record, column.attr), value):
                    problems.append(problem)
        if column.refers_to is not None and not (on_grid and column.attr in collection.key):
            _check_references(column, records, values, codes[column.refers_to], where,
                              problems)
    _check_keys(collection, records, prefixes, values_by_column, problems)


def _check_keys(collection: Collection, records: Sequence[Any], prefixes: Sequence[str],
                values_by_column: Mapping[str, Sequence[Any]],
                problems: list[Problem]) -> None:
    """Keys are unique within their holder: the plan, or each option for its decisions."""
    key = collection.key
    values = [values_by_column[k] for k in key]
    if collection.parent is not None:
        values.insert(0, list(prefixes))
    if len(values) == 1:
        if len(set(values[0])) == len(values[0]):
            return
        keys: Sequence[Any] = values[0]
    else:
        if _distinct_pairs(*values):
            return
        keys = list(zip(*values, strict=True))
    for found, times in Counter(keys).items():
        if times == 1:
            continue
        if collection.parent is not None:
            problems.append(Problem(f"{found[0]}[{'/'.join(found[1:])}]",
                                    f"appears {times} times; must be unique"))
        elif len(key) == 1 or len({collection.column(k).refers_to for k in key}) == 1:
            shown = found if len(key) == 1 else "/".join(found)
            problems.append(Problem(f"{collection.name}[{shown}]",
                                    f"appears {times} times; must be unique"))
        else:
            problems.append(Problem(
                f"{collection.name}[{'/'.join(found)}]",
                f"appears {times} times; a {key[0]} has one {collection.noun} a {key[1]}"))


def _distinct_pairs(first: Sequence[Any], second: Sequence[Any]) -> bool:
    """Whether no pair repeats, decided in C for the common case.

    Equal pairs join to equal texts, so all-distinct joins prove all-distinct pairs; a
    clash of joins ("ab" + "c", "a" + "bc") or a value that is not text goes the slow way.
    """
    try:
        return len(set(map(operator.add, first, second))) == len(first)
    except TypeError:
        return False


def _check_references(column: Column, records: Sequence[Any],
                      values: Sequence[Any], known: KeysView[Any], where: Any,
                      problems: list[Problem]) -> None:
    noun = schema.COLLECTIONS[column.refers_to or ""].noun
    if column.kind is Kind.CODES:
        if values.count(()) == len(values):  # the common case: every force
            return
        if all(set(v) <= known and len(set(v)) == len(v) for v in values):
            return
        for record, value in zip(records, values, strict=True):
            for code in value:
                if code not in known:
                    problems.append(Problem(where(record, column.attr),
                                            f"{noun} {code!r} is not in the plan"))
            if len(set(value)) != len(value):
                problems.append(Problem(where(record, column.attr),
                                        f"names a {noun} more than once"))
        return
    allowed = known | {""} if column.has_default else known
    if set(values) <= allowed:
        return
    for record, value in zip(records, values, strict=True):
        if value in allowed:
            continue
        if column.on_remove is schema.OnRemove.REFUSE:
            message = f"names {noun} {value!r}, which is not in the plan's {column.refers_to}"
        else:
            message = f"{noun} {value!r} is not in the plan"
        problems.append(Problem(where(record, column.attr), message))


def _check_options(plan: Plan, years: set[int], problems: list[Problem]) -> None:
    """Each option's decisions and closures, one by one, naming every problem."""
    add = problems.append
    for o in plan.options:
        w = f"options[{o.code}]"
        for d in o.decisions:
            _check_decision(plan, o.code, d, years, problems)
            if o.is_baseline and d.mode is Mode.CONVERGE:
                add(Problem(f"{w}.decisions[{d.service}].mode",
                            "the baseline is business as usual: it can carry unavoidable "
                            "costs such as a refresh, but cannot converge a service"))
        for a in o.site_actions:
            if years and isinstance(a.closure_year, int) and a.closure_year not in years:
                add(Problem(f"{w}.site_actions[{a.site}].closure_year",
                            _outside(plan, a.closure_year)))


_LAST_SOUND: list[tuple[tuple[Any, ...], tuple[Any, ...], bool]] = []
"""The last :func:`_decisions_plainly_sound`, with the tables and values it was decided on."""


def forget() -> None:
    """Drop what was kept from the last validation (for tests and benchmarks of a first)."""
    _LAST_PLAIN.clear()
    _LAST_SOUND.clear()


def _decisions_plainly_sound_kept(plan: Plan, tables: Tables, years: set[int]) -> bool:
    """:func:`_decisions_plainly_sound`, kept while the decisions, the options and the
    plan's years are the same: an edit to the estate or a force leaves it as it was."""
    objects = (tables["decisions"], tables["options"], tables.changes)
    values = (years, plan.base_year)
    if _LAST_SOUND and all(map(operator.is_, _LAST_SOUND[0][0], objects)) \
            and _LAST_SOUND[0][1] == values:
        return _LAST_SOUND[0][2]
    found = _decisions_plainly_sound(plan, tables, years)
    _LAST_SOUND[:] = [(objects, values, found)]
    return found


def _decisions_plainly_sound(plan: Plan, tables: Tables, years: set[int]) -> bool:
    """The common case of :func:`_check_decision` for every decision at once, with no
    message built: the baseline converges nothing, the rates' categories fit, profiles
    and ramps are sound, each change goes live in the plan's years with its profile
    inside them. False sends every decision the slow way, which names what is wrong."""
    table = tables["decisions"]
    n = len(table.records)
    if not n:
        return True
    values, holders = table.values, table.holders
    modes, profiles, ramps = values["mode"], values["transition_profile"], values["benefit_ramp"]
    baseline = OptionRole.BASELINE
    for b, role in enumerate(tables["options"].values["role"]):
        if role is baseline and Mode.CONVERGE in \
                modes[bisect_left(holders, b):bisect_right(holders, b)]:
            return False
    if OBCategory.OUTSOURCING in values["ob_category"] \
            or not set(values["running_ob_category"]) <= _RUNNING_CATEGORIES:
        return False
    if not (set(map(type, profiles)) <= _TUPLE and set(map(type, ramps)) <= _TUPLE
            and all(profiles) and all(ramps)
            and _shares_sound(list(chain.from_iterable(profiles)))
            and _shares_sound(list(chain.from_iterable(ramps)))):
        return False
    totals = list(map(math.fsum, profiles))
    if totals.count(1.0) != n and not all(abs(total - 1.0) <= 1e-9 for total in totals):
        return False
    lives, lengths = values["go_live_year"], list(map(len, profiles))
    if tables.changes.count(True) != n:
        lives = list(compress(lives, tables.changes))
        lengths = list(compress(lengths, tables.changes))
    return not lives or (set(map(type, lives)) <= _INT and set(lives) <= years
                         and min(map(operator.sub, lives, lengths)) + 1 >= plan.base_year)


_TUPLE: Final = frozenset({tuple})


def _closures_plainly_inside(tables: Tables, years: set[int]) -> bool:
    """The common case for the options' site closures: each in the plan's years."""
    try:
        return not years or set(tables["site_actions"].values["closure_year"]) <= years
    except TypeError:  # a value that cannot be hashed
        return False


def _check_price_years(plan: Plan, tables: Tables, problems: list[Problem]) -> None:
    """Every price year must have a deflator: in the plan's series, or after its end."""
    known = set(tables["deflators"].values["year"])
    years = tables.price_years
    if years is not None:  # the common case: no price years, or every one in reach
        if not years - {None}:
            return
        if known:
            last = max(known)
            if all(y in known or (type(y) in _NUMBER_TYPES and y > last)
                   for y in (plan.base_year, *years) if y is not None):
                return
    priced = [(f"estate[{e.force}/{e.service}].price_year", e.price_year)
              for e in plan.estate if e.price_year is not None]
    priced += [(f"sites[{c.code}].price_year", c.price_year)
               for c in plan.sites if c.price_year is not None]
    priced += [(f"options[{o.code}].decisions[{d.service}].price_year", d.price_year)
               for o in plan.options for d in o.decisions if d.price_year is not None]
    if not priced:
        return
    if not known:
        where, year = priced[0]
        problems.append(Problem(where, f"cash of {year} needs the GDP deflator, but the plan's "
                                       "deflator series is empty"))
        return
    last = max(known)
    for where, year in [("plan.base_year", plan.base_year), *priced]:
        if isinstance(year, int) and year <= last and year not in known:
            problems.append(Problem(where, f"the deflator series has no figure for {year} "
                                           f"(it covers {min(known)} to {last})"))


def _check_decision(plan: Plan, option: str, d: Decision, years: set[int],
                    problems: list[Problem]) -> None:
    """The rules that tie a decision's fields to each other and to the plan's years."""
    profile = d.transition_profile
    live = d.go_live_year
    change = d.makes_change
    # the common case, with no message built: a live year in the plan, a sound profile
    if (type(live) is int and live in years and live - len(profile) + 1 >= plan.base_year
            if change else True) and profile and _profile_sound(profile) \
            and d.ob_category is not OBCategory.OUTSOURCING \
            and d.running_ob_category in _RUNNING_CATEGORIES \
            and d.benefit_ramp and _shares_sound(d.benefit_ramp):
        return
    add = problems.append
    w = f"options[{option}].decisions[{d.service}]"
    if change:
        if live is None:
            add(Problem(w + ".go_live_year", "a change needs a go-live year"))
        elif not isinstance(live, int) or isinstance(live, bool):
            pass  # the schema's check has named it
        elif years and live not in years:
            add(Problem(w + ".go_live_year", _outside(plan, live)))
        elif years and live - len(profile) + 1 < plan.base_year:
            add(Problem(w + ".transition_profile",
                        f"spreads {len(profile)} years back from go-live "
                        f"{live}, before the base year {plan.base_year}"))
    if d.ob_category is OBCategory.OUTSOURCING:
        add(Problem(w + ".ob_category", "the Green Book's outsourcing row is for running "
                                        "costs; choose a capital row or 'stated'"))
    if d.running_ob_category not in (OBCategory.STATED, OBCategory.OUTSOURCING):
        add(Problem(w + ".running_ob_category", "running costs take the outsourcing row or "
                                                "a stated rate"))
    ramp = d.benefit_ramp
    if not ramp or not _shares_sound(ramp):
        add(Problem(w + ".benefit_ramp", "needs shares between 0 and 1, one a year from "
                                         "go-live, such as 0.5, 1"))
    if not profile:
        add(Problem(w + ".transition_profile", "needs at least one year"))
        return
    bad_weight = next((x for x in profile if check_number(w, x, maximum=1.0)), None)
    if bad_weight is not None:
        add(Problem(w + ".transition_profile",
                    f"fractions must be between 0 and 1 (got {bad_weight!r})"))
    elif abs(math.fsum(profile) - 1.0) > 1e-9:
        add(Problem(w + ".transition_profile",
                    f"fractions must add up to 1 (they add up to {sum(profile):.4g})"))


def _shares_sound(shares: Sequence[float]) -> bool:
    return (set(map(type, shares)) <= _NUMBER_TYPES and math.isfinite(sum(shares))
            and min(shares) >= 0.0 and max(shares) <= 1.0)


def _profile_sound(profile: tuple[float, ...]) -> bool:
    return _shares_sound(profile) and abs(math.fsum(profile) - 1.0) <= 1e-9


_RUNNING_CATEGORIES = frozenset({OBCategory.STATED, OBCategory.OUTSOURCING})


def _check_basis(plan: Plan, tables: Tables, problems: list[Problem], *,
                 numbers_sound: bool) -> None:
    """The basis needs usable figures; bad figures themselves are reported per force.
    ``numbers_sound``: every force's required figures are known to be usable."""
    basis = plan.sharing_basis
    forces = tables["forces"]

    def figures(attr: str) -> list[float | None]:
        return [_usable(v) for v in forces.values[attr]]

    if basis is SharingBasis.AGREED:
        shares = figures("agreed_share")
        missing = ", ".join(f.code for f, s in zip(plan.forces, shares, strict=True)
                            if s is None)
        if missing:
            problems.append(Problem("plan.sharing_basis",
                                    f"agreed shares need a percentage for every force "
                                    f"(missing: {missing})"))
        elif abs(sum(s or 0.0 for s in shares) - 100.0) > 1e-6:
            total = sum(s or 0.0 for s in shares)
            problems.append(Problem("forces.agreed_share",
                                    f"agreed shares must add up to 100% "
                                    f"(they add up to {total:.4g}%)"))
    elif basis is SharingBasis.NET_REVENUE:
        missing = ", ".join(f.code for f, v in zip(plan.forces, figures("net_revenue_budget"),
                                                   strict=True) if not v)
        if missing:
            problems.append(Problem("plan.sharing_basis",
                                    f"sharing by net revenue needs every force's budget "
                                    f"(missing: {missing})"))
    elif basis in (SharingBasis.OFFICERS, SharingBasis.POPULATION):
        attr = "officers" if basis is SharingBasis.OFFICERS else "population"
        # usable figures, all of them: none can be negative, so they add up to 0 only if
        # every one is 0
        values = forces.values[attr] if numbers_sound else figures(attr)
        if plan.forces and all(v is not None for v in values) \
                and not (any(values) if numbers_sound else sum(v or 0.0 for v in values)):
            problems.append(Problem("plan.sharing_basis",
                                    f"sharing by {attr} needs forces with {attr}"))


def _usable(value: object) -> float | None:
    """A figure that can be summed, or None (bad figures get their own message)."""
    if value is None or check_number("", value, maximum=None) is not None:
        return None
    return float(value)  # type: ignore[arg-type]


def _outside(plan: Plan, year: int) -> str:
    last = plan.base_year + plan.horizon_years - 1
    return f"{year} is outside the plan's years {plan.base_year} to {last}"
