"""The self-test's window check: open a plan in the main window with no display, wait for
its charts, show every page once and draw it, and open Help › Method (F1's action), as a
user's first minute would. It fails if any of that raises, a page does not appear, a chart gets no
canvas or the method is empty."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QThreadPool
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from .app import application
from .chart_widget import ChartWidget
from .document import PlanDocument
from .main_window import PAGES, MainWindow

WAIT_SECONDS = 60.0
"""The longest the window may take to be ready and to load its charts."""


def _wait(app: QApplication, done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {WAIT_SECONDS:.0f} s")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


def drive_window(plan_path: Path, settings_folder: Path) -> str:
    """Open `plan_path` in the window, with settings of its own in `settings_folder`."""
    app = application()
    errors: list[str] = []
    old_hook = sys.excepthook
    # An exception in a slot or a worker reaches Qt's event loop, not this function.
    sys.excepthook = lambda kind, value, tb: errors.append(f"{kind.__name__}: {value}")
    settings_folder.mkdir(parents=True, exist_ok=True)
    store = QSettings(str(settings_folder / "settings.ini"), QSettings.Format.IniFormat)
    document = PlanDocument.open(plan_path)
    window = MainWindow(document, store)
    document.setParent(window)
    try:
        window.show()
        _wait(app, lambda: window.ready, "the window's first paint")
        _wait(app, lambda: window.charts_loaded or bool(errors), "the charts' library")
        charts = 0
        for index, name in enumerate(PAGES):
            window.show_page(index)
            app.processEvents()
            page = window.pages.get(name)
            if page is None or not page.isVisible():
                raise RuntimeError(f"the {name} page did not appear")
            if window.grab().isNull():
                raise RuntimeError(f"the {name} page could not be drawn")
            for chart in page.findChildren(ChartWidget):
                if not chart.ready:
                    raise RuntimeError(f"a chart on the {name} page has no canvas")
                charts += 1
        if QKeySequence("F1") not in window.method_action.shortcuts():
            raise RuntimeError("F1 is not Help › Method's shortcut")
        window.method_action.trigger()
        app.processEvents()
        dialog = window.method_dialog
        if dialog is None or not dialog.isVisible() or "Green Book" not in dialog.text():
            raise RuntimeError("Help › Method did not show the method")
        app.processEvents()
        if errors:
            raise RuntimeError("; ".join(errors))
        return f"{len(PAGES)} pages shown and drawn, {charts} charts, Help › Method open"
    finally:
        sys.excepthook = old_hook
        window.close()
        QThreadPool.globalInstance().waitForDone(10_000)
        app.processEvents()
