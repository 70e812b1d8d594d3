"""docs/method.md's worked example: its table of figures is the engine's, to the penny."""

import re
from pathlib import Path

import pytest

from alliance_planner.domain.engine import appraise

METHOD = Path(__file__).parents[2] / "docs" / "method.md"


def documented_figures() -> dict[str, float]:
    text = METHOD.read_text(encoding="utf-8")
    block = text.split("<!-- worked-example:begin -->")[1].split("<!-- worked-example:end -->")[0]
    figures = {}
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and re.fullmatch(r"-?[\d,]+(\.\d+)?", cells[1]):
            figures[cells[0]] = float(cells[1].replace(",", ""))
    return figures


def test_the_documented_table_is_complete():
    assert set(documented_figures()) == {
        "NPV", "NPSV", "PVB", "PVC", "BCR", "payback year", "officer FTE released",
        "force A NPV", "force B NPV", "force A exit fee", "severance", "residual value"}


def test_engine_matches_the_worked_example_to_the_penny(example_plan):
    doc = documented_figures()
    r = appraise(example_plan)
    o = r.index("ONE")
    assert round(r.npv[o], 2) == doc["NPV"]
    assert round(r.npsv[o], 2) == doc["NPSV"]
    assert round(r.pv_benefits[o], 2) == doc["PVB"]
    assert round(r.pv_costs[o], 2) == doc["PVC"]
    assert round(r.bcr[o], 4) == doc["BCR"]
    assert r.years[r.payback[o]] == doc["payback year"]
    assert r.officer_fte[o, -1] == doc["officer FTE released"]
    assert round(r.force_npv[o, 0], 2) == doc["force A NPV"]
    assert round(r.force_npv[o, 1], 2) == doc["force B NPV"]
    (flag,) = r.early_exits
    assert (flag.force, round(flag.exit_cost, 2)) == ("A", doc["force A exit fee"])
    assert round(r.severance[o].sum(), 2) == doc["severance"]
    assert round(r.residual_value[o].sum(), 2) == doc["residual value"]


def test_worked_example_recomputed_by_hand(example_plan):
    """The same figures from the method's formulas in plain Python, no NumPy: each line
    of the docs' table built from the plan's inputs."""
    df = [1 / 1.035 ** t for t in range(5)]
    staff, fte_today, fte_shared = 45_000, 18, 12
    old_hq, hq_value = 50_000, 400_000
    baseline = [1_600_000 + fte_today * staff + old_hq] * 4 + [
        1_600_000 + fte_today * staff + old_hq - hq_value]
    transition = 500_000 * 1.10 * 0.5
    severance = (fte_today - fte_shared) * (1 - 0.3) * 12 / 12 * staff
    residual = 2 * transition * (1 - 4 / 5)
    option = [
        1_600_000 + fte_today * staff + transition + old_hq,
        1_100_000 + fte_shared * staff + transition + 100_000 + severance + old_hq,
        1_100_000 + fte_shared * staff + old_hq,
        1_100_000 + fte_shared * staff - hq_value,
        1_100_000 + fte_shared * staff - residual,
    ]
    npv = sum(d * (b - c) for d, b, c in zip(df, baseline, option, strict=True))
    hours = [0, 150, 300, 300, 300]
    hours_value = sum(d * h * 52 * 40 for d, h in zip(df, hours, strict=True))
    r = appraise(example_plan)
    assert r.npv[1] == pytest.approx(npv, abs=0.005)
    assert r.npsv[1] == pytest.approx(npv + hours_value, abs=0.005)
    assert r.total_cost[1].tolist() == pytest.approx(option, abs=0.005)
