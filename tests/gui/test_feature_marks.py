"""PySide is told up front which modules select no __feature__, so it reads no source."""

from PySide6.support import feature

import alliance_planner
from alliance_planner import ui


def test_every_module_of_the_program_and_those_loaded_before_qt_are_marked():
    marks = feature.pyside_feature_dict
    for name in ("typing", "pathlib", "numpy", "alliance_planner.domain.engine",
                 "alliance_planner.ui.overview", "alliance_planner.exchange.board_pack",
                 "alliance_planner.samples.national"):
        assert name in marks, name
    listed = set(ui._program_modules("alliance_planner", list(alliance_planner.__path__)))
    assert {"alliance_planner.cli", "alliance_planner.ui.main_window",
            "alliance_planner.domain.validation", "alliance_planner.store.planfile"} <= listed


def test_qt_names_are_as_pyside_gives_them(qtbot):
    from PySide6.QtWidgets import QLabel

    label = QLabel("x")
    qtbot.addWidget(label)
    assert label.text() == "x" and not hasattr(label, "set_text")  # no snake_case switched on
