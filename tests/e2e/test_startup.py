"""What a start loads: heavy libraries wait until they are needed (timings are in bench/)."""

import os
import subprocess
import sys

import pytest

from alliance_planner import compiled_methods

pytestmark = pytest.mark.slow

HEAVY = "{'PySide6', 'shiboken6', 'matplotlib', 'openpyxl'}"


def python(code, *args, env=None):
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True,
                          text=True, timeout=120, env=env)


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "sw.alliance"
    subprocess.run([sys.executable, "-m", "alliance_planner", "new", "-o", path], check=True,
                   capture_output=True, timeout=120)
    return path


@pytest.mark.parametrize(("name", "options", "exit_code"), [
    ("sw.alliance", ["--json"], 0), ("sw.alliance", [], 0), ("missing.alliance", ["--json"], 1)])
def test_summary_and_its_errors_load_neither_qt_nor_charts_nor_excel(plan, name, options,
                                                                     exit_code):
    code = ("import sys\nfrom alliance_planner.cli import main\ncode = main(sys.argv[1:])\n"
            f"print(code, sorted({{m.split('.')[0] for m in sys.modules}} & {HEAVY}))")
    result = python(code, "summary", plan.with_name(name), *options)
    assert result.stdout.strip().splitlines()[-1] == f"{exit_code} []", result.stderr


def test_the_window_is_painted_before_matplotlib_openpyxl_or_the_qt_namespace_load(plan, tmp_path):
    code = (
        "import sys\n"
        "from alliance_planner.ui import main_window\n"
        "painted = main_window.MainWindow.first_painted\n"
        "def first_painted(self):\n"
        "    loaded = {m.split('.')[0] for m in sys.modules}\n"
        "    print('painted with', sorted(loaded & {'matplotlib', 'openpyxl'}), flush=True)\n"
        "    from PySide6 import QtCore\n"  # its Qt namespace is built on first use, 25 ms
        "    print('Qt namespace built:', 'Qt' in vars(QtCore), flush=True)\n"
        "    painted(self)\n"
        "    table = self.pages['Overview'].ranked_table\n"
        "    print('sortable once painted:', table.isSortingEnabled(),\n"
        "          table.horizontalHeader().sortIndicatorSection(), flush=True)\n"
        "main_window.MainWindow.first_painted = first_painted\n"
        "from alliance_planner.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    env = dict(os.environ, HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), QT_QPA_PLATFORM="offscreen")
    result = python(code, plan, "--exit-when-ready", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "painted with []"
    assert lines[1] == "Qt namespace built: False"
    # bench/window.py reads these moments on the system-wide monotonic clock
    assert lines[2].startswith("ready in ") and " at monotonic " in lines[2]
    assert lines[3] == "sortable once painted: True -1"  # the model's order until asked
    assert lines[4].startswith("charts in ") and " at monotonic " in lines[4]


def test_a_second_start_makes_its_record_classes_from_the_code_the_first_one_kept(plan,
                                                                                  tmp_path):
    code = ("import sys\nfrom alliance_planner import compiled_methods\n"
            "from alliance_planner.cli import main\ncode = main(sys.argv[1:])\n"
            "memo = compiled_methods.install()\n"
            "print(code, memo.added, len(memo.used), file=sys.stderr)\n")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    kept = tmp_path / "cache" / "alliance-planner" / compiled_methods.cache_path().name
    first = python(code, "summary", plan, "--json", env=env)
    assert first.returncode == 0, first.stderr
    status, added, used = map(int, first.stderr.split()[-3:])
    assert status == 0 and added == used > 100 and kept.is_file()
    written = kept.stat().st_mtime_ns
    second = python(code, "summary", plan, "--json", env=env)
    assert second.stdout == first.stdout
    assert second.stderr.split()[-3:] == ["0", "0", str(used)]  # nothing compiled
    assert kept.stat().st_mtime_ns == written  # nor written again
