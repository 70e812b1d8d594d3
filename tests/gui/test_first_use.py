"""The first-use guide on a new alliance: next steps that go to their pages, gone once the
plan has an estate and an option to compare."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from alliance_planner.samples.blank import new_alliance

# a dialog opened on the offscreen platform
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def new_window(open_window):
    return open_window(new_alliance(["dorset", "wiltshire"]), charts=False)


def marks(guide):
    return [m.text() for m in guide.marks]


def test_a_new_alliance_opens_on_its_next_steps(new_window, qtbot):
    window = new_window
    overview = window.pages["Overview"]
    guide = overview.guide
    assert window.stack.currentWidget() is overview and guide.isVisible()
    assert marks(guide) == ["✓", "✓", "○", "○", "○"]  # forces and services come with it
    assert guide.buttons[2].isDefault()  # the next thing to do: today's estate

    qtbot.mouseClick(guide.buttons[2], Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.pages["Today's estate"]
    assert len(window.document.plan.estate) == 1  # a row to fill in

    window.show_page_named("Overview")
    assert guide.isVisible() and marks(guide)[:4] == ["✓", "✓", "✓", "○"]
    qtbot.mouseClick(guide.buttons[3], Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.pages["Options"]
    assert len(window.document.plan.options) == 2

    window.show_page_named("Overview")
    assert not guide.isVisible()  # the plan has an estate and an option to compare
    window.document.undo_stack.undo()
    assert guide.isVisible() and marks(guide)[3] == "○"


def test_the_first_step_offers_the_43_forces(new_window, qtbot):
    window = new_window
    guide = window.pages["Overview"].guide
    qtbot.mouseClick(guide.buttons[0], Qt.MouseButton.LeftButton)
    forces = window.pages["Forces"]
    assert window.stack.currentWidget() is forces
    dialog = forces.dialog
    assert isinstance(dialog, QDialog) and dialog.isVisible()
    dialog.reject()


def test_a_plan_with_content_shows_no_guide(window):
    assert window.stack.currentWidget() is window.pages["Overview"]
    assert not window.pages["Overview"].guide.isVisible()
