"""The plan file: round trips, refusals that leave files untouched, and atomic saves."""

import dataclasses
import getpass
import hashlib
import os
import platform
import re
import sqlite3
import struct
import time

import plan_faults
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import plans

from alliance_planner import APPLICATION_ID, messages, samples
from alliance_planner.domain.validation import validate
from alliance_planner.store import lock, migrations, planfile
from alliance_planner.store.lock import lock_path
from alliance_planner.store.planfile import (
    PlanChangedElsewhere,
    PlanFile,
    PlanFileError,
    PlanInUse,
    PlanNotEditable,
    file_version,
    read_plan,
    write_new,
)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def siblings(path):
    return sorted(p.name for p in path.parent.iterdir())


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plans())
def test_round_trip(tmp_path, plan):
    path = tmp_path / "round.alliance"
    write_new(path, plan, overwrite=True)
    assert read_plan(path) == plan


def test_samples_round_trip(tmp_path, sample_plans):
    for name, plan in sample_plans.items():
        path = tmp_path / f"{name}.alliance"
        write_new(path, plan)
        assert read_plan(path) == plan


def test_header_marks_a_plan(plan_file):
    header = plan_file.read_bytes()[:100]
    assert struct.unpack(">I", header[68:72])[0] == APPLICATION_ID
    assert struct.unpack(">i", header[60:64])[0] == migrations.schema_version()
    with sqlite3.connect(plan_file) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_write_new_refuses_to_overwrite(plan_file, example_plan):
    before = digest(plan_file)
    with pytest.raises(PlanFileError, match="already exists"):
        write_new(plan_file, example_plan.replace(name="Other"))
    assert digest(plan_file) == before


def test_write_new_refuses_an_invalid_plan_and_writes_nothing(tmp_path, example_plan):
    bad = example_plan.replace(discount_rate=float("nan"))
    with pytest.raises(PlanFileError, match=r"plan\.discount_rate"):
        write_new(tmp_path / "bad.alliance", bad)
    assert list(tmp_path.iterdir()) == []


def test_write_where_no_file_can_be_made(tmp_path, example_plan):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("x")
    with pytest.raises(PlanFileError, match="cannot be written"):
        write_new(not_a_folder / "plan.alliance", example_plan)
    assert not_a_folder.read_text() == "x"


def make_foreign(path):
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
    return path


def make_newer(plan_file):
    data = bytearray(plan_file.read_bytes())
    data[60:64] = struct.pack(">i", migrations.schema_version() + 1)
    plan_file.write_bytes(bytes(data))
    return plan_file


def make_damaged(plan_file):
    data = bytearray(plan_file.read_bytes())
    page = 4096
    # Scribble over every page after the first: the header survives, the tables do not.
    for start in range(page, len(data), page):
        data[start:start + 64] = b"\xde\xad\xbe\xef" * 16
    plan_file.write_bytes(bytes(data))
    return plan_file


def make_truncated(plan_file):
    data = plan_file.read_bytes()
    plan_file.write_bytes(data[: len(data) // 2])
    return plan_file


@pytest.mark.parametrize(("make", "message"), [
    (lambda p: p.write_bytes(b""), "is empty, not an Alliance Planner plan"),
    (lambda p: p.write_text("name,officers\nDorset,1461\n"), "not a SQLite database"),
    (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\x00" * 10), "not a SQLite database"),
    (make_foreign, "is a SQLite database but not an Alliance Planner plan"),
    (make_newer, "was written by a newer version of Alliance Planner"),
    (make_damaged, "is damaged"),
    (make_truncated, "is damaged"),
])
def test_refused_files_are_left_untouched(plan_file, make, message):
    make(plan_file)
    before, names = digest(plan_file), siblings(plan_file)
    for attempt in (read_plan, PlanFile.open):
        with pytest.raises(PlanFileError, match=message) as info:
            attempt(plan_file)
        assert str(info.value).startswith(str(plan_file))
    assert digest(plan_file) == before
    assert siblings(plan_file) == names  # no journal, backup or temporary file left


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(PlanFileError, match="no such file"):
        read_plan(tmp_path / "nothing.alliance")
    with pytest.raises(PlanFileError, match="is a folder"):
        read_plan(tmp_path)


def test_tampered_content_is_refused_with_the_field(plan_file):
    with sqlite3.connect(plan_file) as conn:
        conn.execute("UPDATE forces SET officers = -3 WHERE code = 'A'")
    before = digest(plan_file)
    with pytest.raises(PlanFileError, match=r"forces\[A\]\.officers: must not be negative"):
        read_plan(plan_file)
    with sqlite3.connect(plan_file) as conn:
        conn.execute("UPDATE forces SET officers = 'many' WHERE code = 'A'")
    with pytest.raises(PlanFileError, match=r"forces\[A\]\.officers: must be a number"):
        read_plan(plan_file)
    assert digest(plan_file) != before  # (the test itself changed it, not the reads)


def test_reading_never_writes(plan_file):
    before = digest(plan_file)
    read_plan(plan_file)
    assert digest(plan_file) == before


def test_save_is_all_or_nothing(plan_file, example_plan, monkeypatch):
    """A failure half way through a save (a crash, a full disk) leaves the last save."""
    real = planfile._write_plan

    def crash_half_way(db, plan):
        db.execute("DELETE FROM estate_items")
        raise sqlite3.OperationalError("database or disk is full")

    with PlanFile.open(plan_file) as f:
        monkeypatch.setattr(planfile, "_write_plan", crash_half_way)
        with pytest.raises(PlanFileError, match="the disk is full; nothing was written"):
            f.save(example_plan.replace(name="Lost"))
        monkeypatch.setattr(planfile, "_write_plan", real)
        assert f.load() == example_plan
    assert read_plan(plan_file) == example_plan


def test_save_refuses_an_invalid_plan(plan_file, example_plan):
    bad = example_plan.replace(forces=(dataclasses.replace(example_plan.forces[0],
                                                           officers=-1),
                                       example_plan.forces[1]))
    with PlanFile.open(plan_file) as f, pytest.raises(PlanFileError, match="officers"):
        f.save(bad)
    assert read_plan(plan_file) == example_plan


def test_a_second_writer_is_told_who_has_the_plan_and_may_read_it(plan_file, example_plan):
    """One writer at a time: a second open for editing is refused, naming the holder; it
    can open the plan read-only, which follows the writer's saves and refuses its own."""
    with PlanFile.open(plan_file) as one:
        with pytest.raises(PlanInUse, match="is already open for editing in this program; "
                                            "it can be opened read-only") as info:
            PlanFile.open(plan_file)
        holder = info.value.holder
        assert (holder.pid, holder.user, holder.host) == (os.getpid(), getpass.getuser(),
                                                          platform.node())
        with PlanFile.open_read_only(plan_file, info.value.reason) as two:
            assert two.read_only == info.value.reason
            assert two.opened == example_plan
            one.save(example_plan.replace(name="From one"), previous=example_plan)
            assert not one.changed_elsewhere()
            assert two.changed_elsewhere()
            assert two.load().name == "From one"
            assert not two.changed_elsewhere()
            before = digest(plan_file)
            with pytest.raises(PlanFileError, match=r"is open read-only .*nothing was written"):
                two.save(example_plan.replace(name="From two"))
            with pytest.raises(PlanFileError, match="is open read-only"):
                two.save_version("v", example_plan)
            assert digest(plan_file) == before
    with PlanFile.open(plan_file) as again:  # closing let it go
        assert again.load().name == "From one"
    with sqlite3.connect(plan_file) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not lock_path(plan_file).exists()


def test_another_process_holding_the_plan_is_named_and_its_lock_taken_over_once_killed(
        plan_file, example_plan):
    holder = plan_faults.hold_open(plan_file)
    try:
        with pytest.raises(PlanInUse) as info:
            PlanFile.open(plan_file)
        message = str(info.value)
        assert info.value.holder.pid == holder.pid
        assert f"is open for editing by {getpass.getuser()} on {platform.node()} (process " \
               f"{holder.pid}) since " in message
        assert message.endswith("; it can be opened read-only")
        assert re.search(r"since \d\d:\d\d on \d+ \w+ 20\d\d", message)
        with pytest.raises(PlanInUse, match="close it there first"):
            write_new(plan_file, example_plan.replace(name="Over it"), overwrite=True)
        assert read_plan(plan_file) == example_plan
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert lock_path(plan_file).exists()  # a killed process leaves its lock file behind
    with PlanFile.open(plan_file) as f:  # ...and the next opener takes it over
        assert f.took_over is not None and f.took_over.pid == holder.pid
        f.save(example_plan.replace(name="Mine now"), previous=example_plan)
    assert read_plan(plan_file).name == "Mine now"


@pytest.mark.parametrize(("host", "alive", "taken_over"), [
    ("here", False, True),    # this host, and no such process: stale
    ("here", True, False),    # this host, still running
    ("elsewhere", False, False),  # another host: it cannot be known to have stopped
])
def test_without_kernel_locks_a_lock_is_stale_only_when_its_process_is_gone_here(
        plan_file, monkeypatch, host, alive, taken_over):
    """Where a file system has no kernel locks, the lock falls back on O_EXCL and the
    holder's process id."""
    monkeypatch.setattr(lock, "_kernel_lock", lambda fd: lock._UNSUPPORTED)
    pid = os.getppid() if alive else _a_pid_not_running()
    stale = lock.Holder(user="jane", host=platform.node() if host == "here" else "pc-99",
                        pid=pid, since="2025-11-23T14:02:00+00:00", token="t0")
    lock_path(plan_file).write_bytes(stale.to_json())
    if taken_over:
        with PlanFile.open(plan_file) as f:
            assert f.took_over is None  # (the old file was removed, then made afresh)
            assert lock.Holder.from_json(lock_path(plan_file).read_bytes()).pid == os.getpid()
            with pytest.raises(PlanInUse):
                PlanFile.open(plan_file)
        assert not lock_path(plan_file).exists()
    else:
        with pytest.raises(PlanInUse, match=f"by jane on {stale.host} \\(process {pid}\\)"):
            PlanFile.open(plan_file)
        assert lock_path(plan_file).read_bytes() == stale.to_json()


def _a_pid_not_running():
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid += 1


def test_a_plan_reached_by_a_symbolic_link_shares_the_lock_of_its_file(plan_file, tmp_path):
    link = tmp_path / "shortcut.alliance"
    link.symlink_to(plan_file)
    with PlanFile.open(plan_file), pytest.raises(PlanInUse):
        PlanFile.open(link)
    with PlanFile.open(link), pytest.raises(PlanInUse):
        PlanFile.open(plan_file)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.alliance",
                                                           "shortcut.alliance"]


def test_a_stale_lock_file_with_nobody_holding_it_is_taken_over(plan_file, example_plan):
    left = lock.Holder(user="jane", host="pc-12", pid=123, since="2025-11-23T14:02:00+00:00")
    lock_path(plan_file).write_bytes(left.to_json())
    with PlanFile.open(plan_file) as f:
        assert f.took_over == left
    assert not lock_path(plan_file).exists()
    lock_path(plan_file).write_bytes(b"\x00garbage\n" * 1000)  # not even a lock file
    with PlanFile.open(plan_file) as f:
        assert f.took_over is None


def test_a_save_never_writes_over_another_writers_rows(plan_file, example_plan):
    """A program that ignores the lock writes the file: the next save is refused, whole
    or in part, until the plan is read again; nothing of the other writer's goes back."""
    with PlanFile.open(plan_file) as f:
        with sqlite3.connect(plan_file) as other:
            other.execute("UPDATE forces SET officers = 1234 WHERE code = 'A'")
        assert f.changed_elsewhere()
        mine = example_plan.replace(name="Mine")
        for previous in (example_plan, None):
            with pytest.raises(PlanChangedElsewhere, match="was changed by another program "
                               "since it was last read; nothing was written"):
                f.save(mine, previous=previous)
        with pytest.raises(PlanChangedElsewhere):
            f.save_version("v", mine)
        on_disk = read_plan(plan_file)
        assert on_disk.forces[0].officers == 1234 and on_disk.name == example_plan.name
        assert f.versions() == []
        current = f.load()
        f.save(current.replace(name="Mine"), previous=current)
    after = read_plan(plan_file)
    assert (after.name, after.forces[0].officers) == ("Mine", 1234)


def test_a_save_into_a_file_replaced_behind_its_back_is_refused(plan_file, example_plan,
                                                                 tmp_path):
    with PlanFile.open(plan_file) as f:
        other = tmp_path / "other.alliance"
        write_new(other, example_plan.replace(name="Replacement"))
        os.replace(other, plan_file)
        with pytest.raises(PlanChangedElsewhere, match="was moved, replaced or deleted"):
            f.save(example_plan.replace(name="Lost?"), previous=example_plan)
    assert read_plan(plan_file).name == "Replacement"


def test_named_versions(plan_file, example_plan):
    with PlanFile.open(plan_file) as f:
        board = f.save_version("To the board, March", example_plan, note="approved")
        f.save(example_plan.replace(discount_rate=0.05))
        assert [v.name for v in f.versions()] == ["To the board, March"]
        assert f.load_version(board.id) == example_plan
        assert f.load().discount_rate == 0.05
        with pytest.raises(PlanFileError, match="has no version 99"):
            f.load_version(99)
        with pytest.raises(PlanFileError, match="needs a name"):
            f.save_version("  ", example_plan)


def test_read_only_file_opens_for_reading_not_editing(plan_file, example_plan, monkeypatch):
    # Root may write anywhere, so the test says what the system would say to a user.
    monkeypatch.setattr(planfile.os, "access", lambda path, mode: mode != os.W_OK)
    before = digest(plan_file)
    assert read_plan(plan_file) == example_plan
    with pytest.raises(PlanNotEditable, match=r"is read-only \(the file is read-only\); it "
                                              "can be opened read-only") as info:
        PlanFile.open(plan_file)
    with PlanFile.open_read_only(plan_file, info.value.reason) as f:
        assert f.read_only == "the file is read-only"
        assert f.load() == example_plan
        with pytest.raises(PlanFileError, match="is open read-only"):
            f.save(example_plan.replace(name="No"))
    assert digest(plan_file) == before
    assert siblings(plan_file) == ["example.alliance"]


def test_forward_migration_keeps_a_backup(plan_file, example_plan, monkeypatch):
    """A file from an older format is upgraded on open for editing, after a backup."""
    def add_column(conn):
        conn.execute("ALTER TABLE plan ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue'")

    current = len(migrations.MIGRATIONS)
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, add_column])
    monkeypatch.setattr(planfile, "MIGRATIONS", migrations.MIGRATIONS)
    before = digest(plan_file)
    assert read_plan(plan_file) == example_plan  # migrated in memory only
    assert digest(plan_file) == before and file_version(plan_file) == current
    with PlanFile.open(plan_file) as f:
        assert f.load() == example_plan
    assert file_version(plan_file) == current + 1
    backup = plan_file.with_name(plan_file.name + f".format{current}.bak")
    assert digest(backup) == before
    with sqlite3.connect(plan_file) as conn:
        assert conn.execute("SELECT colour FROM plan").fetchone() == ("blue",)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_saving_only_the_changes_gives_the_same_file_as_saving_everything(tmp_path, data):
    """A run of random edits saved incrementally reads back as the plan, every time."""
    from alliance_planner.domain import edits
    from alliance_planner.domain.validation import validate

    plan = data.draw(plans())
    path = tmp_path / "edits.alliance"
    write_new(path, plan, overwrite=True)
    with PlanFile.open(path) as f:
        for _ in range(data.draw(st.integers(1, 6))):
            collection = data.draw(st.sampled_from(["forces", "estate", "options", "services"]))
            records = edits.records(plan, collection)
            kind = data.draw(st.sampled_from(["field", "add", "remove", "decision"]))
            if kind == "field" and records:
                i = data.draw(st.integers(0, len(records) - 1))
                attr, value = {
                    "forces": ("officers", float(data.draw(st.integers(1, 9000)))),
                    "estate": ("annual_running_cost", float(data.draw(st.integers(0, 10**7)))),
                    "options": ("name", data.draw(st.sampled_from(["A", "B", "C"]))),
                    "services": ("code", data.draw(st.sampled_from(["X1", "X2"]))),
                }[collection]
                new = edits.set_field(plan, collection, i, attr, value)
            elif kind == "add" and collection != "estate":
                new = edits.insert_record(plan, collection, edits.new_record(plan, collection))
            elif kind == "remove" and len(records) > 1 and collection != "options":
                new = edits.remove_record(plan, collection, data.draw(
                    st.integers(0, len(records) - 1)))
            elif kind == "decision" and plan.options[1:]:
                service = plan.services[0].code
                new = edits.set_decision(plan, 1, service, None)
            else:
                continue
            if validate(new):
                continue
            f.save(new, previous=plan)
            plan = new
            assert read_plan(path) == plan


def test_a_plan_saved_in_format_1_reads_and_upgrades(tmp_path):
    """tests/data keeps a plan file written by format 1: it must always open."""
    from pathlib import Path

    kept = Path(__file__).parent.parent / "data" / "south-west-format1.alliance"
    path = tmp_path / "old.alliance"
    path.write_bytes(kept.read_bytes())
    assert file_version(path) == 1
    plan = read_plan(path)
    assert digest(path) == digest(kept)  # read in memory, file untouched
    assert [f.code for f in plan.forces] == ["devon-and-cornwall", "dorset"]
    assert plan.deflators == () and not plan.pool_exit_fees
    assert all(e.exit_fee == 0.0 and e.price_year is None for e in plan.estate)
    assert all(d.benefit_ramp == (1.0,) for o in plan.options for d in o.decisions)
    with PlanFile.open(path) as f:
        assert f.load() == plan
    assert file_version(path) == len(migrations.MIGRATIONS)
    assert digest(path.with_name("old.alliance.format1.bak")) == digest(kept)


def test_opening_keeps_the_plan_it_checked_unless_the_file_changed(plan_file, example_plan):
    with PlanFile.open(plan_file) as f:
        assert f.opened == example_plan
    with PlanFile.open(plan_file) as one:
        one.save(example_plan.replace(name="Changed"))
    with PlanFile.open(plan_file) as f:
        assert f.opened is not None and f.opened.name == "Changed"


# --- a save cut short by a crash --------------------------------------------------------------


def _read_only_open(path):
    with PlanFile.open_read_only(path) as f:
        return f.opened


def _open_for_editing(path):
    with PlanFile.open(path) as f:
        return f.opened or f.load()


@pytest.mark.parametrize("opener", [read_plan, _open_for_editing, _read_only_open])
def test_a_plan_left_mid_save_by_a_crash_opens_as_it_was_before_that_save(
        plan_file, example_plan, opener):
    """A crash during a commit leaves a hot journal; opening lets SQLite roll it back."""
    plan_faults.cut_short_save(plan_file)
    assert opener(plan_file) == example_plan
    assert siblings(plan_file) == ["example.alliance"]  # the journal was played back
    with sqlite3.connect(plan_file) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert "filler" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}


def test_a_plan_left_mid_save_where_it_cannot_be_written_says_so(plan_file, monkeypatch):
    plan_faults.cut_short_save(plan_file)
    journal = plan_faults.journal(plan_file)
    before = digest(plan_file), digest(journal)
    monkeypatch.setattr(planfile.os, "access", lambda path, mode: mode != os.W_OK)
    with pytest.raises(PlanNotEditable):
        PlanFile.open(plan_file)
    for attempt in (read_plan, PlanFile.open_read_only):
        with pytest.raises(PlanFileError) as info:
            attempt(plan_file)
        message = str(info.value)
        assert message.startswith(f"{plan_file}: was left mid-save by a crash, and can be "
                                  "recovered only where it can be written (the file is "
                                  "read-only)")
        assert message.endswith("copy it with example.alliance-journal to a writable folder; "
                                "nothing was changed")
        assert "damaged" not in message and "\n" not in message
    assert (digest(plan_file), digest(journal)) == before


# --- hostile and damaged content --------------------------------------------------------------


def _one_line_refusal(attempt, path, *words):
    with pytest.raises(PlanFileError) as info:
        attempt(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ") and message.isprintable(), message
    assert len(message) <= messages.LIMIT
    for word in words:
        assert word in message, message
    return message


def test_numbers_from_a_file_are_bounded_before_they_size_anything(plan_file, example_plan):
    """A horizon of a billion years is refused by its limit, quickly and in little memory,
    however the plan is read: opened, reloaded, or a named version."""
    import time
    import tracemalloc

    with PlanFile.open(plan_file) as f:
        f.save_version("huge", example_plan.replace(horizon_years=5))
        with sqlite3.connect(plan_file) as other:
            other.execute("UPDATE plan SET horizon_years = 1000000000")
            other.execute("UPDATE versions SET plan_json = replace(plan_json, "
                          "'\"horizon_years\": 5', '\"horizon_years\": 1000000000')")
        tracemalloc.start()
        start = time.perf_counter()
        for attempt in (read_plan, lambda _: f.load(), lambda _: f.load_version(1)):
            _one_line_refusal(attempt, plan_file, "horizon_years: must be at most 60")
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < 2 and peak < 50e6, (elapsed, peak)


def test_a_small_file_cannot_make_the_engine_allocate_gigabytes(tmp_path):
    """600 forces, services and options fit in a 220 KB file; before plans were bounded,
    appraising them took 2.3 GB and 5 s (800 of each: past 3 GB). Reading refuses such a
    plan before the engine sizes (options x services x forces) arrays by it."""
    base = samples.build(samples.DEFAULT)
    path = tmp_path / "many.alliance"
    write_new(path, base.replace(estate=(), sites=(), options=base.options[:2]))
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM decisions")
        db.execute("DELETE FROM site_actions")
        for table, key, copies in (("forces", "code", 600), ("services", "code", 600),
                                   ("options", "code", 600)):
            columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
            rest = ", ".join(c for c in columns if c != key)
            for i in range(copies):
                db.execute(f"INSERT INTO {table} ({key}, {rest}) SELECT ?, {rest} FROM "
                           f"{table} WHERE rowid = (SELECT max(rowid) FROM {table})",
                           (f"x{i}",))
    db.close()
    assert path.stat().st_size < 300_000
    start = time.monotonic()
    with pytest.raises(PlanFileError, match=r"at most 100 forces \(this one has 602\)"):
        read_plan(path)
    assert time.monotonic() - start < 2


def test_the_product_of_options_forces_and_services_is_bounded():
    """Each count within its own limit, the product past the engine's: refused, with the
    product named."""
    base = samples.build(samples.DEFAULT)
    plan = base.replace(
        forces=tuple(dataclasses.replace(base.forces[0], code=f"f{i}") for i in range(100)),
        services=tuple(dataclasses.replace(base.services[0], code=f"s{i}") for i in range(250)),
        options=tuple(dataclasses.replace(o, code=f"o{i}", decisions=(), site_actions=())
                      for i, o in enumerate([base.options[0]] + [base.options[1]] * 5)),
        estate=(), sites=())
    problems = [str(p) for p in validate(plan)]
    assert problems == ["options: 6 options x 100 forces x 250 services is 150,000, past "
                        "the 100,000 a plan may hold"]


DEEP = "[" * 200_000 + "]" * 200_000


@pytest.mark.parametrize(("damage", "words"), [
    (["ALTER TABLE forces DROP COLUMN pcsos"], ["is damaged (forces.pcsos: the column is "
                                                "missing)"]),
    (["ALTER TABLE forces DROP COLUMN source"], ["forces.source: the column is missing"]),
    (["DROP TABLE site_actions"], ["site_actions: the table is missing"]),
    ([f"UPDATE decisions SET transition_profile = '{DEEP}'"],
     ["transition_profile: is not a list: '[[[["]),
    ([f"INSERT INTO versions (name, created_at, plan_json) VALUES ('v', '', '{DEEP}')"],
     []),  # read only by load_version
    (["CREATE TRIGGER t AFTER UPDATE ON forces BEGIN SELECT 1; END"],
     ["has 1 trigger(s), which a plan never has"]),
    (["UPDATE forces SET code = 'A' || char(10) || char(27) || '[31m' || 'red', "
      "officers = -1 WHERE code = 'A'"], ["forces[A\\n\\x1b[31mred].officers: must not be "
                                          "negative"]),
    (["UPDATE forces SET code = printf('%.*c', 10000000, 'X'), officers = -1 "
      "WHERE code = 'A'"], ["the plan is not valid: forces[XXXX", "XXXX…"]),
    (["UPDATE forces SET officers = printf('%.*c', 10000000, 'X')"],
     ["officers: must be a number, not 'XXXX"]),
    (["PRAGMA writable_schema = ON", "UPDATE sqlite_master SET sql = 'CREATE TABLE "
      "services (' || char(10) || 'code TEXT,' || char(10) || 'bad bad (bad' "
      "WHERE name = 'services'"], ["is damaged (malformed database schema (services)"]),
])
def test_a_file_missing_parts_or_holding_hostile_values_is_refused_in_one_line(
        plan_file, damage, words):
    conn = sqlite3.connect(plan_file, isolation_level=None)
    for statement in damage:
        conn.execute(statement)
    conn.close()
    before, names = digest(plan_file), siblings(plan_file)
    if words:
        for attempt in (read_plan, PlanFile.open, PlanFile.open_read_only):
            _one_line_refusal(attempt, plan_file, *words)
    else:
        with PlanFile.open(plan_file) as f:
            _one_line_refusal(lambda _: f.load_version(1), plan_file,
                              "version 1 is damaged (RecursionError)")
    assert digest(plan_file) == before and siblings(plan_file) == names


def test_every_message_is_one_short_line_whatever_it_quotes():
    assert str(PlanFileError("p: a\nb\x1b[2J \u202eevil")) == "p: a\\nb\\x1b[2J \\u202eevil"
    long = str(PlanFileError("p: " + "x" * 10_000_000 + " the reason"))
    assert len(long) <= messages.LIMIT and long.startswith("p: xx") and "…" in long
    assert long.endswith(" the reason")


# --- other programs, full disks and other modes -----------------------------------------------


def test_a_plan_locked_by_another_program_says_so_without_a_long_wait(plan_file, example_plan,
                                                                      monkeypatch):
    import time

    other = sqlite3.connect(plan_file, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        start = time.perf_counter()
        _one_line_refusal(read_plan, plan_file, "is locked by another program")
        assert time.perf_counter() - start < 3.5  # one short wait, not one per query
        monkeypatch.setattr(planfile, "_BUSY_TIMEOUT_MS", 100)
        other.execute("ROLLBACK")
        with PlanFile.open(plan_file) as f:
            other.execute("BEGIN EXCLUSIVE")
            with pytest.raises(PlanFileError, match="is locked by another program; nothing "
                                                    "was written"):
                f.save(example_plan.replace(name="Later"), previous=example_plan)
            other.execute("ROLLBACK")
            f.save(example_plan.replace(name="Later"), previous=example_plan)  # it recovers
    finally:
        other.close()
    assert read_plan(plan_file).name == "Later"


def test_a_full_disk_while_making_a_file_says_so_and_leaves_nothing(tmp_path, example_plan,
                                                                   monkeypatch):
    """SQLite rolls back by itself when the disk fills; the message must not become
    'cannot rollback - no transaction is active'."""
    def disk_fills(conn):
        conn.execute("CREATE TABLE t (x)")
        conn.execute("ROLLBACK")  # what SQLite does on SQLITE_FULL
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorcode = 13
        raise error

    monkeypatch.setattr(planfile, "MIGRATIONS", [disk_fills])
    target = tmp_path / "new.alliance"
    with pytest.raises(PlanFileError, match=r"new\.alliance: the disk is full; nothing was "
                                            r"written$"):
        write_new(target, example_plan)
    assert list(tmp_path.iterdir()) == []


def test_a_plan_in_wal_mode_is_read_leaving_nothing_beside_it(plan_file, example_plan):
    conn = sqlite3.connect(plan_file)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone() == ("wal",)
    conn.close()
    before, names = digest(plan_file), siblings(plan_file)
    assert names == ["example.alliance"]
    assert read_plan(plan_file) == example_plan
    with PlanFile.open_read_only(plan_file) as f:
        assert f.load() == example_plan and f.versions() == []
    assert (digest(plan_file), siblings(plan_file)) == (before, names)


def test_changes_left_in_a_wal_file_are_read_and_merged(plan_file, example_plan):
    plan_faults.leave_write_ahead_log(plan_file, "From the log")
    assert read_plan(plan_file).name == "From the log"
    assert siblings(plan_file) == ["example.alliance"]
    assert read_plan(plan_file).name == "From the log"
    with PlanFile.open(plan_file) as f:  # opened for editing, it becomes a plan like ours
        plan = f.load()
        f.save(plan.replace(name="Edited"), previous=plan)
    assert siblings(plan_file) == ["example.alliance"]
    assert plan_file.read_bytes()[18:20] == b"\x01\x01"
    assert read_plan(plan_file).name == "Edited"
