"""The Overview's figures: the option backed and why, the ranking, each force's share and
what needs attention, each checked against the engine's own figures."""

import dataclasses

import numpy as np
import pytest

from alliance_planner.domain.engine import appraise
from alliance_planner.domain.model import OptionRole, Source
from alliance_planner.domain.overview import (
    MEASURES,
    ChosenBy,
    Concern,
    chance_of_positive_npv,
    overview,
)
from alliance_planner.samples.blank import new_alliance


def _concerns(ov):
    return {a.concern: a for a in ov.attention}


def test_the_plans_preferred_option_is_backed_with_the_engines_figures(sample_plans):
    plan = sample_plans["south-west-alliance"]
    r = appraise(plan)
    ov = overview(plan, r)
    rec = ov.recommendation
    assert plan.options[rec.option].code == "MS" and rec.chosen_by is ChosenBy.PREFERRED
    assert (rec.npv, rec.npsv) == (r.npv[rec.option], r.npsv[rec.option])
    assert rec.payback == int(r.years[r.payback[rec.option]])
    assert rec.one_off == pytest.approx(r.transition[rec.option].sum() + r.exit[rec.option].sum()
                                        + r.severance[rec.option].sum()
                                        + r.closure_costs[rec.option].sum())
    assert rec.support_fte_change == pytest.approx(r.support_fte[rec.option, -1]
                                                   - r.support_fte[r.baseline, -1])
    npsv = [x.npsv for x in ov.ranked]
    assert npsv == sorted(npsv, reverse=True) and r.baseline not in [x.option for x in ov.ranked]
    # each force's share adds up to the option's
    assert sum(s.one_off for s in ov.shares) == pytest.approx(rec.one_off)
    assert sum(s.one_off_share for s in ov.shares) == pytest.approx(1.0)
    assert sum(s.npv for s in ov.shares) == pytest.approx(rec.npv)
    assert sum(s.support_fte_change for s in ov.shares) == pytest.approx(rec.support_fte_change)
    exits = _concerns(ov)[Concern.EARLY_EXITS]
    assert exits.page == "Roadmap" and exits.text.startswith(
        f"{sum(e.option == 'MS' for e in r.early_exits)} go-lives before a contract ends")


def test_with_no_option_marked_preferred_the_best_by_npsv_is_backed(sample_plans):
    plan = sample_plans["national-platform"]
    plan = plan.replace(options=tuple(
        dataclasses.replace(o, role=OptionRole.OTHER) if o.role is OptionRole.PREFERRED
        else o for o in plan.options))
    r = appraise(plan)
    ov = overview(plan, r)
    assert ov.recommendation.chosen_by is ChosenBy.NPSV
    assert ov.recommendation.option == ov.ranked[0].option == int(np.argmax(r.npsv))
    assert Concern.NOT_BEST not in _concerns(ov)


def test_a_preferred_option_that_is_not_the_best_is_flagged(sample_plans):
    plan = sample_plans["national-platform"]  # NP is preferred; NPE has the higher NPSV
    ov = overview(plan, appraise(plan))
    assert "higher NPSV than the preferred" in _concerns(ov)[Concern.NOT_BEST].text


def test_an_unmet_savings_target_says_how_far_short_and_when(sample_plans):
    plan = sample_plans["operating-model-partner"]
    r = appraise(plan)
    ov = overview(plan, r)
    target = ov.recommendation.target
    assert target is not None and not target.met
    assert target.deadline == plan.base_year + plan.savings_target_years - 1
    o = ov.recommendation.option
    assert target.by_deadline == pytest.approx(
        np.cumsum(r.savings[o])[plan.savings_target_years - 1])
    assert "is not met" in _concerns(ov)[Concern.TARGET].text
    met = plan.replace(savings_target=1_000_000.0, savings_target_years=7)
    assert Concern.TARGET not in _concerns(overview(met, appraise(met)))


def test_figures_without_a_source_and_assumptions_without_reasoning(sample_plans):
    plan = sample_plans["south-west-alliance"]
    assert {Concern.UNSOURCED, Concern.UNREASONED}.isdisjoint(
        _concerns(overview(plan, appraise(plan))))
    estate = (dataclasses.replace(plan.estate[0], source=""), *plan.estate[1:])
    bare = Source("a-guess", "A guess", is_assumption=True)
    edited = plan.replace(estate=estate, sources=(*plan.sources, bare))
    found = _concerns(overview(edited, appraise(edited)))
    assert found[Concern.UNSOURCED].text == ("Figures that cite no source: 1 rows of "
                                             "today's estate")
    assert found[Concern.UNSOURCED].page == "Today's estate"
    assert found[Concern.UNREASONED].details == ("A guess (a-guess)",)


def test_a_new_alliance_is_told_to_add_options():
    plan = new_alliance(["dorset", "wiltshire"])
    ov = overview(plan, appraise(plan))
    assert ov.recommendation.chosen_by is ChosenBy.BASELINE and ov.ranked == ()
    assert [(a.concern, a.page) for a in ov.attention] == [
        (Concern.NO_ESTATE, "Today's estate"), (Concern.NO_OPTIONS, "Options")]


def test_the_chance_of_a_positive_npv_is_the_risk_runs(sample_plans):
    from alliance_planner.domain.risk import DEFAULT_SEED, simulate

    plan = sample_plans["mobile-data"]
    chance = chance_of_positive_npv(plan, 300)
    sim = simulate(plan, 300, DEFAULT_SEED)
    assert chance.runs == 300 and chance.option_code == sim.option_codes[sim.preferred]
    assert chance.positive == sim.p_npv_positive[sim.preferred]


@pytest.mark.parametrize("name", ["south-west-alliance", "national"])
def test_each_forces_lines_add_up_to_the_options(sample_plans, name):
    plan = sample_plans[name]
    r = appraise(plan)
    lines = {m.key: m.lines for m in MEASURES}
    for o in range(len(plan.options)):
        assert lines["one_off"](r, o).sum(axis=1) == pytest.approx(r.force_one_off[o])
        assert lines["running"](r, o).sum(axis=0) == pytest.approx(r.running[o] + r.buildings[o])
        assert lines["savings"](r, o).sum(axis=0) == pytest.approx(r.savings[o])
        assert lines["support_fte"](r, o).sum(axis=0) == pytest.approx(r.support_fte[o])
        assert lines["officer_hours"](r, o).sum(axis=0) == pytest.approx(
            r.officer_hours[o] - r.officer_hours[r.baseline])
