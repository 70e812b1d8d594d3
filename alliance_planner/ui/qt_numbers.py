"""Qt's own numbers for the few enum values the first paint needs, kept as plain ints.

The first use of PySide's ``Qt`` namespace has it build every one of the namespace's enums
as a Python enum, some 25 ms of a start (over a tenth of it). Nothing before the window's
first paint uses the namespace (tests/e2e/test_startup.py): the item roles, alignment and
orientation it needs are passed as these numbers, to Qt calls that take an int or to a
property. They are part of Qt's binary interface, never renumbered, and
tests/gui/test_tables.py checks each against PySide's enum.
"""

from __future__ import annotations

FONT_ROLE = 6
"""Qt.ItemDataRole.FontRole"""
TEXT_ALIGNMENT_ROLE = 7
"""Qt.ItemDataRole.TextAlignmentRole"""
ACCESSIBLE_TEXT_ROLE = 11
"""Qt.ItemDataRole.AccessibleTextRole"""
USER_ROLE = 256
"""Qt.ItemDataRole.UserRole: the first role free for the program's own."""
ALIGN_RIGHT_MIDDLE = 0x0002 | 0x0080
"""Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter: how figures are set."""
VERTICAL = 2
"""Qt.Orientation.Vertical"""
