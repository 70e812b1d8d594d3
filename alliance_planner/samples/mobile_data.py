"""Case 5: Staffordshire's tablets for every frontline officer and PCSO, releasing 3,000
frontline officer hours a week ("equivalent to 100 extra police officers on duty")."""

from __future__ import annotations

from datetime import date

from ..domain.model import Decision, Mode, Option, OptionRole, Plan, Source
from .common import (
    HALF_IN_THE_FIRST_YEAR,
    IT_CAPITAL,
    KNOWN_PRICE,
    NO_RUNNING_ROW,
    estate_for,
    pick_forces,
    sample_plan,
)

HOURS_RELEASED = 3000.0
GO_LIVE = 2027
HORIZON = 11
"""2026/27, then ten years of use from the 2027/28 rollout (source st-a-period)."""
TERMS = {"TAB": (GO_LIVE, HORIZON - 1), "TABO": (GO_LIVE, HORIZON - 1),
         "DM": (GO_LIVE, HORIZON - 1)}
"""Each option's appraised term: (first year, years); the horizon covers it."""
TABLET_LIFE = 4.0
LAPTOP_LIFE = 5.0

OWN = (
    Source("st-mobile", "Staffordshire Police mobile data programme",
           "Tablets for all frontline officers and PCSOs; '3,000 extra frontline officer "
           "hours a week, equivalent time-wise to 100 extra police officers on duty'; enter "
           "information once instead of many times."),
    Source("st-a-period", "Assumption: ten years of use",
           "Devices have no contract term: the appraisal covers 2026/27 and ten years of "
           "use from the 2027/28 rollout, as the other samples do. The devices' replacement "
           "reserve, in their running cost, keeps them in service throughout.",
           is_assumption=True),
    Source("st-a-tablets", "Assumption: tablets cost £800 each to buy and roll out",
           "Below the 'more than £1,000' of a high-specification laptop: about £650 for a "
           "rugged tablet and £150 to configure, train and deploy. Running: £240 a year of "
           "mobile data and £200 a year of replacement reserve (a four-year life, so the "
           "first tablets are used up within the period: no residual value). Optimism "
           "bias 10%, the equipment/development lower bound: standard devices at a known "
           "price. The hours are the force's own figure, counted in full, but reached over "
           "the first year as tablets are issued and officers trained (a-benefit-ramp).",
           is_assumption=True),
    Source("st-a-laptops", "Assumption: refreshing the in-vehicle laptops instead",
           "About 600 vehicle laptops at £1,200, releasing a fifth of the tablets' hours as "
           "officers still return to vehicles to enter data. Laptops last five years "
           "(laptop-cost's unit cost), so £240 a laptop a year is reserved to replace them, "
           "as the tablets' reserve does; the first laptops are used up within the period. "
           "Optimism bias 10%: standard devices at a known price.", is_assumption=True),
)


def build() -> Plan:
    forces = pick_forces("staffordshire")
    force = forces[0]
    estate = estate_for(forces, ("field-mobile",),
                        contract_ends={"field-mobile": date(2027, 3, 31)})
    frontline = force.officers + force.pcsos
    officers_only = force.officers / frontline
    reason = ("One-off: equipment/development, fully mitigated (10%): standard devices at a "
              "known price. " + NO_RUNNING_ROW)

    def tablets(share: float) -> Decision:
        devices = round(frontline * share)
        return Decision(
            service="field-mobile", mode=Mode.CONVERGE, platform="Tablets",
            go_live_year=GO_LIVE, transition_cost=800.0 * devices,
            ob_category=IT_CAPITAL, ob_mitigation=KNOWN_PRICE, ob_reason=reason,
            shared_running_cost=440.0 * devices, shared_support_fte=round(devices / 1000, 1),
            officer_hours_per_week=round(HOURS_RELEASED * share, 1),
            benefit_ramp=HALF_IN_THE_FIRST_YEAR, asset_life=TABLET_LIFE,
            cost_low=0.9, cost_high=1.3, benefit_low=0.5, benefit_high=1.1,
            source="st-a-tablets",
        )

    laptops = Decision(
        service="field-mobile", mode=Mode.RETAIN, platform="In-vehicle laptops",
        go_live_year=GO_LIVE, transition_cost=600 * 1200.0,
        ob_category=IT_CAPITAL, ob_mitigation=KNOWN_PRICE, ob_reason=reason,
        shared_running_cost=600 * 1200.0 / LAPTOP_LIFE,
        officer_hours_per_week=HOURS_RELEASED / 5, benefit_ramp=HALF_IN_THE_FIRST_YEAR,
        asset_life=LAPTOP_LIFE, source="st-a-laptops",
    )
    return sample_plan(
        name="Staffordshire: mobile data for the frontline",
        alliance="Staffordshire Police",
        horizon_years=HORIZON,
        notes="The released hours are not cashable: they show in the NPSV and as officer "
              "full-time equivalents, not in the cash NPV.",
        forces=forces,
        service_codes=("field-mobile",),
        estate=estate,
        options=(
            Option("BAU", "Business as usual", OptionRole.BASELINE),
            Option("DM", "Do minimum: refresh vehicle laptops", OptionRole.DO_MINIMUM,
                   decisions=(laptops,)),
            Option("TAB", "Tablets for every frontline officer and PCSO", OptionRole.PREFERRED,
                   decisions=(tablets(1.0),)),
            Option("TABO", "Tablets for officers only", OptionRole.OTHER,
                   decisions=(tablets(officers_only),)),
        ),
        own_sources=OWN,
        cite=("laptop-cost", "a-benefit-ramp"),
    )
