"""Small arithmetic helpers the sample builders share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..domain.model import EstateItem


def combined(estate: Iterable[EstateItem], service_codes: Iterable[str]
             ) -> dict[str, tuple[float, float]]:
    """Running cost and support FTE of each service, summed over the forces."""
    totals = {code: (0.0, 0.0) for code in service_codes}
    for e in estate:
        if e.service in totals:
            running, fte = totals[e.service]
            totals[e.service] = (running + e.annual_running_cost, fte + e.support_fte)
    return totals


def split_amount(total: float, weights: Sequence[float]) -> list[float]:
    """Split a sum in pennies by weight so that the parts add up to it exactly."""
    pennies = round(total * 100)
    whole = sum(weights)
    parts = [int(pennies * w / whole) for w in weights]
    parts[-1] += pennies - sum(parts)
    return [p / 100 for p in parts]

