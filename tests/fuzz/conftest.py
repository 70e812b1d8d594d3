"""The fuzz tests' counts, printed at the end of the session: each test module that fuzzes
keeps a ``FUZZ_RUN`` dict of what it ran and how each case ended."""

from __future__ import annotations

import sys


def pytest_terminal_summary(terminalreporter) -> None:
    for name, module in sorted(sys.modules.items()):
        run = getattr(module, "FUZZ_RUN", None)
        if isinstance(run, dict) and run.get("cases"):
            what = getattr(module, "FUZZ_WHAT", name)
            terminalreporter.write_line(
                f"{what}: " + ", ".join(f"{v:,} {k}" for k, v in run.items()))
