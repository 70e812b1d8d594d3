"""The roadmap optimiser on the national plan: in process, and as a whole
`alliance-planner optimise` process. Run: .venv/bin/python bench/optimise.py [--quick]

bench/run.py prints the same rows in its table. Each is the median of a few runs: with no
limits; with the limits a board might set (a one-off budget a year, a few changes at once,
no early exits); and with a budget so tight that most of HiGHS's time goes on proving that
the roadmap it found early is the best (the hardest case measured).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from table import median_seconds, print_table

from alliance_planner import samples
from alliance_planner.domain.optimiser import Limits, optimise
from alliance_planner.store.planfile import read_plan, write_new

LIMITED = Limits(budget_per_year=60e6, max_concurrent=6, allow_early_exits=False)
"""Limits that bind: the national plan's best roadmap spends £176m in one year, 19 at once."""
TIGHT = Limits(budget_per_year=30e6, max_concurrent=4)
CASES = (("no limits", Limits(), []),
         ("£60m a year, 6 at once, no early exits", LIMITED,
          ["--budget-per-year", "60m", "--max-concurrent", "6", "--no-early-exits"]),
         ("£30m a year, 4 at once", TIGHT, ["--budget-per-year", "30m", "--max-concurrent", "4"]))


def optimiser_rows(path: Path, runs: int) -> list[tuple[str, float, float | None]]:
    """(what, median seconds, target) for the optimiser on the plan file at ``path``."""
    plan = read_plan(path)
    out = path.with_name("optimised.alliance")
    # Compiled once, as an installed program is, but outside the checkout.
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(path.with_name("pycache")))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    rows: list[tuple[str, float, float | None]] = []
    for k, (name, limits, flags) in enumerate(CASES):
        hard = k == len(CASES) - 1  # seconds a run: three runs, no warm-up
        times, warmup = (3, 0) if hard else (runs, 1)
        rows.append((f"optimise national roadmap, {name} (in process)",
                     median_seconds(lambda limits=limits: optimise(plan, limits), times, warmup),
                     None))
        command = [sys.executable, "-m", "alliance_planner", "optimise", str(path), *flags,
                   "-o", str(out), "--force"]
        rows.append(("  `optimise` end to end, the same (new process)",
                     median_seconds(lambda command=command: subprocess.run(
                         command, check=True, env=env, capture_output=True), times, warmup),
                     None))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    runs = 3 if parser.parse_args().quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national.alliance"
        write_new(path, samples.build("national"))
        rows = optimiser_rows(path, runs)
    print_table([(name, f"{seconds * 1000:.1f} ms", "" if target is None else
                  f"{target * 1000:,.0f} ms", None if target is None else seconds <= target)
                 for name, seconds, target in rows])


if __name__ == "__main__":
    main()
