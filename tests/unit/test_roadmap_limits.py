"""The roadmap optimiser's limits are plan data like any other: declared in the schema,
kept in the plan file (format 3), carried by the workbooks, checked and edited; plans and
workbooks from formats 1 and 2 read with no limits and no links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alliance_planner.domain import edits
from alliance_planner.domain.model import LinkKind, ServiceLink
from alliance_planner.domain.validation import validate
from alliance_planner.exchange import template
from alliance_planner.exchange.inputs import read_workbook
from alliance_planner.store import migrations
from alliance_planner.store.planfile import PlanFile, file_version, read_plan, write_new

DATA = Path(__file__).parent.parent / "data"


def limited(plan):
    services = [s.code for s in plan.services]
    return plan.replace(budget_per_year=2_500_000.0, max_concurrent=2, allow_early_exits=False,
                        service_links=(ServiceLink(services[0], services[1]),
                                       ServiceLink(services[2], services[3], LinkKind.BEFORE)))


@pytest.mark.parametrize("version", [1, 2])
def test_an_older_plan_file_reads_with_no_limits_and_upgrades(tmp_path, version):
    path = tmp_path / "old.alliance"
    shutil.copy(DATA / f"south-west-format{version}.alliance", path)
    plan = read_plan(path)
    assert (plan.budget_per_year, plan.max_concurrent, plan.allow_early_exits) == \
        (None, None, True)
    assert plan.service_links == ()
    with PlanFile.open(path) as f:
        assert f.load() == plan
        f.save(limited(plan), previous=plan)
    assert file_version(path) == len(migrations.MIGRATIONS) >= 3
    assert read_plan(path) == limited(plan)
    assert path.with_name(f"old.alliance.format{version}.bak").exists()


def test_a_format_2_workbook_imports_with_a_note_for_each_thing_it_lacks():
    imported = read_workbook(DATA / "template-format2-south-west.xlsx")
    assert imported.plan == read_plan(DATA / "south-west-format2.alliance")
    assert imported.notes == (
        "Assumptions: no row for 'Roadmap: one-off budget a year' (blank), 'Roadmap: most "
        "changes at once' (blank), 'Roadmap: early exits allowed' (yes), 'Protective "
        "marking' (OFFICIAL) (a workbook from an earlier version); each takes its default",
        "no sheet 'Service links' (a workbook from an earlier version); the plan starts "
        "with none")


def test_the_limits_and_links_round_trip_through_the_file_and_the_template(tmp_path,
                                                                           sample_plans):
    plan = limited(sample_plans["south-west-alliance"])
    assert validate(plan) == []
    write_new(tmp_path / "limited.alliance", plan)
    assert read_plan(tmp_path / "limited.alliance") == plan
    template.write_template(tmp_path / "limited.xlsx", plan)
    imported = read_workbook(tmp_path / "limited.xlsx")
    assert imported.plan == plan and imported.notes == ()


def test_a_link_names_two_services_of_the_plan_once(sample_plans):
    plan = sample_plans["south-west-alliance"]
    a, b = plan.services[0].code, plan.services[1].code
    problems = validate(plan.replace(service_links=(
        ServiceLink(a, a), ServiceLink(a, b), ServiceLink(a, b, LinkKind.BEFORE),
        ServiceLink("nowhere", b))))
    assert [str(p) for p in problems] == [
        f"service_links[nowhere/{b}].service: service 'nowhere' is not in the plan",
        f"service_links[{a}/{b}]: appears 2 times; must be unique",
        f"service_links[{a}/{a}].other: a service cannot be linked to itself"]


def test_links_follow_a_service_renamed_or_removed(sample_plans):
    plan = limited(sample_plans["south-west-alliance"])
    first = plan.service_links[0]
    renamed = edits.set_field(plan, "services", 0, "code", "desk")
    assert renamed.service_links[0] == ServiceLink("desk", first.other)
    removed = edits.remove_record(plan, "services", 1)
    assert first not in removed.service_links and len(removed.service_links) == 1
    assert validate(removed) == []


def test_a_new_link_never_ties_a_service_to_itself(sample_plans):
    plan = sample_plans["south-west-alliance"]
    link = edits.new_record(plan, "service_links")
    assert link.service != link.other
    assert validate(edits.insert_record(plan, "service_links", link)) == []
