"""A plan's tables read once, field by field, for validation and the engine to share.

Reading one field of every record is the dearest step of a recompute (the national plan
has 860 estate items, and reading an attribute costs more than the arithmetic done with
it), so :func:`read` reads each field that validation or the engine needs exactly once,
with a list comprehension generated from the schema, and both work on those lists. It
also derives, once, what both of them need: each table's plain numbers as one float
matrix, each estate item's place on the force x service grid, the price years named and
which decisions change anything.

A plan is immutable, and a plan made by an edit shares every collection the edit left
alone (the same tuple of the same records). So the last table read of each top-level
collection is kept with the tuple it was read from: the recompute after an edit reads
again only what changed, and an edit to one estate item patches that item's values into a
copy of the estate's lists and matrix rather than reading 860 items again. A table is
never changed once built (its matrix is read-only), so sharing it between plans, and
threads, is safe.
"""

from __future__ import annotations

import operator
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, compress, count
from typing import Any, Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from ..compiled_methods import run
from . import schema
from .model import Mode, Plan
from .schema import Collection, Column

Floats = NDArray[np.float64]
Ints = NDArray[np.int64]
Bools = NDArray[np.bool_]

ALSO_READ: Final[dict[str, tuple[str, ...]]] = {
    "estate": ("contract_end",),
    "options": ("role",),
    "decisions": ("mode", "transition_profile", "benefit_ramp", "ob_category",
                  "running_ob_category"),
}
"""Fields that no column check needs but the engine, or a rule tying fields together, does."""

NUMBER_TYPES: Final = frozenset({float, int})
"""A plain number: a bool is an int to Python, but never a valid figure."""
MANY: Final = 200
"""A table this long has its types checked only where a bool could hide (a 0 or a 1)."""
WIDE: Final = 10
"""A table this long, or with this many numeric columns, has its numbers converted into one
matrix: a smaller one is checked column by column with builtins, which is quicker than
NumPy's cost per call."""


def checked_columns(collection: Collection) -> tuple[Column, ...]:
    """The columns validation checks value by value: numbers, required text, references."""
    return tuple(c for c in collection.columns
                 if c.numeric or c.required_text or c.refers_to is not None)


def number_columns(collection: Collection) -> tuple[Column, ...]:
    """The numeric columns that must hold a number: they go into the table's matrix.
    (Optional ones may hold None, so they stay lists.)"""
    return tuple(c for c in collection.columns if c.numeric and not c.optional)


def _fields(collection: Collection) -> tuple[str, ...]:
    fields = [c.attr for c in checked_columns(collection)]
    fields += [a for a in ALSO_READ.get(collection.name, ()) if a not in fields]
    return tuple(fields)


def _reader(attrs: tuple[str, ...]) -> Callable[[Sequence[Any]], tuple[list[Any], ...]]:
    """A function from records to one list of values a field: a comprehension per field,
    several times quicker than a getattr or attrgetter a value."""
    body = "".join(f"[r.{attr} for r in records], " for attr in attrs)
    namespace: dict[str, Any] = {}
    run(f"def read(records):\n    return ({body})", namespace)  # attrs are identifiers
    return namespace["read"]  # type: ignore[no-any-return]


def _short_reader(attrs: tuple[str, ...]) -> Callable[[Sequence[Any]],
                                                       tuple[tuple[Any, ...], ...]]:
    """The same for a short table: one comprehension of each record's values, turned
    into one tuple a field by zip (one loop rather than one a field saves more, on a few
    dozen records, than the turning costs)."""
    row = "".join(f"r.{attr}, " for attr in attrs)
    namespace: dict[str, Any] = {}
    run(f"def read(records):\n    return tuple(zip(*[({row}) for r in records]))", namespace)
    return namespace["read"]  # type: ignore[no-any-return]


FIELDS: Final = {c.name: _fields(c) for c in schema.COLLECTIONS.values()}
NUMBERS: Final = {c.name: number_columns(c) for c in schema.COLLECTIONS.values()}
NUMBER_ROW: Final = {name: {c.attr: k for k, c in enumerate(columns)}
                     for name, columns in NUMBERS.items()}
"""Each table's numeric columns: attr -> row of its matrix of numbers."""
_READERS: Final = {name: _reader(attrs) for name, attrs in FIELDS.items()}
_SHORT_READERS: Final = {name: _short_reader(attrs) for name, attrs in FIELDS.items()}


class Table(NamedTuple):
    """One collection's records, and the values of each field read, in record order."""

    name: str
    records: Sequence[Any]
    values: dict[str, Sequence[Any]]
    holders: list[int]
    """For records held inside another's (decisions inside options): the position of the
    holder of each record. Empty for a top-level collection."""
    numbers: Floats | None
    """[k, n]: the table's required numeric columns (NUMBERS order) as floats; None for a
    short, narrow table (see WIDE) or when a value is not a number."""

    def floats(self, attr: str) -> Floats:
        """A required numeric column as floats (of a valid plan: a float subclass, such
        as NumPy's, is valid but leaves no matrix)."""
        if self.numbers is not None:
            row: Floats = self.numbers[NUMBER_ROW[self.name][attr]]
            return row
        return np.array(self.values[attr], dtype=np.float64)

    def matrix(self) -> Floats:
        """[k, n] the required numeric columns as floats, as :meth:`floats` each."""
        if self.numbers is not None:
            return self.numbers
        return np.array([self.values[c.attr] for c in NUMBERS[self.name]], dtype=np.float64)


@dataclass(frozen=True)
class Tables:
    """Every table of one plan, with what validation and the engine both derive."""

    tables: dict[str, Table]
    positions: dict[str, dict[Any, int]]
    """For each collection that others refer to (forces, services, sites, sources): key
    -> position (the last position, should a key repeat)."""
    estate_cells: Ints | None
    """Each estate item's cell on the [force, service] grid (force x services + service),
    or None when an item names a force or service the plan lacks."""
    price_years: frozenset[Any] | None
    """Every price year named (None among them for base-year prices), or None if one
    cannot be hashed."""
    changes: list[bool]
    """Whether each decision (in table order) changes anything: :func:`makes_change`."""

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]


def _plain_types(columns: Sequence[Sequence[Any]]) -> bool:
    """Whether every value is a plain int or float, decided in C: floats are counted,
    and only if some value is not a float are the types collected."""
    if operator.countOf(map(type, chain.from_iterable(columns)), float) \
            == sum(map(len, columns)):
        return True
    return set(map(type, chain.from_iterable(columns))) <= NUMBER_TYPES


def _numbers(columns: Sequence[Sequence[Any]]) -> Floats | None:
    """The columns as one [k, n] float matrix, or None unless every value is a number.

    ``struct`` converts in C, a column at a time, and refuses text and None (NumPy would
    parse '1.5'). It takes a bool as 0 or 1, so the types are looked at where a column
    holds a 0 or a 1 -- and everywhere in a short table, where that is cheap: a long
    table is converted as ``array('d')`` would, taking any value with a ``__float__``.
    """
    k, n = len(columns), len(columns[0]) if columns else 0
    if n < MANY and not _plain_types(columns):
        return None
    row = struct.Struct(f"{n}d")
    try:
        packed = b"".join([row.pack(*column) for column in columns])
    except (struct.error, TypeError, ValueError, OverflowError):
        return None
    matrix = np.frombuffer(packed, dtype=np.float64).reshape(k, n)
    if n >= MANY and not _no_bools(columns, (matrix == 0.0) | (matrix == 1.0)):
        return None
    return matrix


def _no_bools(columns: Sequence[Sequence[Any]], zero_or_one: Bools) -> bool:
    """Whether each column that holds a 0 or a 1 ([k, n] where) holds plain ints and
    floats only: a bool can hide among numbers only as a 0 or a 1."""
    doubtful: list[int] = np.flatnonzero(zero_or_one.any(axis=1)).tolist()
    return not doubtful or _plain_types([columns[i] for i in doubtful])


def _table(collection: Collection, records: Sequence[Any], holders: list[int]) -> Table:
    name = collection.name
    if not records:
        return Table(name, records, {attr: [] for attr in FIELDS[name]}, holders, None)
    read = _SHORT_READERS[name] if len(records) < MANY else _READERS[name]
    values = dict(zip(FIELDS[name], read(records), strict=True))
    columns = NUMBERS[name]
    numbers = _numbers([values[c.attr] for c in columns]) \
        if len(records) >= MANY or len(columns) >= WIDE else None
    return Table(name, records, values, holders, numbers)


def table_of(collection: Collection, records: Sequence[Any]) -> Table:
    """A plan-level collection's table of these records (some of its rows, say), read
    afresh and not kept."""
    return _table(collection, records, [])


PATCHED: Final = 8
"""At most this many records changed since the last read, a long table is patched."""
_LAST: dict[str, tuple[Sequence[Any], Table]] = {}
"""Each top-level collection's last table, with the records it was read from."""
_LAST_HELD: dict[str, tuple[Sequence[Any], Table]] = {}
"""Each held collection's last table (decisions, site actions), with the holders' tuple it
was gathered from: a plan made by an edit elsewhere keeps that tuple, so nothing in it
changed (records are immutable)."""
_LAST_PATCH: dict[str, tuple[Table, Table, list[int]]] = {}
"""Each long table's last patch: the table patched, the table made, the rows changed."""
_LAST_CHANGES: list[tuple[Table, list[bool]]] = []
"""The last decisions table, with :func:`makes_change` of it."""
_LAST_CELLS: list[tuple[tuple[Sequence[Any], ...], Ints | None]] = []
"""The last estate grid, with the codes it was found from: each item's force and service,
and the forces' and services' codes in order."""


def forget() -> None:
    """Drop the tables kept from the last read (for benchmarks of a first read)."""
    _LAST.clear()
    _LAST_HELD.clear()
    _LAST_CHANGES.clear()
    _LAST_YEARS.clear()
    _LAST_PATCH.clear()
    _LAST_CELLS.clear()
    _LAST_POSITIONS.clear()


def _top_level(collection: Collection, records: Sequence[Any]) -> Table:
    """The collection's table: the last one if the records are the same tuple, patched if
    a few of a long table's records changed, else read afresh."""
    name = collection.name
    last = _LAST.get(name)
    if last is not None and last[0] is records:
        return last[1]
    table = _patched(name, records, *last) if last is not None else None
    if table is None:
        table = _table(collection, records, [])
    if type(records) is tuple:
        if table.numbers is not None:
            table.numbers.flags.writeable = False
        _LAST[name] = (records, table)
    return table


def _patched(name: str, records: Sequence[Any], old_records: Sequence[Any], old: Table
             ) -> Table | None:
    """`old` with the values of the records that are not the same objects as before, if
    the table is long, as long as before, and few changed into plain numbers; else None.
    A field whose values are all the same objects as before keeps its list (no user
    changes a table's lists), and the matrix of numbers is copied only if one changed."""
    n = len(records)
    if n < MANY or len(old_records) != n or old.numbers is None:
        return None
    changed = replaced(records, old_records)
    if len(changed) > PATCHED:
        return None
    values: dict[str, Sequence[Any]] = {}
    for attr, was in old.values.items():
        now = [getattr(records[i], attr) for i in changed]
        if all(map(operator.is_, now, [was[i] for i in changed])):
            values[attr] = was
            continue
        held = list(was)
        for i, value in zip(changed, now, strict=True):
            held[i] = value
        values[attr] = held
    numbers = old.numbers
    for k, column in enumerate(NUMBERS[name]):
        column_values = values[column.attr]
        if column_values is old.values[column.attr]:
            continue
        now = [column_values[i] for i in changed]
        if not set(map(type, now)) <= NUMBER_TYPES:
            return None  # a bool, a text, a None: the whole read says what is wrong
        if numbers is old.numbers:
            numbers = old.numbers.copy()
        numbers[k, changed] = now
    table = Table(name, records, values, [], numbers)
    _LAST_PATCH[name] = (old, table, changed)
    return table


def replaced(records: Sequence[Any], old_records: Sequence[Any]) -> list[int]:
    """The positions at which ``records`` holds another object than ``old_records``
    (compared in C: records are immutable, so the same object is the same record)."""
    return list(compress(count(), map(operator.is_not, records, old_records)))


def patched_rows(old: Table, new: Table) -> list[int] | None:
    """The rows of ``new`` whose records are not those of ``old``, if ``new`` is the table
    last patched from ``old``: found once, by the read, and given to validation too."""
    last = _LAST_PATCH.get(new.name)
    return last[2] if last is not None and last[0] is old and last[1] is new else None


def _grid(estate: Table, forces: Table, services: Table,
          positions: dict[str, dict[Any, int]]) -> Ints | None:
    """:func:`_cells`, kept while the codes it is found from are the same (compared in C,
    and quickly: an edit leaves the same code objects in place)."""
    codes = (estate.values["force"], estate.values["service"], forces.values["code"],
             services.values["code"])
    if _LAST_CELLS:
        last, cells = _LAST_CELLS[0]
        if all(a is b or a == b for a, b in zip(last, codes, strict=True)):
            return cells
    cells = _cells(positions["forces"], positions["services"], estate.values["force"],
                   estate.values["service"])
    if cells is not None:
        cells.flags.writeable = False
    _LAST_CELLS[:] = [(codes, cells)]
    return cells


def _cells(forces: dict[Any, int], services: dict[Any, int], force_codes: Sequence[Any],
           service_codes: Sequence[Any]) -> Ints | None:
    """Where each estate item sits on the [force, service] grid; None if it names a force
    or service the plan lacks (or that cannot be hashed). Looked up and packed in C."""
    n = len(force_codes)
    codes = struct.Struct(f"{n}q")
    try:
        f = np.frombuffer(codes.pack(*map(forces.__getitem__, force_codes)), dtype=np.int64)
        s = np.frombuffer(codes.pack(*map(services.__getitem__, service_codes)),
                          dtype=np.int64)
    except (KeyError, TypeError):
        return None
    cells: Ints = f * len(services) + s
    return cells


_REFERRED: Final = {c.refers_to: schema.COLLECTIONS[c.refers_to].key[0]
                    for collection in schema.COLLECTIONS.values()
                    for c in collection.columns if c.refers_to is not None}
"""The collections that others refer to, and the field of their key."""


_LAST_POSITIONS: dict[str, tuple[Table, dict[Any, int]]] = {}


def _positions(table: Table, key: str) -> dict[Any, int]:
    """Key -> position in `table`, kept while the table is (never changed by its users)."""
    last = _LAST_POSITIONS.get(table.name)
    if last is not None and last[0] is table:
        return last[1]
    found = dict(zip(table.values[key], range(len(table.records)), strict=True))
    _LAST_POSITIONS[table.name] = (table, found)
    return found


def read(plan: Plan) -> Tables:
    """Every field that validation or the engine needs, of every table, read once."""
    tables = {}
    for collection in schema.COLLECTIONS.values():
        if collection.parent is None:
            tables[collection.name] = _top_level(collection, getattr(plan, collection.name))
        else:
            tables[collection.name] = _held(collection, getattr(plan, collection.parent))
    positions = {name: _positions(tables[name], key) for name, key in _REFERRED.items()}
    estate = tables["estate"]
    cells = _grid(estate, tables["forces"], tables["services"], positions)
    years = (estate.values["price_year"], tables["sites"].values["price_year"],
             tables["decisions"].values["price_year"])
    return Tables(tables, positions, cells, _price_years(years), _changes(tables["decisions"]))


_LAST_YEARS: list[tuple[tuple[Sequence[Any], ...], frozenset[Any] | None]] = []
"""The last price years found, with the lists they were found in."""


def _price_years(years: tuple[Sequence[Any], ...]) -> frozenset[Any] | None:
    """Every price year in the lists, or None if one cannot be hashed; kept while the
    lists are the same (an edit that leaves a table's price years alone keeps its list)."""
    if _LAST_YEARS and all(map(operator.is_, _LAST_YEARS[0][0], years)):
        return _LAST_YEARS[0][1]
    try:
        found: frozenset[Any] | None = frozenset(chain.from_iterable(years))
    except TypeError:
        found = None
    _LAST_YEARS[:] = [(years, found)]
    return found


def _held(collection: Collection, holders: Sequence[Any]) -> Table:
    """The records held by each holder, gathered in order, each remembering its holder;
    the last table if the holders are the same tuple."""
    name = collection.name
    last = _LAST_HELD.get(name)
    if last is not None and last[0] is holders:
        return last[1]
    held = [getattr(holder, name) for holder in holders]
    table = _table(collection, [r for records in held for r in records],
                   [i for i, records in enumerate(held) for _ in records])
    if type(holders) is tuple:
        if table.numbers is not None:
            table.numbers.flags.writeable = False
        _LAST_HELD[name] = (holders, table)
    return table


def _changes(decisions: Table) -> list[bool]:
    """:func:`makes_change`, kept with the table (a list no user changes)."""
    if _LAST_CHANGES and _LAST_CHANGES[0][0] is decisions:
        return _LAST_CHANGES[0][1]
    found = makes_change(decisions)
    _LAST_CHANGES[:] = [(decisions, found)]
    return found


_AMOUNTS: Final = ("transition_cost", "exit_cost", "shared_running_cost", "shared_support_fte",
                   "officer_hours_per_week", "other_savings")
"""The amounts any of which makes a decision a change."""
_AMOUNT_ROWS: Final = [NUMBER_ROW["decisions"][attr] for attr in _AMOUNTS]


def makes_change(decisions: Table) -> list[bool]:
    """:attr:`Decision.makes_change` of every decision in the table, from its numbers:
    it converges, or one of its amounts is not 0."""
    if decisions.numbers is None:
        return [d.makes_change for d in decisions.records]
    some: Bools = np.count_nonzero(decisions.numbers[_AMOUNT_ROWS], axis=0) > 0
    converging = Mode.CONVERGE
    return [mode is converging or amount
            for mode, amount in zip(decisions.values["mode"], some.tolist(), strict=True)]
