"""Reading a workbook (.xlsx) within fixed bounds of time and memory, whatever it holds.

A workbook is a zip archive of XML parts, and a hostile one can be small on disk and
enormous unpacked (a zip bomb), or hold a million rows, a million columns in one row, an
entity that expands a billion times, or a cell that says it is a date in the year 30,000.
This reader is the importer's only way into a workbook, and it:

- checks the archive's own account of itself before unpacking anything: the size of its
  directory, how many parts there are, each part's declared unpacked size and its
  compression ratio, and the total (Python's zipfile never unpacks more than a part
  declares, so the declared sizes bound what is read);
- reads only the parts it needs (the workbook's list of sheets, the styles for dates, the
  shared strings, and the sheets asked for), each streamed through expat in chunks, with
  no document type (so no entities) allowed;
- stops at a row limit on every sheet and at a budget of XML elements across the whole
  workbook, and keeps only the cells of the columns asked for;
- turns every cell it cannot make sense of into a `Bad` value that says why, so that the
  importer names it by sheet, row and column, rather than raising.

What is not a workbook, or is too big to read, raises `Unreadable` (or `TooLarge`) with a
one-line reason. `Limits` holds every bound; the importer's defaults are `LIMITS`.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..domain.progress import Cancelled
from ..messages import one_line

MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """How much of a workbook the importer will read. A national plan's workbook (43
    forces, 860 estate rows) unpacks to 1 to 8 MB, and its input sheets are about 40,000
    XML elements: these allow fifty times that and more, and keep the worst workbook they
    let through to seconds and about 150 MB (tests/e2e/test_hostile.py)."""

    directory_bytes: int = 1 * MiB
    """The archive's central directory: about 100 bytes a part."""
    parts: int = 10_000
    part_bytes: int = 128 * MiB
    """Any one part, unpacked, as the archive declares it."""
    strings_bytes: int = 32 * MiB
    """The shared strings, all held in memory while the sheets are read."""
    structure_bytes: int = 8 * MiB
    """Each of the small parts read whole: the relationships, the workbook part and the
    styles."""
    total_bytes: int = 256 * MiB
    """All the parts together, unpacked."""
    ratio: float = 100.0
    """Unpacked to packed: worksheet XML packs about 10 to 1; a zip bomb 200 to 1000."""
    ratio_from_bytes: int = 1 * MiB
    """Parts smaller than this unpacked may pack as tightly as they like."""
    rows: int = 50_000
    """Rows a sheet, after the header row: 58 times the national plan's estate."""
    columns: int = 256
    """Columns read from the header row (a sheet's own columns may be anywhere in these)."""
    elements: int = 2_000_000
    """XML elements read in all, across every part: what the reading time is proportional
    to (a filled cell is two or three; about 3 µs each on the 2-core machine)."""
    text: int = 32_767
    """Characters in one cell: Excel's own limit."""


LIMITS = Limits()


class Unreadable(ValueError):
    """Not a workbook, or not one that can be read safely; the message is one line."""


class TooLarge(Unreadable):
    """A workbook bigger than `Limits` allows."""


@dataclass(frozen=True)
class Bad:
    """A cell whose content cannot be read, and why, for the importer to report."""

    reason: str


MAIN_NS = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
           "http://purl.oclc.org/ooxml/spreadsheetml/main")
REL_NS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
          "http://purl.oclc.org/ooxml/officeDocument/relationships")
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SEP = " "  # expat's namespace separator: no name or namespace holds a space
_NAMES = ("worksheet", "sheetData", "row", "c", "v", "f", "is", "t", "r", "rPh",
          "mergeCell", "si", "sheet", "workbookPr", "numFmt", "cellXfs", "xf")
_TAG = {f"{ns}{_SEP}{name}": name for ns in MAIN_NS for name in _NAMES}
_TAG[f"{PKG_RELS}{_SEP}Relationship"] = "Relationship"
_REL_ID = {f"{ns}{_SEP}id" for ns in REL_NS}
_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_MAX_COLUMN = 16_384  # XFD
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CHUNK = 1 << 16


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rem = divmod(column - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_COLUMNS = {column_letter(c): c for c in range(1, _MAX_COLUMN + 1)}


def decode_text(text: str) -> str:
    """Excel's escapes in stored text, ``_x001B_`` for a character XML cannot hold, undone
    (`cells.put_text` writes them). Surrogates stay escaped: no file may hold one alone."""
    if "_x" not in text:
        return text

    def char(m: re.Match[str]) -> str:
        code = int(m.group(1), 16)
        return m.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)
    return _ESCAPE.sub(char, text)


def short(value: object, limit: int = 40) -> str:
    """A value quoted in a message: escaped, and cut short if long."""
    return one_line(repr(value) if isinstance(value, str) else str(value), limit)


class _Budget:
    """XML elements read so far, across every part, and the limit."""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.limit = limit


class Workbook:
    """An open workbook: its sheets by name, and each sheet's rows on request."""

    def __init__(self, path: str | Path, limits: Limits = LIMITS,
                 cancelled: Callable[[], bool] | None = None) -> None:
        self.path = Path(path)
        self.limits = limits
        self._cancelled = cancelled or (lambda: False)
        self._budget = _Budget(limits.elements)
        self._open_rows: list[SheetRows] = []
        self._zip, self._infos = _open_archive(self.path, limits)
        try:
            self._read_structure()
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for rows in self._open_rows:
            rows.close()
        self._zip.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self._sheets)

    def rows(self, sheet: str, columns: int | None = None) -> SheetRows:
        """The rows of a sheet, each ``(row number, {column number: value})``, blank
        cells left out. The first `columns` columns are read (`Limits.columns` if None)
        until the reader's `wanted` is set to the columns that matter."""
        kind, part = self._sheets[sheet]
        if kind != "worksheet":
            raise Unreadable(f"the sheet {short(sheet)} is a chart, not a table")
        rows = SheetRows(self, sheet, part, columns or self.limits.columns)
        self._open_rows.append(rows)
        return rows

    # --- the archive's structure --------------------------------------------------------

    def _read_structure(self) -> None:
        package = self._relationships("_rels/.rels", "")
        main = next((target for type_, target in package.values()
                     if type_.endswith("/officeDocument")), "xl/workbook.xml")
        rels = self._relationships(_rels_path(main), posixpath.dirname(main))
        sheets: dict[str, tuple[str, str]] = {}
        self.date1904 = False

        def start(tag: str | None, attrs: dict[str, str]) -> None:
            if tag == "sheet":
                name = attrs.get("name", "")
                rid = next((v for k, v in attrs.items() if k in _REL_ID), "")
                if name in sheets:
                    raise Unreadable(f"two sheets are called {short(name)}")
                type_, target = rels.get(rid, ("", ""))
                kind = type_.rpartition("/")[2]
                sheets[name] = (kind, target)
            elif tag == "workbookPr":
                self.date1904 = attrs.get("date1904", "0").lower() in ("1", "true")

        self._parse(main, self.limits.structure_bytes, start)
        missing = [name for name, (kind, target) in sheets.items()
                   if kind in ("worksheet", "chartsheet") and target not in self._parts]
        if missing:
            raise Unreadable(f"the sheet {short(missing[0])} has no part in the archive")
        self._sheets = sheets
        self._part_sheet = {target: name for name, (_, target) in sheets.items()}
        self._check_sizes()
        styles = next((t for ty, t in rels.values() if ty.endswith("/styles")), None)
        self._dates = self._date_styles(styles) if styles in self._parts else frozenset()
        strings = next((t for ty, t in rels.values() if ty.endswith("/sharedStrings")), None)
        self.strings = self._shared_strings(strings) if strings in self._parts else []

    def _relationships(self, part: str, base: str) -> dict[str, tuple[str, str]]:
        """A relationships part: each Id's type and target, resolved within the archive."""
        found: dict[str, tuple[str, str]] = {}
        if part not in self._parts:
            return found

        def start(tag: str | None, attrs: dict[str, str]) -> None:
            if tag == "Relationship" and attrs.get("TargetMode") != "External":
                target = attrs.get("Target", "")
                path = target[1:] if target.startswith("/") else \
                    posixpath.normpath(posixpath.join(base, target))
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), path)

        self._parse(part, self.limits.structure_bytes, start)
        return found

    @property
    def _parts(self) -> dict[str, zipfile.ZipInfo]:
        return self._infos

    def _check_sizes(self) -> None:
        """Every part's declared size and ratio, and the total, before any is unpacked
        beyond the few small parts that say what the sheets are."""
        limits, total = self.limits, 0
        for name, info in self._infos.items():
            size = info.file_size
            total += size
            what = self._describe(name)
            if size > limits.part_bytes:
                raise TooLarge(f"{what} would unpack to {_bytes(size)}; the most a part may "
                               f"be is {_bytes(limits.part_bytes)}")
            packed = max(1, info.compress_size)
            if size > limits.ratio_from_bytes and size > limits.ratio * packed:
                raise TooLarge(f"{what} would unpack to {_bytes(size)} from {_bytes(packed)} "
                               f"({size // packed:,} to 1), as a zip bomb does; a workbook "
                               "packs about 10 to 1")
        if total > limits.total_bytes:
            raise TooLarge(f"the workbook would unpack to {_bytes(total)}; the most read is "
                           f"{_bytes(limits.total_bytes)}")

    def _describe(self, part: str) -> str:
        sheet = getattr(self, "_part_sheet", {}).get(part)
        return f"the sheet {short(sheet)} ({short(part, 60)})" if sheet is not None \
            else f"the part {short(part, 60)}"

    def _date_styles(self, part: str) -> frozenset[int]:
        """The cell styles whose number format shows a date."""
        from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

        custom: dict[int, str] = {}
        formats: list[int] = []
        depth = {"cellXfs": 0}

        def start(tag: str | None, attrs: dict[str, str]) -> None:
            if tag == "numFmt":
                ident = attrs.get("numFmtId", "")
                if ident.isdigit() and len(ident) < 8:
                    custom[int(ident)] = attrs.get("formatCode", "")[:255]
            elif tag == "cellXfs":
                depth["cellXfs"] += 1
            elif tag == "xf" and depth["cellXfs"]:
                ident = attrs.get("numFmtId", "0")
                formats.append(int(ident) if ident.isdigit() and len(ident) < 8 else 0)

        def end(tag: str | None) -> None:
            if tag == "cellXfs":
                depth["cellXfs"] -= 1

        self._parse(part, self.limits.structure_bytes, start, end)
        dates = set()
        for index, ident in enumerate(formats):
            code = custom.get(ident, BUILTIN_FORMATS.get(ident))
            if code is not None and is_date_format(code):
                dates.add(index)
        return frozenset(dates)

    def _shared_strings(self, part: str) -> list[str | Bad]:
        """The shared strings table; text in phonetic runs (``rPh``) is not the cell's."""
        strings: list[str | Bad] = []
        text: list[str] = []
        state = {"in_t": False, "phonetic": 0, "chars": 0}
        limit = self.limits.text

        def start(tag: str | None, attrs: dict[str, str]) -> None:
            if tag == "si":
                text.clear()
                state["chars"] = 0
            elif tag == "t" and not state["phonetic"]:
                state["in_t"] = True
            elif tag == "rPh":
                state["phonetic"] += 1

        def end(tag: str | None) -> None:
            if tag == "t":
                state["in_t"] = False
            elif tag == "rPh":
                state["phonetic"] -= 1
            elif tag == "si":
                strings.append(_text_value(text, state["chars"], limit))

        def data(chars: str) -> None:
            if state["in_t"]:
                state["chars"] += len(chars)
                if state["chars"] <= limit:
                    text.append(chars)

        self._parse(part, self.limits.strings_bytes, start, end, data)
        return strings

    # --- streaming a part ---------------------------------------------------------------

    def _parse(self, part: str, limit: int,
               start: Callable[[str | None, dict[str, str]], None],
               end: Callable[[str | None], None] | None = None,
               data: Callable[[str], None] | None = None) -> None:
        for _ in self._steps(part, limit, start, end, data):
            pass

    def _steps(self, part: str, limit: int, start: Callable[[Any, dict[str, str]], None],
               end: Callable[[Any], None] | None = None,
               data: Callable[[str], None] | None = None, *, raw: bool = False
               ) -> Iterator[None]:
        """Stream a part through expat a chunk at a time, yielding after each; `start`,
        `end` and `data` are given the local names this module knows (None for others),
        or with `raw` expat's own names, and then `start` keeps to the element budget
        itself. No document type is allowed, so no entity can expand."""
        info = self._infos.get(part)
        if info is None:
            raise Unreadable(f"{self._describe(part)} is missing from the archive")
        if info.file_size > limit:
            raise TooLarge(f"{self._describe(part)} would unpack to {_bytes(info.file_size)}; "
                           f"the most read is {_bytes(limit)}")
        budget = self._budget
        tags = _TAG

        def on_start(name: str, attrs: dict[str, str]) -> None:
            budget.left -= 1
            if budget.left < 0:
                raise TooLarge(f"{self._describe(part)} holds too much to read: the most "
                               f"read in a workbook is {budget.limit:,} XML elements "
                               "(about 700,000 filled cells)")
            start(tags.get(name), attrs)

        def doctype(*_: object) -> None:
            raise Unreadable(f"{self._describe(part)} declares a document type, which no "
                             "workbook has (its entities could expand without bound)")

        parser = expat.ParserCreate(namespace_separator=_SEP)
        parser.StartElementHandler = start if raw else on_start
        if end is not None:
            parser.EndElementHandler = end if raw else lambda name: end(tags.get(name))
        if data is not None:
            parser.CharacterDataHandler = data
            parser.buffer_text = True
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        try:
            with self._zip.open(info) as stream:
                while True:
                    if self._cancelled():
                        raise Cancelled()
                    chunk = stream.read(_CHUNK)
                    parser.Parse(chunk, not chunk)
                    yield
                    if not chunk:
                        break
        except expat.ExpatError as exc:
            raise Unreadable(f"{self._describe(part)} is not well-formed XML "
                             f"({one_line(expat.ErrorString(exc.code) or '', 80)}, line "
                             f"{exc.lineno:,})") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
                RuntimeError, NotImplementedError) as exc:
            raise Unreadable(f"{self._describe(part)} cannot be unpacked "
                             f"({one_line(str(exc), 80)})") from None


def _text_value(parts: list[str], chars: int, limit: int) -> str | Bad:
    return _too_long(chars, limit) if chars > limit else decode_text("".join(parts))


def _too_long(chars: int, limit: int) -> Bad:
    return Bad(f"holds {chars:,} characters; a cell holds at most {limit:,}")


def _bytes(size: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", MiB), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:,.1f} {unit}"
    return f"{size} bytes"


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _open_archive(path: Path, limits: Limits
                  ) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """The archive and its parts by name, once its directory is known to be of a sane
    size and every part to be packed the way Excel packs them."""
    try:
        with path.open("rb") as f:
            end = getattr(zipfile, "_EndRecData", None)  # what ZipFile itself reads first
            record = end(f) if end is not None else None
    except OSError as exc:
        raise Unreadable(f"cannot be read ({one_line(exc.strerror or str(exc), 80)})") \
            from None
    if end is not None:
        if not record:
            raise Unreadable("is not an Excel workbook (.xlsx): it is not a zip archive")
        entries, size = record[4], record[5]  # _ECD_ENTRIES_TOTAL, _ECD_SIZE
        if entries > limits.parts:
            raise TooLarge(f"its archive lists {entries:,} parts in {_bytes(size)}; a "
                           f"workbook has at most {limits.parts:,}")
        if size > limits.directory_bytes:
            raise TooLarge(f"its archive's list of parts takes {_bytes(size)} ({entries:,} "
                           f"parts); the most read is {_bytes(limits.directory_bytes)}")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise Unreadable("is not an Excel workbook (.xlsx) that can be read "
                         f"({one_line(str(exc), 80)})") from None
    try:
        infos: dict[str, zipfile.ZipInfo] = {}
        if len(archive.infolist()) > limits.parts:
            raise TooLarge(f"its archive has {len(archive.infolist()):,} parts; a workbook "
                           f"has at most {limits.parts:,}")
        for info in archive.infolist():
            if info.filename in infos:
                raise Unreadable(f"its archive has two parts called {short(info.filename)}")
            if info.flag_bits & 0x1:
                raise Unreadable("its archive is encrypted")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise Unreadable(f"the part {short(info.filename)} is packed in a way Excel "
                                 "does not use")
            infos[info.filename] = info
    except BaseException:
        archive.close()
        raise
    return archive, infos


class SheetRows(Iterator[tuple[int, dict[int, Any]]]):
    """A sheet read row by row: ``(row number, {column: value})`` for rows with a cell in
    the columns read. After the last row, `merges` holds the merged ranges as
    ``(first row, first column, last row, last column)``."""

    def __init__(self, book: Workbook, name: str, part: str, columns: int) -> None:
        self.book = book
        self.name = name
        self.wanted: set[int] | range = range(1, columns + 1)
        self.merges: list[tuple[int, int, int, int]] = []
        self._rows = self._read(part)

    def __iter__(self) -> SheetRows:
        return self

    def __next__(self) -> tuple[int, dict[int, Any]]:
        return next(self._rows)

    def close(self) -> None:
        """Stop reading the sheet part way, closing its stream."""
        self._rows.close()

    def _read(self, part: str) -> Iterator[tuple[int, dict[int, Any]]]:
        # The handlers run for every element of what may be a large sheet, so they keep
        # their state in closure variables and look each name up once.
        book, limits, budget = self.book, self.book.limits, self.book._budget
        last_row = limits.rows + 1  # the header is row 1
        ready: list[tuple[int, dict[int, Any]]] = []
        strings, dates, epoch1904 = book.strings, book._dates, book.date1904
        text_limit = limits.text
        tags, columns_by_letters = _TAG, _COLUMNS
        where = f"the {short(self.name)} sheet"
        values: dict[int, Any] = {}
        row = previous = column = chars = inline = phonetic = 0
        row_digits = text = ""
        collect = in_cell = formula = False
        # the cell being read: its column, type, style and stored text (None: no <v>)
        cell_column, cell_type, cell_style, stored = 0, "n", None, None
        left = budget.left

        def malformed(why: str) -> Unreadable:
            return Unreadable(f"{where} is damaged: {why}")

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row, previous, column, chars, inline, phonetic, collect, in_cell, \
                formula, row_digits, left, text, cell_column, cell_type, cell_style, stored
            left -= 1
            if left < 0:
                raise TooLarge(f"{where} holds too much to read: the most read in a workbook "
                               f"is {budget.limit:,} XML elements (about 700,000 filled "
                               "cells)")
            tag = tags.get(name)
            if tag == "c":
                if not row or in_cell:
                    raise malformed("a cell outside a row, or inside another cell")
                ref = attrs.get("r")
                if ref is None:
                    column += 1
                else:
                    letters = ref.rstrip("0123456789")
                    found = columns_by_letters.get(letters)
                    if found is None or ref[len(letters):] != row_digits:
                        raise malformed(f"the cell {short(ref)} is not a cell of row {row:,}")
                    if found <= column:
                        raise malformed(f"the cell {short(ref)} comes after column "
                                        f"{column_letter(column)}")
                    column = found
                if column in self.wanted:
                    in_cell, formula, stored, text = True, False, None, ""
                    cell_column, cell_type, cell_style = column, attrs.get("t", "n"), \
                        attrs.get("s")
                    inline = chars = 0
            elif not in_cell:
                if tag == "row":
                    if row:
                        raise malformed("a row inside another row")
                    ref = attrs.get("r")
                    if ref is None:
                        row = previous + 1
                    elif ref.isdigit() and len(ref) <= 7 and ref[0] != "0":
                        row = int(ref)
                    else:
                        raise malformed(f"a row numbered {short(ref)}")
                    if row <= previous:
                        raise malformed(f"row {row:,} comes after row {previous:,}")
                    row_digits, column = str(row), 0
                elif tag == "mergeCell":
                    self.merges.append(_range(attrs.get("ref", ""), malformed))
            elif tag == "v":
                collect, text, chars = True, "", 0
            elif tag == "f":
                formula = True
            elif tag == "is" and cell_type == "inlineStr":
                inline += 1
            elif tag == "rPh":
                phonetic += 1
            elif tag == "t" and inline and not phonetic:
                collect = True

        def end(name: str) -> None:
            nonlocal row, previous, inline, phonetic, collect, in_cell, stored, cell_type
            tag = tags.get(name)
            if tag == "v":
                if collect:
                    stored = text if chars <= text_limit else _too_long(chars, text_limit)
                collect = False
            elif tag == "c":
                if in_cell:
                    in_cell = False
                    if cell_type == "n" and stored and cell_style is None and stored.isdigit() \
                            and len(stored) < 16 and not formula:
                        values[cell_column] = int(stored)  # the common case, quickly
                    else:
                        value = _value(cell_type, cell_style, stored, formula, strings, dates,
                                       epoch1904)
                        if value is not None:
                            values[cell_column] = value
            elif tag == "t":
                collect = False
            elif not in_cell:
                if tag == "row":
                    previous, row = row, 0
                    if values:
                        if previous > last_row:
                            raise TooLarge(
                                f"{where} has values in row {previous:,}; the importer reads "
                                f"at most {limits.rows:,} rows a sheet (rows 2 to "
                                f"{last_row:,})")
                        ready.append((previous, dict(values)))
                        values.clear()
            elif tag == "rPh":
                phonetic -= 1
            elif tag == "is" and inline:
                inline -= 1
                if not inline:
                    cell_type = "inline"
                    stored = decode_text(text) if chars <= text_limit else \
                        _too_long(chars, text_limit)

        def data(chars_: str) -> None:
            nonlocal chars, text
            if collect:
                chars += len(chars_)
                if chars <= text_limit:
                    text += chars_

        try:
            for _ in book._steps(part, limits.part_bytes, start, end, data, raw=True):
                if ready:
                    yield from ready
                    ready.clear()
        finally:
            budget.left = max(0, left)


def _range(ref: str, malformed: Callable[[str], Unreadable]) -> tuple[int, int, int, int]:
    first, _, last = ref.partition(":")
    corners = []
    for corner in (first, last or first):
        m = _CELL_REF.fullmatch(corner.replace("$", ""))
        column = _COLUMNS.get(m.group(1)) if m is not None else None
        if m is None or column is None or int(m.group(2)) < 1:
            raise malformed(f"a merged range {short(ref)}")
        corners.append((int(m.group(2)), column))
    (r1, c1), (r2, c2) = corners
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


def _value(kind: str, style: str | None, raw: str | Bad | None, formula: bool,
           strings: list[str | Bad], dates: frozenset[int], epoch1904: bool) -> Any:
    """A cell's value from its type, style and stored text; None if blank."""
    if isinstance(raw, Bad):
        return raw
    if kind == "inline":
        return raw or None
    if raw is None:
        return Bad("holds a formula whose value was never calculated: open the workbook in "
                   "Excel or LibreOffice and save it") if formula else None
    if raw == "":
        # A formula's empty text result is stored as text; an empty number is a formula
        # never calculated (openpyxl writes them so).
        return Bad("holds a formula whose value was never calculated: open the workbook in "
                   "Excel or LibreOffice and save it") if formula and kind != "str" else None
    if kind == "s":
        if not raw.isdigit() or len(raw) > 9 or int(raw) >= len(strings):
            return Bad(f"refers to shared text {short(raw)}, which the workbook does not have")
        return strings[int(raw)] or None
    if kind == "n":
        if _NUMBER.fullmatch(raw.strip()) is None:
            return Bad(f"holds {short(raw)} where a number is stored")
        number: float | int = float(raw) if any(c in raw for c in ".eE") or len(raw) > 15 \
            else int(raw)
        if style is not None and style.isdigit() and len(style) < 8 and int(style) in dates:
            return _date(number, epoch1904)
        return number
    if kind == "str":
        return decode_text(raw) or None
    if kind == "b":
        if raw in ("1", "true"):
            return True
        if raw in ("0", "false"):
            return False
        return Bad(f"holds {short(raw)} where true or false is stored")
    if kind == "e":
        return Bad(f"shows the error {short(raw, 20)}")
    if kind == "d":
        from openpyxl.utils.datetime import from_ISO8601

        try:
            value = from_ISO8601(raw.strip())
        except (ValueError, OverflowError, TypeError):
            value = None
        return value if isinstance(value, datetime | date) else \
            Bad(f"holds {short(raw)} where a date is stored")
    return Bad(f"has a cell type {short(kind, 20)} that Excel does not write")


def _date(serial: float, epoch1904: bool) -> datetime | Bad:
    """A date from Excel's serial number (days since 1900, or 1904 on old Macs)."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

    if not (0 <= serial < 2_958_466):  # up to 31/12/9999
        return Bad(f"is formatted as a date but holds {serial:g}, which is not one")
    try:
        value = from_excel(serial, CALENDAR_MAC_1904 if epoch1904 else CALENDAR_WINDOWS_1900)
    except (OverflowError, ValueError):
        return Bad(f"is formatted as a date but holds {serial:g}, which is not one")
    if isinstance(value, datetime):
        return value
    if isinstance(value, timedelta):
        return Bad(f"holds a duration ({serial:g} days), not a date")
    return Bad(f"holds a time of day ({serial:g}), not a date")
