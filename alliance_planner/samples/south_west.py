"""Case 1: Devon & Cornwall Police and Dorset Police put their frontline and contact IT
under one ten-year, £70m managed-service contract across their strategic alliance."""

from __future__ import annotations

import dataclasses
from datetime import date

from ..domain.model import Decision, Mode, Option, OptionRole, Plan, Source
from .common import (
    HALF_IN_THE_FIRST_YEAR,
    IT_CAPITAL,
    KNOWN_PRICE,
    NO_RUNNING_ROW,
    NOT_YET_DESIGNED,
    OUTSOURCING,
    as_cash_of,
    driver,
    estate_for,
    pick_forces,
    sample_plan,
)
from .shaping import combined, split_amount

IN_SCOPE = ("service-desk", "field-mobile", "radio-support", "body-worn-video",
            "contact-101-999", "security", "intelligence")
SERVICES = (*IN_SCOPE, "airwave-airtime")
CONTRACT_VALUE = 70e6
CONTRACT_YEARS = 10
PRICE_YEAR = 2023
"""The contract's value is cash of 2023-24 (source sw-a-price-year)."""
GO_LIVE = 2027
HORIZON = 1 + CONTRACT_YEARS
"""2026/27 for the transition, then the contract's ten years, 2027/28 to 2036/37."""
TERMS = {"MS": (GO_LIVE, CONTRACT_YEARS)}
"""Each contracted option's term: (first year, years); the horizon covers it."""
RUNNING_MITIGATION = 0.75
TRANSFER_SHARE = 0.75
EXIT_SHARE = 0.5

OWN = (
    Source("sw-contract", "Devon & Cornwall and Dorset police IT services contract (BT)",
           "BT, 10 years, £70m: field mobile, airwave vehicle and handheld connectivity, "
           "body-worn cameras, vehicle radio, security, customer service desk applications, "
           "101 and 999 efficiency, intelligence gathering and data sharing; aim: "
           "'standardisation of service across our Strategic Alliance'. Costs and savings "
           "split in proportion to each force's size. Over 5,100 officers, 3,500 staff, "
           "over 550 PCSOs and specials; over a million incidents and 118,000 recorded "
           "crimes a year. Announced 9 May 2024; the contract 'follows a long term "
           "relationship between the force and BT' (Devon & Cornwall's CTO).",
           "https://www.ukauthority.com/articles/"
           "south-west-police-forces-sign-bt-for-managed-it-service/"),
    Source("sw-alliance", "Devon & Cornwall and Dorset Strategic Alliance (dorset.police.uk)",
           "Signed March 2015 under s22/23 Police Act 1996; over 30 business areas; "
           "costs and savings split by force size; at least £12m savings identified."),
    Source("sw-a-forces", "Assumption: the forces' figures are the Home Office's and ONS's, "
           "not the contract announcement's",
           "Officers are the Home Office's March 2026 FTE (5,102: 'over 5,100'). Staff are "
           "the Home Office's latest per-force FTE of police staff and designated officers, "
           "30 September 2019: 2,955.5 for the two forces, where the announcement (May "
           "2024) says 3,500 staff, a rounded figure whose basis (headcount or FTE) is not "
           "stated. Recorded crimes are derived from ONS rates (169,500, an approximation), "
           "where the announcement says 118,000 (other reports of it say 118,000 "
           "incidents). The figures are kept consistent with the other samples; staff drive "
           "today's costs by user, so 3,500 staff would raise them by about 6%.",
           is_assumption=True),
    Source("sw-a-price-year", "Assumption: the £70m is cash at 2023-24 prices",
           "The contract was bid for and awarded before its announcement on 9 May 2024, so "
           "its prices are taken as 2023-24's, and its value as £7m a year at those prices, "
           "flat in real terms. If the £70m is instead the sum of charges indexed year by "
           "year, its real value is lower; at 2024-25 prices it would be 3.9% lower.",
           is_assumption=True),
    Source("sw-a-split", "Assumption: the contract price spread over services",
           "£7m a year (the £70m over ten years, cash of 2023-24) is spread over the seven "
           "services in proportion to what the forces spend on them today, so that the "
           "comparison by service is fair; the total is exact.", is_assumption=True),
    Source("sw-a-transition", "Assumption: transition to the managed service, £4m",
           "Mobilisation, data migration and re-enrolling about 5,400 frontline devices: "
           "roughly £450 a user for 8,800 users, at 2026-27 prices (entered as cash of "
           "2023-24, the contract's price year), spent half in 2026-27 before go-live and "
           "half in 2027-28. Optimism bias 10%, the equipment/"
           "development lower bound, as the price is contracted. The running charge takes "
           "the outsourcing rate (41% upper bound) mitigated by 75% to 10.25%: a signed "
           "price for a defined scope from the incumbent supplier; what remains is the "
           "risk of variations and volume growth. Mobilisation buys no asset that outlives "
           "the contract: no residual value.", is_assumption=True),
    Source("sw-a-exit", "Assumption: early-exit fees",
           "Where a go-live comes before a force's contract ends, ending it costs that force "
           "half of the charges left on it (years left x running cost a year x 50%), "
           "charged to the force whose contract it is.", is_assumption=True),
    Source("sw-a-client", "Assumption: a retained client team of 12 FTE",
           "The forces keep an intelligent-client and supplier-management team.",
           is_assumption=True),
    Source("sw-a-tupe", "Assumption: three quarters of the in-scope support staff transfer "
           "to BT",
           "Outsourcing a service is a service provision change under TUPE (the Transfer of "
           "Undertakings (Protection of Employment) Regulations 2006): staff wholly or "
           "mainly assigned to the seven services move to BT, at no severance. About three "
           "quarters of the 49 FTE who run them today are taken to be; the others, who work "
           "across services, form the 12-FTE client team.", is_assumption=True),
    Source("sw-a-hours", "Assumption: officer hours released by one standard mobile and "
           "body-worn video service",
           "About 10 minutes a frontline officer a week (5,100 officers: about 850 hours), "
           "from one set of forms and one upload route across both forces; half in the "
           "first year live while devices are re-enrolled and officers trained "
           "(a-benefit-ramp).", is_assumption=True),
    Source("sw-a-inhouse", "Assumption: converging in-house onto Devon & Cornwall's platforms",
           "Running cost 85% and support staff 80% of the two forces' combined today, "
           "transition £600 a user over two years. Optimism bias 57.5%: the platforms exist "
           "but the migration and integration work is not yet designed, so the "
           "equipment/development rate is mitigated by 75% (a quarter of the way from the "
           "Green Book's 10% lower bound to its 200% upper bound). The work migrates the "
           "forces onto existing platforms and buys no new asset: no residual value.",
           is_assumption=True),
)


def build() -> Plan:
    forces = tuple(dataclasses.replace(f, source="sw-a-forces")
                   for f in pick_forces("devon-and-cornwall", "dorset"))
    estate = estate_for(
        forces, SERVICES,
        contract_ends={
            "service-desk": date(2028, 3, 31), "field-mobile": date(2027, 9, 30),
            "radio-support": date(2027, 3, 31), "body-worn-video": date(2029, 3, 31),
            "contact-101-999": date(2027, 3, 31), "security": date(2026, 12, 31),
            "intelligence": date(2028, 3, 31),
        },
        exit_remaining_share=EXIT_SHARE,
    )
    today = combined(estate, IN_SCOPE)
    weights = [today[s][0] for s in IN_SCOPE]
    running_share = split_amount(CONTRACT_VALUE / CONTRACT_YEARS, weights)
    transition_share = split_amount(as_cash_of(PRICE_YEAR, 4e6), weights)
    hours = {"field-mobile": 600.0, "body-worn-video": 250.0}

    managed = tuple(
        Decision(
            service=s, mode=Mode.CONVERGE, platform="Strategic partner managed service",
            go_live_year=GO_LIVE, transition_cost=transition_share[i],
            transition_profile=(0.5, 0.5), ob_category=IT_CAPITAL, ob_mitigation=KNOWN_PRICE,
            shared_running_cost=running_share[i],
            running_ob_category=OUTSOURCING, running_ob_mitigation=RUNNING_MITIGATION,
            ob_reason="One-off: equipment/development, fully mitigated (10%): mobilisation "
                      "at a contracted price. Running: outsourcing, 41% mitigated by 75% to "
                      "10.25%: a signed price for a defined scope from the incumbent "
                      "supplier; variations and volume growth remain (sw-a-transition).",
            shared_support_fte=12.0 if s == "service-desk" else 0.0,
            officer_hours_per_week=hours.get(s, 0.0),
            benefit_ramp=HALF_IN_THE_FIRST_YEAR if s in hours else (1.0,),
            transfer_share=TRANSFER_SHARE,
            price_year=PRICE_YEAR,
            cost_low=0.95, cost_high=1.25, benefit_low=0.5, benefit_high=1.2,
            source="sw-contract",
        )
        for i, s in enumerate(IN_SCOPE)
    )
    waves = {"service-desk": 2027, "security": 2027, "field-mobile": 2028,
             "body-worn-video": 2028, "radio-support": 2029, "contact-101-999": 2029,
             "intelligence": 2029}
    users = sum(driver(f, "users") for f in forces)
    in_house_transition = split_amount(600 * users, weights)
    in_house_reason = ("One-off: equipment/development, mitigated by 75% to 57.5%: the "
                       "platforms exist, the migration and integration are not yet designed "
                       "(sw-a-inhouse). " + NO_RUNNING_ROW)
    in_house = tuple(
        Decision(
            service=s, mode=Mode.CONVERGE, platform="Devon & Cornwall's platform",
            go_live_year=waves[s],
            transition_cost=in_house_transition[i],
            transition_profile=(0.5, 0.5),
            ob_category=IT_CAPITAL, ob_mitigation=NOT_YET_DESIGNED, ob_reason=in_house_reason,
            shared_running_cost=round(0.85 * today[s][0], 2),
            shared_support_fte=round(0.80 * today[s][1], 1),
            officer_hours_per_week=hours.get(s, 0.0),
            benefit_ramp=HALF_IN_THE_FIRST_YEAR if s in hours else (1.0,),
            cost_low=0.9, cost_high=1.6, benefit_low=0.5, benefit_high=1.2,
            source="sw-a-inhouse",
        )
        for i, s in enumerate(IN_SCOPE)
    )
    desk = today["service-desk"]
    do_minimum = (Decision(
        service="service-desk", mode=Mode.CONVERGE, platform="Devon & Cornwall's service desk",
        go_live_year=2028, transition_cost=250_000.0,
        ob_category=IT_CAPITAL, ob_mitigation=NOT_YET_DESIGNED, ob_reason=in_house_reason,
        shared_running_cost=round(0.9 * desk[0], 2), shared_support_fte=round(0.85 * desk[1], 1),
        cost_low=0.9, cost_high=1.3, source="sw-a-inhouse",
    ),)
    return sample_plan(
        name="South West alliance: one IT services contract",
        alliance="Devon & Cornwall Police and Dorset Police strategic alliance",
        horizon_years=HORIZON,
        notes="Models the alliance's ten-year managed-service contract against business as "
              "usual, a do-minimum and converging in-house, over 2026/27 (the transition) "
              "and the contract's ten years. Airwave airtime is a national contract and "
              "stays the same in every option.",
        forces=forces,
        service_codes=SERVICES,
        estate=estate,
        options=(
            Option("BAU", "Business as usual", OptionRole.BASELINE,
                   "Each force keeps its own services and contracts."),
            Option("DM", "Do minimum: shared service desk", OptionRole.DO_MINIMUM,
                   "Dorset moves onto Devon & Cornwall's service desk in 2028/29.",
                   decisions=do_minimum),
            Option("MS", "Single managed service (£70m, 10 years)", OptionRole.PREFERRED,
                   "One strategic partner runs all seven services for both forces from "
                   "2027/28 to 2036/37.", decisions=managed),
            Option("IH", "Converge in-house in three waves", OptionRole.OTHER,
                   "The forces converge onto Devon & Cornwall's platforms, 2027/28 to "
                   "2029/30.", decisions=in_house),
        ),
        own_sources=OWN,
        cite=("a-contract-ends", "a-benefit-ramp"),
    )
