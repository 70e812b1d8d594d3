"""Whose estate is dear: each force's cost of each service per officer and per 1,000
population, against the alliance's average, before a platform is chosen.

A service's cost to a force is what it runs today, from the Estate sheet: the running cost
a year at base-year prices plus its support staff at the plan's cost of a support FTE.
The alliance's average is the alliance's total cost of the service over its total officers
(or population) among the forces that run it, so that a small force's figure weighs no more
than its size. The whole estate is every service a force runs, added up, against the
alliance's total over the forces that run anything.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .engine import price_factors
from .model import Force, Plan

WHOLE_ESTATE = ""
"""The service code of a force's whole estate: every service it runs, added up."""


@dataclass(frozen=True)
class Benchmark:
    force: str
    service: str  # WHOLE_ESTATE for every service the force runs
    cost: float  # £ a year: running cost and support staff
    per_officer: float  # £ a year per officer FTE; NaN for a force with no officers
    per_thousand_people: float  # £ a year per 1,000 population; NaN with no population
    versus_average: float  # per officer, as a share of the alliance's: 1.25 is 25% dearer
    rank: int  # 1 for the dearest per officer among the forces that run the service
    runs_it: int  # how many forces run the service
    people_versus_average: float = math.nan  # per 1,000 population, as a share of the alliance's
    people_rank: int = 0  # 1 for the dearest per 1,000 population


@dataclass(frozen=True)
class Average:
    """The alliance's cost of a service over the officers and people of the forces that
    run it."""

    service: str
    cost: float
    per_officer: float  # NaN when those forces have no officers
    per_thousand_people: float  # NaN when they have no population
    runs_it: int


@dataclass(frozen=True)
class Benchmarking:
    rows: tuple[Benchmark, ...]
    """For each service in the plan's order, then the whole estate: a row for each force
    that runs it, in the plan's order of forces."""
    averages: dict[str, Average]
    """The alliance's average of each service the plan lists, and of the whole estate."""

    def row(self, force: str, service: str) -> Benchmark | None:
        return next((r for r in self.rows if r.force == force and r.service == service), None)


def _ranks(figures: dict[str, float]) -> dict[str, int]:
    """1 for the dearest; a force without the figure (NaN) has none."""
    order = sorted((p, code) for code, p in figures.items() if not math.isnan(p))
    return {code: len(order) - i for i, (_, code) in enumerate(order)}


def _per(cost: float, amount: float, scale: float = 1.0) -> float:
    return cost / amount * scale if amount > 0 else math.nan


def _versus(figure: float, average: float) -> float:
    return figure / average if average > 0 and not math.isnan(figure) else math.nan


def _service(plan: Plan, service: str,
             costs: dict[str, float]) -> tuple[list[Benchmark], Average]:
    """The rows and the average of one service, from each force's cost of it."""
    running: list[Force] = [f for f in plan.forces if f.code in costs]
    total = sum(costs[f.code] for f in running)
    average = Average(service, total,
                      _per(total, sum(f.officers for f in running)),
                      _per(total, sum(f.population for f in running), 1000),
                      len(running))
    per_officer = {f.code: _per(costs[f.code], f.officers) for f in running}
    per_people = {f.code: _per(costs[f.code], f.population, 1000) for f in running}
    rank, people_rank = _ranks(per_officer), _ranks(per_people)
    rows = [Benchmark(
        f.code, service, costs[f.code], per_officer[f.code], per_people[f.code],
        _versus(per_officer[f.code], average.per_officer), rank.get(f.code, 0),
        len(running), _versus(per_people[f.code], average.per_thousand_people),
        people_rank.get(f.code, 0)) for f in running]
    return rows, average


def benchmarking(plan: Plan) -> Benchmarking:
    """Every force's cost of every service it runs, and of its whole estate, against the
    alliance's averages."""
    factors = price_factors(plan)
    known = {f.code for f in plan.forces}
    by_service: dict[str, dict[str, float]] = {s.code: {} for s in plan.services}
    whole: dict[str, float] = {}
    for e in plan.estate:
        if e.force not in known or e.service not in by_service:
            continue
        cost = e.annual_running_cost * factors[e.price_year] \
            + e.support_fte * plan.cost_per_staff_fte
        costs = by_service[e.service]
        costs[e.force] = costs.get(e.force, 0.0) + cost
        whole[e.force] = whole.get(e.force, 0.0) + cost
    rows: list[Benchmark] = []
    averages: dict[str, Average] = {}
    for service, costs in [*by_service.items(), (WHOLE_ESTATE, whole)]:
        found, averages[service] = _service(plan, service, costs)
        rows += found
    return Benchmarking(tuple(rows), averages)


def benchmarks(plan: Plan) -> list[Benchmark]:
    """One row for each force and service that force runs today, in the plan's order of
    services, then forces."""
    return [r for r in benchmarking(plan).rows if r.service != WHOLE_ESTATE]
