"""No way out: the whole flow (new, summary, template, import, export, then the window
opened offscreen and driven once: an edit, a board pack, an import) makes no socket.

Every process runs with tests/no_network/sitecustomize.py, which records and refuses any
socket made from Python and watches the process's open files for sockets made by native
code; where strace is installed, every process also runs under it, which sees every
socket() and connect() the kernel is asked for. The test fails if anything was recorded
but a local (AF_UNIX) socket, which a display would use, and checks that the watcher was
armed in every process, so that a silent watcher cannot pass it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import plan_faults
import pytest

pytestmark = pytest.mark.slow
HERE = Path(__file__).resolve().parent.parent

DRIVE_THE_WINDOW = r"""
import sys
import time
from pathlib import Path

# What the window will use, imported before Qt: once PySide6 is loaded it reads the source of
# every module imported after it, which takes many seconds for matplotlib and openpyxl.
import matplotlib.figure
import openpyxl
from alliance_planner.domain import engine
from alliance_planner.exchange import board_pack, inputs

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from alliance_planner.ui.document import PlanDocument
from alliance_planner.ui.main_window import MainWindow

plan, folder = Path(sys.argv[1]), Path(sys.argv[2])
app = QApplication.instance() or QApplication([])
QMessageBox.critical = lambda *a, **k: sys.exit(f"message box: {a[1:]}")
window = MainWindow(PlanDocument.open(plan), QSettings(str(folder / "s.ini"),
                                                     QSettings.Format.IniFormat))
window.show()


def wait(condition, what, seconds=60):
    # Sleeping lets the worker threads run: QTest.qWait would keep the interpreter's lock.
    for _ in range(seconds * 25):
        if condition():
            return
        time.sleep(0.04)
        app.processEvents()
    sys.exit(f"timed out waiting for {what}")


wait(lambda: window.charts_loaded, "the charts")
page = window.pages["Today's estate"]
model = page.model
column = next(c for c, col in enumerate(model.columns) if col.header == "Running cost a year")
assert model.setData(model.index(0, column), "123456")
wait(lambda: not window.document.unsaved, "the edit to be saved")
window.export_board_pack(folder / "window.xlsx")
wait(lambda: (folder / "window.xlsx").exists() and not window._background_jobs, "the export")
window.import_workbook(folder / "window.xlsx", folder / "from-window.alliance")
wait(lambda: window.document.path == folder / "from-window.alliance", "the import")
window.close()
print("driven")
"""


def test_the_whole_flow_opens_no_socket(tmp_path):
    log = tmp_path / "sockets.log"
    env = {**plan_faults.child_env(), "QT_QPA_PLATFORM": "offscreen",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "ALLIANCE_PLANNER_SOCKET_LOG": str(log)}
    env["PYTHONPATH"] = os.pathsep.join([str(HERE / "no_network"), env["PYTHONPATH"]])
    strace = shutil.which("strace")
    traces: list[Path] = []

    def run(*args: object) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, *map(str, args)]
        if strace:
            traces.append(tmp_path / f"strace-{len(traces)}.log")
            command = [strace, "-f", "-qq", "--seccomp-bpf", "-e", "trace=socket,connect",
                       "-o", str(traces[-1]), *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=300,
                                env=env, cwd=tmp_path)
        assert result.returncode == 0, result
        return result

    program = ("-m", "alliance_planner")
    plan = tmp_path / "sw.alliance"
    run(*program, "new", "--sample", "south-west-alliance", "-o", plan)
    run(*program, "summary", plan)
    run(*program, "template", "--plan", plan, "-o", tmp_path / "template.xlsx")
    run(*program, "import", tmp_path / "template.xlsx", "-o", tmp_path / "imported.alliance")
    run(*program, "export", tmp_path / "imported.alliance", "-o", tmp_path / "board.xlsx")
    assert run("-c", DRIVE_THE_WINDOW, plan, tmp_path).stdout.strip() == "driven"

    lines = log.read_text(encoding="utf-8").splitlines()
    armed = [line for line in lines if " armed " in line]
    assert len(armed) >= 6, lines  # the watcher ran in every process
    made = [line for line in lines if " armed " not in line]
    # A native socket closed before the watcher could ask its family is left to strace,
    # which saw its socket() call; without strace it fails the test, as anything unknown.
    known = ("family=unix", "family=gone") if strace else ("family=unix",)
    assert [line for line in made if not any(k in line for k in known)] == []
    if strace:
        calls = [line for trace in traces for line in trace.read_text().splitlines()]
        network = [line for line in calls
                   if re.search(r"\b(socket|connect)\(", line) and "AF_UNIX" not in line
                   and "AF_LOCAL" not in line]
        assert network == []
