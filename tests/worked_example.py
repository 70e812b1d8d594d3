"""The worked example of docs/method.md, as a plan (shared by the tests)."""

from datetime import date

from alliance_planner.domain.green_book import OBCategory
from alliance_planner.domain.model import (
    Decision,
    EstateItem,
    Force,
    Mode,
    Option,
    OptionRole,
    Plan,
    Service,
    Site,
    SiteAction,
)


def worked_example() -> Plan:
    return Plan(
        name="Worked example",
        base_year=2026,
        horizon_years=5,
        discount_rate=0.035,
        cost_per_officer_hour=40.0,
        cost_per_staff_fte=45_000.0,
        visible_hours_per_officer_week=30.0,
        weeks_per_year=52.0,
        severance_months=12.0,
        turnover_share=0.3,
        forces=(Force("A", "Force A", officers=3000, staff=1500),
                Force("B", "Force B", officers=1000, staff=500)),
        services=(Service("desk", "Service desk"),),
        estate=(
            EstateItem("A", "desk", annual_running_cost=1_000_000, support_fte=10,
                       contract_end=date(2028, 3, 31), exit_fee=100_000),
            EstateItem("B", "desk", annual_running_cost=600_000, support_fte=8),
        ),
        sites=(Site("hq", "Old HQ", "B", annual_running_cost=50_000, market_value=400_000),),
        options=(
            Option("BAU", "Business as usual", OptionRole.BASELINE),
            Option("ONE", "One service desk", OptionRole.PREFERRED, decisions=(
                Decision("desk", Mode.CONVERGE, go_live_year=2027, transition_cost=500_000,
                         transition_profile=(0.5, 0.5),
                         ob_category=OBCategory.EQUIPMENT_DEVELOPMENT, ob_mitigation=1.0,
                         ob_reason="an off-the-shelf desk: the lower bound",
                         asset_life=5.0, shared_running_cost=1_100_000,
                         shared_support_fte=12, officer_hours_per_week=300,
                         benefit_ramp=(0.5, 1.0)),
            ), site_actions=(SiteAction("hq", 2029, disposal_receipt=400_000),)),
        ),
    )
