"""Checks that a plan makes sense before anything is computed or saved from it.

Every problem names the field it is about (``forces[dorset].officers``) and the reason,
so that the window, an import or the command line can tell the user exactly what to fix.
All problems are collected at once rather than stopping at the first.

What each field may hold (limits, whole numbers, required text, references to other
records, unique keys) comes from the plan schema; only the rules that tie fields together
(one baseline, a go-live inside the plan's years, shares that add up) are written here.
Each column is checked in one pass over its values and messages are built only for the
values that fail, so that a national plan validates in a fraction of a millisecond.
"""

from __future__ import annotations

import math
import operator
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import schema
from .green_book import OBCategory
from .model import Decision, Mode, OptionRole, Plan, SharingBasis
from .schema import MAX_HORIZON, MAX_MONEY, Collection, Column, Kind

__all__ = ["MAX_HORIZON", "MAX_MONEY", "Problem", "ValidationError", "check_number",
           "ensure_valid", "validate"]


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ValidationError(ValueError):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def check_number(
    where: str,
    value: object,
    *,
    minimum: float | None = 0.0,
    maximum: float | None = MAX_MONEY,
    integer: bool = False,
    optional: bool = False,
) -> Problem | None:
    """The one place that says what a valid number is; reused by editors and importers."""
    if value is None:
        return None if optional else Problem(where, "a number is required")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Problem(where, f"must be a number, not {value!r}")
    if not math.isfinite(value):
        return Problem(where, f"must be a finite number (got {value})")
    if integer and value != int(value):
        return Problem(where, f"must be a whole number (got {value})")
    if minimum is not None and value < minimum:
        if minimum == 0:
            return Problem(where, f"must not be negative (got {value:,})")
        return Problem(where, f"must be at least {minimum:,} (got {value:,})")
    if maximum is not None and value > maximum:
        return Problem(where, f"must be at most {maximum:,} (got {value:,})")
    return None


def column_problem(column: Column, where: str, value: object) -> Problem | None:
    """What is wrong with one value of a column, judged by the schema alone."""
    if column.numeric:
        return check_number(where, value, minimum=column.minimum, maximum=column.maximum,
                            integer=column.whole, optional=column.optional)
    if column.required_text and not (isinstance(value, str) and value.strip()):
        return Problem(where, column.required_text)
    return None


_NUMBER_TYPES = frozenset({float, int})
_MANY = 200
"""Below this many values, builtins beat NumPy's fixed cost per call."""


def _numbers_plainly_valid(column: Column, values: Sequence[Any]) -> bool:
    """The common case, checked in C without a message: plain finite numbers in limits.

    A short column is checked with builtins (a NaN or an infinity makes the sum
    non-finite; the limits keep finite sums finite). For a long one, ``array('d', ...)``
    refuses text and None; NumPy then checks finiteness and limits
    over the same buffer. A bool would pass as 0 or 1, so the types are looked at only
    when some value is 0 or 1. Anything doubtful goes the slow way, which names it.
    """
    if column.optional and None in values:
        values = [v for v in values if v is not None]
    if not values:
        return True
    if len(values) < _MANY:
        types = set(map(type, values))
        if not types <= _NUMBER_TYPES or not math.isfinite(sum(values)):
            return False
        if column.minimum is not None and min(values) < column.minimum:
            return False
        if column.maximum is not None and max(values) > column.maximum:
            return False
        return not column.whole or types == {int} or all(float(v).is_integer()
                                                         for v in values)
    try:
        numbers = np.frombuffer(array("d", values), dtype=float)
    except (TypeError, OverflowError):
        return False
    if not np.isfinite(numbers).all():
        return False
    if column.minimum is not None and numbers.min() < column.minimum:
        return False
    if column.maximum is not None and numbers.max() > column.maximum:
        return False
    if column.whole and not (numbers == np.floor(numbers)).all():
        return False
    if ((numbers == 0.0) | (numbers == 1.0)).any():
        return set(map(type, values)) <= _NUMBER_TYPES
    return True


def validate(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append
    for column in schema.SETTINGS:
        if problem := column_problem(column, f"plan.{column.attr}", getattr(plan, column.attr)):
            add(problem)
    if (plan.savings_target is None) != (plan.savings_target_years is None):
        add(Problem("plan.savings_target", "a savings target needs both an amount and years"))

    codes = {c.name: set(schema.keys(plan, c.name))
             for c in schema.TOP_LEVEL if len(c.key) == 1}
    for collection in schema.COLLECTIONS.values():
        if collection.parent is None:
            records = getattr(plan, collection.name)
            _check(collection, records, [collection.name] * len(records), codes, problems)
        else:  # one pass over every option's records; each is named by its option
            records, prefixes = [], []
            for holder in getattr(plan, collection.parent):
                held = getattr(holder, collection.name)
                records.extend(held)
                prefixes.extend([f"{collection.parent}[{holder.code}].{collection.name}"]
                                * len(held))
            _check(collection, records, prefixes, codes, problems)

    if not plan.forces:
        add(Problem("forces", "a plan needs at least one force"))
    _check_basis(plan, problems)
    # Sized only once the horizon is known to be a sane whole number (at most 30).
    bounded = not any(p.where in ("plan.horizon_years", "plan.base_year") for p in problems)
    years = set(range(int(plan.base_year), int(plan.base_year) + int(plan.horizon_years))) \
        if bounded else set()
    roles = Counter(o.role for o in plan.options)
    if not plan.options:
        add(Problem("options", "a plan needs at least a baseline option"))
    elif roles[OptionRole.BASELINE] != 1:
        add(Problem("options", f"exactly one option must be the baseline "
                               f"(found {roles[OptionRole.BASELINE]})"))
    for o in plan.options:
        w = f"options[{o.code}]"
        for d in o.decisions:
            _check_decision(plan, o.code, d, years, problems)
            if o.is_baseline and d.mode is Mode.CONVERGE:
                add(Problem(f"{w}.decisions[{d.service}].mode",
                            "the baseline is business as usual: it can carry unavoidable "
                            "costs such as a refresh, but cannot converge a service"))
        for a in o.site_actions:
            if years and isinstance(a.closure_year, int) and a.closure_year not in years:
                add(Problem(f"{w}.site_actions[{a.site}].closure_year",
                            _outside(plan, a.closure_year)))
    _check_price_years(plan, problems)
    return problems


def _check_price_years(plan: Plan, problems: list[Problem]) -> None:
    """Every price year must have a deflator: in the plan's series, or after its end."""
    priced = [(f"estate[{e.force}/{e.service}].price_year", e.price_year)
              for e in plan.estate if e.price_year is not None]
    priced += [(f"sites[{c.code}].price_year", c.price_year)
               for c in plan.sites if c.price_year is not None]
    priced += [(f"options[{o.code}].decisions[{d.service}].price_year", d.price_year)
               for o in plan.options for d in o.decisions if d.price_year is not None]
    if not priced:
        return
    known = {d.year for d in plan.deflators}
    if not known:
        where, year = priced[0]
        problems.append(Problem(where, f"cash of {year} needs the GDP deflator, but the plan's "
                                       "deflator series is empty"))
        return
    last = max(known)
    for where, year in [("plan.base_year", plan.base_year), *priced]:
        if isinstance(year, int) and year <= last and year not in known:
            problems.append(Problem(where, f"the deflator series has no figure for {year} "
                                           f"(it covers {min(known)} to {last})"))


def _checked_columns(collection: Collection) -> tuple[Column, ...]:
    return tuple(c for c in collection.columns
                 if c.numeric or c.required_text or c.refers_to is not None)


def _column_reader(columns: tuple[Column, ...]) -> Any:
    """A function from records to one list of values a column: a comprehension per
    column, several times quicker than a getattr or attrgetter a value."""
    body = ", ".join(f"[r.{c.attr} for r in records]" for c in columns)
    namespace: dict[str, Any] = {}
    exec(f"def read(records):\n    return ({body},)", namespace)  # attrs are identifiers
    return namespace["read"]


_CHECKED = {c.name: _checked_columns(c) for c in schema.COLLECTIONS.values()}
_READERS = {name: _column_reader(columns) for name, columns in _CHECKED.items()}


def _check(collection: Collection, records: Sequence[Any], prefixes: Sequence[str],
           codes: dict[str, set[str]], problems: list[Problem]) -> None:
    """Each column's values against the schema: limits, required text, references, keys.

    `prefixes` names where each record sits: 'estate', 'options[ONE].decisions'.
    """
    if not records:
        return
    position = {id(r): i for i, r in enumerate(records)} if collection.parent else {}

    def where(record: Any, attr: str) -> str:
        prefix = prefixes[position.get(id(record), 0)]
        return f"{prefix}[{collection.label(record)}].{attr}"

    columns = _CHECKED[collection.name]
    values_by_column = dict(zip((c.attr for c in columns), _READERS[collection.name](records),
                                strict=True))
    for column in columns:
        values = values_by_column[column.attr]
        if column.numeric:
            if not _numbers_plainly_valid(column, values):
                for record, value in zip(records, values, strict=True):
                    if problem := column_problem(column, where(record, column.attr), value):
                        problems.append(problem)
        elif column.required_text and not all(isinstance(v, str) and v.strip()
                                               for v in values):
            for record, value in zip(records, values, strict=True):
                if problem := column_problem(column, where(record, column.attr), value):
                    problems.append(problem)
        if column.refers_to is not None:
            _check_references(column, records, values, codes[column.refers_to], where,
                              problems)
    _check_keys(collection, records, prefixes, values_by_column, problems)


def _check_keys(collection: Collection, records: Sequence[Any], prefixes: Sequence[str],
                values_by_column: dict[str, list[Any]], problems: list[Problem]) -> None:
    """Keys are unique within their holder: the plan, or each option for its decisions."""
    key = collection.key
    values = [values_by_column[k] for k in key]
    if collection.parent is not None:
        values.insert(0, list(prefixes))
    if len(values) == 1:
        if len(set(values[0])) == len(values[0]):
            return
        keys: list[Any] = values[0]
    else:
        if _distinct_pairs(*values):
            return
        keys = list(zip(*values, strict=True))
    for found, count in Counter(keys).items():
        if count == 1:
            continue
        if collection.parent is not None:
            problems.append(Problem(f"{found[0]}[{'/'.join(found[1:])}]",
                                    f"appears {count} times; must be unique"))
        elif len(key) == 1:
            problems.append(Problem(f"{collection.name}[{found}]",
                                    f"appears {count} times; must be unique"))
        else:
            problems.append(Problem(
                f"{collection.name}[{'/'.join(found)}]",
                f"appears {count} times; a {key[0]} has one {collection.noun} a {key[1]}"))


def _distinct_pairs(first: list[Any], second: list[Any]) -> bool:
    """Whether no pair repeats, decided in C for the common case.

    Equal pairs join to equal texts, so all-distinct joins prove all-distinct pairs; a
    clash of joins ("ab" + "c", "a" + "bc") or a value that is not text goes the slow way.
    """
    try:
        return len(set(map(operator.add, first, second))) == len(first)
    except TypeError:
        return False


def _check_references(column: Column, records: Sequence[Any],
                      values: list[Any], known: set[str], where: Any,
                      problems: list[Problem]) -> None:
    noun = schema.COLLECTIONS[column.refers_to or ""].noun
    if column.kind is Kind.CODES:
        if all(set(v) <= known and len(set(v)) == len(v) for v in values):
            return
        for record, value in zip(records, values, strict=True):
            for code in value:
                if code not in known:
                    problems.append(Problem(where(record, column.attr),
                                            f"{noun} {code!r} is not in the plan"))
            if len(set(value)) != len(value):
                problems.append(Problem(where(record, column.attr),
                                        f"names a {noun} more than once"))
        return
    allowed = known | {""} if column.has_default else known
    if set(values) <= allowed:
        return
    for record, value in zip(records, values, strict=True):
        if value in allowed:
            continue
        if column.on_remove is schema.OnRemove.REFUSE:
            message = f"names {noun} {value!r}, which is not in the plan's {column.refers_to}"
        else:
            message = f"{noun} {value!r} is not in the plan"
        problems.append(Problem(where(record, column.attr), message))


def ensure_valid(plan: Plan) -> Plan:
    problems = validate(plan)
    if problems:
        raise ValidationError(problems)
    return plan


def _check_decision(plan: Plan, option: str, d: Decision, years: set[int],
                    problems: list[Problem]) -> None:
    """The rules that tie a decision's fields to each other and to the plan's years."""
    profile = d.transition_profile
    live = d.go_live_year
    change = d.makes_change
    # the common case, with no message built: a live year in the plan, a sound profile
    if (type(live) is int and live in years and live - len(profile) + 1 >= plan.base_year
            if change else True) and profile and _profile_sound(profile) \
            and d.ob_category is not OBCategory.OUTSOURCING \
            and d.running_ob_category in _RUNNING_CATEGORIES \
            and d.benefit_ramp and _shares_sound(d.benefit_ramp):
        return
    add = problems.append
    w = f"options[{option}].decisions[{d.service}]"
    if change:
        if live is None:
            add(Problem(w + ".go_live_year", "a change needs a go-live year"))
        elif not isinstance(live, int) or isinstance(live, bool):
            pass  # the schema's check has named it
        elif years and live not in years:
            add(Problem(w + ".go_live_year", _outside(plan, live)))
        elif years and live - len(profile) + 1 < plan.base_year:
            add(Problem(w + ".transition_profile",
                        f"spreads {len(profile)} years back from go-live "
                        f"{live}, before the base year {plan.base_year}"))
    if d.ob_category is OBCategory.OUTSOURCING:
        add(Problem(w + ".ob_category", "the Green Book's outsourcing row is for running "
                                        "costs; choose a capital row or 'stated'"))
    if d.running_ob_category not in (OBCategory.STATED, OBCategory.OUTSOURCING):
        add(Problem(w + ".running_ob_category", "running costs take the outsourcing row or "
                                                "a stated rate"))
    ramp = d.benefit_ramp
    if not ramp or not _shares_sound(ramp):
        add(Problem(w + ".benefit_ramp", "needs shares between 0 and 1, one a year from "
                                         "go-live, such as 0.5, 1"))
    if not profile:
        add(Problem(w + ".transition_profile", "needs at least one year"))
        return
    bad_weight = next((x for x in profile if check_number(w, x, maximum=1.0)), None)
    if bad_weight is not None:
        add(Problem(w + ".transition_profile",
                    f"fractions must be between 0 and 1 (got {bad_weight!r})"))
    elif abs(math.fsum(profile) - 1.0) > 1e-9:
        add(Problem(w + ".transition_profile",
                    f"fractions must add up to 1 (they add up to {sum(profile):.4g})"))


def _shares_sound(shares: tuple[float, ...]) -> bool:
    return (set(map(type, shares)) <= _NUMBER_TYPES and math.isfinite(sum(shares))
            and min(shares) >= 0.0 and max(shares) <= 1.0)


def _profile_sound(profile: tuple[float, ...]) -> bool:
    return _shares_sound(profile) and abs(math.fsum(profile) - 1.0) <= 1e-9


_RUNNING_CATEGORIES = frozenset({OBCategory.STATED, OBCategory.OUTSOURCING})


def _check_basis(plan: Plan, problems: list[Problem]) -> None:
    """The basis needs usable figures; bad figures themselves are reported per force."""
    basis = plan.sharing_basis

    def figures(attr: str) -> list[float | None]:
        return [_usable(getattr(f, attr)) for f in plan.forces]

    if basis is SharingBasis.AGREED:
        shares = figures("agreed_share")
        missing = ", ".join(f.code for f, s in zip(plan.forces, shares, strict=True)
                            if s is None)
        if missing:
            problems.append(Problem("plan.sharing_basis",
                                    f"agreed shares need a percentage for every force "
                                    f"(missing: {missing})"))
        elif abs(sum(s or 0.0 for s in shares) - 100.0) > 1e-6:
            total = sum(s or 0.0 for s in shares)
            problems.append(Problem("forces.agreed_share",
                                    f"agreed shares must add up to 100% "
                                    f"(they add up to {total:.4g}%)"))
    elif basis is SharingBasis.NET_REVENUE:
        missing = ", ".join(f.code for f, v in zip(plan.forces, figures("net_revenue_budget"),
                                                   strict=True) if not v)
        if missing:
            problems.append(Problem("plan.sharing_basis",
                                    f"sharing by net revenue needs every force's budget "
                                    f"(missing: {missing})"))
    elif basis in (SharingBasis.OFFICERS, SharingBasis.POPULATION):
        attr = "officers" if basis is SharingBasis.OFFICERS else "population"
        values = figures(attr)
        if plan.forces and all(v is not None for v in values) \
                and not sum(v or 0.0 for v in values):
            problems.append(Problem("plan.sharing_basis",
                                    f"sharing by {attr} needs forces with {attr}"))


def _usable(value: object) -> float | None:
    """A figure that can be summed, or None (bad figures get their own message)."""
    if value is None or check_number("", value, maximum=None) is not None:
        return None
    return float(value)  # type: ignore[arg-type]


def _outside(plan: Plan, year: int) -> str:
    last = plan.base_year + plan.horizon_years - 1
    return f"{year} is outside the plan's years {plan.base_year} to {last}"
