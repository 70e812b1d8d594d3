"""Where a problem is, said as the user sees it.

Validation names a field by its path (``options[MS].decisions[radio-support].transition_cost``)
so that every caller can find it; a person looks for a page, a record's name and a column's
header instead: ``Options › Managed service › Airwave radio support › Transition cost``. The
titles, nouns and headers all come from the plan schema.
"""

from __future__ import annotations

import re
from typing import Any, Final

from . import schema
from .model import Plan, financial_year_label
from .schema import Collection
from .validation import Problem

SEPARATOR: Final = " › "
_NAME: Final = re.compile(r"[a-z_]+")


def plain(plan: Plan, problem: Problem) -> str:
    """A problem in words: where it is, then what is wrong."""
    return f"{place(plan, problem.where)}: {problem.message}"


def place(plan: Plan, where: str) -> str:
    """A validation path as page › record › column; a path it cannot read, unchanged."""
    if where.startswith("plan."):
        setting = schema.SETTING.get(where.removeprefix("plan."))
        return SEPARATOR.join(("Plan", setting.header if setting else where[5:]))
    match = _NAME.match(where)
    collection = schema.COLLECTIONS.get(match.group(0)) if match else None
    if collection is None or collection.parent is not None:
        return where
    parts = [collection.title]
    rest = where[len(collection.name):]
    if collection.name == "options":
        for nested in schema.NESTED:
            marker = f"].{nested.name}["
            if rest.startswith("[") and marker in rest:
                code, inner = rest[1:].split(marker, 1)
                option = plan.option(code)
                parts.append(option.name if option else code)
                if nested is schema.SITE_ACTIONS:
                    parts.append(nested.title)
                return SEPARATOR.join(parts + _record_and_field(plan, nested, "[" + inner,
                                                                option))
    return SEPARATOR.join(parts + _record_and_field(plan, collection, rest))


def _record_and_field(plan: Plan, collection: Collection, rest: str,
                      holder: Any = None) -> list[str]:
    """'[dorset].officers' -> ['Dorset', 'Officers']; '.agreed_share' -> ['Agreed share (%)']."""
    parts: list[str] = []
    attr = ""
    if rest.startswith("["):
        end = rest.rfind("]")
        if end < 0:
            return [rest]
        key, attr = rest[1:end], rest[end + 1:].lstrip(".")
        parts.append(record_name(plan, collection, key, holder))
    else:
        attr = rest.lstrip(".")
    if attr:
        try:
            parts.append(collection.column(attr).header)
        except KeyError:
            parts.append(attr)
    return parts


def record_name(plan: Plan, collection: Collection, key: str, holder: Any = None) -> str:
    """What the user calls a record: its name (or title), else its code or its key's names."""
    records = getattr(holder, collection.name) if holder is not None else \
        schema.records(plan, collection.name)
    found = [r for r in records if collection.label(r) == key]
    if len(found) == 1:
        record = found[0]
        name = getattr(record, "name", None) or getattr(record, "title", None)
        if name:
            return str(name)
    if collection.name == "deflators" and key.isdigit():
        return financial_year_label(int(key))
    if len(collection.key) == 1 and collection.key[0] != "code":
        # a decision or a closure is named by the service or site it is about
        column = collection.column(collection.key[0])
        if column.refers_to is not None:
            return name_of(plan, column.refers_to, key)
        return key
    if len(collection.key) == 2 and "/" in key:
        first, second = key.split("/", 1)
        names = [name_of(plan, collection.column(k).refers_to or "", code)
                 for k, code in zip(collection.key, (first, second), strict=True)]
        return ", ".join(names)
    return key


def name_of(plan: Plan, collection: str, code: str) -> str:
    """A code's record's name, or the code where it has none (or is not in the plan)."""
    spec = schema.COLLECTIONS.get(collection)
    if spec is None or spec.parent is not None or len(spec.key) != 1:
        return code
    for record in getattr(plan, collection):
        if getattr(record, spec.key[0]) == code:
            return str(getattr(record, "name", None) or getattr(record, "title", None) or code)
    return code
