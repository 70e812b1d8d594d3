"""`sensitivity` and `risk` as a user runs them: a real process on a real plan file."""

import json
import subprocess
import sys

import numpy as np
import pytest

from alliance_planner import samples
from alliance_planner.cli import _parser
from alliance_planner.domain import risk
from alliance_planner.domain.sensitivity import sensitivity
from alliance_planner.store.planfile import write_new

pytestmark = pytest.mark.slow


def run(*args):
    return subprocess.run([sys.executable, "-m", "alliance_planner", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("risk") / "sw.alliance"
    write_new(path, samples.build("south-west-alliance"))
    return path


def test_risk_json_is_reproducible_with_a_seed_and_matches_the_engine(plan_file):
    first = run("risk", plan_file, "--runs", "2000", "--seed", "9", "--json")
    again = run("risk", plan_file, "--runs", "2000", "--seed", "9", "--json")
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout
    doc = json.loads(first.stdout)
    sim = risk.simulate(samples.build("south-west-alliance"), 2000, seed=9)
    p10, p50, p90 = sim.percentiles(sim.npsv)
    for o, option in enumerate(doc["options"]):
        assert option["npsv"] == {"p10": p10[o], "p50": p50[o], "p90": p90[o],
                                  "mean": pytest.approx(sim.npsv[:, o].mean())}
        assert option["p_npv_positive"] == sim.p_npv_positive[o]
        force = sim.force_codes[0]
        assert option["forces"][force]["npv"]["p50"] == pytest.approx(
            float(np.percentile(sim.force_npv[:, o, 0], 50)))
    assert doc["runs"] == 2000 and doc["seed"] == 9
    other = run("risk", plan_file, "--runs", "2000", "--seed", "10", "--json")
    assert other.stdout != first.stdout


def test_risk_text_names_each_option_and_the_draws(plan_file):
    result = run("risk", plan_file, "--runs", "500")
    assert result.returncode == 0, result.stderr
    assert "500 draws (seed 20260401)" in result.stdout
    assert "Single managed service" in result.stdout and "P50" in result.stdout


def test_sensitivity_json_matches_the_domain_and_the_text_lists_switching_values(plan_file):
    result = run("sensitivity", plan_file, "--json")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    s = sensitivity(samples.build("south-west-alliance"))
    bars = doc["tornado"][doc["preferred"]]["bars"]
    assert [b["npsv_low"] for b in bars] == [b.npsv_low for b in s.tornado[doc["preferred"]]]
    assert len(doc["switching_values"]) == len(s.switching)
    text = run("sensitivity", plan_file)
    assert "Switching values for Single managed service" in text.stdout


@pytest.mark.parametrize(("args", "words"), [
    (["--runs", "0"], "--runs: must be from 1 to 1,000,000 (got 0)"),
    (["--correlation", "1.5"], "--correlation: must be between -1 and 1 (got 1.5)"),
    (["--runs", "many"], "invalid int value: 'many'"),
])
def test_bad_risk_arguments_are_usage_errors_naming_the_option(plan_file, args, words):
    result = run("risk", plan_file, *args)
    assert result.returncode == 2
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_plan_is_one_line(tmp_path):
    result = run("sensitivity", tmp_path / "nowhere.alliance")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_command_lines_defaults_are_the_domains():
    args = _parser()[0].parse_args(["risk", "x.alliance"])
    assert (args.runs, args.seed, args.correlation) == (
        risk.DEFAULT_RUNS, risk.DEFAULT_SEED, risk.DEFAULT_CORRELATION)
