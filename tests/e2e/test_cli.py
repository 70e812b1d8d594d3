"""The command line as a user runs it: a real process on real files."""

import hashlib
import json
import os
import sqlite3
import struct
import subprocess
import sys

import pytest

from alliance_planner import __version__, samples
from alliance_planner.cli import _parser
from alliance_planner.domain.engine import appraise
from alliance_planner.store.planfile import read_plan

pytestmark = pytest.mark.slow


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "alliance_planner", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, timeout=120)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_user_error(result, *words):
    assert result.returncode == 1, result
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, no traceback
    assert lines[0].startswith("alliance-planner: error: ")
    for word in words:
        assert word in lines[0]


def test_version():
    result = run("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"alliance-planner {__version__}")


def test_new_list_prints_the_sample_names():
    result = run("new", "--list")
    assert result.returncode == 0
    assert result.stdout.split() == samples.names()


def test_new_then_summary_json(tmp_path):
    plan = tmp_path / "sw.alliance"
    result = run("new", "--sample", "south-west-alliance", "-o", plan)
    assert result.returncode == 0, result.stderr
    result = run("summary", plan, "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    # 2026/27 for the transition, then the contract's ten years
    assert (doc["horizon_years"], doc["base_year"], doc["discount_rate"]) == (11, 2026, 0.035)
    expected = appraise(samples.build("south-west-alliance"))
    keys = {"name", "is_baseline", "npv", "npsv", "bcr", "payback_year", "transition_cost",
            "cost_by_year", "savings_by_year", "support_fte_by_year",
            "officer_hours_released_per_week", "officer_fte_equivalent", "force_shares"}
    for o, option in enumerate(doc["options"]):
        assert keys <= set(option)
        assert option["npv"] == expected.npv[o]  # unrounded pounds, exactly the engine's
        assert len(option["cost_by_year"]) == 11
        assert sum(s["npv"] for s in option["force_shares"].values()) == pytest.approx(
            option["npv"], abs=1e-6)
    assert [o["is_baseline"] for o in doc["options"]].count(True) == 1


def test_summary_text(tmp_path):
    plan = tmp_path / "m.alliance"
    run("new", "--sample", "mobile-data", "-o", plan)
    result = run("summary", plan)
    assert result.returncode == 0
    assert "Tablets for every frontline officer and PCSO" in result.stdout
    assert "100.0" in result.stdout  # officer FTE released


def test_every_sample_through_the_command_line(tmp_path):
    for name in samples.names():
        plan = tmp_path / f"{name}.alliance"
        assert run("new", "--sample", name, "-o", plan).returncode == 0
        assert read_plan(plan) == samples.build(name)


def test_new_alliance_from_forces(tmp_path):
    plan = tmp_path / "new.alliance"
    result = run("new", "--forces", "dorset,wiltshire", "--name", "Dorset and Wiltshire", "-o",
                 plan)
    assert result.returncode == 0, result.stderr
    assert read_plan(plan).name == "Dorset and Wiltshire"
    listing = run("new", "--list-forces").stdout.splitlines()
    assert len(listing) == 43 and "dorset\tDorset" in listing


def test_new_will_not_overwrite(tmp_path):
    plan = tmp_path / "sw.alliance"
    run("new", "-o", plan)
    before = digest(plan)
    assert_user_error(run("new", "--sample", "mobile-data", "-o", plan), str(plan),
                      "already exists")
    assert digest(plan) == before
    assert run("new", "--sample", "mobile-data", "-o", plan, "--force").returncode == 0


def foreign(path):
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text)")


def newer(path):
    run("new", "-o", path)
    data = bytearray(path.read_bytes())
    data[60:64] = struct.pack(">i", 99)
    path.write_bytes(bytes(data))


def damaged(path):
    run("new", "-o", path)
    data = bytearray(path.read_bytes())
    for start in range(4096, len(data), 4096):
        data[start:start + 100] = b"\xff" * 100
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: p.write_bytes(b""), ["is empty"]),
    (lambda p: p.write_text("force,officers\n"), ["not a SQLite database"]),
    (foreign, ["not an Alliance Planner plan"]),
    (newer, ["newer version", "plan format 99", "has not been changed"]),
    (damaged, ["is damaged"]),
], ids=["empty", "text", "foreign", "newer", "damaged"])
def test_bad_plan_files(tmp_path, make, words):
    path = tmp_path / "bad.alliance"
    make(path)
    before = digest(path)
    for args in (("summary", path), ("summary", path, "--json"), (path,)):
        assert_user_error(run(*args), str(path), *words)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.alliance"]


def test_missing_plan():
    assert_user_error(run("summary", "no-such.alliance"), "no-such.alliance", "no such file")


def test_unknown_sample_and_force(tmp_path):
    assert_user_error(run("new", "--sample", "atlantis", "-o", tmp_path / "x.alliance"),
                      "--sample", "atlantis", "south-west-alliance")
    assert_user_error(run("new", "--forces", "dorset,atlantis", "-o", tmp_path / "x.alliance"),
                      "--forces", "atlantis")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("args", [
    ("summary",), ("summary", "a", "b"), ("new", "--bogus"), ("new",), ("--bogus",),
    ("new", "--sample", "mobile-data", "--forces", "dorset", "-o", "x.alliance"),
])
def test_bad_usage_exits_2(tmp_path, args):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2, result
    assert "usage:" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def isolated_env(tmp_path):
    """The window's settings and data go to a temporary home, never the user's own."""
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    return env


def test_no_plan_opens_the_bundled_sample_in_the_window(tmp_path):
    result = subprocess.run([sys.executable, "-m", "alliance_planner", "--exit-when-ready"],
                            capture_output=True, text=True, env=isolated_env(tmp_path),
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ready in ")
    made = list((tmp_path / "data").rglob("*.alliance"))
    assert [p.name for p in made] == ["south-west-alliance.alliance"]
    assert read_plan(made[0]) == samples.build(samples.DEFAULT)


def test_a_plan_opens_in_the_window(tmp_path):
    plan = tmp_path / "m.alliance"
    run("new", "--sample", "mobile-data", "-o", plan)
    before = digest(plan)
    result = subprocess.run([sys.executable, "-m", "alliance_planner", str(plan),
                             "--exit-when-ready"], capture_output=True, text=True,
                            env=isolated_env(tmp_path), timeout=120)
    assert result.returncode == 0, result.stderr
    assert digest(plan) == before  # opening is not an edit


def test_every_command_and_option_has_help():
    parser, commands = _parser()
    subparsers = parser._subparsers._group_actions[0]
    for name, sub in subparsers.choices.items():
        assert sub.description, name
        for action in sub._actions:
            assert action.help, (name, action.dest)
    assert set(subparsers.choices) == set(commands)
    for name in commands:
        result = run(name, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_import_of_an_older_workbook_says_which_defaults_it_took(tmp_path):
    """A template sent out before a column existed still imports; stderr names the column."""
    from openpyxl import load_workbook

    plan = tmp_path / "sw.alliance"
    book = tmp_path / "returned.xlsx"
    run("new", "--sample", "south-west-alliance", "-o", plan)
    assert run("template", "-o", book, "--plan", plan).returncode == 0
    wb = load_workbook(book)
    ws = wb["Decisions"]
    ws.delete_cols(next(c.column for c in ws[1] if c.value == "Running OB"))
    wb.save(book)
    result = run("import", book, "-o", tmp_path / "back.alliance")
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == (
        f"note: {book}: Decisions: no column 'Running OB' (0%) (a workbook from an earlier "
        "version); every row takes the default")
    assert read_plan(tmp_path / "back.alliance").forces == read_plan(plan).forces


def test_affordability_json_is_the_domains_statement_and_text_its_table(tmp_path):
    from alliance_planner.domain.affordability import affordability, statement_json

    plan_file = tmp_path / "sw.alliance"
    assert run("new", "--sample", "south-west-alliance", "-o", plan_file).returncode == 0
    plan = read_plan(plan_file)
    a = affordability(plan)
    result = run("affordability", plan_file, "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    o = [x.code for x in plan.options].index(doc["option"])
    assert plan.options[o].role.value == "preferred"  # the recommended one by default
    assert doc == json.loads(json.dumps(statement_json(plan, a, o, None, False)))
    result = run("affordability", plan_file, "--json", "--cash", "--option", "BAU",
                 "--force", "dorset")
    doc = json.loads(result.stdout)
    assert (doc["option"], doc["force"], doc["prices"]) == ("BAU", "dorset", "cash")
    lines = {line["line"]: line for line in doc["lines"]}
    assert lines["Net cash against business as usual"]["total"] == 0
    text = run("affordability", plan_file).stdout.splitlines()
    assert text[0].startswith(plan.options[o].name) and "2026/27" in text[1]
    assert [t.split("  ")[0] for t in text[2:]] == [line["line"] for line in doc["lines"]]


def test_affordability_names_the_options_when_one_is_unknown(tmp_path):
    plan_file = tmp_path / "sw.alliance"
    run("new", "--sample", "south-west-alliance", "-o", plan_file)
    result = run("affordability", plan_file, "--option", "NOPE")
    assert result.returncode == 2 and result.stdout == ""
    assert "no option 'NOPE'" in result.stderr and "BAU" in result.stderr
