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
def window(qtbot, tmp_path, sample_file):
    store = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    doc = PlanDocument.open(sample_file)
    win = MainWindow(doc, store)
    doc.setParent(win)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: getattr(win, "charts_loaded", False), timeout=20_000)
    return win
