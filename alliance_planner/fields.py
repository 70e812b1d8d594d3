"""The fields of each kind of record: how to show, edit and read back each one.

The window, the Excel workbooks and their tests share these, so "£1.2m", "41" in a
percentage field and "2027/28" mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any

from . import formats
from .domain.model import Category, Condition, Mode, OptionRole, Plan, SharingBasis


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


NUMERIC = {Kind.MONEY, Kind.NUMBER, Kind.YEAR, Kind.PERCENT}


@dataclass(frozen=True)
class Column:
    attr: str
    header: str
    kind: Kind = Kind.TEXT
    tip: str = ""
    optional: bool = False
    """An empty cell means "not known" (None) rather than an error."""
    choices: Callable[[Plan], Sequence[Any]] | None = None
    editable: bool = True
    width: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def display(self, value: Any) -> str:
        if value is None:
            return ""
        if self.kind is Kind.MONEY:
            return formats.money(value, pennies=True)
        if self.kind is Kind.NUMBER:
            return formats.number(value, self.extra.get("decimals", 1))
        if self.kind is Kind.YEAR:
            return formats.year(value)
        if self.kind is Kind.PERCENT:
            return formats.percent(value)
        if self.kind is Kind.DATE:
            return value.isoformat()
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
        return _whole(number) if self.extra.get("whole") else number

    def parse(self, text: Any, plan: Plan) -> Any:
        """What the user typed, as the field's value; ParseError says what was expected."""
        if isinstance(text, str) and not text.strip() and self.optional:
            return None
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
            return bool(text) if not isinstance(text, str) else text.lower() in ("yes", "true", "1")
        if self.kind is Kind.CHOICE and self.choices is not None:
            options = list(self.choices(plan))
            for option in options:
                if str(getattr(option, "value", option)) == str(text):
                    return option
            shown = ", ".join(str(getattr(o, "value", o)) or "(none)" for o in options)
            raise formats.ParseError(f"choose one of: {shown}")
        return str(text)


def _whole(value: float) -> int:
    if not float(value).is_integer():
        raise formats.ParseError(f"expected a whole number, not {value:g}")
    return int(value)


def _enum(values: type[Enum]) -> Callable[[Plan], Sequence[Any]]:
    return lambda plan: list(values)


def _sources(plan: Plan) -> Sequence[str]:
    return ["", *(s.key for s in plan.sources)]


def _forces(plan: Plan) -> Sequence[str]:
    return [f.code for f in plan.forces]


def _services(plan: Plan) -> Sequence[str]:
    return [s.code for s in plan.services]


SOURCE = Column("source", "Source", Kind.CHOICE, "The source of these figures",
                choices=_sources)

PLAN_SETTINGS = (
    Column("name", "Plan name"),
    Column("alliance", "Alliance"),
    Column("base_year", "Base year", Kind.YEAR, "The first financial year of the appraisal, "
           "year 0 (2026 means 2026/27)"),
    Column("horizon_years", "Horizon (years)", Kind.NUMBER, "Years appraised, 1 to 30",
           extra={"whole": True}),
    Column("discount_rate", "Discount rate", Kind.PERCENT, "Real rate; the Green Book's is 3.5%"),
    Column("sharing_basis", "Sharing basis", Kind.CHOICE,
           "How shared costs and savings are split among the forces",
           choices=_enum(SharingBasis)),
    Column("cost_per_officer_hour", "Cost of an officer hour", Kind.MONEY,
           "Values the officer hours released (non-cashable)"),
    Column("cost_per_staff_fte", "Cost of a support FTE", Kind.MONEY, "A year, with on-costs"),
    Column("visible_hours_per_officer_week", "Visible hours per officer-week", Kind.NUMBER,
           "Converts hours released to officer full-time equivalents"),
    Column("weeks_per_year", "Weeks a year", Kind.NUMBER),
    Column("savings_target", "Savings target", Kind.MONEY,
           "Cumulative cashable savings the alliance must make", optional=True),
    Column("savings_target_years", "Savings target within (years)", Kind.NUMBER,
           optional=True, extra={"whole": True}),
    Column("notes", "Notes"),
)

FORCES = (
    Column("code", "Code", tip="A short unique code; changing it updates every reference"),
    Column("name", "Force", width=170),
    Column("officers", "Officers", Kind.NUMBER, "FTE"),
    Column("staff", "Staff", Kind.NUMBER, "FTE"),
    Column("pcsos", "PCSOs", Kind.NUMBER, "FTE"),
    Column("specials", "Specials", Kind.NUMBER, "Headcount"),
    Column("population", "Population", Kind.NUMBER),
    Column("incidents", "Incidents a year", Kind.NUMBER, optional=True),
    Column("recorded_crimes", "Recorded crimes a year", Kind.NUMBER, optional=True),
    Column("net_revenue_budget", "Net revenue budget", Kind.MONEY, optional=True),
    Column("agreed_share", "Agreed share (%)", Kind.NUMBER,
           "Used when the sharing basis is 'agreed'; the forces' shares add up to 100",
           optional=True),
    SOURCE,
)

SERVICES = (
    Column("code", "Code", tip="A short unique code; changing it updates every reference"),
    Column("name", "Service", width=260),
    Column("category", "Category", Kind.CHOICE, choices=_enum(Category), width=160),
)

ESTATE = (
    Column("force", "Force", Kind.CHOICE, choices=_forces, width=140),
    Column("service", "Service", Kind.CHOICE, choices=_services, width=140),
    Column("supplier", "Supplier"),
    Column("platform", "Platform", width=180),
    Column("annual_running_cost", "Running cost a year", Kind.MONEY,
           "Not counting support staff", width=130),
    Column("support_fte", "Support FTE", Kind.NUMBER),
    Column("contract_end", "Contract ends", Kind.DATE, "YYYY-MM-DD or DD/MM/YYYY",
           optional=True),
    Column("users", "Users", Kind.NUMBER),
    Column("condition", "Condition", Kind.CHOICE, choices=_enum(Condition)),
    SOURCE,
)

OPTIONS = (
    Column("code", "Code"),
    Column("name", "Option", width=280),
    Column("role", "Role", Kind.CHOICE, "The Green Book short list: one baseline, a "
           "do-minimum, the preferred way and others", choices=_enum(OptionRole)),
    Column("description", "Description", width=320),
)

DECISION = (
    Column("mode", "Change", Kind.CHOICE, "Retain: each force keeps its own, anything added "
           "comes on top. Converge: the forces leave their own at go-live for one platform",
           choices=_enum(Mode)),
    Column("forces", "Forces", Kind.CODES, "Force codes, comma-separated; 'all' for every force"),
    Column("platform", "Platform", width=170),
    Column("go_live_year", "Go-live", Kind.YEAR, "Financial year of go-live", optional=True),
    Column("transition_cost", "Transition cost", Kind.MONEY, "One-off, before optimism bias"),
    Column("transition_profile", "Profile", Kind.FRACTIONS,
           "Fractions of the transition cost by year, ending in the go-live year"),
    Column("optimism_bias", "Optimism bias", Kind.PERCENT, "Uplift on one-off costs"),
    Column("exit_cost", "Exit cost", Kind.MONEY, "Early termination, in the go-live year"),
    Column("shared_running_cost", "Shared running a year", Kind.MONEY),
    Column("running_optimism_bias", "Running OB", Kind.PERCENT,
           "Uplift on the shared running cost"),
    Column("shared_support_fte", "Shared FTE", Kind.NUMBER),
    Column("officer_hours_per_week", "Officer hours/week", Kind.NUMBER,
           "Officer hours released a week from go-live"),
    Column("other_savings", "Other savings a year", Kind.MONEY, "Cashable, from go-live"),
    Column("cost_low", "Cost low ×", Kind.NUMBER, "Risk range: multiplier on costs, at most 1",
           extra={"decimals": 2}),
    Column("cost_high", "Cost high ×", Kind.NUMBER, "Risk range: at least 1",
           extra={"decimals": 2}),
    Column("benefit_low", "Benefit low ×", Kind.NUMBER, extra={"decimals": 2}),
    Column("benefit_high", "Benefit high ×", Kind.NUMBER, extra={"decimals": 2}),
    SOURCE,
)

SITES = (
    Column("code", "Code"),
    Column("name", "Site", width=220),
    Column("force", "Force", Kind.CHOICE, choices=_forces),
    Column("annual_running_cost", "Running cost a year", Kind.MONEY),
    SOURCE,
)

SOURCES = (
    Column("key", "Key", tip="Cited by figures; changing it updates every citation"),
    Column("title", "Title", width=360),
    Column("detail", "What it says, or the reasoning", width=420),
    Column("url", "Address", width=200),
    Column("is_assumption", "Assumption", Kind.BOOL),
)

BY_COLLECTION = {"forces": FORCES, "services": SERVICES, "estate": ESTATE, "options": OPTIONS,
                 "sites": SITES, "sources": SOURCES}
