"""The plan file: round trips, refusals that leave files untouched, and atomic saves."""

import dataclasses
import hashlib
import os
import sqlite3
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import plans

from alliance_planner import APPLICATION_ID
from alliance_planner.store import migrations, planfile
from alliance_planner.store.planfile import (
    PlanFile,
    PlanFileError,
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


def test_two_connections_on_one_file(plan_file, example_plan):
    with PlanFile.open(plan_file) as one, PlanFile.open(plan_file) as two:
        one.save(example_plan.replace(name="From one"))
        assert not one.changed_elsewhere()
        assert two.changed_elsewhere()
        assert two.load().name == "From one"
        assert not two.changed_elsewhere()
        two.save(example_plan.replace(name="From two"))
        assert one.load().name == "From two"
    with sqlite3.connect(plan_file) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


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
    with pytest.raises(PlanFileError, match="is read-only; open it and save it under another"):
        PlanFile.open(plan_file)
    assert digest(plan_file) == before


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
