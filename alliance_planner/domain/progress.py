"""Stopping long work when the user asks: shared by every layer that runs something long
(a Monte Carlo run, the optimiser, a workbook read), so that the window handles one kind
of stop whatever it ran."""

from __future__ import annotations

from collections.abc import Callable

IsCancelled = Callable[[], bool]
"""Asked between steps of long work: True once the user has pressed Cancel."""


class Cancelled(Exception):
    """Raised by work that was asked to stop, having changed nothing."""


def never() -> bool:
    """The default :data:`IsCancelled`: work started from the command line runs to the end."""
    return False
