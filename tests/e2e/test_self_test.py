"""`alliance-planner self-test`, as an IT department runs it after installing."""

import os
import subprocess
import sys

import pytest

from alliance_planner import paths
from alliance_planner.cli import main
from alliance_planner.ui.main_window import PAGES

pytestmark = pytest.mark.slow

CHECKS = ["shipped files", "sample plan", "recompute every option", "window", "board pack",
          "data-collection template", "board summary PDF"]


def test_self_test_checks_everything_and_passes(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("QT_QPA_PLATFORM", None)  # it goes offscreen by itself
    env.pop("DISPLAY", None)
    result = subprocess.run([sys.executable, "-m", "alliance_planner", "self-test"],
                            capture_output=True, text=True, timeout=300, env=env,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0].removeprefix("ok").strip() for line in lines[1:-1]] == CHECKS
    assert f"ok     window: {len(PAGES)} pages shown and drawn" in result.stdout
    assert lines[-1] == f"self-test passed: {len(CHECKS)} checks"
    # the user's settings and plans are left alone; it worked in a folder of its own
    # (matplotlib makes its empty config folder, as on any start)
    assert [p for p in home.rglob("*") if p.is_file()] == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "home"]


def test_a_failing_check_is_named_and_the_exit_code_is_1(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(paths, "SAMPLE_DATA", tmp_path)  # as if the install lost its data
    assert main(["self-test", "--no-window"]) == 1
    out = capsys.readouterr().out
    assert "FAILED shipped files: MissingResource:" in out
    assert "police_forces_england_wales.csv" in out
    assert out.splitlines()[-1] == "self-test FAILED: shipped files, sample plan"


def test_self_test_is_listed_with_its_help(capsys):
    with pytest.raises(SystemExit):
        main(["self-test", "--help"])
    assert "Your plans and settings are not touched" in capsys.readouterr().out


def test_a_window_that_cannot_load_qt_fails_its_check_and_the_rest_run(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_qt(name, *args, **kwargs):
        if name.endswith("selftest_window"):
            raise ImportError("libEGL.so.1: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_qt)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert main(["self-test"]) == 1
    out = capsys.readouterr().out
    assert "FAILED window: RuntimeError: Qt could not be loaded (ImportError: libEGL.so.1" in out
    assert "self-test --no-window" in out
    assert "ok     board pack:" in out  # the other checks ran
    assert out.splitlines()[-1] == "self-test FAILED: window"
