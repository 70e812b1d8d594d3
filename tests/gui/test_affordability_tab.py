"""Compare › Affordability, driven as a planner would: the statement shown is the
domain's, for the option, force and prices chosen, and follows an edit."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt

from alliance_planner.domain.affordability import affordability, statement
from alliance_planner.ui.models import RAW_ROLE


def shown(tab) -> dict[str, list[float]]:
    m = tab.model
    return {m.index(r, 0).data(): [m.index(r, c).data(RAW_ROLE)
                                   for c in range(1, m.columnCount() - 1)]
            for r in range(m.rowCount())}


def expected(plan, o, force=None, cash=False) -> dict[str, list[float]]:
    return {line.label: list(line.values)
            for line in statement(affordability(plan), o, force, cash=cash)}


def open_tab(window):
    window.show_page_named("Compare")
    compare = window.pages["Compare"]
    compare.tabs.setCurrentWidget(compare.affordability)
    return compare.affordability


def test_the_statement_is_the_recommended_options_for_the_alliance(window):
    tab = open_tab(window)
    plan = window.document.plan
    o = next(i for i, x in enumerate(plan.options) if x.role.value == "preferred")
    assert tab.option.currentData() == plan.options[o].code
    assert tab.force.currentText() == "All forces"
    headers = [tab.model.headerData(c, Qt.Orientation.Horizontal)
               for c in range(tab.model.columnCount())]
    assert headers[0] == "Line" and headers[1] == "2026/27" and headers[-1] == "Total"
    got, want = shown(tab), expected(plan, o)
    assert list(got) == list(want)
    for label in want:
        assert got[label] == pytest.approx(want[label], abs=1e-6)
    assert plan.options[o].name in tab.caption.text()


def test_one_force_in_cash_of_each_year(window):
    tab = open_tab(window)
    plan = window.document.plan
    tab.option.setCurrentIndex(2)
    tab.force.setCurrentIndex(tab.force.findText(plan.forces[1].name))
    tab.prices.setCurrentIndex(tab.prices.findData("cash"))
    got, want = shown(tab), expected(plan, 2, 1, cash=True)
    for label in want:
        assert got[label] == pytest.approx(want[label], abs=1e-6)
    real = expected(plan, 2, 1)["Revenue"]
    assert got["Revenue"][3] == pytest.approx(
        real[3] * affordability(plan).nominal[3]) and got["Revenue"][3] != real[3]
    assert "cash of each year" in tab.caption.text()
    assert plan.forces[1].name in tab.caption.text()


def test_an_edit_shows_at_once_and_undo_takes_it_back(window):
    tab = open_tab(window)
    document = window.document
    plan = document.plan
    o = tab.option.currentIndex()
    option = plan.options[o]
    decision = next(d for d in option.decisions if d.transition_cost > 0)
    more = dataclasses.replace(decision, transition_cost=decision.transition_cost + 1_000_000)
    changed = dataclasses.replace(option, decisions=tuple(
        more if d is decision else d for d in option.decisions))
    before = sum(shown(tab)["Capital"])
    document.edit(plan.replace(options=tuple(
        changed if x is option else x for x in plan.options)), "a dearer transition")
    after = sum(shown(tab)["Capital"])
    assert after - before > 900_000  # a million more, at base-year prices, with its bias
    assert after == pytest.approx(sum(expected(document.plan, o)["Capital"]))
    document.undo_stack.undo()
    assert sum(shown(tab)["Capital"]) == pytest.approx(before)
