"""A generated national plan (43 forces, 20 services, 6 options, 10 years) for benchmarks.

It is synthetic: the forces are real, today's costs come from the shared unit costs, and
each option's figures are drawn from a seeded random generator within stated bounds, so
the plan is the same on every machine.
"""

from __future__ import annotations

import numpy as np

from ..domain.model import Decision, Mode, Option, OptionRole, Plan, Source
from .common import (
    CATALOGUE,
    IT_CAPITAL,
    england_and_wales,
    estate_for,
    sample_plan,
)
from .shaping import combined

SEED = 20261123

OWN = (
    Source("nat-synthetic", "Assumption (synthetic): generated national options",
           "Each converged service runs at 60-90% of today's combined cost with 50-85% of "
           "its support staff, after a transition of 20-60% of a year's cost spread over one "
           "to three years, with the equipment/development optimism bias mitigated by "
           "75-100% (10% to 57.5%); go-lives 2027/28 to 2031/32. Drawn "
           f"from a random generator seeded with {SEED}, for benchmarks, not advice.",
           is_assumption=True),
)

OPTIONS = (
    ("DM", "Do minimum: national service desk and security", OptionRole.DO_MINIMUM,
     ("service-desk", "security")),
    ("INF", "National infrastructure", OptionRole.OTHER,
     ("service-desk", "security", "network", "hosting", "telephony")),
    ("PRD", "National productivity and devices", OptionRole.OTHER,
     ("productivity", "end-user-devices", "telephony", "service-desk")),
    ("FRN", "National frontline platforms", OptionRole.OTHER,
     ("field-mobile", "body-worn-video", "digital-evidence", "radio-support", "anpr")),
    ("ALL", "Converge everything nationally", OptionRole.PREFERRED,
     tuple(s.code for s in CATALOGUE if s.code != "airwave-airtime")),
)


def build() -> Plan:
    rng = np.random.default_rng(SEED)
    forces = england_and_wales()
    codes = tuple(s.code for s in CATALOGUE)
    estate = estate_for(forces, codes)
    today = combined(estate, codes)
    options = [Option("BAU", "Business as usual", OptionRole.BASELINE)]
    for code, name, role, converged in OPTIONS:
        decisions = []
        for s in converged:
            running, fte = today[s]
            go_live = int(rng.integers(2027, 2032))
            years = min(int(rng.integers(1, 4)), go_live - 2026 + 1)
            decisions.append(Decision(
                service=s, mode=Mode.CONVERGE, platform="National platform",
                go_live_year=go_live,
                transition_cost=round(running * rng.uniform(0.2, 0.6), 2),
                transition_profile=tuple([1.0 / years] * (years - 1)
                                         + [1.0 - (years - 1) * (1.0 / years)]),
                ob_category=IT_CAPITAL,
                ob_mitigation=round(float(rng.uniform(0.75, 1.0)), 2),
                ob_reason="Synthetic: a mitigation drawn at random (nat-synthetic).",
                shared_running_cost=round(running * rng.uniform(0.6, 0.9), 2),
                shared_support_fte=round(fte * rng.uniform(0.5, 0.85), 1),
                officer_hours_per_week=round(float(rng.uniform(0, 2000)), 0)
                if s in ("field-mobile", "body-worn-video", "digital-evidence") else 0.0,
                cost_low=0.9, cost_high=round(float(rng.uniform(1.1, 1.6)), 2),
                benefit_low=0.5, benefit_high=1.2, source="nat-synthetic",
            ))
        options.append(Option(code, name, role, decisions=tuple(decisions)))
    return sample_plan(
        name="England and Wales: national convergence (synthetic)",
        alliance="All 43 territorial forces",
        notes="A generated plan of national size for benchmarks; see its synthetic source.",
        forces=forces,
        service_codes=[s.code for s in CATALOGUE],
        estate=estate,
        options=tuple(options),
        own_sources=OWN,
    )
