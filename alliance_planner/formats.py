"""How figures are shown to people and read back from what they type.

Plain Python, shared by the window's editors and the Excel import, so that "£1.2m", "250k",
"41%" and "2027/28" mean the same everywhere. A parse error says what was expected.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from .domain.model import financial_year_label


class ParseError(ValueError):
    """What the user typed cannot be read as the field's kind of value."""


_SUFFIX = {"k": 1e3, "m": 1e6, "bn": 1e9, "b": 1e9}


def parse_number(text: str | float | int, *, allow_suffix: bool = True) -> float:
    """'1,200', '£1.2m', '250k', '-3' -> float. Refuses NaN, infinities and words."""
    if isinstance(text, bool):
        raise ParseError(f"expected a number, not {text!r}")
    if isinstance(text, int | float):
        value = float(text)
    else:
        cleaned = text.strip().replace(",", "").replace("£", "").replace(" ", "").lower()
        scale = 1.0
        match = re.fullmatch(r"([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)(k|m|bn|b)?", cleaned)
        if not match:
            raise ParseError(f"expected a number, not {text.strip()!r}" if text.strip()
                             else "a number is required")
        if match.group(2):
            if not allow_suffix:
                raise ParseError(f"expected a plain number, not {text.strip()!r}")
            scale = _SUFFIX[match.group(2)]
        value = float(match.group(1)) * scale
    if not math.isfinite(value):
        raise ParseError(f"expected a finite number, not {text!r}")
    return value


def parse_percent(text: str | float | int) -> float:
    """'41%' or '41' -> 0.41: in a percentage field people type percentages."""
    if isinstance(text, str):
        text = text.strip().rstrip("%").strip()
    return parse_number(text, allow_suffix=False) / 100.0


def parse_year(text: str | float | int) -> int:
    """'2027', '2027/28' or '2027-28' -> 2027 (the financial year's first calendar year)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        if float(text).is_integer():
            return int(text)
        raise ParseError(f"expected a year, not {text!r}")
    cleaned = str(text).strip()
    match = re.fullmatch(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?", cleaned)
    if not match:
        raise ParseError(f"expected a year such as 2027 or 2027/28, not {cleaned!r}")
    year = int(match.group(1))
    if match.group(2) and int(match.group(2)) % 100 != (year + 1) % 100:
        raise ParseError(f"{cleaned} is not a financial year (April to March)")
    return year


def parse_date(text: str | date | datetime) -> date:
    """'2028-03-31' or '31/03/2028' (UK order) -> date."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    cleaned = str(text).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    raise ParseError(f"expected a date such as 2028-03-31 or 31/03/2028, not {cleaned!r}")


def parse_codes(text: str) -> tuple[str, ...]:
    """'dorset, devon-and-cornwall' -> codes; 'all' or nothing -> () meaning every force."""
    cleaned = text.strip()
    if cleaned.lower() in ("", "all", "all forces"):
        return ()
    return tuple(c.strip() for c in cleaned.split(",") if c.strip())


def parse_fractions(text: str) -> tuple[float, ...]:
    """'0.4, 0.6' or '40%, 60%' -> (0.4, 0.6)."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise ParseError("expected fractions such as 0.5, 0.5")
    values = []
    for p in parts:
        values.append(parse_percent(p) if p.endswith("%") else parse_number(p, allow_suffix=False))
    return tuple(values)


def money(value: float | None, *, pennies: bool = False) -> str:
    if value is None:
        return ""
    if pennies:
        return f"-£{-value:,.2f}" if value < 0 else f"£{value:,.2f}"
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{sign}£{magnitude / 1e6:,.2f}m"
    if magnitude >= 1e4:
        return f"{sign}£{magnitude / 1e3:,.0f}k"
    return f"{sign}£{magnitude:,.0f}"


def number(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.{decimals}f}"


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.4g}%"


def year(value: int | None) -> str:
    return "" if value is None else financial_year_label(value)


def fractions(values: tuple[float, ...], *, exact: bool = False) -> str:
    """'0.5, 0.5'; exact keeps every digit (1/3 stays 1/3 when read back)."""
    return ", ".join(repr(v) if exact else f"{v:g}" for v in values)


def codes(values: tuple[str, ...]) -> str:
    return ", ".join(values) if values else "all"
