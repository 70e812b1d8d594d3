"""Help › Method (F1): the method the program ships, read inside the window."""

from pathlib import Path

from PySide6.QtCore import Qt

from alliance_planner import paths

METHOD = Path(__file__).parents[2] / "docs" / "method.md"


def open_with_f1(window, qtbot):
    qtbot.waitUntil(lambda: window.ready, timeout=10_000)  # the Help menu is filled then
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.method_dialog is not None
                    and window.method_dialog.isVisible(), timeout=5_000)
    return window.method_dialog


def test_f1_opens_the_method_with_its_text(window, qtbot):
    dialog = open_with_f1(window, qtbot)
    text = dialog.text()
    assert text.startswith("The appraisal method")
    for heading in ("Years and discounting", "Price base", "Optimism bias"):
        assert heading in text
    assert "<sub>" not in text  # the method's HTML subscripts are drawn, not shown as tags
    assert "DF0 = 1" in text
    # room for the method's tables, on the screen it is shown on
    assert dialog.width() >= 600 and dialog.height() >= 450
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()
    assert not dialog.isModal()  # read beside the figures


def test_f1_again_brings_back_the_same_window(window, qtbot):
    first = open_with_f1(window, qtbot)
    first.close()
    assert open_with_f1(window, qtbot) is first


def test_find_in_the_method(window, qtbot):
    dialog = open_with_f1(window, qtbot)
    qtbot.keyClicks(dialog.find, "switching value")
    assert dialog.browser.textCursor().selectedText().lower() == "switching value"
    first = dialog.browser.textCursor().position()
    qtbot.keyClick(dialog.find, Qt.Key.Key_Return)
    assert dialog.browser.textCursor().position() > first  # the next one down
    assert dialog.found.text() == ""
    dialog.find.clear()
    qtbot.keyClicks(dialog.find, "no such words in the method")
    assert dialog.found.text() == "Not found"


def test_the_window_reads_the_method_through_the_one_helper(window, qtbot, monkeypatch,
                                                            tmp_path):
    shipped = tmp_path / "method.md"
    shipped.write_text("# The appraisal method\n\nShipped copy.\n", encoding="utf-8")
    monkeypatch.setattr(paths, "method", lambda: shipped)
    assert "Shipped copy." in open_with_f1(window, qtbot).text()


def test_the_checkout_reads_docs_method_md():
    assert paths.method().resolve() == METHOD.resolve()
