"""Named versions, the changes log and forces' returns merged into a plan."""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from alliance_planner import samples
from alliance_planner.domain.diff import diff_inputs
from alliance_planner.exchange.returns import ReturnProblems, read_return, write_per_force
from alliance_planner.store import migrations
from alliance_planner.store.lock import user_name
from alliance_planner.store.planfile import PlanFile, file_version, read_plan, write_new

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def plan():
    return samples.build("south-west-alliance")


@pytest.fixture(scope="module")
def returns(plan, tmp_path_factory):
    folder = tmp_path_factory.mktemp("returns")
    return {p.stem: p for p in write_per_force(folder, plan)}


def _edit(source: Path, target: Path, sheet: str, row: int, header: str, value) -> Path:
    wb = load_workbook(source)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    ws.cell(row, headers.index(header) + 1).value = value
    wb.save(target)
    return target


def test_a_template_per_force_holds_that_forces_rows_only(plan, returns):
    assert sorted(returns) == sorted(f.code for f in plan.forces)
    for code, path in returns.items():
        wb = load_workbook(path, read_only=True)
        forces = [r[0] for r in wb["Forces"].iter_rows(min_row=2, values_only=True) if r[0]]
        estate = {r[0] for r in wb["Estate"].iter_rows(min_row=2, values_only=True) if r[0]}
        assert forces == [code] and estate == {code}


def test_a_return_as_sent_merges_to_no_change(plan, returns):
    for path in returns.values():
        merge = read_return(path, plan)
        assert merge.changes == () and merge.plan == plan


def test_merging_every_forces_return_filled_with_its_own_figures_reproduces_the_plan(
        plan, returns):
    """Each force's rows spoiled in the plan (costs doubled, an item gone), then each
    force's return, filled in with its own figures, merged in turn."""
    spoiled = plan.replace(
        forces=tuple(dataclasses.replace(f, officers=f.officers + 1) for f in plan.forces),
        estate=tuple(dataclasses.replace(e, annual_running_cost=e.annual_running_cost * 2)
                     for e in plan.estate[1:]))
    assert diff_inputs(plan, spoiled)
    merged = spoiled
    for path in returns.values():
        merged = read_return(path, merged).plan
    assert diff_inputs(plan, merged) == []
    assert {e.force: e for e in merged.estate} == {e.force: e for e in plan.estate}
    assert sorted(merged.estate, key=str) == sorted(plan.estate, key=str)


def test_a_return_changes_only_its_own_rows_and_names_each_change(plan, returns, tmp_path):
    code = plan.forces[1].code
    edited = _edit(returns[code], tmp_path / "r.xlsx", "Estate", 2, "Running cost a year",
                   99_999)
    merge = read_return(edited, plan)
    item = next(e for e in plan.estate if e.force == code)
    assert [c.text for c in merge.changes] == [
        f"Estate {code}/{item.service}, Running cost a year: "
        f"£{item.annual_running_cost:,.2f} → £99,999.00"]
    others = [e for e in merge.plan.estate if e.force != code]
    assert others == [e for e in plan.estate if e.force != code]


@pytest.mark.parametrize(("sheet", "header", "value", "words"), [
    ("Estate", "Force", "OTHER", "Estate row 2, Force: 'OTHER' is another force's row; this "
                                 "return is for"),
    ("Estate", "Service", "teleporter", "Estate row 2, Service: the plan has no service "
                                        "'teleporter'"),
    ("Options", "Option", "Renamed", "Options row 2, Option: a return changes only its "
                                     "force's rows (the plan has Business as usual)"),
    ("Decisions", "Go-live", 2031, "Decisions row 2, Go-live: a return changes only its "
                                   "force's rows"),
])
def test_a_return_touching_what_is_not_its_own_is_refused_naming_sheet_row_and_column(
        plan, returns, tmp_path, sheet, header, value, words):
    code = plan.forces[0].code
    bad = _edit(returns[code], tmp_path / "bad.xlsx", sheet, 2, header, value)
    with pytest.raises(ReturnProblems) as caught:
        read_return(bad, plan)
    assert any(p.startswith(words) for p in caught.value.problems), caught.value.problems
    assert caught.value.nothing == "nothing was merged"


def test_another_forces_return_is_refused_when_the_force_is_named(plan, returns):
    first, second = (f.code for f in plan.forces[:2])
    with pytest.raises(ReturnProblems, match="another force's row; this return is for "
                                             f"{second}"):
        read_return(returns[first], plan, (second,))


def test_a_refused_merge_leaves_the_plan_byte_for_byte(plan, returns, tmp_path):
    path = tmp_path / "plan.alliance"
    write_new(path, plan)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    bad = _edit(returns[plan.forces[0].code], tmp_path / "bad.xlsx", "Estate", 2, "Force",
                plan.forces[1].code)
    with PlanFile.open(path) as f, pytest.raises(ReturnProblems):
        read_return(bad, f.load())
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_versions_say_who_kept_them_and_the_log_records_a_merge(plan, returns, tmp_path):
    path = tmp_path / "plan.alliance"
    write_new(path, plan, logged=("import", "forces.xlsx", "ab" * 32, "2 forces"))
    code = plan.forces[0].code
    edited = _edit(returns[code], tmp_path / "r.xlsx", "Forces", 2, "Officers", 1234)
    with PlanFile.open(path) as f:
        merge = read_return(edited, f.load())
        version = f.save_version("Before merging r.xlsx", f.load())
        f.save_with_log(merge.plan, f.load(), "merge", str(edited), merge.checksum,
                        merge.detail)
        assert [v.created_by for v in f.versions()] == [user_name()] == [version.created_by]
        log = f.changes()
    assert [(c.what, c.file, c.detail) for c in log] == [
        ("import", "forces.xlsx", "2 forces"),
        ("merge", str(edited), f"1 change(s) for {code}")]
    assert log[1].checksum == hashlib.sha256(edited.read_bytes()).hexdigest()
    assert log[1].by == user_name()
    assert read_plan(path).forces[0].officers == 1234
    with PlanFile.open(path) as f:
        assert f.load_version(version.id) == plan


def test_a_format_3_plan_reads_its_versions_by_nobody_and_upgrades(tmp_path):
    path = tmp_path / "old.alliance"
    shutil.copy(DATA / "south-west-format3.alliance", path)
    assert file_version(path) == 3
    with PlanFile.open(path) as f:
        (version,) = f.versions()
        assert (version.name, version.created_by) == ("To the board, March", "")
        assert f.changes() == []
        assert f.load_version(version.id) == f.load()
    assert file_version(path) == len(migrations.MIGRATIONS)


def test_a_format_3_plan_open_read_only_lists_its_versions(tmp_path):
    path = tmp_path / "old.alliance"
    shutil.copy(DATA / "south-west-format3.alliance", path)
    with PlanFile.open_read_only(path) as f:
        assert [(v.name, v.created_by) for v in f.versions()] == [("To the board, March", "")]
        assert f.changes() == []
    assert file_version(path) == 3
