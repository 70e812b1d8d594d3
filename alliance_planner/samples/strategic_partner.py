"""Case 2: Staffordshire Police's ten-year strategic IT partnership of at least £110m."""

from __future__ import annotations

from ..domain.model import (
    Category,
    Decision,
    Force,
    Mode,
    Option,
    OptionRole,
    Plan,
    Service,
    Source,
)
from .common import (
    CATALOGUE,
    HALF_IN_THE_FIRST_YEAR,
    IT_CAPITAL,
    KNOWN_PRICE,
    NOT_YET_DESIGNED,
    OUTSOURCING,
    STAFF_FTE,
    as_cash_of,
    estate_for,
    pick_forces,
    sample_plan,
    to_base_prices,
)
from .shaping import combined, split_amount

SERVICES = ("service-desk", "network", "hosting", "security", "end-user-devices",
            "productivity", "telephony", "records", "intelligence", "digital-evidence",
            "custody", "command-control", "hr-finance", "estates-fm")
FIRE = Service("fire-back-office", "Back office shared with fire and rescue", Category.CORPORATE)
PARTNER_VALUE = 110e6
PARTNER_YEARS = 10
PRICE_YEAR = 2015
"""The contract was awarded on 25 February 2016, in 2015-16: its value is cash of that year."""
GO_LIVE = 2027
HORIZON = 1 + PARTNER_YEARS
"""2026/27 to prepare, then the partnership's ten years, 2027/28 to 2036/37."""
TERMS = {"SP": (GO_LIVE, PARTNER_YEARS), "SPF": (GO_LIVE, PARTNER_YEARS)}
"""Each contracted option's term: (first year, years); the horizon covers it."""
NAO_SPEND_PER_OFFICER = 13_600.0
NAO_YEAR = 2024
RETAINED_SHARE = 0.2
"""The partner replaces 80% of the in-scope support staff; a client team of 20% stays."""
RUNNING_MITIGATION = 0.5
CENTRE_OF_EXCELLENCE_RAMP = (0.0, 0.5, 1.0)

OWN = (
    Source("st-partner", "Staffordshire Police strategic IT partner (Boeing)",
           "Ten years, at least £110m, chosen from 52 companies; a policing IT 'centre of "
           "excellence'; ambition to integrate back-office support with fire and rescue; "
           "mobile data devices, body-worn video and GPS already rolled out. Awarded 25 "
           "February 2016 (2015-16) by the Police and Crime Commissioner: 'an estimated "
           "value of at least £110 million including IT running costs and new projects', "
           "which will 'save money compared to the current annual running costs for IT'. "
           "The contract 'could exceed the £110m headline figure' (Computing).",
           "https://staffordshire-pfcc.gov.uk/?p=10515"),
    Source("st-a-scale", "Assumption: Staffordshire's in-house IT in scope costs £14.1m a year",
           "NAO: forces spend about £2bn a year on technology, about £13,600 an officer, "
           "taken as 2024-25 cash; for Staffordshire's 2,047 officers that is about £27.8m, "
           "£29.0m at 2026-27 prices. The fourteen services a partner would take over are "
           "49% of the cost of the whole service catalogue at the samples' unit costs, so "
           "£14.1m a year (running and support staff) is taken as in scope, and the unit "
           "costs are scaled to that total. (An earlier version took an unreasoned third, "
           "£9.3m: with the partner's price at 2026-27 prices, £15.3m a year, that made the "
           "partner cost far more than the IT it replaces, against the Commissioner's "
           "statement that it saves money on current running costs.)", is_assumption=True),
    Source("st-a-refresh", "Assumption: unavoidable refresh in business as usual",
           "Ageing systems must be replaced whatever is chosen: the records system (£4.5m, "
           "2028/29), desktops and laptops (£3.6m: 3,600 users at £1,000, 2027/28) and the "
           "network (£1.5m, 2029/30). The partner's price includes these. Optimism bias: "
           "devices and network equipment at framework prices, fully mitigated (10%); a new "
           "records system is an established product whose configuration and data "
           "migration are not yet designed, mitigated by 75% (57.5%). Lives: devices five "
           "years (as their unit cost), network equipment seven, a records system ten; the "
           "unused life at the end of the period is residual value.", is_assumption=True),
    Source("st-a-price-year", "Assumption: the partner's other figures at 2026-27 prices",
           "The partnership's decisions carry the contract's price year, 2015-16, so that "
           "its £11m a year is deflated as cash of that year. The plan's own estimates on "
           "them (mobilisation, savings) are at 2026-27 prices, entered as their 2015-16 "
           "cash equivalents so that the engine brings them back to what is assumed here.",
           is_assumption=True),
    Source("st-a-partner", "Assumption: what the partnership replaces and releases",
           "£11m a year (the £110m over ten years, cash of 2015-16, £15.3m at 2026-27 "
           "prices) replaces all fourteen in-house services and 80% of their support staff, "
           "leaving a client team of the other 20%; mobilisation £3m, spread over the year "
           "before go-live and the first. Optimism bias: mobilisation is the plan's "
           "estimate, not a contracted price, so equipment/development mitigated by 75% "
           "(57.5%); the running charge takes the outsourcing rate, 41%, mitigated by half "
           "to 20.5% (st-a-ob). Process redesign in the centre of excellence saves £2.5m a "
           "year and releases about 900 officer hours a week (25 minutes an officer) from "
           "2028/29: nothing in the partner's first year while it takes over the service, "
           "half in 2028/29, in full from 2029/30.", is_assumption=True),
    Source("st-a-ob", "Assumption: optimism bias on the partner's running charge, 20.5%",
           "The Green Book's outsourcing row is 41% (upper) to 0% (lower) of operating cost. "
           "Half of it is taken as mitigated: the price was set in competition among 52 "
           "bidders and the running charge is contractual; but the £110m is a floor ('at "
           "least', and 'could exceed'), the scope includes new projects not yet defined, "
           "and it was the first partnership of its kind in UK policing, with a supplier "
           "new to police IT. Unmitigated (41%) the charge would be £21.6m a year at 2026-27 "
           "prices, fully mitigated £15.3m; each quarter of mitigation moves the option's "
           "cashable NPV by about £13m.",
           is_assumption=True),
    Source("st-a-tupe", "Assumption: the support staff the partner replaces transfer to it",
           "Handing the services to a partner is a service provision change under TUPE (the "
           "Transfer of Undertakings (Protection of Employment) Regulations 2006): the 80% "
           "of in-scope support staff who run them move to the partner, at no severance; "
           "their cost is in the partner's charge.", is_assumption=True),
    Source("st-a-fire", "Assumption: shared back office with Staffordshire Fire and Rescue",
           "Joining HR, finance and estates systems with fire and rescue saves a further "
           "£0.8m a year from 2029/30 (half in its first year), after a £1.2m integration "
           "over 2028/29 and 2029/30, at 2026-27 prices. Optimism bias: equipment/"
           "development, the integration not yet designed, mitigated by 75% (57.5%). It "
           "comes on top of the partnership, whose charge it does not change; its "
           "integration is used for the eight years left of the period, about its life, so "
           "no residual value is counted.", is_assumption=True),
)


def in_scope_today(forces_: tuple[Force, ...]) -> float:
    """What the fourteen services cost a year today (running and staff), at base-year
    prices: their share of the catalogue's cost applied to the NAO's spend an officer."""
    codes = tuple(s.code for s in CATALOGUE)
    everything = combined(estate_for(forces_, codes), codes)
    cost = {s: r + fte * STAFF_FTE for s, (r, fte) in everything.items()}
    share = sum(cost[s] for s in SERVICES) / sum(cost.values())
    nao = NAO_SPEND_PER_OFFICER * sum(f.officers for f in forces_)
    return share * to_base_prices(nao, NAO_YEAR)


def build() -> Plan:
    forces = pick_forces("staffordshire")
    unscaled = combined(estate_for(forces, SERVICES), SERVICES)
    cost_today = sum(r + fte * STAFF_FTE for r, fte in unscaled.values())
    estate = estate_for(forces, SERVICES, scale=in_scope_today(forces) / cost_today)
    today = combined(estate, SERVICES)
    staff_today = sum(fte for _, fte in today.values())
    refresh = {"end-user-devices": (3.6e6, 2027, KNOWN_PRICE, 5.0),
               "records": (4.5e6, 2028, NOT_YET_DESIGNED, 10.0),
               "network": (1.5e6, 2029, KNOWN_PRICE, 7.0)}
    refresh_reason = {
        KNOWN_PRICE: "One-off: equipment/development, fully mitigated (10%): standard "
                     "equipment at framework prices (st-a-refresh).",
        NOT_YET_DESIGNED: "One-off: equipment/development, mitigated by 75% to 57.5%: an "
                          "established product, its configuration and data migration not "
                          "yet designed (st-a-refresh).",
    }
    baseline = tuple(
        Decision(service=s, mode=Mode.RETAIN, go_live_year=year, transition_cost=cost,
                 transition_profile=(1.0,), ob_category=IT_CAPITAL, ob_mitigation=mitigation,
                 ob_reason=refresh_reason[mitigation], asset_life=life,
                 source="st-a-refresh", cost_low=0.9, cost_high=1.5)
        for s, (cost, year, mitigation, life) in refresh.items()
    )
    n = len(SERVICES)
    per_service = dict(zip(SERVICES, split_amount(PARTNER_VALUE / PARTNER_YEARS, [1.0] * n),
                           strict=True))
    mobilisation = dict(zip(SERVICES, split_amount(as_cash_of(PRICE_YEAR, 3e6), [1.0] * n),
                            strict=True))

    def partner(s: str) -> Decision:
        redesign = s == "records"
        return Decision(
            service=s, mode=Mode.CONVERGE, platform="Strategic partner", go_live_year=GO_LIVE,
            transition_cost=mobilisation[s], transition_profile=(0.5, 0.5),
            ob_category=IT_CAPITAL, ob_mitigation=NOT_YET_DESIGNED,
            shared_running_cost=per_service[s],
            running_ob_category=OUTSOURCING, running_ob_mitigation=RUNNING_MITIGATION,
            ob_reason="One-off: equipment/development, mitigated by 75% to 57.5%: the plan's "
                      "estimate of mobilisation, not a contracted price (st-a-partner). "
                      "Running: outsourcing, 41% mitigated by half to 20.5%: a competed, "
                      "contractual charge, but a floor on a scope with undefined new "
                      "projects, new to policing (st-a-ob).",
            shared_support_fte=round(RETAINED_SHARE * staff_today, 1)
            if s == "service-desk" else 0.0,
            transfer_share=1.0 - RETAINED_SHARE,
            other_savings=as_cash_of(PRICE_YEAR, 2.5e6) if redesign else 0.0,
            officer_hours_per_week=900.0 if redesign else 0.0,
            benefit_ramp=CENTRE_OF_EXCELLENCE_RAMP if redesign else (1.0,),
            price_year=PRICE_YEAR,
            cost_low=0.95, cost_high=1.3, benefit_low=0.4, benefit_high=1.3,
            source="st-a-partner",
        )

    preferred = tuple(partner(s) for s in SERVICES)
    fire = Decision(
        service=FIRE.code, mode=Mode.RETAIN, platform="Shared with Staffordshire Fire and Rescue",
        go_live_year=2029, transition_cost=1.2e6, transition_profile=(0.5, 0.5),
        ob_category=IT_CAPITAL, ob_mitigation=NOT_YET_DESIGNED,
        ob_reason="One-off: equipment/development, mitigated by 75% to 57.5%: an integration "
                  "of existing systems, not yet designed (st-a-fire).",
        other_savings=0.8e6, benefit_ramp=HALF_IN_THE_FIRST_YEAR,
        cost_low=0.95, cost_high=1.3, benefit_low=0.4, benefit_high=1.3, source="st-a-fire",
    )
    do_minimum = tuple(
        Decision(service=s, mode=Mode.RETAIN, go_live_year=year, transition_cost=cost,
                 ob_category=IT_CAPITAL, ob_mitigation=mitigation,
                 ob_reason=refresh_reason[mitigation], asset_life=life,
                 shared_running_cost=round(0.05 * today[s][0], 2),
                 source="st-a-refresh")
        for s, (cost, year, mitigation, life) in refresh.items()
    )
    return sample_plan(
        name="Staffordshire: strategic IT partner",
        alliance="Staffordshire Police (with Staffordshire Fire and Rescue for back office)",
        horizon_years=HORIZON,
        notes="A single force weighing a ten-year strategic partner against running and "
              "refreshing its own IT, over 2026/27 (mobilisation) and the partnership's ten "
              "years. Business as usual carries the refresh it cannot avoid.",
        forces=forces,
        service_codes=SERVICES,
        extra_services=(FIRE,),
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
                   OptionRole.OTHER, "The partnership, and from 2029/30 a back office "
                   "shared with fire and rescue.", decisions=(*preferred, fire)),
        ),
        own_sources=OWN,
        cite=("nao-productivity-2025", "a-benefit-ramp"),
    )
