"""The one way the benchmark scripts print their results."""

from __future__ import annotations


def print_table(rows: list[tuple[str, str, str, bool | None]]) -> None:
    """Rows of (what, median, target, met); met None where there is no target."""
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'median':>10}  {'target':>9}")
    for name, value, target, ok in rows:
        mark = "" if ok is None else ("ok" if ok else "MISSED")
        print(f"{name:<{width}}  {value:>10}  {target:>9}  {mark}")
