"""Run-time hook of the frozen program (Linux): where Qt's plugins are, as PyInstaller's own
PySide6 hook says, but without importing Qt as the program starts. That hook imports QtCore
to embed a qt.conf, which PySide6's wheels need not have, and so loaded Qt before NumPy for
every command; the window's start and the commands that never show a window paid for it."""

import os
import sys

os.environ["QT_PLUGIN_PATH"] = os.path.join(sys._MEIPASS, "PySide6", "Qt", "plugins")
