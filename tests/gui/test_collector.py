"""The cycle collector runs in the GUI thread only, once work has gone to another thread."""

import gc

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from alliance_planner.ui import collector
from alliance_planner.ui.worker import run_in_background


def test_background_work_leaves_cycle_collection_to_the_gui_thread(window, qtbot):
    done = []
    run_in_background(window, "Working", lambda cancelled: 42, done.append, done.append)
    qtbot.waitUntil(lambda: done == [42])
    assert not gc.isenabled()
    found = QApplication.instance().findChildren(collector.GuiThreadCollector)
    assert len(found) == 1 and collector.install() is found[0]

    class Holder(QObject):
        pass

    collected = []
    holder = Holder()
    holder.me = holder  # a cycle through a Qt object, as a dialog with a slot makes
    holder.destroyed.connect(lambda: collected.append(True))
    del holder
    kept = [[] for _ in range(gc.get_threshold()[0] * 2)]  # enough to set a collection off
    assert not collected  # nothing collects it as it is made: the automatic collector is off
    qtbot.waitUntil(lambda: bool(collected), timeout=5000)  # the timer's, in this thread
    assert len(kept) > 0
