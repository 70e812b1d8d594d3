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
import functools
import json
import os
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from .. import APPLICATION_ID
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
from ..domain.serialize import build_value, field_types, plan_from_dict, plan_to_dict
from ..domain.validation import Problem, ValidationError, validate
from .schema import MIGRATIONS, schema_version

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
    return user_version


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


# --- rows <-> objects ---------------------------------------------------------------------

_JSON_FIELDS = {"forces", "transition_profile"}
_NESTED = {"decisions", "site_actions"}
_PLAN_COLLECTIONS = {"forces", "services", "estate", "options", "sites", "sources"}


def _row(obj: Any, position: int, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"position": position, **extra}
    for f in fields(obj):
        value = getattr(obj, f.name)
        if f.name in _NESTED:
            continue
        if f.name in _JSON_FIELDS:
            value = json.dumps(list(value))
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif hasattr(value, "value"):  # enums
            value = value.value
        elif isinstance(value, bool):
            value = int(value)
        row[f.name] = value
    return row


def _object(cls: type, row: dict[str, Any], where: str, problems: list[Problem]) -> Any:
    kwargs = {}
    for name, tp in _columns(cls):
        value = row[name]
        if name in _JSON_FIELDS:
            try:
                value = json.loads(value)
            except (TypeError, ValueError):
                problems.append(Problem(f"{where}.{name}", f"is not a list: {value!r}"))
                continue
        elif tp is bool:
            value = bool(value)
        kwargs[name] = build_value(tp, value, f"{where}.{name}", problems)
    return cls(**kwargs)


@functools.cache
def _columns(cls: type) -> tuple[tuple[str, Any], ...]:
    """The fields a class keeps in its own table's columns, with their types."""
    return tuple((name, tp) for name, tp in field_types(cls).items()
                 if name not in _NESTED)


def _rows(db: sqlite_utils.Database, table: str) -> list[dict[str, Any]]:
    return list(db[table].rows_where(order_by="position"))


def _read_plan(conn: sqlite3.Connection) -> Plan:
    db = sqlite_utils.Database(conn)
    problems: list[Problem] = []
    plan_rows = list(db["plan"].rows)
    if len(plan_rows) != 1:
        raise ValidationError([Problem("plan", "the plan record is missing")])
    head = plan_rows[0]

    def each(table: str, cls: type, key: str) -> tuple[Any, ...]:
        return tuple(_object(cls, r, f"{table}[{r[key]}]", problems) for r in _rows(db, table))

    sources = each("sources", Source, "key")
    forces = each("forces", Force, "code")
    services = each("services", Service, "code")
    sites = each("sites", Site, "code")
    estate = tuple(
        _object(EstateItem, r, f"estate[{r['force']}/{r['service']}]", problems)
        for r in _rows(db, "estate_items")
    )
    decisions: dict[str, list[Decision]] = {}
    for r in _rows(db, "decisions"):
        where = f"options[{r['option']}].decisions[{r['service']}]"
        decisions.setdefault(r["option"], []).append(_object(Decision, r, where, problems))
    actions: dict[str, list[SiteAction]] = {}
    for r in _rows(db, "site_actions"):
        where = f"options[{r['option']}].site_actions[{r['site']}]"
        actions.setdefault(r["option"], []).append(_object(SiteAction, r, where, problems))
    options = []
    for r in _rows(db, "options"):
        option = _object(Option, r, f"options[{r['code']}]", problems)
        options.append(Option(
            option.code, option.name, option.role, option.description,
            tuple(decisions.get(option.code, ())), tuple(actions.get(option.code, ())),
        ))
    kwargs = {
        name: build_value(tp, head[name], f"plan.{name}", problems)
        for name, tp in field_types(Plan).items() if name not in _PLAN_COLLECTIONS
    }
    if problems:
        raise ValidationError(problems)
    return Plan(**kwargs, forces=forces, services=services, estate=estate,
                options=tuple(options), sites=sites, sources=sources)


def _write_plan(db: sqlite_utils.Database, plan: Plan) -> None:
    """Replace the whole plan; the caller holds the transaction."""
    for table in ("site_actions", "decisions", "estate_items", "sites", "options",
                  "services", "forces", "sources", "plan"):
        db.execute(f"DELETE FROM {table}")
    db["plan"].insert({"id": 1, **_head_row(plan)})

    def put(table: str, rows: list[dict[str, Any]]) -> None:
        if rows:
            db[table].insert_all(rows)

    put("sources", [_row(s, i) for i, s in enumerate(plan.sources)])
    put("forces", [_row(f, i) for i, f in enumerate(plan.forces)])
    put("services", [_row(s, i) for i, s in enumerate(plan.services)])
    put("estate_items", [_row(e, i) for i, e in enumerate(plan.estate)])
    put("options", [_row(o, i) for i, o in enumerate(plan.options)])
    put("sites", [_row(s, i) for i, s in enumerate(plan.sites)])
    _write_nested(db, plan)


def _write_nested(db: sqlite_utils.Database, plan: Plan) -> None:
    """Each option's decisions and site closures."""
    decisions = [_row(d, i, option=o.code) for o in plan.options
                 for i, d in enumerate(o.decisions)]
    actions = [_row(a, i, option=o.code) for o in plan.options
               for i, a in enumerate(o.site_actions)]
    if decisions:
        db["decisions"].insert_all(decisions)
    if actions:
        db["site_actions"].insert_all(actions)


_HEAD_FIELDS = tuple(f.name for f in fields(Plan) if f.name not in _PLAN_COLLECTIONS)


def _head_row(plan: Plan) -> dict[str, Any]:
    head = {name: getattr(plan, name) for name in _HEAD_FIELDS}
    head["sharing_basis"] = plan.sharing_basis.value
    return head


_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "sources": ("sources", ("key",)),
    "forces": ("forces", ("code",)),
    "services": ("services", ("code",)),
    "estate": ("estate_items", ("force", "service")),
    "options": ("options", ("code",)),
    "sites": ("sites", ("code",)),
}


def _write_changes(db: sqlite_utils.Database, old: Plan, new: Plan) -> None:
    """Write only the records that differ; anything structural rewrites the plan whole.

    Unchanged collections are the very same tuples after an edit, so most are skipped
    by identity; a changed one is compared record by record, in place, when no record
    was added, removed, moved or re-keyed.
    """
    head_changed = any(getattr(old, f) != getattr(new, f) for f in _HEAD_FIELDS)
    updates: list[tuple[str, tuple[str, ...], dict[str, Any]]] = []
    for collection, (table, pk) in _TABLES.items():
        before, after = getattr(old, collection), getattr(new, collection)
        if before is after:
            continue
        if len(before) != len(after):
            _write_plan(db, new)
            return
        for i, (a, b) in enumerate(zip(before, after, strict=True)):
            if a == b:
                continue
            if any(getattr(a, k) != getattr(b, k) for k in pk):
                _write_plan(db, new)
                return
            updates.append((table, pk, _row(b, i)))
    if head_changed:
        head = _head_row(new)
        db.execute(f"UPDATE plan SET {', '.join(f'{k} = ?' for k in head)} WHERE id = 1",
                   list(head.values()))
    for table, pk, row in updates:
        columns = [k for k in row if k not in pk]
        db.execute(f"UPDATE {table} SET {', '.join(f'{c} = ?' for c in columns)} "
                   f"WHERE {' AND '.join(f'{k} = ?' for k in pk)}",
                   [row[c] for c in columns] + [row[k] for k in pk])
    if old.options is not new.options:
        for table in ("site_actions", "decisions"):
            db.execute(f"DELETE FROM {table}")
        _write_nested(db, new)


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
            db = sqlite_utils.Database(conn)
            with db.atomic():
                _write_plan(db, plan)
        finally:
            conn.close()
        os.replace(tmp, p)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise _os_error(p, exc) from exc


class PlanFile:
    """An open plan file for editing: each save is one transaction on the file itself."""

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self._conn = conn
        self._db = sqlite_utils.Database(conn)
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
        read_plan(p)  # integrity and content are checked before anything is written
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
        return cls(p, conn)

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
            with self._db.atomic():
                if previous is None:
                    _write_plan(self._db, plan)
                else:
                    _write_changes(self._db, previous, plan)
        except sqlite3.Error as exc:
            raise _os_error(self.path, exc) from exc
        self._seen_version = self._data_version()

    def save_version(self, name: str, plan: Plan, note: str = "") -> Version:
        """Keep a named copy of the plan inside the file (the one that went to the board)."""
        if not name.strip():
            raise PlanFileError(f"{self.path}: a version needs a name")
        created = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            with self._db.atomic():
                self._db["versions"].insert({
                    "name": name, "note": note, "created_at": created,
                    "plan_json": json.dumps(plan_to_dict(plan)),
                })
                row_id = self._db.execute("SELECT last_insert_rowid()").fetchone()[0]
        except sqlite3.Error as exc:
            raise _os_error(self.path, exc) from exc
        return Version(row_id, name, note, created)

    def versions(self) -> list[Version]:
        return [Version(r["id"], r["name"], r["note"], r["created_at"])
                for r in self._db["versions"].rows_where(order_by="id")]

    def load_version(self, version_id: int) -> Plan:
        rows = list(self._db["versions"].rows_where("id = ?", [version_id]))
        if not rows:
            raise PlanFileError(f"{self.path}: has no version {version_id}")
        try:
            return plan_from_dict(json.loads(rows[0]["plan_json"]))
        except (ValueError, ValidationError) as exc:
            raise PlanFileError(f"{self.path}: version {version_id} is damaged ({exc})") from exc
