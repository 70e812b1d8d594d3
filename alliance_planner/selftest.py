"""``alliance-planner self-test``: proof on the machine it is installed on that the program
works end to end, for an IT department that deploys it, and for the build that freezes it.

Each check prints one line (``ok`` or ``FAILED`` with its name and why); every check runs
even after one fails, and the command exits 0 only if all passed. It works in a temporary
folder and leaves the user's plans and settings alone. The window is driven with no
display (Qt's offscreen platform), so a server or a build machine can run it too.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from . import __version__, paths

WindowCheck = Callable[[Path, Path], str]
"""Drives the window on a plan file (with its settings in a folder); returns what it did."""

PACK_RUNS = 500
"""Monte Carlo draws on the board pack's risk sheet: enough to fill it, quick to run."""


@dataclass
class SelfTest:
    out: TextIO
    failed: list[str] = field(default_factory=list)
    passed: int = 0

    def check(self, name: str, run: Callable[[], str]) -> bool:
        """Run one check; print what it found, or why it failed."""
        start = time.perf_counter()
        try:
            found = run()
        except Exception as exc:  # a self-test reports every failure and carries on
            self.failed.append(name)
            print(f"FAILED {name}: {type(exc).__name__}: {exc}", file=self.out, flush=True)
            return False
        self.passed += 1
        print(f"ok     {name}: {found} ({time.perf_counter() - start:.1f} s)", file=self.out,
              flush=True)
        return True


def run(window: WindowCheck | None, out: TextIO | None = None) -> int:
    """Every check in a temporary folder, printed to `out` (stdout); 0 if all passed, 1 if
    any failed."""
    out = out if out is not None else sys.stdout
    test = SelfTest(out)
    print(f"alliance-planner {__version__} self-test ({_how_installed()})", file=out,
          flush=True)
    with tempfile.TemporaryDirectory(prefix="alliance-planner-self-test-") as folder:
        work = Path(folder)
        state: dict[str, Any] = {}
        test.check("shipped files", _shipped_files)
        if test.check("sample plan", lambda: _sample_plan(work, state)):
            test.check("recompute every option", lambda: _recompute(state))
            if window is not None:
                test.check("window", lambda: window(state["path"], work / "settings"))
            test.check("board pack", lambda: _board_pack(work, state))
            test.check("data-collection template", lambda: _template(work, state))
            test.check("board summary PDF", lambda: _summary_pdf(work, state))
    if test.failed:
        print(f"self-test FAILED: {', '.join(test.failed)}", file=out, flush=True)
        return 1
    print(f"self-test passed: {test.passed} checks", file=out, flush=True)
    return 0


def cannot_load_window(error: Exception) -> WindowCheck:
    """The window check when Qt itself would not load: it fails, saying why, and the other
    checks still run."""
    def check(plan_path: Path, settings_folder: Path) -> str:
        raise RuntimeError(f"Qt could not be loaded ({type(error).__name__}: {error}); "
                           "the rest can be checked with self-test --no-window")
    return check


def _how_installed() -> str:
    if getattr(sys, "frozen", False):
        return f"packaged, in {Path(sys.executable).parent}"
    return f"Python {sys.version.split()[0]}, from {paths.PACKAGE}"


def _shipped_files() -> str:
    method = paths.method()
    text = method.read_text(encoding="utf-8")
    if not text.startswith("# The appraisal method"):
        raise ValueError(f"{method}: does not start with the method's title")
    icons = paths.icon_files()
    for name in ("alliance-planner.desktop", "alliance-planner.ico", "alliance-planner.icns"):
        paths.resource(name)
    from .samples.common import england_and_wales

    forces = england_and_wales()
    if len(forces) != 43:
        raise ValueError(f"{len(forces)} forces in the sample data, not 43")
    return f"the method ({len(text):,} characters), {len(icons)} icon sizes, 43 forces"


def _sample_plan(work: Path, state: dict[str, Any]) -> str:
    from . import samples
    from .store.planfile import read_plan, write_new

    path = work / f"{samples.DEFAULT}.alliance"
    write_new(path, samples.build(samples.DEFAULT))
    plan = read_plan(path)
    state.update(path=path, plan=plan)
    return f"{plan.name}: {len(plan.forces)} forces, {len(plan.options)} options, written " \
           "and read back"


def _recompute(state: dict[str, Any]) -> str:
    import math

    from .domain.engine import appraise

    plan = state["plan"]
    results = appraise(plan)
    state["results"] = results
    npvs = [float(v) for v in results.npv]
    if len(npvs) != len(plan.options) or not all(math.isfinite(v) for v in npvs):
        raise ValueError(f"NPVs {npvs} for {len(plan.options)} options")
    best = max(range(len(npvs)), key=npvs.__getitem__)
    return f"{len(npvs)} options, the best NPV {results.option_codes[best]} " \
           f"£{npvs[best] / 1e6:,.2f}m"


def _board_pack(work: Path, state: dict[str, Any]) -> str:
    from openpyxl import load_workbook

    from .exchange.board_pack import export

    path = work / "board-pack.xlsx"
    export(state["plan"], path, state["results"], runs=PACK_RUNS)
    book = load_workbook(path)
    try:
        sheets = book.sheetnames
        if "Summary" not in sheets:
            raise ValueError(f"no Summary sheet among {sheets}")
        formulas = sum(1 for row in book["Summary"].iter_rows() for cell in row
                       if isinstance(cell.value, str) and cell.value.startswith("="))
    finally:
        book.close()
    if formulas == 0:
        raise ValueError("the Summary sheet has no formulas")
    return f"{len(sheets)} sheets, {formulas} formulas on the Summary, read back with openpyxl"


def _template(work: Path, state: dict[str, Any]) -> str:
    from .exchange.inputs import read_workbook
    from .exchange.template import write_template

    plan = state["plan"]
    path = work / "template.xlsx"
    write_template(path, plan)
    back = read_workbook(path).plan
    if [f.code for f in back.forces] != [f.code for f in plan.forces] \
            or len(back.estate) != len(plan.estate):
        raise ValueError(f"imported {len(back.forces)} forces and {len(back.estate)} estate "
                         f"items, not {len(plan.forces)} and {len(plan.estate)}")
    return f"written and imported: {len(back.forces)} forces, {len(back.estate)} estate items"


def _summary_pdf(work: Path, state: dict[str, Any]) -> str:
    from .exchange.report import write_report

    path = work / "summary.pdf"
    write_report(state["plan"], path, runs=PACK_RUNS)
    data = path.read_bytes()
    if not data.startswith(b"%PDF"):
        raise ValueError(f"{path} is not a PDF")
    return f"{len(data) / 1024:,.0f} KiB"
