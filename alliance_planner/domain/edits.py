"""Edits to a plan as pure functions: plan in, new plan out.

The window turns each user action into one of these and keeps the old and new plans for
undo; nothing here knows about Qt. Renaming or removing a force, service or site carries
through to everything that refers to it, so an edit never leaves a dangling reference.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any, Literal

from .model import Decision, EstateItem, Force, Option, OptionRole, Plan, Service, Site, Source

Collection = Literal["forces", "services", "estate", "options", "sites", "sources"]
COLLECTIONS: tuple[Collection, ...] = ("forces", "services", "estate", "options", "sites",
                                       "sources")
KEY_FIELD = {"forces": "code", "services": "code", "options": "code", "sites": "code",
             "sources": "key"}


def records(plan: Plan, collection: Collection) -> tuple[Any, ...]:
    return getattr(plan, collection)  # type: ignore[no-any-return]


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


def _keys(plan: Plan, collection: Collection) -> list[str]:
    key = KEY_FIELD.get(collection)
    return [getattr(r, key) for r in records(plan, collection)] if key else []


def set_field(plan: Plan, collection: Collection, index: int, attr: str, value: Any) -> Plan:
    """Change one field of one record; a changed code is carried to its references."""
    items = list(records(plan, collection))
    old = items[index]
    items[index] = dataclasses.replace(old, **{attr: value})
    plan = plan.replace(**{collection: tuple(items)})
    if attr == KEY_FIELD.get(collection) and value != getattr(old, attr):
        plan = _rename(plan, collection, getattr(old, attr), value)
    return plan


def _rename(plan: Plan, collection: Collection, old: str, new: str) -> Plan:
    def swap(code: str) -> str:
        return new if code == old else code

    if collection == "forces":
        return plan.replace(
            estate=tuple(dataclasses.replace(e, force=swap(e.force)) for e in plan.estate),
            sites=tuple(dataclasses.replace(s, force=swap(s.force)) for s in plan.sites),
            options=_map_decisions(plan, lambda d: dataclasses.replace(
                d, forces=tuple(swap(c) for c in d.forces))),
        )
    if collection == "services":
        return plan.replace(
            estate=tuple(dataclasses.replace(e, service=swap(e.service)) for e in plan.estate),
            options=_map_decisions(plan, lambda d: dataclasses.replace(
                d, service=swap(d.service))),
        )
    if collection == "sites":
        return plan.replace(options=tuple(dataclasses.replace(o, site_actions=tuple(
            dataclasses.replace(a, site=swap(a.site)) for a in o.site_actions))
            for o in plan.options))
    if collection == "sources":
        def cite(record: Any) -> Any:
            return dataclasses.replace(record, source=swap(record.source))
        return plan.replace(
            forces=tuple(cite(f) for f in plan.forces),
            estate=tuple(cite(e) for e in plan.estate),
            sites=tuple(cite(s) for s in plan.sites),
            options=_map_decisions(plan, cite),
        )
    return plan


def _map_decisions(plan: Plan, change: Any) -> tuple[Option, ...]:
    return tuple(dataclasses.replace(o, decisions=tuple(change(d) for d in o.decisions))
                 for o in plan.options)


def new_record(plan: Plan, collection: Collection) -> Any:
    """A sensible blank record with a free key, ready to insert."""
    if collection == "forces":
        code = unique_code(_keys(plan, "forces"), "new-force")
        return Force(code, "New force", officers=0.0, staff=0.0)
    if collection == "services":
        return Service(unique_code(_keys(plan, "services"), "new-service"), "New service")
    if collection == "options":
        code = unique_code(_keys(plan, "options"), "OPT")
        return Option(code, "New option", OptionRole.OTHER)
    if collection == "sites":
        force = plan.forces[0].code if plan.forces else ""
        return Site(unique_code(_keys(plan, "sites"), "site"), "New site", force)
    if collection == "sources":
        return Source(unique_code(_keys(plan, "sources"), "source"), "New source",
                      is_assumption=True)
    if collection == "estate":
        taken = {(e.force, e.service) for e in plan.estate}
        for f in plan.forces:
            for s in plan.services:
                if (f.code, s.code) not in taken:
                    return EstateItem(f.code, s.code)
        raise ValueError("every force already has an estate item for every service")
    raise KeyError(collection)


def insert_record(plan: Plan, collection: Collection, record: Any,
                  index: int | None = None) -> Plan:
    items = list(records(plan, collection))
    items.insert(len(items) if index is None else index, record)
    return plan.replace(**{collection: tuple(items)})


def duplicate_record(plan: Plan, collection: Collection, index: int) -> Plan:
    """A copy placed after the original, with a free key (an estate item: the next free slot)."""
    original = records(plan, collection)[index]
    if collection == "estate":
        blank = new_record(plan, "estate")
        copy = dataclasses.replace(original, force=blank.force, service=blank.service)
    else:
        key = KEY_FIELD[collection]
        code = unique_code(_keys(plan, collection), getattr(original, key))
        changes: dict[str, Any] = {key: code}
        if hasattr(original, "name"):
            changes["name"] = f"{original.name} (copy)"
        if collection == "options" and original.role is OptionRole.BASELINE:
            changes["role"] = OptionRole.OTHER
        copy = dataclasses.replace(original, **changes)
    return insert_record(plan, collection, copy, index + 1)


def remove_record(plan: Plan, collection: Collection, index: int) -> Plan:
    """Remove a record and whatever depends on it (a force's estate and sites, say).

    A source still cited is not cleared: validation refuses that edit and names the citation.
    """
    items = list(records(plan, collection))
    gone = items.pop(index)
    plan = plan.replace(**{collection: tuple(items)})
    if collection == "forces":
        code = gone.code
        sites = {s.code for s in plan.sites if s.force == code}
        options = []
        for o in plan.options:
            decisions = []
            for d in o.decisions:
                if code in d.forces:
                    rest = tuple(c for c in d.forces if c != code)
                    if not rest:
                        continue  # its only participant has gone, and so has the decision
                    d = dataclasses.replace(d, forces=rest)
                decisions.append(d)
            options.append(dataclasses.replace(
                o, decisions=tuple(decisions),
                site_actions=tuple(a for a in o.site_actions if a.site not in sites)))
        return plan.replace(
            estate=tuple(e for e in plan.estate if e.force != code),
            sites=tuple(s for s in plan.sites if s.code not in sites),
            options=tuple(options),
        )
    if collection == "services":
        return plan.replace(
            estate=tuple(e for e in plan.estate if e.service != gone.code),
            options=tuple(dataclasses.replace(o, decisions=tuple(
                d for d in o.decisions if d.service != gone.code)) for o in plan.options),
        )
    if collection == "sites":
        return plan.replace(options=tuple(dataclasses.replace(o, site_actions=tuple(
            a for a in o.site_actions if a.site != gone.code)) for o in plan.options))
    return plan


def move_record(plan: Plan, collection: Collection, index: int, to: int) -> Plan:
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
