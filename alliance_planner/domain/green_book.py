"""HM Treasury Green Book reference figures, as published, with where each comes from.

Transcribed from shared/data/green_book (SOURCE.md there names each document). A plan
holds its own copy of the deflator series it used, so that an appraisal made today still
reads the same after a new vintage is published; these are what a new plan starts from.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

DISCOUNT_SCHEDULE: Final = ((0, 0.035), (31, 0.030), (76, 0.025), (126, 0.020),
                            (201, 0.015), (301, 0.010))
"""(first year of the band, rate): the Green Book's standard schedule of discount rates."""
DISCOUNT_SOURCE: Final = ("HM Treasury, The Green Book: discount rates by year of the "
                          "appraisal period, 3.5% for years 0-30, 3.0% for 31-75, 2.5% for "
                          "76-125, 2.0% for 126-200, 1.5% for 201-300, 1.0% after")


class OBCategory(StrEnum):
    """Where an optimism bias rate comes from: a row of the Green Book's table, or stated."""

    STATED = "stated"
    STANDARD_BUILDINGS = "standard buildings"
    NON_STANDARD_BUILDINGS = "non-standard buildings"
    STANDARD_CIVIL = "standard civil engineering"
    NON_STANDARD_CIVIL = "non-standard civil engineering"
    EQUIPMENT_DEVELOPMENT = "equipment/development"
    OUTSOURCING = "outsourcing"


CAPITAL_OB: Final[dict[OBCategory, tuple[float, float]]] = {
    OBCategory.STANDARD_BUILDINGS: (0.24, 0.02),
    OBCategory.NON_STANDARD_BUILDINGS: (0.51, 0.04),
    OBCategory.STANDARD_CIVIL: (0.44, 0.03),
    OBCategory.NON_STANDARD_CIVIL: (0.66, 0.06),
    OBCategory.EQUIPMENT_DEVELOPMENT: (2.00, 0.10),
}
"""Capital expenditure optimism bias, (upper, lower) bounds: Mott MacDonald (2002), Review of
Large Public Procurement in the UK, Table 2, behind the Green Book's supplementary guidance."""
RUNNING_OB: Final[dict[OBCategory, tuple[float, float]]] = {
    OBCategory.OUTSOURCING: (0.41, 0.0),
}
"""Operating expenditure optimism bias: outsourcing, 41% upper, 0% lower (the same table)."""
OB_SOURCE: Final = ("Mott MacDonald (2002), Review of Large Public Procurement in the UK, for "
                    "HM Treasury, Table 2 (Green Book supplementary guidance: optimism bias)")


def ob_rate(category: OBCategory, mitigation: float, stated: float, *,
            running: bool = False) -> float:
    """The rate a decision's costs take: the table's upper bound reduced by the mitigation
    a project can evidence, towards (at 100%) the lower bound; or the stated rate."""
    if category is OBCategory.STATED:
        return stated
    upper, lower = (RUNNING_OB if running else CAPITAL_OB)[category]
    return lower + (upper - lower) * (1.0 - mitigation)


GDP_DEFLATORS: Final = (
    (2000, 54.3697), (2001, 55.4597), (2002, 56.6000), (2003, 57.9885), (2004, 59.7172),
    (2005, 61.3576), (2006, 63.2017), (2007, 64.4380), (2008, 66.8397), (2009, 67.7042),
    (2010, 68.8561), (2011, 70.3261), (2012, 71.5454), (2013, 73.0337), (2014, 74.0662),
    (2015, 74.5804), (2016, 76.0754), (2017, 77.0388), (2018, 78.7948), (2019, 80.8738),
    (2020, 85.1002), (2021, 85.3036), (2022, 91.2996), (2023, 96.1117), (2024, 100.0000),
)
"""GDP deflator at market prices by financial year (2024 is 2024-25 = 100), outturn."""
DEFLATOR_SOURCE: Final = ("HM Treasury, GDP deflators at market prices, and money GDP: March "
                          "2026 (Quarterly National Accounts), 31 March 2026; 2024-25 = 100")
DEFLATOR_GROWTH: Final = 0.02
"""After the published outturn: about 2% a year, the OBR's forecast growth of the deflator
(Spring Statement, March 2026), an assumption each plan states and may change."""
