"""The ``.alliance`` plan file: one SQLite database a plan, the only code that touches SQLite.

Safety rules, each with a test:

* A file is identified from its header bytes before SQLite opens it, so a foreign,
  empty, damaged or newer file is refused without a single byte being written.
* Reading never writes: current files are read through a read-only connection, older
  ones are migrated in a private in-memory copy.
* Every change is one transaction; a new file is written beside its target and renamed
  into place, so a crash or a full disk leaves the old file as it was.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import shutil
import sqlite3
import struct
import tempfile
import typing
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from .. import APPLICATION_ID
from ..domain import schema
from ..domain.model import Plan
from ..domain.schema import Collection, Column, Kind
from ..domain.serialize import field_types, plan_from_dict, plan_to_dict
from ..domain.validation import Problem, ValidationError, validate
from .migrations import MIGRATIONS, schema_version

SUFFIX = ".alliance"
_HEADER = b"SQLite format 3\x00"
_BUSY_TIMEOUT_MS = 5000


class PlanFileError(Exception):
    """A plan file cannot be read or written. The message names the file and the reason."""


@dataclass(frozen=True)
class Version:
    id: int
    name: str
    note: str
    created_at: str


# --- identifying a file without opening it ---------------------------------------------


def _change_counter(path: Path) -> bytes:
    """The file change counter in a SQLite header (bytes 24-27): it moves on every commit."""
    try:
        with path.open("rb") as fh:
            return fh.read(28)[24:28]
    except OSError:
        return b""


def file_version(path: str | os.PathLike[str]) -> int:
    """The plan format version of a file, read from its header; refuses anything else."""
    p = Path(path)
    if not p.exists():
        raise PlanFileError(f"{p}: no such file")
    if p.is_dir():
        raise PlanFileError(f"{p}: is a folder, not a plan file")
    try:
        with p.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise PlanFileError(f"{p}: cannot be read ({exc.strerror})") from exc
    if not header:
        raise PlanFileError(f"{p}: is empty, not an Alliance Planner plan")
    if len(header) < 100 or not header.startswith(_HEADER):
        raise PlanFileError(f"{p}: is not an Alliance Planner plan (not a SQLite database)")
    (user_version,) = struct.unpack(">i", header[60:64])
    (application_id,) = struct.unpack(">I", header[68:72])
    if application_id != APPLICATION_ID:
        raise PlanFileError(f"{p}: is a SQLite database but not an Alliance Planner plan")
    if user_version > schema_version():
        raise PlanFileError(
            f"{p}: was written by a newer version of Alliance Planner (plan format "
            f"{user_version}; this version reads up to {schema_version()}); "
            "it has not been changed"
        )
    if user_version < 1:
        raise PlanFileError(f"{p}: is damaged (plan format {user_version} is not valid)")
    return int(user_version)


# --- connections --------------------------------------------------------------------------


def _configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _connect_read_only(path: Path) -> sqlite3.Connection:
    uri = path.resolve().as_uri() + "?mode=ro"
    return _configure(sqlite3.connect(uri, uri=True, isolation_level=None))


def _connect_writable(path: Path) -> sqlite3.Connection:
    # A plan may be opened on a worker thread and then used on the GUI thread: only ever
    # one thread at a time, which is what SQLite itself requires.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    _configure(conn)
    conn.execute("PRAGMA synchronous = FULL")
    return conn


def _migrate(conn: sqlite3.Connection) -> None:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for version in range(current, schema_version()):
        conn.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def _check_integrity(path: Path, conn: sqlite3.Connection) -> None:
    try:
        result = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise PlanFileError(f"{path}: is damaged ({exc})") from exc
    if result != [("ok",)]:
        detail = "; ".join(str(row[0]) for row in result[:3])
        raise PlanFileError(f"{path}: is damaged ({detail})")


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that can read the plan and cannot write the file."""
    version = file_version(path)
    try:
        conn = _connect_read_only(path)
    except sqlite3.Error as exc:
        raise PlanFileError(f"{path}: cannot be opened ({exc})") from exc
    try:
        _check_integrity(path, conn)
        if version < schema_version():
            memory = sqlite3.connect(":memory:", isolation_level=None)
            conn.backup(memory)
            conn.close()
            conn = _configure(memory)
            _migrate(conn)
        yield conn
    except sqlite3.DatabaseError as exc:
        raise PlanFileError(f"{path}: is damaged ({exc})") from exc
    finally:
        conn.close()


# --- rows <-> objects, as the plan schema declares them --------------------------------------


def _to_cell(column: Column, value: Any) -> Any:
    """A field's value as SQLite keeps it: codes and fractions as JSON, dates as ISO text."""
    if value is None:
        return None
    if column.kind in (Kind.CODES, Kind.FRACTIONS):
        return json.dumps(list(value))
    if column.kind is Kind.DATE:
        return value.isoformat()
    if column.kind is Kind.BOOL:
        return int(value)
    if isinstance(value, Enum):
        return value.value
    return value


def _row(collection: Collection, record: Any, position: int,
         parent: str | None = None) -> list[Any]:
    """A record as its table's row, in the order of :func:`_columns`."""
    row = [position] if parent is None else [parent, position]
    row.extend(_to_cell(c, getattr(record, c.attr)) for c in collection.columns)
    return row


def _names(names: Iterable[str], suffix: str = "", between: str = ", ") -> str:
    """Column names quoted for SQL (a field may be called 'index'), joined."""
    return between.join(f'"{n}"{suffix}' for n in names)


def _columns(collection: Collection) -> list[str]:
    parent = collection.parent_column
    return ([] if parent is None else [parent.attr]) + ["position"] + \
        [c.attr for c in collection.columns]


_Reader = Callable[[Any], Any]


class _Bad(Exception):
    """A stored value is not of its field's type."""


def _cell_reader(column: Column, tp: Any) -> _Reader:
    """A function from a stored value to the field's value; raises _Bad if it is not one.

    Most values are already of the right type, so the common case costs one comparison.
    """
    nullable = type(None) in typing.get_args(tp)
    if nullable:
        (tp,) = [a for a in typing.get_args(tp) if a is not type(None)]

    def read(value: Any) -> Any:
        if value is None:
            if nullable:
                return None
            raise _Bad("is missing")
        return convert(value)

    if column.kind in (Kind.CODES, Kind.FRACTIONS):
        inner = str if column.kind is Kind.CODES else float

        def convert(value: Any) -> Any:
            try:
                items = json.loads(value)
            except (TypeError, ValueError, RecursionError):
                raise _Bad(f"is not a list: {_shown(value)}") from None
            if not isinstance(items, list) or not all(
                    isinstance(v, inner) or (inner is float and type(v) is int) for v in items):
                raise _Bad(f"is not a list of {'codes' if inner is str else 'numbers'}: "
                           f"{_shown(value)}")
            return tuple(inner(v) for v in items)
    elif tp is float:
        def convert(value: Any) -> Any:
            if type(value) is float:
                return value
            if type(value) is int:
                return float(value)
            raise _Bad(f"must be a number, not {_shown(value)}")
    elif tp is int:
        def convert(value: Any) -> Any:
            if type(value) is int:
                return value
            if type(value) is float and value.is_integer():
                return int(value)
            raise _Bad(f"must be a whole number, not {_shown(value)}")
    elif tp is bool:
        def convert(value: Any) -> Any:
            if value in (0, 1) and type(value) is int:
                return bool(value)
            raise _Bad(f"must be true or false, not {_shown(value)}")
    elif tp is date:
        def convert(value: Any) -> Any:
            try:
                return date.fromisoformat(value)
            except (TypeError, ValueError):
                raise _Bad(f"must be a date (YYYY-MM-DD), not {_shown(value)}") from None
    elif isinstance(tp, type) and issubclass(tp, Enum):
        members = {m.value: m for m in tp}
        choices = ", ".join(repr(v) for v in members)

        def convert(value: Any) -> Any:
            try:
                return members[value]
            except (KeyError, TypeError):
                raise _Bad(f"must be one of {choices}, not {_shown(value)}") from None
    else:
        def convert(value: Any) -> Any:
            if type(value) is str:
                return value
            raise _Bad(f"must be text, not {_shown(value)}")
    return read


def _shown(value: Any) -> str:
    """A stored value in a one-line message, however long or strange it is."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


@functools.cache
def _readers(name: str) -> tuple[_Reader, ...]:
    """The readers of a collection's columns, or of the plan's settings ('plan')."""
    record, columns = (Plan, schema.SETTINGS) if name == "plan" else (
        schema.COLLECTIONS[name].record, schema.COLLECTIONS[name].columns)
    types = field_types(record)
    return tuple(_cell_reader(c, types[c.attr]) for c in columns)


def _records(conn: sqlite3.Connection, collection: Collection,
             problems: list[Problem]) -> list[tuple[str | None, Any]]:
    """Every stored record of a collection, in order, with the code of its holder."""
    names = _columns(collection)
    attrs = tuple(c.attr for c in collection.columns)
    readers = _readers(collection.name)
    nested = collection.parent is not None
    found: list[tuple[str | None, Any]] = []
    rows = conn.execute(f"SELECT {_names(names)} FROM {collection.table} "
                        "ORDER BY position").fetchall()
    skip = 2 if nested else 1
    for row in rows:
        values = {}
        for attr, read, value in zip(attrs, readers, row[skip:], strict=True):
            try:
                values[attr] = read(value)
            except _Bad as bad:
                key = "/".join(str(row[skip + attrs.index(k)]) for k in collection.key)
                holder = f"{collection.parent}[{row[0]}]." if nested else ""
                problems.append(Problem(f"{holder}{collection.name}[{key}].{attr}",
                                        str(bad)))
        if len(values) == len(attrs):
            found.append((row[0] if nested else None, collection.record(**values)))
    return found


def _read_plan(conn: sqlite3.Connection) -> Plan:
    problems: list[Problem] = []
    settings = tuple(c.attr for c in schema.SETTINGS)
    heads = conn.execute(f"SELECT {_names(settings)} FROM plan").fetchall()
    if len(heads) != 1:
        raise ValidationError([Problem("plan", "the plan record is missing")])
    head: dict[str, Any] = {}
    for attr, read, value in zip(settings, _readers("plan"), heads[0], strict=True):
        try:
            head[attr] = read(value)
        except _Bad as bad:
            problems.append(Problem(f"plan.{attr}", str(bad)))
    found = {c.name: _records(conn, c, problems) for c in schema.COLLECTIONS.values()}
    if problems:
        raise ValidationError(problems)
    held: dict[str, dict[str, list[Any]]] = {c.name: {} for c in schema.NESTED}
    for collection in schema.NESTED:
        for holder, record in found[collection.name]:
            held[collection.name].setdefault(holder or "", []).append(record)
    top: dict[str, Any] = {c.name: tuple(r for _, r in found[c.name])
           for c in schema.TOP_LEVEL if c.name != "options"}
    options = tuple(dataclasses.replace(o, **{
        c.name: tuple(held[c.name].pop(o.code, ())) for c in schema.NESTED})
        for _, o in found["options"])
    return Plan(**head, **top, options=options)


def _write_plan(conn: sqlite3.Connection, plan: Plan) -> None:
    """Replace the whole plan; the caller holds the transaction."""
    for collection in reversed(schema.COLLECTIONS.values()):
        conn.execute(f"DELETE FROM {collection.table}")
    conn.execute("DELETE FROM plan")
    settings = [c.attr for c in schema.SETTINGS]
    conn.execute(f"INSERT INTO plan (id, {_names(settings)}) VALUES "
                 f"(1, {', '.join('?' * len(settings))})",
                 [_to_cell(c, getattr(plan, c.attr)) for c in schema.SETTINGS])
    for collection in schema.TOP_LEVEL:
        _insert(conn, collection, [_row(collection, r, i)
                                   for i, r in enumerate(getattr(plan, collection.name))])
    _write_nested(conn, plan)


def _insert(conn: sqlite3.Connection, collection: Collection, rows: list[list[Any]]) -> None:
    if rows:
        names = _columns(collection)
        conn.executemany(f"INSERT INTO {collection.table} ({_names(names)}) "
                         f"VALUES ({', '.join('?' * len(names))})", rows)


def _write_nested(conn: sqlite3.Connection, plan: Plan) -> None:
    """Each option's decisions and site closures."""
    for collection in schema.NESTED:
        _insert(conn, collection, [
            _row(collection, r, i, holder.code)
            for holder in getattr(plan, collection.parent or "")
            for i, r in enumerate(getattr(holder, collection.name))])


def _write_changes(conn: sqlite3.Connection, old: Plan, new: Plan) -> None:
    """Write only the records that differ; anything structural rewrites the plan whole.

    Unchanged collections are the very same tuples after an edit, so most are skipped
    by identity; a changed one is compared record by record, in place, when no record
    was added, removed, moved or re-keyed.
    """
    updates: list[tuple[Collection, int, Any]] = []
    for collection in schema.TOP_LEVEL:
        before, after = getattr(old, collection.name), getattr(new, collection.name)
        if before is after:
            continue
        if len(before) != len(after):
            _write_plan(conn, new)
            return
        for i, (a, b) in enumerate(zip(before, after, strict=True)):
            if a == b:
                continue
            if collection.key_of(a) != collection.key_of(b):
                _write_plan(conn, new)
                return
            updates.append((collection, i, b))
    changed = [c for c in schema.SETTINGS if getattr(old, c.attr) != getattr(new, c.attr)]
    if changed:
        conn.execute(f"UPDATE plan SET {_names([c.attr for c in changed], ' = ?')} "
                     "WHERE id = 1", [_to_cell(c, getattr(new, c.attr)) for c in changed])
    for collection, i, record in updates:
        names = ["position", *(c.attr for c in collection.columns if c.attr not in
                               collection.key)]
        values = [i, *(_to_cell(c, getattr(record, c.attr)) for c in collection.columns
                       if c.attr not in collection.key)]
        conn.execute(f"UPDATE {collection.table} SET {_names(names, ' = ?')} "
                     f"WHERE {_names(collection.key, ' = ?', ' AND ')}",
                     [*values, *collection.key_of(record)])
    if old.options is not new.options:
        for collection in schema.NESTED:
            conn.execute(f"DELETE FROM {collection.table}")
        _write_nested(conn, new)


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: all of it lands, or none."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # SQLite may already have rolled back (a full disk)
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _refuse_invalid(plan: Plan, where: str) -> None:
    problems = validate(plan)
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise PlanFileError(f"{where}: the plan is not valid: {shown}{more}")


def _os_error(path: Path, exc: BaseException) -> PlanFileError:
    if isinstance(exc, sqlite3.OperationalError) and "full" in str(exc):
        return PlanFileError(f"{path}: the disk is full; nothing was written")
    reason = getattr(exc, "strerror", None) or str(exc)
    return PlanFileError(f"{path}: cannot be written ({reason})")


# --- the public interface -----------------------------------------------------------------


def read_plan(path: str | os.PathLike[str]) -> Plan:
    """Read a plan without writing anything to its file."""
    p = Path(path)
    with _reading(p) as conn:
        try:
            plan = _read_plan(conn)
        except ValidationError as exc:
            raise PlanFileError(f"{p}: is damaged ({exc})") from exc
    _refuse_invalid(plan, str(p))
    return plan


def write_new(path: str | os.PathLike[str], plan: Plan, *, overwrite: bool = False) -> None:
    """Write a plan to a new file, all at once: the target appears only when complete."""
    p = Path(path)
    _refuse_invalid(plan, str(p))
    if p.exists() and not overwrite:
        raise PlanFileError(f"{p}: already exists; choose another name or overwrite it")
    if p.is_dir():
        raise PlanFileError(f"{p}: is a folder, not a plan file")
    folder = p.parent if str(p.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _os_error(p, exc) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        conn = _connect_writable(tmp)
        try:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            _migrate(conn)
            with _transaction(conn):
                _write_plan(conn, plan)
        finally:
            conn.close()
        os.replace(tmp, p)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise _os_error(p, exc) from exc


class PlanFile:
    """An open plan file for editing: each save is one transaction on the file itself."""

    def __init__(self, path: Path, conn: sqlite3.Connection, opened: Plan | None = None):
        self.path = path
        self._conn = conn
        self.opened = opened
        """The plan as checked on opening, while nothing has written the file since."""
        self._seen_version = self._data_version()

    def _data_version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed_elsewhere(self) -> bool:
        """Whether another program or window has saved to the file since we last looked."""
        try:
            return self._data_version() != self._seen_version
        except sqlite3.Error:
            return False

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> PlanFile:
        p = Path(path)
        version = file_version(p)
        counter = _change_counter(p)
        plan = read_plan(p)  # integrity and content are checked before anything is written
        if not os.access(p, os.W_OK) or not os.access(p.parent, os.W_OK):
            raise PlanFileError(f"{p}: is read-only; open it and save it under another name")
        if version < schema_version():
            backup = p.with_name(f"{p.name}.format{version}.bak")
            try:
                shutil.copy2(p, backup)
            except OSError as exc:
                raise _os_error(backup, exc) from exc
        try:
            conn = _connect_writable(p)
            _migrate(conn)
        except sqlite3.Error as exc:
            raise _os_error(p, exc) from exc
        # SQLite counts every commit in the header: an unchanged count means the plan read
        # above is still the file's, and need not be read again.
        unchanged = version == schema_version() and _change_counter(p) == counter
        return cls(p, conn, plan if unchanged else None)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PlanFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(self) -> Plan:
        self._seen_version = self._data_version()
        try:
            return _read_plan(self._conn)
        except (ValidationError, sqlite3.DatabaseError) as exc:
            raise PlanFileError(f"{self.path}: is damaged ({exc})") from exc

    def save(self, plan: Plan, *, previous: Plan | None = None, checked: bool = False) -> None:
        """Write the plan in one transaction: all of it lands, or none.

        With `previous` (the plan the file holds now) only what changed is written, which
        keeps an edit to a national plan quick. `checked` says the caller validated it.
        """
        if not checked:
            _refuse_invalid(plan, str(self.path))
        if previous is not None and self.changed_elsewhere():
            previous = None  # the file no longer holds `previous`: last writer wins, whole
        try:
            with _transaction(self._conn):
                if previous is None:
                    _write_plan(self._conn, plan)
                else:
                    _write_changes(self._conn, previous, plan)
        except sqlite3.Error as exc:
            raise _os_error(self.path, exc) from exc
        self._seen_version = self._data_version()

    def save_version(self, name: str, plan: Plan, note: str = "") -> Version:
        """Keep a named copy of the plan inside the file (the one that went to the board)."""
        if not name.strip():
            raise PlanFileError(f"{self.path}: a version needs a name")
        created = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with _transaction(self._conn):
                cursor = self._conn.execute(
                    "INSERT INTO versions (name, note, created_at, plan_json) "
                    "VALUES (?, ?, ?, ?)",
                    (name, note, created, json.dumps(plan_to_dict(plan))))
                row_id = int(cursor.lastrowid or 0)
        except sqlite3.Error as exc:
            raise _os_error(self.path, exc) from exc
        return Version(row_id, name, note, created)

    def versions(self) -> list[Version]:
        return [Version(*r)
                for r in self._conn.execute(
                    "SELECT id, name, note, created_at FROM versions ORDER BY id")]

    def load_version(self, version_id: int) -> Plan:
        rows = self._conn.execute("SELECT plan_json FROM versions WHERE id = ?",
                                  (version_id,)).fetchall()
        if not rows:
            raise PlanFileError(f"{self.path}: has no version {version_id}")
        try:
            return plan_from_dict(json.loads(rows[0][0]))
        except (ValueError, ValidationError) as exc:
            raise PlanFileError(f"{self.path}: version {version_id} is damaged ({exc})") from exc
