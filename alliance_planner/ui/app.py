"""Starting the window: the application object, settings, and which plan to open."""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, QThreadPool, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from .. import __version__, paths, samples
from ..store.planfile import SUFFIX, PlanFileError, write_new
from . import first_paint
from .document import PlanDocument
from .main_window import MainWindow

ORGANISATION = "Alliance Planner"
APPLICATION = "Alliance Planner"
DESKTOP_ENTRY = "alliance-planner"
"""The freedesktop entry's name (resources/alliance-planner.desktop), without .desktop."""
WINDOW_ICON_LARGEST = 256
"""The largest size of the icon the windows carry, except on macOS. Title bars, task bars
and window switchers draw it at 256 px at most, and on X11 every size the icon has is sent
to the display as pixels when a window is first shown: the 512 and 1024 px alone are 5 MB
and took some 50 ms of the first paint. macOS draws its Dock icon from it, up to 1024 px."""


def application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_ENTRY)  # the desktop's launcher and task bar pair them
    app.setWindowIcon(application_icon())
    return app  # type: ignore[return-value]


def application_icon() -> QIcon:
    """The program's icon in each size it ships that a window shows (each file read only
    when drawn); none if the installation lost them (self-test says so), rather than no
    program."""
    icon = QIcon()
    largest = max(paths.ICON_SIZES) if sys.platform == "darwin" else WINDOW_ICON_LARGEST
    with contextlib.suppress(paths.MissingResource):
        for size, path in zip(paths.ICON_SIZES, paths.icon_files(), strict=True):
            if size <= largest:
                icon.addFile(str(path), QSize(size, size))
    return icon


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION,
                     APPLICATION)


def bundled_sample_path() -> Path:
    """The sample plan a first start opens, kept in the user's data folder."""
    from PySide6.QtCore import QStandardPaths  # built when needed: it costs a millisecond

    folder = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.AppDataLocation))
    path = folder / f"{samples.DEFAULT}{SUFFIX}"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_new(path, samples.build(samples.DEFAULT))
    return path


def choose_plan(explicit: Path | None, store: QSettings) -> tuple[Path, str | None]:
    """The plan to open, and a note if the last one could not be found."""
    if explicit is not None:
        return explicit, None
    last = store.value("last_plan")
    if last and Path(str(last)).exists():
        return Path(str(last)), None
    note = f"The last plan, {last}, is no longer there." if last else None
    return bundled_sample_path(), note


def run(path: Path | None = None, *, exit_when_ready: bool = False) -> int:
    """Open the window on a plan. PlanFileError for an explicit plan that cannot be opened."""
    start = time.perf_counter()
    app = application()
    store = settings()
    plan_path, note = choose_plan(path, store)
    try:
        document = PlanDocument.open(plan_path)
    except PlanFileError:
        if path is not None:
            raise
        plan_path, note = bundled_sample_path(), f"{plan_path} could not be opened."
        document = PlanDocument.open(plan_path)
    first_paint.hold()  # released by the window once it is painted
    window = MainWindow(document, store)
    document.setParent(window)
    window.show()
    if note:
        from PySide6.QtWidgets import QMessageBox  # built when needed: it costs milliseconds

        QTimer.singleShot(0, lambda: QMessageBox.information(window, "Alliance Planner", note))
    if exit_when_ready:
        # Each moment on time.monotonic() too, which benchmarks compare across processes.
        def say(what: str) -> None:
            print(f"{what} in {time.perf_counter() - start:.3f} s, at monotonic "
                  f"{time.monotonic():.6f}", flush=True)

        def charts_drawn() -> None:
            app.processEvents()  # the canvases draw on their first turn of the loop
            say("charts")
            window.close()
            app.quit()

        window.shown.connect(lambda: say("ready"))
        window.chartsLoaded.connect(lambda: QTimer.singleShot(0, charts_drawn))
    code = app.exec()
    QThreadPool.globalInstance().waitForDone(10_000)
    return code
