"""Hostile workbooks are refused within bounds: zip bombs by what the archive declares,
long sheets at the row limit, wide ones at the element budget, entities before they
expand, damaged archives and cells one line each, merged cells over inputs by name.

The bombs here are small on disk: their parts declare sizes their data does not have
(tests/hostile.py), or the limits are made small for the test. tests/e2e/test_hostile.py
times the worst workbook at the real limits in a process of its own.
"""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import hostile
import pytest
from openpyxl import load_workbook

from alliance_planner import samples
from alliance_planner.exchange import template
from alliance_planner.exchange.cells import storable
from alliance_planner.exchange.inputs import (
    PROBLEMS_KEPT,
    WorkbookProblems,
    WorkbookUnreadable,
    read_inputs,
    read_workbook,
)
from alliance_planner.exchange.xlsx import LIMITS, Limits, decode_text
from alliance_planner.messages import LIMIT, one_line

GIB = 1 << 30


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """The south-west plan as a filled-in template: a good workbook to spoil."""
    path = tmp_path_factory.mktemp("filled") / "filled.xlsx"
    template.write_template(path, samples.build("south-west-alliance"))
    return path


@pytest.fixture(scope="module")
def parts(filled) -> dict[str, str]:
    return hostile.sheet_paths(filled)


def refused(path: Path, *words: str, within: float = 3.0, **kwargs) -> str:
    """The workbook is refused as unreadable, quickly, in one line holding `words`."""
    start = time.monotonic()
    with pytest.raises(WorkbookUnreadable) as info:
        read_workbook(path, **kwargs)
    assert time.monotonic() - start < within
    message = str(info.value)
    assert "\n" not in message and message == one_line(message)
    for word in words:
        assert word in message, message
    return message


def problems(path: Path, **kwargs) -> WorkbookProblems:
    with pytest.raises(WorkbookProblems) as info:
        read_workbook(path, **kwargs)
    return info.value


def estate_rows(filled: Path) -> tuple[list[object], list[list[object]]]:
    rows = hostile.table_rows(filled, "Estate")
    return rows[0], [r for r in rows[1:] if any(v is not None for v in r)]


# --- the archive's own account: sizes and ratios, before anything is unpacked ------------


@pytest.mark.parametrize("sheet", ["Estate", "Instructions"])
def test_a_sheet_declaring_a_gigabyte_is_refused_before_it_is_unpacked(tmp_path, filled,
                                                                       parts, sheet):
    """Finding 4: a sheet the importer reads, and one it never reads, each declaring
    1.1 GiB unpacked (as the three bombs of the finding did), are refused at once."""
    bomb = hostile.declare(hostile.rewrite(filled, tmp_path / "bomb.xlsx"), parts[sheet],
                           int(1.1 * GIB))
    refused(bomb, f"the sheet '{sheet}'", "would unpack to 1.1 GiB", "128.0 MiB",
            within=1.0)


def test_an_extra_sheet_declaring_a_gigabyte_is_refused_by_name(tmp_path, filled):
    rows = hostile.rows_xml([["notes"]] * 10)
    bomb = hostile.rewrite(filled, tmp_path / "extra.xlsx",
                           add_sheets={"Notes": lambda: hostile.sheet(rows)})
    hostile.declare(bomb, "xl/worksheets/extra1.xml", int(1.1 * GIB))
    refused(bomb, "the sheet 'Notes'", "1.1 GiB", within=1.0)


def test_parts_that_together_unpack_past_the_total_are_refused(tmp_path, filled, parts):
    bomb = hostile.rewrite(filled, tmp_path / "total.xlsx")
    for sheet in ("Forces", "Services", "Options"):
        hostile.declare(bomb, parts[sheet], 100 << 20)  # each under the part limit
    refused(bomb, "would unpack to", "the most read is 256.0 MiB", limits=Limits(ratio=1e12))


def test_a_part_packed_tighter_than_any_workbook_is_refused_as_a_bomb(tmp_path, filled,
                                                                      parts):
    """2 MiB of one repeated row packs about 200 to 1; sheets pack about 10 to 1."""
    header, body = estate_rows(filled)
    one = hostile.row(2, body[0])
    bomb = hostile.rewrite(filled, tmp_path / "ratio.xlsx", {parts["Estate"]: lambda: (
        hostile.sheet([hostile.row(1, header), *[one] * (2_000_000 // len(one))]))}, level=9)
    refused(bomb, "as a zip bomb does", "to 1")


def test_a_part_that_unpacks_to_more_than_it_declares_is_cut_off(tmp_path, filled, parts):
    """Python's zipfile stops at the declared size and finds the checksum wrong: the
    declared sizes bound what is read even when they lie."""
    header, body = estate_rows(filled)
    liar = hostile.rewrite(filled, tmp_path / "liar.xlsx", {parts["Estate"]: lambda: (
        hostile.sheet(hostile.rows_xml([header, *body * 200])))})
    hostile.declare(liar, parts["Estate"], 4096)
    refused(liar, "the sheet 'Estate'", "cannot be unpacked")


def test_an_archive_of_too_many_parts_is_refused_before_its_directory_is_read(tmp_path,
                                                                             filled):
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(many, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for i in range(300):
            dst.writestr(f"xl/media/image{i}.bin", b"")
        listed = len(dst.infolist())
    refused(many, f"lists {listed} parts", "at most 100", limits=Limits(parts=100))


def test_an_archive_whose_list_of_parts_is_too_long_is_refused_before_it_is_read(filled):
    refused(filled, "its archive's list of parts takes", "the most read is 500 bytes",
            limits=Limits(directory_bytes=500))


def test_a_structure_part_past_its_limit_is_refused_by_name(filled):
    """The relationships, the workbook part and the styles are read whole: each is held
    to its own limit before it is unpacked."""
    refused(filled, "the part '_rels/.rels' would unpack to 534 bytes",
            "the most read is 500 bytes", limits=Limits(structure_bytes=500))


def test_a_header_past_the_columns_read_is_not_found(tmp_path, filled, parts):
    """Only the first `Limits.columns` columns are read: a sheet whose headers have been
    pushed out past them (a million empty columns) lacks its columns, and says so."""
    header, body = estate_rows(filled)
    pad = [None] * 300
    moved = hostile.rewrite(filled, tmp_path / "wide.xlsx", {parts["Estate"]: lambda: (
        hostile.sheet(hostile.rows_xml([[*pad, *header], *([*pad, *r] for r in body)])))})
    found = problems(moved).problems
    assert "Estate row 1: missing column 'Force'" in found


# --- sheets: the row limit, the element budget, dimensions, entities ----------------------


def test_a_value_in_the_last_row_of_a_sheet_is_refused_at_the_row_limit(tmp_path, filled,
                                                                        parts):
    """Finding 4: a 1,048,000-row sheet took 100 s and printed 5 million lines. A value
    in Excel's last row now stops the reading there, with one line."""
    header, body = estate_rows(filled)
    far = hostile.rewrite(filled, tmp_path / "far.xlsx", {parts["Estate"]: lambda: (
        hostile.sheet([hostile.row(1, header), hostile.row(2, body[0]),
                       hostile.row(1_048_576, body[1])], dimension="A1:XFD1048576"))})
    refused(far, "the 'Estate' sheet has values in row 1,048,576",
            "at most 50,000 rows a sheet", within=1.0)


def test_rows_past_the_limit_stop_the_reading_there(tmp_path, filled, parts):
    header, body = estate_rows(filled)
    long = hostile.rewrite(filled, tmp_path / "long.xlsx", {parts["Estate"]: lambda: (
        hostile.sheet(hostile.rows_xml([header, *(body * 100)[:301]])))})
    refused(long, "values in row 302", "at most 300 rows", limits=Limits(rows=300))


def test_blank_rows_far_down_are_no_reason_to_refuse(tmp_path, filled, parts):
    """Formatting far below the data, with no values, is read past (within the budget)."""
    rows = hostile.table_rows(filled, "Estate")
    blank = b'<row r="500000"><c r="A500000" s="1"/><c r="B500000" s="1"/></row>'
    padded = hostile.rewrite(filled, tmp_path / "padded.xlsx", {parts["Estate"]: lambda: (
        hostile.sheet([*hostile.rows_xml(rows), blank]))})
    assert read_inputs(padded) == read_inputs(filled)


def test_rows_beyond_a_stale_dimension_are_read(tmp_path, filled, parts):
    """openpyxl stops at the row a sheet's <dimension> names, silently dropping the rest;
    this reader reads what is there."""
    rows = hostile.table_rows(filled, "Estate")
    stale = hostile.rewrite(filled, tmp_path / "stale.xlsx", {parts["Estate"]: lambda: (
        hostile.sheet(hostile.rows_xml(rows), dimension="A1:M3"))})
    assert read_inputs(stale).estate == read_inputs(filled).estate


def test_a_sheet_wider_than_the_element_budget_is_refused(tmp_path, filled, parts):
    header, _ = estate_rows(filled)
    wide = [hostile.row(1, header)] + [
        (f'<row r="{r}">' + "".join(f'<c r="{hostile.column_letter(c)}{r}" s="1"/>'
                                    for c in range(1, 2001)) + "</row>").encode()
        for r in range(2, 40)]
    bomb = hostile.rewrite(filled, tmp_path / "wide.xlsx",
                           {parts["Estate"]: lambda: hostile.sheet(wide)})
    refused(bomb, "the 'Estate' sheet holds too much to read", "50,000 XML elements",
            limits=Limits(elements=50_000))


ENTITIES = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(f'<!ENTITY {n} "{("&" + p + ";") * 10}">'.encode()
                       for p, n in zip("abcdefgh", "bcdefghi", strict=True))
            + b']><worksheet xmlns="' + hostile.MAIN + b'"><sheetData><row r="1">'
            b'<c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData></worksheet>')
EXTERNAL = (b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x SYSTEM '
            b'"http://192.0.2.1/x">]><worksheet xmlns="' + hostile.MAIN + b'"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData>'
            b"</worksheet>")


@pytest.mark.parametrize("xml", [ENTITIES, EXTERNAL], ids=["billion-laughs", "external"])
def test_entities_are_refused_before_they_expand_or_fetch(tmp_path, filled, parts, xml):
    bomb = hostile.rewrite(filled, tmp_path / "entities.xlsx", {parts["Estate"]: xml})
    refused(bomb, "the sheet 'Estate'", "declares a document type", within=1.0)


def test_shared_strings_with_entities_are_refused(tmp_path, filled):
    with zipfile.ZipFile(filled) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>", f'<Relationship Id="rIdS" Type="{hostile.REL}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'.encode())
    sst = ENTITIES.replace(b"worksheet", b"sst")
    bomb = hostile.rewrite(filled, tmp_path / "sst.xlsx", {
        "xl/sharedStrings.xml": sst, "xl/_rels/workbook.xml.rels": rels})
    refused(bomb, "sharedStrings.xml", "declares a document type")


# --- damaged archives: one line, never a traceback ----------------------------------------


def damage(path: Path, how: str, part: str) -> None:
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(part)
    if how == "truncated":
        del data[len(data) // 2:]
    elif how == "name-garbled":  # the part's name in the archive's directory
        at = data.rfind(part.encode())
        data[at:at + len(part)] = b"?" * len(part)
    elif how == "data-flipped":  # bytes in the middle of the part's packed data
        middle = info.header_offset + 30 + len(part) + info.compress_size // 2
        for i in range(middle, middle + 16):
            data[i] ^= 0x5A
    elif how == "not-zip":
        data = bytearray(b"<html>this is a web page saved as .xlsx</html>")
    elif how == "empty":
        data = bytearray()
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["truncated", "name-garbled", "data-flipped", "not-zip",
                                 "empty"])
def test_a_damaged_archive_is_one_line(tmp_path, filled, parts, how):
    broken = hostile.rewrite(filled, tmp_path / "broken.xlsx")
    damage(broken, how, parts["Estate"] if how == "data-flipped" else "xl/workbook.xml")
    refused(broken)


def test_parts_packed_or_named_as_excel_never_does_are_refused(tmp_path, filled):
    bzip = tmp_path / "bzip.xlsx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(bzip, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info), compress_type=zipfile.ZIP_BZIP2)
    refused(bzip, "packed in a way Excel does not use")
    twice = tmp_path / "twice.xlsx"
    with zipfile.ZipFile(filled) as src, zipfile.ZipFile(twice, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        with pytest.warns(UserWarning, match="Duplicate name"):
            dst.writestr("xl/workbook.xml", b"<workbook/>")
    refused(twice, "two parts called 'xl/workbook.xml'")


# --- cells: each problem named by sheet, row and column ------------------------------------


def spoil(path: Path, target: Path, edits) -> Path:
    wb = load_workbook(path)
    for sheet, cell, value in edits:
        wb[sheet][cell] = value
    wb.save(target)
    return target


def with_cells(filled: Path, parts, target: Path, odd: dict[tuple[int, str], str]) -> Path:
    """The filled template with some Estate cells, by (row, header), written as raw XML."""
    rows = hostile.table_rows(filled, "Estate")
    header = rows[0]

    def sheet():
        for r, values in enumerate(rows, start=1):
            values = list(values)
            marked = {}
            for (row, name), xml in odd.items():
                if row == r:
                    c = header.index(name)
                    values[c] = f"@@{c}@@"
                    marked[c] = xml.replace("REF", f"{hostile.column_letter(c + 1)}{r}")
            made = hostile.row(r, values)
            for c, xml in marked.items():
                pattern = rf'<c r="[A-Z]+{r}" t="inlineStr"><is><t[^>]*>@@{c}@@</t></is></c>'
                made = re.sub(pattern.encode(), lambda _, xml=xml: xml.encode(), made)
            yield made

    return hostile.rewrite(filled, target, {parts["Estate"]: lambda: hostile.sheet(sheet())})


def test_cells_that_cannot_be_read_are_named(tmp_path, filled, parts):
    """Error values, a formula never calculated, a shared string that is not there, a
    date out of any calendar, and text longer than a cell holds: each one problem."""
    date_style = hostile.style_of(filled, parts["Estate"], "Contract ends")
    spoilt = with_cells(filled, parts, tmp_path / "cells.xlsx", {
        (3, "Running cost a year"): '<c r="REF" t="e"><v>#DIV/0!</v></c>',
        (4, "Running cost a year"): '<c r="REF"><f>SUM(A1:A2)</f></c>',
        (5, "Running cost a year"): '<c r="REF" t="s"><v>99</v></c>',
        (6, "Contract ends"): f'<c r="REF" s="{date_style}"><v>1e300</v></c>',
        (7, "Supplier"): f'<c r="REF" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c>',
        (8, "Users"): '<c r="REF" t="b"><v>maybe</v></c>',
        (9, "Running cost a year"): '<c r="REF"><v>12abc</v></c>',
        (10, "Running cost a year"): '<c r="REF"><v>NaN</v></c>',
    })
    found = problems(spoilt).problems
    expect = [
        "Estate row 3, Running cost a year: shows the error '#DIV/0!'",
        "Estate row 4, Running cost a year: holds a formula whose value was never calculated",
        "Estate row 5, Running cost a year: refers to shared text '99'",
        "Estate row 6, Contract ends: is formatted as a date but holds 1e+300",
        "Estate row 7, Supplier: holds 40,000 characters; a cell holds at most 32,767",
        "Estate row 8, Users: holds 'maybe' where true or false is stored",
        "Estate row 9, Running cost a year: holds '12abc' where a number is stored",
        "Estate row 10, Running cost a year: holds 'NaN' where a number is stored",
    ]
    for text in expect:
        assert any(p.startswith(text) for p in found), (text, found)
    assert all(len(p) <= LIMIT for p in found)


def test_formulas_typed_by_a_person_import_as_the_value_excel_shows(tmp_path, filled, parts):
    typed = with_cells(filled, parts, tmp_path / "typed.xlsx", {
        (2, "Running cost a year"): '<c r="REF"><f>100000+23456</f><v>123456</v></c>',
        (2, "Supplier"): '<c r="REF" t="str"><f>"=HYPER"&amp;"LINK()"</f><v>=HYPERLINK()</v></c>'})
    plan = read_inputs(typed)
    assert plan.estate[0].annual_running_cost == 123456
    assert plan.estate[0].supplier == "=HYPERLINK()"


def test_a_horizon_of_a_billion_years_is_refused_before_it_sizes_anything(tmp_path, filled):
    """Finding 3, from a workbook: every number read is bounded before it sizes a loop."""
    wb = load_workbook(filled)
    ws = wb["Assumptions"]
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    for key in ("horizon_years", "base_year"):
        ws.cell(rows[key], 3).value = 1e9
    wb.save(tmp_path / "horizon.xlsx")
    start = time.monotonic()
    found = problems(tmp_path / "horizon.xlsx").problems
    assert time.monotonic() - start < 2
    assert f"Assumptions row {rows['horizon_years']}, Value (Horizon (years)): must be at " \
           "most 60 (got 1,000,000,000)" in found


def test_merged_cells_over_inputs_are_refused_by_sheet_and_range(tmp_path, filled):
    """Finding 7: a merged range shows one value across its cells and can hide others
    beneath; the import refuses it, naming the sheet and the cells."""
    wb = load_workbook(filled)
    wb["Estate"]["E3"] = 123456  # hidden under the merge below, as Excel would not show it
    wb["Estate"].merge_cells("D2:E3")
    wb["Assumptions"].merge_cells("B4:C4")
    wb["Estate"].merge_cells("Z2:AB4")  # beside the table: nothing read is under it
    wb.save(tmp_path / "merged.xlsx")
    found = problems(tmp_path / "merged.xlsx").problems
    assert any(p.startswith("Estate D2:E3: merged cells over the cells read") for p in found)
    assert any(p.startswith("Assumptions B4:C4: merged cells") for p in found)
    assert not any("Z2" in p for p in found)


def test_a_huge_code_gives_a_short_line_and_escapes_reach_no_terminal(tmp_path, filled):
    """Finding 6: a 10 MB force code made a 10 MB error line; a name with an escape
    sequence reached the terminal raw."""
    wb = load_workbook(filled)
    wb["Estate"]["A2"] = storable("d" * 30_000 + "\x1b[2J")  # an escape clears a screen
    wb["Estate"]["A3"] = storable("\x1b]0;pwned\x07dorset")
    wb.save(tmp_path / "odd.xlsx")
    found = problems(tmp_path / "odd.xlsx")
    text = "\n".join(found.problems) + str(found)
    assert "\x1b" not in text and "\x07" not in text
    assert all(len(p) <= LIMIT for p in found.problems)
    assert len(str(found)) < 10 * LIMIT
    assert any("\\x1b]0;pwned\\x07dorset" in p for p in found.problems)


def test_problems_are_capped_and_counted(tmp_path, filled, parts):
    header, body = estate_rows(filled)
    cost = header.index("Running cost a year")
    bad = [list(r) for r in (body * 200)[:3000]]
    for r in bad:
        r[cost] = "lots"
    many = hostile.rewrite(filled, tmp_path / "many.xlsx", {parts["Estate"]: lambda: (
        hostile.sheet(hostile.rows_xml([header, *bad])))})
    found = problems(many)
    assert len(found.problems) == PROBLEMS_KEPT
    assert found.count >= 3000
    lines = found.lines(20)
    assert len(lines) == 21 and lines[-1] == f"and {found.count - 20:,} more problems"


# --- text a workbook cannot hold as it is --------------------------------------------------


@pytest.mark.parametrize("text", ["Dor\x1b[31mset\x07", "_x0041_ stays", "a\ufffeb", "tab\tok",
                                  "_x005F_x0041_", "\x00"])
def test_text_excel_cannot_hold_is_escaped_and_read_back_as_it_was(text):
    assert decode_text(storable(text)) == text


def test_the_default_limits_leave_a_national_plan_fifty_times_over():
    national = samples.build("national")
    assert LIMITS.rows >= 50 * len(national.estate)
    assert LIMITS.total_bytes <= 512 << 20 and LIMITS.part_bytes <= LIMITS.total_bytes
