"""Case 4: West Midlands Police's five-year operating-model partner, under a target to
save over £120m in five years after 2,500 posts had already gone."""

from __future__ import annotations

from ..domain.model import Decision, Mode, Option, OptionRole, Plan, Source
from .common import estate_for, pick_forces, sample_plan

SERVICES = ("contact-101-999", "field-mobile", "records", "hr-finance")
TARGET = 120e6
TARGET_YEARS = 5
PARTNER_FEES = 25e6

OWN = (
    Source("wm-partner", "West Midlands Police operating-model partner (Accenture)",
           "Five-year partnership, contract about £25m, a break point after the first phase, "
           "an option to extend three more years. The force must save over £120m in five "
           "years after taking over £100m out of its budget and 2,500 officer and staff "
           "posts. Online crime reporting and case tracking, new mobile devices."),
    Source("wm-a-phases", "Assumption: the partner's £25m by phase",
           "Phase one (2026/27 to 2027/28): online crime reporting £5m and mobile devices "
           "£7m. Phase two (to 2028/29): case tracking £8m and a back-office redesign £5m. "
           "Optimism bias 10%: fees are contracted.", is_assumption=True),
    Source("wm-a-benefits", "Assumption: what the new operating model saves",
           "Online reporting saves £2.5m a year of contact handling; the back-office "
           "redesign removes about 250 staff posts (£9m a year); case tracking saves £3m a "
           "year of administration. Mobile devices release 2,400 officer hours a week "
           "(20 minutes for each of about 7,200 frontline officers).", is_assumption=True),
    Source("wm-a-devices", "Assumption: running the new mobile devices",
           "About 8,600 devices at £240 a year of data and £200 a year of replacement "
           "reserve.", is_assumption=True),
)


def build() -> Plan:
    forces = pick_forces("west-midlands")
    estate = estate_for(forces, SERVICES)
    devices = forces[0].officers + forces[0].pcsos
    phase_one = (
        Decision(service="contact-101-999", mode=Mode.RETAIN, platform="Online reporting",
                 go_live_year=2027, transition_cost=5e6, transition_profile=(0.5, 0.5),
                 optimism_bias=0.10, other_savings=2.5e6, benefit_low=0.6,
                 benefit_high=1.2, cost_high=1.3, source="wm-a-phases"),
        Decision(service="field-mobile", mode=Mode.CONVERGE, platform="New mobile devices",
                 go_live_year=2027, transition_cost=7e6, transition_profile=(0.5, 0.5),
                 optimism_bias=0.10, shared_running_cost=round(devices * 440, 2),
                 shared_support_fte=8.0, officer_hours_per_week=2400.0,
                 benefit_low=0.5, benefit_high=1.2, cost_high=1.3, source="wm-a-devices"),
    )
    phase_two = (
        Decision(service="records", mode=Mode.RETAIN, platform="Case tracking",
                 go_live_year=2028, transition_cost=8e6, transition_profile=(0.25, 0.5, 0.25),
                 optimism_bias=0.10, other_savings=3e6, benefit_low=0.5,
                 benefit_high=1.2, cost_high=1.4, source="wm-a-phases"),
        Decision(service="hr-finance", mode=Mode.RETAIN, platform="Back-office redesign",
                 go_live_year=2028, transition_cost=5e6, transition_profile=(0.5, 0.5),
                 optimism_bias=0.10, other_savings=9e6, benefit_low=0.6,
                 benefit_high=1.1, cost_high=1.3, source="wm-a-benefits"),
    )
    do_minimum = (
        Decision(service="contact-101-999", mode=Mode.RETAIN, platform="Online reporting (own)",
                 go_live_year=2028, transition_cost=3e6, transition_profile=(0.5, 0.5),
                 optimism_bias=0.5, other_savings=1.5e6, source="wm-a-benefits"),
    )
    return sample_plan(
        name="West Midlands: operating-model partner",
        alliance="West Midlands Police",
        horizon_years=8,
        savings_target=TARGET,
        savings_target_years=TARGET_YEARS,
        notes="Eight years: the five-year partnership and its three-year extension. The "
              "£120m target is the whole force's; the plan shows how much of it the IT-enabled "
              "operating model can carry.",
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
    )
