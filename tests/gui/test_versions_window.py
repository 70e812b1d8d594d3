"""Versions, the comparison, Merge Returns and the board's version, driven in the window:
what each shows is what the domain and the store say, and a merge refused, cancelled or
with nothing to bring leaves the plan file as it was."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QProgressDialog, QPushButton

from alliance_planner import samples
from alliance_planner.domain.diff import diff_inputs, diff_results
from alliance_planner.exchange import returns as exchange_returns
from alliance_planner.exchange.returns import write_per_force
from alliance_planner.store.lock import user_name
from alliance_planner.store.planfile import PlanFile, read_plan
from alliance_planner.ui import export, returns, versions
from alliance_planner.ui.returns import MergeDialog, merge_returns
from alliance_planner.ui.versions import VersionsDialog, input_row, result_row, shown

# The offscreen platform says so of every dialog and message box shown; a real screen does not.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def sent(tmp_path_factory) -> dict[str, Path]:
    """The south-west sample's templates per force, as sent out."""
    folder = tmp_path_factory.mktemp("sent")
    return {p.stem: p for p in write_per_force(folder, samples.build("south-west-alliance"))}


def edit_return(source: Path, target: Path, sheet: str, header: str, value) -> Path:
    book = load_workbook(source)
    rows = book[sheet]
    rows.cell(2, [c.value for c in rows[1]].index(header) + 1).value = value
    book.save(target)
    return target


def versions_dialog(window) -> VersionsDialog:
    window.versions_dialog()
    dialog = window.findChild(VersionsDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def select(dialog: VersionsDialog, *rows: int) -> None:
    dialog.table.clearSelection()
    model = dialog.table.model()
    for row in rows:
        dialog.table.selectionModel().select(
            model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
            | QItemSelectionModel.SelectionFlag.Rows)


def answer(qtbot, merger):
    qtbot.waitUntil(lambda: merger.dialog is not None or merger.done, timeout=20_000)
    return merger.dialog


def test_the_versions_view_lists_each_version_with_when_and_who_kept_it(window):
    plan_file = window.document.file
    plan_file.save_version("To the board, March", window.document.plan, "approved")
    plan_file.save_version("Draft", window.document.plan)
    rows = shown(versions_dialog(window).table)
    assert [r[0] for r in rows] == ["Draft", "To the board, March"]  # the newest first
    assert [r[2] for r in rows] == [user_name()] * 2
    assert rows[1][3] == "approved" and all(r[1] for r in rows)


def test_the_comparison_shows_exactly_the_known_edits_and_no_differences_when_none(window):
    document = window.document
    before = document.plan
    document.file.save_version("Before", before)
    force = before.forces[0]
    item = before.estate[0]
    edited = before.replace(
        forces=(dataclasses.replace(force, officers=force.officers + 10), *before.forces[1:]),
        estate=(dataclasses.replace(item, annual_running_cost=123_456.0), *before.estate[1:]))
    document.edit(edited, "two edits")
    document.file.save_version("After", edited)

    dialog = versions_dialog(window)
    select(dialog, 1)  # "Before", against today's plan
    dialog.compare()
    assert shown(dialog.diff.inputs) == [
        ["Forces", force.code, "Officers", f"{force.officers:,.0f}",
         f"{force.officers + 10:,.0f}"],
        ["Estate", f"{item.force}/{item.service}", "Running cost a year",
         f"£{item.annual_running_cost:,.2f}", "£123,456.00"]]
    assert shown(dialog.diff.inputs) == [input_row(c) for c in diff_inputs(before, edited)]
    names = {o.code: o.name for o in before.options}
    expected = [result_row(c, names) for c in diff_results(before, edited)]
    assert expected and shown(dialog.diff.results) == expected
    assert not dialog.diff.nothing.isVisible()

    select(dialog, 0, 1)  # the two versions: from the older to the newer
    assert dialog.compare_button.text() == "&Compare the Two"
    dialog.compare()
    assert "From version 'Before'" in dialog.diff.heading.text()
    assert shown(dialog.diff.results) == expected

    select(dialog, 0)  # "After" is today's plan
    dialog.compare()
    assert dialog.diff.nothing.isVisible() and not dialog.diff.splitter.isVisible()


def test_a_version_restored_opens_as_a_new_plan_equal_to_it_and_logged(window, qtbot,
                                                                       tmp_path, monkeypatch):
    document = window.document
    kept = document.plan
    document.file.save_version("Board", kept)
    document.edit(kept.replace(name="Renamed since"), "rename")
    target = tmp_path / "restored.alliance"
    monkeypatch.setattr(versions.QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), ""))
    dialog = versions_dialog(window)
    dialog.restore()
    qtbot.waitUntil(lambda: window.document.path == target, timeout=10_000)
    assert window.document.plan == kept and window.document.read_only is None
    (entry,) = window.document.file.changes()
    assert (entry.what, entry.by) == ("restore", user_name())
    assert "'Board'" in entry.detail and len(entry.checksum) == 64


def test_a_version_opens_read_only_in_a_window_of_its_own(window, qtbot):
    kept = window.document.plan
    window.document.file.save_version("Board", kept)
    window.document.edit(kept.replace(name="Renamed since"), "rename")
    versions_dialog(window).open_read_only()
    other = versions.VERSION_WINDOWS[-1]
    qtbot.waitExposed(other)
    assert other.document.plan == kept and "version 'Board'" in other.document.read_only
    assert other.read_only_banner.isVisible()
    copy = other.document.path
    other.close()
    qtbot.waitUntil(lambda: not copy.exists(), timeout=5_000)
    assert window.document.plan.name == "Renamed since"


def test_a_return_as_sent_says_nothing_to_merge_and_changes_nothing(window, qtbot, sent):
    path = window.document.path
    before = digest(path)
    merger = merge_returns(window, [sent[window.document.plan.forces[0].code]])
    box = answer(qtbot, merger)
    assert isinstance(box, QMessageBox) and box.text().startswith("Nothing to merge from ")
    box.accept()
    assert merger.done and digest(path) == before
    assert window.document.undo_stack.count() == 0
    assert window.document.file.versions() == [] and window.document.file.changes() == []


def test_an_edited_return_is_shown_merged_as_one_step_logged_and_undone(window, qtbot, sent,
                                                                        tmp_path):
    document = window.document
    plan = document.plan
    code = plan.forces[1].code
    item = next(e for e in plan.estate if e.force == code)
    edited = edit_return(sent[code], tmp_path / "return.xlsx", "Estate",
                         "Running cost a year", 99_999)
    merger = merge_returns(window, [edited])
    dialog = answer(qtbot, merger)
    assert isinstance(dialog, MergeDialog)
    assert shown(dialog.diff.inputs) == [["Estate", f"{code}/{item.service}",
                                          "Running cost a year",
                                          f"£{item.annual_running_cost:,.2f}", "£99,999.00"]]
    assert dialog.diff.results.rowCount() > 0
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert merger.done

    merged = next(e for e in document.plan.estate if e.force == code and
                  e.service == item.service)
    assert merged.annual_running_cost == 99_999
    assert read_plan(document.path) == document.plan
    assert document.undo_stack.count() == 1
    (version,) = document.file.versions()
    assert version.name == "Before merging return.xlsx"
    assert document.file.load_version(version.id) == plan
    (entry,) = document.file.changes()
    assert (entry.what, entry.file, entry.checksum) == ("merge", str(edited), digest(edited))
    log = shown(versions_dialog(window).log)
    assert log[0][2:5] == ["merge", "return.xlsx", digest(edited)[:12]]
    window.findChild(VersionsDialog).close()

    window.undo_action.trigger()
    assert document.plan == plan and read_plan(document.path) == plan
    assert len(document.file.changes()) == 1  # the log keeps what came in; undo is an edit


def test_a_refused_return_shows_its_problems_and_leaves_the_file_byte_for_byte(
        window, qtbot, sent, tmp_path):
    path = window.document.path
    before = digest(path)
    first, second = (f.code for f in window.document.plan.forces[:2])
    bad = edit_return(sent[first], tmp_path / "bad.xlsx", "Estate", "Force", second)
    merger = merge_returns(window, [bad])
    box = answer(qtbot, merger)
    assert isinstance(box, QMessageBox) and box.windowTitle() == "Nothing was merged"
    assert box.text().startswith("bad.xlsx has 1 problem(s)")
    assert box.informativeText().startswith(f"Estate row 2, Force: '{second}' is another "
                                            "force's row")
    box.accept()
    assert digest(path) == before and window.document.undo_stack.count() == 0


def test_cancel_while_a_return_is_read_changes_nothing(window, qtbot, sent, tmp_path,
                                                       monkeypatch):
    def slow(path, plan, forces=(), *, cancelled):
        stop = time.monotonic() + 10
        while not cancelled() and time.monotonic() < stop:
            time.sleep(0.01)
        return read(path, plan, forces, cancelled=cancelled)

    read = exchange_returns.read_return
    monkeypatch.setattr(returns, "read_return", slow)
    path = window.document.path
    before = digest(path)
    code = window.document.plan.forces[1].code
    edited = edit_return(sent[code], tmp_path / "r.xlsx", "Estate", "Running cost a year", 1)
    merger = merge_returns(window, [edited, sent[code]])
    (progress,) = window.findChildren(QProgressDialog)
    qtbot.waitUntil(progress.isVisible, timeout=10_000)  # shown after 200 ms, as to a person
    qtbot.mouseClick(progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not getattr(window, "_background_jobs", []), timeout=20_000)
    assert merger.done and merger.dialog is None and merger.queue == []
    assert window.statusBar().currentMessage() == "Cancelled: nothing was merged from r.xlsx"
    assert digest(path) == before and window.document.undo_stack.count() == 0


def test_a_read_only_plan_refuses_merge_with_the_reason(window, qtbot, monkeypatch):
    monkeypatch.setattr(window.document.file, "read_only", "its folder is read-only")
    merger = merge_returns(window, [])
    box = answer(qtbot, merger)
    assert "sw.alliance is open read-only (its folder is read-only); nothing was changed" in \
        box.text()
    box.accept()
    assert merger.done


def test_the_board_pack_export_keeps_a_version_by_default(window, qtbot, tmp_path,
                                                          monkeypatch):
    target = tmp_path / "board.xlsx"
    offered = []

    def accept(dialog):
        offered.append((dialog.keep.isChecked(), dialog.version()))
        dialog.path_edit.setText(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(export.BoardPackDialog, "exec", accept)
    plan = window.document.plan
    window.export_dialog()
    qtbot.waitUntil(lambda: "written to" in window.statusBar().currentMessage(),
                    timeout=60_000)
    name = export.board_version_name()
    assert offered == [(True, name)] and target.exists()
    (version,) = window.document.file.versions()
    assert version.name == name and window.document.file.load_version(version.id) == plan
    assert window.statusBar().currentMessage().endswith(f"kept as the version '{name}'")


def test_file_export_summary_writes_one_pdf_page_and_keeps_its_version(window, qtbot,
                                                                       tmp_path, monkeypatch):
    target = tmp_path / "summary"  # the dialog adds .pdf
    offered = []

    def accept(dialog):
        offered.append((dialog.windowTitle(), dialog.path().suffix, dialog.version()))
        dialog.path_edit.setText(str(target))
        dialog.version_name.setText("Board, December")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(export.SummaryDialog, "exec", accept)
    plan = window.document.plan
    menu_action = next(a for a in window.menuBar().actions()[0].menu().actions()
                       if a.text() == "Export &Summary…")
    menu_action.trigger()
    written = target.with_suffix(".pdf")
    qtbot.waitUntil(lambda: "Board summary written" in window.statusBar().currentMessage(),
                    timeout=60_000)
    assert offered == [("Export the board summary", ".pdf", export.board_version_name())]
    data = written.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    (version,) = window.document.file.versions()
    assert version.name == "Board, December"
    assert window.document.file.load_version(version.id) == plan


def test_templates_per_force_are_written_one_a_force(window, qtbot, tmp_path):
    folder = tmp_path / "out"
    returns.write_templates(window, folder)
    qtbot.waitUntil(lambda: "templates written" in window.statusBar().currentMessage(),
                    timeout=20_000)
    assert sorted(p.stem for p in folder.iterdir()) == \
        sorted(f.code for f in window.document.plan.forces)
    with PlanFile.open_read_only(window.document.path) as plan_file:
        assert plan_file.changes() == []
