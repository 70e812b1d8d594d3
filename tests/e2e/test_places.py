"""Full disks and places that cannot be written, made for real: a small tmpfs filled to
each of 41 levels, an unprivileged user (root may write anywhere), and an immutable file.
Every refusal is one clear line, and the plan on disk is left intact."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import plan_faults
import pytest

from alliance_planner import samples
from alliance_planner.domain import edits
from alliance_planner.store.planfile import (
    PlanFile,
    PlanFileError,
    PlanNotEditable,
    read_plan,
    write_new,
)

pytestmark = pytest.mark.slow
digest = plan_faults.digest


def cli(*args, user=None, cwd=None):
    prefix = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"] \
        if user == "nobody" else []
    # The user's cache (compiled_methods.py) is kept out of the folders whose every file
    # these tests count.
    env = {**plan_faults.child_env(), "HOME": str(cwd or tempfile.gettempdir()),
           "XDG_CACHE_HOME": str(Path(tempfile.gettempdir()) / "alliance-planner-test-cache")}
    return subprocess.run([*prefix, sys.executable, "-m", "alliance_planner",
                           *map(str, args)], capture_output=True, text=True, timeout=120,
                          env=env, cwd=cwd)


def assert_one_line(result, *words):
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr  # one line, no traceback
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def others(folder: Path, *keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


# --- a disk that fills -------------------------------------------------------------------------


@pytest.fixture
def disk(tmp_path):
    with plan_faults.small_disk(tmp_path / "disk", "512k") as folder:
        yield folder


def test_at_every_level_of_a_full_disk_each_save_lands_whole_or_says_the_disk_is_full(
        disk, capsys):
    """41 levels of free space, from none to enough: at each, an edit, an edit that
    rewrites the plan, a named version and a Save As either land or say the disk is full;
    the plan on disk is always the last one saved and nothing is left beside it."""
    plan = samples.build(samples.DEFAULT)
    path = disk / "sw.alliance"
    write_new(path, plan)
    outcomes: Counter[str] = Counter()
    for level, free in enumerate(range(0, 246 * 1024, 6 * 1024)):
        plan_faults.fill(disk, free)
        current = read_plan(path)

        def attempt(what, action, *args, **kwargs):
            try:
                action(*args, **kwargs)
            except PlanFileError as exc:
                assert str(exc).endswith(": the disk is full; nothing was written") or \
                    "(the disk is full)" in str(exc), exc
                outcomes[f"{what}: the disk is full"] += 1
                return False
            outcomes[f"{what}: done"] += 1
            return True

        copy = disk / "copy.alliance"
        if attempt("Save As", write_new, copy, current, overwrite=True):
            assert read_plan(copy) == current
            copy.unlink()
        try:
            plan_file = PlanFile.open(path)
        except PlanNotEditable as exc:  # not even room for the lock file
            assert exc.reason == "the disk is full"
            outcomes["open for editing: the disk is full"] += 1
            continue
        with plan_file:
            small = current.replace(discount_rate=0.04 if current.discount_rate != 0.04
                                    else 0.035)
            if attempt("edit", plan_file.save, small, previous=current):
                current = small
            whole = edits.duplicate_record(current, "forces", 0) if len(current.forces) < 4 \
                else edits.remove_record(current, "forces", len(current.forces) - 1)
            if attempt("edit that rewrites the plan", plan_file.save, whole,
                       previous=current):
                current = whole
            if level % 8 == 7:
                attempt("named version", plan_file.save_version, f"v{level}", current)
            assert read_plan(path) == current
        assert others(disk) == ["filler", "sw.alliance"]
        with contextlib.closing(__import__("sqlite3").connect(path)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    with capsys.disabled():
        print(f"\nfull disk: {level + 1} levels, {dict(sorted(outcomes.items()))}")
    for what in ("Save As", "edit", "edit that rewrites the plan"):
        assert outcomes[f"{what}: done"] and outcomes[f"{what}: the disk is full"], what


def test_new_and_import_onto_a_full_disk_say_so_in_one_line(disk, tmp_path):
    plan_faults.fill(disk, 100 * 1024)  # room for a small plan, not for the national one
    result = cli("new", "--sample", "national", "-o", disk / "national.alliance")
    assert_one_line(result, "national.alliance: the disk is full; nothing was written")
    plan = tmp_path / "sw.alliance"
    write_new(plan, samples.build(samples.DEFAULT))
    workbook = tmp_path / "collect.xlsx"
    assert cli("template", "--plan", plan, "-o", workbook).returncode == 0
    plan_faults.fill(disk, 0)
    result = cli("import", workbook, "-o", disk / "imported.alliance")
    assert_one_line(result, "imported.alliance: the disk is full; nothing was written")
    assert others(disk) == ["filler"]


# --- an unprivileged user, where root could write ---------------------------------------------


@pytest.fixture
def read_only_folder():
    """A folder only root may write (as a share mounted read-only looks to its users),
    holding a plan; the test runs the program as nobody."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("running as another user needs root and setpriv")
    folder = Path(tempfile.mkdtemp(prefix="alliance-ro-"))
    try:
        folder.chmod(0o755)
        probe = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup",
                                "--clear-groups", "--", sys.executable, "-c",
                                "import alliance_planner"], capture_output=True,
                               env=plan_faults.child_env(), cwd=folder)
        if probe.returncode != 0:
            pytest.skip(f"nobody cannot run this checkout's Python: {probe.stderr[-200:]!r}")
        plan = folder / "sw.alliance"
        write_new(plan, samples.build(samples.DEFAULT))
        plan.chmod(0o644)
        yield plan
    finally:
        shutil.rmtree(folder, ignore_errors=True)


AS_NOBODY = r"""
import sys
from pathlib import Path
from alliance_planner.store.planfile import PlanFile, PlanFileError, PlanNotEditable, write_new
path = Path(sys.argv[1])
try:
    PlanFile.open(path)
except PlanNotEditable as exc:
    print("open:", exc)
with PlanFile.open_read_only(path, "read-only") as f:
    plan = f.load()
    try:
        f.save(plan.replace(name="No"), previous=plan)
    except PlanFileError as exc:
        print("save:", exc)
try:
    write_new(path.with_name("copy.alliance"), plan)
except PlanFileError as exc:
    print("save as:", exc)
write_new(Path(sys.argv[2]) / "copy.alliance", plan)
print("save as elsewhere: done")
"""


def test_a_plan_in_a_folder_the_user_cannot_write_is_read_and_never_changed(read_only_folder):
    plan, folder = read_only_folder, read_only_folder.parent
    before = digest(plan)
    result = cli("summary", plan, user="nobody", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert samples.build(samples.DEFAULT).name in result.stdout
    writable = Path(tempfile.mkdtemp(prefix="alliance-rw-"))
    try:
        writable.chmod(0o777)
        result = subprocess.run(
            ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--",
             sys.executable, "-c", AS_NOBODY, str(plan), str(writable)],
            capture_output=True, text=True, env=plan_faults.child_env(), cwd=folder,
            timeout=120)
        assert result.returncode == 0, result.stderr
        said = dict(line.split(": ", 1) for line in result.stdout.splitlines())
        assert said["open"] == f"{plan}: is read-only (the file is read-only); it can be " \
                               "opened read-only"
        assert said["save"] == f"{plan}: is open read-only (read-only); nothing was written"
        assert said["save as"] == f"{folder / 'copy.alliance'}: cannot be written (it or its " \
                                  "folder is read-only); nothing was written"
        assert said["save as elsewhere"] == "done"
        assert read_plan(writable / "copy.alliance") == read_plan(plan)
    finally:
        shutil.rmtree(writable, ignore_errors=True)
    result = cli("new", "-o", folder / "new.alliance", user="nobody", cwd=folder)
    assert_one_line(result, "new.alliance: cannot be written (it or its folder is read-only)")
    assert digest(plan) == before and others(folder) == ["sw.alliance"]


def test_a_crash_mid_save_in_a_folder_the_user_cannot_write_is_explained(read_only_folder):
    plan, folder = read_only_folder, read_only_folder.parent
    plan_faults.cut_short_save(plan)
    journal = plan_faults.journal(plan)
    journal.chmod(0o644)
    before = digest(plan), digest(journal)
    result = cli("summary", plan, user="nobody", cwd=folder)
    line = assert_one_line(result, f"{plan}: was left mid-save by a crash, and can be "
                                   "recovered only where it can be written (the file is "
                                   "read-only)", "copy it with sw.alliance-journal to a writable "
                                   "folder; nothing was changed")
    assert "damaged" not in line
    assert (digest(plan), digest(journal)) == before
    # Where it can be written (by root, here), it opens as it was before that save.
    result = cli("summary", plan)
    assert result.returncode == 0, result.stderr
    assert read_plan(plan) == samples.build(samples.DEFAULT)
    assert others(folder) == ["sw.alliance"]


def test_a_wal_mode_plan_in_a_folder_the_user_cannot_write_leaves_nothing(read_only_folder):
    import sqlite3

    plan, folder = read_only_folder, read_only_folder.parent
    with contextlib.closing(sqlite3.connect(plan)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
    before = digest(plan)
    result = cli("summary", plan, user="nobody", cwd=folder)
    assert result.returncode == 0, result.stderr
    result = cli("summary", plan, cwd=folder)  # root: could write, leaves nothing either
    assert result.returncode == 0, result.stderr
    assert digest(plan) == before and others(folder) == ["sw.alliance"]


# --- an immutable file (chattr +i), as a save can meet it -----------------------------------


def test_an_immutable_plan_left_mid_save_is_explained_and_recovers_once_writable(tmp_path):
    plan = tmp_path / "sw.alliance"
    write_new(plan, samples.build(samples.DEFAULT))
    plan_faults.cut_short_save(plan)
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(plan)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not permitted here")
    try:
        before = digest(plan), digest(plan_faults.journal(plan))
        result = cli("summary", plan)
        line = assert_one_line(result, "was left mid-save by a crash",
                               "(the file is read-only)")
        assert "damaged" not in line
        with pytest.raises(PlanNotEditable):
            PlanFile.open(plan)
        assert (digest(plan), digest(plan_faults.journal(plan))) == before
    finally:
        subprocess.run(["chattr", "-i", str(plan)], check=True)
    assert cli("summary", plan).returncode == 0
    assert others(tmp_path) == ["sw.alliance"]
