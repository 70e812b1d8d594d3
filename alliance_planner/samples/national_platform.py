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
from .common import (
    IT_CAPITAL,
    KNOWN_PRICE,
    NOT_YET_DESIGNED,
    driver,
    estate_for,
    pick_forces,
    sample_plan,
)

FORCES = ("derbyshire", "leicestershire", "lincolnshire", "northamptonshire", "nottinghamshire")
SERVICES = ("productivity", "end-user-devices", "telephony")
CLAIMED_NET_SAVING = 2.3e6
CLAIMED_YEARS = 3
CLAIM_RAMP = (0.5, 1.0, 1.0, 0.0)
"""Half in the first year, in full in the next two, and nothing after the three years the
claim covers (source np-a-claim)."""
REALISATION = 0.5
GO_LIVE = 2027
HORIZON = 11
"""2026/27 for the transition, then ten years of use, 2027/28 to 2036/37 (np-a-period)."""
TERMS = {"NP": (GO_LIVE, HORIZON - 1), "NPE": (GO_LIVE, HORIZON - 1)}
"""Each option's appraised term: (first year, years); the horizon covers it."""
SITE_RUNNING = 450_000.0
SITE_VALUE = 2.5e6

OWN = (
    Source("np-claim", "National Office 365 platform for policing: vendor-commissioned study",
           "Net savings equivalent to £2.3m over three years for an average force, from "
           "technology, mobility, control and compliance, business intelligence and real-time "
           "communication (a Forrester Consulting study commissioned by Microsoft, as "
           "reported by Civica Digital). Forces configure and integrate it locally; "
           "mobility lets officers work from council offices and libraries, enabling "
           "property estate rationalisation. Police funding fell 18% in real terms 2010-16. "
           "The study was commissioned by the vendor: treat the saving as a claim, hence "
           "the wide range.",
           "https://www.ukauthority.com/articles/the-promise-for-policing-in-it-rationalisation/"),
    Source("np-region", "East Midlands police collaboration (derbyshire-pcc.gov.uk and others)",
           "Derbyshire, Leicestershire, Lincolnshire, Northamptonshire and Nottinghamshire: "
           "4.5m people; more than 40 joint projects including IT infrastructure."),
    Source("np-a-claim", "Assumption: how much of the vendor's claim to count, and when",
           "The claim covers three years and is counted for those three only: half a year's "
           "rate in the first year live while forces migrate and staff adopt it, the full "
           "rate in the next two, so that the three years add up to the claimed £2.3m a "
           "force (£0.92m a year at the full rate); nothing after, as the study gives no "
           "evidence for later years (a limit, not a forecast that savings stop). Half of "
           "it is expected to be realised (realisation 50%): the study was commissioned by "
           "the vendor, is for a composite 'average force', and counts savings that depend "
           "on each force's own configuration and change. Its price year is not stated: it "
           "is taken at 2026-27 prices.", is_assumption=True),
    Source("np-a-period", "Assumption: ten years of use",
           "No contract term is public. The appraisal covers 2026/27, when forces prepare "
           "and migrate, and ten years of use, as the other samples do; the sites kept in "
           "business as usual count their market value at the end of it.",
           is_assumption=True),
    Source("np-a-local", "Assumption: local configuration and integration, £60 a user",
           "Each force configures the national tenant, migrates mailboxes and documents and "
           "integrates it with its own systems: about £60 a user over two years. Optimism "
           "bias: equipment/development (a one-off IT cost; the works-duration rate once "
           "used here is for time overruns, not cost), mitigated by 75% to 57.5% as the "
           "product is established but each force's integration is not yet designed. It "
           "configures a subscribed service and buys no asset: no residual value.",
           is_assumption=True),
    Source("np-a-refresh", "Assumption: do-minimum refresh of on-premise email",
           "Each force upgrades its own email and office servers: about £35 a user in "
           "2027/28, with no saving. Optimism bias 10%, the equipment/development lower "
           "bound: an in-place upgrade of a product each force already runs. The servers "
           "already carry their replacement in today's running cost: no residual value.",
           is_assumption=True),
    Source("np-a-sites", "Assumption: one office a force can close",
           "A typical police office building costs about £0.45m a year to run and sells for "
           "about £2.5m; one a force closes in 2029/30 once staff work flexibly, with "
           "£0.2m of closure costs. An option that keeps a site counts its £2.5m market "
           "value at the end of the period, so that selling it is not counted as a gain "
           "over keeping it. No force's actual sites are named.", is_assumption=True),
)


def build() -> Plan:
    forces = pick_forces(*FORCES)
    estate = estate_for(forces, SERVICES)
    users = sum(driver(f, "users") for f in forces)
    full_rate = CLAIMED_NET_SAVING * len(forces) / sum(CLAIM_RAMP)
    platform = Decision(
        service="productivity", mode=Mode.RETAIN, platform="National Office 365 platform",
        go_live_year=GO_LIVE, transition_cost=round(60 * users, 2), transition_profile=(0.5, 0.5),
        ob_category=IT_CAPITAL, ob_mitigation=NOT_YET_DESIGNED,
        ob_reason="One-off: equipment/development, mitigated by 75% to 57.5%: an established "
                  "product, each force's configuration and integration not yet designed "
                  "(np-a-local).",
        other_savings=round(full_rate, 2), benefit_realisation=REALISATION,
        benefit_ramp=CLAIM_RAMP,
        cost_low=0.9, cost_high=1.6, benefit_low=0.3, benefit_high=1.1, source="np-claim",
    )
    refresh = Decision(
        service="productivity", mode=Mode.RETAIN, platform="Own email, upgraded",
        go_live_year=GO_LIVE, transition_cost=round(35 * users, 2),
        ob_category=IT_CAPITAL, ob_mitigation=KNOWN_PRICE,
        ob_reason="One-off: equipment/development, fully mitigated (10%): an in-place "
                  "upgrade of a product each force runs (np-a-refresh).",
        source="np-a-refresh",
    )
    sites = tuple(Site(f"{f.code}-office", f"{f.name} office (illustrative)", f.code,
                       SITE_RUNNING, market_value=SITE_VALUE, source="np-a-sites")
                  for f in forces)
    closures = tuple(SiteAction(s.code, 2029, disposal_receipt=SITE_VALUE, closure_cost=0.2e6)
                     for s in sites)
    return sample_plan(
        name="East Midlands: national productivity platform",
        alliance="East Midlands police collaboration",
        sharing_basis=SharingBasis.POPULATION,
        horizon_years=HORIZON,
        notes="The vendor's claimed saving per average force, applied to the five East "
              "Midlands forces for the three years it covers and half realised, against "
              "each force upgrading its own email.",
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
