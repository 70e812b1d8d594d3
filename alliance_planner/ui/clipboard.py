"""Table ranges as tab-separated text, the way Excel and LibreOffice put them on the
clipboard and read them back: a line a row, a tab between cells, and a cell holding a tab,
a line break or a quote wrapped in quotes with its quotes doubled."""

from __future__ import annotations

from collections.abc import Sequence


def _cell(text: str) -> str:
    if any(ch in text for ch in '\t\n\r"'):
        return '"' + text.replace('"', '""') + '"'
    return text


def to_tsv(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells as tab-separated text, each row ended by a line break (as Excel does)."""
    return "".join("\t".join(_cell(c) for c in row) + "\r\n" for row in rows)


def from_tsv(text: str) -> list[list[str]]:
    """Tab-separated text as rows of cells; the last line break ends the last row, not a new
    empty one. A quoted cell may hold tabs, line breaks and doubled quotes."""
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    i, n = 0, len(text)
    quoted = False
    at_start = True
    while i < n:
        ch = text[i]
        if quoted:
            if ch == '"':
                if i + 1 < n and text[i + 1] == '"':
                    cell.append('"')
                    i += 1
                else:
                    quoted = False
            else:
                cell.append(ch)
        elif ch == '"' and at_start:
            quoted = True
        elif ch == "\t":
            row.append("".join(cell))
            cell, at_start = [], True
            i += 1
            continue
        elif ch in "\r\n":
            if ch == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            row.append("".join(cell))
            rows.append(row)
            row, cell, at_start = [], [], True
            i += 1
            continue
        else:
            cell.append(ch)
        at_start = False
        i += 1
    if cell or row:
        row.append("".join(cell))
        rows.append(row)
    return rows
