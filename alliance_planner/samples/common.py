"""What every sample plan shares: the 43 forces, the service catalogue, the public sources
and the labelled assumptions that stand in where no public figure exists.

Rule for this package: a number is either copied from a public source named in
``SOURCES`` or is an assumption whose ``Source`` says so and gives its reasoning.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..domain.green_book import DEFLATOR_GROWTH, DEFLATOR_SOURCE, GDP_DEFLATORS, OBCategory
from ..domain.model import (
    Category,
    Condition,
    Deflator,
    EstateItem,
    Force,
    Plan,
    Service,
    SharingBasis,
    Source,
)
from ..paths import sample_data

# --- sources -----------------------------------------------------------------------------

_PUBLIC = [
    Source("ho-workforce-2019",
           "Home Office, Police workforce, England and Wales, 30 September 2019",
           "Tables 2, 3, 5 and 12: police staff and designated officers (FTE), PCSOs (FTE), "
           "special constables (headcount). Parsed from police-workforce-sep19-tables.ods.",
           "https://assets.publishing.service.gov.uk/government/uploads/system/uploads/"
           "attachment_data/file/861796/police-workforce-sep19-tables.ods"),
    Source("ho-workforce-2026", "Home Office, Police workforce open data table, 31 March 2026",
           "Police officers, total FTE, summed per force (rounded to whole FTE)."),
    Source("ons-pfa-2026", "ONS, Crime in England and Wales: Police Force Area data tables, "
           "year ending March 2026, Table P3",
           "Mid-2024 population (rounded to 100). Recorded crimes are derived as the published "
           "rate per 1,000 x population: an approximation, not an official count."),
    Source("green-book", "HM Treasury, The Green Book (central government appraisal)",
           "Discount rate 3.5% real for years 0-30, 3.0% for 31-75; NPSV = PV benefits - PV "
           "costs; BCR = PV benefits / PV costs; short list of business as usual, "
           "do-minimum, preferred way and at least one other; the appraisal period covers "
           "the transition and the life of what is appraised, with residual values at its "
           "end.",
           "https://www.gov.uk/government/publications/the-green-book-appraisal-and-evaluation-in-central-government"),
    Source("green-book-ob", "HM Treasury Green Book supplementary guidance: optimism bias "
           "(Mott MacDonald, 2002, Review of Large Public Procurement in the UK, Table 2)",
           "Upper / lower bounds on capital cost: equipment and development 200% / 10%; "
           "standard buildings 24% / 2%; non-standard buildings 51% / 4%; standard civil "
           "engineering 44% / 3%; non-standard civil engineering 66% / 6%. On operating cost: "
           "outsourcing 41% / 0%. The upper bound applies until a project evidences the "
           "mitigation that moves it towards the lower bound: rate = lower + (upper - lower) "
           "x (1 - mitigation). (The table's works-duration rates, such as 54% / 10% for "
           "equipment and development, are for time overruns, not a cost uplift.)",
           "https://www.gov.uk/government/publications/green-book-supplementary-guidance-optimism-bias"),
    Source("gdp-deflators", "HM Treasury, GDP deflators at market prices, and money GDP: "
           "March 2026 (Quarterly National Accounts)",
           DEFLATOR_SOURCE + ". Outturn 2000-01 to 2024-25, to 4 decimal places; cash of a "
           "year is converted to the base year's prices by the ratio of the two years' "
           "indices.",
           "https://www.gov.uk/government/statistics/"
           "gdp-deflators-at-market-prices-and-money-gdp-march-2026-quarterly-national-accounts"),
    Source("nao-esn-2016", "National Audit Office, Upgrading emergency service communications: "
           "the Emergency Services Network, HC 627 (September 2016)",
           "Airwave costs about £1,300 per handheld or vehicle device a year."),
    Source("kent-bwv-2015", "Kent Police body-worn video purchase, 2015 (kentonline.co.uk)",
           "About £550 a camera for 1,600 cameras (about £1.8m)."),
    Source("metricnet", "MetricNet service desk benchmark, via blogs.manageengine.com (2014)",
           "Level-1 cost about US$22 a ticket, roughly tripling at each escalation. Generic, "
           "not police."),
    Source("laptop-cost", "publicsectorexecutive.com, police IT budget article (CHG-Meridian)",
           "High-specification laptops cost more than £1,000 a device."),
    Source("nao-productivity-2025", "National Audit Office, Police productivity (November 2025), "
           "as reported by The Register, 4 November 2025",
           "Forces spend about £2bn a year on technology, about 97% of it maintaining legacy "
           "systems."),
    Source("ict-company", "Police ICT Company, governance and funding (ict.police.uk)",
           "Flat member subscription of £60,000 a force a year."),
]

_ASSUMED = [
    Source("a-officer-hour", "Assumption: cost of an officer hour, £40",
           "A constable's full employment cost (pay, employer's National Insurance and "
           "pension) of roughly £66,000 a year over about 1,650 productive hours. Not taken "
           "from a public source in this plan: replace with your force's own rate.",
           is_assumption=True),
    Source("a-staff-fte", "Assumption: cost of an ICT support FTE, £45,000 a year",
           "A mid-grade police staff ICT post with on-costs. Replace with your force's "
           "grade costs.", is_assumption=True),
    Source("a-visible-hours", "30 visible hours per officer-week (derived from Staffordshire)",
           "Staffordshire said 3,000 extra frontline hours a week were 'equivalent to 100 extra "
           "officers on duty': 3,000 / 100 = 30 hours per officer-week."),
    Source("a-deflator-growth", "Assumption: the GDP deflator grows 2% a year after 2024-25",
           "The published outturn ends with 2024-25 (= 100). The OBR's forecasts (Spring "
           "Statement, 3 March 2026) are published as percentage changes of about 2% a year "
           "and are not transcribed here; 2% a year is taken from 2025-26 on, so the 2026-27 "
           "base year's index is 104.04. Replace with the OBR's published changes.",
           is_assumption=True),
    Source("a-severance", "Assumption: severance costs 12 months' pay for each support post "
           "removed",
           "Police staff redundancy pay, with the pension strain of the early retirements a "
           "reduction brings, is of the order of a year's cost for a mid-career post. "
           "Applied to each year's fall in support staff against business as usual, less "
           "those who transfer to a supplier and those turnover absorbs. Replace with the "
           "forces' own redundancy terms.", is_assumption=True),
    Source("a-turnover", "Assumption: turnover absorbs 30% of support staff reductions",
           "About one in ten police staff leave a force each year; over the three years a "
           "transition is planned, posts that fall vacant can be left unfilled, so about 30% "
           "of a reduction needs no redundancy.", is_assumption=True),
    Source("a-benefit-ramp", "Assumption: benefits ramp up over the first year live",
           "Devices are rolled out, people trained and processes changed during the first "
           "year of a new service, so half of a full year's benefit is counted in it and the "
           "whole from the second year, unless a decision's own source says otherwise.",
           is_assumption=True),
    Source("a-contract-ends", "Assumption: contract end dates",
           "Contract end dates are not public; they are spread over the plan's first years "
           "so that the roadmap shows which go-lives would need an early exit.",
           is_assumption=True),
]

SOURCES: dict[str, Source] = {s.key: s for s in _PUBLIC + _ASSUMED}


def sources(keys: Iterable[str], *extra: Source) -> tuple[Source, ...]:
    """The named shared sources plus a plan's own, in a stable order, each once."""
    chosen = {k: SOURCES[k] for k in keys}
    for s in extra:
        chosen[s.key] = s
    return tuple(chosen.values())


# --- forces ------------------------------------------------------------------------------


FORCES_CSV = "police_forces_england_wales.csv"


def _number(text: str) -> float:
    return float(text) if text.strip() else 0.0


def england_and_wales() -> tuple[Force, ...]:
    """The 43 territorial forces of England and Wales, from the shipped public figures."""
    text = sample_data(FORCES_CSV).read_text(encoding="utf-8")
    forces = []
    for row in csv.DictReader(text.splitlines()):
        crimes = row["recorded_crime_approx_ye2026_03_DERIVED"]
        forces.append(Force(
            code=row["police_uk_id"],
            name=row["force_name"],
            officers=_number(row["officers_fte_2026_03"]),
            staff=round(_number(row["police_staff_fte_2019_09"])
                        + _number(row["designated_officers_fte_2019_09"]), 1),
            pcsos=_number(row["pcso_fte_2019_09"]),
            specials=_number(row["special_constables_headcount_2019_09"]),
            population=_number(row["population_mid2024"]),
            recorded_crimes=float(crimes) if crimes else None,
            source="ho-workforce-2026",
        ))
    return tuple(forces)


def force_regions() -> dict[str, str]:
    """Each of the 43 forces' region (North East, Wales...), by code."""
    text = sample_data(FORCES_CSV).read_text(encoding="utf-8")
    return {row["police_uk_id"]: row["region"] for row in csv.DictReader(text.splitlines())}


def pick_forces(*codes: str) -> tuple[Force, ...]:
    everyone = {f.code: f for f in england_and_wales()}
    missing = [c for c in codes if c not in everyone]
    if missing:
        raise KeyError(f"unknown force codes: {', '.join(missing)}")
    return tuple(everyone[c] for c in codes)


FORCE_SOURCES = ("ho-workforce-2026", "ho-workforce-2019", "ons-pfa-2026")

# --- services ----------------------------------------------------------------------------

CATALOGUE: tuple[Service, ...] = (
    Service("service-desk", "Service desk", Category.INFRASTRUCTURE),
    Service("field-mobile", "Field mobile data", Category.FRONTLINE_MOBILITY),
    Service("radio-support", "Airwave handheld and vehicle radio support", Category.COMMUNICATIONS),
    Service("airwave-airtime", "Airwave airtime (national contract)", Category.COMMUNICATIONS),
    Service("body-worn-video", "Body-worn video", Category.FRONTLINE_MOBILITY),
    Service("contact-101-999", "101 and 999 contact", Category.CONTACT),
    Service("command-control", "Command and control", Category.CONTACT),
    Service("network", "Network and WAN", Category.INFRASTRUCTURE),
    Service("hosting", "Data centre and hosting", Category.INFRASTRUCTURE),
    Service("security", "Cyber security", Category.SECURITY),
    Service("productivity", "Productivity suite (email, documents)", Category.PRODUCTIVITY),
    Service("end-user-devices", "Desktops and laptops", Category.PRODUCTIVITY),
    Service("telephony", "Telephony", Category.COMMUNICATIONS),
    Service("records", "Records management system", Category.DATA_AND_INTELLIGENCE),
    Service("intelligence", "Intelligence and data sharing", Category.DATA_AND_INTELLIGENCE),
    Service("digital-evidence", "Digital evidence management", Category.DATA_AND_INTELLIGENCE),
    Service("custody", "Custody system", Category.DATA_AND_INTELLIGENCE),
    Service("anpr", "ANPR", Category.DATA_AND_INTELLIGENCE),
    Service("hr-finance", "HR, finance and payroll", Category.CORPORATE),
    Service("estates-fm", "Estates and facilities management", Category.BUILDINGS),
)


def services(*codes: str) -> tuple[Service, ...]:
    by_code = {s.code: s for s in CATALOGUE}
    return tuple(by_code[c] for c in codes)


# --- unit costs --------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitCost:
    """Running cost and support staff a year per unit of a driver, with its reasoning."""

    driver: str  # "users", "frontline" (officers + PCSOs), "vehicles", "population"
    running: float  # £ a year per unit
    fte_per_1000: float  # support FTE per 1,000 units
    based_on: str  # a public source key, or "" where the figure is reasoned, not published
    reasoning: str


UNIT_COSTS: dict[str, UnitCost] = {
    "service-desk": UnitCost("users", 45.0, 2.5, "",
        "Tooling and telephony £45 a user; 2.5 analysts per 1,000 users (about six tickets a "
        "user a year at MetricNet's ~US$22 level-1 cost, escalations on top)."),
    "field-mobile": UnitCost("frontline", 490.0, 1.0, "",
        "A £1,000 device over a four-year life (£250) plus £20 a month of mobile data (£240); "
        "one support FTE per 1,000 devices."),
    "radio-support": UnitCost("frontline", 150.0, 1.2, "",
        "Installation, repair and programming of handheld and vehicle radios: £150 a device."),
    "airwave-airtime": UnitCost("frontline", 1300.0, 0.0, "nao-esn-2016",
        "NAO: £1,300 per handheld or vehicle device a year; one device per officer and PCSO."),
    "body-worn-video": UnitCost("frontline", 260.0, 0.6, "kent-bwv-2015",
        "Kent paid about £550 a camera; over a three-year life (£183) plus evidence storage "
        "and licences (about £75) a camera a year."),
    "contact-101-999": UnitCost("population", 1.10, 0.0, "",
        "Telephony, recording and contact platforms (not call handlers, who stay in every "
        "option): about £1.10 a resident a year."),
    "command-control": UnitCost("population", 0.45, 0.004, "",
        "Command and control licences and support: about £0.45 a resident a year."),
    "network": UnitCost("users", 120.0, 1.5, "",
        "WAN links, LAN and Wi-Fi across a force's sites: about £120 a user a year."),
    "hosting": UnitCost("users", 110.0, 1.5, "",
        "On-premise data centres, servers and storage: about £110 a user a year."),
    "security": UnitCost("users", 40.0, 0.8, "",
        "Security monitoring, tooling and accreditation: about £40 a user a year."),
    "productivity": UnitCost("users", 95.0, 0.8, "",
        "On-premise email and office licences, servers and support: about £95 a user a year."),
    "end-user-devices": UnitCost("users", 210.0, 1.5, "laptop-cost",
        "A £1,000 laptop or desktop over a five-year life (£200) plus imaging and repair."),
    "telephony": UnitCost("users", 60.0, 0.4, "",
        "Desk and mobile voice: about £60 a user a year."),
    "records": UnitCost("users", 85.0, 1.0, "",
        "Records management licences, hosting and support: about £85 a user a year."),
    "intelligence": UnitCost("users", 50.0, 0.6, "",
        "Intelligence system and data-sharing gateways: about £50 a user a year."),
    "digital-evidence": UnitCost("frontline", 70.0, 0.3, "",
        "Digital evidence management and storage: about £70 an officer a year."),
    "custody": UnitCost("population", 0.12, 0.002, "",
        "Custody system licences and support: about £0.12 a resident a year."),
    "anpr": UnitCost("population", 0.10, 0.001, "",
        "ANPR back office and cameras' connectivity: about £0.10 a resident a year."),
    "hr-finance": UnitCost("users", 70.0, 1.0, "",
        "ERP licences, hosting and support: about £70 a user a year."),
    "estates-fm": UnitCost("users", 25.0, 0.2, "",
        "Estates and facilities systems (not buildings themselves): about £25 a user a year."),
}


def driver(force: Force, name: str) -> float:
    if name == "users":
        return force.officers + force.staff + force.pcsos + force.specials
    if name == "frontline":
        return force.officers + force.pcsos
    if name == "population":
        return force.population
    raise KeyError(name)


def estate_for(
    forces: Iterable[Force],
    service_codes: Iterable[str],
    *,
    contract_ends: dict[str, date] | None = None,
    suppliers: dict[tuple[str, str], str] | None = None,
    scale: float = 1.0,
    exit_remaining_share: float = 0.0,
) -> tuple[EstateItem, ...]:
    """Today's estate, every force running every listed service, costed from UNIT_COSTS.

    `scale` multiplies the unit costs where a plan calibrates them to a known total.
    `exit_remaining_share` is the share of the charges still due that ending a dated
    contract early costs its force (see the plan's sources for the terms assumed).
    """
    items = []
    for f in forces:
        for code in service_codes:
            unit = UNIT_COSTS[code]
            units = driver(f, unit.driver)
            users = driver(f, "users") if unit.driver == "population" else units
            end = (contract_ends or {}).get(code)
            items.append(EstateItem(
                force=f.code,
                service=code,
                supplier=(suppliers or {}).get((f.code, code), "incumbent"),
                platform=f"{f.name} {code.replace('-', ' ')}",
                annual_running_cost=round(units * unit.running * scale, 2),
                support_fte=round(units * unit.fte_per_1000 * scale / 1000, 1),
                contract_end=end,
                users=round(users),
                condition=Condition.FAIR,
                exit_remaining_share=exit_remaining_share if end is not None else 0.0,
                source=f"unit-{code}",
            ))
    return tuple(items)


_DRIVER_WORDS = {"users": "user (officers, staff, PCSOs and specials)",
                 "frontline": "frontline device (one per officer and PCSO)",
                 "population": "resident"}


def unit_sources(service_codes: Iterable[str]) -> tuple[Source, ...]:
    """One source a service for today's costs; an assumption unless published as it stands."""
    names = {s.code: s.name for s in CATALOGUE}
    found: dict[str, Source] = {}
    for code in service_codes:
        unit = UNIT_COSTS[code]
        if unit.based_on:
            found[unit.based_on] = SOURCES[unit.based_on]
        published = unit.based_on == "nao-esn-2016"
        label = "" if published else "Assumption: "
        found[f"unit-{code}"] = Source(
            f"unit-{code}",
            f"{label}{names[code]}: £{unit.running:,.2f} a year per "
            f"{_DRIVER_WORDS[unit.driver]}; {unit.fte_per_1000:g} support FTE per 1,000",
            unit.reasoning + (f" Based on: {SOURCES[unit.based_on].title}."
                              if unit.based_on else " No public figure was found."),
            is_assumption=not published,
        )
    return tuple(found.values())


# --- prices ------------------------------------------------------------------------------

BASE_YEAR = 2026
"""The samples' base year, 2026/27: t = 0, and the year whose prices they are in."""
DEFLATORS: tuple[Deflator, ...] = tuple(Deflator(y, i, "gdp-deflators") for y, i in GDP_DEFLATORS)


def deflator(year: int) -> float:
    """The GDP deflator of a financial year: the published series, then DEFLATOR_GROWTH a
    year after its end, as the engine extends a plan's series (source a-deflator-growth)."""
    series = dict(GDP_DEFLATORS)
    if year in series:
        return series[year]
    last = max(series)
    if year < last:
        raise KeyError(year)
    return series[last] * (1.0 + DEFLATOR_GROWTH) ** (year - last)


def to_base_prices(cash: float, year: int) -> float:
    """Cash of `year` at the samples' base-year prices."""
    return cash * deflator(BASE_YEAR) / deflator(year)


def as_cash_of(year: int, amount: float) -> float:
    """An amount assumed at base-year prices, restated as cash of `year`, to the penny.

    A decision has one price year; where it is a contract's (the contract's value is cash
    of the year it was let), the decision's other money, assumed at today's prices, is
    entered in that year's cash so that the engine brings it back to what was assumed."""
    return round(amount * deflator(year) / deflator(BASE_YEAR), 2)


# --- optimism bias -------------------------------------------------------------------------

IT_CAPITAL = OBCategory.EQUIPMENT_DEVELOPMENT
"""One-off IT costs take the Green Book's equipment/development row (200% / 10%)."""
OUTSOURCING = OBCategory.OUTSOURCING
"""A supplier's running charge takes the outsourcing row (41% / 0% of operating cost)."""
KNOWN_PRICE = 1.0
"""Mitigation for standard devices or upgrades bought at a known or contracted price: the
lower bound, 10%."""
NOT_YET_DESIGNED = 0.75
"""Mitigation for integration and migration onto established products whose work is not
yet designed: a quarter of the way from the 10% lower bound to the 200% upper, 57.5%."""
NO_RUNNING_ROW = ("Running: the Green Book table has no row for in-house operating costs, so "
                  "none is added; the risk sits in the cost range.")


# --- a sample plan's shared settings -------------------------------------------------------

OFFICER_HOUR = 40.0  # see source a-officer-hour
STAFF_FTE = 45_000.0  # see source a-staff-fte
SEVERANCE_MONTHS = 12.0  # see source a-severance
TURNOVER_SHARE = 0.3  # see source a-turnover
HALF_IN_THE_FIRST_YEAR = (0.5, 1.0)  # see source a-benefit-ramp
STANDARD_SOURCES = ("green-book", "green-book-ob", "gdp-deflators", "a-deflator-growth",
                    "a-officer-hour", "a-staff-fte", "a-severance", "a-turnover",
                    "a-visible-hours", *FORCE_SOURCES)


def sample_plan(*, service_codes: Iterable[str], own_sources: Iterable[Source] = (),
                cite: Iterable[str] = (), extra_services: Iterable[Service] = (),
                **settings: Any) -> Plan:
    """A plan with the samples' shared assumptions and sources; `settings` override them.

    `extra_services` are a plan's own services beyond the catalogue, with no estate today.
    """
    codes = tuple(service_codes)
    settings.setdefault("base_year", BASE_YEAR)
    settings.setdefault("sharing_basis", SharingBasis.OFFICERS)
    settings.setdefault("cost_per_officer_hour", OFFICER_HOUR)
    settings.setdefault("cost_per_staff_fte", STAFF_FTE)
    settings.setdefault("severance_months", SEVERANCE_MONTHS)
    settings.setdefault("turnover_share", TURNOVER_SHARE)
    settings.setdefault("deflator_growth", DEFLATOR_GROWTH)
    settings.setdefault("deflators", DEFLATORS)
    return Plan(
        services=services(*codes) + tuple(extra_services),
        sources=sources((*STANDARD_SOURCES, *cite), *own_sources, *unit_sources(codes)),
        **settings,
    )
