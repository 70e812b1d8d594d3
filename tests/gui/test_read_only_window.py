"""The window on a plan it cannot edit: open in another process, read-only on disk, changed
by another program behind its back, or refused on opening. Each says why, in one line
where it is a message, and nothing on disk changes."""

import getpass
import os
import platform
import sqlite3

import plan_faults
import pytest
from PySide6.QtWidgets import QMessageBox

from alliance_planner import samples
from alliance_planner.store import planfile
from alliance_planner.store.planfile import read_plan, write_new

digest = plan_faults.digest


def estate_cell(page, force, service, header):
    model = page.model
    row = next(r for r in range(model.rowCount())
               if model.row_label(r) == f"{force}/{service}")
    column = next(c for c, col in enumerate(model.columns) if col.header == header)
    return model.index(row, column)


def open_and_wait(window, qtbot, path):
    window.open_path(path)
    qtbot.waitUntil(lambda: window.document.path == path, timeout=10_000)
    return window.document


def test_a_plan_open_in_another_process_opens_read_only_naming_who_has_it(
        window, qtbot, tmp_path):
    other = tmp_path / "mobile.alliance"
    write_new(other, samples.build("mobile-data"))
    holder = plan_faults.hold_open(other)
    try:
        before = digest(other)
        document = open_and_wait(window, qtbot, other)
        who = f"{getpass.getuser()} on {platform.node()} (process {holder.pid}) since "
        assert document.read_only.startswith(f"it is open for editing by {who}")
        assert window.windowTitle().startswith("mobile.alliance[*] (read-only) — ")
        assert window.file_label.text() == "Read-only: mobile.alliance"
        assert who in window.statusBar().currentMessage()
        assert window.read_only_banner.isVisible()
        assert "mobile.alliance is open read-only</b>: it is open for editing by " in \
            window.read_only_banner.text()
        assert who in window.read_only_banner.text()

        # It can be looked at: every page has the plan; an edit is refused with the reason.
        estate = window.pages["Today's estate"]
        plan = document.plan
        cell = estate_cell(estate, "staffordshire", "field-mobile", "Running cost a year")
        assert not estate.model.setData(cell, "1")
        assert "Not changed: mobile.alliance is open read-only (it is open for editing " \
               "by" in window.statusBar().currentMessage()
        assert "File › Save As makes a copy you can edit" in window.statusBar().currentMessage()
        assert document.plan is plan and not document.undo_stack.count()
        assert digest(other) == before

        # Save As elsewhere makes a copy that can be edited.
        copy = tmp_path / "my-copy.alliance"
        assert window.create_plan(document.plan, copy)
        qtbot.waitUntil(lambda: window.document.path == copy, timeout=10_000)
        assert window.document.read_only is None
        assert not window.read_only_banner.isVisible()
        cell = estate_cell(window.pages["Today's estate"], "staffordshire", "field-mobile",
                           "Running cost a year")
        assert window.pages["Today's estate"].model.setData(cell, "1")
        assert read_plan(copy) == window.document.plan
        assert digest(other) == before
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_a_read_only_file_opens_read_only_and_says_so(window, qtbot, tmp_path, monkeypatch):
    other = tmp_path / "mobile.alliance"
    write_new(other, samples.build("mobile-data"))
    before = digest(other)
    # Root may write anywhere: the test says what the system says to a user.
    monkeypatch.setattr(planfile.os, "access", lambda path, mode: mode != os.W_OK)
    document = open_and_wait(window, qtbot, other)
    assert document.read_only == "the file is read-only"
    assert "Opened mobile.alliance read-only: the file is read-only" in \
        window.statusBar().currentMessage()
    with pytest.raises(Exception, match="is open read-only"):
        document.edit(document.plan.replace(name="No"), "rename")
    assert digest(other) == before
    assert not any(p.name.startswith("mobile.alliance") and p.name != "mobile.alliance"
                   for p in tmp_path.iterdir())  # no journal, lock or copy beside it


def test_an_edit_after_another_program_wrote_the_file_is_refused_and_the_file_taken_up(
        window, qtbot):
    path = window.document.path
    with sqlite3.connect(path) as other:
        other.execute("UPDATE forces SET officers = 1234 WHERE code = 'dorset'")
    estate = window.pages["Today's estate"]
    cell = estate_cell(estate, "dorset", "service-desk", "Running cost a year")
    assert not estate.model.setData(cell, "130000")
    assert "was changed by another program since it was last read; nothing was written" in \
        window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: {f.code: f.officers for f in window.document.plan.forces}[
        "dorset"] == 1234)
    on_disk = read_plan(path)
    assert {f.code: f.officers for f in on_disk.forces}["dorset"] == 1234
    assert on_disk == window.document.plan
    assert estate.model.setData(cell, "130000")  # now it saves, over the latest state
    assert read_plan(path) == window.document.plan


@pytest.mark.parametrize(("damage", "words"), [
    ("ALTER TABLE forces DROP COLUMN pcsos", "forces.pcsos: the column is missing"),
    ("UPDATE decisions SET transition_profile = '" + "[" * 200_000 + "]" * 200_000 + "'",
     "transition_profile: is not a list"),
])
def test_opening_a_file_missing_a_column_or_nested_deep_shows_one_line(
        window, qtbot, tmp_path, monkeypatch, damage, words):
    bad = tmp_path / "bad.alliance"
    write_new(bad, samples.build("mobile-data"))
    with sqlite3.connect(bad) as conn:
        conn.execute(damage)
    before = digest(bad)
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda parent, title, text: shown.append((title, text)))
    current = window.document
    window.open_path(bad)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    title, text = shown[0]
    assert title == "Cannot open the plan"
    assert text.startswith(f"{bad}: is damaged (") and words in text and "\n" not in text
    assert window.document is current
    assert digest(bad) == before


def test_a_plan_left_mid_save_by_a_crash_opens_in_the_window(window, qtbot, tmp_path):
    other = tmp_path / "mobile.alliance"
    plan = samples.build("mobile-data")
    write_new(other, plan)
    plan_faults.cut_short_save(other)
    document = open_and_wait(window, qtbot, other)
    assert document.read_only is None and document.plan == plan
    assert not plan_faults.journal(other).exists()


def test_an_edit_on_a_full_disk_is_refused_and_the_window_and_the_file_keep_the_plan(
        window, qtbot, tmp_path):
    with plan_faults.small_disk(tmp_path / "disk", "512k") as disk:
        path = disk / "sw.alliance"
        write_new(path, samples.build(samples.DEFAULT))
        document = open_and_wait(window, qtbot, path)
        plan = document.plan
        plan_faults.fill(disk, 0)
        estate = window.pages["Today's estate"]
        cell = estate_cell(estate, "dorset", "service-desk", "Running cost a year")
        assert not estate.model.setData(cell, "130000")
        assert window.statusBar().currentMessage() == \
            f"Not changed: {path}: the disk is full; nothing was written"
        assert document.plan is plan and read_plan(path) == plan
        copy = tmp_path / "elsewhere.alliance"  # Save As to another disk
        assert window.create_plan(document.plan, copy)
        qtbot.waitUntil(lambda: window.document.path == copy, timeout=10_000)
        assert read_plan(copy) == plan and read_plan(path) == plan
        assert sorted(p.name for p in disk.iterdir()) == ["filler", "sw.alliance"]
