"""File › New Alliance from Forces: pick the forces of a new alliance. Loaded when asked
for, not with the window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)


class NewAllianceDialog(QDialog):
    """Pick the forces of a new alliance from the 43 of England and Wales."""

    def __init__(self, forces, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("New alliance")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick the forces in the alliance:"))
        self.list = QListWidget()
        self.list.setAccessibleName("Forces of England and Wales")
        for force in forces:
            item = QListWidgetItem(force.name)
            item.setData(Qt.ItemDataRole.UserRole, force.code)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        layout.addWidget(self.list, 1)
        layout.addWidget(QLabel("Plan name:"))
        self.name = QLineEdit()
        self.name.setAccessibleName("Plan name")
        layout.addWidget(self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(380, 560)

    def chosen(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def _accept(self) -> None:
        if not self.chosen():
            QMessageBox.information(self, "New alliance", "Tick at least one force.")
            return
        self.accept()
