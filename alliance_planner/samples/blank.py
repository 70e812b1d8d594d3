"""A new, empty alliance of real forces: the starting point for a user's own plan."""

from __future__ import annotations

from collections.abc import Sequence

from ..domain.model import Option, OptionRole, Plan
from .common import (
    CATALOGUE,
    DEFLATORS,
    OFFICER_HOUR,
    STAFF_FTE,
    STANDARD_SOURCES,
    pick_forces,
    sources,
)


def new_alliance(codes: Sequence[str], name: str | None = None) -> Plan:
    """The chosen forces with their public figures, the standard services, a baseline, and
    the GDP deflators and shared assumptions every appraisal starts from."""
    if not codes:
        raise KeyError("name at least one force")
    if len(set(codes)) != len(codes):
        raise KeyError("a force is named twice")
    forces = pick_forces(*codes)
    alliance = " and ".join(f.name for f in forces)
    return Plan(
        name=name or f"{alliance}: new plan",
        alliance=alliance,
        cost_per_officer_hour=OFFICER_HOUR,
        cost_per_staff_fte=STAFF_FTE,
        deflators=DEFLATORS,
        notes="A new plan: add today's estate for each force, then the options.",
        forces=forces,
        services=CATALOGUE,
        options=(Option("BAU", "Business as usual", OptionRole.BASELINE),),
        sources=sources(STANDARD_SOURCES),
    )


def with_public_forces(plan: Plan, codes: Sequence[str]) -> Plan:
    """`plan` with the named forces of England and Wales added, each with its public figures,
    and the sources those figures cite (if the plan lacks them)."""
    forces = pick_forces(*codes)
    cited = {f.source for f in forces if f.source} - {s.key for s in plan.sources}
    return plan.replace(forces=(*plan.forces, *forces),
                        sources=(*plan.sources, *sources(sorted(cited))))
