"""Whose estate is dear: each force's cost of each service per officer and per 1,000
population, against the alliance's average, before a platform is chosen.

A service's cost to a force is what it runs today, from the Estate sheet: the running cost
a year at base-year prices plus its support staff at the plan's cost of a support FTE.
The alliance's average is the alliance's total cost of the service over its total officers
(or population) among the forces that run it, so that a small force's figure weighs no more
than its size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .engine import price_factors
from .model import Plan


@dataclass(frozen=True)
class Benchmark:
    force: str
    service: str
    cost: float  # £ a year: running cost and support staff
    per_officer: float  # £ a year per officer FTE; NaN for a force with no officers
    per_thousand_people: float  # £ a year per 1,000 population; NaN with no population
    versus_average: float  # per officer, as a share of the alliance's: 1.25 is 25% dearer
    rank: int  # 1 for the dearest per officer among the forces that run the service
    runs_it: int  # how many forces run the service


def benchmarks(plan: Plan) -> list[Benchmark]:
    """One row for each force and service that force runs today, in the plan's order of
    services, then forces."""
    factors = price_factors(plan)
    forces = {f.code: f for f in plan.forces}
    cost: dict[tuple[str, str], float] = {}
    for e in plan.estate:
        key = (e.service, e.force)
        cost[key] = cost.get(key, 0.0) + e.annual_running_cost * factors[e.price_year] \
            + e.support_fte * plan.cost_per_staff_fte
    found = []
    for service in plan.services:
        running = [(forces[f], c) for (s, f), c in cost.items()
                   if s == service.code and f in forces]
        officers = sum(f.officers for f, _ in running)
        average = sum(c for _, c in running) / officers if officers > 0 else math.nan
        per = {f.code: c / f.officers if f.officers > 0 else math.nan for f, c in running}
        order = sorted((p, code) for code, p in per.items() if not math.isnan(p))
        rank = {code: len(order) - i for i, (_, code) in enumerate(order)}
        for force in plan.forces:
            c = cost.get((service.code, force.code))
            if c is None:
                continue
            found.append(Benchmark(
                force.code, service.code, c, per[force.code],
                c / force.population * 1000 if force.population > 0 else math.nan,
                per[force.code] / average if average > 0 else math.nan,
                rank.get(force.code, 0), len(running)))
    return found
