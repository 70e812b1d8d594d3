"""Edits a plan as the window does, for tests/e2e/test_crash.py to kill at random moments.

    python tests/crash_driver.py PLAN

The driver loads the program once, says ``ready``, then for each ``run SEED`` line on its
standard input forks a worker and says ``worker PID``. The worker opens PLAN for editing
(``PlanFile.open``, taking over the lock its killed predecessor left), and then applies a
long run of edits through the code the window uses: an edit from alliance_planner.domain.edits,
checked by validation, saved with ``PlanFile.save(plan, previous=...)`` as ui/document.py
saves it; now and then an undo (the plan before, saved over the plan after) or a named
version. Before each save it prints ``try N FINGERPRINT`` and after it ``saved N
FINGERPRINT``: the test kills the worker with SIGKILL wherever it happens to be, and then
checks that the file holds the last plan reported saved, or the one being saved.

Forking from a loaded driver makes each kill cost milliseconds instead of a Python start,
so a test can afford hundreds. When the worker has gone (killed, or done after
``--edits`` edits) the driver says ``reaped PID STATUS``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import random
import sys
from pathlib import Path
from typing import Any

from alliance_planner.domain import edits, schema
from alliance_planner.domain.model import Plan
from alliance_planner.domain.validation import validate
from alliance_planner.store.planfile import PlanFile

MAX_EDITS = 400


def say(line: str) -> None:
    """One line to the test, written at once (a worker may die the next instant)."""
    os.write(1, (line + "\n").encode())


def fingerprint(plan: Plan) -> str:
    return hashlib.sha1(repr(plan).encode()).hexdigest()[:16]


def _new_value(rng: random.Random, column: schema.Column, value: Any) -> Any:
    if column.kind in (schema.Kind.MONEY, schema.Kind.NUMBER):
        base = value if isinstance(value, int | float) and value else 1000.0
        return round(float(base) * rng.uniform(0.5, 1.5), 2)
    if column.kind is schema.Kind.PERCENT:
        return round(rng.uniform(0.0, 0.5), 4)
    if column.kind is schema.Kind.TEXT and column.refers_to is None:
        return f"{rng.choice(['North', 'South', 'East', 'West'])} {rng.randrange(10**6)}"
    return None


def an_edit(rng: random.Random, plan: Plan) -> Plan | None:
    """One edit a user could make in the window, or None if the one drawn does not apply."""
    kind = rng.choices(["field", "decision", "setting", "duplicate", "remove", "move"],
                       weights=[8, 4, 2, 1, 1, 1])[0]
    collections = [c for c in schema.TOP_LEVEL if edits.records(plan, c.name)]
    collection = rng.choice(collections)
    records = edits.records(plan, collection.name)
    index = rng.randrange(len(records))
    if kind == "field":
        column = rng.choice([c for c in collection.columns if c.editable
                             and c.attr not in collection.key])
        value = _new_value(rng, column, getattr(records[index], column.attr))
        return None if value is None else edits.set_field(plan, collection.name, index,
                                                          column.attr, value)
    if kind == "decision":
        o = rng.randrange(len(plan.options))
        decisions = plan.options[o].decisions
        if not decisions:
            return None
        decision = rng.choice(decisions)
        column = rng.choice([c for c in schema.COLLECTIONS["decisions"].columns
                             if c.kind in (schema.Kind.MONEY, schema.Kind.NUMBER)])
        value = _new_value(rng, column, getattr(decision, column.attr))
        return edits.set_decision(plan, o, decision.service,
                                  dataclasses.replace(decision, **{column.attr: value}))
    if kind == "setting":
        return plan.replace(discount_rate=round(rng.uniform(0.01, 0.06), 4),
                            notes=f"note {rng.randrange(10**6)}")
    if kind == "duplicate":
        # (Not an option, nor a deflator: duplicate_record cannot copy a key that is a
        # year, not a code.)
        if collection.name in ("options", "deflators") or len(collection.key) > 1:
            return None
        return edits.duplicate_record(plan, collection.name, index)
    if kind == "remove":
        if collection.name in ("options", "forces", "services") or len(records) < 2:
            return None
        return edits.remove_record(plan, collection.name, index)
    if len(records) < 2:
        return None
    return edits.move_record(plan, collection.name, index, rng.randrange(len(records)))


def work(path: Path, seed: int, count: int) -> None:
    """Edit the plan as a user would in the window, reporting each save."""
    rng = random.Random(seed)
    plan_file = PlanFile.open(path)
    plan = plan_file.opened or plan_file.load()
    say(f"opened {fingerprint(plan)}")
    history: list[Plan] = []
    for n in range(count):
        if history and rng.random() < 0.15:  # undo: the plan before, saved over this one
            new = history.pop()
        else:
            new = an_edit(rng, plan)
            if new is None or new == plan or validate(new):
                continue  # the window refuses it before saving
            history.append(plan)
        if rng.random() < 0.03:
            say(f"version {n}")
            plan_file.save_version(f"version {n}", plan)
        say(f"try {n} {fingerprint(new)}")
        plan_file.save(new, previous=plan, checked=True)
        say(f"saved {n} {fingerprint(new)}")
        plan = new
    plan_file.close()
    say("finished")


def main() -> None:
    path = Path(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else MAX_EDITS
    say("ready")
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command != "run":
            break
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                work(path, int(argument), count)
            except BaseException as exc:  # reported, for the test to fail with
                say(f"error {type(exc).__name__}: {exc}".replace("\n", " "))
                os._exit(1)
            os._exit(0)
        say(f"worker {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"reaped {pid} {status}")


if __name__ == "__main__":
    main()
