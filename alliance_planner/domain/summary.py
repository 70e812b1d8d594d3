"""An appraisal as plain data for the command line and exports: the headline figures
(declared in :mod:`headlines`) and the lines by year behind them."""

from __future__ import annotations

from typing import Any

from .engine import Results, appraise, price_factors
from .headlines import HEADLINES, Headline, Unit, recommended
from .model import Plan, financial_year_label

LINES = (
    ("running", "running"), ("staff", "staff"), ("transition", "transition"), ("exit", "exit"),
    ("severance", "severance"), ("buildings", "buildings"),
    ("closure_costs", "closure_costs"), ("receipts", "receipts"),
    ("other_savings", "other_savings"), ("residual_value", "residual_value"),
    ("non_cashable", "non_cashable"),
)
"""Each option's lines by year in ``summary --json``: (name there, Results attribute)."""


def _decisions(plan: Plan, o: int) -> list[dict[str, Any]]:
    """What option o does with each service, its own or the baseline's, and the contract
    each buys: the shared running cost over the years it runs within the period, in cash
    as entered (of its price year) and in real terms at base-year prices."""
    factors = price_factors(plan)
    first, last = plan.base_year, plan.base_year + plan.horizon_years - 1
    option = plan.options[o]
    found = []
    for owner, d in _held_decisions(plan, o):
        years = 0 if d.go_live_year is None else max(0, last - max(d.go_live_year, first) + 1)
        cash = d.shared_running_cost * years
        found.append({
            "service": d.service,
            "change": d.mode.value,
            "forces": list(d.forces) or [f.code for f in plan.forces],
            "platform": d.platform,
            "go_live_year": d.go_live_year,
            "from_baseline": owner is not option,
            "price_year": d.price_year,
            "years_running_in_period": years,
            "contract_total_cash": cash,
            "contract_total_real": cash * factors[d.price_year],
        })
    return found


def _held_decisions(plan: Plan, o: int) -> list[tuple[Any, Any]]:
    option, baseline = plan.options[o], plan.baseline
    own = [(option, d) for d in option.decisions]
    if baseline is None or option is baseline:
        return own
    decided = {d.service for d in option.decisions}
    return own + [(baseline, d) for d in baseline.decisions if d.service not in decided]


def _year(results: Results, index: int) -> int | None:
    return int(results.years[index]) if index >= 0 else None


def summarise(plan: Plan, results: Results | None = None) -> dict[str, Any]:
    """What ``summary --json`` prints: money in pounds, unrounded; years as 2026 = 2026/27."""
    r = results if results is not None else appraise(plan)
    options = []
    for o, option in enumerate(plan.options):
        options.append({
            "code": option.code,
            "name": option.name,
            "role": option.role.value,
            "is_baseline": option.is_baseline,
            **{h.key: h.value(plan, r, o) for h in HEADLINES},
            "transition_cost": float(r.transition[o].sum()),
            "exit_cost": float(r.exit[o].sum()),
            "severance_cost": float(r.severance[o].sum()),
            "lines_by_year": {name: getattr(r, attr)[o].tolist() for name, attr in LINES},
            "staff_transferred_by_year": r.staff_transferred[o].tolist(),
            "decisions": _decisions(plan, o),
            "cost_by_year": r.total_cost[o].tolist(),
            "savings_by_year": r.savings[o].tolist(),
            "support_fte_by_year": r.support_fte[o].tolist(),
            "officer_hours_by_year": r.officer_hours[o].tolist(),
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
                    "support_fte_by_year": r.by_force["support_fte"][o, f].tolist(),
                    "exit_by_year": r.by_force["exit"][o, f].tolist(),
                    "severance_by_year": r.by_force["severance"][o, f].tolist(),
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
        "recommended": plan.options[recommended(
            [o.role for o in plan.options], r.npsv.tolist(), r.baseline)].code
        if plan.options else None,
        "options": options,
        "early_exits": [
            {
                "option": e.option,
                "service": e.service,
                "force": e.force,
                "contract_end": e.contract_end.isoformat(),
                "go_live_year": e.go_live_year,
                "exit_fee": e.exit_cost,
            }
            for e in r.early_exits
        ],
    }


def money(value: float) -> str:
    """£ in millions for people: -£1.23m, £0.05m."""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value) / 1e6:,.2f}m"


_WIDTH = {Unit.MONEY: 11, Unit.RATIO: 6, Unit.YEAR: 8, Unit.FTE: 11, Unit.HOURS: 9,
          Unit.STATUS: 12}


def _text(headline: Headline, value: Any) -> str:
    """A figure in the text table: money in millions so that the columns line up."""
    if value is None:
        return "-"
    if headline.unit is Unit.MONEY:
        return money(value)
    return headline.show(value)


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
    shown = [h for h in HEADLINES if h.short]
    widths = [max(len(h.short), _WIDTH[h.unit]) for h in shown]
    header = f"{'option':<44} " + " ".join(f"{h.short:>{w}}" for h, w in
                                           zip(shown, widths, strict=True))
    lines += ["", header, "-" * len(header)]
    for o in doc["options"]:
        name = o["name"] + (" (baseline)" if o["is_baseline"] else "")
        lines.append(f"{name[:44]:<44} " + " ".join(
            f"{_text(h, o[h.key]):>{w}}" for h, w in zip(shown, widths, strict=True)))
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
                         f"{e['contract_end']} (exit fee {money(e['exit_fee'])})")
    return "\n".join(lines)
