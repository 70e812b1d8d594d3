"""Benchmarking each force's estate: cost per officer and per 1,000 people."""

import math

import pytest

from alliance_planner import samples
from alliance_planner.domain.benchmarking import WHOLE_ESTATE, benchmarking, benchmarks
from alliance_planner.domain.model import EstateItem, Force, Option, OptionRole, Plan, Service


def _plan():
    return Plan(
        name="Two forces", cost_per_staff_fte=50_000,
        forces=(Force("a", "A", officers=1000, staff=0, population=1_000_000),
                Force("b", "B", officers=3000, staff=0, population=2_000_000),
                Force("c", "C", officers=0, staff=0, population=0)),
        services=(Service("desk", "Service desk"), Service("radio", "Radio")),
        estate=(EstateItem("a", "desk", annual_running_cost=100_000, support_fte=2),
                EstateItem("b", "desk", annual_running_cost=150_000, support_fte=1),
                EstateItem("c", "desk", annual_running_cost=10_000, support_fte=0),
                EstateItem("b", "radio", annual_running_cost=90_000, support_fte=0)),
        options=(Option("BAU", "Business as usual", OptionRole.BASELINE),))


def test_cost_per_officer_and_per_thousand_people_against_the_alliance_average():
    rows = {(b.force, b.service): b for b in benchmarks(_plan())}
    a, b, c = rows["a", "desk"], rows["b", "desk"], rows["c", "desk"]
    assert (a.cost, b.cost, c.cost) == (200_000, 200_000, 10_000)
    assert (a.per_officer, b.per_officer) == (200, 200_000 / 3000)
    assert a.per_thousand_people == 200 and b.per_thousand_people == 100
    average = 410_000 / 4000  # the alliance's total over its officers
    assert a.versus_average == pytest.approx(200 / average)
    assert b.versus_average == pytest.approx((200_000 / 3000) / average)
    assert (a.rank, b.rank) == (1, 2) and a.runs_it == 3
    assert math.isnan(c.per_officer) and math.isnan(c.per_thousand_people) and c.rank == 0
    assert rows["b", "radio"].versus_average == 1.0 and ("a", "radio") not in rows


def test_every_estate_item_of_the_national_plan_is_benchmarked():
    plan = samples.build("national")
    rows = benchmarks(plan)
    assert len(rows) == len({(e.force, e.service) for e in plan.estate})
    for service in plan.services:
        mine = [r for r in rows if r.service == service.code]
        officers = {f.code: f.officers for f in plan.forces}
        weighted = sum(r.versus_average * officers[r.force] for r in mine)
        assert weighted == pytest.approx(sum(officers[r.force] for r in mine))


def test_per_thousand_people_against_the_alliance_average_and_the_whole_estate():
    found = benchmarking(_plan())
    desk = found.averages["desk"]
    assert desk.per_thousand_people == pytest.approx(410_000 / 3_000_000 * 1000)
    a, b = found.row("a", "desk"), found.row("b", "desk")
    assert a.people_versus_average == pytest.approx(200 / desk.per_thousand_people)
    assert (a.people_rank, b.people_rank) == (1, 2)
    # the whole estate: every service a force runs, added up
    whole = found.averages[WHOLE_ESTATE]
    assert whole.cost == 500_000 and whole.runs_it == 3
    assert whole.per_officer == pytest.approx(500_000 / 4000)
    assert found.row("b", WHOLE_ESTATE).cost == 290_000
    assert found.row("b", WHOLE_ESTATE).per_officer == pytest.approx(290_000 / 3000)
    assert found.row("a", WHOLE_ESTATE).rank == 1
    # a service nobody runs has an average of nothing, not of zero
    empty = benchmarking(_plan().replace(estate=()))
    assert empty.rows == () and empty.averages["desk"].runs_it == 0
    assert math.isnan(empty.averages["desk"].per_officer)
