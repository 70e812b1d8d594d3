"""The ``.alliance`` plan file: one SQLite database a plan, the only code that touches SQLite.

Safety rules, each with a test (docs/reliability.md lists them):

* A file is identified from its header bytes before SQLite opens it, so a foreign,
  empty, damaged or newer file is refused without a single byte being written.
* Reading never writes: current files are read through a read-only connection, in one
  read transaction (one consistent state), older ones are migrated in a private in-memory
  copy. The one exception repairs, never changes: a plan left part-way through a save by a
  crash has a hot rollback journal, which only a writable connection can roll back; where
  the file and its folder are writable, SQLite is let do that, and the plan reads as it
  was before the save that was cut short.
* Every change is one transaction; a new file is written beside its target and renamed
  into place, so a crash or a full disk leaves the old file as it was.
* One writer at a time: opening for editing takes the lock beside the plan (lock.py), and
  a save that finds the file changed by someone else anyway is refused rather than written
  over their rows.
* Every message is one line that names the file (messages.one_line: control characters
  escaped, long values cut short); no number read from a file sizes anything before
  validation has bounded it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import functools
import json
import os
import sqlite3
import struct
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
from ..messages import one_line
from .lock import Holder, LockHeld, PlanLock, acquire, user_name
from .migrations import MIGRATIONS, schema_version

SUFFIX = ".alliance"
_HEADER = b"SQLite format 3\x00"
_BUSY_TIMEOUT_MS = 2000
"""How long to wait for another program's lock: our own commits take milliseconds."""
_PROBLEM_LIMIT = 120
_PROBLEMS_SHOWN = 3

# SQLite's result codes (sqlite3.h); an exception's sqlite_errorcode holds the extended one.
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR = 5, 6, 8, 10
_SQLITE_FULL, _SQLITE_CANTOPEN, _SQLITE_PERM = 13, 14, 3
_SQLITE_READONLY_ROLLBACK = 776
"""A read-only connection found a hot journal it may not roll back."""


# --- messages ----------------------------------------------------------------------------


def _problems_text(problems: typing.Sequence[Problem]) -> str:
    """The first few problems, each cut short, and how many more there are."""
    shown = "; ".join(one_line(str(p), _PROBLEM_LIMIT) for p in problems[:_PROBLEMS_SHOWN])
    more = len(problems) - _PROBLEMS_SHOWN
    return shown + (f" (and {more} more)" if more > 0 else "")


class PlanFileError(Exception):
    """A plan file cannot be read or written. The message is one line naming the file and
    the reason."""

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class PlanNotEditable(PlanFileError):
    """The plan can be read but not edited here; `PlanFile.open_read_only` will open it.
    `reason` says why, for the window to show."""

    def __init__(self, message: str, reason: str, holder: Holder | None = None) -> None:
        super().__init__(message)
        self.reason = one_line(reason)
        self.holder = holder


class PlanInUse(PlanNotEditable):
    """Another window or process has the plan open for editing; `holder` says who."""


class PlanChangedElsewhere(PlanFileError):
    """A save was refused: another program wrote the file since it was last read."""


@dataclass(frozen=True)
class Version:
    """A named version kept inside the plan file."""

    id: int
    name: str
    note: str
    created_at: str
    created_by: str = ""


@dataclass(frozen=True)
class Change:
    """One entry of the plan's changes log: what came into it from outside, and from where."""

    id: int
    at: str
    by: str
    what: str  # "import", "merge", "restore"
    file: str
    checksum: str  # SHA-256 of the file
    detail: str


# --- identifying a file without opening it ---------------------------------------------


def _change_counter(path: Path) -> bytes:
    """The file change counter in a SQLite header (bytes 24-27): it moves on every commit."""
    try:
        with path.open("rb") as fh:
            return fh.read(28)[24:28]
    except OSError:
        return b""


def _is_wal(path: Path) -> bool:
    """Whether SQLite may read the file in write-ahead-log mode: header byte 19 (the read
    version) is 2, or byte 18 (the write version) is, which a well-formed file pairs."""
    try:
        with path.open("rb") as fh:
            return 2 in fh.read(20)[18:20]
    except OSError:
        return False


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


def _unwritable(path: Path) -> str | None:
    """Why the plan cannot be written where it is, or None if it can."""
    folder = path.parent if str(path.parent) else Path(".")
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(folder, os.W_OK):
        return "its folder is read-only"
    return None


# --- connections --------------------------------------------------------------------------


def _configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA trusted_schema = OFF")  # a file's schema runs none of its SQL
    return conn


def _uri(path: Path, **params: str) -> str:
    return path.resolve().as_uri() + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def _connect_read_only(path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    params = {"mode": "ro", "immutable": "1"} if immutable else {"mode": "ro"}
    return _configure(sqlite3.connect(_uri(path, **params), uri=True, isolation_level=None,
                                      check_same_thread=False))


def _connect_writable(path: Path) -> sqlite3.Connection:
    # A plan may be opened on a worker thread and then used on the GUI thread: only ever
    # one thread at a time, which is what SQLite itself requires. mode=rw never creates
    # a file that has gone.
    conn = sqlite3.connect(_uri(path, mode="rw"), uri=True, isolation_level=None,
                           check_same_thread=False)
    _configure(conn)
    conn.execute("PRAGMA synchronous = FULL")
    return conn


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: all of it lands, or none."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        # SQLite may already have rolled back (a full disk); a failed COMMIT may not have.
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


def _migrate(conn: sqlite3.Connection) -> None:
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    for version in range(current, schema_version()):
        with _transaction(conn):
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")


def _code(exc: BaseException) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0)


def _sqlite_text(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _read_error(path: Path, exc: sqlite3.Error) -> PlanFileError:
    """What a failure to read a plan means to its user."""
    primary = _code(exc) & 0xFF
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return PlanFileError(f"{path}: is locked by another program that is writing to it; "
                             "try again when it has finished (nothing was changed)")
    if primary == _SQLITE_IOERR:
        return PlanFileError(f"{path}: cannot be read (a disk error: {_sqlite_text(exc)})")
    if primary in (_SQLITE_CANTOPEN, _SQLITE_PERM):
        return PlanFileError(f"{path}: cannot be opened ({_sqlite_text(exc)})")
    return PlanFileError(f"{path}: is damaged ({_sqlite_text(exc)})")


def _disk_full(folder: Path) -> bool:
    import shutil  # only after a failed write: opening a plan need not load it

    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False


def _write_error(path: Path, exc: BaseException) -> PlanFileError:
    """What a failure to write a plan means to its user: nothing of it was written."""
    primary = _code(exc) & 0xFF
    number = getattr(exc, "errno", None)
    folder = path.parent if str(path.parent) else Path(".")
    if primary == _SQLITE_FULL or number in (errno.ENOSPC, errno.EDQUOT) or \
            str(exc) == "database or disk is full" or (
            (primary == _SQLITE_IOERR or isinstance(exc, OSError)) and _disk_full(folder)):
        return PlanFileError(f"{path}: the disk is full; nothing was written")
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return PlanFileError(f"{path}: is locked by another program; nothing was written")
    if primary == _SQLITE_READONLY or number in (errno.EROFS, errno.EACCES, errno.EPERM):
        return PlanFileError(f"{path}: cannot be written (it or its folder is read-only); "
                             "nothing was written")
    reason = getattr(exc, "strerror", None) or _sqlite_text(exc)
    return PlanFileError(f"{path}: cannot be written ({reason}); nothing was written")


def _recover(path: Path) -> None:
    """Let SQLite roll back the save a crash cut short (a hot journal), if it may write."""
    why = _unwritable(path)
    def advice(why: str) -> str:
        return (f"{path}: was left mid-save by a crash, and can be recovered only where it "
                f"can be written ({why}): make it and its folder writable, or copy it with "
                f"{path.name}-journal to a writable folder; nothing was changed")

    if why is not None:
        raise PlanFileError(advice(why))
    try:
        conn = _connect_writable(path)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls it back
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if _code(exc) & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED):
            raise _read_error(path, exc) from exc
        raise PlanFileError(advice(_sqlite_text(exc))) from exc


def _open_for_reading(path: Path) -> sqlite3.Connection:
    """A connection inside a read transaction on the plan, leaving nothing beside it.

    A rollback-journal file (all of ours) is read through a read-only connection. A file
    in write-ahead-log mode (another tool made it so) is read as immutable when it has no
    log to merge, since a read-only connection would leave -wal and -shm files behind;
    with a log, through a writable connection, which merges and removes it on closing.
    """
    if _is_wal(path):
        log = Path(f"{path}-wal")
        pending = log.exists() and log.stat().st_size > 0
        if not pending:
            return _begin(_connect_read_only(path, immutable=True))
        if _unwritable(path) is None:
            return _begin(_connect_writable(path))
        try:
            return _begin(_connect_read_only(path))
        except sqlite3.Error as exc:
            raise PlanFileError(
                f"{path}: has saved changes in {log.name}, which can be read only where the "
                "file can be written: make it and its folder writable, or copy both to a "
                f"writable folder ({_sqlite_text(exc)})") from exc
    try:
        return _begin(_connect_read_only(path))
    except sqlite3.Error as exc:
        if _code(exc) != _SQLITE_READONLY_ROLLBACK:
            raise
    _recover(path)
    return _begin(_connect_read_only(path))


def _begin(conn: sqlite3.Connection) -> sqlite3.Connection:
    """Start a read transaction, so that every table is read from one state of the file."""
    try:
        conn.execute("BEGIN")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _check_integrity(path: Path, conn: sqlite3.Connection) -> None:
    result = conn.execute("PRAGMA quick_check(3)").fetchall()
    if result != [("ok",)]:
        detail = "; ".join(" ".join(str(row[0]).split()) for row in result[:3])
        raise PlanFileError(f"{path}: is damaged ({detail})")


@contextlib.contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection that can read the plan and cannot write the file."""
    version = file_version(path)
    try:
        conn = _open_for_reading(path)
    except sqlite3.Error as exc:
        raise _read_error(path, exc) from exc
    try:
        _check_integrity(path, conn)
        if version < schema_version():
            memory = sqlite3.connect(":memory:", isolation_level=None,
                                     check_same_thread=False)
            conn.backup(memory)
            conn.close()
            conn = _configure(memory)
            _migrate(conn)
        yield conn
    except sqlite3.Error as exc:
        raise _read_error(path, exc) from exc
    except RecursionError as exc:  # a file's values are never this deep; be safe anyway
        raise PlanFileError(f"{path}: is damaged (its values are nested too deeply)") from exc
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
    """Column names quoted for SQL (a field may be called 'index'), joined. Brackets, not
    double quotes: SQLite reads a double-quoted name that is not a column as a string, so
    a file missing a column would read its name as every row's value."""
    return between.join(f"[{n}]{suffix}" for n in names)


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


@functools.cache
def _kept_as_stored(name: str) -> tuple[type | None, ...]:
    """For each column of :func:`_readers`, the type whose stored values its reader returns
    unchanged (text, numbers), so that reading a plan calls a reader only for the rest."""
    record, columns = (Plan, schema.SETTINGS) if name == "plan" else (
        schema.COLLECTIONS[name].record, schema.COLLECTIONS[name].columns)
    types = field_types(record)
    kept: list[type | None] = []
    for column in columns:
        tp = types[column.attr]
        if type(None) in typing.get_args(tp):  # as _cell_reader reads it
            (tp,) = [a for a in typing.get_args(tp) if a is not type(None)]
        plain = column.kind not in (Kind.CODES, Kind.FRACTIONS) and tp in (float, int, str)
        kept.append(tp if plain else None)
    return tuple(kept)


def _records(conn: sqlite3.Connection, collection: Collection,
             problems: list[Problem]) -> list[tuple[str | None, Any]]:
    """Every stored record of a collection, in order, with the code of its holder."""
    names = _columns(collection)
    attrs = tuple(c.attr for c in collection.columns)
    cells = tuple(zip(attrs, _kept_as_stored(collection.name), _readers(collection.name),
                      strict=True))
    record = collection.record
    nested = collection.parent is not None
    found: list[tuple[str | None, Any]] = []
    rows = conn.execute(f"SELECT {_names(names)} FROM {collection.table} "
                        "ORDER BY position").fetchall()
    skip = 2 if nested else 1
    for row in rows:
        try:  # the national plan's thirteen thousand cells: one pass, a reader where needed
            values = {attr: value if type(value) is kept else read(value)
                      for (attr, kept, read), value in zip(cells, row[skip:], strict=True)}
        except _Bad:
            _problems(collection, attrs, row, skip, problems)
            continue
        found.append((row[0] if nested else None, record(**values)))
    return found


def _problems(collection: Collection, attrs: tuple[str, ...], row: Any, skip: int,
              problems: list[Problem]) -> None:
    """Each value of a stored record that is not of its field's type, as a problem."""
    nested = collection.parent is not None
    for attr, read, value in zip(attrs, _readers(collection.name), row[skip:], strict=True):
        try:
            read(value)
        except _Bad as bad:
            key = "/".join(str(row[skip + attrs.index(k)]) for k in collection.key)
            holder = f"{collection.parent}[{row[0]}]." if nested else ""
            problems.append(Problem(f"{holder}{collection.name}[{key}].{attr}", str(bad)))


@functools.cache
def _expected_columns() -> dict[str, tuple[str, ...]]:
    """Every table the plan is read from and the columns read from it."""
    tables = {"plan": tuple(c.attr for c in schema.SETTINGS)}
    tables.update((c.table, tuple(_columns(c))) for c in schema.COLLECTIONS.values())
    return tables


def _check_tables(conn: sqlite3.Connection) -> None:
    """Refuse a file whose tables lack what the plan is read from, or that has triggers
    (a plan never has any: a file that does was made by something else)."""
    found: dict[str, set[str]] = {}
    triggers = 0
    for kind, table, column in conn.execute(
            "SELECT m.type, m.name, p.name FROM sqlite_master AS m "
            "LEFT JOIN pragma_table_info(m.name) AS p WHERE m.type IN ('table', 'trigger')"):
        if kind == "trigger":
            triggers += 1
        else:
            found.setdefault(table, set()).add(column)
    problems = [Problem(table, "the table is missing") for table in _expected_columns()
                if table not in found]
    problems.extend(Problem(f"{table}.{column}", "the column is missing")
                    for table, columns in _expected_columns().items() if table in found
                    for column in columns if column not in found[table])
    if triggers:
        problems.append(Problem("schema", f"has {triggers} trigger(s), which a plan never has"))
    if problems:
        raise ValidationError(problems)


def _read_plan(conn: sqlite3.Connection) -> Plan:
    _check_tables(conn)
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


def _refuse_invalid(plan: Plan, where: str) -> None:
    problems = validate(plan)
    if problems:
        raise PlanFileError(f"{where}: the plan is not valid: {_problems_text(problems)}")


def _damaged(path: Path, exc: ValidationError) -> PlanFileError:
    return PlanFileError(f"{path}: is damaged ({_problems_text(exc.problems)})")


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut (where the system allows it)."""
    if os.name != "posix":  # pragma: no cover
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _stamp(path: Path) -> tuple[object, ...]:
    """What changes when anyone commits to the file: its change counter, and the identity,
    size and time of the file and of any write-ahead log beside it."""
    parts: list[object] = [_change_counter(path)]
    for file in (path, Path(f"{path}-wal")):
        try:
            st = os.stat(file)
            parts.append((st.st_ino, st.st_size, st.st_mtime_ns))
        except OSError:
            parts.append(None)
    return tuple(parts)


# --- the public interface -----------------------------------------------------------------


def read_plan(path: str | os.PathLike[str]) -> Plan:
    """Read a plan without changing its file: checked, validated and bounded."""
    p = Path(path)
    with _reading(p) as conn:
        try:
            plan = _read_plan(conn)
        except ValidationError as exc:
            raise _damaged(p, exc) from exc
    _refuse_invalid(plan, str(p))
    return plan


def _in_use(path: Path, held: LockHeld, *, writing: bool = False) -> PlanInUse:
    holder = held.holder
    if holder is not None and holder.is_here():
        where = "is already open for editing in this program"
    elif holder is not None:
        where = f"is open for editing by {holder.describe()}"
    else:
        where = ("is open for editing in another window or program (it has a lock file, "
                 f"{held.lock_file.name})")
    if writing:
        return PlanInUse(f"{path}: {where}; close it there first, or choose another name "
                         "(nothing was written)", f"it {where}", holder)
    return PlanInUse(f"{path}: {where}; it can be opened read-only", f"it {where}", holder)


def write_new(path: str | os.PathLike[str], plan: Plan, *, overwrite: bool = False,
              logged: tuple[str, str, str, str] | None = None) -> None:
    """Write a plan to a new file, all at once: the target appears only when complete.

    A target open for editing in a window (here or in another process) is refused: its
    window would go on saving into the file this one replaces. ``logged``: (what, file,
    checksum, detail) for the changes log, when the plan came from outside (an import, a
    version restored)."""
    p = Path(path)
    _refuse_invalid(plan, str(p))
    if p.exists() and not overwrite:
        raise PlanFileError(f"{p}: already exists; choose another name or overwrite it")
    if p.is_dir():
        raise PlanFileError(f"{p}: is a folder, not a plan file")
    folder = p.parent if str(p.parent) else Path(".")
    lock: PlanLock | None = None
    try:
        lock = acquire(p)
    except LockHeld as held:
        raise _in_use(p, held, writing=True) from None
    except OSError:
        pass  # the folder cannot take a lock file: it cannot take the plan either (below)
    try:
        import tempfile  # only to write a new file: opening a plan need not load it

        try:
            fd, tmp_name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise _write_error(p, exc) from exc
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            conn = _connect_writable(tmp)
            try:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                _migrate(conn)
                with _transaction(conn):
                    _write_plan(conn, plan)
                    if logged is not None:
                        _log(conn, *logged)
            finally:
                conn.close()
            os.replace(tmp, p)
        except (OSError, sqlite3.Error) as exc:
            tmp.unlink(missing_ok=True)
            Path(f"{tmp}-journal").unlink(missing_ok=True)
            raise _write_error(p, exc) from exc
        _sync_folder(folder)
    finally:
        if lock is not None:
            lock.release()


class PlanFile:
    """An open plan file: for editing (each save one transaction on the file, the lock
    beside it held until `close`), or read-only (`read_only` says why), which reads the
    file afresh when asked and refuses every save."""

    def __init__(self, path: Path, conn: sqlite3.Connection | None, opened: Plan | None = None,
                 *, lock: PlanLock | None = None, read_only: str | None = None):
        self.path = path
        self._conn = conn
        self._lock = lock
        self.opened = opened
        """The plan as checked on opening, while nothing has written the file since."""
        self.read_only = read_only
        """Why the plan is open read-only, or None when it is open for editing."""
        self.took_over: Holder | None = lock.took_over if lock is not None else None
        """Who left the lock this one took over: a program that stopped without closing."""
        self._identity = _file_id(path)
        self._seen_stamp = _stamp(path)
        self._seen_version = self._data_version() if conn is not None else 0

    def _data_version(self) -> int:
        assert self._conn is not None
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed_elsewhere(self) -> bool:
        """Whether another program or window has saved to the file since we last looked."""
        if self._conn is None:
            return _stamp(self.path) != self._seen_stamp
        try:
            return self._data_version() != self._seen_version
        except sqlite3.Error:
            return False

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> PlanFile:
        """Open a plan for editing. PlanNotEditable (PlanInUse when another window has it)
        if it can only be read; PlanFileError if it cannot be opened at all."""
        p = Path(path)
        version = file_version(p)
        why = _unwritable(p)
        if why is not None:
            raise PlanNotEditable(f"{p}: is read-only ({why}); it can be opened read-only",
                                  why)
        try:
            lock = acquire(p)
        except LockHeld as held:
            raise _in_use(p, held) from None
        except OSError as exc:
            full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
            reason = "the disk is full" if full else f"no lock file can be made beside it " \
                                                      f"({exc.strerror or exc})"
            raise PlanNotEditable(f"{p}: cannot be opened for editing ({reason}); it can be "
                                  "opened read-only", reason) from exc
        try:
            counter = _change_counter(p)
            plan = read_plan(p)  # integrity and content are checked before anything is written
            if version < schema_version():
                backup = p.with_name(f"{p.name}.format{version}.bak")
                import shutil  # only for a file of an earlier format

                try:
                    shutil.copy2(p, backup)
                except OSError as exc:
                    raise _write_error(backup, exc) from exc
            try:
                conn = _connect_writable(p)
            except sqlite3.Error as exc:
                raise _write_error(p, exc) from exc
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    # Ours are rollback-journal files: nothing is left beside a closed plan.
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("PRAGMA journal_mode = DELETE")
                _migrate(conn)
            except sqlite3.Error as exc:
                conn.close()
                raise _write_error(p, exc) from exc
            # SQLite counts every commit in the header: an unchanged count means the plan
            # read above is still the file's, and need not be read again.
            unchanged = version == schema_version() and _change_counter(p) == counter
            return cls(p, conn, plan if unchanged else None, lock=lock)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def open_read_only(cls, path: str | os.PathLike[str], reason: str = "") -> PlanFile:
        """Open a plan to look at: nothing is ever written to it. `reason` is shown."""
        p = Path(path)
        stamp = _stamp(p)
        plan = read_plan(p)
        plan_file = cls(p, None, plan, read_only=reason or "opened read-only")
        plan_file._seen_stamp = stamp
        return plan_file

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        if self._lock is not None:
            self._lock.release()

    def __enter__(self) -> PlanFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(self) -> Plan:
        """The plan in the file now, checked and validated."""
        if self._conn is None:
            stamp = _stamp(self.path)
            plan = read_plan(self.path)
            self._seen_stamp = stamp
            return plan
        try:
            with _read_transaction(self._conn):
                self._seen_version = self._data_version()
                plan = _read_plan(self._conn)
        except ValidationError as exc:
            raise _damaged(self.path, exc) from exc
        except sqlite3.Error as exc:
            raise _read_error(self.path, exc) from exc
        except RecursionError as exc:
            raise PlanFileError(f"{self.path}: is damaged (its values are nested too "
                                "deeply)") from exc
        _refuse_invalid(plan, str(self.path))
        return plan

    def _writable_conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise PlanFileError(f"{self.path}: is open read-only ({self.read_only}); nothing "
                                "was written")
        return self._conn

    def _refuse_if_changed_elsewhere(self) -> None:
        """Inside the write transaction: the file must hold what this window last read, or
        the save would put another writer's rows back to older values."""
        if _file_id(self.path) != self._identity:
            raise PlanChangedElsewhere(
                f"{self.path}: was moved, replaced or deleted by another program since it "
                "was opened; nothing was written (save the plan under another name to keep "
                "it)")
        if self._data_version() != self._seen_version:
            raise PlanChangedElsewhere(
                f"{self.path}: was changed by another program since it was last read; "
                "nothing was written, so that its changes are not overwritten")

    def save(self, plan: Plan, *, previous: Plan | None = None, checked: bool = False) -> None:
        """Write the plan in one transaction: all of it lands, or none.

        With `previous` (the plan the file holds now) only what changed is written, which
        keeps an edit to a national plan quick. `checked` says the caller validated it.
        PlanChangedElsewhere if another program wrote the file since it was last read:
        then nothing is written and the caller should `load` the file again.
        """
        conn = self._writable_conn()
        if not checked:
            _refuse_invalid(plan, str(self.path))
        try:
            with _transaction(conn):
                self._refuse_if_changed_elsewhere()
                if previous is None:
                    _write_plan(conn, plan)
                else:
                    _write_changes(conn, previous, plan)
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from exc
        self._seen_version = self._data_version()

    def save_version(self, name: str, plan: Plan, note: str = "") -> Version:
        """Keep a named copy of the plan inside the file (the one that went to the board)."""
        conn = self._writable_conn()
        if not name.strip():
            raise PlanFileError(f"{self.path}: a version needs a name")
        created = datetime.now(UTC).isoformat(timespec="seconds")
        by = user_name()
        try:
            with _transaction(conn):
                self._refuse_if_changed_elsewhere()
                cursor = conn.execute(
                    "INSERT INTO versions (name, note, created_at, created_by, plan_json) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (name, note, created, by, json.dumps(plan_to_dict(plan))))
                row_id = int(cursor.lastrowid or 0)
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from exc
        self._seen_version = self._data_version()
        return Version(row_id, name, note, created, by)

    def save_with_log(self, plan: Plan, previous: Plan, what: str, file: str = "",
                      checksum: str = "", detail: str = "") -> None:
        """Save an edit that brought something in from outside (a force's return merged)
        and record it in the changes log, in one transaction: both land or neither."""
        conn = self._writable_conn()
        _refuse_invalid(plan, str(self.path))
        try:
            with _transaction(conn):
                self._refuse_if_changed_elsewhere()
                _write_changes(conn, previous, plan)
                _log(conn, what, file, checksum, detail)
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from exc
        self._seen_version = self._data_version()

    def log_change(self, what: str, file: str = "", checksum: str = "",
                   detail: str = "") -> None:
        """Record in the changes log something that came in from outside."""
        conn = self._writable_conn()
        try:
            with _transaction(conn):
                self._refuse_if_changed_elsewhere()
                _log(conn, what, file, checksum, detail)
        except sqlite3.Error as exc:
            raise _write_error(self.path, exc) from exc
        self._seen_version = self._data_version()

    def changes(self) -> list[Change]:
        with self._query() as conn:
            if not _has_column(conn, "changes_log", "what"):  # before format 4
                return []
            return [Change(*r) for r in conn.execute(
                "SELECT id, at, by, what, file, checksum, detail FROM changes_log "
                "ORDER BY id")]

    @contextlib.contextmanager
    def _query(self) -> Iterator[sqlite3.Connection]:
        if self._conn is None:
            with _reading(self.path) as conn:
                yield conn
            return
        try:
            yield self._conn
        except sqlite3.Error as exc:
            raise _read_error(self.path, exc) from exc

    def versions(self) -> list[Version]:
        with self._query() as conn:
            # (a plan of format 3 or before, open read-only, has no created_by: nobody)
            by = "created_by" if _has_column(conn, "versions", "created_by") else "''"
            return [Version(*r) for r in conn.execute(
                f"SELECT id, name, note, created_at, {by} FROM versions ORDER BY id")]

    def load_version(self, version_id: int) -> Plan:
        with self._query() as conn:
            rows = conn.execute("SELECT plan_json FROM versions WHERE id = ?",
                                (version_id,)).fetchall()
        if not rows:
            raise PlanFileError(f"{self.path}: has no version {version_id}")
        where = f"{self.path}: version {version_id}"
        try:
            plan = plan_from_dict(json.loads(rows[0][0]))
        except ValidationError as exc:
            raise PlanFileError(f"{where} is damaged ({_problems_text(exc.problems)})") \
                from exc
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
            raise PlanFileError(f"{where} is damaged ({type(exc).__name__})") from exc
        _refuse_invalid(plan, where)
        return plan


def _has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


def _log(conn: sqlite3.Connection, what: str, file: str, checksum: str, detail: str) -> None:
    conn.execute("INSERT INTO changes_log (at, by, what, file, checksum, detail) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (datetime.now(UTC).isoformat(timespec="seconds"), user_name(), what, file,
                  checksum, detail))


@contextlib.contextmanager
def _read_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Read every table from one state of the file."""
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")
