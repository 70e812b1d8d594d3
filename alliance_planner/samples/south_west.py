"""Case 1: Devon & Cornwall Police and Dorset Police put their frontline and contact IT
under one ten-year, £70m managed-service contract across their strategic alliance."""

from __future__ import annotations

from datetime import date

from ..domain.model import Decision, Mode, Option, OptionRole, Plan, Source
from .common import (
    driver,
    estate_for,
    pick_forces,
    sample_plan,
)
from .shaping import combined, early_exit_cost, split_amount

IN_SCOPE = ("service-desk", "field-mobile", "radio-support", "body-worn-video",
            "contact-101-999", "security", "intelligence")
SERVICES = (*IN_SCOPE, "airwave-airtime")
CONTRACT_VALUE = 70e6
CONTRACT_YEARS = 10

OWN = (
    Source("sw-contract", "Devon & Cornwall and Dorset police IT services contract (BT)",
           "BT, 10 years, £70m: field mobile, airwave vehicle and handheld connectivity, "
           "body-worn cameras, vehicle radio, security, customer service desk applications, "
           "101 and 999 efficiency, intelligence gathering and data sharing; aim: "
           "'standardisation of service across our Strategic Alliance'. Costs and savings "
           "split in proportion to each force's size. Over 5,100 officers, 3,500 staff, "
           "over 550 PCSOs and specials; over a million incidents and 118,000 recorded "
           "crimes a year."),
    Source("sw-alliance", "Devon & Cornwall and Dorset Strategic Alliance (dorset.police.uk)",
           "Signed March 2015 under s22/23 Police Act 1996; over 30 business areas; "
           "costs and savings split by force size; at least £12m savings identified."),
    Source("sw-a-split", "Assumption: the contract price spread over services",
           "£7m a year (the £70m over ten years) is spread over the seven services in "
           "proportion to what the forces spend on them today, so that the comparison by "
           "service is fair; the total is exact.", is_assumption=True),
    Source("sw-a-transition", "Assumption: transition to the managed service, £4m",
           "Mobilisation, data migration and re-enrolling about 5,400 frontline devices: "
           "roughly £450 a user for 8,800 users. Optimism bias 10%: the Green Book lower "
           "bound for equipment and development, as the price is contracted.",
           is_assumption=True),
    Source("sw-a-exit", "Assumption: early-exit fees",
           "Where a go-live comes before a force's contract ends, the fee is half of the "
           "charges left on that contract (months left x monthly running cost x 50%).",
           is_assumption=True),
    Source("sw-a-client", "Assumption: a retained client team of 12 FTE",
           "The forces keep an intelligent-client and supplier-management team.",
           is_assumption=True),
    Source("sw-a-hours", "Assumption: officer hours released by one standard mobile and "
           "body-worn video service",
           "About 10 minutes a frontline officer a week (5,100 officers: about 850 hours), "
           "from one set of forms and one upload route across both forces.",
           is_assumption=True),
    Source("sw-a-inhouse", "Assumption: converging in-house onto Devon & Cornwall's platforms",
           "Running cost 85% and support staff 80% of the two forces' combined today, "
           "transition £600 a user over two years, optimism bias 50% as the work is not "
           "yet designed (a quarter of the way from the Green Book's 10% lower bound to "
           "200% upper bound).", is_assumption=True),
)


def build() -> Plan:
    forces = pick_forces("devon-and-cornwall", "dorset")
    estate = estate_for(
        forces, SERVICES,
        contract_ends={
            "service-desk": date(2028, 3, 31), "field-mobile": date(2027, 9, 30),
            "radio-support": date(2027, 3, 31), "body-worn-video": date(2029, 3, 31),
            "contact-101-999": date(2027, 3, 31), "security": date(2026, 12, 31),
            "intelligence": date(2028, 3, 31),
        },
    )
    today = combined(estate, IN_SCOPE)
    running_share = split_amount(CONTRACT_VALUE / CONTRACT_YEARS,
                                 [today[s][0] for s in IN_SCOPE])
    transition_share = split_amount(4e6, [today[s][0] for s in IN_SCOPE])
    hours = {"field-mobile": 600.0, "body-worn-video": 250.0}

    managed = tuple(
        Decision(
            service=s, mode=Mode.CONVERGE, platform="Strategic partner managed service",
            go_live_year=2027, transition_cost=transition_share[i], optimism_bias=0.10,
            exit_cost=early_exit_cost(estate, s, 2027),
            shared_running_cost=running_share[i],
            shared_support_fte=12.0 if s == "service-desk" else 0.0,
            officer_hours_per_week=hours.get(s, 0.0),
            cost_low=0.95, cost_high=1.25, benefit_low=0.5, benefit_high=1.2,
            source="sw-contract",
        )
        for i, s in enumerate(IN_SCOPE)
    )
    waves = {"service-desk": 2027, "security": 2027, "field-mobile": 2028,
             "body-worn-video": 2028, "radio-support": 2029, "contact-101-999": 2029,
             "intelligence": 2029}
    users = sum(driver(f, "users") for f in forces)
    in_house_transition = split_amount(600 * users, [today[s][0] for s in IN_SCOPE])
    in_house = tuple(
        Decision(
            service=s, mode=Mode.CONVERGE, platform="Devon & Cornwall's platform",
            go_live_year=waves[s],
            transition_cost=in_house_transition[i],
            transition_profile=(0.5, 0.5), optimism_bias=0.5,
            exit_cost=early_exit_cost(estate, s, waves[s]),
            shared_running_cost=round(0.85 * today[s][0], 2),
            shared_support_fte=round(0.80 * today[s][1], 1),
            officer_hours_per_week=hours.get(s, 0.0),
            cost_low=0.9, cost_high=1.6, benefit_low=0.5, benefit_high=1.2,
            source="sw-a-inhouse",
        )
        for i, s in enumerate(IN_SCOPE)
    )
    desk = today["service-desk"]
    do_minimum = (Decision(
        service="service-desk", mode=Mode.CONVERGE, platform="Devon & Cornwall's service desk",
        go_live_year=2028, transition_cost=250_000.0, optimism_bias=0.10,
        shared_running_cost=round(0.9 * desk[0], 2), shared_support_fte=round(0.85 * desk[1], 1),
        cost_low=0.9, cost_high=1.3, source="sw-a-inhouse",
    ),)
    return sample_plan(
        name="South West alliance: one IT services contract",
        alliance="Devon & Cornwall Police and Dorset Police strategic alliance",
        notes="Models the alliance's ten-year managed-service contract against business as "
              "usual, a do-minimum and converging in-house. Airwave airtime is a national "
              "contract and stays the same in every option.",
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
                   "2027/28.", decisions=managed),
            Option("IH", "Converge in-house in three waves", OptionRole.OTHER,
                   "The forces converge onto Devon & Cornwall's platforms, 2027/28 to "
                   "2029/30.", decisions=in_house),
        ),
        own_sources=OWN,
        cite=("a-contract-ends",),
    )
