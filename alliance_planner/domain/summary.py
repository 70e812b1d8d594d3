"""The headline figures of an appraisal, as plain data for the command line and exports."""

from __future__ import annotations

import math
from typing import Any

from .engine import Results, appraise
from .model import Plan, financial_year_label


def _year(results: Results, index: int) -> int | None:
    return int(results.years[index]) if index >= 0 else None


def summarise(plan: Plan, results: Results | None = None) -> dict[str, Any]:
    """What ``summary --json`` prints: money in pounds, unrounded; years as 2026 = 2026/27."""
    r = results if results is not None else appraise(plan)
    options = []
    for o, option in enumerate(plan.options):
        bcr = float(r.bcr[o])
        options.append({
            "code": option.code,
            "name": option.name,
            "role": option.role.value,
            "is_baseline": option.is_baseline,
            "npv": float(r.npv[o]),
            "npsv": float(r.npsv[o]),
            "pv_benefits": float(r.pv_benefits[o]),
            "pv_costs": float(r.pv_costs[o]),
            "bcr": None if math.isnan(bcr) else bcr,
            "payback_year": _year(r, int(r.payback[o])),
            "transition_cost": float(r.transition[o].sum()),
            "exit_cost": float(r.exit[o].sum()),
            "cost_by_year": r.total_cost[o].tolist(),
            "savings_by_year": r.savings[o].tolist(),
            "support_fte_by_year": r.support_fte[o].tolist(),
            "officer_hours_by_year": r.officer_hours[o].tolist(),
            "officer_hours_released_per_week": float(r.officer_hours[o, -1]),
            "officer_fte_equivalent": float(r.officer_fte[o, -1]),
            "savings_target_year": _year(r, int(r.target_year[o])),
            "savings_target_met": bool(r.target_met[o]),
            "force_shares": {
                code: {
                    "weight": float(r.weights[f]),
                    "npv": float(r.force_npv[o, f]),
                    "one_off_cost": float(r.force_one_off[o, f]),
                    "cost_by_year": r.force_cost[o, f].tolist(),
                    "savings_by_year": r.force_savings[o, f].tolist(),
                    "officer_hours_released_per_week": float(r.force_hours[o, f, -1]),
                }
                for f, code in enumerate(r.force_codes)
            },
        })
    return {
        "plan": plan.name,
        "alliance": plan.alliance,
        "base_year": plan.base_year,
        "base_year_label": financial_year_label(plan.base_year),
        "horizon_years": plan.horizon_years,
        "discount_rate": plan.discount_rate,
        "sharing_basis": plan.sharing_basis.value,
        "years": r.years.tolist(),
        "savings_target": plan.savings_target,
        "savings_target_years": plan.savings_target_years,
        "options": options,
        "early_exits": [
            {
                "option": e.option,
                "service": e.service,
                "force": e.force,
                "contract_end": e.contract_end.isoformat(),
                "go_live_year": e.go_live_year,
                "exit_cost_share": e.exit_cost,
            }
            for e in r.early_exits
        ],
    }


def money(value: float) -> str:
    """£ in millions for people: -£1.23m, £0.05m."""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value) / 1e6:,.2f}m"


def summary_text(plan: Plan, results: Results | None = None) -> str:
    doc = summarise(plan, results)
    lines = [
        f"{plan.name}" + (f" ({plan.alliance})" if plan.alliance else ""),
        f"{len(plan.forces)} forces, {len(plan.services)} services, {len(plan.options)} options;"
        f" {plan.horizon_years} years from {financial_year_label(plan.base_year)},"
        f" discount rate {plan.discount_rate:.1%} real, shared by {plan.sharing_basis.value}",
    ]
    if plan.savings_target is not None:
        lines.append(f"Savings target: {money(plan.savings_target)} "
                     f"within {plan.savings_target_years} years")
    header = (f"{'option':<44} {'NPV':>11} {'NPSV':>11} {'BCR':>6} {'payback':>8} "
              f"{'one-off':>10} {'hours/wk':>9} {'officer FTE':>11}")
    lines += ["", header, "-" * len(header)]
    for o in doc["options"]:
        name = o["name"] + (" (baseline)" if o["is_baseline"] else "")
        bcr = "-" if o["bcr"] is None else f"{o['bcr']:.2f}"
        payback = "-" if o["payback_year"] is None else financial_year_label(o["payback_year"])
        lines.append(
            f"{name[:44]:<44} {money(o['npv']):>11} {money(o['npsv']):>11} {bcr:>6} "
            f"{payback:>8} {money(o['transition_cost'] + o['exit_cost']):>10} "
            f"{o['officer_hours_released_per_week']:>9,.0f} {o['officer_fte_equivalent']:>11,.1f}"
        )
        if plan.savings_target is not None and not o["is_baseline"]:
            met = o["savings_target_year"]
            lines.append(f"{'':<4}savings target: "
                         + ("met" if o["savings_target_met"] else "not met")
                         + (f", reached {financial_year_label(met)}" if met else ""))
    if doc["early_exits"]:
        lines += ["", "Go-lives before a contract ends:"]
        for e in doc["early_exits"]:
            lines.append(f"  {e['option']}: {e['service']} for {e['force']} goes live "
                         f"{financial_year_label(e['go_live_year'])}, contract ends "
                         f"{e['contract_end']} (exit cost share {money(e['exit_cost_share'])})")
    return "\n".join(lines)
