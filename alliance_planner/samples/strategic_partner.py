"""Case 2: Staffordshire Police's ten-year strategic IT partnership of at least £110m."""

from __future__ import annotations

from ..domain.model import Decision, Mode, Option, OptionRole, Plan, Source
from .common import (
    STAFF_FTE,
    estate_for,
    pick_forces,
    sample_plan,
)
from .shaping import combined, split_amount

SERVICES = ("service-desk", "network", "hosting", "security", "end-user-devices",
            "productivity", "telephony", "records", "intelligence", "digital-evidence",
            "custody", "command-control", "hr-finance", "estates-fm")
PARTNER_VALUE = 110e6
PARTNER_YEARS = 10
IN_SCOPE_TODAY = 9.3e6

OWN = (
    Source("st-partner", "Staffordshire Police strategic IT partner (Boeing)",
           "Ten years, at least £110m, chosen from 52 companies; a policing IT 'centre of "
           "excellence'; ambition to integrate back-office support with fire and rescue; "
           "mobile data devices, body-worn video and GPS already rolled out."),
    Source("st-a-scale", "Assumption: Staffordshire's in-house IT in scope costs £9.3m a year",
           "NAO: forces spend about £2bn a year on technology, about £13,600 an officer; for "
           "Staffordshire's 2,047 officers that is about £28m. A third of it (£9.3m, running "
           "and support staff) is taken as the fourteen services a partner would take over; "
           "the shared unit costs are scaled to that total.", is_assumption=True),
    Source("st-a-refresh", "Assumption: unavoidable refresh in business as usual",
           "Ageing systems must be replaced whatever is chosen: the records system (£4.5m, "
           "2028/29), desktops and laptops (£3.6m: 3,600 users at £1,000, 2027/28) and the "
           "network (£1.5m, 2029/30). The partner's price includes these.",
           is_assumption=True),
    Source("st-a-partner", "Assumption: what the partnership replaces and releases",
           "£11m a year (the £110m over ten years) replaces all fourteen in-house services "
           "and 80% of their support staff, leaving a client team of 9 FTE; mobilisation "
           "£3m with optimism bias 41% (the Green Book upper bound for outsourcing). "
           "Process redesign in the centre of excellence saves £2.5m a year and releases "
           "about 900 officer hours a week (25 minutes an officer) from 2028/29.",
           is_assumption=True),
    Source("st-a-fire", "Assumption: shared back office with Staffordshire Fire and Rescue",
           "Joining HR, finance and estates systems with fire and rescue saves a further "
           "£0.8m a year from 2029/30, after a £1.2m integration.", is_assumption=True),
)


def build() -> Plan:
    forces = pick_forces("staffordshire")
    unscaled = combined(estate_for(forces, SERVICES), SERVICES)
    cost_today = sum(r + fte * STAFF_FTE for r, fte in unscaled.values())
    estate = estate_for(forces, SERVICES, scale=IN_SCOPE_TODAY / cost_today)
    today = combined(estate, SERVICES)
    refresh = {"end-user-devices": (3.6e6, 2027), "records": (4.5e6, 2028),
               "network": (1.5e6, 2029)}
    baseline = tuple(
        Decision(service=s, mode=Mode.RETAIN, go_live_year=year, transition_cost=cost,
                 transition_profile=(1.0,), optimism_bias=0.10, source="st-a-refresh",
                 cost_low=0.9, cost_high=1.5)
        for s, (cost, year) in refresh.items()
    )
    n = len(SERVICES)
    per_service = dict(zip(SERVICES, split_amount(PARTNER_VALUE / PARTNER_YEARS, [1.0] * n),
                           strict=True))

    def partner(s: str, extra_savings: float = 0.0) -> Decision:
        return Decision(
            service=s, mode=Mode.CONVERGE, platform="Strategic partner", go_live_year=2027,
            transition_cost=3e6 / n, optimism_bias=0.41,
            shared_running_cost=per_service[s],
            shared_support_fte=9.0 if s == "service-desk" else 0.0,
            other_savings=(2.5e6 if s == "records" else 0.0) + extra_savings,
            officer_hours_per_week=900.0 if s == "records" else 0.0,
            cost_low=0.95, cost_high=1.3, benefit_low=0.4, benefit_high=1.3,
            source="st-a-partner",
        )

    preferred = tuple(partner(s) for s in SERVICES)
    with_fire = tuple(
        Decision(**{**partner(s).__dict__, "go_live_year": 2029, "transition_cost": 1.2e6,
                    "transition_profile": (0.5, 0.5), "other_savings": 0.8e6,
                    "optimism_bias": 0.41, "source": "st-a-fire"})
        if s == "hr-finance" else partner(s)
        for s in SERVICES
    )
    do_minimum = tuple(
        Decision(service=s, mode=Mode.RETAIN, go_live_year=year, transition_cost=cost,
                 optimism_bias=0.10, shared_running_cost=round(0.05 * today[s][0], 2),
                 source="st-a-refresh")
        for s, (cost, year) in refresh.items()
    )
    return sample_plan(
        name="Staffordshire: strategic IT partner",
        alliance="Staffordshire Police (with Staffordshire Fire and Rescue for back office)",
        notes="A single force weighing a ten-year strategic partner against running and "
              "refreshing its own IT. Business as usual carries the refresh it cannot avoid.",
        forces=forces,
        service_codes=SERVICES,
        estate=estate,
        options=(
            Option("BAU", "Business as usual (with unavoidable refresh)", OptionRole.BASELINE,
                   decisions=baseline),
            Option("DM", "Do minimum: refresh and modest upgrades", OptionRole.DO_MINIMUM,
                   "The refresh, bought as upgrades that cost 5% more to run.",
                   decisions=do_minimum),
            Option("SP", "Strategic IT partner (£110m, 10 years)", OptionRole.PREFERRED,
                   decisions=preferred),
            Option("SPF", "Strategic partner and shared back office with fire",
                   OptionRole.OTHER, decisions=with_fire),
        ),
        own_sources=OWN,
        cite=("nao-productivity-2025",),
    )
