"""Steps that would slow the window's first paint, held while the program starts.

The program's start (ui/app.py) holds them; the main window releases them once it has been
painted (or, never shown on a screen, two seconds after it was shown). Anywhere else, as in
a window opened later or a page made on its own, a step runs at once.
"""

from __future__ import annotations

from collections.abc import Callable

_held: list[Callable[[], None]] | None = None


def hold() -> None:
    """From now until `release`, keep the steps `after_paint` is given."""
    global _held
    if _held is None:
        _held = []


def after_paint(step: Callable[[], None]) -> None:
    """Run `step` now, or once the window is painted if the start holds steps."""
    if _held is None:
        step()
    else:
        _held.append(step)


def release() -> None:
    """Run the held steps, in the order they came, and hold none from now on."""
    global _held
    steps, _held = _held or [], None
    for step in steps:
        step()
