"""One registry of headline figures serves summary, the board pack and Compare."""

from alliance_planner import samples
from alliance_planner.domain.headlines import HEADLINES, Unit
from alliance_planner.domain.summary import summarise, summary_text
from alliance_planner.exchange import board_pack


def test_summary_json_carries_every_headline(sample_plans):
    doc = summarise(sample_plans["south-west-alliance"])
    for option in doc["options"]:
        assert {h.key for h in HEADLINES} <= set(option)


def test_the_board_pack_has_a_live_formula_for_every_headline(example_plan):
    assert set(board_pack._HEADLINE_CELLS) == {h.key for h in HEADLINES}
    summary = board_pack.build(example_plan)["Summary"]
    labels = [summary.cell(r, 1).value for r in range(1, summary.max_row + 1)]
    for headline in HEADLINES:
        row = labels.index(headline.label) + 1
        assert str(summary.cell(row, 2).value).startswith("="), headline.key


def test_the_text_summary_shows_the_headlines_that_have_a_column(example_plan):
    text = summary_text(example_plan)
    for headline in HEADLINES:
        if headline.short:
            assert headline.short in text


def test_headlines_read_as_people_write_them():
    by_unit = {h.unit: h for h in HEADLINES}
    assert by_unit[Unit.MONEY].show(1_234_567) == "£1.23m"
    assert by_unit[Unit.RATIO].show(None) == "–"
    assert by_unit[Unit.YEAR].show(2028) == "2028/29"
    assert by_unit[Unit.YEAR].show(None) == "never"


def test_summary_names_the_recommended_option_as_the_risk_and_sensitivity_do():
    from alliance_planner.domain.model import OptionRole
    from alliance_planner.domain.sensitivity import sensitivity
    from alliance_planner.domain.summary import summarise

    for name in samples.names():
        plan = samples.build(name)
        doc = summarise(plan)
        s = sensitivity(plan)
        assert doc["recommended"] == s.option_codes[s.preferred]
        marked = [o.code for o in plan.options if o.role is OptionRole.PREFERRED]
        if marked:
            assert doc["recommended"] == marked[0]
        else:  # the best by NPSV of those that are not the baseline
            others = [o for o in doc["options"] if not o["is_baseline"]]
            assert doc["recommended"] == max(others, key=lambda o: o["npsv"])["code"]
