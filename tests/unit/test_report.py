"""The one-page board summary: one A4 page naming the recommendation, with the marking."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alliance_planner import samples
from alliance_planner.domain.summary import summarise
from alliance_planner.exchange.report import A4_LANDSCAPE, build_figure, write_report
from alliance_planner.store import migrations
from alliance_planner.store.planfile import PlanFile, file_version, read_plan, write_new

DATA = Path(__file__).parent.parent / "data"


def _texts(fig) -> list[str]:
    found = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        found += [t.get_text() for t in ax.texts] + [ax.get_title(loc="left")]
        for table in ax.tables:
            found += [c.get_text().get_text() for c in table.get_celld().values()]
    return found


@pytest.mark.parametrize("name", samples.names())
def test_the_summary_names_the_recommended_option_and_every_option(name):
    plan = samples.build(name)
    fig = build_figure(plan, runs=200, version="To the board")
    texts = " ".join(_texts(fig))
    recommended = next(o for o in plan.options if o.code == summarise(plan)["recommended"])
    assert f"Recommended: {recommended.name}"[:60] in texts
    for option in plan.options:
        if not option.is_baseline:
            assert option.name[:30] in texts
    assert plan.marking in texts and "version: To the board" in texts
    assert tuple(fig.get_size_inches()) == A4_LANDSCAPE


def test_a_written_summary_is_one_page_with_nothing_off_the_page(tmp_path):
    plan = samples.build("national")
    path = write_report(plan, tmp_path / "summary.pdf", runs=200)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and b"/Count 1 " in data.replace(b"\n", b" ")
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
        assert "Pages: 1" in " ".join(info.split())
    # every text inside the page (matplotlib's own extents)
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = build_figure(plan, runs=200)
    renderer = FigureCanvasAgg(fig).get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, \
            text.get_text()
    assert not list(tmp_path.glob(".*"))  # no temporary file left


def test_the_marking_is_a_plan_setting_printed_top_and_foot():
    plan = samples.build("mobile-data").replace(marking="OFFICIAL-SENSITIVE")
    texts = _texts(build_figure(plan, runs=100))
    assert texts[0] == "OFFICIAL-SENSITIVE"
    assert any(t.startswith("OFFICIAL-SENSITIVE · ") for t in texts)


def test_a_format_4_plan_is_official_and_upgrades(tmp_path):
    path = tmp_path / "old.alliance"
    shutil.copy(DATA / "south-west-format4.alliance", path)
    assert file_version(path) == 4
    assert read_plan(path).marking == "OFFICIAL"
    with PlanFile.open(path) as f:
        f.save(f.load().replace(marking="OFFICIAL-SENSITIVE"), previous=f.load())
        assert [c.what for c in f.changes()] == ["import"]
    assert file_version(path) == len(migrations.MIGRATIONS)
    assert read_plan(path).marking == "OFFICIAL-SENSITIVE"


@pytest.mark.slow
def test_report_from_the_command_line(tmp_path):
    path = tmp_path / "sw.alliance"
    write_new(path, samples.build("south-west-alliance"))
    run = [sys.executable, "-m", "alliance_planner", "report", str(path)]
    done = subprocess.run([*run, "-o", str(tmp_path / "s.pdf"), "--version-name", "March"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    bad = subprocess.run([*run, "-o", str(tmp_path / "s.xlsx")], capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 1 and "the summary's name must end .pdf" in bad.stderr


def test_a_name_with_control_characters_is_printed_escaped(tmp_path):
    evil = "\x1b]0;owned\x07\x1b[2JRed\u202eesrever"
    plan = samples.build("mobile-data").replace(name=evil)
    texts = _texts(build_figure(plan, runs=100))
    assert not any("\x1b" in t or "\u202e" in t for t in texts)
    assert any("\\x1b]0;owned" in t for t in texts)
