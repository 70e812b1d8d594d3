"""The plan and everything in it, as immutable values.

Objects are frozen so that an edit is always "old value -> new value": the window's undo
commands, the store and the engine can share them without defensive copies, and the
engine can be sure nothing changes under it while it computes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from .green_book import OBCategory


class SharingBasis(StrEnum):
    """How an alliance splits what it pays and saves together."""

    OFFICERS = "officers"
    POPULATION = "population"
    NET_REVENUE = "net_revenue"
    EQUAL = "equal"
    AGREED = "agreed"


class Category(StrEnum):
    FRONTLINE_MOBILITY = "frontline mobility"
    COMMUNICATIONS = "communications"
    CONTACT = "contact"
    INFRASTRUCTURE = "infrastructure"
    SECURITY = "security"
    PRODUCTIVITY = "productivity"
    DATA_AND_INTELLIGENCE = "data and intelligence"
    CORPORATE = "corporate"
    BUILDINGS = "buildings"


class Mode(StrEnum):
    """What an option does with a service.

    RETAIN keeps each force's own estate; anything the decision adds (a refresh, new
    devices) comes on top. CONVERGE switches the participating forces' own estate off at
    go-live and puts them on one shared platform.
    """

    RETAIN = "retain"
    CONVERGE = "converge"


class OptionRole(StrEnum):
    """The Green Book short list: business as usual, do-minimum, preferred, others."""

    BASELINE = "baseline"
    DO_MINIMUM = "do-minimum"
    PREFERRED = "preferred"
    OTHER = "other"


class LinkKind(StrEnum):
    """How two services' changes are tied together on a roadmap the optimiser chooses."""

    TOGETHER = "together"
    """Both change, in the same go-live year, or neither does."""
    BEFORE = "before"
    """The other service may change only if this one changes in an earlier year."""


class Condition(StrEnum):
    GOOD = "good"
    FAIR = "fair"
    POOR = "poor"


@dataclass(frozen=True)
class Source:
    """Where a figure comes from; an assumption says so and gives its reasoning."""

    key: str
    title: str
    detail: str = ""
    url: str = ""
    is_assumption: bool = False


@dataclass(frozen=True)
class Force:
    """A force of the alliance: its people, population, demand and budget, the bases on
    which shared costs and savings are split."""

    code: str
    name: str
    officers: float
    staff: float
    pcsos: float = 0.0
    specials: float = 0.0
    population: float = 0.0
    incidents: float | None = None
    recorded_crimes: float | None = None
    net_revenue_budget: float | None = None
    agreed_share: float | None = None
    """Percent of shared costs and savings, used when the plan's basis is AGREED."""
    source: str = ""


@dataclass(frozen=True)
class Service:
    """One of the services the alliance could standardise (service desk, field mobile, ...)."""

    code: str
    name: str
    category: Category = Category.INFRASTRUCTURE


@dataclass(frozen=True)
class EstateItem:
    """What one force runs today for one service."""

    force: str
    service: str
    supplier: str = ""
    platform: str = ""
    annual_running_cost: float = 0.0
    support_fte: float = 0.0
    contract_end: date | None = None
    users: float = 0.0
    condition: Condition = Condition.FAIR
    exit_fee: float = 0.0
    """The contract's early-termination fee: what ending it before it runs out costs."""
    exit_remaining_share: float = 0.0
    """The share of the charges still due at an early exit that must be paid (1 = all)."""
    price_year: int | None = None
    """The year whose cash prices the money is in; None for the plan's base-year prices."""
    source: str = ""


@dataclass(frozen=True)
class Decision:
    """What one option does with one service, and what that costs and releases.

    Money is in pounds a year (running, savings) or pounds once (transition, exit), in
    real terms at base-year prices. Shared amounts are the alliance's total, split among
    the participating forces by the plan's sharing basis.
    """

    service: str
    mode: Mode = Mode.RETAIN
    forces: tuple[str, ...] = ()
    """Participating force codes; empty means every force in the plan."""
    platform: str = ""
    go_live_year: int | None = None
    """Financial year (2028 means 2028/29) from which the change takes effect."""
    transition_cost: float = 0.0
    transition_profile: tuple[float, ...] = (1.0,)
    """Fractions of the transition cost by year; the last falls in the go-live year."""
    exit_cost: float = 0.0
    shared_running_cost: float = 0.0
    shared_support_fte: float = 0.0
    officer_hours_per_week: float = 0.0
    other_savings: float = 0.0
    optimism_bias: float = 0.0
    """The uplift on one-off costs stated for the STATED category (0.41 adds 41%)."""
    running_optimism_bias: float = 0.0
    """The uplift on the shared running cost stated for the STATED category."""
    ob_category: OBCategory = OBCategory.STATED
    """The Green Book row the one-off costs' optimism bias comes from."""
    ob_mitigation: float = 0.0
    """How far the evidence moves the rate from the upper bound (0) to the lower (1)."""
    running_ob_category: OBCategory = OBCategory.STATED
    running_ob_mitigation: float = 0.0
    ob_reason: str = ""
    """Why the rate, or the mitigation, is what it is."""
    benefit_realisation: float = 1.0
    """The share of the claimed savings and hours expected to be realised."""
    benefit_ramp: tuple[float, ...] = (1.0,)
    """The share of full benefits in each year from go-live; the last share continues."""
    asset_life: float = 0.0
    """Years of use in what the transition buys; 0 counts no residual value."""
    transfer_share: float = 0.0
    """The share of the forces' own support staff, moved off at go-live, who transfer to
    the supplier (and so take no severance)."""
    price_year: int | None = None
    """The year whose cash prices the money is in; None for the plan's base-year prices."""
    cost_low: float = 1.0
    cost_high: float = 1.0
    benefit_low: float = 1.0
    benefit_high: float = 1.0
    source: str = ""

    @property
    def makes_change(self) -> bool:
        return self.mode is Mode.CONVERGE or any(
            (
                self.transition_cost,
                self.exit_cost,
                self.shared_running_cost,
                self.shared_support_fte,
                self.officer_hours_per_week,
                self.other_savings,
            )
        )


@dataclass(frozen=True)
class Site:
    """A building a force runs, at a running cost, which an option may close and sell."""

    code: str
    name: str
    force: str
    annual_running_cost: float = 0.0
    market_value: float = 0.0
    """What the site would sell for: the receipt of an option that sells it, the residual
    value at the end of the period of an option that keeps it."""
    price_year: int | None = None
    """The year whose cash prices the site's money (and its closures') is in."""
    source: str = ""


@dataclass(frozen=True)
class Deflator:
    """The GDP deflator of one financial year, to turn cash of that year into real terms."""

    year: int
    index: float
    source: str = ""


@dataclass(frozen=True)
class SiteAction:
    """An option closes a site from a year on and may sell it."""

    site: str
    closure_year: int
    disposal_receipt: float = 0.0
    closure_cost: float = 0.0


@dataclass(frozen=True)
class ServiceLink:
    """A tie between two services that the roadmap optimiser must honour."""

    service: str
    other: str
    kind: LinkKind = LinkKind.TOGETHER


@dataclass(frozen=True)
class Option:
    """An estate option: what it decides for each service and site, against business as usual."""

    code: str
    name: str
    role: OptionRole = OptionRole.OTHER
    description: str = ""
    decisions: tuple[Decision, ...] = ()
    site_actions: tuple[SiteAction, ...] = ()

    @property
    def is_baseline(self) -> bool:
        return self.role is OptionRole.BASELINE

    def decision_for(self, service: str) -> Decision | None:
        return next((d for d in self.decisions if d.service == service), None)


@dataclass(frozen=True)
class Plan:
    """Everything a plan holds: its settings and its collections, each a tuple of records."""

    name: str
    alliance: str = ""
    base_year: int = 2026
    """First financial year of the appraisal (2026 means 2026/27), t = 0."""
    horizon_years: int = 10
    discount_rate: float = 0.035
    sharing_basis: SharingBasis = SharingBasis.OFFICERS
    cost_per_officer_hour: float = 0.0
    cost_per_staff_fte: float = 0.0
    visible_hours_per_officer_week: float = 30.0
    weeks_per_year: float = 52.0
    savings_target: float | None = None
    savings_target_years: int | None = None
    pool_exit_fees: bool = False
    """Share early-termination fees among a decision's forces rather than charge each to
    the force whose contract ends early."""
    severance_months: float = 12.0
    """Months of pay a support post removed costs in severance (an assumption)."""
    turnover_share: float = 0.3
    """The share of support staff reductions absorbed by turnover, with no severance."""
    deflator_growth: float = 0.02
    """The deflator's growth a year after the last year of the plan's series."""
    budget_per_year: float | None = None
    """The roadmap optimiser's cap on the one-off spend of its changes in any one year,
    over the baseline's; None for no cap."""
    max_concurrent: int | None = None
    """The roadmap optimiser's limit on transitions in flight in any one year; None for none."""
    allow_early_exits: bool = True
    """Whether the roadmap optimiser may go live before a force's contract ends (paying
    its exit fee)."""
    marking: str = "OFFICIAL"
    """The protective marking (Government Security Classifications) printed at the top and
    foot of every page the plan is printed on."""
    notes: str = ""
    forces: tuple[Force, ...] = ()
    services: tuple[Service, ...] = ()
    estate: tuple[EstateItem, ...] = ()
    options: tuple[Option, ...] = ()
    sites: tuple[Site, ...] = ()
    deflators: tuple[Deflator, ...] = ()
    service_links: tuple[ServiceLink, ...] = ()
    sources: tuple[Source, ...] = field(default=())

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.base_year, self.base_year + self.horizon_years))

    @property
    def baseline(self) -> Option | None:
        return next((o for o in self.options if o.is_baseline), None)

    def force(self, code: str) -> Force | None:
        return next((f for f in self.forces if f.code == code), None)

    def service(self, code: str) -> Service | None:
        return next((s for s in self.services if s.code == code), None)

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

    def source(self, key: str) -> Source | None:
        return next((s for s in self.sources if s.key == key), None)

    def replace(self, **changes: object) -> Plan:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


def financial_year_label(year: int) -> str:
    """UK police years run April to March: 2026 is shown as 2026/27."""
    return f"{year}/{(year + 1) % 100:02d}"
