"""The window's account of a workbook it will not import: the first 100 problems, a line
counting the rest, each one line with nothing a terminal or a label would act on."""

from __future__ import annotations

import hostile
from PySide6.QtWidgets import QMessageBox

from alliance_planner import samples
from alliance_planner.exchange import template
from alliance_planner.exchange.cells import storable
from alliance_planner.messages import LIMIT
from alliance_planner.ui.main_window import PROBLEMS_SHOWN


def test_thousands_of_problems_are_listed_to_a_hundred_and_counted(window, qtbot, tmp_path,
                                                                   monkeypatch):
    source = tmp_path / "filled.xlsx"
    template.write_template(source, samples.build("south-west-alliance"))
    rows = hostile.table_rows(source, "Estate")
    header, body = rows[0], [r for r in rows[1:] if r[0] is not None]
    cost = header.index("Running cost a year")
    bad = [[*r[:cost], storable("\x1b[2J" + "9" * 5000), *r[cost + 1:]]
           for r in (body * 200)[:3000]]
    workbook = hostile.rewrite(source, tmp_path / "bad.xlsx", {
        hostile.sheet_paths(source)["Estate"]:
            lambda: hostile.sheet(hostile.rows_xml([header, *bad]))})
    shown = []
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: shown.append((box.text(), box.detailedText())))
    target = tmp_path / "imported.alliance"
    window.import_workbook(workbook, target)
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    text, details = shown[0]
    lines = details.splitlines()
    assert text.startswith("bad.xlsx has ") and "problem(s)" in text
    assert len(lines) == PROBLEMS_SHOWN + 1
    assert lines[-1].startswith("and ") and lines[-1].endswith(" more problems")
    assert all(len(line) <= LIMIT for line in lines)
    assert "\x1b" not in details and "\\x1b[2J" in details
    assert not target.exists()
