"""The first-use guide: on a new alliance, numbered next steps on the Overview, each with a
button that goes to its page, until the plan has an estate and an option to compare.

A new plan opens with its forces, the service catalogue and business as usual, and nothing
to appraise; without the guide its pages give no hint of what to do first.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QWidget

from ..domain.model import Plan


@dataclass(frozen=True)
class Step:
    """A step of the first-use guide: the page it goes to and what it says."""

    page: str
    text: str
    button: str
    add: bool
    """The button adds a row on its page, as Edit › Add Row does, rather than only going."""


STEPS = (
    Step("Forces", "Check the alliance's forces: Add offers the 43 forces of England and "
         "Wales with their public figures.", "Add a Force…", True),
    Step("Services", "Check the catalogue of services the alliance could standardise.",
         "Open Services", False),
    Step("Today's estate", "Enter what each force runs today for each service: supplier, "
         "running cost, support staff and contract end.", "Add to Today's Estate", True),
    Step("Options", "Add the options beside business as usual: a do-minimum, the preferred "
         "way and at least one other; then say what each does with each service.",
         "Add an Option", True),
    Step("Compare", "Compare the options; this page then recommends one and says what needs "
         "attention.", "Open Compare", False),
)


STYLE = ("#first-use { background: #eef4fb; border: 1px solid #9bb8d8; }"
         " #first-use QLabel { color: #10263d; }")
"""The guide's look, given it when it is first shown: most plans never show it, and a style
sheet costs milliseconds to parse and apply."""


def done(plan: Plan) -> tuple[bool, ...]:
    """Which of the steps the plan has done, in the order of STEPS."""
    options = any(not o.is_baseline for o in plan.options)
    estate = bool(plan.estate)
    return (bool(plan.forces), bool(plan.services), estate, options, estate and options)


def needed(plan: Plan) -> bool:
    """A plan needs the guide until it has an estate and an option to compare."""
    return not all(done(plan))


class FirstUseGuide(QFrame):
    """The steps, each ticked once done, each with a button to its page."""

    go = Signal(str, bool)
    """(page, add): show the page, and add a row on it if `add`."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("first-use")
        self.setAccessibleName("First steps for a new plan")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        title = QLabel("<b>Start here.</b> This plan has nothing to appraise yet; the steps "
                       "below build it. This guide goes once the plan has an estate and an "
                       "option to compare.")
        title.setWordWrap(True)
        grid.addWidget(title, 0, 0, 1, 3)
        self.marks: list[QLabel] = []
        self.buttons: list[QPushButton] = []
        for i, step in enumerate(STEPS, 1):
            mark = QLabel()
            text = QLabel(f"<b>{i}. {step.page}.</b> {step.text}")
            text.setWordWrap(True)
            button = QPushButton(step.button)
            button.setAccessibleName(f"Step {i}: {step.button.rstrip('…')}")
            button.setToolTip(f"Go to the {step.page} page")
            button.clicked.connect(lambda _=False, s=step: self.go.emit(s.page, s.add))
            grid.addWidget(mark, i, 0)
            grid.addWidget(text, i, 1)
            grid.addWidget(button, i, 2)
            self.marks.append(mark)
            self.buttons.append(button)
        grid.setColumnStretch(1, 1)

    def follow(self, plan: Plan) -> None:
        """Shown while the plan needs it, each step ticked (and said so) once done."""
        for mark, button, finished in zip(self.marks, self.buttons, done(plan), strict=True):
            mark.setText("✓" if finished else "○")
            mark.setAccessibleName("done" if finished else "to do")
            button.setDefault(False)
        first = next((i for i, d in enumerate(done(plan)) if not d), None)
        if first is not None:
            self.buttons[first].setDefault(True)  # the next thing to do
        if needed(plan) and not self.styleSheet():
            self.setStyleSheet(STYLE)
        self.setVisible(needed(plan))
