"""What the command line says about workbooks, and what it leaves behind: `export` and
`template` onto a full disk say so in one line and leave nothing half-written; a
workbook's problems are capped and counted; nothing a file holds reaches the terminal as
an escape sequence, and no value makes a line longer than a screen can hold."""

from __future__ import annotations

import dataclasses
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile
from pathlib import Path

import hostile
import plan_faults
import pytest

from alliance_planner import samples
from alliance_planner.cli import PROBLEMS_SHOWN, main
from alliance_planner.exchange import template
from alliance_planner.exchange.cells import storable
from alliance_planner.exchange.inputs import read_inputs
from alliance_planner.messages import LIMIT
from alliance_planner.store.planfile import write_new

pytestmark = pytest.mark.slow
PREFIX = "alliance-planner: error: "


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "alliance_planner", *map(str, args)],
                          capture_output=True, text=True, timeout=120, cwd=cwd,
                          env=plan_faults.child_env())


def cli(capsys, *args) -> tuple[int, str, str]:
    """The command line in this process: (exit code, stdout, stderr)."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "sw.alliance"
    write_new(path, samples.build("south-west-alliance"))
    return path


# --- a full disk ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["export", "template"])
def test_a_full_disk_is_one_line_and_leaves_nothing_half_written(tmp_path, plan_path, capsys,
                                                                  command):
    """Finding 5: `export` and `template` onto a full disk gave tracebacks (OSError 28).
    At every level of free space from none to enough, each either writes a whole workbook
    or says in one line that the disk is full, and the workbook already there is kept."""
    with plan_faults.small_disk(tmp_path / "disk", "640k") as disk:
        target = disk / "board.xlsx"
        args = ([command, plan_path, "-o", target] if command == "export"
                else [command, "--plan", plan_path, "-o", target])
        code, _, err = cli(capsys, *args)
        assert code == 0, err
        before = plan_faults.digest(target)
        outcomes = {"written": 0, "disk full": 0}
        for free in range(0, 400 * 1024, 40 * 1024):
            plan_faults.fill(disk, free)
            code, out, err = cli(capsys, *args)
            left = sorted(p.name for p in disk.iterdir())
            assert left == ["board.xlsx", "filler"], left  # no temporary file stays
            if code == 0:
                outcomes["written"] += 1
                assert read_inputs(target) == samples.build("south-west-alliance") or \
                    command == "template"
                before = plan_faults.digest(target)
            else:
                outcomes["disk full"] += 1
                assert code == 1 and out == ""
                assert err == f"{PREFIX}{target}: the disk is full; nothing was written\n"
                assert plan_faults.digest(target) == before  # the old workbook is intact
        assert outcomes["written"] and outcomes["disk full"], outcomes


def test_a_full_disk_in_a_real_process_is_one_line(tmp_path, plan_path):
    with plan_faults.small_disk(tmp_path / "disk", "256k") as disk:
        plan_faults.fill(disk, 0)
        result = run("export", plan_path, "-o", disk / "board.xlsx")
        assert result.returncode == 1
        assert result.stderr == f"{PREFIX}{disk / 'board.xlsx'}: the disk is full; nothing " \
                                "was written\n"
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]


def test_a_read_only_folder_is_one_line(tmp_path, plan_path):
    top = Path(tempfile.mkdtemp())  # pytest's own folders are closed to other users
    top.chmod(0o755)
    folder = top / "shared"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = subprocess.run(
            ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--",
             sys.executable, "-m", "alliance_planner", "template", "-o", folder / "t.xlsx"],
            capture_output=True, text=True, timeout=120,
            env={**plan_faults.child_env(), "HOME": str(tmp_path)}) \
            if os.geteuid() == 0 else run("template", "-o", folder / "t.xlsx")
    finally:
        folder.chmod(0o755)
        shutil.rmtree(top)
    assert result.returncode == 1, result
    assert result.stderr == f"{PREFIX}{folder / 't.xlsx'}: permission denied; nothing was " \
                            "written\n"


# --- a workbook's problems --------------------------------------------------------------------


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("filled") / "filled.xlsx"
    template.write_template(path, samples.build("south-west-alliance"))
    return path


def test_thousands_of_problems_print_the_first_and_a_count(tmp_path, filled, capsys):
    """Finding 4: a 1,048,000-row sheet printed 5 million lines of errors."""
    rows = hostile.table_rows(filled, "Estate")
    header, body = rows[0], [r for r in rows[1:] if r[0] is not None]
    cost = header.index("Running cost a year")
    bad = [[*r[:cost], "lots", *r[cost + 1:]] for r in (body * 300)[:4000]]
    many = hostile.rewrite(filled, tmp_path / "many.xlsx", {
        hostile.sheet_paths(filled)["Estate"]:
            lambda: hostile.sheet(hostile.rows_xml([header, *bad]))})
    code, out, err = cli(capsys, "import", many, "-o", tmp_path / "x.alliance")
    lines = err.splitlines()
    assert code == 1 and out == ""
    assert lines[0].startswith(f"{PREFIX}{many}: ") and "problems; nothing was imported" in \
        lines[0]
    assert len(lines) == 1 + PROBLEMS_SHOWN + 1
    assert lines[1] == "  Estate row 2, Running cost a year: expected a number, not 'lots'"
    assert lines[-1].startswith("  and ") and lines[-1].endswith(" more problems")
    assert not (tmp_path / "x.alliance").exists()


def test_a_ten_megabyte_code_gives_one_short_line(tmp_path, filled, capsys):
    """Finding 6: a 10 MB force code gave a 10 MB error line."""
    rows = hostile.table_rows(filled, "Forces")
    letters = random.Random(10).choices(string.ascii_lowercase, k=10_000_000)
    rows[1][0] = "".join(letters)  # packs about 2 to 1: not refused as a zip bomb
    huge = hostile.rewrite(filled, tmp_path / "huge.xlsx", {
        hostile.sheet_paths(filled)["Forces"]: lambda: hostile.sheet(hostile.rows_xml(rows))})
    code, _, err = cli(capsys, "import", huge, "-o", tmp_path / "x.alliance")
    assert code == 1
    assert len(err) < 40 * LIMIT
    assert all(len(line) <= LIMIT + len(PREFIX) for line in err.splitlines())
    assert "Forces row 2, Code: holds 10,000,000 characters; a cell holds at most 32,767" \
        in err


# --- escape sequences never reach the terminal ------------------------------------------------


EVIL = "\x1b]0;owned\x07\x1b[2J\x1b[31mRed\u202eesrever"


def test_names_with_escape_sequences_are_printed_escaped(tmp_path, capsys):
    """Finding 6: names with ANSI escape sequences were printed raw to the terminal."""
    plan = samples.build("south-west-alliance")
    plan = plan.replace(name=EVIL, options=tuple(
        dataclasses.replace(o, name=f"{o.name} {EVIL}") for o in plan.options))
    path = tmp_path / "evil.alliance"
    write_new(path, plan)
    code, out, err = cli(capsys, "summary", path)
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;owned\\x07\\x1b[2J" in out
    code, out, err = cli(capsys, "new", "--name", EVIL, "-o", tmp_path / "new.alliance")
    assert code == 0 and "\x1b" not in out and "\\x1b" in out
    board = tmp_path / "evil.xlsx"
    code, out, err = cli(capsys, "export", path, "-o", board)
    assert code == 0 and "\x1b" not in out
    code, out, err = cli(capsys, "import", board, "-o", tmp_path / "back.alliance")
    assert code == 0 and "\x1b" not in out
    assert read_inputs(board).name == EVIL  # kept as it was, only shown escaped


def test_an_escape_in_a_bad_value_is_escaped_in_the_error(tmp_path, filled, capsys):
    rows = hostile.table_rows(filled, "Estate")
    rows[1][0] = "\x1b[2Jatlantis"
    bad = hostile.rewrite(filled, tmp_path / "bad.xlsx", {
        hostile.sheet_paths(filled)["Estate"]: lambda: hostile.sheet(
            hostile.rows_xml([[storable(v) if isinstance(v, str) else v for v in r]
                              for r in rows]))})
    code, _, err = cli(capsys, "import", bad, "-o", tmp_path / "x.alliance")
    assert code == 1
    assert "\x1b" not in err
    assert "Estate row 2, Force: force '\\x1b[2Jatlantis' is not in the plan" in err
