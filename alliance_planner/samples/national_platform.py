"""Case 3: a national productivity platform (Office 365) taken up by the East Midlands
forces, with the property rationalisation that mobile working allows."""

from __future__ import annotations

from ..domain.model import (
    Decision,
    Mode,
    Option,
    OptionRole,
    Plan,
    SharingBasis,
    Site,
    SiteAction,
    Source,
)
from .common import driver, estate_for, pick_forces, sample_plan

FORCES = ("derbyshire", "leicestershire", "lincolnshire", "northamptonshire", "nottinghamshire")
SERVICES = ("productivity", "end-user-devices", "telephony")
CLAIMED_NET_SAVING = 2.3e6
CLAIMED_YEARS = 3

OWN = (
    Source("np-claim", "National Office 365 platform for policing: vendor-commissioned study",
           "Net savings equivalent to £2.3m over three years for an average force, from "
           "technology, mobility, control and compliance, business intelligence and real-time "
           "communication. Forces configure and integrate it locally; mobility lets officers "
           "work from council offices and libraries, enabling property estate "
           "rationalisation. Police funding fell 18% in real terms 2010-16. The study was "
           "commissioned by the vendor: treat the saving as a claim, hence the wide range."),
    Source("np-region", "East Midlands police collaboration (derbyshire-pcc.gov.uk and others)",
           "Derbyshire, Leicestershire, Lincolnshire, Northamptonshire and Nottinghamshire: "
           "4.5m people; more than 40 joint projects including IT infrastructure."),
    Source("np-a-local", "Assumption: local configuration and integration, £60 a user",
           "Each force configures the national tenant, migrates mailboxes and documents and "
           "integrates it with its own systems: about £60 a user over two years; optimism "
           "bias 54%, the works-duration upper bound, as national programmes slip.",
           is_assumption=True),
    Source("np-a-refresh", "Assumption: do-minimum refresh of on-premise email",
           "Each force upgrades its own email and office servers: about £35 a user in "
           "2027/28, with no saving.", is_assumption=True),
    Source("np-a-sites", "Assumption: one office a force can close",
           "A typical police office building costs about £0.45m a year to run and sells for "
           "about £2.5m; one a force closes in 2029/30 once staff work flexibly, with "
           "£0.2m of closure costs. No force's actual sites are named.", is_assumption=True),
)


def build() -> Plan:
    forces = pick_forces(*FORCES)
    estate = estate_for(forces, SERVICES)
    users = sum(driver(f, "users") for f in forces)
    per_year_saving = CLAIMED_NET_SAVING / CLAIMED_YEARS * len(forces)
    platform = Decision(
        service="productivity", mode=Mode.RETAIN, platform="National Office 365 platform",
        go_live_year=2027, transition_cost=round(60 * users, 2), transition_profile=(0.5, 0.5),
        optimism_bias=0.54, other_savings=round(per_year_saving, 2),
        cost_low=0.9, cost_high=1.6, benefit_low=0.3, benefit_high=1.1, source="np-claim",
    )
    refresh = Decision(
        service="productivity", mode=Mode.RETAIN, platform="Own email, upgraded",
        go_live_year=2027, transition_cost=round(35 * users, 2), optimism_bias=0.10,
        source="np-a-refresh",
    )
    sites = tuple(Site(f"{f.code}-office", f"{f.name} office (illustrative)", f.code,
                       450_000.0, source="np-a-sites") for f in forces)
    closures = tuple(SiteAction(s.code, 2029, disposal_receipt=2.5e6, closure_cost=0.2e6)
                     for s in sites)
    return sample_plan(
        name="East Midlands: national productivity platform",
        alliance="East Midlands police collaboration",
        sharing_basis=SharingBasis.POPULATION,
        notes="The vendor's claimed saving per average force, applied to the five East "
              "Midlands forces, against each force upgrading its own email.",
        forces=forces,
        service_codes=SERVICES,
        estate=estate,
        sites=sites,
        options=(
            Option("BAU", "Business as usual", OptionRole.BASELINE),
            Option("DM", "Do minimum: upgrade own email", OptionRole.DO_MINIMUM,
                   decisions=(refresh,)),
            Option("NP", "National platform", OptionRole.PREFERRED,
                   "All five forces adopt the national platform in 2027/28.",
                   decisions=(platform,)),
            Option("NPE", "National platform and estate rationalisation", OptionRole.OTHER,
                   "As the national platform, and each force closes an office in 2029/30.",
                   decisions=(platform,), site_actions=closures),
        ),
        own_sources=OWN,
    )
