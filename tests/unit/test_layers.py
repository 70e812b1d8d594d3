"""The layers at run time. Which module may import which is import-linter's job: the
contracts are in pyproject.toml and scripts/test runs `lint-imports`. These tests check what
a static graph of imports cannot see: what is loaded when the program runs (imports made
with importlib, or inside functions that run), and, in scripts/test's run of the unit tests
without Qt, that every module outside the window imports and runs with no Qt at all."""

import importlib
import os
import pkgutil
import subprocess
import sys

import pytest

import alliance_planner

WITHOUT_QT = os.environ.get("ALLIANCE_PLANNER_TEST_WITHOUT_QT") == "1"
"""Set by scripts/test for the run in which tests/without_qt/sitecustomize.py refuses Qt."""


@pytest.mark.skipif(not WITHOUT_QT, reason="only in scripts/test's run without Qt")
@pytest.mark.parametrize("name", ["PySide6", "PySide6.QtCore", "shiboken6"])
def test_qt_cannot_be_imported_in_the_run_without_qt(name):
    with pytest.raises(ImportError):
        importlib.import_module(name)


def test_every_module_outside_the_window_imports():
    """Without Qt too, in the run without Qt: the command line opens the window only
    from inside a function."""
    names = [m.name for m in pkgutil.walk_packages(alliance_planner.__path__,
                                                   alliance_planner.__name__ + ".")
             if not m.name.startswith("alliance_planner.ui")
             and not m.name.endswith(".__main__")]
    assert "alliance_planner.cli" in names
    for name in names:
        importlib.import_module(name)


def test_the_engine_runs_without_qt_or_matplotlib_loaded():
    code = ("import sys; from alliance_planner import samples; "
            "from alliance_planner.domain.engine import appraise; "
            "from alliance_planner.store.planfile import read_plan; "
            "appraise(samples.build('south-west-alliance')); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'shiboken6', 'matplotlib', 'openpyxl')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
