"""The one way the benchmark scripts time and print their results."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def print_table(rows: list[tuple[str, str, str, bool | None]]) -> None:
    """Rows of (what, median, target, met); met None where there is no target."""
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'median':>10}  {'target':>9}")
    for name, value, target, ok in rows:
        mark = "" if ok is None else ("ok" if ok else "MISSED")
        print(f"{name:<{width}}  {value:>10}  {target:>9}  {mark}")


def median_seconds(fn: Callable[[], object], repeat: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)
