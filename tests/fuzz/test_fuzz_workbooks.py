"""Workbooks mutated at random, as people and programs spoil them: cells of the wrong type,
huge numbers, NaN as text, formulas typed by a person, control characters, renamed or
missing sheets and headers, merged cells, shuffled and blank rows, and damage to the zip
archive itself. Each is imported correctly (a plan that validates and saves) or refused
with every problem one line naming its sheet (and row and column where it has them):
never a traceback, never a partial plan.

Cases that once failed are kept below as @example and in test_hostile_workbooks.py. The
number of cases run, and how they ended, is printed at the end of the session
(tests/fuzz/conftest.py).
"""

from __future__ import annotations

import os
import random
import re
import zipfile
from pathlib import Path

import hostile
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from alliance_planner import samples
from alliance_planner.domain.validation import validate
from alliance_planner.exchange import template
from alliance_planner.exchange.cells import storable
from alliance_planner.exchange.inputs import (
    ASSUMPTIONS,
    TABLES,
    WorkbookProblems,
    WorkbookUnreadable,
    read_workbook,
)
from alliance_planner.messages import LIMIT
from alliance_planner.store.planfile import read_plan, write_new

SHEETS = [ASSUMPTIONS, *(spec.sheet for spec in TABLES.values())]
FUZZ_WHAT = "fuzzed workbooks (no traceback, no partial plan)"
FUZZ_RUN = RUN = {"cases": 0, "imported": 0, "refused with problems": 0,
                  "refused as unreadable": 0}
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "120")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("base") / "filled.xlsx"
    template.write_template(path, samples.build("south-west-alliance"))
    return path


@pytest.fixture(scope="module")
def grids(base) -> dict[str, list[list[object]]]:
    return {name: hostile.table_rows(base, name) for name in SHEETS}


@pytest.fixture(scope="module")
def parts(base) -> dict[str, str]:
    return hostile.sheet_paths(base)


def check(path: Path, tmp_path: Path) -> None:
    """Imported whole or refused in lines that name where: nothing else."""
    RUN["cases"] += 1
    try:
        imported = read_workbook(path)
    except WorkbookProblems as exc:
        RUN["refused with problems"] += 1
        assert exc.problems and exc.count >= len(exc.problems)
        for problem in exc.problems:
            assert "\n" not in problem and len(problem) <= LIMIT, problem
            assert problem.startswith((*SHEETS, "sheet '")), problem
        return
    except WorkbookUnreadable as exc:
        RUN["refused as unreadable"] += 1
        message = str(exc)
        assert "\n" not in message and len(message) <= 2 * LIMIT + len(str(path)), message
        return
    RUN["imported"] += 1
    assert validate(imported.plan) == []
    saved = tmp_path / f"plan-{RUN['cases']}.alliance"
    write_new(saved, imported.plan)
    assert read_plan(saved) == imported.plan
    saved.unlink()


# --- cells, headers, rows and sheets -----------------------------------------------------------


LONG = "<40,000 characters>"  # written out in full in the cell; short in a failure's report
TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
VALUES = st.one_of(
    st.none(), st.just(""), st.just("   "), TEXT,
    st.sampled_from(["NaN", "nan", "inf", "-inf", "1e999", "=1+2", '=HYPERLINK("http://x")',
                     "+cmd|' /C calc'!A0", "@SUM(A1)", "-1", "1,000", "£1.2m", "250k", "12%",
                     "31/02/2028", "2028-13-01", "yes", "no", "\x1b[31mred", "a\nb", "\u202e",
                     LONG, "service-desk", "dorset", "BAU", "retain", "converge"]),
    st.integers(-10**20, 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e308, -1e308, 5e-324, 2**53 + 1]), st.booleans(),
)
RAW_CELLS = st.sampled_from([
    '<c r="REF" t="e"><v>#N/A</v></c>', '<c r="REF"><f>1/0</f></c>',
    '<c r="REF"><f>A1</f><v></v></c>', '<c r="REF" t="s"><v>12345</v></c>',
    '<c r="REF" t="s"><v>-1</v></c>', '<c r="REF" s="99999"><v>1</v></c>',
    '<c r="REF" t="b"><v>2</v></c>', '<c r="REF" t="d"><v>not a date</v></c>',
    '<c r="REF" t="d"><v>2028-03-31T00:00:00</v></c>', '<c r="REF" t="zz"><v>1</v></c>',
    '<c r="REF" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r><rPh><t>x</t></rPh></is></c>',
    '<c r="REF"><v>  12  </v></c>', '<c r="REF"><v>0x10</v></c>', '<c r="REF"><v>1_000</v></c>',
])


@st.composite
def cell_mutations(draw):
    sheet = draw(st.sampled_from(SHEETS))
    edits = draw(st.lists(st.tuples(st.integers(1, 12), st.integers(1, 16),
                                    st.one_of(VALUES, RAW_CELLS.map(lambda x: ("raw", x)))),
                          min_size=1, max_size=6))
    return sheet, edits


def raw_cell(row: int, column: int, xml: str) -> bytes:
    return xml.replace("REF", f"{hostile.column_letter(column)}{row}").encode()


def write_grid(rows: list[list[object]], raws: dict[tuple[int, int], str] | None = None,
               merges=(), gaps=()) -> callable:
    raws = raws or {}

    def make():
        numbered = []
        r = 0
        for i, values in enumerate(rows):
            r += 1 + (5 if i in gaps else 0)
            cells = []
            for c, v in enumerate(values, start=1):
                if (i + 1, c) in raws:
                    cells.append(raw_cell(r, c, raws[(i + 1, c)]))
                elif v is not None:
                    v = "x" * 40_000 if v == LONG else v
                    cells.append(hostile.cell(f"{hostile.column_letter(c)}{r}",
                                              storable(v) if isinstance(v, str) else v))
            numbered.append(f'<row r="{r}">'.encode() + b"".join(cells) + b"</row>")
        return hostile.sheet(numbered, merges=merges)
    return make


@FUZZ
@given(mutation=cell_mutations())
@example(mutation=("Estate", [(2, 5, float("nan"))]))
@example(mutation=("Forces", [(2, 1, LONG)]))
@example(mutation=("Assumptions", [(3, 3, ("raw", '<c r="REF" t="s"><v>-1</v></c>'))]))
def test_mutated_cells(tmp_path_factory, base, grids, parts, mutation):
    sheet, edits = mutation
    rows = [list(r) for r in grids[sheet]]
    raws = {}
    for r, c, value in edits:
        while len(rows) < r:
            rows.append([])
        while len(rows[r - 1]) < c:
            rows[r - 1].append(None)
        if isinstance(value, tuple):
            raws[(r, c)] = value[1]
            rows[r - 1][c - 1] = None
        else:
            rows[r - 1][c - 1] = value
    tmp = tmp_path_factory.mktemp("cells")
    path = hostile.rewrite(base, tmp / "m.xlsx", {parts[sheet]: write_grid(rows, raws)})
    check(path, tmp)


@st.composite
def structure_mutations(draw):
    sheet = draw(st.sampled_from(SHEETS))
    kind = draw(st.sampled_from(["rename-header", "blank-header", "swap-headers",
                                 "duplicate-header", "shuffle-rows", "blank-rows", "merge",
                                 "drop-sheet", "rename-sheet", "extra-columns"]))
    seed = draw(st.integers(0, 2**32 - 1))
    return sheet, kind, seed


@FUZZ
@given(mutation=structure_mutations())
@example(mutation=("Estate", "merge", 1))
@example(mutation=("Options", "drop-sheet", 0))
def test_mutated_structure(tmp_path_factory, base, grids, parts, mutation):
    sheet, kind, seed = mutation
    rnd = random.Random(seed)
    rows = [list(r) for r in grids[sheet]]
    header = rows[0]
    width = max(1, len(header))
    changes: dict[str, object] = {}
    merges, gaps = [], ()
    if kind == "rename-header":
        header[rnd.randrange(width)] = rnd.choice(["Force ", "force", "FORCE", "Code?", "", 7])
    elif kind == "blank-header":
        header[rnd.randrange(width)] = None
    elif kind == "swap-headers":
        i, j = rnd.randrange(width), rnd.randrange(width)
        header[i], header[j] = header[j], header[i]
    elif kind == "duplicate-header":
        header.append(header[rnd.randrange(width)])
    elif kind == "shuffle-rows":
        body = rows[1:]
        rnd.shuffle(body)
        rows = [header, *body]
    elif kind == "blank-rows":
        gaps = {rnd.randrange(len(rows)) for _ in range(3)}
    elif kind == "merge":
        top, left = rnd.randint(1, max(1, len(rows))), rnd.randint(1, width + 2)
        merges = [f"{hostile.column_letter(left)}{top}:"
                  f"{hostile.column_letter(left + rnd.randint(0, 2))}{top + rnd.randint(0, 2)}"]
    elif kind == "extra-columns":
        for r in rows:
            r.extend([None] * 3 + [rnd.choice(["note", 1, None])])
    tmp = tmp_path_factory.mktemp("structure")
    if kind == "drop-sheet":
        path = tmp / "m.xlsx"
        hostile.rewrite(base, path, drop=[parts[sheet]])
    elif kind == "rename-sheet":
        with zipfile.ZipFile(base) as zf:
            book = zf.read("xl/workbook.xml")
        renamed = book.replace(f'name="{sheet}"'.encode(),
                               f'name="{sheet} (2)"'.encode(), 1)
        path = hostile.rewrite(base, tmp / "m.xlsx", {"xl/workbook.xml": renamed})
    else:
        changes[parts[sheet]] = write_grid(rows, merges=merges, gaps=gaps)
        path = hostile.rewrite(base, tmp / "m.xlsx", changes)
    check(path, tmp)


# --- the archive -------------------------------------------------------------------------------


@st.composite
def archive_damage(draw):
    kind = draw(st.sampled_from(["truncate", "flip", "drop-part", "garble-name",
                                 "method", "zero-sizes", "append-junk", "prepend-junk"]))
    return kind, draw(st.integers(0, 2**32 - 1))


@FUZZ
@given(damage=archive_damage())
@example(damage=("truncate", 0))
@example(damage=("method", 3))
def test_damaged_archives(tmp_path_factory, base, damage):
    kind, seed = damage
    rnd = random.Random(seed)
    data = bytearray(base.read_bytes())
    with zipfile.ZipFile(base) as zf:
        infos = zf.infolist()
    info = rnd.choice(infos)
    tmp = tmp_path_factory.mktemp("archive")
    path = tmp / "m.xlsx"
    if kind == "truncate":
        del data[rnd.randrange(len(data)):]
    elif kind == "flip":
        for _ in range(rnd.randint(1, 8)):
            data[rnd.randrange(len(data))] ^= 1 << rnd.randrange(8)
    elif kind == "drop-part":
        hostile.rewrite(base, path, drop=[info.filename])
        check(path, tmp)
        return
    elif kind == "garble-name":
        at = data.rfind(info.filename.encode())
        data[at] = ord("#")
    elif kind == "method":  # the central directory says another compression method
        at = [m.start() for m in re.finditer(b"PK\x01\x02", data)]
        data[rnd.choice(at) + 10] = rnd.choice([1, 9, 12, 14, 99])
    elif kind == "zero-sizes":
        at = [m.start() for m in re.finditer(b"PK\x01\x02", data)]
        where = rnd.choice(at)
        data[where + 20:where + 28] = b"\0" * 8
    elif kind == "append-junk":
        data += bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 5000)))
    elif kind == "prepend-junk":
        data[:0] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 5000)))
    path.write_bytes(bytes(data))
    check(path, tmp)
