"""Plan edits as pure functions, and the parsing of what people type."""

from datetime import date

import pytest

from alliance_planner import formats
from alliance_planner.domain import edits
from alliance_planner.domain.validation import validate
from alliance_planner.formats import ParseError


def test_renaming_a_force_carries_to_estate_decisions_and_sites(sample_plans):
    plan = sample_plans["south-west-alliance"]
    dorset = [f.code for f in plan.forces].index("dorset")
    renamed = edits.set_field(plan, "forces", dorset, "code", "DOR")
    assert "dorset" not in {e.force for e in renamed.estate}
    assert validate(renamed) == []


def test_renaming_a_source_carries_to_every_citation(sample_plans):
    plan = sample_plans["south-west-alliance"]
    i = [s.key for s in plan.sources].index("sw-contract")
    renamed = edits.set_field(plan, "sources", i, "key", "bt-contract")
    cited = {d.source for o in renamed.options for d in o.decisions}
    assert "bt-contract" in cited and "sw-contract" not in cited
    assert validate(renamed) == []


def test_removing_a_force_removes_what_depends_on_it(example_plan):
    plan = example_plan  # force B has a site, Old HQ, which option ONE sells
    only_b = plan.options[1].decisions[0].__class__(
        "desk", forces=("B",), go_live_year=2027, other_savings=1.0)
    plan = edits.set_decision(plan, 1, "desk", only_b)
    removed = edits.remove_record(plan, "forces", 1)
    assert [f.code for f in removed.forces] == ["A"]
    assert all(e.force == "A" for e in removed.estate)
    assert removed.sites == ()
    assert removed.options[1].decisions == ()  # its only participant went
    assert removed.options[1].site_actions == ()  # and the site it sold
    assert validate(removed) == []


def test_removing_a_service_removes_its_estate_and_decisions(example_plan):
    removed = edits.remove_record(example_plan, "services", 0)
    assert removed.estate == () and removed.options[1].decisions == ()


def test_duplicate_gives_a_free_code_and_never_a_second_baseline(example_plan):
    plan = edits.duplicate_record(example_plan, "options", 0)
    assert [o.code for o in plan.options] == ["BAU", "BAU-2", "ONE"]
    assert plan.options[1].name == "Business as usual (copy)"
    assert not plan.options[1].is_baseline
    assert validate(plan) == []


def test_new_estate_item_finds_a_free_slot_or_says_there_is_none(example_plan):
    with pytest.raises(ValueError, match="every force already has an estate item"):
        edits.new_record(example_plan, "estate")


def test_unique_code():
    assert edits.unique_code(["a", "a-2"], "a") == "a-3"
    assert edits.unique_code([], "x-7") == "x"


@pytest.mark.parametrize(("text", "value"), [
    ("1,200", 1200.0), ("£1.2m", 1.2e6), ("250k", 250e3), ("-3", -3.0), (" 7 ", 7.0),
    ("2bn", 2e9), (12, 12.0), ("1e3", 1000.0),
])
def test_parse_number(text, value):
    assert formats.parse_number(text) == value


@pytest.mark.parametrize("text", ["", "lots", "nan", "inf", "1.2.3", "£", "--1", True])
def test_parse_number_refuses(text):
    with pytest.raises(ParseError):
        formats.parse_number(text)


def test_parse_year_percent_date_codes_fractions():
    assert formats.parse_year("2027/28") == 2027
    assert formats.parse_year("2027-2028") == 2027
    with pytest.raises(ParseError, match="not a financial year"):
        formats.parse_year("2027/29")
    assert formats.parse_percent("41%") == pytest.approx(0.41)
    assert formats.parse_percent("3.5") == pytest.approx(0.035)
    assert formats.parse_date("31/03/2028") == date(2028, 3, 31)
    assert formats.parse_date("2028-03-31") == date(2028, 3, 31)
    with pytest.raises(ParseError, match="expected a date"):
        formats.parse_date("31/02/2028")
    assert formats.parse_codes("all") == ()
    assert formats.parse_codes("a, b") == ("a", "b")
    assert formats.parse_fractions("40%, 60%") == pytest.approx((0.4, 0.6))


def test_money_formats():
    assert formats.money(21_100_793.57) == "£21.10m"
    assert formats.money(-993_000) == "-£993k"
    assert formats.money(1234.5, pennies=True) == "£1,234.50"
    assert formats.money(-0.5, pennies=True) == "-£0.50"


def test_a_new_deflator_is_the_year_after_the_series_grown_by_the_assumption(example_plan):
    from alliance_planner.domain.model import Deflator, Source

    plan = example_plan.replace(deflators=(Deflator(2023, 96.0, "hmt"),
                                           Deflator(2024, 100.0, "hmt")),
                                sources=(Source("hmt", "HM Treasury GDP deflators"),))
    new = edits.new_record(plan, "deflators")
    assert (new.year, new.index, new.source) == (2025, 102.0, "hmt")
    assert edits.new_record(example_plan, "deflators").year == example_plan.base_year
    assert validate(edits.insert_record(plan, "deflators", new)) == []


def test_duplicating_a_deflator_gives_the_next_year(example_plan):
    from alliance_planner.domain.model import Deflator

    plan = example_plan.replace(deflators=(Deflator(2023, 96.0), Deflator(2024, 100.0)))
    copied = edits.duplicate_record(plan, "deflators", 0)
    assert [(d.year, d.index) for d in copied.deflators] == [(2023, 96.0), (2025, 96.0),
                                                             (2024, 100.0)]
