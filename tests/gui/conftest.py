from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from alliance_planner import samples
from alliance_planner.store.planfile import write_new
from alliance_planner.ui.document import PlanDocument
from alliance_planner.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Tests never read or write the user's real settings or data folders."""
    QStandardPaths.setTestModeEnabled(True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                      str(tmp_path / "config"))


@pytest.fixture
def sample_file(tmp_path):
    path = tmp_path / "sw.alliance"
    write_new(path, samples.build("south-west-alliance"))
    return path


@pytest.fixture
def document(qapp, sample_file):
    doc = PlanDocument.open(sample_file)
    yield doc
    doc.close()


@pytest.fixture
def open_window(qtbot, tmp_path):
    """A function that shows the main window on a plan (a Plan, written to a new file, or
    the path of one) and waits until it is ready, or with ``charts=True`` until its charts
    have loaded too."""

    def open_(plan, charts=True):
        if not isinstance(plan, Path):
            path = tmp_path / "plan.alliance"
            write_new(path, plan)
            plan = path
        document = PlanDocument.open(plan)
        win = MainWindow(document, QSettings(str(tmp_path / "settings.ini"),
                                             QSettings.Format.IniFormat))
        document.setParent(win)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        if charts:
            qtbot.waitUntil(lambda: win.charts_loaded, timeout=20_000)
        else:
            qtbot.waitUntil(lambda: win.ready, timeout=10_000)
        return win

    return open_


@pytest.fixture
def window(open_window, sample_file):
    return open_window(sample_file)
