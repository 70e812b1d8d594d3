"""Benchmarks against the design's figures. Run: .venv/bin/python bench/run.py [--quick]

Prints one table of medians (and the target each is held to). Timings live here, never in
the tests: a test that asserts a time fails on a busy machine and proves nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from optimise import optimiser_rows
from table import median_seconds, print_table

from alliance_planner import samples
from alliance_planner.domain.engine import appraise, compile_plan, evaluate_lines, forget, results
from alliance_planner.domain.model import Plan
from alliance_planner.domain.risk import simulate
from alliance_planner.domain.sensitivity import sensitivity
from alliance_planner.domain.tables import read
from alliance_planner.domain.validation import ensure_valid, validate
from alliance_planner.store.planfile import PlanFile, read_plan, write_new


def edits(plan: Plan, count: int) -> list[Plan]:
    """`count` plans, each one edit from the one before, as the window makes them: a
    decision's go-live year, an estate item's running cost, a force's officers, in turn."""
    chain = [plan]
    option = next(o for o, opt in enumerate(plan.options) if opt.decisions)
    for i in range(count - 1):
        p = chain[-1]
        if i % 3 == 0:
            d = p.options[option].decisions[0]
            moved = dataclasses.replace(d, go_live_year=plan.base_year + 1 + i % 2)
            options = list(p.options)
            options[option] = dataclasses.replace(
                options[option], decisions=(moved, *options[option].decisions[1:]))
            p = p.replace(options=tuple(options))
        elif i % 3 == 1:
            k = (i * 7) % len(p.estate)
            item = dataclasses.replace(p.estate[k], annual_running_cost=100_000.0 + i)
            p = p.replace(estate=(*p.estate[:k], item, *p.estate[k + 1:]))
        else:
            k = i % len(p.forces)
            force = dataclasses.replace(p.forces[k], officers=p.forces[k].officers + 1)
            p = p.replace(forces=(*p.forces[:k], force, *p.forces[k + 1:]))
        chain.append(p)
    return chain


def _spread(plans: list[Plan], warmup: int, seconds: float) -> Iterator[tuple[Plan, bool]]:
    """The plans in turn, again and again from the first, until ``seconds`` have passed
    and each has had its turn: with whether each run counts (after the warm-up).

    A shared machine's speed moves in phases: on the one these figures were first taken
    on, a plain loop of Python ran 1.7x slower for up to a second or two at a time, in
    about one run of six. Runs spread over seconds give the median of the machine as it
    mostly is; a few hundred runs in a third of a second give whichever phase they fell
    in."""
    end = time.perf_counter() + seconds
    run = 0
    while run < len(plans) or time.perf_counter() < end:
        yield plans[run % len(plans)], run >= warmup
        run += 1


def median_over(plans: list[Plan], step: Callable[[Plan], object], warmup: int,
                seconds: float) -> float:
    """The median seconds of `step` on each plan in turn, over ``seconds`` at least."""
    times = []
    for p, counts in _spread(plans, warmup, seconds):
        start = time.perf_counter()
        step(p)
        if counts:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_time(plan: Plan) -> None:
    """A recompute of a plan nothing was read from before: what was kept is dropped."""
    forget()
    appraise(plan)


def recompute_parts(plans: list[Plan], warmup: int, seconds: float) -> list[tuple[str, float]]:
    """The median of each step of a recompute of each plan in turn, each timed within the
    same runs, as ``appraise`` runs them: so that the parts add up to about the whole."""
    steps: list[tuple[str, list[float]]] = [
        ("read the plan's fields, once for both", []), ("validate", []),
        ("compile to arrays", []), ("evaluate arrays", []), ("results", [])]
    for plan, counts in _spread(plans, warmup, seconds):
        clock = [time.perf_counter()]
        tables = read(plan)
        clock.append(time.perf_counter())
        ensure_valid(plan, tables)
        clock.append(time.perf_counter())
        x = compile_plan(plan, validate=False, tables=tables)
        clock.append(time.perf_counter())
        lines = evaluate_lines(x)
        clock.append(time.perf_counter())
        results(plan, x, lines)
        clock.append(time.perf_counter())
        if counts:
            for (_, times), start, end in zip(steps, clock[:-1], clock[1:], strict=True):
                times.append(end - start)
    return [(name, statistics.median(times)) for name, times in steps]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    many, few = (50, 3) if args.quick else (300, 7)
    spread = 2.0 if args.quick else 6.0  # seconds each recompute figure is measured over

    plan = samples.build("national")
    rows: list[tuple[str, float, float | None]] = []
    warm = max(2, many // 10)  # the interpreter's and the allocator's first runs are slower
    chain = edits(plan, many + warm)
    rows.append(("recompute national plan after an edit (validate + appraise), as the window",
                 median_over(chain, appraise, warm, spread), 0.001))
    rows += [(f"  of which: {name}", seconds, None)
             for name, seconds in recompute_parts(chain, warm, spread)]
    rows.append(("recompute national plan read afresh (nothing kept from before)",
                 median_seconds(lambda: first_time(plan), many, warm), None))
    rows.append(("validate alone, as an edit or import does",
                 median_seconds(lambda: validate(plan), many), None))
    rows.append(("risk: 10,000 draws of the national plan (in process, from the plan)",
                 median_seconds(lambda: simulate(plan, 10_000, seed=1), few), 0.5))
    rows.append(("sensitivity: tornadoes and switching values (national)",
                 median_seconds(lambda: sensitivity(plan), few), None))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "national.alliance"
        counter = iter(range(10**6))
        rows.append(("write a new national plan file",
                     median_seconds(lambda: write_new(Path(tmp) / f"n{next(counter)}.alliance",
                                                      plan), few), None))
        write_new(path, plan)
        rows.append(("open a plan file (national, read)",
                     median_seconds(lambda: read_plan(path), few * 3), 0.2))

        def open_for_editing() -> None:
            with PlanFile.open(path) as f:
                f.load()

        rows.append(("open a plan file for editing (national)",
                     median_seconds(open_for_editing, few * 3), 0.2))
        with PlanFile.open(path) as f:
            rows.append(("save an edit (whole national plan, one transaction)",
                         median_seconds(lambda: f.save(plan), few * 3), None))
        command = [sys.executable, "-m", "alliance_planner", "summary", str(path), "--json"]
        # Compiled once, as an installed program is, but outside the checkout.
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(Path(tmp) / "pycache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        rows.append(("`summary --json` end to end (national, new process)",
                     median_seconds(lambda: subprocess.run(command, check=True, env=env,
                                                           capture_output=True), few, 1), 0.3))
        rows += optimiser_rows(path, few)
        from alliance_planner.exchange.report import write_report

        write_report(plan, Path(tmp) / "warm.pdf")  # matplotlib loaded, as in the window
        rows.append(("File › Export Summary: the one-page PDF (national, in the window's process)",
                     median_seconds(lambda: write_report(plan, Path(tmp) / "summary.pdf"),
                                    few), 1.0))
        command = [sys.executable, "-m", "alliance_planner", "report", str(path), "-o",
                   str(Path(tmp) / "summary.pdf")]
        rows.append(("`report`: the one-page PDF summary end to end (national, new process)",
                     median_seconds(lambda: subprocess.run(command, check=True, env=env,
                                                           capture_output=True), few, 1), 1.0))
        command = [sys.executable, "-m", "alliance_planner", "risk", str(path), "--json"]
        rows.append(("`risk --json` 10,000 draws end to end (national, new process)",
                     median_seconds(lambda: subprocess.run(command, check=True, env=env,
                                                           capture_output=True), few, 1), None))

    print_table([(name, f"{seconds * 1000:.2f} ms",
                  "" if target is None else f"{target * 1000:,.0f} ms",
                  None if target is None else seconds <= target)
                 for name, seconds, target in rows])


if __name__ == "__main__":
    main()
