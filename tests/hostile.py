"""Hostile workbooks, built from a real one: sheets replaced by streamed XML, parts added,
and sizes declared in the archive that its data does not have.

A zip bomb needs no gigabytes on disk: a part's XML is written through the compressor a
chunk at a time (a gigabyte of repeated rows is about a megabyte compressed), or a small
part is written and its central-directory entry then made to declare a gigabyte. Tests use
the second kind and small real ones; ``python tests/hostile.py DIR`` builds the full-size
ones (and times their import) to measure what the limits save.
"""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import load_workbook

MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET = REL + "/worksheet"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

Part = bytes | Callable[[], Iterable[bytes]]


def column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def style_of(workbook: Path, part: str, header: str) -> str:
    """The style index of the first styled cell under `header` in a sheet's data rows."""
    rows = table_rows(workbook, next(n for n, p in sheet_paths(workbook).items() if p == part))
    letter = column_letter(rows[0].index(header) + 1)
    with zipfile.ZipFile(workbook) as zf:
        xml = zf.read(part)
    m = re.search(rf'<c r="{letter}([2-9]|[1-9][0-9]+)" s="([0-9]+)"'.encode(), xml)
    assert m is not None, f"no styled cell under {header}"
    return m.group(2).decode()


def sheet_paths(workbook: Path) -> dict[str, str]:
    """Each sheet's part in the archive, by the sheet's name."""
    wb = load_workbook(workbook, read_only=True)
    try:
        return {ws.title: ws._worksheet_path for ws in wb.worksheets}
    finally:
        wb.close()


def cell(ref: str, value: object) -> bytes:
    if value is None:
        return b""
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'.encode()
    if isinstance(value, date):  # as text the importer reads as a date
        value = value.isoformat()[:10]
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'.encode()


def row(r: int, values: Iterable[object]) -> bytes:
    from openpyxl.utils import get_column_letter

    cells = b"".join(cell(f"{get_column_letter(c)}{r}", v) for c, v in enumerate(values, 1))
    return f'<row r="{r}">'.encode() + cells + b"</row>"


def sheet(rows: Iterable[bytes], *, dimension: str | None = None,
          merges: Iterable[str] = ()) -> Iterator[bytes]:
    """A worksheet's XML around rows already made, a chunk at a time."""
    yield b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    yield b'<worksheet xmlns="' + MAIN + b'">'
    if dimension:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    chunk: list[bytes] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) >= 2000:
            yield b"".join(chunk)
            chunk = []
    yield b"".join(chunk)
    yield b"</sheetData>"
    merges = list(merges)
    if merges:
        yield f'<mergeCells count="{len(merges)}">'.encode()
        yield b"".join(f'<mergeCell ref="{m}"/>'.encode() for m in merges)
        yield b"</mergeCells>"
    yield b"</worksheet>"


def table_rows(workbook: Path, name: str) -> list[list[object]]:
    """A sheet's rows as values, to be changed and written back with `replace_sheet`."""
    wb = load_workbook(workbook, read_only=True, data_only=True)
    try:
        return [list(r) for r in wb[name].iter_rows(values_only=True)]
    finally:
        wb.close()


def rows_xml(rows: Iterable[Iterable[object]], first: int = 1) -> Iterator[bytes]:
    for r, values in enumerate(rows, start=first):
        yield row(r, values)


def rewrite(source: Path, target: Path, parts: dict[str, Part] | None = None, *,
            add_sheets: dict[str, Part] | None = None, drop: Iterable[str] = (),
            level: int = 6) -> Path:
    """Copy a workbook, replacing some parts' content, adding sheets and dropping parts."""
    parts = dict(parts or {})
    add_sheets = dict(add_sheets or {})
    dropped = set(drop)
    with zipfile.ZipFile(source) as src, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        names = src.namelist()
        new_parts = {}
        for i, (sheet_name, content) in enumerate(add_sheets.items(), start=1):
            new_parts[sheet_name] = (f"xl/worksheets/extra{i}.xml", f"rIdExtra{i}", content)
        for name in names:
            if name in dropped:
                continue
            data = src.read(name)
            if name == "[Content_Types].xml" and new_parts:
                data = data.replace(b"</Types>", b"".join(
                    f'<Override PartName="/{p}" ContentType="{SHEET_TYPE}"/>'.encode()
                    for p, _, _ in new_parts.values()) + b"</Types>")
            elif name == "xl/_rels/workbook.xml.rels" and new_parts:
                data = data.replace(b"</Relationships>", b"".join(
                    f'<Relationship Id="{rid}" Type="{WORKSHEET}" '
                    f'Target="/{p}"/>'.encode()
                    for p, rid, _ in new_parts.values()) + b"</Relationships>")
            elif name == "xl/workbook.xml" and new_parts:
                data = data.replace(b"</sheets>", b"".join(
                    f'<sheet name="{escape(s)}" sheetId="{900 + i}" '
                    f'r:id="{rid}"/>'.encode()
                    for i, (s, (_, rid, _)) in enumerate(new_parts.items()))
                    + b"</sheets>")
            if name in parts:
                _write(dst, name, parts.pop(name))
            else:
                dst.writestr(name, data)
        for name, content in parts.items():
            _write(dst, name, content)
        for path, _, content in new_parts.values():
            _write(dst, path, content)
    return target


def _write(dst: zipfile.ZipFile, name: str, content: Part) -> None:
    with dst.open(name, "w", force_zip64=True) as out:
        if isinstance(content, bytes):
            out.write(content)
        else:
            for chunk in content():
                out.write(chunk)


def declare(path: Path, name: str, size: int) -> Path:
    """Make the archive's central directory say that `name` unpacks to `size` bytes.

    The data is not changed: only a reader that trusts the declared size before it reads
    is stopped early (Python's zipfile stops at the declared size, then finds the CRC
    wrong). Works on entries written without ZIP64 extras, with sizes under 4 GiB.
    """
    data = bytearray(path.read_bytes())
    encoded = name.encode()
    at = 0
    while True:  # the central-directory entry: signature, then its name at offset 46
        at = data.find(b"PK\x01\x02", at)
        if at < 0:
            raise ValueError(f"{name} not in the central directory")
        (n,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46:at + 46 + n] == encoded:
            break
        at += 4
    struct.pack_into("<I", data, at + 24, size)  # Python's zipfile reads sizes from here
    path.write_bytes(bytes(data))
    return path


# --- the full-size bombs, for measuring (not run by the tests) ----------------------------


GIB = 1 << 30


def _estate_rows(source: Path) -> tuple[list[object], list[list[object]]]:
    rows = table_rows(source, "Estate")
    return rows[0], [r for r in rows[1:] if r[0] is not None]


def _repeat(header: list[object], body: list[list[object]], *, size: int | None = None,
            count: int | None = None) -> Callable[[], Iterator[bytes]]:
    """A sheet of the body's rows over and over, to `size` bytes of XML or `count` rows."""
    def rows() -> Iterator[bytes]:
        yield row(1, header)
        written, r = 0, 2
        while (size is None or written < size) and (count is None or r - 1 <= count):
            made = row(r, body[(r - 2) % len(body)])
            written += len(made)
            r += 1
            yield made
    return lambda: sheet(rows())


def _blank(header: list[object], size: int) -> Callable[[], Iterator[bytes]]:
    """A header, then rows of empty styled cells (what a formatted but empty area is)."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, len(header) + 1)]

    def rows() -> Iterator[bytes]:
        yield row(1, header)
        written, r = 0, 2
        while written < size:
            made = (f'<row r="{r}">' + "".join(f'<c r="{x}{r}" s="1"/>' for x in letters)
                    + "</row>").encode()
            written += len(made)
            r += 1
            yield made
    return lambda: sheet(rows())


def _same_row(header: list[object], body: list[object], size: int
              ) -> Callable[[], Iterator[bytes]]:
    """One row again and again with no row or cell references (they are optional): the
    classic zip bomb, as every byte repeats (about 1,000 to 1 deflated)."""
    one = row(0, body).replace(b' r="0"', b"")
    one = re.sub(rb' r="[A-Z]+0"', b"", one)

    def rows() -> Iterator[bytes]:
        yield row(1, header)
        block = one * 1000
        for _ in range(size // len(block) + 1):
            yield block
    return lambda: sheet(rows())


def build_full_size(folder: Path) -> dict[str, Path]:
    """The workbooks of the finding: 1.1 GiB of sheet XML each, and 1,048,000 rows."""
    from alliance_planner import samples
    from alliance_planner.exchange.template import write_template

    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "national-template.xlsx"
    write_template(source, samples.build("national"))
    estate = sheet_paths(source)["Estate"]
    header, body = _estate_rows(source)
    size = int(1.1 * GIB)
    made = {
        "values": rewrite(source, folder / "bomb-values.xlsx",
                          {estate: _repeat(header, body, size=size)}, level=9),
        "blank": rewrite(source, folder / "bomb-blank.xlsx",
                         {estate: _blank(header, size)}, level=9),
        "extra-sheet": rewrite(source, folder / "bomb-extra-sheet.xlsx",
                               add_sheets={"Notes": _repeat(header, body, size=size)},
                               level=9),
        "zip-bomb": rewrite(source, folder / "bomb-ratio.xlsx",
                            {estate: _same_row(header, body[0], size)}, level=9),
        "1048000-rows": rewrite(source, folder / "rows-1048000.xlsx",
                                {estate: _repeat(header, body, count=1_048_000)}, level=9),
    }
    return made


def build_worst_within_limits(folder: Path, only: Iterable[str] | None = None
                              ) -> dict[str, Path]:
    """Workbooks that pass the archive's checks and make the reader work hardest: rows up
    to the row limit, cells up to the element budget, and the shared strings at theirs."""
    from openpyxl.utils import get_column_letter

    from alliance_planner.exchange.xlsx import LIMITS

    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "national-template.xlsx"
    if not source.exists():
        from alliance_planner import samples
        from alliance_planner.exchange.template import write_template

        write_template(source, samples.build("national"))
    estate = sheet_paths(source)["Estate"]
    header, body = _estate_rows(source)
    wide = [get_column_letter(c) for c in range(1, 301)]

    def blank_cells() -> Iterator[bytes]:
        yield row(1, header)
        for r in range(2, LIMITS.elements // 300 + 10):
            yield (f'<row r="{r}">' + "".join(f'<c r="{x}{r}" s="1"/>' for x in wide)
                   + "</row>").encode()

    def strings() -> Iterator[bytes]:
        yield (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + MAIN + b'">')
        written, i = 0, 0
        while written < LIMITS.strings_bytes - 1_000_000:
            block = b"".join(f"<si><t>{n}</t></si>".encode() for n in range(i, i + 10_000))
            written += len(block)
            i += 10_000
            yield block
        yield b"</sst>"

    with zipfile.ZipFile(source) as zf:
        rels = zf.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>", f'<Relationship Id="rIdStrings" Type="{REL}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'.encode())

    makers = {
        "rows-limit": lambda: rewrite(source, folder / f"rows-{LIMITS.rows + 1}.xlsx",
                                      {estate: _repeat(header, body, count=LIMITS.rows + 1)}),
        "element-budget": lambda: rewrite(source, folder / "elements.xlsx",
                                          {estate: lambda: sheet(blank_cells())}),
        "shared-strings": lambda: rewrite(source, folder / "strings.xlsx",
                                          {"xl/sharedStrings.xml": strings,
                                           "xl/_rels/workbook.xml.rels": rels}),
    }
    return {name: make() for name, make in makers.items() if only is None or name in only}


def measure(path: Path, timeout: float = 150) -> dict[str, object]:
    """`alliance-planner import` of a workbook: wall time, peak memory, what it printed."""
    import os
    import signal
    import subprocess
    import sys
    import threading
    import time

    out = path.with_suffix(".alliance")
    out.unlink(missing_ok=True)
    start = time.monotonic()
    child = subprocess.Popen([sys.executable, "-m", "alliance_planner", "import", str(path),
                              "-o", str(out)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    timer = threading.Timer(timeout, os.kill, (child.pid, signal.SIGKILL))
    timer.start()
    lines, first = 0, ""
    assert child.stderr is not None
    with child.stderr:
        for line in child.stderr:
            lines += 1
            first = first or line.decode(errors="replace").strip()[:200]
    _, status, usage = os.wait4(child.pid, 0)  # the child's own peak memory, even if killed
    timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return {"file": path.name, "mb_on_disk": round(path.stat().st_size / 2**20, 1),
            "exit": child.returncode,
            "seconds": round(time.monotonic() - start, 1),
            "peak_mb": round(usage.ru_maxrss / 1024), "stderr_lines": lines, "first": first,
            "plan_written": out.exists()}


if __name__ == "__main__":
    import sys

    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-workbooks")
    for built in [*build_full_size(target).values(),
                  *build_worst_within_limits(target).values()]:
        print(measure(built), flush=True)
