"""A matplotlib figure inside the window, redrawn when its plan changes and it is seen.

Drawing is left to ``alliance_planner.charts``; this only owns the canvas, follows the
palette and avoids redrawing what nobody is looking at. matplotlib takes about half a
second to import, so a chart starts as a placeholder and the library loads on a worker
thread once the window is up: start-up does not wait for it.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

from ..charts import Theme

if TYPE_CHECKING:
    from PySide6.QtGui import QShowEvent
    from PySide6.QtWidgets import QScrollArea

_MODULES = ("matplotlib.figure", "matplotlib.backends.backend_agg",
            "matplotlib.backends.backend_qtagg")


def palette_theme(widget: QWidget) -> Theme:
    from PySide6.QtGui import QPalette  # the classes a canvas needs are built with it

    palette = widget.palette()
    return Theme(text=palette.color(QPalette.ColorRole.WindowText).name(),
                 background=palette.color(QPalette.ColorRole.Base).name(),
                 grid=palette.color(QPalette.ColorRole.Mid).name())


class _Loaded(QObject):
    done = Signal()


class _Preload(QRunnable):
    def __init__(self, loaded: _Loaded):
        super().__init__()
        self.loaded = loaded

    def run(self) -> None:
        for name in _MODULES:
            importlib.import_module(name)
        # RuntimeError: the window closed while matplotlib loaded, and nobody is waiting.
        with contextlib.suppress(RuntimeError):
            self.loaded.done.emit()


_loaders: list[_Loaded] = []


def preload_matplotlib(then: Callable[[], None]) -> None:
    """Import matplotlib off the GUI thread, then call `then` on the GUI thread."""
    loaded = _Loaded()
    loaded.done.connect(then, QtCore.Qt.ConnectionType.QueuedConnection)
    _loaders.append(loaded)  # kept alive until it has spoken
    loaded.done.connect(lambda: _loaders.remove(loaded))
    QThreadPool.globalInstance().start(_Preload(loaded))


class ChartWidget(QWidget):
    """`draw(figure, theme)` draws everything. With `update(theme)`, which returns True when
    it could move the data in place, an edit blits only the data over a cached background.
    `describe()` says what the chart shows, in words: its accessible description, for
    screen readers, set when the chart is shown and at each redraw.
    """

    def __init__(self, draw: Callable[[object, Theme], None], accessible_name: str,
                 parent: QWidget | None = None,
                 update: Callable[[Theme], bool] | None = None,
                 animated: Callable[[], list] | None = None,
                 minimum_height: int = 0,
                 describe: Callable[[], str] | None = None):
        super().__init__(parent)
        self._draw = draw
        self._describe = describe
        self._update = update
        self._animated = animated or (lambda: [])
        self._background = None
        self._resized = False
        self._minimum_height = minimum_height
        self.figure = None
        self.canvas = None
        self.scroll: QScrollArea | None = None
        self.setAccessibleName(accessible_name)
        self._layout = QStackedLayout(self)
        # Centred by its markup: an alignment flag would have PySide build the whole Qt
        # namespace before the first paint (ui/main_window.py, _dock_history).
        placeholder = QLabel("<p align=center>Drawing the charts…</p>")
        self._layout.addWidget(placeholder)
        self._stale = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.redraw_now)
        self.draw_count = 0

    @property
    def ready(self) -> bool:
        return self.canvas is not None

    def make_canvas(self) -> None:
        """Build the canvas (importing matplotlib now if nobody has yet)."""
        if self.canvas is not None:
            return
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure
        from PySide6.QtWidgets import QFrame, QScrollArea, QSizePolicy

        self.figure = Figure(figsize=(8, 5), dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setAccessibleName(self.accessibleName())
        self.canvas.mpl_connect("draw_event", self._after_full_draw)
        self.canvas.mpl_connect("resize_event", self._after_resize)
        self.canvas.setMinimumHeight(self._minimum_height)
        # Below its least height the chart scrolls rather than squeezing its text together.
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(QtCore.Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.canvas)
        self.scroll.setAccessibleName(self.accessibleName())  # where Tab stops on the chart
        self._layout.addWidget(self.scroll)
        self._layout.setCurrentWidget(self.scroll)
        self.schedule()

    def set_minimum_height(self, pixels: int) -> None:
        """The least height the chart is drawn at; a shorter view scrolls it."""
        self._minimum_height = pixels
        if self.canvas is not None:
            self.canvas.setMinimumHeight(pixels)

    def schedule(self) -> None:
        """Redraw soon if visible, else when next shown: many edits make one redraw."""
        self._stale = True
        if self.isVisible() and self.canvas is not None:
            self._timer.start(0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.describe()
        if self._stale and self.canvas is not None:
            self._timer.start(0)

    def describe(self) -> None:
        """Say in words what the chart shows, with its key figures, to screen readers."""
        if self._describe is None:
            return
        text = self._describe()
        self.setAccessibleDescription(text)
        for part in (self.canvas, self.scroll):
            if part is not None:
                part.setAccessibleDescription(text)

    def redraw_now(self) -> None:
        if self.canvas is None:
            return
        self._stale = False
        theme = palette_theme(self)
        resized, self._resized = self._resized, False
        if (self._update is not None and self._background is not None and not resized
                and self._update(theme)):
            self._blit()
        else:
            self._draw(self.figure, theme)
            self.canvas.draw()  # the draw event caches the background and adds the data
        self.draw_count += 1
        self.describe()

    def _after_resize(self, event: object) -> None:
        """A new size is drawn afresh, so that the charts choose their legend's columns and
        their labels for the room they have. Built now, it is painted by the draw that
        matplotlib makes after every resize; out of sight, when next shown."""
        if self.isVisible():
            self._draw(self.figure, palette_theme(self))
        else:
            self._resized = True
            self._stale = True

    def _after_full_draw(self, event: object) -> None:
        """A full draw leaves out the animated data: cache it as background, then add it."""
        self._background = self.canvas.copy_from_bbox(self.figure.bbox)
        self._draw_animated()

    def _blit(self) -> None:
        self.canvas.restore_region(self._background)
        self._draw_animated()
        self.canvas.blit(self.figure.bbox)

    def _draw_animated(self) -> None:
        for artist in self._animated():
            artist.axes.draw_artist(artist)
