"""The yardstick for cold start: a bare PySide6 window, a QMainWindow with one label.

Prints ``ready at monotonic T`` once its first expose has been painted, then quits, the
same way ``alliance-planner --exit-when-ready`` reports its own window. Run by
bench/window.py; time.monotonic() is system-wide on Linux, so the parent compares it with
the moment it started this process.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class FirstExpose(QObject):
    """Paints the first expose of a window itself, then notes the time and quits."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Expose or not watched.isExposed():
            return False
        watched.removeEventFilter(self)
        watched.event(event)  # the widgets paint and the window is flushed to the screen
        print(f"ready at monotonic {time.monotonic():.6f}", flush=True)
        QTimer.singleShot(0, QApplication.quit)
        return True


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    window.setCentralWidget(QLabel("A bare PySide6 window"))
    window.resize(1280, 820)
    window.show()
    first = FirstExpose(window)
    window.windowHandle().installEventFilter(first)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
