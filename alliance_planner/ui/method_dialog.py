"""Help › Method (F1): the appraisal method, every formula and the worked example, read
inside the program from the copy it ships, so that a board's question about a figure can
be answered where the figure is."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from .. import paths

TITLE = "The appraisal method"


class MethodDialog(QDialog):
    """The method as Markdown in a scrollable browser, with a find box (Enter finds the
    next match, Shift+Enter the one before; Ctrl+F comes back to the box)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setObjectName("method-dialog")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(TITLE)
        self.browser.setOpenLinks(False)  # nothing leaves the program; in-page links scroll
        self.browser.anchorClicked.connect(self._follow)
        try:
            self.browser.setMarkdown(paths.method().read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            self.browser.setPlainText(f"The method could not be read: {exc}")

        self.find = QLineEdit()
        self.find.setPlaceholderText("Find in the method")
        self.find.setAccessibleName("Find in the method")
        self.find.setClearButtonEnabled(True)
        self.find.returnPressed.connect(lambda: self.find_next())
        self.find.textEdited.connect(self._restart)
        self.found = QLabel()
        self.found.setAccessibleName("Find result")
        QShortcut(QKeySequence.StandardKey.Find, self, self.find.setFocus)
        QShortcut(QKeySequence("Shift+Return"), self.find, lambda: self.find_next(back=True))
        QShortcut(QKeySequence.StandardKey.FindNext, self, lambda: self.find_next())
        QShortcut(QKeySequence.StandardKey.FindPrevious, self,
                  lambda: self.find_next(back=True))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.find, 1)
        row.addWidget(self.found)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self._size_to(parent)

    def _size_to(self, parent: QWidget | None) -> None:
        """Wide enough for the method's tables, tall enough to read: most of the screen
        the program is on, up to 1000 × 800."""
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.setMinimumSize(480, 360)  # set here, the layout leaves it be once shown
        self.resize(min(1000, int(screen.width() * 0.8)), min(800, int(screen.height() * 0.85)))

    def text(self) -> str:
        return self.browser.toPlainText()

    def find_next(self, *, back: bool = False) -> bool:
        """Select the next match of the find box's words (wrapping round); say if none."""
        words = self.find.text()
        if not words:
            self.found.clear()
            return False
        flags = QTextDocument.FindFlag.FindBackward if back else QTextDocument.FindFlag(0)
        if self.browser.find(words, flags):
            self.found.clear()
            return True
        cursor = self.browser.textCursor()  # from the other end, once
        cursor.movePosition(cursor.MoveOperation.End if back else cursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        hit = self.browser.find(words, flags)
        self.found.setText("" if hit else "Not found")
        return hit

    def _restart(self, words: str) -> None:
        """As the words are typed, the first match from the top."""
        cursor = self.browser.textCursor()
        cursor.movePosition(cursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        self.find_next()

    def _follow(self, url: QUrl) -> None:
        if url.hasFragment() and not url.path():
            self.browser.scrollToAnchor(url.fragment())
        else:
            self.found.setText(f"Not opened here: {url.toString()}")
