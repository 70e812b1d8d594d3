"""`alliance-planner optimise` as a user runs it: a real process on real plan files."""

import hashlib
import subprocess
import sys

import pytest

from alliance_planner import samples
from alliance_planner.domain.engine import appraise
from alliance_planner.domain.model import LinkKind, ServiceLink
from alliance_planner.domain.optimiser import Limits, optimise
from alliance_planner.store.planfile import read_plan, write_new

pytestmark = pytest.mark.slow


def run(*args):
    return subprocess.run([sys.executable, "-m", "alliance_planner", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_optimise_writes_the_plan_with_the_roadmap_and_says_what_it_met(tmp_path):
    source = samples.build("south-west-alliance")
    services = [s.code for s in source.services]
    plan = source.replace(max_concurrent=5, service_links=(
        ServiceLink(services[0], services[1], LinkKind.BEFORE),))
    path, out = tmp_path / "sw.alliance", tmp_path / "sw-roadmap.alliance"
    write_new(path, plan)
    before = digest(path)
    result = run("optimise", path, "--budget-per-year", "£4m", "--no-early-exits", "-o", out)
    assert result.returncode == 0, result.stderr
    assert digest(path) == before  # the plan given is only read

    written = read_plan(out)
    roadmap = optimise(plan, Limits(4e6, 5, False, plan.service_links))
    assert written == roadmap.plan  # the plan given, and the roadmap as its last option
    npsv = appraise(written).npsv[-1]
    lines = result.stdout.splitlines()
    assert lines[0] == f"wrote {out}: {plan.name} with the new option Optimised roadmap " \
                       "(ROADMAP)"
    assert lines[1].startswith(f"NPSV £{npsv / 1e6:,.2f}m (the programme's objective £")
    assert lines[2] == "limits met:"
    assert lines[3].endswith("within the cap of £4.00m")
    assert lines[4].endswith("within the limit of 5")
    assert lines[5:7] == ["  no early exits (not allowed)", "  all 1 service links honoured"]
    assert lines[7].startswith("solved in ") and "HiGHS: optimal" in lines[7]


def test_optimise_refuses_what_it_cannot_do_in_one_line(tmp_path):
    path, out = tmp_path / "sw.alliance", tmp_path / "out.alliance"
    write_new(path, samples.build("south-west-alliance"))
    result = run("optimise", path, "--max-concurrent", "0", "-o", out)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"alliance-planner: error: {path}: no change fits the limits: within them the best "
        "roadmap is business as usual (without them it would add £26.92m NPSV); loosen the "
        "budget, the changes at once, early exits or the links"]
    assert not out.exists()
    result = run("optimise", path, "--budget-per-year", "-5", "-o", out)
    assert result.returncode == 2 and "must not be negative" in result.stderr
