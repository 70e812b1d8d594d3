"""Excel benchmarks: export the national board pack, and LibreOffice's recalculation of it
against the engine's recompute of the same plan.

Run: .venv/bin/python bench/excel.py [--quick]   (needs LibreOffice for the ratio)

Two LibreOffice figures: its own recalculation of the loaded pack (`calculateAll()` through
UNO, bench/lo_recalc.py, run with the system Python that has Debian's python3-uno), and the
whole open-recalculate-save a board member waits for (`soffice --convert-to`).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from table import print_table

from alliance_planner import samples
from alliance_planner.domain.engine import appraise
from alliance_planner.exchange import risk_sheet
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


def uno_recalc(pack: Path, runs: int) -> float | None:
    script = Path(__file__).with_name("lo_recalc.py")
    try:
        done = subprocess.run(["/usr/bin/python3", str(script), str(pack), str(runs)],
                              capture_output=True, text=True, timeout=300, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return float(done.stdout.strip())


def main() -> None:
    quick = "--quick" in sys.argv
    plan = samples.build("national")
    engine = median(lambda: appraise(plan), 50 if quick else 300)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pack = folder / "national.xlsx"
        exported = median(lambda: export(plan, pack), 2 if quick else 5)
        sheet = median(lambda: risk_sheet.figures(plan), 2 if quick else 5)
        runs = 1 if quick else 3
        whole = statistics.median(convert(pack, folder / f"f{i}")[1] for i in range(runs))
        calc = uno_recalc(pack, 3 if quick else 7)
    rows = [
        ("engine: recompute the national plan", f"{engine * 1000:.2f} ms", "5 ms",
         engine <= 0.005),
        ("export the national board pack", f"{exported * 1000:.0f} ms", "1,000 ms",
         exported <= 1.0),
        ("  of which the Sensitivity and risk sheet's figures (10,000 draws)",
         f"{sheet * 1000:.0f} ms", "", None),
        ("LibreOffice: open, recalculate and save the pack", f"{whole * 1000:.0f} ms", "",
         None),
        ("  ratio to the engine", f"{whole / engine:,.0f}x", "100x", whole / engine >= 100),
    ]
    if calc is not None:
        rows += [
            ("LibreOffice: calculateAll() on the loaded pack", f"{calc * 1000:.1f} ms", "",
             None),
            ("  ratio to the engine", f"{calc / engine:,.1f}x", "100x", calc / engine >= 100),
        ]
    else:
        rows.append(("LibreOffice: calculateAll() (needs /usr/bin/python3 with uno)",
                     "n/a", "", None))
    print_table(rows)


if __name__ == "__main__":
    main()
