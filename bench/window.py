"""Window benchmarks: cold start, peak memory, edit-to-refresh on the national plan.

Run: .venv/bin/python bench/window.py   (offscreen; no display needed)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from table import print_table

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def cold_start(plan: Path, home: Path, runs: int) -> tuple[float, float, float, float]:
    """Median seconds to a usable window and to drawn charts, wall time, peak MB."""
    env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
               XDG_DATA_HOME=str(home / "data"))
    ready, charts, wall, peak = [], [], [], []
    for _ in range(runs):
        begin = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "alliance_planner", str(plan),
                                  "--exit-when-ready"], stdout=subprocess.PIPE, text=True,
                                 env=env)
        out = child.stdout.read() if child.stdout else ""
        _, status, usage = os.wait4(child.pid, 0)
        wall.append(time.perf_counter() - begin)
        child.returncode = status
        lines = dict(line.split(" in ") for line in out.strip().splitlines())
        ready.append(float(lines["ready"].split()[0]))
        charts.append(float(lines["charts"].split()[0]))
        peak.append(usage.ru_maxrss / 1024)  # KiB on Linux
    return (statistics.median(ready), statistics.median(charts), statistics.median(wall),
            max(peak))


def edit_to_refresh(plan_path: Path, edits: int) -> tuple[float, float]:
    """Median seconds from typing a value to tables updated, and to charts redrawn."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from alliance_planner.ui.app import application
    from alliance_planner.ui.chart_widget import ChartWidget
    from alliance_planner.ui.document import PlanDocument
    from alliance_planner.ui.main_window import PAGES, MainWindow

    app = application()
    store = QSettings(str(plan_path.with_suffix(".ini")), QSettings.Format.IniFormat)
    window = MainWindow(PlanDocument.open(plan_path), store)
    window.show()
    window.show_page(PAGES.index("Today's estate"))  # where a person makes this edit
    compare = window.pages["Compare"]
    compare.chart.make_canvas()
    app.processEvents()
    estate = window.pages["Today's estate"].model
    column = [c.attr for c in estate.columns].index("annual_running_cost")
    tables, charts = [], []
    for i in range(edits):
        index = estate.index(i % estate.rowCount(), column)
        begin = time.perf_counter()
        estate.setData(index, str(100_000 + i))
        QApplication.processEvents()  # every model has been told and repainted
        tables.append(time.perf_counter() - begin)
        ChartWidget.redraw_now(compare.chart)
        charts.append(time.perf_counter() - begin)
    window.show_page(PAGES.index("Compare"))
    window.close()
    return statistics.median(tables), statistics.median(charts)


def main() -> None:
    from alliance_planner import samples
    from alliance_planner.store.planfile import write_new

    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        sample = folder / "south-west.alliance"
        national = folder / "national.alliance"
        write_new(sample, samples.build(samples.DEFAULT))
        write_new(national, samples.build("national"))
        ready, charts, wall, peak = cold_start(sample, folder, 3 if quick else 7)
        table, chart = edit_to_refresh(national, 5 if quick else 15)
    rows = [
        ("cold start to a usable window (sample plan)", f"{ready * 1000:.0f} ms", "1,500 ms",
         ready <= 1.5),
        ("  ... and its charts drawn", f"{charts * 1000:.0f} ms", "", None),
        ("  process wall time, start to exit", f"{wall * 1000:.0f} ms", "", None),
        ("peak memory (charts loaded)", f"{peak:.0f} MB", "250 MB", peak <= 250),
        ("edit a cell -> tables updated (national)", f"{table * 1000:.1f} ms", "100 ms",
         table <= 0.1),
        ("edit a cell -> tables and charts updated (national)", f"{chart * 1000:.1f} ms",
         "100 ms", chart <= 0.1),
    ]
    print_table(rows)


if __name__ == "__main__":
    main()
