"""Long work off the GUI thread, through one helper: a progress dialog, Cancel, and a
callback on the GUI thread when done. Feature code calls ``run_in_background`` and
never touches threads itself.

Cancel sets a flag the work asks about (``is_cancelled()``) between its steps; work that
stops raises `Cancelled` having written nothing, and nothing more is said. Work that had
already finished when Cancel was pressed is reported as done (its file is written: hiding
that would leave a file nobody was told of), unless the caller gives ``discard`` for a
result that can simply be let go (a plan opened only to be read)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..domain.progress import Cancelled
from . import collector

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progressed = Signal(float)


class _Job(QRunnable):
    def __init__(self, work: Callable[..., Any], cancelled: threading.Event, progress: bool):
        super().__init__()
        self.signals = _Signals()
        self._work = work
        self._cancelled = cancelled
        self._progress = progress

    def run(self) -> None:
        try:
            if self._progress:
                result = self._work(self._cancelled.is_set, self.signals.progressed.emit)
            else:
                result = self._work(self._cancelled.is_set)
        except BaseException as exc:  # handed to the GUI thread, which decides what to say
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


def run_in_background(
    parent: QWidget,
    label: str,
    work: Callable[..., Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None],
    *,
    show_after_ms: int = 200,
    on_cancelled: Callable[[], None] | None = None,
    discard: Callable[[Any], None] | None = None,
    progress: bool = False,
) -> threading.Event:
    """Run ``work(is_cancelled)`` in the pool; the dialog shows only if it takes a while.

    Returns the cancel flag. Work that raises `Cancelled` calls ``on_cancelled``; a result
    that arrives after Cancel goes to ``discard`` if given, else to ``on_done``. With
    ``progress`` the work is ``work(is_cancelled, report)``, and ``report(share done)``
    fills the dialog's bar, which otherwise only says that something is happening.
    """
    # Imported here: the first window need not build the dialog classes (their enums cost
    # milliseconds of every start).
    from PySide6.QtWidgets import QProgressDialog

    collector.install()  # the cycle collector stays in this thread: see collector.py
    cancelled = threading.Event()
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setWindowTitle("Alliance Planner")
    dialog.setWindowModality(QtCore.Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(show_after_ms)
    dialog.setValue(0)  # starts the timer that shows it: without, it never showed, nor Cancel
    dialog.setAccessibleName(label)
    dialog.canceled.connect(cancelled.set)
    job = _Job(work, cancelled, progress)
    if progress:
        dialog.setRange(0, 100)
        dialog.setAutoReset(False)  # a full bar is not the work done: `finish` says that
        job.signals.progressed.connect(lambda share: dialog.setValue(round(100 * share)))

    def finish(callback: Callable[[Any], None], value: Any) -> None:
        dialog.reset()
        dialog.deleteLater()
        jobs = getattr(parent, "_background_jobs", [])
        if job in jobs:
            jobs.remove(job)
        if isinstance(value, Cancelled):
            if on_cancelled is not None:
                on_cancelled()
        elif cancelled.is_set() and discard is not None and callback is on_done:
            discard(value)
        else:
            callback(value)

    job.signals.done.connect(lambda result: finish(on_done, result))
    job.signals.failed.connect(lambda exc: finish(on_error, exc))
    parent._background_jobs = [*getattr(parent, "_background_jobs", []), job]  # keep alive
    QThreadPool.globalInstance().start(job)
    return cancelled


def run_quietly(parent: QWidget, work: Callable[[Callable[[], bool]], Any],
                on_done: Callable[[Any], None],
                on_error: Callable[[BaseException], None] | None = None) -> threading.Event:
    """Run ``work(is_cancelled)`` in the pool with no dialog: for figures a page works out
    on its own while the user reads (the Overview's chance of a positive NPV). Returns the
    cancel flag; a cancelled job's result, or its `Cancelled`, is let go."""
    collector.install()  # the cycle collector stays in this thread: see collector.py
    cancelled = threading.Event()
    job = _Job(work, cancelled, progress=False)

    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        jobs = getattr(parent, "_background_jobs", [])
        if job in jobs:
            jobs.remove(job)
        if not cancelled.is_set() and not isinstance(value, Cancelled) and callback is not None:
            callback(value)

    job.signals.done.connect(lambda result: finish(on_done, result))
    job.signals.failed.connect(lambda exc: finish(on_error, exc))
    parent._background_jobs = [*getattr(parent, "_background_jobs", []), job]  # keep alive
    QThreadPool.globalInstance().start(job)
    return cancelled
