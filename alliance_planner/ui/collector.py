"""Python's cycle collector, run in the GUI thread only.

A Qt object caught in a reference cycle is destroyed when the collector frees the cycle, in
whichever thread happens to be allocating at that moment. If that is a worker thread
building a workbook, Qt destroys a widget off the GUI thread and the program crashes (it
did, in the tests, once in a few runs). So while the window runs, the automatic collector
is off and a timer in the GUI thread runs it, generation by generation, as often as the
automatic one would have. Long-lived Qt programs in Python do the same.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject):
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect)
        self._timer.start()

    def collect(self) -> None:
        """What the automatic collector would do now: the oldest generation whose count
        has passed its threshold, with the younger ones."""
        counts = gc.get_count()
        due = [g for g in range(3) if counts[g] > self._thresholds[g]]
        if due:
            gc.collect(max(due))


def install() -> GuiThreadCollector | None:
    """Once a process, from the GUI thread, before any work goes to another thread."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    found = app.findChild(GuiThreadCollector)
    return found if found is not None else GuiThreadCollector(app)
