"""Edits to a plan as pure functions: plan in, new plan out.

The window turns each user action into one of these and keeps the old and new plans for
undo; nothing here knows about Qt. Renaming or removing a record carries through to every
column that the plan schema says refers to it, so an edit never leaves a dangling
reference: a removed force takes its estate and sites with it and leaves the decisions it
took part in, a cited source is kept and validation refuses the edit by name.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from typing import Any

from . import schema
from .model import Decision, Option, OptionRole, Plan, SiteAction
from .schema import Collection, Column, Kind, OnRemove


def records(plan: Plan, collection: str) -> tuple[Any, ...]:
    return schema.records(plan, collection)


def key_field(collection: str) -> str | None:
    """The field that names a record of a collection, where one field does."""
    key = schema.COLLECTIONS[collection].key
    return key[0] if len(key) == 1 else None


def unique_code(existing: Iterable[str], stem: str) -> str:
    """`stem`, or `stem-2`, `stem-3`... whichever is free."""
    taken = set(existing)
    stem = re.sub(r"-\d+$", "", stem) or "new"
    if stem not in taken:
        return stem
    n = 2
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


def set_field(plan: Plan, collection: str, index: int, attr: str, value: Any) -> Plan:
    """Change one field of one record; a changed code is carried to its references."""
    items = list(records(plan, collection))
    old = items[index]
    items[index] = dataclasses.replace(old, **{attr: value})
    plan = plan.replace(**{collection: tuple(items)})
    if attr == key_field(collection) and value != getattr(old, attr):
        plan = _rename(plan, collection, getattr(old, attr), value)
    return plan


def _map_records(plan: Plan, target: Collection,
                 change: Callable[[Any], Any | None]) -> Plan:
    """Apply `change` to every record of `target` (None removes it)."""
    def apply(items: tuple[Any, ...]) -> tuple[Any, ...]:
        changed = tuple(change(r) for r in items)
        return tuple(r for r in changed if r is not None)

    if target.parent is None:
        return plan.replace(**{target.name: apply(getattr(plan, target.name))})
    holders = tuple(dataclasses.replace(h, **{target.name: apply(getattr(h, target.name))})
                    for h in getattr(plan, target.parent))
    return plan.replace(**{target.parent: holders})


def _rename(plan: Plan, collection: str, old: str, new: str) -> Plan:
    for target, column in schema.references(collection):
        def swap(record: Any, column: Column = column) -> Any:
            value = getattr(record, column.attr)
            if column.kind is Kind.CODES:
                if old not in value:
                    return record
                value = tuple(new if c == old else c for c in value)
            elif value == old:
                value = new
            else:
                return record
            return dataclasses.replace(record, **{column.attr: value})
        plan = _map_records(plan, target, swap)
    return plan


def new_record(plan: Plan, collection: str) -> Any:
    """A sensible blank record with a free key, ready to insert."""
    spec = schema.COLLECTIONS[collection]
    changes: dict[str, Any] = {}
    for column in spec.columns:
        if column.refers_to is not None and not column.has_default and column.attr \
                not in spec.key:
            codes = schema.keys(plan, column.refers_to)
            changes[column.attr] = codes[0] if codes else ""
    if collection == "deflators":  # the year after the series, grown by the assumption
        last = max(plan.deflators, key=lambda d: d.year, default=None)
        if last is None:
            return schema.blank(spec, {"year": plan.base_year, "index": 100.0})
        return schema.blank(spec, {"year": last.year + 1,
                                   "index": round(last.index * (1 + plan.deflator_growth), 4),
                                   "source": last.source})
    if len(spec.key) == 1:
        (key,) = spec.key
        changes[key] = unique_code(schema.keys(plan, collection), f"new-{spec.noun}"
                                   if collection != "options" else "OPT")
        if "name" in {c.attr for c in spec.columns}:
            changes["name"] = f"New {spec.noun}"
        if collection == "sources":
            changes.update(title="New source", is_assumption=True)
        if collection == "options":
            changes["role"] = OptionRole.OTHER
        return schema.blank(spec, changes)
    # a composite key of references (an estate item, a service link): the first free
    # pair, never a record paired with itself
    first, second = spec.key
    left = schema.COLLECTIONS[spec.column(first).refers_to or ""]
    right = schema.COLLECTIONS[spec.column(second).refers_to or ""]
    taken = set(map(spec.key_of, records(plan, collection)))
    for a in schema.keys(plan, left.name):
        for b in schema.keys(plan, right.name):
            if (a, b) not in taken and not (left is right and a == b):
                return schema.blank(spec, {**changes, first: a, second: b})
    raise ValueError(f"every {left.noun} already has an {spec.noun} for every {right.noun}")


def insert_record(plan: Plan, collection: str, record: Any,
                  index: int | None = None) -> Plan:
    items = list(records(plan, collection))
    items.insert(len(items) if index is None else index, record)
    return plan.replace(**{collection: tuple(items)})


def duplicate_record(plan: Plan, collection: str, index: int) -> Plan:
    """A copy placed after the original, with a free key (an estate item: the next free slot)."""
    original = records(plan, collection)[index]
    key = key_field(collection)
    if key is None or collection == "deflators":  # a free pair, or the next free year
        blank = new_record(plan, collection)
        spec = schema.COLLECTIONS[collection]
        copy = dataclasses.replace(original, **{k: getattr(blank, k) for k in spec.key})
    else:
        code = unique_code(schema.keys(plan, collection), getattr(original, key))
        changes: dict[str, Any] = {key: code}
        if hasattr(original, "name"):
            changes["name"] = f"{original.name} (copy)"
        if isinstance(original, Option) and original.role is OptionRole.BASELINE:
            changes["role"] = OptionRole.OTHER
        copy = dataclasses.replace(original, **changes)
    return insert_record(plan, collection, copy, index + 1)


def remove_record(plan: Plan, collection: str, index: int) -> Plan:
    """Remove a record and whatever depends on it (a force's estate and sites, say).

    A source still cited is not cleared: validation refuses that edit and names the citation.
    """
    items = list(records(plan, collection))
    gone = items.pop(index)
    plan = plan.replace(**{collection: tuple(items)})
    key = key_field(collection)
    return _remove_references(plan, collection, {getattr(gone, key)}) if key else plan


def _remove_references(plan: Plan, collection: str, gone: set[str]) -> Plan:
    for target, column in schema.references(collection):
        if column.on_remove is OnRemove.REFUSE:
            continue
        removed: set[str] = set()
        target_key = key_field(target.name) if target.parent is None else None

        def prune(record: Any, column: Column = column, removed: set[str] = removed,
                  target_key: str | None = target_key) -> Any | None:
            value = getattr(record, column.attr)
            if column.on_remove is OnRemove.DROP_CODE:
                if not set(value) & gone:
                    return record
                rest = tuple(c for c in value if c not in gone)
                return dataclasses.replace(record, **{column.attr: rest}) if rest else None
            if value in gone:
                if target_key is not None:
                    removed.add(getattr(record, target_key))
                return None
            return record

        plan = _map_records(plan, target, prune)
        if removed:  # a removed site takes its closures with it, and so on
            plan = _remove_references(plan, target.name, removed)
    return plan


def move_record(plan: Plan, collection: str, index: int, to: int) -> Plan:
    items = list(records(plan, collection))
    items.insert(to, items.pop(index))
    return plan.replace(**{collection: tuple(items)})


def set_decision(plan: Plan, option_index: int, service: str,
                 decision: Decision | None) -> Plan:
    """Put, replace or (with None) remove an option's decision for a service."""
    option = plan.options[option_index]
    decisions = [d for d in option.decisions if d.service != service]
    if decision is not None:
        order = [s.code for s in plan.services]
        decisions.append(decision)
        decisions.sort(key=lambda d: order.index(d.service) if d.service in order else 0)
    options = list(plan.options)
    options[option_index] = dataclasses.replace(option, decisions=tuple(decisions))
    return plan.replace(options=tuple(options))


PAIRED_SETTINGS: dict[str, str] = {"savings_target": "savings_target_years",
                                   "savings_target_years": "savings_target"}
"""Settings that make sense only together: a savings target is an amount and its years."""


def set_setting(plan: Plan, attr: str, value: Any) -> Plan:
    """Change one of the plan's settings. A savings target is set or cleared whole: clearing
    either half clears both; an amount with no years is due within the horizon, and years
    with no amount ask to break even (£0 of cumulative savings) within them, until the
    amount is typed."""
    changes = {attr: value}
    partner = PAIRED_SETTINGS.get(attr)
    if partner is not None:
        if value is None:
            changes[partner] = None
        elif getattr(plan, partner) is None:
            changes[partner] = (min(plan.horizon_years, schema.MAX_HORIZON)
                                if partner == "savings_target_years" else 0.0)
    return plan.replace(**changes)


def set_site_action(plan: Plan, option_index: int, site: str,
                    action: SiteAction | None) -> Plan:
    """Put, replace or (with None) remove an option's closure of a site."""
    option = plan.options[option_index]
    actions = tuple(a for a in option.site_actions if a.site != site)
    if action is not None:
        actions = (*actions, action)
    options = list(plan.options)
    options[option_index] = dataclasses.replace(option, site_actions=actions)
    return plan.replace(options=tuple(options))


def code_for(name: str, existing: Iterable[str]) -> str:
    """A short free code made from a name: 'Old Police HQ' -> 'old-police-hq'."""
    stem = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")
    return unique_code(existing, stem or "new")
