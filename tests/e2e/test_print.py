"""The board pack and the board summary as a board member reads them: printed to PDF by
LibreOffice, page by page."""

import subprocess

import pytest

from alliance_planner import samples
from alliance_planner.domain.summary import summarise
from alliance_planner.exchange import board_pack
from alliance_planner.exchange.libreoffice import convert_many
from alliance_planner.exchange.report import write_report

pytestmark = pytest.mark.slow


def pages(pdf) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    plans = {name: samples.build(name) for name in ("south-west-alliance", "national")}
    sources = []
    for name, plan in plans.items():
        sources.append(folder / f"{name}.xlsx")
        board_pack.export(plan, sources[-1], runs=500, version="Board, March")
    outputs, _ = convert_many(sources, folder / "pdf", to="pdf")
    return {name: (plans[name], pages(out)) for name, out in zip(plans, outputs, strict=True)}


@pytest.mark.parametrize("name", ["south-west-alliance", "national"])
def test_page_one_names_the_recommendation_and_every_page_its_marking_and_number(printed,
                                                                                 name):
    plan, printed_pages = printed[name]
    doc = summarise(plan)
    best = next(o for o in doc["options"] if o["code"] == doc["recommended"])
    assert f"Recommended: {best['name']}" in printed_pages[0]
    for n, page in enumerate(printed_pages, start=1):
        assert plan.marking in page
        assert f"Page {n} of {len(printed_pages)}" in page
        assert "###" not in page  # no figure too wide for its column


def test_the_national_pack_prints_no_helper_sheet(printed):
    _, printed_pages = printed["national"]
    titles = {page.strip().split("\n")[0].split("  ")[0] for page in printed_pages}
    assert not titles & set(board_pack.WORKINGS), titles
    assert len(printed_pages) <= 60  # 71 when the workings printed


def test_the_board_summary_is_one_page_naming_the_recommendation(tmp_path):
    plan = samples.build("operating-model-partner")
    path = write_report(plan, tmp_path / "summary.pdf", runs=300, version="Board, March")
    (page,) = pages(path)
    doc = summarise(plan)
    best = next(o for o in doc["options"] if o["code"] == doc["recommended"])
    assert f"Recommended: {best['name']}" in page
    assert page.strip().startswith(plan.marking)
