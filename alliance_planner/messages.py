"""Text shown to a person: one line, nothing a terminal would act on, and never too long.

A message often quotes what a file held (a force's code, a sheet's name, a cell), and a
file may hold anything: an escape sequence that recolours or clears the terminal, a line
break that forges a second message, a bidirectional override that reorders the text, ten
megabytes in one cell. `one_line` makes any of it safe to print or to put in a dialog.
"""

from __future__ import annotations

import unicodedata

LIMIT = 300
"""Characters in one message line; longer ones lose their middle to an ellipsis."""

_ESCAPED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNSAFE = frozenset(("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))


def _escape(ch: str) -> str:
    if ch in _ESCAPED:
        return _ESCAPED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 \
        else f"\\U{code:08x}"


def escaped(text: str) -> str:
    """`text` with every control, format and separator character escaped, and nothing
    cut: for output that is a table or a list rather than one message."""
    if text.isprintable():
        return text
    return "".join(_escape(ch) if unicodedata.category(ch) in _UNSAFE else ch for ch in text)


def one_line(text: str, limit: int = LIMIT) -> str:
    """`text` as one line: control, format and separator characters escaped as ``\\x1b``,
    ``\\u202e``, ``\\n``, and cut to `limit` characters by an ellipsis in the middle, which
    keeps where the message starts (the file, sheet and row) and how it ends (the reason)."""
    head_size = max(1, (limit * 2) // 3)
    tail_size = max(0, limit - head_size - 1)
    if len(text) > 4 * limit:  # look at no more of a huge text than can be shown
        text = text[:2 * head_size] + "…" + text[-2 * tail_size:] if tail_size else \
            text[:2 * head_size]
    line = escaped(text)
    if len(line) <= limit:
        return line
    return line[:head_size] + "…" + (line[-tail_size:] if tail_size else "")
