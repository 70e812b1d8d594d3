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
from importlib import resources
from typing import Any

from ..domain.model import (
    Category,
    Condition,
    EstateItem,
    Force,
    Plan,
    Service,
    SharingBasis,
    Source,
)

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
           "Discount rate 3.5% real for years 0-30; NPSV = PV benefits - PV costs; "
           "BCR = PV benefits / PV costs; short list of business as usual, do-minimum, "
           "preferred way and at least one other.",
           "https://www.gov.uk/government/publications/the-green-book-appraisal-and-evaluation-in-central-government"),
    Source("green-book-ob", "HM Treasury Green Book supplementary guidance: optimism bias "
           "(Mott MacDonald, 2002)",
           "Upper / lower bounds: equipment and development capital cost 200% / 10%; works "
           "duration 54% / 10%; outsourcing operating cost 41% / 0%; standard buildings "
           "capital cost 24% / 2%."),
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


def _number(text: str) -> float:
    return float(text) if text.strip() else 0.0


def england_and_wales() -> tuple[Force, ...]:
    """The 43 territorial forces of England and Wales, from the shipped public figures."""
    text = resources.files("alliance_planner.sample_data").joinpath(
        "police_forces_england_wales.csv").read_text(encoding="utf-8")
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
) -> tuple[EstateItem, ...]:
    """Today's estate, every force running every listed service, costed from UNIT_COSTS.

    `scale` multiplies the unit costs where a plan calibrates them to a known total.
    """
    items = []
    for f in forces:
        for code in service_codes:
            unit = UNIT_COSTS[code]
            units = driver(f, unit.driver)
            users = driver(f, "users") if unit.driver == "population" else units
            items.append(EstateItem(
                force=f.code,
                service=code,
                supplier=(suppliers or {}).get((f.code, code), "incumbent"),
                platform=f"{f.name} {code.replace('-', ' ')}",
                annual_running_cost=round(units * unit.running * scale, 2),
                support_fte=round(units * unit.fte_per_1000 * scale / 1000, 1),
                contract_end=(contract_ends or {}).get(code),
                users=round(users),
                condition=Condition.FAIR,
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


# --- a sample plan's shared settings -------------------------------------------------------

OFFICER_HOUR = 40.0  # see source a-officer-hour
STAFF_FTE = 45_000.0  # see source a-staff-fte
STANDARD_SOURCES = ("green-book", "green-book-ob", "a-officer-hour", "a-staff-fte",
                    "a-visible-hours", *FORCE_SOURCES)


def sample_plan(*, service_codes: Iterable[str], own_sources: Iterable[Source] = (),
                cite: Iterable[str] = (), **settings: Any) -> Plan:
    """A plan with the samples' shared assumptions and sources; `settings` override them."""
    codes = tuple(service_codes)
    settings.setdefault("sharing_basis", SharingBasis.OFFICERS)
    settings.setdefault("cost_per_officer_hour", OFFICER_HOUR)
    settings.setdefault("cost_per_staff_fte", STAFF_FTE)
    return Plan(
        services=services(*codes),
        sources=sources((*STANDARD_SOURCES, *cite), *own_sources, *unit_sources(codes)),
        **settings,
    )
