"""The worst workbook the limits let through, imported at the real limits by the real
program: 50,001 rows of values on the Estate sheet, each read and converted before the
row limit stops it. It is refused in one line, within seconds, in a fixed memory budget;
the figures are printed for docs/reliability.md.

(Bigger bombs are refused before any of their sheet is read: tests/unit/
test_hostile_workbooks.py; ``python tests/hostile.py DIR`` builds them at full size and
times them.)
"""

from __future__ import annotations

import hostile
import pytest

from alliance_planner.exchange.xlsx import LIMITS

pytestmark = pytest.mark.slow


def test_the_longest_sheet_allowed_is_refused_within_seconds_and_memory(tmp_path):
    built = hostile.build_worst_within_limits(tmp_path, only=("rows-limit",))
    result = hostile.measure(built["rows-limit"], timeout=120)
    print(f"\nworst workbook within the limits: {result}")
    assert result["exit"] == 1 and result["stderr_lines"] == 1
    assert f"has values in row {LIMITS.rows + 2:,}" in result["first"]
    assert not result["plan_written"]
    assert result["seconds"] < 60  # about 6 s on the 2-core machine, 10 s when busy
    assert result["peak_mb"] < 400  # about 100 MB
