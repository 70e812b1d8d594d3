"""Cancel that cancels: an import, an export or an open stopped from its progress dialog
stops, and leaves nothing behind: no plan file, no workbook, no temporary file, and the
plan on screen as it was. Before, no job looked at the flag: Cancel on an import still
wrote the plan."""

from __future__ import annotations

import time
from pathlib import Path

import hostile
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton

from alliance_planner import samples
from alliance_planner.exchange import template
from alliance_planner.store.planfile import PlanFile, write_new
from alliance_planner.ui import main_window
from alliance_planner.ui.document import PlanDocument


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch):
    """A message box here is a failure, and must not wait for a click that never comes."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"a message box was shown: {args[2:]}")
    monkeypatch.setattr(QMessageBox, "critical", refuse)
    monkeypatch.setattr(QMessageBox, "exec", refuse)


def progress(window) -> QProgressDialog:
    dialogs = [d for d in window.findChildren(QProgressDialog) if not d.wasCanceled()]
    assert dialogs, "a job is running"
    return dialogs[-1]


def click_cancel(qtbot, window, *, at_once: bool = False) -> None:
    """Wait for the progress dialog to show (or show it at once, as if the work were
    slower to start), then press its Cancel button, as a person does."""
    dialog = progress(window)
    if at_once:
        dialog.show()
    qtbot.waitUntil(dialog.isVisible, timeout=10_000)
    button = dialog.findChild(QPushButton)
    assert button is not None and button.text() == "Cancel"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.wasCanceled()


def finished(qtbot, window) -> None:
    qtbot.waitUntil(lambda: not getattr(window, "_background_jobs", []), timeout=60_000)


@pytest.fixture(scope="module")
def large_workbook(tmp_path_factory) -> Path:
    """A filled template whose Estate sheet has 40,000 rows: seconds to read."""
    folder = tmp_path_factory.mktemp("large")
    source = folder / "national.xlsx"
    template.write_template(source, samples.build("national"))
    rows = hostile.table_rows(source, "Estate")
    header, body = rows[0], [r for r in rows[1:] if r[0] is not None]
    return hostile.rewrite(source, folder / "large.xlsx", {
        hostile.sheet_paths(source)["Estate"]: lambda: hostile.sheet(
            hostile.rows_xml([header, *(body * 50)[:40_000]]))})


def test_cancel_during_a_large_import_writes_no_plan(window, qtbot, tmp_path, large_workbook,
                                                     monkeypatch):
    written = []
    monkeypatch.setattr(main_window, "write_new", lambda *a, **k: written.append(a))
    shown = window.document.path
    target = tmp_path / "imported.alliance"
    window.import_workbook(large_workbook, target)
    click_cancel(qtbot, window)
    finished(qtbot, window)
    assert written == []  # the reading stopped: the plan was never written
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".alliance") == \
        ["sw.alliance"]
    assert window.document.path == shown
    assert window.statusBar().currentMessage().startswith("Cancelled: nothing was imported")


@pytest.fixture
def national_window(window, tmp_path):
    path = tmp_path / "national.alliance"
    write_new(path, samples.build("national"))
    window.set_document(PlanDocument.open(path, parent=window))
    return window


@pytest.mark.parametrize("what", ["board pack", "template"])
def test_cancel_during_an_export_leaves_no_workbook(national_window, qtbot, tmp_path, what):
    window = national_window
    target = tmp_path / "out.xlsx"
    if what == "board pack":
        window.export_board_pack(target)  # the national pack takes seconds to build
        click_cancel(qtbot, window)
    else:
        window.export_template(target)
        click_cancel(qtbot, window, at_once=True)  # the template is quick to build
    finished(qtbot, window)
    assert not target.exists()
    assert not [p.name for p in tmp_path.iterdir() if ".xlsx" in p.name]  # nor a half one
    assert window.statusBar().currentMessage().startswith("Cancelled: ")


def test_cancel_an_export_keeps_the_workbook_already_there(window, qtbot, tmp_path):
    target = tmp_path / "board.xlsx"
    target.write_bytes(b"the board's own copy")
    window.export_board_pack(target)
    click_cancel(qtbot, window, at_once=True)
    finished(qtbot, window)
    assert target.read_bytes() == b"the board's own copy"


def test_cancel_an_open_keeps_the_plan_shown_and_the_other_file_free(window, qtbot,
                                                                      tmp_path):
    other = tmp_path / "other.alliance"
    write_new(other, samples.build("mobile-data"))
    shown = window.document.path
    window.open_path(other)
    click_cancel(qtbot, window, at_once=True)
    finished(qtbot, window)
    assert window.document.path == shown
    PlanFile.open(other).close()  # not left open, nor locked, by the cancelled job


def test_cancel_the_board_summary_writes_no_pdf_and_keeps_no_version(window, qtbot, tmp_path,
                                                                     monkeypatch):
    from alliance_planner.exchange import report

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "summary.pdf"
    original = report.build_figure

    def slow(plan, *args, cancelled, **kwargs):  # as on a slow laptop: Cancel comes first
        deadline = time.monotonic() + 20
        while not cancelled() and time.monotonic() < deadline:
            time.sleep(0.01)
        return original(plan, *args, cancelled=cancelled, **kwargs)

    monkeypatch.setattr(report, "build_figure", slow)
    window.export_summary(target, "never kept")
    click_cancel(qtbot, window)
    finished(qtbot, window)
    assert window.statusBar().currentMessage() == "Cancelled: Board summary not written"
    assert list(folder.iterdir()) == [] and window.document.file.versions() == []
