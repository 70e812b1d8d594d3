"""The Risk page's tables: switching values, and the Monte Carlo percentiles of each option
and of each force's share. Read-only views of what the domain computed, written as the
command line writes them (money in £m, chances in whole per cent)."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from ..domain.model import Plan
from ..domain.sensitivity import Sensitivity, Switch
from ..domain.summary import money
from .models import RAW_ROLE

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def chance(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


class _ReadOnlyTable(QAbstractTableModel):
    """Rows of raw values under a header; `text` says how a cell reads."""

    HEADERS: tuple[str, ...] = ()
    TIPS: tuple[str, ...] = ()
    FIGURES = 1
    """The first column of figures, set to the right."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[Any, ...]] = []

    def _reset(self, rows: list[tuple[Any, ...]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section < len(self.TIPS):
            return self.TIPS[section] or None
        return None

    def text(self, row: int, column: int) -> str:
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role == RAW_ROLE:
            return value
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= self.FIGURES:
            return _RIGHT
        return None


class SwitchingModel(_ReadOnlyTable):
    """The preferred option's switching values, nearest first."""

    HEADERS = ("Input", "Test", "Today", "Switching value", "Change")
    FIGURES = 2
    TIPS = ("", "Level with the next best option by NPSV (named above), or the preferred "
            "option's NPSV at zero", "The value the plan holds",
            "The value at which the test is met", "How far the input must move from today's value")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.switches: tuple[Switch, ...] = ()

    def set_sensitivity(self, plan: Plan, s: Sensitivity) -> None:
        self.switches = s.switching
        self._reset([(w.label, "level with the next best" if w.against else "NPSV at zero",
                      w.current, w.value, w.change) for w in s.switching])

    def text(self, row: int, column: int) -> str:
        w = self.switches[row]
        if column < 2:
            return str(self.rows[row][column])
        if column == 2:
            return w.describe(w.current)
        if w.value is None:
            low, high = w.limits
            return f"none from {w.describe(low)} to {w.describe(high)}" if column == 3 else "–"
        if column == 3:
            return w.describe(w.value)
        return "–" if w.change is None or math.isinf(w.change) else f"{w.change:+.0%}"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        w = self.switches[index.row()]
        if role == Qt.ItemDataRole.ForegroundRole and w.value is None:
            return QColor(Qt.GlobalColor.gray)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{w.label}, {self.rows[index.row()][1]}: {w.text}"
        return super().data(index, role)


PERCENTILE_HEADERS = ("NPV P10", "NPV P50", "NPV P90", "NPSV P10", "NPSV P50", "NPSV P90")


class PercentilesModel(_ReadOnlyTable):
    """Per option but the baseline: P10, P50 and P90 of NPV and NPSV, and the chances."""

    HEADERS = ("Option", *PERCENTILE_HEADERS, "P(NPV > 0)", "P(target met)",
               "P(preferred beats it)")
    TIPS = ("The preferred option is in bold", "NPV is at most this in 10% of draws",
            "The median NPV",
            "NPV is at most this in 90% of draws", "NPSV is at most this in 10% of draws",
            "The median NPSV", "NPSV is at most this in 90% of draws",
            "The share of draws with a positive NPV",
            "The share of draws meeting the plan's savings target in time (– with no target)",
            "The share of draws in which the preferred option's NPSV beats this option's")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.preferred_row: int | None = None

    def set_results(self, doc: dict[str, Any] | None) -> None:
        rows, self.preferred_row = [], None
        for o in (doc or {}).get("options", []):
            if o["is_baseline"]:
                continue
            if o["is_preferred"]:
                self.preferred_row = len(rows)
            rows.append((o["name"],
                         *(o[k][p] for k in ("npv", "npsv") for p in ("p10", "p50", "p90")),
                         o["p_npv_positive"], o["p_savings_target_met"],
                         o["p_preferred_beats"]))
        self._reset(rows)

    def text(self, row: int, column: int) -> str:
        value = self.rows[row][column]
        return str(value) if column == 0 else money(value) if column <= 6 else chance(value)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.row() == self.preferred_row:
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.AccessibleTextRole and index.column() == 0:
                return f"{self.rows[index.row()][0]} (preferred)"
        return super().data(index, role)


class ForcePercentilesModel(_ReadOnlyTable):
    """Each force's share of one option: P10, P50 and P90 of its NPV and NPSV."""

    HEADERS = ("Force", *PERCENTILE_HEADERS)

    def set_option(self, plan: Plan | None, doc: dict[str, Any] | None, code: str) -> None:
        found = next((o for o in (doc or {}).get("options", []) if o["code"] == code), None)
        names = {f.code: f.name for f in plan.forces} if plan is not None else {}
        rows = []
        for force, figures in (found or {}).get("forces", {}).items():
            rows.append((names.get(force, force),
                         *(figures[k][p] for k in ("npv", "npsv") for p in ("p10", "p50", "p90"))))
        self._reset(rows)

    def text(self, row: int, column: int) -> str:
        value = self.rows[row][column]
        return str(value) if column == 0 else money(value)
