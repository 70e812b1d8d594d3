"""Hostile plan files, made by mutating a good one: every one is read correctly or refused
with one line naming the file; never a traceback, and never a changed input file.

Hypothesis draws the mutations: bytes flipped in the header and the pages, the file cut
short, tables and columns dropped or renamed, rows deleted or doubled, wrong types, huge
numbers, long strings, control characters and deeply nested JSON put into cells, the
format's numbers changed, a trigger added, the journal mode switched to WAL. The seed is
fixed, so CI runs the same cases each time; ALLIANCE_PLANNER_FUZZ_EXAMPLES=N runs N, and
ALLIANCE_PLANNER_FUZZ_RANDOM=1 draws new ones (to look for more).
Cases it found are kept below as regression tests (``KEPT``).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import plan_faults
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliance_planner import messages, samples
from alliance_planner.domain.engine import appraise
from alliance_planner.domain.validation import validate
from alliance_planner.store.planfile import (
    PlanFile,
    PlanFileError,
    _expected_columns,
    read_plan,
    write_new,
)

EXAMPLES = int(os.environ.get("ALLIANCE_PLANNER_FUZZ_EXAMPLES", "0")) or (
    # The run without Qt repeats the unit tests only to prove Qt is not needed: fewer there.
    100 if os.environ.get("ALLIANCE_PLANNER_TEST_WITHOUT_QT") == "1" else 500)
RANDOM = os.environ.get("ALLIANCE_PLANNER_FUZZ_RANDOM") == "1"
TABLES = _expected_columns()


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A good plan file of the default sample, with a named version in it."""
    path = tmp_path_factory.mktemp("fuzz") / "base.alliance"
    plan = samples.build(samples.DEFAULT)
    write_new(path, plan)
    with PlanFile.open(path) as f:
        f.save_version("to the board", plan)
    return path.read_bytes()


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),  # with NaN and the infinities
    st.sampled_from([1e9, 1e308, -1e308, 2**63 - 1, -1, 0, 1, 10**18, 0.5, 1e-300]),
    st.text(max_size=40),  # any characters, control characters among them
    st.integers(1_000, 300_000).map(lambda n: "x" * n),
    st.integers(2, 300_000).map(deep),
    st.lists(st.one_of(st.floats(), st.integers(), st.text(max_size=5), st.none()),
             max_size=6).map(json.dumps),
    st.integers(1, 100_000).map(lambda n: json.dumps([1 / n] * n)),
    st.sampled_from(["2028-02-30", "9999-12-31", "0001-01-01", "2028-03-31T00:00",
                     "converge", "RETAIN", "officers", "{}", "[1, [2]]", "\x1b[2J",
                     "line\nbreak", "\u202eevil", "'; DROP TABLE plan; --"]),
    st.binary(max_size=24),
)

TABLE = st.sampled_from(sorted(TABLES))


@st.composite
def column_of(draw, table=None):
    table = table or draw(TABLE)
    return table, draw(st.sampled_from(TABLES[table]))


@st.composite
def sql_mutation(draw):
    kind = draw(st.sampled_from(["set", "set", "set", "set_all", "drop_column",
                                 "rename_column", "drop_table", "delete", "double",
                                 "pragma", "trigger", "wal", "version_json"]))
    if kind in ("set", "set_all"):
        table, column = draw(column_of())
        where = "" if kind == "set_all" else \
            f" WHERE rowid = (SELECT min(rowid) + {draw(st.integers(0, 3))} FROM [{table}])"
        return (f"UPDATE [{table}] SET [{column}] = ?{where}", (draw(VALUES),))
    if kind == "drop_column":
        table, column = draw(column_of())
        return (f"ALTER TABLE [{table}] DROP COLUMN [{column}]", ())
    if kind == "rename_column":
        table, column = draw(column_of())
        return (f"ALTER TABLE [{table}] RENAME COLUMN [{column}] TO [{column}_old]", ())
    if kind == "drop_table":
        return (f"DROP TABLE [{draw(TABLE)}]", ())
    if kind == "delete":
        return (f"DELETE FROM [{draw(TABLE)}]", ())
    if kind == "double":
        table = draw(TABLE)
        return (f"INSERT INTO [{table}] SELECT * FROM [{table}] LIMIT 1", ())
    if kind == "pragma":
        name = draw(st.sampled_from(["user_version", "application_id"]))
        return (f"PRAGMA {name} = {draw(st.integers(-(2**31), 2**31 - 1))}", ())
    if kind == "trigger":
        return ("CREATE TRIGGER t AFTER UPDATE ON forces BEGIN DELETE FROM forces; END", ())
    if kind == "wal":
        return ("PRAGMA journal_mode = WAL", ())
    document = draw(st.one_of(VALUES, st.just(None)))
    return ("UPDATE versions SET plan_json = ?", (document,))


@st.composite
def byte_mutation(draw, size):
    where = draw(st.sampled_from(["header", "anywhere", "cut"]))
    if where == "cut":
        return ("cut", draw(st.integers(0, size)), 0)
    top = 100 if where == "header" else size
    return ("flip", draw(st.integers(0, top - 1)), draw(st.integers(0, 255)))


@st.composite
def mutations(draw, size):
    return (draw(st.lists(sql_mutation(), max_size=3)),
            draw(st.lists(byte_mutation(size), max_size=3 if draw(st.booleans()) else 0)))


def mutate(base: bytes, path: Path, sql, flips) -> list[str]:
    """Write the mutated file; what was applied (a statement SQLite refuses is skipped)."""
    path.write_bytes(base)
    applied = []
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        for statement, params in sql:
            try:
                conn.execute(statement, params)
            except sqlite3.Error:
                continue
            applied.append(statement)
    for sibling in path.parent.iterdir():  # a WAL-mode mutation leaves nothing pending
        assert sibling.name == path.name, sibling
    if flips:
        data = bytearray(path.read_bytes())
        for what, offset, value in flips:
            if what == "cut":
                del data[offset:]
            elif offset < len(data):
                data[offset] = value
        path.write_bytes(bytes(data))
        applied.append(f"{len(flips)} byte change(s)")
    return applied


def check(path: Path, counts: Counter[str]) -> None:
    """Read the file every way the program reads one; each reads it or refuses it in one
    line naming it, and none changes it or leaves anything beside it."""
    before, names = plan_faults.digest(path), plan_faults.siblings(path)
    outcomes = []
    for name, attempt in (("read_plan", read_plan), ("open read-only", _open_read_only),
                          ("versions", _versions)):
        try:
            plan = attempt(path)
        except PlanFileError as exc:
            message = str(exc)
            assert message.startswith(f"{path}: "), message
            assert message.isprintable() and len(message) <= messages.LIMIT, message
            outcomes.append("refused")
            continue
        if name != "versions":
            assert validate(plan) == []
            start = time.perf_counter()
            appraise(plan)
            assert time.perf_counter() - start < 5
        outcomes.append("read")
    assert outcomes[0] == outcomes[1], outcomes  # the window reads what summary reads
    assert plan_faults.digest(path) == before, "a read changed the file"
    assert plan_faults.siblings(path) == names, "a read left a file beside the plan"
    counts["cases"] += 1
    counts["hostile files refused" if outcomes[0] == "refused" else "read correctly"] += 1


def _open_read_only(path):
    with PlanFile.open_read_only(path) as f:
        return f.opened


def _versions(path):
    with PlanFile.open_read_only(path) as f:
        for version in f.versions():
            f.load_version(version.id)
    return None


def test_mutated_plan_files_are_read_or_refused_in_one_line(base, capsys):
    counts: Counter[str] = Counter()
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutations(len(base)))
    def case(drawn):
        sql, flips = drawn
        path = folder / "mutated.alliance"
        for leftover in folder.iterdir():
            leftover.unlink()
        mutate(base, path, sql, flips)
        check(path, counts)

    try:
        start = time.monotonic()
        case()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    with capsys.disabled():
        print(f"\nfuzzed plan files: {counts['cases']} cases in "
              f"{time.monotonic() - start:.0f} s, {counts['hostile files refused']} refused "
              f"in one line, {counts['read correctly']} read correctly; none changed")
    assert counts["hostile files refused"] and counts["read correctly"]


KEPT = [
    # (what, [(sql, params)], [(flip)]): cases the fuzzing found, kept as they were found.
    ("WAL mode with its write-version byte zeroed left -wal and -shm beside the plan",
     [("PRAGMA journal_mode = WAL", ())], [("flip", 18, 0)]),
]


@pytest.mark.parametrize(("what", "sql", "flips"), KEPT, ids=[k[0] for k in KEPT])
def test_kept_cases_are_read_or_refused_in_one_line(base, tmp_path, what, sql, flips):
    path = tmp_path / "mutated.alliance"
    mutate(base, path, sql, flips)
    check(path, Counter())
