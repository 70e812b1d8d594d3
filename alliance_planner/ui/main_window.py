"""The main window: a navigator of pages, the menus, the undo history and the status bar."""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

# The dialogs are looked up in QtWidgets when they are used: PySide6 builds a class and its
# enums on first use, and these cost milliseconds that the first paint does not need.
from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from .. import __version__, samples
from ..domain.progress import Cancelled
from ..messages import one_line
from ..store.planfile import SUFFIX, PlanFileError, write_new
from . import collector, first_paint
from .chart_widget import ChartWidget, preload_matplotlib
from .document import PlanDocument
from .worker import run_in_background

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QShowEvent

    from .method_dialog import MethodDialog
    from .page import Page

try:  # CPython's own SHA-256: hashlib's would load OpenSSL first, some 5 ms of the start
    from _sha256 import sha256
except ImportError:  # another Python, or a later one that names it otherwise
    from hashlib import sha256

FILE_FILTER = f"Alliance plans (*{SUFFIX});;All files (*)"
MAX_RECENT = 8
PROBLEMS_SHOWN = 100
"""A workbook's problems listed in the import's message; a line counts the rest."""
READ_ONLY_STYLE = ("QLabel { background: #fff4c2; color: #3d3000; padding: 6px; "
                   "border: 1px solid #e0c95a; }")
"""The read-only banner's look, given it when it is first shown: a style sheet costs
milliseconds to parse and apply, which a start on a plan that is not read-only need not pay."""


# Each page's maker loads the page's module when it first builds one: before the first paint
# only the page shown is built, and only its code need be loaded. The imports are written out
# so that PyInstaller, which reads them, bundles every page.

def _overview(document: PlanDocument) -> Page:
    from .overview import OverviewPage

    return OverviewPage(document)


def _plan(document: PlanDocument) -> Page:
    from .pages import PlanPage

    return PlanPage(document)


def _forces(document: PlanDocument) -> Page:
    from .forces_page import ForcesPage

    return ForcesPage(document)


def _benchmarking(document: PlanDocument) -> Page:
    from .benchmarking import BenchmarkingPage

    return BenchmarkingPage(document)


def _options(document: PlanDocument) -> Page:
    from .pages import OptionsPage

    return OptionsPage(document)


def _compare(document: PlanDocument) -> Page:
    from .compare import ComparePage

    return ComparePage(document)


def _roadmap(document: PlanDocument) -> Page:
    from .pages import RoadmapPage

    return RoadmapPage(document)


def _risk(document: PlanDocument) -> Page:
    from .risk import RiskPage

    return RiskPage(document)


def _records(collection: str, title: str, help_text: str) -> Callable[[PlanDocument], Page]:
    def make(document: PlanDocument) -> Page:
        from .pages import RecordPage

        return RecordPage(document, collection, title, help_text)

    return make


PAGE_MAKERS: dict[str, Callable[[PlanDocument], Page]] = {
    "Overview": _overview,
    "Plan": _plan,
    "Forces": _forces,
    "Services": _records("services", "Services", "The service catalogue the alliance could "
                         "standardise."),
    "Today's estate": _records("estate", "Today's estate", "What each force runs today for "
                               "each service: running cost (not staff), support FTE and "
                               "contract end."),
    "Sites": _records("sites", "Sites", "Buildings the forces run, with what each costs a "
                      "year and would sell for. An option closes a site on the Options page, "
                      "Site closures tab."),
    "Benchmarking": _benchmarking,
    "Options": _options,
    "Compare": _compare,
    "Roadmap": _roadmap,
    "Risk": _risk,
    "Deflators": _records("deflators", "Deflators", "The GDP deflator by financial year: "
                          "money entered in cash of a price year is converted to base-year "
                          "prices with it. Years after the last take the plan's assumed "
                          "growth (Plan page)."),
    "Sources": _records("sources", "Sources", "Where every figure comes from. An assumption "
                        "says so and gives its reasoning."),
}
PAGES = tuple(PAGE_MAKERS)
FIRST_PAGE = "Overview"
"""The page a plan opens on the first time; after that, the page it was last left on."""


def page_shortcut(index: int) -> str:
    """Ctrl+1 to Ctrl+9, then Ctrl+0 for the tenth page; none for the pages after it (a
    shortcut used twice would do nothing)."""
    return f"Ctrl+{(index + 1) % 10}" if index < 10 else ""


def _make_canvases(page: Page) -> None:
    for chart in page.findChildren(ChartWidget):
        chart.make_canvas()


class _FirstPaint(QObject):
    """Watches a window's native surface for its first expose and paints it at once."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self._window = window
        window.windowHandle().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Expose or not self._window.windowHandle().isExposed():
            return False
        watched.removeEventFilter(self)
        watched.event(event)  # the widgets paint and the window is flushed to the screen
        self._window.first_painted()
        self.deleteLater()
        return True


class MainWindow(QMainWindow):
    shown = Signal()
    """The window has been painted on the screen for the first time."""
    chartsLoaded = Signal()
    """matplotlib is loaded and every chart has its canvas."""

    def __init__(self, document: PlanDocument, settings: QSettings):
        super().__init__()
        self.settings = settings
        self.charts_loaded = False
        self.ready = False
        """Every page is built and every menu filled (done once the window is painted)."""
        self._watching_first_paint = False
        self.document: PlanDocument | None = None
        self.pages: dict[str, Page] = {}
        self.method_dialog: MethodDialog | None = None
        self.setMinimumSize(900, 600)
        self.resize(1280, 820)

        self.navigator = QListWidget()
        self.navigator.setAccessibleName("Pages")
        self.navigator.setFixedWidth(170)
        for i, name in enumerate(PAGES):
            item = QListWidgetItem(name)
            item.setToolTip(f"{name} ({page_shortcut(i)})" if page_shortcut(i) else name)
            self.navigator.addItem(item)
        self.stack = QStackedWidget()
        self.read_only_banner = QLabel()
        self.read_only_banner.setAccessibleName("Read-only")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.hide()  # styled when first shown (see READ_ONLY_STYLE)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(4, 4, 4, 0)
        column.addWidget(self.read_only_banner)
        row = QHBoxLayout()
        row.addWidget(self.navigator)
        row.addWidget(self.stack, 1)
        column.addLayout(row, 1)
        self.setCentralWidget(central)
        self.navigator.currentRowChanged.connect(self._show_row)

        self.undo_view = QUndoView()
        self.undo_view.setAccessibleName("Edit history")
        self.undo_view.setEmptyLabel("Opened")
        self.history = QDockWidget("History", self)
        self.history.setObjectName("history")
        self.history.setWidget(self.undo_view)
        self.history.hide()  # docked by the saved state, or once the window is painted

        self.file_label = QLabel()
        self.file_label.setAccessibleName("Plan file")
        self.statusBar().addPermanentWidget(self.file_label)

        self._make_menus()
        self.set_document(document)
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
            self.restoreState(settings.value("window/state"))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._watching_first_paint:
            self._watching_first_paint = True
            _FirstPaint(self)
            # A window shown but never exposed (minimised, say) gets ready all the same.
            QTimer.singleShot(2000, self, self._finish_start)

    def first_painted(self) -> None:
        """The window's first expose has been painted: the user sees it."""
        self.shown.emit()
        self._finish_start()

    def _finish_start(self) -> None:
        """What the first paint does not need, done once the user sees the window: the
        pages out of sight, the menus' actions, and matplotlib for the charts, loaded off
        the GUI thread (its import, started any earlier, holds up the first paint)."""
        if self.ready:
            return
        self.ready = True
        collector.install()  # the cycle collector, off while the window started (cli.py)
        first_paint.release()
        self._dock_history()
        self._edit_shortcuts()
        for index in range(len(PAGES)):
            self._page_at(index)
        self._fill_menus()
        preload_matplotlib(self._charts_ready)

    def _dock_history(self) -> None:
        """Dock the history at the right, hidden, unless the window's saved state already
        put it where the user left it. Docking names a Qt.DockWidgetArea, and the first use
        of the Qt namespace has PySide build all its enums, some 25 ms: nothing uses it
        before the first paint (tests/e2e/test_startup.py)."""
        from PySide6.QtCore import Qt

        if self.dockWidgetArea(self.history) == Qt.DockWidgetArea.NoDockWidgetArea:
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history)
            self.history.hide()

    def _charts_ready(self) -> None:
        self.charts_loaded = True
        for page in self.pages.values():
            _make_canvases(page)
        self.chartsLoaded.emit()

    # --- actions --------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_menus(self) -> None:
        """The menu bar and the toolbar as the first paint shows them; `_fill_menus` adds
        the rest of the actions once the window is up."""
        self.file_menu = self.menuBar().addMenu("&File")
        self.edit_menu = self.menuBar().addMenu("&Edit")
        # Their shortcuts are set once the window is painted (_edit_shortcuts): a key
        # sequence's first use builds the Qt namespace (see _dock_history).
        self.add_action = self._action("&Add Row", lambda: self._on_page("add"))
        self.duplicate_action = self._action("&Duplicate Row", lambda: self._on_page("duplicate"))
        self.remove_action = self._action("&Remove Row", lambda: self._on_page("remove"))
        self.view_menu = self.menuBar().addMenu("&View")
        self.help_menu = self.menuBar().addMenu("&Help")
        self.toolbar = self.addToolBar("Main")
        self.toolbar.setObjectName("main-toolbar")

    def _fill_menus(self) -> None:
        menu = self.file_menu
        self.new_sample_action = self._action("&New from Sample…", self.new_from_sample,
                                              QKeySequence.StandardKey.New)
        menu.addAction(self.new_sample_action)
        menu.addAction(self._action("New &Alliance from Forces…", self.new_alliance,
                                    "Ctrl+Shift+A"))
        menu.addAction(self._action("&Open…", self.open_dialog, QKeySequence.StandardKey.Open))
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        menu.addSeparator()
        menu.addAction(self._action("Save &As…", self.save_as_dialog,
                                    QKeySequence.StandardKey.SaveAs,
                                    "Save a copy under a new name and carry on in it"))
        menu.addAction(self._action("Save &Version…", self.save_version_dialog, None,
                                    "Keep a named copy of the plan inside its file"))
        menu.addAction(self._action("Versions and Changes &Log…", self.versions_dialog, None,
                                    "List, compare, open or restore the plan's versions"))
        menu.addSeparator()
        menu.addAction(self._action("&Export Board Pack…", self.export_dialog, "Ctrl+E",
                                    "Write the board pack workbook (.xlsx) with live formulas"))
        menu.addAction(self._action("Export &Summary…", self.summary_dialog, "Ctrl+Shift+E",
                                    "Write the one-page board summary (.pdf)"))
        menu.addAction(self._action("&Print Page…", self.print_page,
                                    QKeySequence.StandardKey.Print,
                                    "Print the page shown, as it is shown, on one sheet"))
        menu.addAction(self._action("Print &Board Summary…", self.print_summary, None,
                                    "Print the one-page board summary"))
        menu.addAction(self._action("Export Data-Collection &Template…", self.template_dialog,
                                    None, "A workbook for each force to fill in"))
        menu.addAction(self._action("Templates per &Force…", self.templates_per_force_dialog,
                                    None, "One template a force, prefilled with its rows"))
        menu.addAction(self._action("&Import Workbook…", self.import_dialog, "Ctrl+I",
                                    "Make a plan from a filled template or a board pack"))
        menu.addAction(self._action("&Merge Returns…", self.merge_dialog, None,
                                    "Bring forces' filled templates into this plan"))
        menu.addSeparator()
        menu.addAction(self._action("&Close", self.close, QKeySequence.StandardKey.Close))
        menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        view = self.view_menu
        view.addAction(self.history.toggleViewAction())
        self.history.toggleViewAction().setShortcut(QKeySequence("Ctrl+H"))
        view.addSeparator()
        view.addAction(self._action("&Next Page", lambda: self.step_page(1), "Ctrl+PgDown",
                                    "The page below in the list"))
        view.addAction(self._action("&Previous Page", lambda: self.step_page(-1),
                                    "Ctrl+PgUp", "The page above in the list"))
        for i, name in enumerate(PAGES):
            view.addAction(self._action(name, lambda _=False, i=i: self.show_page(i),
                                        page_shortcut(i) or None))

        self.method_action = self._action(
            "&Method…", self.show_method, None,
            "The appraisal method: every formula, default and the worked example")
        self.method_action.setShortcuts(list({k.toString(): k for k in (
            *QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents),
            QKeySequence("F1"))}.values()))  # F1, and the platform's own key if another
        self.help_menu.addAction(self.method_action)
        self.help_menu.addAction(self._action("&About Alliance Planner", self.about))

    def _fill_edit_menu(self) -> None:
        assert self.document is not None
        self.edit_menu.clear()
        for old in (getattr(self, "undo_action", None), getattr(self, "redo_action", None)):
            with contextlib.suppress(RuntimeError):  # gone with the old document's stack
                if old is not None:
                    old.deleteLater()
        undo = self.document.undo_stack.createUndoAction(self, "&Undo")
        redo = self.document.undo_stack.createRedoAction(self, "&Redo")
        self.undo_action, self.redo_action = undo, redo
        if self.ready:
            self._edit_shortcuts()
        self.edit_menu.addAction(undo)
        self.edit_menu.addAction(redo)
        self.edit_menu.addSeparator()
        for action in (self.add_action, self.duplicate_action, self.remove_action):
            self.edit_menu.addAction(action)
        self.toolbar.clear()
        stack = self.document.undo_stack
        for text, tip, slot, can, signal in (
                ("Undo", "Undo the last edit (Ctrl+Z)", stack.undo, stack.canUndo,
                 stack.canUndoChanged),
                ("Redo", "Redo (Ctrl+Shift+Z)", stack.redo, stack.canRedo,
                 stack.canRedoChanged)):
            short = QAction(text, self.toolbar)  # the menu's action names the step in full
            short.setToolTip(tip)
            short.setEnabled(can())
            short.triggered.connect(slot)
            signal.connect(short.setEnabled)
            self.toolbar.addAction(short)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.add_action)
        self.toolbar.addAction(self.duplicate_action)
        self.toolbar.addAction(self.remove_action)

    def _edit_shortcuts(self) -> None:
        """The Edit menu's keys: set once the window is painted, and for each document."""
        self.add_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.duplicate_action.setShortcut(QKeySequence("Ctrl+D"))
        self.remove_action.setShortcut(QKeySequence("Ctrl+Shift+Del"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        keys = [*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo),
                QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
        self.redo_action.setShortcuts(list({k.toString(): k for k in keys}.values()))  # once

    def _on_page(self, what: str) -> None:
        from .pages import OptionsPage

        page = self.stack.currentWidget()
        target = page.options if isinstance(page, OptionsPage) else page
        method = getattr(target, what, None)
        if method is None:
            self.statusBar().showMessage("This page has no rows to add or remove", 4000)
        else:
            method()

    def show_page(self, index: int) -> None:
        self.navigator.setCurrentRow(index)

    def show_page_named(self, name: str) -> bool:
        """Go to a page by its name; False if there is no such page."""
        if name not in PAGES:
            return False
        self.show_page(PAGES.index(name))
        return True

    def step_page(self, step: int) -> None:
        """The next or previous page in the list, round from the last to the first."""
        self.show_page((max(0, self.navigator.currentRow()) + step) % len(PAGES))

    def _page_key(self, path: Path) -> str:
        try:
            name = str(path.resolve())
        except OSError:
            name = str(path)
        return "pages/" + sha256(name.encode()).hexdigest()[:20]

    def _page_for(self, path: Path) -> int:
        """The page a plan was last left on, or the first page for a plan never opened."""
        name = self.settings.value(self._page_key(path), FIRST_PAGE)
        return PAGES.index(name) if name in PAGES else PAGES.index(FIRST_PAGE)

    # --- the document -------------------------------------------------------------------

    def set_document(self, document: PlanDocument) -> None:
        """Show a plan. Until the window is ready only the current page is built."""
        old = self.document
        self.document = document
        while self.stack.count():
            widget = self.stack.widget(0)
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.pages = {}
        for _ in PAGES:
            self.stack.addWidget(QWidget())  # a stand-in until its page is needed
        current = self._page_for(document.path)
        self.navigator.blockSignals(True)
        self.navigator.setCurrentRow(current)
        self.navigator.blockSignals(False)
        for index in range(len(PAGES)) if self.ready else [current]:
            self._page_at(index)
        self.stack.setCurrentIndex(current)
        self.undo_view.setStack(document.undo_stack)
        document.changed.connect(self._update_title)
        document.saveFailed.connect(self._save_failed)
        document.reloaded.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._fill_edit_menu()
        self._update_title()
        self._remember(document.path)
        if old is not None and old is not document:
            old.close()
            old.deleteLater()
        self._say_how_it_opened(document)

    def _say_how_it_opened(self, document: PlanDocument) -> None:
        """Say a plan opened read-only, and why, in a banner that stays while it is shown;
        or whose stale lock was taken over."""
        name = document.path.name
        if document.read_only is not None:
            self.read_only_banner.setText(
                f"<b>{html.escape(name)} is open read-only</b>: "
                f"{html.escape(document.read_only)}. You can look at it; File › Save As "
                "makes a copy you can edit.")
            self.read_only_banner.setStyleSheet(READ_ONLY_STYLE)
            self.read_only_banner.show()
            self.statusBar().showMessage(f"Opened {name} read-only: {document.read_only}",
                                         15000)
            return
        self.read_only_banner.hide()
        if document.file.took_over is not None:
            self.statusBar().showMessage(
                f"{name} was left open by a program that stopped "
                f"({document.file.took_over.describe()}); it is open for editing here now",
                15000)

    def _page_at(self, index: int) -> Page:
        """The page at `index` in the navigator, built in place of its stand-in if need be."""
        assert self.document is not None
        name = PAGES[index]
        page = self.pages.get(name)
        if page is None:
            page = self.pages[name] = PAGE_MAKERS[name](self.document)
            page.refused.connect(self._refused)
            stand_in = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
            if self.charts_loaded:
                _make_canvases(page)
        return page

    def _show_row(self, index: int) -> None:
        if self.document is not None and 0 <= index < len(PAGES):
            self.stack.setCurrentWidget(self._page_at(index))
            self.settings.setValue(self._page_key(self.document.path), PAGES[index])

    def _update_title(self) -> None:
        """The file first, as desktop programs show it (two copies of a plan differ by it),
        then the plan's name; * while an edit is not saved, and whether it is read-only."""
        document = self.document
        assert document is not None
        read_only = document.read_only
        name = document.path.name
        self.setWindowFilePath(str(document.path))
        self.setWindowTitle(f"{name}[*]" + (" (read-only)" if read_only is not None else "")
                            + f" — {document.plan.name} — Alliance Planner")
        self.setWindowModified(document.unsaved)
        if read_only is not None:
            self.file_label.setText(f"Read-only: {name}")
            self.file_label.setToolTip(f"{document.path}: {read_only}. File › Save As "
                                       "makes a copy you can edit.")
        else:
            self.file_label.setText(f"NOT SAVED: {name}" if document.unsaved else
                                    f"Saved to {name}" if document.written else name)
            self.file_label.setToolTip(f"{document.path}: every edit is saved to it as you "
                                       "make it")

    def _refused(self, text: str) -> None:
        self.statusBar().showMessage(f"Not changed: {text}", 8000)

    def _save_failed(self, text: str) -> None:
        self._update_title()
        QtWidgets.QMessageBox.warning(self, "Could not save", text)

    def _remember(self, path: Path) -> None:
        recent = [p for p in self.recent_files() if Path(p) != path]
        recent.insert(0, str(path))
        self.settings.setValue("recent", recent[:MAX_RECENT])
        self.settings.setValue("last_plan", str(path))

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in value or []]

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for i, path in enumerate(self.recent_files()):
            action = self.recent_menu.addAction(f"&{i + 1} {Path(path).name}")
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(Path(p)))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none)").setEnabled(False)

    # --- opening and saving ---------------------------------------------------------------

    def open_path(self, path: Path) -> None:
        """Open a plan off the GUI thread; a file that cannot be opened gets a message, and
        one that cannot be edited here (read-only, or open in another window) opens
        read-only and says why."""
        current = self.document
        if current is not None and current.read_only is None and _same_path(current.path,
                                                                              path):
            self.statusBar().showMessage(f"{path.name} is open here already", 4000)
            return

        def work(cancelled):
            if cancelled():
                raise Cancelled()
            return PlanDocument.open_file(path)

        def done(opened) -> None:
            document = PlanDocument(*opened, parent=self)  # QObjects belong to this thread
            self.set_document(document)
            if document.read_only is None:
                self.statusBar().showMessage(f"Opened {path}", 4000)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, PlanFileError):
                QtWidgets.QMessageBox.critical(self, "Cannot open the plan", str(exc))
            else:
                raise exc

        run_in_background(self, f"Opening {path.name}…", work, done, failed,
                          on_cancelled=lambda: self._cancelled(f"Did not open {path}"),
                          discard=lambda opened: opened[0].close())

    def open_dialog(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open a plan", self._folder(),
                                                        FILE_FILTER)
        if path:
            self.open_path(Path(path))

    def _folder(self) -> str:
        return str(self.document.path.parent) if self.document else str(Path.home())

    def _ask_new_path(self, suggested: str) -> Path | None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Save the plan as", str(Path(self._folder()) / suggested), FILE_FILTER)
        if not path:
            return None
        chosen = Path(path)
        return chosen if chosen.suffix else chosen.with_suffix(SUFFIX)

    def save_as_dialog(self) -> None:
        assert self.document is not None
        path = self._ask_new_path(self.document.path.name)
        if path is not None:
            self.create_plan(self.document.plan, path)

    def export_board_pack(self, path: Path, version: str | None = None) -> None:
        """Write the board pack off the GUI thread, with progress and Cancel; once it is
        written, keep the plan that went into it as the version named `version`."""
        assert self.document is not None
        document, plan, results = self.document, self.document.plan, self.document.results

        def build(cancelled):
            from ..exchange.board_pack import build

            return build(plan, results, cancelled=cancelled, version=version or "")

        def keep() -> str:
            if version is None:
                return ""
            try:
                document.file.save_version(version, plan, f"exported to {path}")
            except PlanFileError as exc:
                QtWidgets.QMessageBox.critical(self, "Could not save the version", str(exc))
                return ""
            return f"; the plan is kept as the version '{version}'"

        self._write_workbook(path, build, "Board pack", keep)

    def export_summary(self, path: Path, version: str | None = None) -> None:
        """Write the one-page PDF summary off the GUI thread (its Monte Carlo run takes a
        moment), with Cancel; then keep the plan as the version it names, as for the pack."""
        assert self.document is not None
        document, plan = self.document, self.document.plan

        def work(cancelled):
            from ..exchange.report import write_report

            return write_report(plan, path, version=version or "", cancelled=cancelled)

        def done(written: Path) -> None:
            kept = ""
            if version is not None:
                try:
                    document.file.save_version(version, plan, f"summarised in {written}")
                    kept = f"; the plan is kept as the version '{version}'"
                except PlanFileError as exc:
                    QtWidgets.QMessageBox.critical(self, "Could not save the version", str(exc))
            self.statusBar().showMessage(f"Board summary written to {written}{kept}", 8000)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):
                QtWidgets.QMessageBox.critical(self, "Could not export",
                                               one_line(f"{path}: {exc.strerror or exc}"))
            else:
                raise exc

        run_in_background(self, f"Writing {path.name}…", work, done, failed,
                          on_cancelled=lambda: self._cancelled("Board summary not written"))

    def print_page(self, printer=None) -> None:
        """The page shown, on paper (or to ``printer`` as given, with no dialog)."""
        from . import printing

        assert self.document is not None
        page = self.stack.currentWidget()
        name = PAGES[self.stack.currentIndex()] if self.stack.currentIndex() >= 0 else ""
        if printer is None:
            printer = printing.new_printer()
            if not printing.ask(self, printer, f"Print the {name} page"):
                return
        try:
            printing.print_widget(page, printer, printing.header(self.document.plan, name))
        except OSError as exc:
            QtWidgets.QMessageBox.critical(self, "Could not print", one_line(str(exc)))
            return
        self.statusBar().showMessage(f"Printed the {name} page", 6000)

    def print_summary(self, printer=None) -> None:
        """The one-page board summary, drawn off the GUI thread, then printed."""
        from . import printing

        assert self.document is not None
        plan = self.document.plan
        if printer is None:
            printer = printing.new_printer()
            if not printing.ask(self, printer, "Print the board summary"):
                return

        def done(image) -> None:
            try:
                printing.print_image(image, printer)
            except OSError as exc:
                QtWidgets.QMessageBox.critical(self, "Could not print", one_line(str(exc)))
                return
            self.statusBar().showMessage("Printed the board summary", 6000)

        def failed(exc: BaseException) -> None:
            raise exc

        run_in_background(self, "Drawing the board summary…",
                          lambda cancelled: printing.summary_image(plan, "", cancelled),
                          done, failed,
                          on_cancelled=lambda: self._cancelled("Board summary not printed"))

    def summary_dialog(self) -> None:
        from .export import SummaryDialog

        assert self.document is not None
        dialog = SummaryDialog(self.document.path.with_name(
            self.document.path.stem + "-summary.pdf"), self.document.read_only, self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.export_summary(dialog.path(), dialog.version())

    def export_template(self, path: Path) -> None:
        """Write the data-collection template off the GUI thread, with progress and Cancel."""
        assert self.document is not None
        plan = self.document.plan

        def build(cancelled):
            from ..exchange.template import build

            return build(plan)

        self._write_workbook(path, build, "Template")

    def _write_workbook(self, path: Path, build, what: str,
                        then: Callable[[], str] = lambda: "") -> None:
        """A workbook built and written in the background: a failure is one message naming
        the file and why ("the disk is full"); Cancel stops it before the file is touched."""
        def work(cancelled):
            from ..exchange.cells import save_workbook

            workbook = build(cancelled)
            save_workbook(workbook, path, cancelled)
            return path

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):
                QtWidgets.QMessageBox.critical(self, "Could not export",
                                               one_line(f"{path}: {exc.strerror or exc}"))
            else:
                raise exc

        run_in_background(
            self, f"Writing {path.name}…", work,
            lambda p: self.statusBar().showMessage(f"{what} written to {p}{then()}", 8000),
            failed,
            on_cancelled=lambda: self._cancelled(f"{what} not written"))

    def _cancelled(self, text: str) -> None:
        self.statusBar().showMessage(f"Cancelled: {text}", 6000)

    def export_dialog(self) -> None:
        from .export import BoardPackDialog

        assert self.document is not None
        dialog = BoardPackDialog(self.document.path.with_suffix(".xlsx"),
                                 self.document.read_only, self)
        if dialog.exec() == QtWidgets.QDialog.DialogCode.Accepted:
            self.export_board_pack(dialog.path(), dialog.version())

    def template_dialog(self) -> None:
        assert self.document is not None
        path, _ = QtWidgets.QFileDialog.getSaveFileName(
            self, "Export the data-collection template",
            str(self.document.path.with_name(self.document.path.stem + "-template.xlsx")),
            "Excel workbooks (*.xlsx)")
        if path:
            self.export_template(Path(path).with_suffix(".xlsx"))

    def import_workbook(self, workbook: Path, target: Path) -> None:
        """Read a workbook into a new plan file, all or nothing, then open it. Cancel
        stops the reading; the plan file is written only once the whole workbook is read."""
        def work(cancelled):
            from ..exchange.inputs import read_workbook

            imported = read_workbook(workbook, cancelled=cancelled)
            if cancelled():
                raise Cancelled()
            write_new(target, imported.plan, overwrite=True)
            return imported.notes

        def done(notes: tuple[str, ...]) -> None:
            self.open_path(target)
            if notes:  # what an older workbook lacked, and the defaults it took
                box = QtWidgets.QMessageBox(
                    QtWidgets.QMessageBox.Icon.Information, "Imported, with defaults",
                    f"{workbook.name} was imported. {len(notes)} column(s) or setting(s) were "
                    "missing and took their defaults.", parent=self)
                box.setDetailedText("\n".join(one_line(n) for n in notes))
                box.open()

        def failed(exc: BaseException) -> None:
            from ..exchange.inputs import WorkbookProblems, WorkbookUnreadable

            if isinstance(exc, WorkbookProblems):
                box = QtWidgets.QMessageBox(
                    QtWidgets.QMessageBox.Icon.Warning, "Nothing was imported",
                    one_line(f"{workbook.name} has {exc.count:,} problem(s). Fix them in the "
                             "workbook and import it again."), parent=self)
                box.setDetailedText("\n".join(exc.lines(PROBLEMS_SHOWN)))
                box.exec()
            elif isinstance(exc, WorkbookUnreadable | PlanFileError):
                QtWidgets.QMessageBox.critical(self, "Nothing was imported", one_line(str(exc)))
            else:
                raise exc

        run_in_background(self, f"Reading {workbook.name}…", work, done, failed,
                          on_cancelled=lambda: self._cancelled(
                              f"nothing was imported from {workbook.name}"))

    def import_dialog(self) -> None:
        workbook, _ = QtWidgets.QFileDialog.getOpenFileName(
            self, "Import a workbook", self._folder(), "Excel workbooks (*.xlsx)")
        if not workbook:
            return
        target = self._ask_new_path(Path(workbook).stem + SUFFIX)
        if target is not None:
            self.import_workbook(Path(workbook), target)

    def versions_dialog(self) -> None:
        from .versions import VersionsDialog

        assert self.document is not None
        dialog = VersionsDialog(self.document, self.open_path, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def merge_dialog(self) -> None:
        from .returns import choose_returns

        choose_returns(self)

    def templates_per_force_dialog(self) -> None:
        from .returns import choose_template_folder

        choose_template_folder(self)

    def save_version_dialog(self) -> None:
        assert self.document is not None
        name, ok = QtWidgets.QInputDialog.getText(
            self, "Save a version", "Name of this version (for example, 'To the board, "
            "March'):")
        if ok and name.strip():
            try:
                self.document.file.save_version(name.strip(), self.document.plan)
            except PlanFileError as exc:
                QtWidgets.QMessageBox.critical(self, "Could not save the version", str(exc))
                return
            self.statusBar().showMessage(f"Saved version '{name.strip()}'", 4000)

    def create_plan(self, plan, path: Path) -> bool:
        current = self.document
        if current is not None and current.read_only is None and _same_path(current.path,
                                                                              path):
            self.statusBar().showMessage(f"{path.name} is the plan open here: every edit "
                                         "is saved to it already", 6000)
            return False
        try:
            write_new(path, plan, overwrite=True)
        except PlanFileError as exc:
            QtWidgets.QMessageBox.critical(self, "Could not create the plan", str(exc))
            return False
        self.open_path(path)
        return True

    def new_from_sample(self) -> None:
        labels = [f"{samples.describe(n)} ({n})" for n in samples.names()]
        choice, ok = QtWidgets.QInputDialog.getItem(self, "New plan from a sample",
                                                    "Start from the sample:", labels, 0, False)
        if not ok:
            return
        name = samples.names()[labels.index(choice)]
        path = self._ask_new_path(f"{name}{SUFFIX}")
        if path is not None:
            self.create_plan(samples.build(name), path)

    def new_alliance(self) -> None:
        from ..samples.blank import new_alliance
        from ..samples.common import england_and_wales
        from .new_alliance import NewAllianceDialog

        dialog = NewAllianceDialog(england_and_wales(), self)
        if dialog.exec() != QtWidgets.QDialog.DialogCode.Accepted:
            return
        codes = dialog.chosen()
        plan = new_alliance(codes, name=dialog.name.text().strip() or None)
        path = self._ask_new_path(f"{'-'.join(codes)[:60]}{SUFFIX}")
        if path is not None:
            self.create_plan(plan, path)

    # --- help -----------------------------------------------------------------------------

    def about(self) -> None:
        QtWidgets.QMessageBox.about(
            self, "About Alliance Planner",
            f"<h3>Alliance Planner {__version__}</h3>"
            "<p>Plan how a police alliance standardises its IT services, compare the options "
            "and appraise them by the HM Treasury Green Book method.</p>"
            "<p>Runs offline: it makes no network connection. Each plan is one file on this "
            "computer.</p>"
            "<p>Help › Method (F1) states the appraisal method: every formula, default and "
            "a worked example.</p>")

    def show_method(self) -> MethodDialog:
        """Help › Method (F1): one window on the method, beside the plan, not modal."""
        if self.method_dialog is None:
            from .method_dialog import MethodDialog

            self.method_dialog = MethodDialog(self)
        if self.method_dialog.isVisible():  # behind the window: bring it to the front
            self.method_dialog.raise_()
            self.method_dialog.activateWindow()
        else:
            self.method_dialog.show()
        return self.method_dialog

    # --- window events --------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow() \
                and self.document is not None:
            QTimer.singleShot(0, self.document.reload_if_changed_elsewhere)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        if self.document is not None:
            self.document.close()
        super().closeEvent(event)


def _same_path(one: Path, other: Path) -> bool:
    try:
        return one.resolve() == other.resolve()
    except OSError:
        return one == other
