"""What a plan holds, declared once.

Each collection (forces, services, estate items, options, decisions, sites, site closures,
deflators, service links, sources) and the plan's own settings are declared here with their
record class, key, table, sheet and columns: label, kind, unit, limits, choices, default,
help and what each column refers to. The plan file, the Excel template and its import, the edit
functions, validation and the window's tables all read this declaration, so a new field
is added here (with a migration for the plan file) and nowhere else; a test fails when a
record has a field that no column declares.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Any, Final

from .. import formats
from .green_book import OBCategory
from .model import (
    Category,
    Condition,
    Decision,
    Deflator,
    EstateItem,
    Force,
    LinkKind,
    Mode,
    Option,
    OptionRole,
    Plan,
    Service,
    ServiceLink,
    SharingBasis,
    Site,
    SiteAction,
    Source,
)

MAX_MONEY: Final = 10e9
"""£10bn: well above any force's whole budget, so a larger figure is a typing slip."""
MAX_PEOPLE: Final = 10e6
MAX_POPULATION: Final = 100e6
MAX_HOURS_PER_WEEK: Final = 10e6
MAX_HORIZON: Final = 60
"""Long enough for any IT or estate appraisal; past year 30 the Green Book's rates step down."""
MAX_CELLS: Final = 100_000
"""Options x forces x services: what the engine's arrays are sized by. The national plan has
5,160; a plan past this is refused before anything is sized (see ``Collection.most``)."""
MAX_OPTIMISM_BIAS: Final = 3.0


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"
    NUMBER = "number"
    YEAR = "year"
    PERCENT = "percent"
    DATE = "date"
    CHOICE = "choice"
    BOOL = "bool"
    CODES = "codes"
    FRACTIONS = "fractions"


NUMERIC: Final = frozenset({Kind.MONEY, Kind.NUMBER, Kind.YEAR, Kind.PERCENT})


class _Required:
    """The default of a column that has none: a blank cell is an error."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Final[Any] = _Required()
_FROM_RECORD: Final[Any] = object()


class OnRemove(StrEnum):
    """What happens to a record when the record it refers to is removed."""

    CASCADE = "cascade"  # it goes too (a force's estate items)
    DROP_CODE = "drop code"  # the code leaves the list; the record goes if none are left
    REFUSE = "refuse"  # validation refuses the edit and names the reference (a citation)


@dataclass(frozen=True)
class Column:
    """One field of a record: how it is labelled, limited, shown, typed and read back."""

    attr: str
    header: str
    kind: Kind = Kind.TEXT
    tip: str = ""
    unit: str = ""
    optional: bool = False
    """An empty cell means "not known" (None) rather than an error."""
    default: Any = _FROM_RECORD
    """What a blank cell, or a column missing from an older workbook, takes; REQUIRED if
    nothing sensible can stand in. By default the record class's own default."""
    minimum: float | None = 0.0
    maximum: float | None = MAX_MONEY
    whole: bool = False
    """A count of years or a year: a whole number."""
    decimals: int = 1
    enum: type[Enum] | None = None
    refers_to: str | None = None
    """The collection whose key this names (codes or a key): validated, renamed, removed."""
    on_remove: OnRemove = OnRemove.CASCADE
    required_text: str = ""
    """For text that must not be blank: what to say when it is."""
    editable: bool = True
    width: int = 0

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC

    @property
    def has_default(self) -> bool:
        return self.default is not REQUIRED

    def choices(self, plan: Plan) -> Sequence[Any]:
        """The values a drop-down offers: an enum's members or the referred-to codes."""
        if self.enum is not None:
            return list(self.enum)
        if self.refers_to is not None:
            codes = list(keys(plan, self.refers_to))
            return ["", *codes] if self.has_default else codes
        return []

    def display(self, value: Any) -> str:
        if value is None:
            return ""
        if self.kind is Kind.MONEY:
            return formats.money(value, pennies=True)
        if self.kind is Kind.NUMBER:
            return formats.number(value, self.decimals)
        if self.kind is Kind.YEAR:
            return formats.year(value)
        if self.kind is Kind.PERCENT:
            return formats.percent(value)
        if self.kind is Kind.DATE:
            return str(value.isoformat())
        if self.kind is Kind.CODES:
            return formats.codes(value)
        if self.kind is Kind.FRACTIONS:
            return formats.fractions(value)
        if self.kind is Kind.BOOL:
            return "yes" if value else "no"
        if isinstance(value, Enum):
            return str(value.value)
        return str(value)

    def edit_text(self, value: Any) -> str:
        """The text an editor starts from: exact, so that editing loses nothing."""
        if value is None:
            return ""
        if self.kind is Kind.MONEY:
            return f"{value:.2f}".rstrip("0").rstrip(".")
        if self.kind is Kind.NUMBER:
            return f"{value:g}" if abs(value) < 1e15 else repr(value)
        if self.kind is Kind.PERCENT:
            return f"{value * 100:.10g}"
        if self.kind is Kind.YEAR:
            return str(value)
        if self.kind is Kind.FRACTIONS:
            return formats.fractions(value, exact=True)
        return self.display(value)

    def finish(self, number: float) -> float | int:
        """A parsed number as the field holds it: a count of years is a whole number."""
        return _whole(number) if self.whole else number

    def parse(self, text: Any, plan: Plan | None = None) -> Any:
        """What the user typed, as the field's value; ParseError says what was expected.

        Without a plan, a code that refers to another collection is taken as typed:
        validation checks that it exists.
        """
        if isinstance(text, str) and not text.strip():
            if self.optional:
                return None
            if self.kind in (Kind.TEXT, Kind.CODES) or (self.refers_to and self.has_default):
                return "" if self.kind is not Kind.CODES else ()
        if self.kind in (Kind.MONEY, Kind.NUMBER):
            return self.finish(formats.parse_number(text))
        if self.kind is Kind.YEAR:
            return formats.parse_year(text)
        if self.kind is Kind.PERCENT:
            return formats.parse_percent(text)
        if self.kind is Kind.DATE:
            return formats.parse_date(text)
        if self.kind is Kind.CODES:
            return formats.parse_codes(str(text))
        if self.kind is Kind.FRACTIONS:
            return formats.parse_fractions(str(text))
        if self.kind is Kind.BOOL:
            if not isinstance(text, str):
                return bool(text)
            answer = text.strip().lower()
            if answer in ("yes", "y", "true", "1"):
                return True
            if answer in ("no", "n", "false", "0"):
                return False
            raise formats.ParseError(f"expected yes or no, not {text!r}")
        if self.enum is not None:
            for member in self.enum:
                if str(member.value) == str(text).strip():
                    return member
            shown = ", ".join(str(m.value) for m in self.enum)
            raise formats.ParseError(f"choose one of: {shown}")
        if self.refers_to is not None and plan is not None:
            options = [str(c) for c in self.choices(plan)]
            if str(text) not in options:
                shown = ", ".join(o or "(none)" for o in options)
                raise formats.ParseError(f"choose one of: {shown}")
        return str(text).strip() if self.refers_to is not None else str(text)


def _whole(value: float) -> int:
    if not float(value).is_integer():
        raise formats.ParseError(f"expected a whole number, not {value:g}")
    return int(value)


@dataclass(frozen=True)
class Collection:
    """A kind of record the plan holds, and where each part of the program keeps it."""

    name: str
    """The attribute that holds the records: on the plan, or on each option if nested."""
    record: type
    key: tuple[str, ...]
    table: str
    sheet: str
    title: str
    noun: str
    """One record, for messages and new records: 'force'."""
    help: str
    columns: tuple[Column, ...]
    parent: str | None = None
    """For records held inside another's (decisions inside options): its collection."""
    since: int = 1
    """The plan format that brought it in: a workbook from before then may lack its sheet."""
    most: int = 5_000
    """How many records a plan may hold (all options' together, if nested): checked before
    anything is sized by them, so that a small hostile file cannot ask for gigabytes."""

    @functools.cached_property
    def parent_column(self) -> Column | None:
        """The sheet and table column naming the record that holds this one."""
        if self.parent is None:
            return None
        return Column(self.parent[:-1], self.parent[:-1].title(), Kind.CHOICE,
                      refers_to=self.parent, default=REQUIRED)

    @functools.cached_property
    def all_columns(self) -> tuple[Column, ...]:
        """As on a sheet or in a table: the parent's code first, then the record's own."""
        parent = self.parent_column
        return self.columns if parent is None else (parent, *self.columns)

    def column(self, attr: str) -> Column:
        return self._by_attr[attr]

    @functools.cached_property
    def _by_attr(self) -> dict[str, Column]:
        return {c.attr: c for c in self.all_columns}

    def key_of(self, record: Any) -> tuple[Any, ...]:
        return tuple(getattr(record, k) for k in self.key)

    def label(self, record: Any) -> str:
        """How a record is named in a path: 'dorset', 'dorset/service-desk'."""
        return "/".join(str(getattr(record, k)) for k in self.key)


def _source(**kw: Any) -> Column:
    return Column("source", "Source", Kind.CHOICE, "The source of these figures",
                  refers_to="sources", on_remove=OnRemove.REFUSE, **kw)


def _price_year() -> Column:
    return Column("price_year", "Price year", Kind.YEAR,
                  "The financial year whose cash prices this row's money is in; blank for the "
                  "plan's base-year (real) prices", optional=True, minimum=1900, maximum=2100,
                  whole=True)


def _code(noun: str) -> Column:
    return Column("code", "Code", tip="A short unique code; changing it updates every reference",
                  required_text=f"a {noun} needs a short code")


SETTINGS: Final = (
    Column("name", "Plan name", required_text="a plan needs a name", default=REQUIRED),
    Column("alliance", "Alliance"),
    Column("base_year", "Base year", Kind.YEAR, "The first financial year of the appraisal, "
           "year 0 (2026 means 2026/27)", minimum=1990, maximum=2100, whole=True),
    Column("horizon_years", "Horizon (years)", Kind.NUMBER, "Years appraised, 1 to 60: the "
           "transition and the whole of the contracts compared",
           unit="years", minimum=1, maximum=MAX_HORIZON, whole=True),
    Column("discount_rate", "Discount rate", Kind.PERCENT, "Real rate; the Green Book's is 3.5%",
           maximum=1.0),
    Column("sharing_basis", "Sharing basis", Kind.CHOICE,
           "How shared costs and savings are split among the forces", enum=SharingBasis),
    Column("cost_per_officer_hour", "Cost of an officer hour", Kind.MONEY,
           "Values the officer hours released (non-cashable)", maximum=10_000),
    Column("cost_per_staff_fte", "Cost of a support FTE", Kind.MONEY, "A year, with on-costs",
           maximum=10e6),
    Column("visible_hours_per_officer_week", "Visible hours per officer-week", Kind.NUMBER,
           "Converts hours released to officer full-time equivalents", unit="hours",
           minimum=1, maximum=168),
    Column("weeks_per_year", "Weeks a year", Kind.NUMBER, minimum=1, maximum=53),
    Column("savings_target", "Savings target", Kind.MONEY,
           "Cumulative cashable savings the alliance must make", optional=True),
    Column("savings_target_years", "Savings target within (years)", Kind.NUMBER,
           unit="years", optional=True, minimum=1, maximum=MAX_HORIZON, whole=True),
    Column("pool_exit_fees", "Pool exit fees", Kind.BOOL,
           "Yes: early-termination fees are shared among a decision's forces by the basis. "
           "No: each is charged to the force whose contract ends early"),
    Column("severance_months", "Severance (months of pay)", Kind.NUMBER,
           "Severance for a support post removed, in months of its cost", unit="months",
           maximum=36),
    Column("turnover_share", "Reductions absorbed by turnover", Kind.PERCENT,
           "The share of support staff reductions met by people leaving anyway, with no "
           "severance", maximum=1.0),
    Column("deflator_growth", "Deflator growth after the series", Kind.PERCENT,
           "GDP deflator growth a year assumed after the last year on the Deflators sheet",
           minimum=-0.5, maximum=0.5),
    Column("budget_per_year", "Roadmap: one-off budget a year", Kind.MONEY,
           "The optimiser's cap on what its roadmap spends once in any one year (transition, "
           "exit fees and costs, severance, site closures), over the baseline; blank for none",
           unit="£ a year", optional=True),
    Column("max_concurrent", "Roadmap: most changes at once", Kind.NUMBER,
           "The optimiser's limit on transitions in flight in any one year (from the first "
           "year of a change's profile to its go-live); blank for none", unit="changes",
           optional=True, maximum=1_000, whole=True),
    Column("allow_early_exits", "Roadmap: early exits allowed", Kind.BOOL,
           "Yes: the optimiser may go live before a force's contract ends, paying its exit "
           "fee. No: never before"),
    Column("marking", "Protective marking", Kind.TEXT,
           "Printed at the top and foot of every page: OFFICIAL, or OFFICIAL-SENSITIVE for a "
           "plan that is", required_text="a plan needs a protective marking (OFFICIAL if "
           "nothing more)"),
    Column("notes", "Notes"),
)
"""The plan's own settings: the Assumptions sheet, the plan table, the Plan page."""

SOURCES = Collection(
    "sources", Source, ("key",), "sources", "Sources", "Sources", "source",
    "Where each figure comes from.",
    (
        Column("key", "Key", tip="Cited by figures; changing it updates every citation",
               required_text="a source needs a key"),
        Column("title", "Title", width=360, required_text="a source needs a title"),
        Column("detail", "What it says, or the reasoning", width=420),
        Column("url", "Address", width=200),
        Column("is_assumption", "Assumption", Kind.BOOL),
    ),
)

FORCES = Collection(
    "forces", Force, ("code",), "forces", "Forces", "Forces", "force",
    "One row a force. Officers, staff and PCSOs as FTE, specials as headcount.",
    (
        _code("force"),
        Column("name", "Force", width=170, required_text="a force needs a name"),
        Column("officers", "Officers", Kind.NUMBER, "FTE", unit="FTE", maximum=MAX_PEOPLE),
        Column("staff", "Staff", Kind.NUMBER, "FTE", unit="FTE", maximum=MAX_PEOPLE),
        Column("pcsos", "PCSOs", Kind.NUMBER, "FTE", unit="FTE", maximum=MAX_PEOPLE),
        Column("specials", "Specials", Kind.NUMBER, "Headcount", unit="people",
               maximum=MAX_PEOPLE),
        Column("population", "Population", Kind.NUMBER, unit="people",
               maximum=MAX_POPULATION),
        Column("incidents", "Incidents a year", Kind.NUMBER, optional=True,
               maximum=MAX_POPULATION),
        Column("recorded_crimes", "Recorded crimes a year", Kind.NUMBER, optional=True,
               maximum=MAX_POPULATION),
        Column("net_revenue_budget", "Net revenue budget", Kind.MONEY, optional=True),
        Column("agreed_share", "Agreed share (%)", Kind.NUMBER,
               "Used when the sharing basis is 'agreed'; the forces' shares add up to 100",
               unit="%", optional=True, maximum=100),
        _source(),
    ),
    most=100,
)

SERVICES = Collection(
    "services", Service, ("code",), "services", "Services", "Services", "service",
    "The service catalogue.",
    (
        _code("service"),
        Column("name", "Service", width=260, required_text="a service needs a name"),
        Column("category", "Category", Kind.CHOICE, enum=Category, width=160,
               default=REQUIRED),
    ),
    most=250,
)

ESTATE = Collection(
    "estate", EstateItem, ("force", "service"), "estate_items", "Estate", "Today's estate",
    "estate item",
    "One row a force and service: what it runs today. Running cost a year excludes support "
    "staff.",
    (
        Column("force", "Force", Kind.CHOICE, refers_to="forces", width=140, default=REQUIRED),
        Column("service", "Service", Kind.CHOICE, refers_to="services", width=140,
               default=REQUIRED),
        Column("supplier", "Supplier"),
        Column("platform", "Platform", width=180),
        Column("annual_running_cost", "Running cost a year", Kind.MONEY,
               "Not counting support staff", unit="£ a year", width=130, default=REQUIRED),
        Column("support_fte", "Support FTE", Kind.NUMBER, unit="FTE", maximum=MAX_PEOPLE,
               default=REQUIRED),
        Column("contract_end", "Contract ends", Kind.DATE, "YYYY-MM-DD or DD/MM/YYYY",
               optional=True),
        Column("users", "Users", Kind.NUMBER, unit="people", maximum=MAX_POPULATION),
        Column("condition", "Condition", Kind.CHOICE, enum=Condition),
        Column("exit_fee", "Exit fee", Kind.MONEY,
               "The contract's early-termination fee, charged if a change goes live before "
               "it ends", unit="£"),
        Column("exit_remaining_share", "Exit: share of charges left", Kind.PERCENT,
               "On an early exit, the share of the charges still due that must be paid",
               maximum=1.0),
        _price_year(),
        _source(),
    ),
    most=20_000,
)

OPTIONS = Collection(
    "options", Option, ("code",), "options", "Options", "Options", "option",
    "The short list: exactly one baseline.",
    (
        Column("code", "Code", required_text="an option needs a short code"),
        Column("name", "Option", width=280, required_text="an option needs a name"),
        Column("role", "Role", Kind.CHOICE, "The Green Book short list: one baseline, a "
               "do-minimum, the preferred way and others", enum=OptionRole, default=REQUIRED),
        Column("description", "Description", width=320),
    ),
    most=60,
)

DECISIONS = Collection(
    "decisions", Decision, ("service",), "decisions", "Decisions", "Decisions", "decision",
    "What each option does with each service. Percentages as 41%; the profile as fractions, "
    "e.g. 0.5, 0.5. A blank cell takes its default: 0 for costs, staff, hours and savings, "
    "1× for a range multiplier.",
    (
        Column("service", "Service", Kind.CHOICE, refers_to="services", default=REQUIRED),
        Column("mode", "Change", Kind.CHOICE, "Retain: each force keeps its own, anything "
               "added comes on top. Converge: the forces leave their own at go-live for one "
               "platform", enum=Mode, default=REQUIRED),
        Column("forces", "Forces", Kind.CODES,
               "Force codes, comma-separated; 'all' for every force",
               refers_to="forces", on_remove=OnRemove.DROP_CODE),
        Column("platform", "Platform", width=170),
        Column("go_live_year", "Go-live", Kind.YEAR, "Financial year of go-live", optional=True,
               minimum=None, maximum=None, whole=True),
        Column("transition_cost", "Transition cost", Kind.MONEY,
               "One-off, before optimism bias", unit="£"),
        Column("transition_profile", "Profile", Kind.FRACTIONS,
               "Fractions of the transition cost by year, ending in the go-live year"),
        Column("optimism_bias", "Optimism bias", Kind.PERCENT, "Uplift on one-off costs",
               maximum=MAX_OPTIMISM_BIAS),
        Column("exit_cost", "Exit cost", Kind.MONEY, "Early termination, in the go-live year",
               unit="£"),
        Column("shared_running_cost", "Shared running a year", Kind.MONEY, unit="£ a year"),
        Column("ob_category", "OB category", Kind.CHOICE,
               "The Green Book row the one-off costs' optimism bias comes from; 'stated' "
               "uses the rate in Optimism bias", enum=OBCategory),
        Column("ob_mitigation", "OB mitigation", Kind.PERCENT,
               "How far evidence moves the rate from the upper bound (0%) to the lower (100%)",
               maximum=1.0),
        Column("running_optimism_bias", "Running OB", Kind.PERCENT,
               "Uplift on the shared running cost", maximum=MAX_OPTIMISM_BIAS),
        Column("running_ob_category", "Running OB category", Kind.CHOICE,
               "'outsourcing' (41% upper, 0% lower) or 'stated'", enum=OBCategory),
        Column("running_ob_mitigation", "Running OB mitigation", Kind.PERCENT, maximum=1.0),
        Column("ob_reason", "OB reason", width=220),
        Column("shared_support_fte", "Shared FTE", Kind.NUMBER, unit="FTE",
               maximum=MAX_PEOPLE),
        Column("officer_hours_per_week", "Officer hours/week", Kind.NUMBER,
               "Officer hours released a week from go-live", unit="hours a week",
               maximum=MAX_HOURS_PER_WEEK),
        Column("other_savings", "Other savings a year", Kind.MONEY, "Cashable, from go-live",
               unit="£ a year"),
        Column("benefit_realisation", "Benefit realisation", Kind.PERCENT,
               "The share of the claimed savings and hours expected to be realised",
               maximum=1.0),
        Column("benefit_ramp", "Benefit ramp", Kind.FRACTIONS,
               "The share of full benefits in each year from go-live, e.g. 0.5, 1; the last "
               "share continues"),
        Column("asset_life", "Asset life (years)", Kind.NUMBER,
               "Years of use in what the transition buys; the unused part counts as residual "
               "value at the end of the period. 0: none", unit="years", maximum=100),
        Column("transfer_share", "Staff transferred", Kind.PERCENT,
               "The share of the forces' own support staff moved off at go-live who transfer "
               "to the supplier, with no severance", maximum=1.0),
        _price_year(),
        Column("cost_low", "Cost low ×", Kind.NUMBER,
               "Risk range, at most 1: the low end of the transition, exit and shared "
               "running costs, as a multiple of the figures entered", maximum=1.0,
               decimals=2),
        Column("cost_high", "Cost high ×", Kind.NUMBER, "Risk range, at least 1: the high "
               "end of the costs", minimum=1.0, maximum=10.0, decimals=2),
        Column("benefit_low", "Benefit low ×", Kind.NUMBER,
               "Risk range, at most 1: the low end of the other savings and officer hours "
               "realised", maximum=1.0, decimals=2),
        Column("benefit_high", "Benefit high ×", Kind.NUMBER, "Risk range, at least 1: the "
               "high end of the benefits", minimum=1.0, maximum=10.0, decimals=2),
        _source(),
    ),
    parent="options",
)

SITES = Collection(
    "sites", Site, ("code",), "sites", "Sites", "Sites", "site", "Buildings, optional.",
    (
        Column("code", "Code", required_text="a site needs a short code"),
        Column("name", "Site", width=220, required_text="a site needs a name"),
        Column("force", "Force", Kind.CHOICE, refers_to="forces", default=REQUIRED),
        Column("annual_running_cost", "Running cost a year", Kind.MONEY, unit="£ a year",
               default=REQUIRED),
        Column("market_value", "Market value", Kind.MONEY,
               "What it would sell for: an option that keeps it counts this as residual value "
               "at the end of the period", unit="£"),
        _price_year(),
        _source(),
    ),
)

SITE_ACTIONS = Collection(
    "site_actions", SiteAction, ("site",), "site_actions", "Site closures", "Site closures",
    "site closure", "Which option closes which site, from which year.",
    (
        Column("site", "Site", Kind.CHOICE, refers_to="sites", default=REQUIRED),
        Column("closure_year", "Closes from", Kind.YEAR, minimum=None, maximum=None,
               whole=True, default=REQUIRED),
        Column("disposal_receipt", "Disposal receipt", Kind.MONEY, unit="£"),
        Column("closure_cost", "Closure cost", Kind.MONEY, unit="£"),
    ),
    parent="options",
)

DEFLATORS = Collection(
    "deflators", Deflator, ("year",), "deflators", "Deflators", "Deflators", "deflator",
    "The GDP deflator by financial year, to turn cash of a year into base-year prices. Years "
    "after the last take the plan's assumed growth.",
    (
        Column("year", "Financial year", Kind.YEAR, minimum=1900, maximum=2100, whole=True,
               default=REQUIRED),
        Column("index", "Deflator index", Kind.NUMBER, minimum=0.001, maximum=10_000,
               decimals=4, default=REQUIRED),
        _source(),
    ),
    since=2,
)

SERVICE_LINKS = Collection(
    "service_links", ServiceLink, ("service", "other"), "service_links", "Service links",
    "Service links", "service link",
    "Ties the roadmap optimiser must honour. 'together': both services change in the same "
    "go-live year, or neither does. 'before': the other service may change only if this one "
    "changes in an earlier year.",
    (
        Column("service", "Service", Kind.CHOICE, refers_to="services", width=160,
               default=REQUIRED),
        Column("other", "Other service", Kind.CHOICE, refers_to="services", width=160,
               default=REQUIRED),
        Column("kind", "Link", Kind.CHOICE, "together: the same go-live year, both or "
               "neither; before: the other changes only after this one", enum=LinkKind),
    ),
    since=3,
    most=1_000,
)

COLLECTIONS: Final[dict[str, Collection]] = {c.name: c for c in (
    FORCES, SERVICES, ESTATE, OPTIONS, DECISIONS, SITES, SITE_ACTIONS, DEFLATORS,
    SERVICE_LINKS, SOURCES)}
"""In the order the sheets and tables are laid out."""
TOP_LEVEL: Final = tuple(c for c in COLLECTIONS.values() if c.parent is None)
NESTED: Final = tuple(c for c in COLLECTIONS.values() if c.parent is not None)
SETTING: Final = {c.attr: c for c in SETTINGS}


def _resolve_defaults() -> None:
    """A column's default is its record class's unless it says otherwise."""
    for record, columns in ((Plan, SETTINGS),
                            *((c.record, c.columns) for c in COLLECTIONS.values())):
        field_defaults = {f.name: f.default for f in dataclasses.fields(record)}
        for column in columns:
            if column.default is _FROM_RECORD:
                default = field_defaults.get(column.attr, dataclasses.MISSING)
                object.__setattr__(column, "default",
                                   REQUIRED if default is dataclasses.MISSING else default)


_resolve_defaults()


def records(plan: Plan, name: str) -> tuple[Any, ...]:
    """A collection's records; nested ones (decisions) are gathered from every option."""
    collection = COLLECTIONS[name]
    if collection.parent is None:
        return getattr(plan, name)  # type: ignore[no-any-return]
    return tuple(r for holder in getattr(plan, collection.parent) for r in getattr(holder, name))


def keys(plan: Plan, name: str) -> tuple[Any, ...]:
    """The codes of a top-level collection with a one-field key (what a reference names)."""
    (key,) = COLLECTIONS[name].key
    return tuple(getattr(r, key) for r in getattr(plan, name))


def references(name: str) -> tuple[tuple[Collection, Column], ...]:
    """Every column, anywhere, that names a record of collection `name`."""
    return tuple((c, col) for c in COLLECTIONS.values() for col in c.all_columns
                 if col.refers_to == name and col is not c.parent_column)


def record_fields(record: type) -> tuple[str, ...]:
    """A record class's fields that are its own values, not collections nested in it."""
    nested = {c.name for c in NESTED}
    return tuple(f.name for f in dataclasses.fields(record) if f.name not in nested)


def blank(collection: Collection, changes: dict[str, Any]) -> Any:
    """A record of `collection` with its defaults, a blank for each required field, and
    `changes` on top: the starting point of a new record."""
    values: dict[str, Any] = {}
    for column in collection.columns:
        if column.attr in changes:
            values[column.attr] = changes[column.attr]
        elif column.has_default:
            values[column.attr] = column.default
        elif column.numeric:
            values[column.attr] = 0 if column.whole else 0.0
        elif column.enum is not None:
            values[column.attr] = next(iter(column.enum))
        else:
            values[column.attr] = ""
    return collection.record(**values)

