"""Which inputs matter, and how far each may move before the choice changes.

A *tornado* swings each ranged input of an option across its range, one at a time, and
shows the option's NPSV at each end, largest swing first; three more bars swing every cost
range, every benefit range and every optimism bias range of the plan at once. *Switching
values*, as the Green Book asks for the preferred option: the value of each key input at
which the preferred option draws level with the next best (by NPSV), and at which its NPSV
falls to zero. For a decision's range the figures are exact linear functions of the input
(:mod:`uncertainty`); the plan-wide inputs (the value of an officer hour, the cost of a
staff FTE, the discount rate) are found by recomputing the plan, by the secant method.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np

from .engine import appraise
from .model import Plan
from .progress import Cancelled, IsCancelled, never
from .uncertainty import Floats, Kind, Linear, Ranged, linearise, ranged_inputs

TOP: Final = 12
"""The bars a tornado shows, largest first (the JSON output has them all)."""
ALL: Final = {Kind.COST: "All cost ranges together", Kind.BENEFIT: "All benefit ranges "
              "together", Kind.OPTIMISM_BIAS: "All optimism bias ranges together"}


@dataclass(frozen=True)
class Bar:
    """An option's NPSV with one input (or one kind of input, all at once) at each end of
    its range."""

    label: str
    key: str
    low: float
    high: float
    npsv_low: float
    npsv_high: float
    unit: str = "×"

    @property
    def swing(self) -> float:
        return abs(self.npsv_high - self.npsv_low)


@dataclass(frozen=True)
class Switch:
    """The value of an input at which the preferred option stops beating another (or its
    NPSV reaches zero); None where no value in ``limits`` does it."""

    label: str
    key: str
    against: str  # an option's code, or "" for NPSV zero
    current: float
    value: float | None
    unit: str  # "×", "%" or "£"
    limits: tuple[float, float]

    def describe(self, value: float) -> str:
        if self.unit == "%":
            return f"{value:.2%}"
        if self.unit == "£":
            return f"£{value:,.2f}"
        return f"{value:.2f}×"

    @property
    def distance(self) -> float:
        """How far the input must move, as a share of its value: nearest first."""
        if self.value is None:
            return math.inf
        return abs(self.value - self.current) / (abs(self.current) or 1.0)

    @property
    def change(self) -> float | None:
        """The switching value as a change on today's value (+0.42 for 42% more); None
        where nothing switches, infinite where today's value is zero."""
        if self.value is None:
            return None
        return self.value / self.current - 1 if self.current else math.inf

    @property
    def text(self) -> str:
        if self.value is None:
            low, high = self.limits
            return f"does not switch between {self.describe(low)} and {self.describe(high)}"
        return f"{self.describe(self.value)} ({self.change:+.0%} on {self.describe(self.current)})"


@dataclass(frozen=True)
class Sensitivity:
    option_codes: tuple[str, ...]
    npsv: Floats  # [o] central
    preferred: int
    next_best: int | None
    tornado: dict[str, tuple[Bar, ...]]  # option code -> bars, largest swing first
    switching: tuple[Switch, ...]


def sensitivity(plan: Plan, *, cancelled: IsCancelled = never,
                linear: Linear | None = None) -> Sensitivity:
    lin = linear if linear is not None else linearise(plan)
    results = lin.results
    inputs = ranged_inputs(plan)
    tornado = {code: tornado_bars(lin, inputs, o) for o, code in enumerate(results.option_codes)
               if o != results.baseline}
    p = lin.preferred
    others = [o for o in range(len(results.option_codes)) if o not in (p, results.baseline)]
    q = max(others, key=lambda o: results.npsv[o]) if others else None
    switching = switching_values(plan, lin, inputs, p, q, cancelled=cancelled)
    return Sensitivity(results.option_codes, results.npsv, p, q, tornado, switching)


def tornado_bars(lin: Linear, inputs: tuple[Ranged, ...], option: int) -> tuple[Bar, ...]:
    """One bar an input that moves the option's NPSV, and one a kind of input, at once."""
    central = lin.results.npsv[option]

    def npsv_at(values: Floats) -> Floats:
        g = lin.factors(inputs, values)
        found: Floats = central + (g - 1.0) @ lin.npsv[:, option]
        return found

    likely = np.array([r.likely for r in inputs])
    ends = np.tile(likely, (2 * len(inputs), 1))
    for i, r in enumerate(inputs):
        ends[2 * i, i], ends[2 * i + 1, i] = r.low, r.high
    npsv = npsv_at(ends) if inputs else np.zeros(0)
    bars = [Bar(r.label, r.key, r.low, r.high, float(npsv[2 * i]), float(npsv[2 * i + 1]),
                "%" if r.is_rate else "×")
            for i, r in enumerate(inputs)]
    bars = [b for b in bars if b.swing > 0.005]
    for kind, label in ALL.items():
        chosen = [i for i, r in enumerate(inputs)
                  if r.kind is kind or (kind is Kind.OPTIMISM_BIAS and r.is_rate)]
        if not chosen:
            continue
        both = np.tile(likely, (2, 1))
        both[0, chosen] = [inputs[i].low for i in chosen]
        both[1, chosen] = [inputs[i].high for i in chosen]
        low, high = npsv_at(both)
        if abs(high - low) > 0.005:
            bars.append(Bar(label, f"all/{kind.name.lower()}", math.nan, math.nan, float(low),
                            float(high), "range"))
    return tuple(sorted(bars, key=lambda b: -b.swing))


def _linear_root(current: float, level: float, slope: float) -> float | None:
    """Where ``level + slope x (v - current)`` is zero; None if it never is."""
    if abs(slope) < 1e-9:
        return None
    return current - level / slope


def switching_values(plan: Plan, lin: Linear, inputs: tuple[Ranged, ...], p: int,
                     q: int | None, *, cancelled: IsCancelled = never) -> tuple[Switch, ...]:
    """For the preferred option p: each key input's value that levels it with option q,
    and that brings its NPSV to zero. Key inputs: the ranges of p's own decisions and of
    the decisions p is measured against, and the plan-wide values."""
    codes = lin.results.option_codes
    npsv = lin.results.npsv
    targets = [(codes[q], npsv[p] - npsv[q])] if q is not None else []
    targets.append(("", npsv[p]))
    found: list[Switch] = []
    for r in ranged_inputs(plan, spread_only=False):
        limits = (0.0, 3.0) if r.is_rate else (0.0, 10.0)
        g_unit = lin.factors((r,), np.array([[r.likely + 1.0]])) - 1.0  # per unit of value
        slope_p = float((g_unit @ lin.npsv[:, p])[0])
        if abs(slope_p) < 0.005 and (q is None or abs(float((g_unit @ lin.npsv[:, q])[0]))
                                     < 0.005):
            continue  # moves neither option
        for against, gap in targets:
            slope = slope_p - (float((g_unit @ lin.npsv[:, q])[0]) if against else 0.0)
            if abs(slope) < 0.005:
                continue  # moves the two alike: no value of it switches them
            root = _linear_root(r.likely, gap, slope)
            inside = root if root is not None and limits[0] <= root <= limits[1] else None
            found.append(Switch(r.label, r.key, against, r.likely, inside,
                                "%" if r.is_rate else "×", limits))
    for label, attr, limits, unit in PLAN_WIDE:
        if cancelled():
            raise Cancelled()
        current = float(getattr(plan, attr))
        for against, _ in targets:
            other = codes.index(against) if against else None
            value = _secant(_gap(plan, attr, p, other), current, limits)
            found.append(Switch(label, f"plan/{attr}", against, current, value, unit, limits))
    return tuple(sorted(found, key=lambda s: s.distance))


PLAN_WIDE: Final = (
    ("Value of an officer hour", "cost_per_officer_hour", (0.0, 10_000.0), "£"),
    ("Cost of a support staff FTE", "cost_per_staff_fte", (0.0, 10_000_000.0), "£"),
    ("Discount rate", "discount_rate", (0.0, 0.25), "%"),
)


def _gap(plan: Plan, attr: str, p: int, q: int | None) -> Callable[[float], float]:
    """Option p's NPSV less q's (or less nothing), recomputed with a setting at a value."""
    def gap(value: float) -> float:
        results = appraise(plan.replace(**{attr: value}), validate=False)
        return float(results.npsv[p] - (results.npsv[q] if q is not None else 0.0))
    return gap


def _secant(f: Callable[[float], float], current: float,
            limits: tuple[float, float]) -> float | None:
    """A root of ``f`` inside ``limits``, from ``current``: the secant method, falling back
    on bisection between the limits where they bracket a root. None where none is found."""
    low, high = limits
    a = current if low <= current <= high else (low + high) / 2
    b = a * 1.1 if a else (high - low) / 100
    fa, fb = f(a), f(b)
    for _ in range(40):
        if abs(fb) < 0.005:
            return b if low <= b <= high else None
        if fb == fa:
            break
        a, b, fa = b, b - fb * (b - a) / (fb - fa), fb
        if not low <= b <= high:
            break
        fb = f(b)
    # Bisection, where the limits bracket a change of sign
    f_low, f_high = f(low), f(high)
    if f_low * f_high > 0:
        return None
    for _ in range(100):
        mid = (low + high) / 2
        f_mid = f(mid)
        if abs(f_mid) < 0.005:
            return mid
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return None
