"""Sensitivity and risk as plain data and text: for the command line, the board pack and
the window alike, so that each says the same."""

from __future__ import annotations

import math
from typing import Any

from .model import Plan
from .risk import PERCENTILES, Simulation
from .sensitivity import TOP, Sensitivity
from .summary import money


def _number(value: float) -> float | None:
    """JSON has no NaN: a figure that does not exist is null."""
    return None if math.isnan(value) else float(value)


def sensitivity_json(plan: Plan, s: Sensitivity) -> dict[str, Any]:
    names = {o.code: o.name for o in plan.options}
    return {
        "plan": plan.name,
        "preferred": s.option_codes[s.preferred],
        "next_best": None if s.next_best is None else s.option_codes[s.next_best],
        "npsv": dict(zip(s.option_codes, s.npsv.tolist(), strict=True)),
        "tornado": {
            code: {"name": names[code], "bars": [
                {"input": b.label, "key": b.key, "low": _number(b.low), "high": _number(b.high),
                 "unit": b.unit, "npsv_low": b.npsv_low, "npsv_high": b.npsv_high,
                 "swing": b.swing}
                for b in bars]}
            for code, bars in s.tornado.items()},
        "switching_values": [
            {"input": w.label, "key": w.key, "against": w.against or None,
             "test": f"level with {w.against}" if w.against else "NPSV zero",
             "current": w.current, "switching_value": w.value, "unit": w.unit,
             "searched": list(w.limits), "text": w.text}
            for w in s.switching],
    }


def sensitivity_text(plan: Plan, s: Sensitivity) -> str:
    names = {o.code: o.name for o in plan.options}
    p = s.option_codes[s.preferred]
    lines = [f"{plan.name}: sensitivity of each option's NPSV (net present social value)",
             f"Preferred option: {names[p]} ({p}), NPSV {money(s.npsv[s.preferred])}"]
    for code, bars in s.tornado.items():
        lines += ["", f"{names[code]} ({code}): NPSV {money(s.npsv[s.option_codes.index(code)])}"
                  " with each input at the low and high ends of its range"]
        if not bars:
            lines.append("  no ranged input moves it")
        for b in bars[:TOP]:
            ends = "" if b.unit == "range" else \
                f" [{_value(b.low, b.unit)} .. {_value(b.high, b.unit)}]"
            lines.append(f"  {b.label[:60]:<60}{ends:>18} {money(b.npsv_low):>11} "
                         f"{money(b.npsv_high):>11}")
        if len(bars) > TOP:
            lines.append(f"  and {len(bars) - TOP} smaller (see --json)")
    lines += ["", f"Switching values for {names[p]} ({p}), nearest first:"]
    for w in s.switching:
        test = f"level with {w.against}" if w.against else "NPSV zero"
        lines.append(f"  {w.label[:60]:<60} {test:<16} {w.text}")
    return "\n".join(lines)


def _value(value: float, unit: str) -> str:
    return f"{value:.0%}" if unit == "%" else f"{value:.2f}×"


def risk_json(plan: Plan, sim: Simulation) -> dict[str, Any]:
    names = {o.code: o.name for o in plan.options}
    npv, npsv = sim.percentiles(sim.npv), sim.percentiles(sim.npsv)
    f_npv, f_npsv = sim.percentiles(sim.force_npv), sim.percentiles(sim.force_npsv)
    p_names = [f"p{p}" for p in PERCENTILES]
    options = []
    for o, code in enumerate(sim.option_codes):
        options.append({
            "code": code,
            "name": names[code],
            "is_baseline": o == sim.baseline,
            "is_preferred": o == sim.preferred,
            "central_npv": float(sim.central_npv[o]),
            "central_npsv": float(sim.central_npsv[o]),
            "npv": dict(zip(p_names, npv[:, o].tolist(), strict=True))
            | {"mean": float(sim.npv[:, o].mean())},
            "npsv": dict(zip(p_names, npsv[:, o].tolist(), strict=True))
            | {"mean": float(sim.npsv[:, o].mean())},
            "p_npv_positive": float(sim.p_npv_positive[o]),
            "p_savings_target_met": None if sim.target_met is None
            else float(sim.target_met[o]),
            "p_preferred_beats": None if o == sim.preferred else float(sim.p_beats[o]),
            "forces": {
                force: {"npv": dict(zip(p_names, f_npv[:, o, f].tolist(), strict=True)),
                        "npsv": dict(zip(p_names, f_npsv[:, o, f].tolist(), strict=True))}
                for f, force in enumerate(sim.force_codes)},
        })
    return {
        "plan": plan.name,
        "runs": sim.runs,
        "seed": sim.seed,
        "rank_correlation_within_platform": sim.correlation,
        "sampling": "Latin hypercube, triangular low / likely / high",
        "ranged_inputs": len(sim.inputs),
        "note": sim.note or None,
        "preferred": sim.option_codes[sim.preferred],
        "options": options,
    }


def risk_text(plan: Plan, sim: Simulation) -> str:
    doc = risk_json(plan, sim)
    lines = [f"{plan.name}: {sim.runs:,} draws (seed {sim.seed}) of {len(sim.inputs)} ranged "
             f"inputs; costs on one platform rank-correlated {sim.correlation:g}"]
    if sim.note:
        lines.append(f"Note: {sim.note}")
    header = (f"{'option':<40} {'NPV P10':>10} {'P50':>10} {'P90':>10} {'NPSV P10':>10} "
              f"{'P50':>10} {'P90':>10} {'NPV>0':>6} {'target':>6} {'pref.':>6}")
    lines += ["", header, "-" * len(header)]
    for o in doc["options"]:
        if o["is_baseline"]:
            continue
        name = o["name"] + (" *" if o["is_preferred"] else "")
        target = "-" if o["p_savings_target_met"] is None else f"{o['p_savings_target_met']:.0%}"
        beats = "-" if o["p_preferred_beats"] is None else f"{o['p_preferred_beats']:.0%}"
        lines.append(
            f"{name[:40]:<40} " + " ".join(f"{money(o[k][p]):>10}" for k in ("npv", "npsv")
                                           for p in ("p10", "p50", "p90"))
            + f" {o['p_npv_positive']:>6.0%} {target:>6} {beats:>6}")
    lines += ["", "* the preferred option; pref.: the share of draws in which its NPSV beats "
              "the option's; target: the share meeting the savings target"]
    return "\n".join(lines)
