"""versions, diff, restore, merge and template --per-force as a user runs them."""

import hashlib
import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from alliance_planner import samples
from alliance_planner.store.planfile import PlanFile, read_plan, write_new

pytestmark = pytest.mark.slow


def run(*args):
    return subprocess.run([sys.executable, "-m", "alliance_planner", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_returns_round_trip_versions_diff_and_restore(tmp_path):
    plan = samples.build("south-west-alliance")
    path = tmp_path / "sw.alliance"
    write_new(path, plan)
    folder = tmp_path / "returns"
    result = run("template", "--plan", path, "--per-force", "-o", folder)
    assert result.returncode == 0, result.stderr
    code = plan.forces[1].code
    sent = folder / f"{code}.xlsx"
    assert sent.exists() and len(list(folder.glob("*.xlsx"))) == len(plan.forces)

    # sent back as it went: nothing to merge, nothing written
    before = digest(path)
    result = run("merge", path, sent)
    assert result.returncode == 0 and "nothing to merge" in result.stdout
    assert digest(path) == before

    # filled in: a dry run changes nothing, then the merge applies it
    wb = load_workbook(sent)
    ws = wb["Forces"]
    ws.cell(2, [c.value for c in ws[1]].index("Officers") + 1).value = 1500
    filled = folder / "filled.xlsx"
    wb.save(filled)
    result = run("merge", path, filled, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert f"Forces {code}, Officers:" in result.stdout and "→ 1,500" in result.stdout
    assert digest(path) == before
    result = run("merge", path, filled)
    assert result.returncode == 0, result.stderr
    assert read_plan(path).forces[1].officers == 1500

    listed = json.loads(run("versions", path, "--json").stdout)
    assert [v["name"] for v in listed["versions"]] == ["Before merging filled.xlsx"]
    assert listed["versions"][0]["created_by"]
    assert [(c["what"], c["checksum"]) for c in listed["changes_log"]] == [
        ("merge", digest(filled))]

    diff = json.loads(run("diff", path, "--json").stdout)
    assert [(c["sheet"], c["record"], c["field"]) for c in diff["inputs"]] == [
        ("Forces", code, "Officers")]
    assert any(r["figure"] == "npv" for r in diff["results"])
    assert "No differences." in run("diff", path, "--from", "1", "--to", "1").stdout

    restored = tmp_path / "restored.alliance"
    result = run("restore", path, "Before merging filled.xlsx", "-o", restored)
    assert result.returncode == 0, result.stderr
    assert read_plan(restored) == plan
    with PlanFile.open_read_only(restored) as f:
        assert [c.what for c in f.changes()] == ["restore"]


def test_a_refused_merge_names_sheet_row_and_column_and_leaves_the_plan(tmp_path):
    plan = samples.build("south-west-alliance")
    path = tmp_path / "sw.alliance"
    write_new(path, plan)
    folder = tmp_path / "returns"
    run("template", "--plan", path, "--per-force", "-o", folder)
    wb = load_workbook(folder / f"{plan.forces[0].code}.xlsx")
    wb["Estate"]["A2"].value = plan.forces[1].code
    bad = folder / "bad.xlsx"
    wb.save(bad)
    before = digest(path)
    result = run("merge", path, bad)
    assert result.returncode == 1
    assert "nothing was merged" in result.stderr
    assert "Estate row 2, Force:" in result.stderr and "another force's row" in result.stderr
    assert digest(path) == before
    assert not list(tmp_path.glob("*.bak"))


def test_diff_without_versions_and_an_unknown_version_say_what_to_do(tmp_path):
    path = tmp_path / "sw.alliance"
    write_new(path, samples.build("mobile-data"))
    result = run("diff", path)
    assert result.returncode == 1 and "has no named versions" in result.stderr
    result = run("restore", path, "nope", "-o", tmp_path / "x.alliance")
    assert result.returncode == 1 and "has no version 'nope'" in result.stderr
    result = run("template", "--per-force", "-o", tmp_path / "t")
    assert result.returncode == 2 and "--per-force: needs --plan" in result.stderr
