"""The packaged program's budgets: its size on disk and as the archive that is shipped, and its
cold start against the pip-installed program's.

Cold start is timed as bench/window.py times it: from spawning the process to the window's
first expose painted on a real X display (xcb; an Xvfb of its own without DISPLAY). The
frozen program and the pip-installed ``alliance-planner`` command open the same sample plan,
taking turns, once each untimed first; the target is a frozen median no slower than the
installed one's. The archive's target is at most 70 MiB (issue 14).

Run: .venv/bin/python bench/bundle.py [--quick] [--bundle DIR --archive FILE]
(without --bundle, scripts/build-installer builds one into a temporary folder first)
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from table import print_table
from window import launch, x_display

ROOT = Path(__file__).resolve().parent.parent
ARCHIVE_BUDGET_MIB = 70.0


def size_on_disk(folder: Path) -> tuple[float, int]:
    """MiB of the files in `folder` (symbolic links not followed), and how many."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 2**20, len(files)


def build(into: Path) -> tuple[Path, Path]:
    subprocess.run(["bash", str(ROOT / "scripts/build-installer"), "--dist", str(into / "dist"),
                    "--work", str(into / "work")], check=True, cwd=ROOT,
                   env={**os.environ, "PYTHON": sys.executable})
    return into / "dist/alliance-planner", next((into / "dist").glob("*.tar.gz"))


def cold_starts(frozen: Path, plan: Path, home: Path, runs: int) -> dict[str, list[float]]:
    installed = Path(sys.executable).with_name("alliance-planner")
    if not installed.exists():
        sys.exit(f"bench/bundle.py: no {installed}; scripts/setup installs the program")
    commands = {"frozen": [str(frozen / "alliance-planner"), str(plan), "--exit-when-ready"],
                "pip-installed": [str(installed), str(plan), "--exit-when-ready"]}
    with x_display() as display:
        env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                   XDG_DATA_HOME=str(home / "data"), DISPLAY=display, QT_QPA_PLATFORM="xcb",
                   PYTHONPYCACHEPREFIX=str(home / "pycache"))  # compiled once, as installed
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        for command in commands.values():  # caches warm and settings written, untimed
            launch(command, env)
        found: dict[str, list[float]] = {name: [] for name in commands}
        names = list(commands)
        for round_ in range(runs):
            turn = round_ % len(names)
            for name in names[turn:] + names[:turn]:  # nobody always goes first
                found[name].append(launch(commands[name], env)[0])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 starts each instead of 15")
    parser.add_argument("--bundle", type=Path, help="a built bundle folder (dist/alliance-planner)")
    parser.add_argument("--archive", type=Path, help="its tar.gz")
    args = parser.parse_args()
    runs = 5 if args.quick else 15
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as folder:
        work = Path(folder)
        if args.bundle is None:
            bundle, archive = build(work)
        else:
            bundle, archive = args.bundle, args.archive
        disk, files = size_on_disk(bundle)
        packed = archive.stat().st_size / 2**20 if archive else None

        plan = work / "sw.alliance"
        subprocess.run([str(bundle / "alliance-planner"), "new", "-o", str(plan)], check=True,
                       capture_output=True)
        starts = cold_starts(bundle, plan, work / "home", runs)

    frozen = statistics.median(starts["frozen"])
    installed = statistics.median(starts["pip-installed"])
    # Each round runs both, one after the other: their difference is the fairer figure on a
    # machine that others are using too, as a busy moment slows both.
    paired = statistics.median(f - i for f, i in zip(starts["frozen"], starts["pip-installed"],
                                                     strict=True))
    print(f"{platform.machine()}, {os.cpu_count()} cores, {runs} alternating starts each; "
          f"bundle of {files:,} files")
    print_table([
        ("bundle on disk", f"{disk:.1f} MiB", "", None),
        ("archive (tar.gz)", f"{packed:.1f} MiB" if packed else "-",
         f"{ARCHIVE_BUDGET_MIB:.0f} MiB", None if packed is None else packed <= ARCHIVE_BUDGET_MIB),
        ("cold start, pip-installed", f"{installed:.3f} s", "", None),
        ("cold start, frozen", f"{frozen:.3f} s", f"{installed:.3f} s", frozen <= installed),
        ("frozen minus pip-installed, same round", f"{paired * 1000:+.0f} ms", "", None),
    ])


if __name__ == "__main__":
    main()
