"""Excel benchmarks: export the national board pack, and LibreOffice's recalculation of it
against the engine's recompute of the same plan.

Run: .venv/bin/python bench/excel.py [--quick]   (needs LibreOffice for the ratio)

LibreOffice's own time is taken as the time to open, recalculate and save the board pack
less the time to open and save a workbook of the same sheets holding values only, both in
one LibreOffice process each, so that its start-up is not counted against it.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from alliance_planner import samples
from alliance_planner.domain.engine import appraise
from alliance_planner.exchange.board_pack import export
from alliance_planner.exchange.libreoffice import convert


def median(fn, runs: int) -> float:
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    quick = "--quick" in sys.argv
    plan = samples.build("national")
    engine = median(lambda: appraise(plan), 50 if quick else 300)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pack = folder / "national.xlsx"
        exported = median(lambda: export(plan, pack), 2 if quick else 5)
        # The same sheets with every formula replaced by its recalculated value.
        recalculated, _ = convert(pack, folder / "once")
        values = load_workbook(recalculated, data_only=True)
        flat = folder / "values.xlsx"
        values.save(flat)
        runs = 1 if quick else 3
        with_formulas = statistics.median(
            convert(pack, folder / f"f{i}")[1] for i in range(runs))
        values_only = statistics.median(
            convert(flat, folder / f"v{i}")[1] for i in range(runs))
    recalc = max(with_formulas - values_only, 1e-3)
    rows = [
        ("engine: recompute the national plan", f"{engine * 1000:.2f} ms", "5 ms",
         engine <= 0.005),
        ("export the national board pack", f"{exported * 1000:.0f} ms", "2,000 ms",
         exported <= 2.0),
        ("LibreOffice: open, recalculate, save the pack", f"{with_formulas * 1000:.0f} ms",
         "", None),
        ("LibreOffice: the same sheets as values only", f"{values_only * 1000:.0f} ms", "",
         None),
        ("LibreOffice's recalculation (the difference)", f"{recalc * 1000:.0f} ms", "", None),
        ("ratio: LibreOffice recalculation / engine", f"{recalc / engine:,.0f}x", "100x",
         recalc / engine >= 100),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'median':>10}  {'target':>9}")
    for name, value, target, ok in rows:
        mark = "" if ok is None else ("ok" if ok else "MISSED")
        print(f"{name:<{width}}  {value:>10}  {target:>9}  {mark}")


if __name__ == "__main__":
    main()
