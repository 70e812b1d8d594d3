"""The one-page board summary, as a PDF: what a board member reads before the pack.

A4 landscape, drawn by matplotlib (already here for the charts, so the savings chart is the
window's own): the recommendation and why, the options side by side, the savings against
the target, each force's share of the recommended option, what moves the answer most
(tornado and switching value) and how sure it is (P10 to P90 of NPSV from the Monte Carlo
run), with the plan's protective marking at the top and the foot.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

from ..domain.engine import Results, appraise
from ..domain.headlines import recommended
from ..domain.model import Plan, financial_year_label
from ..domain.progress import IsCancelled, never
from ..domain.risk import DEFAULT_CORRELATION, DEFAULT_SEED, simulate
from ..domain.sensitivity import sensitivity
from ..domain.summary import money
from ..domain.uncertainty import linearise
from ..messages import escaped

A4_LANDSCAPE = (11.69, 8.27)
RUNS = 2_000
"""Draws behind the summary's P10 and P90: enough for two figures to the £0.1m."""
FORCES_SHOWN = 12


def build_figure(plan: Plan, *, version: str = "", runs: int = RUNS,
                 seed: int = DEFAULT_SEED, cancelled: IsCancelled = never) -> Any:
    """The page as a matplotlib Figure (no pyplot: nothing global, safe off the GUI
    thread)."""
    from matplotlib.figure import Figure

    from .. import charts

    r = appraise(plan)
    lin = linearise(plan)
    sens = sensitivity(plan, linear=lin, cancelled=cancelled)
    sim = simulate(plan, runs, seed, correlation=DEFAULT_CORRELATION, linear=lin,
                   cancelled=cancelled)
    p10, _, p90 = sim.percentiles(sim.npsv)
    best = recommended([o.role for o in plan.options], r.npsv.tolist(), r.baseline)
    option = plan.options[best]

    fig = Figure(figsize=A4_LANDSCAPE)
    marking = plan.marking
    fig.text(0.5, 0.985, marking, ha="center", va="top", fontsize=9, weight="bold")
    fig.text(0.04, 0.955, _clip(plan.name, 90), fontsize=16, weight="bold", va="top")
    fig.text(0.04, 0.918, _clip(
        f"{plan.alliance + ' · ' if plan.alliance else ''}{len(plan.forces)} forces, "
        f"{len(plan.services)} services, {len(plan.options)} options · "
        f"{plan.horizon_years} years from {financial_year_label(plan.base_year)}, "
        f"discount rate {plan.discount_rate:.1%} real (HM Treasury Green Book)", 160),
        fontsize=9, va="top", color="#404040")

    # The recommendation and why
    npv, npsv = float(r.npv[best]), float(r.npsv[best])
    payback = int(r.payback[best])
    one_off = float(r.transition[best].sum() + r.exit[best].sum() + r.severance[best].sum()
                    + r.closure_costs[best].sum())
    highest = "the highest of the options" if best == int(r.npsv.argmax()) \
        else "not the highest NPSV: see the options"
    paid_back = financial_year_label(int(r.years[payback])) if payback >= 0 \
        else "not within the period"
    reasons = [
        f"NPSV {money(npsv)} (NPV {money(npv)} cashable), {highest}",
        f"one-off cost {money(one_off)}; payback {paid_back}",
        f"support staff {float(r.support_fte[best, -1]):,.1f} FTE in the final year "
        f"(today {float(r.support_fte[r.baseline, 0]):,.1f}); "
        f"{float(r.officer_fte[best, -1]):,.1f} officer FTE released",
        f"{sim.p_npv_positive[best]:.0%} chance of a positive NPV; NPSV {money(p10[best])} "
        f"to {money(p90[best])} (P10 to P90, {runs:,} draws)",
    ]
    if plan.savings_target is not None:
        met = bool(r.target_met[best])
        reasons.append(f"savings target {money(plan.savings_target)} within "
                       f"{plan.savings_target_years} years: {'met' if met else 'NOT met'}")
    fig.text(0.04, 0.875, _clip(f"Recommended: {option.name}", 95), fontsize=13,
             weight="bold", va="top", color=charts.option_colour(best))
    for i, line in enumerate(reasons):
        fig.text(0.05, 0.84 - 0.027 * i, "• " + _clip(line, 120), fontsize=9.5, va="top")

    # The options side by side
    table_ax = fig.add_axes((0.04, 0.50, 0.58, 0.19))
    table_ax.axis("off")
    table_ax.set_title("The options", loc="left", fontsize=10, weight="bold")
    header = ["Option", "NPV", "NPSV", "NPSV P10–P90", "BCR", "Payback", "One-off"]
    rows = []
    for o, opt in enumerate(plan.options):
        if o == r.baseline:
            continue
        bcr = float(r.bcr[o])
        pay = int(r.payback[o])
        rows.append([
            _clip(opt.name, 32) + (" ★" if o == best else ""), money(float(r.npv[o])),
            money(float(r.npsv[o])), f"{money(p10[o])} – {money(p90[o])}",
            "–" if math.isnan(bcr) else f"{bcr:.2f}",
            financial_year_label(int(r.years[pay])) if pay >= 0 else "none",
            money(float(r.transition[o].sum() + r.exit[o].sum() + r.severance[o].sum()
                        + r.closure_costs[o].sum()))])
    if rows:
        table = table_ax.table(cellText=rows, colLabels=header, loc="upper left",
                               cellLoc="right", colLoc="right",
                               colWidths=_widths([header, *rows]))
        table.auto_set_font_size(False)
        table.set_fontsize(7.5)
        for (row, col), cell in table.get_celld().items():
            cell.set_edgecolor("#c8c8c8")
            if col == 0:
                cell.set_text_props(ha="left")
            # The headings, and the recommended option's name: its figures stay in the
            # regular weight, which fits their columns
            if row == 0 or (col == 0 and rows[row - 1][0].endswith("★")):
                cell.set_text_props(weight="bold")

    # The savings against the target
    savings_ax = fig.add_axes((0.68, 0.50, 0.29, 0.33))
    charts.cumulative_savings(savings_ax, plan, r)
    savings_ax.legend(fontsize=6.5, loc="upper left", frameon=False)

    # Each force's share of the recommended option
    _force_table(fig, plan, r, best)

    # What moves the answer
    _sensitivity_text(fig, plan, sens, best)

    stamp = date.today().strftime("%-d %B %Y")
    fig.text(0.04, 0.02, _clip(f"{marking} · {plan.name}" + (f" · version: {version}"
                                                             if version else "")
                               + f" · printed {stamp} · Alliance Planner", 160),
             fontsize=7.5, color="#404040")
    fig.text(0.96, 0.02, "page 1 of 1", fontsize=7.5, ha="right", color="#404040")
    return fig


def _force_table(fig: Any, plan: Plan, r: Results, best: int) -> None:
    ax = fig.add_axes((0.04, 0.08, 0.44, 0.34))
    ax.axis("off")
    ax.set_title(f"Each force's share of {_clip(plan.options[best].name, 50)}", loc="left",
                 fontsize=10, weight="bold")
    order = sorted(range(len(plan.forces)), key=lambda f: -float(r.force_npv[best, f]))
    shown = order[:FORCES_SHOWN]
    rows = [[_clip(plan.forces[f].name, 30), f"{float(r.weights[f]):.1%}",
             money(float(r.force_npv[best, f])), money(float(r.force_one_off[best, f])),
             f"{float(r.by_force['support_fte'][best, f, -1]):,.1f}"] for f in shown]
    if len(order) > len(shown):
        rows.append([f"and {len(order) - len(shown)} more forces", "", "", "", ""])
    header = ["Force", "Share", "NPV", "One-off", "Staff (end)"]
    table = ax.table(cellText=rows, colLabels=header, loc="upper left", cellLoc="right",
                     colLoc="right", colWidths=_widths([header, *rows]))
    table.auto_set_font_size(False)
    table.set_fontsize(7.5)
    for (row, col), cell in table.get_celld().items():
        cell.set_edgecolor("#c8c8c8")
        if col == 0:
            cell.set_text_props(ha="left")
        if row == 0:
            cell.set_text_props(weight="bold")


def _sensitivity_text(fig: Any, plan: Plan, sens: Any, best: int) -> None:
    code = plan.options[best].code
    bars = sens.tornado.get(code, ())[:4]
    lines: list[tuple[bool, str]] = [
        (True, "What moves the answer most (its NPSV, each input at the ends of its range)")]
    lines += [(False, f"{_clip(b.label, 62)}: {money(b.npsv_low)} to {money(b.npsv_high)}")
              for b in bars] or [(False, "no ranged input moves it")]
    near = [w for w in sens.switching if w.value is not None][:2]
    if near:
        lines.append((True, "Switching values (where the choice changes), nearest first"))
        lines += [(False, f"{_clip(w.label, 48)}: {w.text}"
                   + (f", level with {w.against}" if w.against else ", NPSV zero"))
                  for w in near]
    else:
        lines.append((True, "No input within reach of its limits changes the choice."))
    y = 0.43
    for heading, line in lines:
        y -= 0.006 if heading and y < 0.43 else 0.0
        fig.text(0.52 if heading else 0.535, y, _clip(line, 92), fontsize=8.5, va="top",
                 weight="bold" if heading else "normal")
        y -= 0.028


def _widths(rows: list[list[str]]) -> list[float]:
    """Each column's share of a table's width, by its longest text (and a cell's padding):
    a long figure, such as a P10 to P90 range, gets the room it needs rather than running
    into the next cell. The first column, names, also gets room for a name set in bold
    (the recommended option's, with its star)."""
    longest = [max(len(row[c]) for row in rows) + 4 for c in range(len(rows[0]))]
    longest[0] *= 1.08
    return [n / sum(longest) for n in longest]


def _clip(text: str, limit: int) -> str:
    """One line of at most ``limit`` characters; what a person typed stays text."""
    text = escaped(" ".join(str(text).split()))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def write_report(plan: Plan, path: str | Path, *, version: str = "", runs: int = RUNS,
                 seed: int = DEFAULT_SEED, cancelled: IsCancelled = never) -> Path:
    """Write the one-page summary; the file appears only when complete."""
    import os
    import tempfile

    target = Path(path)
    fig = build_figure(plan, version=version, runs=runs, seed=seed, cancelled=cancelled)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".pdf",
                               dir=target.parent if str(target.parent) else ".")
    os.close(fd)
    try:
        fig.savefig(tmp, format="pdf", metadata={"Title": f"{plan.name}: board summary",
                                                 "Subject": "Board summary"})
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
