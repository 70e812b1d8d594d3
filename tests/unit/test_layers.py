"""The layers keep to their lines: no Qt below the ui, no SQL outside the store."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[2] / "alliance_planner"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_qt_only_in_the_ui():
    for path in PACKAGE.rglob("*.py"):
        if "ui" in path.relative_to(PACKAGE).parts:
            continue
        assert not imported_modules(path) & {"PySide6", "shiboken6"}, path


def test_sqlite_only_in_the_store():
    for path in PACKAGE.rglob("*.py"):
        if path.relative_to(PACKAGE).parts[0] == "store":
            continue
        assert not imported_modules(path) & {"sqlite3", "sqlite_utils"}, path


def test_the_engine_runs_without_qt_or_matplotlib_loaded():
    code = ("import sys; from alliance_planner import samples; "
            "from alliance_planner.domain.engine import appraise; "
            "from alliance_planner.store.planfile import read_plan; "
            "appraise(samples.build('south-west-alliance')); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'matplotlib', 'openpyxl')))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
