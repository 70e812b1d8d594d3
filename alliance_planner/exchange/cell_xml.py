"""Each cell of a sheet as XML, written as text: quicker than openpyxl's own writer, and
with the cached value of a formula beside it.

openpyxl builds an ElementTree element for every cell and serialises it, which is most of
the time a board pack takes to save (the national plan's has some 60,000 cells). The
cells this program writes are of four plain kinds (a number, a text, a formula, a bool),
and their XML is short and fixed, so it is written here as text straight into the sheet's
stream; anything else (a date, rich text, an array formula, a hyperlink) goes to
openpyxl's writer as before. The XML is the same as openpyxl's, with the value recorded in
``cached.py`` inside a formula's ``<v>`` (``t="str"`` for a text, ``t="b"`` for a bool).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.compat import safe_string
from openpyxl.xml.functions import Element, SubElement

from .cached import values_of

_lock = threading.Lock()
_PLAIN = frozenset({int, float, str, bool})


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _number(value: float | int) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return f"{value:.16g}"


def cell_xml(cell: Cell, coordinate: str, styled: bool | None, cached: Any) -> str | None:
    """The cell as openpyxl would write it (with `cached` in a formula's value), or None
    for a cell of a kind left to openpyxl."""
    value, kind = cell._value, cell.data_type
    if cell.hyperlink is not None or (value.__class__ not in _PLAIN and value is not None):
        return None
    head = f'<c r="{coordinate}" s="{cell.style_id}"' if styled else f'<c r="{coordinate}"'
    if kind == "f":
        if not isinstance(value, str):
            return None
        if cached is None:
            return f"{head}><f>{_escape(value[1:])}</f><v></v></c>"
        if isinstance(cached, bool):
            return f'{head} t="b"><f>{_escape(value[1:])}</f><v>{int(cached)}</v></c>'
        if isinstance(cached, str):
            return f'{head} t="str"><f>{_escape(value[1:])}</f><v>{_escape(cached)}</v></c>'
        return f"{head}><f>{_escape(value[1:])}</f><v>{_number(cached)}</v></c>"
    if value is None or value == "":
        return f'{head} t="{"inlineStr" if kind == "s" else kind}"/>'
    if kind == "n" and value.__class__ in (int, float):
        return f'{head} t="n"><v>{_number(value)}</v></c>'
    if kind == "s" and isinstance(value, str):
        stripped = value.strip()  # marked as openpyxl marks it: not when all blank
        space = ' xml:space="preserve"' if stripped and stripped != value else ""
        return f'{head} t="inlineStr"><is><t{space}>{_escape(value)}</t></is></c>'
    if kind == "b" and isinstance(value, bool):
        return f'{head} t="b"><v>{int(value)}</v></c>'
    return None


class _Sheet(threading.local):
    """The sheet being written in this thread, and what the writer needs of it."""

    worksheet: Any = None
    title = ""
    values: dict[tuple[str, str], Any] | None = None


def _fast(write_cell: Callable[..., None]) -> Callable[..., None]:
    sheet = _Sheet()

    def write(xf: Any, worksheet: Any, cell: Cell, styled: bool | None = None) -> None:
        if worksheet is not sheet.worksheet:
            sheet.worksheet, sheet.title = worksheet, worksheet.title
            sheet.values = values_of(worksheet.parent)
        coordinate = cell.coordinate
        values = sheet.values
        cached = None if values is None else values.get((sheet.title, coordinate))
        raw = getattr(xf, "_file", None)  # et_xmlfile's stream; lxml's writer has none
        text = cell_xml(cell, coordinate, styled, cached) if raw is not None else None
        if text is not None:
            raw(text)
        elif cached is not None and cell.data_type == "f" and isinstance(cell._value, str):
            xf.write(_element(cell, styled, cached))
        else:
            write_cell(xf, worksheet, cell, styled)

    write.wrapped = write_cell  # type: ignore[attr-defined]
    return write


def _element(cell: Cell, styled: bool | None, cached: Any) -> Any:
    """A formula with its cached value, as an element, for lxml's writer."""
    attributes = {"r": cell.coordinate}
    if styled:
        attributes["s"] = f"{cell.style_id}"
    if isinstance(cached, bool):
        attributes["t"], text = "b", "1" if cached else "0"
    elif isinstance(cached, str):
        attributes["t"], text = "str", cached
    else:
        text = safe_string(cached)
    element = Element("c", attributes)
    SubElement(element, "f").text = cell._value[1:]
    SubElement(element, "v").text = text
    return element


def install() -> None:
    """Have openpyxl write cells this way, in every thread, from now on. Done once."""
    from openpyxl.worksheet import _writer

    with _lock:
        if not hasattr(_writer.write_cell, "wrapped"):
            _writer.write_cell = _fast(_writer.write_cell)
