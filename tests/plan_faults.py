"""Faults a plan file meets in use, made for real: a save cut short by a crash, a window
that holds a plan open in another process, a plan in write-ahead-log mode.

Each is made by a separate process that stops without cleaning up (``os._exit``) or is
killed, because that is what leaves the state behind; nothing here fakes SQLite's files.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

CUT_SHORT = r"""
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA cache_size = 1")  # changed pages spill into the file before the commit
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE plan SET name = 'half saved'")
conn.execute("UPDATE forces SET name = name || ' (half saved)'")
conn.execute("CREATE TABLE filler (x)")
conn.executemany("INSERT INTO filler VALUES (?)", [("x" * 2000,)] * 100)
os._exit(0)  # the program stops in the middle of the save: no rollback, no cleanup
"""

WAL_LEFT = r"""
import os, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA wal_autocheckpoint = 0")
conn.execute("UPDATE plan SET name = ?", (sys.argv[2],))
os._exit(0)  # committed to the log, never merged into the file
"""

HOLD_OPEN = r"""
import sys, time
from alliance_planner.store.planfile import PlanFile
plan_file = PlanFile.open(sys.argv[1])
print("open", flush=True)
time.sleep(120)
"""


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def journal(path: Path) -> Path:
    return path.with_name(path.name + "-journal")


def cut_short_save(path: Path) -> None:
    """Leave `path` as a crash in the middle of a commit leaves it: the file part-written
    and a hot rollback journal beside it holding what the file held before."""
    before = digest(path)
    subprocess.run([sys.executable, "-c", CUT_SHORT, str(path)], check=True, timeout=60)
    assert journal(path).exists(), "the save should have been left with its journal"
    assert digest(path) != before, "the half save should have reached the file"


def leave_write_ahead_log(path: Path, name: str) -> None:
    """Put a plan in WAL mode with a committed change still in its -wal file."""
    subprocess.run([sys.executable, "-c", WAL_LEFT, str(path), name], check=True, timeout=60)
    assert Path(f"{path}-wal").stat().st_size > 0


ROOT = Path(__file__).resolve().parent.parent


def child_env() -> dict[str, str]:
    """The environment for a child Python: this checkout's package first."""
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


def hold_open(path: Path) -> subprocess.Popen[str]:
    """Another process with the plan open for editing, as a second window would be."""
    process = subprocess.Popen([sys.executable, "-c", HOLD_OPEN, str(path)],
                               stdout=subprocess.PIPE, text=True, env=child_env())
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "open"
    return process


def siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@contextlib.contextmanager
def small_disk(folder: Path, size: str = "200k") -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder`, for a disk that fills; the test is skipped,
    with the reason, where mounting is not permitted."""
    import pytest

    folder.mkdir(parents=True, exist_ok=True)
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs",
                              str(folder)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path, free: int) -> Path:
    """Fill the disk under `folder`, then give back `free` bytes (whole pages on tmpfs)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    block = b"\0" * 4096
    try:
        while True:
            os.write(fd, block)
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
    finally:
        os.close(fd)
    os.truncate(filler, max(0, filler.stat().st_size - free))
    return filler
