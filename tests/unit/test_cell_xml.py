"""The cell writer: what it writes reads back as openpyxl's own writer's does, and a
formula's cached value is there for a viewer that does not calculate."""

import datetime
import io

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Border, Font, Side
from openpyxl.worksheet import _writer

from alliance_planner.exchange import cell_xml
from alliance_planner.exchange.cached import cache
from alliance_planner.exchange.cells import MONEY, put_formula, put_number, put_text


def a_sheet_of_every_kind() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Figures & <notes>"
    texts = ["plain", " padded ", " ", "a & b < c > d", "=not a formula", "Ünïcödé – £",
             "line\nbreak", "_x0041_ kept"]
    for row, text in enumerate(texts, start=1):
        put_text(ws.cell(row, 1), text)
    for row, number in enumerate([0, 1, -2.5, 1e20, 0.1 + 0.2, 123456789.123], start=1):
        put_number(ws.cell(row, 2), number, MONEY)
    put_formula(ws["C1"], '=IF(B1<B2,"less & so","more")')
    put_formula(ws["C2"], "=B2*2", MONEY)
    put_formula(ws["C3"], "=B1>B2")
    put_formula(ws["C4"], "=B3+1")  # no cached value
    cache(ws["C1"], "less & so")
    cache(ws["C2"], 2.0)
    cache(ws["C3"], False)
    ws["D1"] = True
    ws["D2"] = datetime.date(2028, 3, 31)  # left to openpyxl's writer
    ws["D3"].font = Font(bold=True)  # styled, empty
    ws["E1"] = "noted"
    ws["E1"].comment = Comment("a note", "a reviewer")  # these three left to openpyxl
    ws["E2"] = "linked"
    ws["E2"].hyperlink = "https://example.org/"
    ws["E3"].border = Border(left=Side(style="thin"))
    ws.merge_cells("E3:F4")  # a merged cell with a border, no value
    ws.row_dimensions[12].height = 30  # a row with a height and no cells
    return wb


def saved(wb: Workbook, fast: bool) -> bytes:
    cell_xml.install()
    faster = _writer.WorksheetWriter.write_rows
    try:
        _writer.WorksheetWriter.write_rows = faster if fast else faster.wrapped
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()
    finally:
        _writer.WorksheetWriter.write_rows = faster


def test_what_it_writes_reads_back_as_openpyxls_own_writing_does():
    wb = a_sheet_of_every_kind()
    ours = load_workbook(io.BytesIO(saved(wb, fast=True))).active
    theirs = load_workbook(io.BytesIO(saved(wb, fast=False))).active
    assert ours.title == theirs.title == "Figures & <notes>"
    cells = 0
    for mine, other in zip(ours.iter_rows(), theirs.iter_rows(), strict=True):
        for a, b in zip(mine, other, strict=True):
            assert (a.value, a.data_type, a.number_format, a.font.b) == \
                   (b.value, b.data_type, b.number_format, b.font.b), a.coordinate
            cells += a.value is not None
    assert cells == 8 + 6 + 4 + 2 + 2
    assert ours["E1"].comment.text == "a note"
    assert ours["E2"].hyperlink.target == "https://example.org/"
    assert ours.merged_cells.ranges == theirs.merged_cells.ranges
    assert ours.row_dimensions[12].height == 30


def test_a_formula_carries_its_cached_value_and_one_without_is_blank():
    shown = load_workbook(io.BytesIO(saved(a_sheet_of_every_kind(), fast=True)),
                          data_only=True).active
    assert shown["C1"].value == "less & so"
    assert shown["C2"].value == 2
    assert shown["C3"].value is False
    assert shown["C4"].value is None
    assert shown["A3"].value == " "
