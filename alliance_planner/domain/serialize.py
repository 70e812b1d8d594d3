"""Plans to and from plain JSON-ready dicts, with type checks that name the field.

Used for named versions inside the plan file, for sample plans and for tests. The
conversion follows the dataclasses' own type hints, so a new field needs no code here.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from datetime import date
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from .model import Plan
from .validation import Problem, ValidationError

T = TypeVar("T")
FORMAT = 1


def to_dict(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, tuple | list):
        return [to_dict(x) for x in obj]
    return obj


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {"format": FORMAT, "plan": to_dict(plan)}


def plan_from_dict(data: Any) -> Plan:
    """Build a plan from :func:`plan_to_dict` output; every type error names its field."""
    if not isinstance(data, dict) or "plan" not in data:
        raise ValidationError([Problem("plan", "not a plan document")])
    if data.get("format") != FORMAT:
        raise ValidationError([Problem("format", f"unknown plan format {data.get('format')!r}")])
    problems: list[Problem] = []
    plan: Plan = build_value(Plan, data["plan"], "plan", problems)
    if problems:
        raise ValidationError(problems)
    return plan


@cache
def field_types(cls: type) -> dict[str, Any]:
    """A dataclass's fields and their resolved types, worked out once per class.

    What ``typing.get_type_hints`` gives for the plan's records, whose annotations are text
    (``from __future__ import annotations``) naming types of their own module; but each
    text is compiled once a run, not once a field: some 1.5 ms of opening a plan. Anything
    else is left to get_type_hints."""
    found: dict[str, Any] = {}
    for base in reversed(cls.__mro__):
        for name, hint in vars(base).get("__annotations__", {}).items():
            try:
                found[name] = _evaluated(hint, base.__module__) if isinstance(hint, str) \
                    else hint
            except NameError:
                return typing.get_type_hints(cls)
    return found


@cache
def _evaluated(text: str, module: str) -> Any:
    return eval(text, vars(sys.modules[module]))  # a field annotation of the program's own


def build_value(tp: Any, value: Any, where: str, problems: list[Problem]) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return build_value(inner, value, where, problems)
    if origin is tuple:
        if not isinstance(value, list | tuple):
            problems.append(Problem(where, f"must be a list, not {value!r}"))
            return ()
        inner = args[0]
        return tuple(build_value(inner, v, f"{where}[{i}]", problems) for i, v in enumerate(value))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(value, dict):
            problems.append(Problem(where, f"must be a record, not {value!r}"))
            return None
        hints = field_types(tp)
        known = {f.name for f in dataclasses.fields(tp)}
        for extra in sorted(set(value) - known):
            problems.append(Problem(f"{where}.{extra}", "is not a known field"))
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in value:
                kwargs[f.name] = build_value(hints[f.name], value[f.name], f"{where}.{f.name}",
                                        problems)
            elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                problems.append(Problem(f"{where}.{f.name}", "is missing"))
        try:
            return tp(**kwargs)
        except TypeError as exc:
            problems.append(Problem(where, str(exc)))
            return None
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(value)
        except ValueError:
            choices = ", ".join(repr(m.value) for m in tp)
            problems.append(Problem(where, f"must be one of {choices}, not {value!r}"))
            return next(iter(tp))
    if tp is date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            problems.append(Problem(where, f"must be a date (YYYY-MM-DD), not {value!r}"))
            return None
    if tp is float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        problems.append(Problem(where, f"must be a number, not {value!r}"))
        return 0.0
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        problems.append(Problem(where, f"must be a whole number, not {value!r}"))
        return 0
    if tp is bool:
        if isinstance(value, bool):
            return value
        problems.append(Problem(where, f"must be true or false, not {value!r}"))
        return False
    if tp is str:
        if isinstance(value, str):
            return value
        problems.append(Problem(where, f"must be text, not {value!r}"))
        return ""
    raise TypeError(f"no conversion for {tp!r} at {where}")
