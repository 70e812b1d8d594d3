"""Case 4: West Midlands Police's five-year operating-model partner, under a target to
save over £120m in five years after 2,500 posts had already gone."""

from __future__ import annotations

from ..domain.model import Decision, Mode, Option, OptionRole, Plan, Source
from .common import (
    HALF_IN_THE_FIRST_YEAR,
    IT_CAPITAL,
    KNOWN_PRICE,
    NO_RUNNING_ROW,
    NOT_YET_DESIGNED,
    SEVERANCE_MONTHS,
    TURNOVER_SHARE,
    as_cash_of,
    estate_for,
    pick_forces,
    sample_plan,
    to_base_prices,
)

SERVICES = ("contact-101-999", "field-mobile", "records", "hr-finance")
TARGET = 120e6
TARGET_YEARS = 5
PARTNER_FEES = 25e6
PRICE_YEAR = 2014
"""The partnership was let on 22 July 2014, in 2014-15: its £25m is cash of that year."""
PARTNERSHIP_YEARS = 5
EXTENSION_YEARS = 3
HORIZON = PARTNERSHIP_YEARS + EXTENSION_YEARS
"""The partnership runs from 2026/27, the base year: five years and the three-year
extension, 2026/27 to 2033/34."""
TERMS = {"OMP": (2026, HORIZON), "BRK": (2026, 2)}
"""Each contracted option's term: (first year, years); the horizon covers it."""
POSTS_REMOVED = 250
COST_A_POST = 36_000.0
SYSTEM_LIFE = 7.0
DEVICE_LIFE = 4.0

OWN = (
    Source("wm-partner", "West Midlands Police operating-model partner (Accenture)",
           "Five-year partnership, contract about £25m, a break point after the first phase, "
           "an option to extend three more years. The force must save over £120m in five "
           "years after taking over £100m out of its budget and 2,500 officer and staff "
           "posts. Online crime reporting and case tracking, new mobile devices. Announced "
           "22 July 2014 (2014-15); payments are performance-related, made when outcomes "
           "such as budget savings are delivered (Computerworld UK).",
           "https://newsroom.accenture.com/news/2014/"
           "west-midlands-police-chooses-accenture-as-innovation-and-integration-partner"),
    Source("wm-a-target", "Assumption: the £120m target is cash of 2014-15",
           "The target was set in 2014 for the five years to 2019/20, in cash. It is taken "
           "as cash of 2014-15 and converted to 2026-27 prices (£168.6m) so that it is "
           "measured in the same prices as the savings it is compared with.",
           is_assumption=True),
    Source("wm-a-phases", "Assumption: the partner's £25m by phase",
           "Phase one (2026/27 to 2027/28): online crime reporting £5m and mobile devices "
           "£7m. Phase two (to 2028/29): case tracking £8m and a back-office redesign £5m. "
           "Cash of 2014-15, the contract's price year. Optimism bias 10%, the equipment/"
           "development lower bound: the fees are contracted and paid on outcomes. The "
           "partner's decisions carry 2014-15 as their price year; the plan's own "
           "estimates on them (savings, running costs, severance) are at 2026-27 prices, "
           "entered as their 2014-15 cash equivalents.", is_assumption=True),
    Source("wm-a-benefits", "Assumption: what the new operating model saves",
           "Online reporting saves £2.5m a year of contact handling; the back-office "
           "redesign removes about 250 staff posts (£9m a year, £36,000 a post); case "
           "tracking saves £3m a year of administration. Mobile devices release 2,400 "
           "officer hours a week (20 minutes for each of about 7,200 frontline officers). "
           "All at 2026-27 prices, half in the first year live (a-benefit-ramp). The "
           "do-minimum's own online reporting costs £3m and saves £1.5m a year; its "
           "optimism bias is equipment/development mitigated by 75% (57.5%), as the force "
           "would build it without a partner and it is not yet designed.",
           is_assumption=True),
    Source("wm-a-severance", "Assumption: severance for the 250 back-office posts",
           "The posts the redesign removes are not IT support staff, so the plan's "
           "severance is applied to them here, as a one-off exit cost in the go-live year: "
           "250 posts x (1 - 30% absorbed by turnover) x 12 months' pay of £36,000 = "
           "£6.3m at 2026-27 prices (a-severance, a-turnover).", is_assumption=True),
    Source("wm-a-devices", "Assumption: running the new mobile devices",
           "About 8,600 devices at £240 a year of data and £200 a year of replacement "
           "reserve (a four-year life), at 2026-27 prices.", is_assumption=True),
    Source("wm-a-lives", "Assumption: the systems built serve seven years",
           "Online reporting and case tracking are line-of-business software, taken to "
           "serve seven years before they are rebuilt; what is unused at the end of the "
           "period counts as residual value. The devices are replaced from their reserve; "
           "the back-office redesign buys no asset.", is_assumption=True),
)


def build() -> Plan:
    forces = pick_forces("west-midlands")
    estate = estate_for(forces, SERVICES)
    devices = forces[0].officers + forces[0].pcsos

    def cash(amount: float) -> float:
        return as_cash_of(PRICE_YEAR, amount)

    partner_reason = ("One-off: equipment/development, fully mitigated (10%): contracted "
                      "fees paid on outcomes (wm-a-phases).")
    phase_one = (
        Decision(service="contact-101-999", mode=Mode.RETAIN, platform="Online reporting",
                 go_live_year=2027, transition_cost=5e6, transition_profile=(0.5, 0.5),
                 ob_category=IT_CAPITAL, ob_mitigation=KNOWN_PRICE, ob_reason=partner_reason,
                 other_savings=cash(2.5e6), benefit_ramp=HALF_IN_THE_FIRST_YEAR,
                 asset_life=SYSTEM_LIFE, price_year=PRICE_YEAR, benefit_low=0.6,
                 benefit_high=1.2, cost_high=1.3, source="wm-a-phases"),
        Decision(service="field-mobile", mode=Mode.CONVERGE, platform="New mobile devices",
                 go_live_year=2027, transition_cost=7e6, transition_profile=(0.5, 0.5),
                 ob_category=IT_CAPITAL, ob_mitigation=KNOWN_PRICE,
                 ob_reason=f"{partner_reason} {NO_RUNNING_ROW}",
                 shared_running_cost=cash(devices * 440), shared_support_fte=8.0,
                 officer_hours_per_week=2400.0, benefit_ramp=HALF_IN_THE_FIRST_YEAR,
                 asset_life=DEVICE_LIFE, price_year=PRICE_YEAR,
                 benefit_low=0.5, benefit_high=1.2, cost_high=1.3, source="wm-a-devices"),
    )
    severance = POSTS_REMOVED * (1 - TURNOVER_SHARE) * SEVERANCE_MONTHS / 12 * COST_A_POST
    phase_two = (
        Decision(service="records", mode=Mode.RETAIN, platform="Case tracking",
                 go_live_year=2028, transition_cost=8e6, transition_profile=(0.25, 0.5, 0.25),
                 ob_category=IT_CAPITAL, ob_mitigation=KNOWN_PRICE, ob_reason=partner_reason,
                 other_savings=cash(3e6), benefit_ramp=HALF_IN_THE_FIRST_YEAR,
                 asset_life=SYSTEM_LIFE, price_year=PRICE_YEAR, benefit_low=0.5,
                 benefit_high=1.2, cost_high=1.4, source="wm-a-phases"),
        Decision(service="hr-finance", mode=Mode.RETAIN, platform="Back-office redesign",
                 go_live_year=2028, transition_cost=5e6, transition_profile=(0.5, 0.5),
                 ob_category=IT_CAPITAL, ob_mitigation=KNOWN_PRICE, ob_reason=partner_reason,
                 exit_cost=cash(severance),
                 other_savings=cash(POSTS_REMOVED * COST_A_POST),
                 benefit_ramp=HALF_IN_THE_FIRST_YEAR, price_year=PRICE_YEAR,
                 benefit_low=0.6, benefit_high=1.1, cost_high=1.3, source="wm-a-benefits"),
    )
    do_minimum = (
        Decision(service="contact-101-999", mode=Mode.RETAIN, platform="Online reporting (own)",
                 go_live_year=2028, transition_cost=3e6, transition_profile=(0.5, 0.5),
                 ob_category=IT_CAPITAL, ob_mitigation=NOT_YET_DESIGNED,
                 ob_reason="One-off: equipment/development, mitigated by 75% to 57.5%: built "
                           "by the force without a partner, not yet designed "
                           "(wm-a-benefits).",
                 other_savings=1.5e6, benefit_ramp=HALF_IN_THE_FIRST_YEAR,
                 asset_life=SYSTEM_LIFE, source="wm-a-benefits"),
    )
    return sample_plan(
        name="West Midlands: operating-model partner",
        alliance="West Midlands Police",
        horizon_years=HORIZON,
        savings_target=round(to_base_prices(TARGET, PRICE_YEAR), 2),
        savings_target_years=TARGET_YEARS,
        notes="Eight years: the five-year partnership and its three-year extension. The "
              "£120m target (cash of 2014-15, £168.6m at 2026-27 prices) is the whole "
              "force's; the plan shows how much of it the IT-enabled operating model can "
              "carry.",
        forces=forces,
        service_codes=SERVICES,
        estate=estate,
        options=(
            Option("BAU", "Business as usual", OptionRole.BASELINE),
            Option("DM", "Do minimum: own online reporting", OptionRole.DO_MINIMUM,
                   decisions=do_minimum),
            Option("OMP", "Operating-model partner, both phases", OptionRole.PREFERRED,
                   decisions=phase_one + phase_two),
            Option("BRK", "Partner to the break point (phase one only)", OptionRole.OTHER,
                   decisions=phase_one),
        ),
        own_sources=OWN,
        cite=("a-benefit-ramp",),
    )
