"""Checks that a plan makes sense before anything is computed or saved from it.

Every problem names the field it is about (``forces[dorset].officers``) and the reason,
so that the window, an import or the command line can tell the user exactly what to fix.
All problems are collected at once rather than stopping at the first.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Decision, Mode, OptionRole, Plan, SharingBasis

MAX_MONEY = 10e9
"""£10bn: well above any force's whole budget, so a larger figure is a typing slip."""
MAX_PEOPLE = 10e6
MAX_POPULATION = 100e6
MAX_HOURS_PER_WEEK = 10e6
MAX_RATE = 1.0
MAX_HORIZON = 30
"""The Green Book's 3.5% rate holds for years 0 to 30; longer horizons need a stepped rate."""
MAX_OPTIMISM_BIAS = 3.0


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


def validate(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    add = problems.append

    def num(where: str, value: object, **kw: object) -> None:
        problem = check_number(where, value, **kw)  # type: ignore[arg-type]
        if problem:
            add(problem)

    if not plan.name.strip():
        add(Problem("plan.name", "a plan needs a name"))
    num("plan.base_year", plan.base_year, minimum=1990, maximum=2100, integer=True)
    num("plan.horizon_years", plan.horizon_years, minimum=1, maximum=MAX_HORIZON, integer=True)
    num("plan.discount_rate", plan.discount_rate, maximum=MAX_RATE)
    num("plan.cost_per_officer_hour", plan.cost_per_officer_hour, maximum=10_000)
    num("plan.cost_per_staff_fte", plan.cost_per_staff_fte, maximum=10e6)
    num("plan.visible_hours_per_officer_week", plan.visible_hours_per_officer_week,
        minimum=1, maximum=168)
    num("plan.weeks_per_year", plan.weeks_per_year, minimum=1, maximum=53)
    num("plan.savings_target", plan.savings_target, optional=True)
    num("plan.savings_target_years", plan.savings_target_years, minimum=1,
        maximum=MAX_HORIZON, integer=True, optional=True)
    if (plan.savings_target is None) != (plan.savings_target_years is None):
        add(Problem("plan.savings_target", "a savings target needs both an amount and years"))

    years = set(plan.years) if isinstance(plan.horizon_years, int) else set()
    _unique(problems, "forces", [f.code for f in plan.forces])
    _unique(problems, "services", [s.code for s in plan.services])
    _unique(problems, "options", [o.code for o in plan.options])
    _unique(problems, "sites", [s.code for s in plan.sites])
    _unique(problems, "sources", [s.key for s in plan.sources])
    force_codes = {f.code for f in plan.forces}
    service_codes = {s.code for s in plan.services}
    site_codes = {s.code for s in plan.sites}
    source_keys = {s.key for s in plan.sources}

    def source_ref(where: str, key: str) -> None:
        if key and key not in source_keys:
            add(Problem(where, f"names source {key!r}, which is not in the plan's sources"))

    if not plan.forces:
        add(Problem("forces", "a plan needs at least one force"))
    for f in plan.forces:
        w = f"forces[{f.code}]"
        if not f.code.strip():
            add(Problem(w + ".code", "a force needs a short code"))
        if not f.name.strip():
            add(Problem(w + ".name", "a force needs a name"))
        for attr in ("officers", "staff", "pcsos", "specials"):
            num(f"{w}.{attr}", getattr(f, attr), maximum=MAX_PEOPLE)
        num(f"{w}.population", f.population, maximum=MAX_POPULATION)
        num(f"{w}.incidents", f.incidents, maximum=MAX_POPULATION, optional=True)
        num(f"{w}.recorded_crimes", f.recorded_crimes, maximum=MAX_POPULATION, optional=True)
        num(f"{w}.net_revenue_budget", f.net_revenue_budget, optional=True)
        num(f"{w}.agreed_share", f.agreed_share, maximum=100, optional=True)
        source_ref(f"{w}.source", f.source)
    _check_basis(plan, problems)

    for s in plan.services:
        if not s.name.strip():
            add(Problem(f"services[{s.code}].name", "a service needs a name"))

    seen: set[tuple[str, str]] = set()
    repeated: Counter[tuple[str, str]] = Counter()
    limits = (("annual_running_cost", MAX_MONEY), ("support_fte", MAX_PEOPLE),
              ("users", MAX_POPULATION))
    for e in plan.estate:  # the largest table: the common case costs no strings
        key = (e.force, e.service)
        if key in seen:
            repeated[key] += 1
        seen.add(key)
        w = ""
        if e.force not in force_codes or e.service not in service_codes:
            w = f"estate[{e.force}/{e.service}]"
            if e.force not in force_codes:
                add(Problem(w + ".force", f"force {e.force!r} is not in the plan"))
            if e.service not in service_codes:
                add(Problem(w + ".service", f"service {e.service!r} is not in the plan"))
        if not (_plainly_valid(e.annual_running_cost, MAX_MONEY)
                and _plainly_valid(e.support_fte, MAX_PEOPLE)
                and _plainly_valid(e.users, MAX_POPULATION)):
            w = f"estate[{e.force}/{e.service}]"
            for attr, maximum in limits:
                num(f"{w}.{attr}", getattr(e, attr), maximum=maximum)
        if e.source and e.source not in source_keys:
            source_ref(f"estate[{e.force}/{e.service}].source", e.source)
    for (force, service), count in repeated.items():
        add(Problem(f"estate[{force}/{service}]",
                    f"appears {count + 1} times; a force has one estate item a service"))

    roles = Counter(o.role for o in plan.options)
    if not plan.options:
        add(Problem("options", "a plan needs at least a baseline option"))
    elif roles[OptionRole.BASELINE] != 1:
        add(Problem("options", f"exactly one option must be the baseline "
                               f"(found {roles[OptionRole.BASELINE]})"))
    for o in plan.options:
        w = f"options[{o.code}]"
        if not o.name.strip():
            add(Problem(w + ".name", "an option needs a name"))
        _unique(problems, w + ".decisions", [d.service for d in o.decisions])
        for d in o.decisions:
            _check_decision(plan, f"{w}.decisions[{d.service}]", d, force_codes,
                            service_codes, years, problems)
            source_ref(f"{w}.decisions[{d.service}].source", d.source)
        if o.is_baseline:
            for d in o.decisions:
                if d.mode is Mode.CONVERGE:
                    add(Problem(f"{w}.decisions[{d.service}].mode",
                                "the baseline is business as usual: it can carry unavoidable "
                                "costs such as a refresh, but cannot converge a service"))
        _unique(problems, w + ".site_actions", [a.site for a in o.site_actions])
        for a in o.site_actions:
            aw = f"{w}.site_actions[{a.site}]"
            if a.site not in site_codes:
                add(Problem(aw, f"site {a.site!r} is not in the plan"))
            num(aw + ".closure_year", a.closure_year, minimum=None, maximum=None, integer=True)
            if years and isinstance(a.closure_year, int) and a.closure_year not in years:
                add(Problem(aw + ".closure_year", _outside(plan, a.closure_year)))
            num(aw + ".disposal_receipt", a.disposal_receipt)
            num(aw + ".closure_cost", a.closure_cost)

    for s in plan.sites:
        w = f"sites[{s.code}]"
        if s.force not in force_codes:
            add(Problem(w + ".force", f"force {s.force!r} is not in the plan"))
        num(w + ".annual_running_cost", s.annual_running_cost)
        source_ref(w + ".source", s.source)
    return problems


def _plainly_valid(value: object, maximum: float) -> bool:
    """The common case, checked without building messages (NaN fails the comparison)."""
    kind = type(value)
    return (kind is float or kind is int) and 0.0 <= value <= maximum  # type: ignore[operator]


def ensure_valid(plan: Plan) -> Plan:
    problems = validate(plan)
    if problems:
        raise ValidationError(problems)
    return plan


def _check_decision(
    plan: Plan,
    w: str,
    d: Decision,
    force_codes: set[str],
    service_codes: set[str],
    years: set[int],
    problems: list[Problem],
) -> None:
    add = problems.append
    if d.service not in service_codes:
        add(Problem(w + ".service", f"service {d.service!r} is not in the plan"))
    for code in d.forces:
        if code not in force_codes:
            add(Problem(w + ".forces", f"force {code!r} is not in the plan"))
    if len(set(d.forces)) != len(d.forces):
        add(Problem(w + ".forces", "names a force more than once"))
    for attr in ("transition_cost", "exit_cost", "shared_running_cost", "other_savings"):
        if problem := check_number(f"{w}.{attr}", getattr(d, attr)):
            add(problem)
    for attr, maximum in (("shared_support_fte", MAX_PEOPLE),
                          ("officer_hours_per_week", MAX_HOURS_PER_WEEK),
                          ("optimism_bias", MAX_OPTIMISM_BIAS),
                          ("running_optimism_bias", MAX_OPTIMISM_BIAS)):
        if problem := check_number(f"{w}.{attr}", getattr(d, attr), maximum=maximum):
            add(problem)
    for low, high in (("cost_low", "cost_high"), ("benefit_low", "benefit_high")):
        lo, hi = getattr(d, low), getattr(d, high)
        bad = [p for p in (check_number(f"{w}.{low}", lo, maximum=1.0),
                           check_number(f"{w}.{high}", hi, minimum=1.0, maximum=10.0)) if p]
        problems.extend(bad)
    if d.makes_change:
        if d.go_live_year is None:
            add(Problem(w + ".go_live_year", "a change needs a go-live year"))
        elif problem := check_number(w + ".go_live_year", d.go_live_year, minimum=None,
                                     maximum=None, integer=True):
            add(problem)
        elif years and d.go_live_year not in years:
            add(Problem(w + ".go_live_year", _outside(plan, d.go_live_year)))
        elif years and d.go_live_year - len(d.transition_profile) + 1 < plan.base_year:
            add(Problem(w + ".transition_profile",
                        f"spreads {len(d.transition_profile)} years back from go-live "
                        f"{d.go_live_year}, before the base year {plan.base_year}"))
    if not d.transition_profile:
        add(Problem(w + ".transition_profile", "needs at least one year"))
    else:
        bad_weight = next((x for x in d.transition_profile
                           if check_number(w, x, maximum=1.0)), None)
        if bad_weight is not None:
            add(Problem(w + ".transition_profile",
                        f"fractions must be between 0 and 1 (got {bad_weight!r})"))
        elif abs(sum(d.transition_profile) - 1.0) > 1e-9:
            add(Problem(w + ".transition_profile",
                        f"fractions must add up to 1 (they add up to "
                        f"{sum(d.transition_profile):.4g})"))


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
        if plan.forces and None not in values and not sum(values):  # type: ignore[arg-type]
            problems.append(Problem("plan.sharing_basis",
                                    f"sharing by {attr} needs forces with {attr}"))


def _usable(value: object) -> float | None:
    """A figure that can be summed, or None (bad figures get their own message)."""
    if value is None or check_number("", value, maximum=None) is not None:
        return None
    return float(value)  # type: ignore[arg-type]


def _unique(problems: list[Problem], where: str, keys: list[str]) -> None:
    for key, count in Counter(keys).items():
        if count > 1:
            problems.append(Problem(f"{where}[{key}]", f"appears {count} times; must be unique"))


def _outside(plan: Plan, year: int) -> str:
    last = plan.base_year + plan.horizon_years - 1
    return f"{year} is outside the plan's years {plan.base_year} to {last}"
