"""File › Print Page and Print Board Summary, to a PDF printer as a user's print dialog
would give: one landscape sheet each, with the page's content and the plan in the header."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog

from alliance_planner.ui import printing

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def pdf_printer(path) -> QPrinter:
    printer = printing.new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def pages(path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", path.read_bytes()))


def text_of(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_print_page_puts_the_compare_page_and_its_header_on_one_sheet(window, qtbot,
                                                                      tmp_path):
    window.show_page_named("Compare")
    target = tmp_path / "compare.pdf"
    window.print_page(pdf_printer(target))
    assert pages(target) == 1
    text = text_of(target)
    plan = window.document.plan
    assert plan.name[:30] in text and "Compare" in text and plan.marking in text
    assert window.statusBar().currentMessage() == "Printed the Compare page"


def test_the_print_dialog_is_asked_first_and_cancel_prints_nothing(window, qtbot, tmp_path,
                                                                   monkeypatch):
    asked = []

    def cancel(dialog):
        asked.append(dialog.windowTitle())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(QPrintDialog, "exec", cancel)
    window.show_page_named("Overview")
    window.print_page()
    assert asked == ["Print the Overview page"] and list(tmp_path.glob("*.pdf")) == []
    assert "Printed" not in window.statusBar().currentMessage()


def test_print_board_summary_prints_the_summary_on_one_landscape_sheet(window, qtbot,
                                                                       tmp_path):
    target = tmp_path / "summary.pdf"
    printer = pdf_printer(target)
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
    window.print_summary(printer)
    qtbot.waitUntil(lambda: "Printed the board summary" in window.statusBar().currentMessage(),
                    timeout=60_000)
    assert target.exists() and pages(target) == 1
    assert target.stat().st_size > 50_000  # the summary drawn, not a blank sheet
