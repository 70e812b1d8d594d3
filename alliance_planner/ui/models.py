"""Table models: thin adapters between the plan's records and Qt's views.

Each edit goes: typed text -> Column.parse -> a new plan (domain.edits) -> the document,
which validates, saves and pushes it on the undo stack. A refused edit leaves the plan as
it was and emits ``refused`` with the reason, naming the field.
"""

from __future__ import annotations

import dataclasses
import math
import textwrap
import types
from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from .. import formats
from ..domain import edits, schema, wording
from ..domain.green_book import OBCategory, ob_rate
from ..domain.headlines import HEADLINES
from ..domain.model import Decision, Plan, SiteAction, financial_year_label
from ..domain.schema import NUMERIC, Column, Kind
from ..formats import ParseError
from .document import EditRefused, PlanDocument
from .tables import CLIP_ROLE, RAW_ROLE

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


HISTORY_VALUE = 40
"""A value in a History entry is shortened to this many characters."""


def field_name(header: str) -> str:
    """A column's header within a sentence: 'go-live', 'support FTE', but 'NPV'."""
    if len(header) > 1 and header[0].isupper() and header[1].islower():
        return header[0].lower() + header[1:]
    return header


def clip_text(column: Column, value: Any) -> str:
    if value is None:
        return ""
    text = column.edit_text(value)
    return f"{text}%" if column.kind is Kind.PERCENT else text


class _EditableModel(QAbstractTableModel):
    refused = Signal(str)

    def __init__(self, document: PlanDocument, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.document = document
        self.columns = tuple(columns)
        self._rows = self._count()
        document.changed.connect(self._on_changed)

    # subclasses say how many rows there are, what a cell holds and how to change it
    def _count(self) -> int:
        raise NotImplementedError

    def value(self, row: int, column: Column) -> Any:
        raise NotImplementedError

    def _changed_plan(self, plan: Plan, row: int, column: Column, value: Any) -> Plan:
        """`plan` with one cell changed (a paste changes several, one after another)."""
        raise NotImplementedError

    def row_label(self, row: int) -> str:
        return str(row + 1)

    def cell_column(self, row: int, column: int) -> Column:
        """The field a cell edits: its column's, or (a form of settings) its row's."""
        return self.columns[column]

    def place(self, row: int, column: Column) -> str:
        """Where a cell is, as the user sees it, for messages: page › record › column."""
        return wording.SEPARATOR.join((self.row_label(row), column.header))

    def display(self, column: Column, value: Any) -> str:
        """A cell as shown: a code that names another record has its name beside it."""
        if column.refers_to is not None and column.kind is Kind.CHOICE and value:
            name = self._names(column.refers_to).get(value)
            if name and name != value:
                return f"{value} — {name}"
        return column.display(value)

    def _names(self, collection: str) -> dict[str, str]:
        plan = self.document.plan
        if getattr(self, "_names_of", None) is not plan:
            self._names_of, self._names_cache = plan, {}
        names = self._names_cache.get(collection)
        if names is None:
            spec = schema.COLLECTIONS[collection]
            names = self._names_cache[collection] = {
                getattr(r, spec.key[0]): str(getattr(r, "name", None)
                                             or getattr(r, "title", None) or "")
                for r in getattr(plan, collection)}
        return names

    def _on_changed(self) -> None:
        count = self._count()
        if count != self._rows:
            self.beginResetModel()
            self._rows = count
            self.endResetModel()
        elif count:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(count - 1, self.columnCount() - 1))

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            column = self.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.header
            if role == Qt.ItemDataRole.ToolTipRole and column.tip:
                return column.tip
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return self.vertical_label(section)
        return None

    def vertical_label(self, row: int) -> str:
        return self.row_label(row)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        value = self.value(index.row(), column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.display(column, value)
        if role == Qt.ItemDataRole.EditRole:
            return column.edit_text(value)
        if role == RAW_ROLE:
            return value
        if role == CLIP_ROLE:
            return clip_text(column, value)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.kind in NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.kind is Kind.CODES and column.refers_to is not None and value is not None:
                names = self._names(column.refers_to)
                return ", ".join(names.get(c) or c for c in value) or "Every force"
            return column.tip or None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.columns[index.column()].editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        row = index.row()
        column = self.cell_column(row, index.column())
        try:
            parsed = column.parse(value, self.document.plan)
        except ParseError as exc:
            self.refused.emit(f"{self.place(row, column)}: {exc}")
            return False
        if parsed == self.value(row, column):
            return True
        return self.commit(self._changed_plan(self.document.plan, row, column, parsed),
                           self._set_text(row, column, self.value(row, column), parsed))

    def subject(self, row: int) -> str:
        """Whose value an edit changes, as History names it: "Force 'Dorset'"."""
        return self.row_label(row)

    def table_title(self) -> str:
        """The table, as History names it for a paste over many rows."""
        return self.subject(0)

    def _set_text(self, row: int, column: Column, before: Any, after: Any) -> str:
        """An edit as History lists it: whose, which field, and its old and new values:
        "Option 'Single managed service': Service desk go-live 2028/29 → 2029/30"."""
        return (f"{self.subject(row)}: {field_name(column.header)} "
                f"{self.shown(column, before)} → {self.shown(column, after)}")

    def shown(self, column: Column, value: Any) -> str:
        """A value as History says it: as the table shows it, shortened; "blank" if none."""
        text = self.display(column, value) if value is not None else ""
        return textwrap.shorten(text, HISTORY_VALUE, placeholder="…") if text.strip() \
            else "blank"

    def paste(self, cells: Sequence[tuple[int, int, str]]) -> bool:
        """Text into many cells (row, column, text) as one undoable edit, all or nothing: a
        cell that cannot be read, or a plan the cells together make invalid, changes none."""
        plan = self.document.plan
        problems: list[str] = []
        changed = 0
        rows: set[int] = set()
        last: tuple[int, Column, Any, Any] | None = None
        for row, col, text in cells:
            column = self.cell_column(row, col)
            if text == self.index(row, col).data(CLIP_ROLE):
                continue  # as it is: a paste back of what was copied
            if not column.editable or not self.flags(self.index(row, col)) \
                    & Qt.ItemFlag.ItemIsEditable:
                problems.append(f"{self.place(row, column)} cannot be changed")
                continue
            if column.refers_to is not None and " — " in text:
                text = text.split(" — ", 1)[0]  # a code as shown, with its name beside it
            try:
                value = column.parse(text, plan)
            except ParseError as exc:
                problems.append(f"{self.place(row, column)}: {exc}")
                continue
            if value != self.value(row, column):
                plan = self._changed_plan(plan, row, column, value)
                changed += 1
                rows.add(row)
                last = (row, column, self.value(row, column), value)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.refused.emit(f"Nothing was pasted. {problems[0]}{more}")
            return False
        if not changed:
            return True
        if changed == 1 and last is not None:
            text = self._set_text(*last)
        elif len(rows) == 1:
            text = f"{self.subject(rows.pop())}: paste {changed} cells"
        else:
            text = f"Paste {changed} cells into {len(rows)} rows of {self.table_title()}"
        try:
            self.document.edit(plan, text)
        except EditRefused as exc:
            self.refused.emit(f"Nothing was pasted. {exc}")
            return False
        return True

    def commit(self, plan: Plan, text: str) -> bool:
        try:
            self.document.edit(plan, text)
        except EditRefused as exc:
            self.refused.emit(str(exc))
            return False
        return True


class RecordModel(_EditableModel):
    """One of the plan's collections: forces, services, estate, options, sites, sources."""

    def __init__(self, document: PlanDocument, collection: str,
                 columns: Sequence[Column], parent=None):
        self.collection = collection
        super().__init__(document, columns, parent)

    def records(self) -> tuple[Any, ...]:
        return edits.records(self.document.plan, self.collection)

    def _count(self) -> int:
        return len(self.records())

    def value(self, row: int, column: Column) -> Any:
        return getattr(self.records()[row], column.attr)

    def vertical_label(self, row: int) -> str:
        return str(row + 1)  # the record's name is already in its own column

    def row_label(self, row: int) -> str:
        record = self.records()[row]
        if self.collection == "estate":
            return f"{record.force}/{record.service}"
        return str(getattr(record, "name", None) or getattr(record, "title", None)
                   or getattr(record, edits.key_field(self.collection) or ""))

    def place(self, row: int, column: Column) -> str:
        spec = schema.COLLECTIONS[self.collection]
        return wording.SEPARATOR.join((spec.title, self._record_name(row), column.header))

    def _record_name(self, row: int) -> str:
        spec = schema.COLLECTIONS[self.collection]
        record = self.records()[row]
        # only this record is looked at: the national estate's 860 are not searched
        only = types.SimpleNamespace(**{self.collection: (record,)})
        return wording.record_name(self.document.plan, spec, spec.label(record), only)

    def table_title(self) -> str:
        return schema.COLLECTIONS[self.collection].title

    def subject(self, row: int) -> str:
        noun = schema.COLLECTIONS[self.collection].noun
        return f"{noun[0].upper()}{noun[1:]} '{self._record_name(row)}'"

    def _changed_plan(self, plan: Plan, row: int, column: Column, value: Any) -> Plan:
        return edits.set_field(plan, self.collection, row, column.attr, value)

    def add(self) -> bool:
        try:
            record = edits.new_record(self.document.plan, self.collection)
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        plan = edits.insert_record(self.document.plan, self.collection, record)
        return self.commit(plan, f"Add {schema.COLLECTIONS[self.collection].noun}")

    def duplicate(self, row: int) -> bool:
        try:
            plan = edits.duplicate_record(self.document.plan, self.collection, row)
        except ValueError as exc:
            self.refused.emit(str(exc))
            return False
        return self.commit(plan, f"Duplicate {self.row_label(row)}")

    def remove(self, row: int) -> bool:
        label = self.row_label(row)
        plan = edits.remove_record(self.document.plan, self.collection, row)
        return self.commit(plan, f"Remove {label}")


class PlanSettingsModel(_EditableModel):
    """The plan's own settings, one a row: a form that is also a table."""

    def __init__(self, document: PlanDocument, columns: Sequence[Column], parent=None):
        self.settings = tuple(columns)
        super().__init__(document, (Column("value", "Value"),), parent)

    def _count(self) -> int:
        return len(self.settings)

    def row_label(self, row: int) -> str:
        return self.settings[row].header

    def value(self, row: int, column: Column) -> Any:
        return getattr(self.document.plan, self.settings[row].attr)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        setting = self.settings[index.row()]
        value = self.value(index.row(), setting)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return setting.display(value)
        if role == Qt.ItemDataRole.EditRole:
            return setting.edit_text(value)
        if role == RAW_ROLE:
            return value
        if role == CLIP_ROLE:
            return clip_text(setting, value)
        if role == Qt.ItemDataRole.ToolTipRole:
            return setting.tip or None
        return None

    def column_for(self, index: Index) -> Column:
        return self.settings[index.row()]

    def cell_column(self, row: int, column: int) -> Column:
        return self.settings[row]

    def place(self, row: int, column: Column) -> str:
        return wording.place(self.document.plan, f"plan.{column.attr}")

    def subject(self, row: int) -> str:
        return "Plan"

    def _changed_plan(self, plan: Plan, row: int, column: Column, value: Any) -> Plan:
        return edits.set_setting(plan, column.attr, value)


class DecisionsModel(_EditableModel):
    """One option's decisions, a row for every service.

    Every option is business as usual plus its changes: a service the option does not
    decide shows the baseline's decision, greyed ("as business as usual"), or "no change";
    editing such a row gives the option a decision of its own, starting from what it showed.
    """

    COLUMNS = tuple(c for c in schema.DECISIONS.columns if c.attr != "service")

    def __init__(self, document: PlanDocument, parent=None):
        self.option_index = 0
        super().__init__(document, self.COLUMNS, parent)

    def set_option(self, index: int) -> None:
        self.beginResetModel()
        self.option_index = max(0, min(index, len(self.document.plan.options) - 1))
        self._rows = self._count()
        self.endResetModel()

    def _count(self) -> int:
        return len(self.document.plan.services) if self.document.plan.options else 0

    def _decision(self, row: int, plan: Plan | None = None) -> Decision | None:
        plan = self.document.plan if plan is None else plan
        if self.option_index >= len(plan.options):
            return None
        return plan.options[self.option_index].decision_for(plan.services[row].code)

    def _inherited(self, row: int, plan: Plan | None = None) -> Decision | None:
        """The baseline's decision, which this option keeps for want of its own."""
        plan = self.document.plan if plan is None else plan
        baseline = plan.baseline
        if baseline is None or self.option_index >= len(plan.options) \
                or plan.options[self.option_index] is baseline:
            return None
        return baseline.decision_for(plan.services[row].code)

    def row_label(self, row: int) -> str:
        return self.document.plan.services[row].name

    def place(self, row: int, column: Column) -> str:
        option = self.document.plan.options[self.option_index]
        return wording.SEPARATOR.join(("Options", option.name, self.row_label(row),
                                       column.header))

    def subject(self, row: int) -> str:
        option = self.document.plan.options[self.option_index]
        return f"Option '{option.name}'"

    def _set_text(self, row: int, column: Column, before: Any, after: Any) -> str:
        return (f"{self.subject(row)}: {self.row_label(row)} {field_name(column.header)} "
                f"{self.shown(column, before)} → {self.shown(column, after)}")

    _RATES: ClassVar[dict[str, tuple[str, str, bool]]] = {
        "optimism_bias": ("ob_category", "ob_mitigation", False),
        "running_optimism_bias": ("running_ob_category", "running_ob_mitigation", True)}
    """The optimism bias columns: the rate in effect, from the category unless 'stated'."""

    def value(self, row: int, column: Column) -> Any:
        decision = self._decision(row) or self._inherited(row)
        if decision is None:
            return None
        if column.attr in self._RATES:
            category, mitigation, running = self._RATES[column.attr]
            return ob_rate(getattr(decision, category), getattr(decision, mitigation),
                           getattr(decision, column.attr), running=running)
        return getattr(decision, column.attr)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and self._decision(index.row()) is None:
            inherited = self._inherited(index.row()) is not None
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return "as business as usual" if inherited else "no change"
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(Qt.GlobalColor.gray)
            if role == Qt.ItemDataRole.ToolTipRole and inherited:
                return ("Business as usual's decision, which this option keeps; edit a cell "
                        "to give the option its own")
        attr = self.columns[index.column()].attr if index.isValid() else ""
        if attr in self._RATES and role == Qt.ItemDataRole.ToolTipRole:
            decision = self._decision(index.row()) or self._inherited(index.row())
            category = getattr(decision, self._RATES[attr][0], OBCategory.STATED)
            if category is not OBCategory.STATED:
                return (f"From the Green Book's '{category.value}' row and the mitigation; "
                        "type a rate to state one instead")
        return super().data(index, role)

    def _changed_plan(self, plan: Plan, row: int, column: Column, value: Any) -> Plan:
        service = plan.services[row].code
        decision = self._decision(row, plan) or self._inherited(row, plan) \
            or Decision(service, go_live_year=plan.base_year + 1)
        changes = {column.attr: value}
        if column.attr in self._RATES:  # a rate typed in is a stated rate
            changes[self._RATES[column.attr][0]] = OBCategory.STATED
        decision = dataclasses.replace(decision, **changes)
        return edits.set_decision(plan, self.option_index, service, decision)

    def clear(self, row: int) -> bool:
        plan = self.document.plan
        service = plan.services[row]
        changed = edits.set_decision(plan, self.option_index, service.code, None)
        return self.commit(changed, f"{self.subject(row)}: no change to {service.name}")


class SiteActionsModel(_EditableModel):
    """One option's site closures: a row for every site."""

    COLUMNS = tuple(dataclasses.replace(c, optional=True) if c.attr == "closure_year" else c
                    for c in schema.SITE_ACTIONS.columns if c.attr != "site")
    """A blank closure year means the option keeps the site."""

    def __init__(self, document: PlanDocument, parent=None):
        self.option_index = 0
        super().__init__(document, self.COLUMNS, parent)

    def set_option(self, index: int) -> None:
        self.beginResetModel()
        self.option_index = index
        self._rows = self._count()
        self.endResetModel()

    def _count(self) -> int:
        return len(self.document.plan.sites)

    def row_label(self, row: int) -> str:
        return self.document.plan.sites[row].name

    def place(self, row: int, column: Column) -> str:
        option = self.document.plan.options[self.option_index]
        return wording.SEPARATOR.join(("Options", option.name, "Site closures",
                                       self.row_label(row), column.header))

    def subject(self, row: int) -> str:
        option = self.document.plan.options[self.option_index]
        return f"Option '{option.name}'"

    def _set_text(self, row: int, column: Column, before: Any, after: Any) -> str:
        return (f"{self.subject(row)}: site '{self.row_label(row)}' "
                f"{field_name(column.header)} {self.shown(column, before)} → "
                f"{self.shown(column, after)}")

    def _action(self, row: int, plan: Plan | None = None) -> SiteAction | None:
        plan = self.document.plan if plan is None else plan
        if self.option_index >= len(plan.options):
            return None
        site = plan.sites[row].code
        return next((a for a in plan.options[self.option_index].site_actions if a.site == site),
                    None)

    def value(self, row: int, column: Column) -> Any:
        action = self._action(row)
        return None if action is None else getattr(action, column.attr)

    def _changed_plan(self, plan: Plan, row: int, column: Column, value: Any) -> Plan:
        site = plan.sites[row].code
        option = plan.options[self.option_index]
        action = self._action(row, plan)
        others = tuple(a for a in option.site_actions if a.site != site)
        if column.attr == "closure_year" and value is None:
            actions = others
        else:
            action = action or SiteAction(site, plan.base_year + 1)
            actions = (*others, dataclasses.replace(action, **{column.attr: value}))
        options = list(plan.options)
        options[self.option_index] = dataclasses.replace(option, site_actions=actions)
        return plan.replace(options=tuple(options))


# --- read-only results ----------------------------------------------------------------------

class ComparisonModel(QAbstractTableModel):
    """Options side by side: a column an option, a row a figure, then each force's NPV."""

    def __init__(self, document: PlanDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self._shape = self._size()
        document.changed.connect(self._on_changed)

    def _size(self) -> tuple[int, int]:
        plan = self.document.plan
        return len(HEADLINES) + 2 * len(plan.forces), len(plan.options)

    def _on_changed(self) -> None:
        shape = self._size()
        if shape != self._shape:
            self.beginResetModel()
            self._shape = shape
            self.endResetModel()
        elif shape[0] and shape[1]:
            self.dataChanged.emit(self.index(0, 0), self.index(shape[0] - 1, shape[1] - 1))
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, shape[1] - 1)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._shape[0]

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._shape[1]

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        plan = self.document.plan
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and section < len(plan.options):
                option = plan.options[section]
                name = textwrap.fill(option.name, 26, max_lines=2, placeholder="…")
                return name + ("\n(baseline)" if option.is_baseline else "")
            if orientation == Qt.Orientation.Vertical:
                if section < len(HEADLINES):
                    return HEADLINES[section].label
                kind, force = self._force_row(section)
                if force < len(plan.forces):
                    label = "NPV" if kind == "npv" else "Support FTE, final year"
                    return f"{label}: {plan.forces[force].name}"
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Vertical:
            if section < len(HEADLINES):
                return HEADLINES[section].help or None
            if self._force_row(section)[0] == "fte":
                return "The force's support staff in the last year; hover a cell for each year"
        return None

    def _force_row(self, row: int) -> tuple[str, int]:
        """Below the headlines, each force's NPV, then each force's support staff."""
        n_f = len(self.document.plan.forces)
        index = row - len(HEADLINES)
        return ("npv", index) if index < n_f else ("fte", index - n_f)

    def raw(self, row: int, column: int) -> Any:
        if row < len(HEADLINES):
            return HEADLINES[row].value(self.document.plan, self.document.results, column)
        kind, force = self._force_row(row)
        r = self.document.results
        if kind == "npv":
            return float(r.force_npv[column, force])
        return float(r.by_force["support_fte"][column, force, -1])

    def _by_year(self, row: int, column: int) -> str:
        """A force's support staff year by year, for the tooltip."""
        _, force = self._force_row(row)
        r = self.document.results
        return "\n".join(f"{financial_year_label(int(y))}: {v:,.1f} FTE" for y, v in
                         zip(r.years, r.by_force["support_fte"][column, force], strict=True))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == RAW_ROLE:
            return self.raw(row, column)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            value = self.raw(row, column)
            if row < len(HEADLINES):
                return HEADLINES[row].show(value)
            return formats.money(value) if self._force_row(row)[0] == "npv" \
                else f"{value:,.1f}"
        if role == Qt.ItemDataRole.ToolTipRole:
            if row >= len(HEADLINES) and self._force_row(row)[0] == "fte":
                return self._by_year(row, column)
            value = self.raw(row, column)
            if isinstance(value, float) and not math.isnan(value):
                return f"{value:,.2f}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and self._is_best(row, column):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _is_best(self, row: int, column: int) -> bool:
        """The highest NPSV and NPV are in bold: the eye goes there first."""
        if row not in (0, 1):
            return False
        values = [self.raw(row, c) for c in range(self.columnCount())]
        return len(values) > 1 and values[column] == max(values) and values[column] > 0


class EarlyExitsModel(QAbstractTableModel):
    HEADERS = ("Option", "Service", "Force", "Contract ends", "Go-live", "Exit fee")

    def __init__(self, document: PlanDocument, parent=None):
        super().__init__(parent)
        self.document = document
        self.option_code: str | None = None
        document.changed.connect(self.refresh)

    def set_option(self, code: str | None) -> None:
        self.option_code = code
        self.refresh()

    def _exits(self) -> list[Any]:
        return [e for e in self.document.results.early_exits
                if self.option_code is None or e.option == self.option_code]

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._exits())

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole,
                                               Qt.ItemDataRole.AccessibleTextRole):
            return None
        e = self._exits()[index.row()]
        plan = self.document.plan
        option = plan.option(e.option)
        service = plan.service(e.service)
        force = plan.force(e.force)
        return (option.name if option else e.option, service.name if service else e.service,
                force.name if force else e.force, e.contract_end.isoformat(),
                financial_year_label(e.go_live_year),
                formats.money(e.exit_cost, pennies=True))[index.column()]
