"""The board pack as a spreadsheet sees it: LibreOffice recalculates every formula, and every
figure equals the engine's, to the penny: each line of each year, each force's lines and
NPV, the results and the early exits, for every sample, for a plan that uses every input
the method has, and for changes typed into the workbook as a board member would type them.
The Sensitivity and risk sheet's check against the Summary's live NPSV is 0.00 as exported
and says the sheet is out of date once an input is changed."""

import dataclasses
import datetime
import math
import os
import shutil

import pytest
from openpyxl import load_workbook
from worked_example import worked_example

from alliance_planner import samples
from alliance_planner.domain import edits
from alliance_planner.domain.affordability import affordability, statement
from alliance_planner.domain.engine import appraise, compile_plan
from alliance_planner.domain.green_book import GDP_DEFLATORS, OBCategory
from alliance_planner.domain.model import (
    Decision,
    Deflator,
    EstateItem,
    Mode,
    Option,
    OptionRole,
    Service,
    SharingBasis,
    Site,
    SiteAction,
    financial_year_label,
)
from alliance_planner.domain.summary import summarise
from alliance_planner.domain.validation import ensure_valid
from alliance_planner.exchange import affordability_sheet, board_pack, risk_sheet
from alliance_planner.exchange.board_pack import FIRST_YEAR_COLUMN, TOP, SharesLayout
from alliance_planner.exchange.libreoffice import convert_many

pytestmark = [
    pytest.mark.slow,
    # CI installs LibreOffice (scripts/setup --test) and must run these; elsewhere they skip.
    pytest.mark.skipif(shutil.which("soffice") is None and os.environ.get("CI") != "true",
                       reason="LibreOffice is not installed (scripts/setup --test installs it)"),
]
PENNY = 0.005
LINES = {  # the cash-flow sheet's row -> the engine's [option, year] array
    "running": "running", "fte": "support_fte", "staff": "staff", "buildings": "buildings",
    "transition": "transition", "severance": "severance", "closure": "closure_costs",
    "other": "other_savings", "receipts": "receipts", "residual": "residual_value",
    "net": "total_cost", "saving": "savings", "hours": "officer_hours",
    "officer_fte": "officer_fte", "non_cashable": "non_cashable",
}
SOUTH_WEST = "south-west-alliance"


def everything_on():
    """The worked example with every input the method has in use: deflators and price
    years, pooled exit fees with a share of the charges left, an outsourcing running OB, a
    benefit ramp and realisation, staff transferred, a baseline refresh that the other
    options inherit, sites sold and kept, and a horizon past year 30."""
    plan = worked_example()
    a, b = plan.estate
    desk = plan.options[1].decisions[0]
    net = Service("net", "Network")
    return plan.replace(
        name="Every input", horizon_years=33, pool_exit_fees=True, sharing_basis=SharingBasis.EQUAL,
        deflators=tuple(Deflator(y, i) for y, i in GDP_DEFLATORS), deflator_growth=0.025,
        services=(*plan.services, net),
        estate=(
            dataclasses.replace(a, price_year=2023, contract_end=datetime.date(2030, 3, 31),
                                exit_remaining_share=0.25),
            dataclasses.replace(b, contract_end=datetime.date(2028, 6, 30), exit_fee=20_000),
            EstateItem("A", "net", annual_running_cost=300_000, support_fte=3,
                       contract_end=datetime.date(2031, 3, 31), exit_fee=50_000,
                       price_year=2024),
            EstateItem("B", "net", annual_running_cost=200_000, support_fte=2),
        ),
        sites=(dataclasses.replace(plan.sites[0], price_year=2022),
               Site("depot", "Depot", "A", annual_running_cost=80_000, market_value=1_000_000)),
        options=(
            Option("BAU", "Business as usual", OptionRole.BASELINE, decisions=(
                Decision("net", Mode.RETAIN, go_live_year=2028, transition_cost=200_000,
                         transition_profile=(0.25, 0.75), asset_life=8, optimism_bias=0.2,
                         price_year=2024),
            )),
            Option("ONE", "One service desk", OptionRole.PREFERRED, decisions=(
                dataclasses.replace(
                    desk, forces=("A", "B"), price_year=2024, exit_cost=30_000,
                    running_ob_category=OBCategory.OUTSOURCING, running_ob_mitigation=0.5,
                    ob_mitigation=0.4, benefit_realisation=0.8, other_savings=50_000,
                    benefit_ramp=(0.25, 0.5, 1.0), transfer_share=0.4),
            ), site_actions=plan.options[1].site_actions),
            Option("TWO", "A's desk and network", OptionRole.OTHER, decisions=(
                Decision("desk", Mode.CONVERGE, forces=("A",), go_live_year=2029,
                         transition_cost=100_000, shared_running_cost=700_000,
                         shared_support_fte=6, ob_category=OBCategory.STANDARD_BUILDINGS,
                         ob_mitigation=0.2, asset_life=40, transfer_share=1.0),
                Decision("net", Mode.CONVERGE, go_live_year=2027, transition_cost=400_000,
                         shared_running_cost=350_000, shared_support_fte=3,
                         officer_hours_per_week=100, benefit_ramp=(0.5, 1.0)),
            ), site_actions=(SiteAction("depot", 2030, disposal_receipt=900_000,
                                        closure_cost=50_000),)),
        ),
    )


def set_cell(ws, match: dict[str, object], changes: dict[str, object]) -> None:
    """Type `changes` into the row whose headed cells hold `match`."""
    headers = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1):
        if all(ws.cell(row, headers.index(k) + 1).value == v for k, v in match.items()):
            for k, v in changes.items():
                ws.cell(row, headers.index(k) + 1).value = v
            return
    raise AssertionError(f"no row {match} on {ws.title}")


def set_setting(wb, key: str, value) -> None:
    ws = wb["Assumptions"]
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == key)
    ws.cell(row, 3).value = value


def an_early_exit_to_make(plan):
    """A converging decision and a participating force's estate item for its service."""
    for o, option in enumerate(plan.options):
        for d in option.decisions:
            if d.mode is Mode.CONVERGE and d.go_live_year is not None:
                for e in plan.estate:
                    if e.service == d.service and (not d.forces or e.force in d.forces):
                        return o, d, e
    raise AssertionError("the plan converges nothing")


def priced_exit(plan):
    """The plan as the priced-exit workbook is typed: a decision in cash of 2023 and an
    estate item whose contract now runs three years past go-live, with an exit fee."""
    o, d, e = an_early_exit_to_make(plan)
    end = datetime.date(d.go_live_year + 3, 9, 30)
    plan = edits.set_decision(plan, o, d.service, dataclasses.replace(d, price_year=2023))
    plan = plan.replace(estate=tuple(
        dataclasses.replace(x, exit_fee=250_000.0, exit_remaining_share=0.5, contract_end=end)
        if x is e else x for x in plan.estate))
    if not plan.deflators:
        plan = plan.replace(deflators=tuple(Deflator(y, i) for y, i in GDP_DEFLATORS))
    ensure_valid(plan)
    return plan, (plan.options[o].code, d.service), e, end


def later_go_live(plan):
    ms = [o.code for o in plan.options].index("MS")
    decision = plan.options[ms].decision_for("service-desk")
    plan = edits.set_decision(plan, ms, "service-desk",
                              dataclasses.replace(decision, go_live_year=2029))
    return plan.replace(sharing_basis=SharingBasis.POPULATION)


@pytest.fixture(scope="module")
def pack_folder(tmp_path_factory):
    """Where each pack is exported, as `<name>.xlsx`, before anything is changed in it."""
    return tmp_path_factory.mktemp("packs")


@pytest.fixture(scope="module")
def recalculated(pack_folder):
    """Every pack, exported, changed as a board member would, and recalculated by
    LibreOffice in one go. Returns {name: (the plan as changed, the recalculated book)}."""
    folder = pack_folder
    plans = {name: samples.build(name) for name in samples.names()}
    plans["worked-example"] = worked_example()
    plans["everything-on"] = everything_on()
    sources = {}
    for name, plan in plans.items():
        sources[name] = folder / f"{name}.xlsx"
        board_pack.export(plan, sources[name], runs=1_000)  # the draws are not checked here
    south_west = plans[SOUTH_WEST]

    # The discount rate changed on the Assumptions sheet.
    wb = load_workbook(sources[SOUTH_WEST])
    set_setting(wb, "discount_rate", 0.06)
    sources["changed-rate"] = folder / "changed-rate.xlsx"
    wb.save(sources["changed-rate"])
    plans["changed-rate"] = south_west.replace(discount_rate=0.06)

    # The base year a year earlier: every year label, offset and price factor moves with it.
    wb = load_workbook(sources[SOUTH_WEST])
    set_setting(wb, "base_year", 2025)
    sources["earlier-base-year"] = folder / "earlier-base-year.xlsx"
    wb.save(sources["earlier-base-year"])
    plans["earlier-base-year"] = south_west.replace(base_year=2025)
    ensure_valid(plans["earlier-base-year"])

    # A base year the program refuses: the go-lives of 2027 fall before it.
    wb = load_workbook(sources[SOUTH_WEST])
    set_setting(wb, "base_year", 2030)
    sources["refused-base-year"] = folder / "refused-base-year.xlsx"
    wb.save(sources["refused-base-year"])
    plans["refused-base-year"] = south_west.replace(base_year=2030)

    # A shorter horizon: the later columns fall out, and the residual values move to the new
    # last year (the plan with every input has sites kept and transitions with life left).
    for name, horizon in ((SOUTH_WEST, 8), ("everything-on", 12)):
        wb = load_workbook(sources[name])
        set_setting(wb, "horizon_years", horizon)
        sources[f"shorter-horizon {name}"] = folder / f"shorter-horizon-{name}.xlsx"
        wb.save(sources[f"shorter-horizon {name}"])
        plans[f"shorter-horizon {name}"] = plans[name].replace(horizon_years=horizon)
        ensure_valid(plans[f"shorter-horizon {name}"])

    # A horizon the program refuses: the contracts' go-lives fall after its end.
    wb = load_workbook(sources[SOUTH_WEST])
    set_setting(wb, "horizon_years", 1)
    sources["refused-horizon"] = folder / "refused-horizon.xlsx"
    wb.save(sources["refused-horizon"])
    plans["refused-horizon"] = south_west.replace(horizon_years=1)

    # A go-live two years later and a different sharing basis.
    wb = load_workbook(sources[SOUTH_WEST])
    set_cell(wb["Decisions"], {"Option": "MS", "Service": "service-desk"}, {"Go-live": 2029})
    set_setting(wb, "sharing_basis", "population")
    sources["later-go-live"] = folder / "later-go-live.xlsx"
    wb.save(sources["later-go-live"])
    plans["later-go-live"] = later_go_live(south_west)

    # A decision's price year, and an exit fee with a later contract end on the Estate sheet
    # (and the deflator series typed in, if the plan has none).
    plan, (option, service), item, end = priced_exit(south_west)
    wb = load_workbook(sources[SOUTH_WEST])
    set_cell(wb["Decisions"], {"Option": option, "Service": service}, {"Price year": 2023})
    set_cell(wb["Estate"], {"Force": item.force, "Service": item.service},
             {"Exit fee": 250_000, "Exit: share of charges left": 0.5,
              "Contract ends": datetime.datetime(end.year, end.month, end.day)})
    if not south_west.deflators:
        for row, (year, index) in enumerate(GDP_DEFLATORS, start=2):
            wb["Deflators"].cell(row, 1).value = year
            wb["Deflators"].cell(row, 2).value = index
    sources["priced-exit"] = folder / "priced-exit.xlsx"
    wb.save(sources["priced-exit"])
    plans["priced-exit"] = plan

    outputs, _ = convert_many(list(sources.values()), folder / "recalculated")
    return {name: (plans[name], load_workbook(out, data_only=True))
            for name, out in zip(sources, outputs, strict=True)}


def close(value, expected, where=""):
    assert isinstance(value, int | float), (where, value)
    assert math.isclose(value, expected, abs_tol=PENNY), (where, value, expected)


def check_pack(plan, wb, columns=None):
    """Every figure of a recalculated pack against the engine's appraisal of `plan`; the
    pack holds `columns` year columns (the plan's horizon unless it was shortened in it),
    and those past the horizon are blank-headed and zero."""
    r = appraise(plan)
    x = compile_plan(plan)  # for the contracts' exit fees apart from other exit costs
    n_t = plan.horizon_years
    columns = columns or n_t
    for o, option in enumerate(plan.options):
        ws = wb[f"CF {option.code}"]
        for t in range(n_t):
            column = FIRST_YEAR_COLUMN + t
            assert ws.cell(TOP["header"], column).value == financial_year_label(
                plan.base_year + t), (option.code, "year label", t)
            close(ws.cell(TOP["df"], column).value, r.discount_factors[t], ("df", t))
            for row, attr in LINES.items():
                close(ws.cell(TOP[row], column).value, getattr(r, attr)[o, t],
                      (option.code, row, t))
            fees = ws.cell(TOP["exit_fees"], column).value
            close(fees, x.exit_fee[o, :, t].sum(), (option.code, "exit fees", t))
            close(fees + ws.cell(TOP["other_exit"], column).value, r.exit[o, t],
                  (option.code, "exit", t))
        for t in range(n_t, columns):
            column = FIRST_YEAR_COLUMN + t
            assert ws.cell(TOP["header"], column).value in (None, ""), (option.code, t)
            for row in ("df", *LINES, "exit_fees", "other_exit"):
                assert ws.cell(TOP[row], column).value == 0, (option.code, row, t)
        for row, attr in (("npv", "npv"), ("npsv", "npsv"), ("pvc", "pv_costs"),
                          ("pvb", "pv_benefits")):
            close(ws[f"C{TOP[row]}"].value, getattr(r, attr)[o], (option.code, row))
        for row, attr in (("bcr", "bcr"), ("npsv_per_pound", "npsv_per_pound")):
            value = ws[f"C{TOP[row]}"].value
            if math.isnan(getattr(r, attr)[o]):
                assert value == "–", (option.code, row, value)
            else:
                assert math.isclose(value, getattr(r, attr)[o], rel_tol=1e-9), (row, value)
        close(sum(ws.cell(TOP["one_off"], FIRST_YEAR_COLUMN + t).value for t in range(n_t)),
              r.transition[o].sum() + r.exit[o].sum() + r.severance[o].sum()
              + r.closure_costs[o].sum(), (option.code, "one-off"))
        payback = ws[f"C{TOP['payback']}"].value
        assert payback == ("never" if r.payback[o] < 0 else int(r.years[r.payback[o]]))
        met = ws[f"C{TOP['target_met']}"].value
        if plan.savings_target is None:
            assert met == "no target"
        else:
            assert met == ("met" if r.target_met[o] else "not met")

    shares, layout = wb["Shares"], SharesLayout(plan)
    for o, option in enumerate(plan.options):
        for f, force in enumerate(plan.forces):
            for line, expected in (("fte", r.by_force["support_fte"]),
                                   ("severance", r.by_force["severance"]),
                                   ("exit_fees", x.exit_fee)):
                for t in range(n_t):
                    close(shares.cell(layout.row(o, line, f), FIRST_YEAR_COLUMN + t).value,
                          expected[o, f, t], (option.code, force.code, line, t))
            for t in range(n_t):
                close(shares.cell(layout.row(o, "net", f), FIRST_YEAR_COLUMN + t).value,
                      r.force_cost[o, f, t], (option.code, force.code, "net", t))
            for t in range(n_t, columns):
                assert shares.cell(layout.row(o, "net", f), FIRST_YEAR_COLUMN + t).value == 0
            close(shares.cell(layout.row(o, "net", f), FIRST_YEAR_COLUMN + columns).value,
                  r.force_npv[o, f], (option.code, force.code, "NPV"))

    summary = wb["Summary"]
    labels = [summary.cell(row, 1).value for row in range(1, summary.max_row + 1)]
    first = labels.index("Each force's NPV") + 2
    for f in range(len(plan.forces)):
        assert summary.cell(first + f, 1).value == plan.forces[f].name
        for o in range(len(plan.options)):
            close(summary.cell(first + f, 2 + o).value, r.force_npv[o, f])
    npv_row = labels.index("NPV (cashable)") + 1
    for o in range(len(plan.options)):
        close(summary.cell(npv_row, 2 + o).value, r.npv[o])
    check_early_exits(plan, r, summary, labels)
    check_affordability(plan, wb)
    return r


def check_affordability(plan, wb):
    """The Affordability sheet's lines, year by year, against the domain's statement; its
    cash lines by the domain's deflator factors."""
    a = affordability(plan)
    ws = wb[affordability_sheet.SHEET]
    titles = {ws.cell(row, 1).value: row for row in range(1, ws.max_row + 1)}
    for t in range(plan.horizon_years):
        assert ws.cell(4, FIRST_YEAR_COLUMN + t).value == financial_year_label(a.years[t])
        close(ws.cell(5, FIRST_YEAR_COLUMN + t).value, a.nominal[t], ("cash factor", t))
    for o, option in enumerate(plan.options):
        title = option.name + (" (business as usual)" if o == a.baseline else "")
        first = titles[title] + 1
        lines = {line.label: line.values for line in statement(a, o)}
        lines["Net cash, in cash of each year"] = lines["Net cash"] * a.nominal
        lines["Net cash against business as usual, in cash of each year"] = (
            lines["Net cash against business as usual"] * a.nominal)
        for k, label in enumerate(affordability_sheet.LINES):
            assert ws.cell(first + k, 1).value == label
            for t in range(plan.horizon_years):
                close(ws.cell(first + k, FIRST_YEAR_COLUMN + t).value, lines[label][t],
                      (option.code, label, t))


def check_early_exits(plan, r, summary, labels):
    """The Summary's list of go-lives before a contract ends, as the workbook stands."""
    if "Go-lives before a contract ends (early exits)" not in labels:
        assert not r.early_exits
        return
    top = labels.index("Go-lives before a contract ends (early exits)") + 1
    assert summary.cell(top + 1, 2).value == len(r.early_exits)
    expected = {(plan.option(e.option).name, plan.service(e.service).name,
                 plan.force(e.force).name, e.contract_end, financial_year_label(e.go_live_year),
                 round(e.exit_cost, 2)) for e in r.early_exits}
    listed = set()
    row = top + 3
    while summary.cell(row, 1).value not in (None, "") and summary.cell(row, 6).value != "":
        text = summary.cell(row, 1).value
        if text.startswith("... and "):
            break
        cells = [summary.cell(row, c).value for c in range(1, 7)]
        cells[3] = cells[3].date()
        cells[5] = round(cells[5], 2)
        listed.add(tuple(cells))
        row += 1
    assert listed <= expected
    if len(listed) < len(expected):
        assert summary.cell(row, 1).value.startswith(f"... and {len(expected) - len(listed)} ")


def risk_sheet_check(wb) -> tuple[str, list]:
    """The Sensitivity and risk sheet's status line and each option's difference between
    its NPSV as computed and the Summary's live NPSV, as recalculated."""
    ws = wb[risk_sheet.SHEET]
    top = next(r for r in range(1, ws.max_row + 1)
               if ws.cell(r, 1).value == "Are these figures up to date?")
    differences = []
    row = top + 2
    while ws.cell(row, 1).value:
        differences.append(ws.cell(row, 4).value)
        row += 1
    return ws.cell(top, 2).value, differences


@pytest.mark.parametrize("name", [*samples.names(), "worked-example", "everything-on"])
def test_every_figure_equals_the_engines(recalculated, name):
    plan, wb = recalculated[name]
    check_pack(plan, wb)
    status, differences = risk_sheet_check(wb)
    assert differences and all(d == 0 for d in differences), differences
    assert status.startswith("Yes: ")
    check_recommendation(plan, wb)


def check_recommendation(plan, wb):
    """Page 1 opens with the recommended option, live: the one summary --json names."""
    doc = summarise(plan)
    best = next(o for o in doc["options"] if o["code"] == doc["recommended"])
    text = wb["Summary"]["A5"].value
    assert text.startswith(f"Recommended: {best['name']} · NPSV "), text
    npsv = round(best["npsv"])
    assert (f"-£{-npsv:,}" if npsv < 0 else f"£{npsv:,}") in text, (text, npsv)


def test_the_plan_with_every_input_uses_every_line(recalculated):
    """So that the comparison above is not vacuous: each new line is at work somewhere."""
    plan, _ = recalculated["everything-on"]
    r = appraise(plan)
    for attr in ("severance", "residual_value", "exit", "closure_costs", "receipts",
                 "other_savings", "officer_hours", "staff_transferred"):
        assert abs(getattr(r, attr)).sum() > 0, attr
    assert len(r.early_exits) >= 3
    assert len(r.discount_factors) > 31


def test_changing_the_discount_rate_in_the_workbook_recalculates_everything(recalculated):
    plan, wb = recalculated["changed-rate"]
    check_pack(plan, wb)
    assert "6.0%" in wb["Summary"]["A3"].value
    check_recommendation(plan, wb)  # its NPSV at the new rate
    status, differences = risk_sheet_check(wb)  # the program's figures are now out of date
    assert status.startswith("No: ") and any(d != 0 for d in differences)


def test_a_later_go_live_and_another_basis_typed_in_excel_recalculate(recalculated):
    plan, wb = recalculated["later-go-live"]
    r = check_pack(plan, wb)
    before = appraise(samples.build(SOUTH_WEST))
    assert not math.isclose(r.npv.sum(), before.npv.sum())


def test_a_price_year_and_an_exit_fee_typed_in_excel_recalculate(recalculated):
    plan, wb = recalculated["priced-exit"]
    r = check_pack(plan, wb)
    _, (option, service), item, _ = priced_exit(samples.build(SOUTH_WEST))
    assert any((e.option, e.service, e.force) == (option, service, item.force)
               and e.exit_cost > 250_000 for e in r.early_exits)


def test_an_earlier_base_year_typed_in_excel_moves_every_year_and_label(recalculated):
    plan, wb = recalculated["earlier-base-year"]
    r = check_pack(plan, wb)
    before = appraise(samples.build(SOUTH_WEST))
    assert not math.isclose(r.npv.sum(), before.npv.sum())
    assert wb["Summary"]["A3"].value.startswith("Base year 2025/26")
    assert "2025/26 prices" in wb[f"CF {plan.options[0].code}"]["A2"].value


def test_a_base_year_the_program_refuses_says_so_on_page_one(recalculated):
    plan, wb = recalculated["refused-base-year"]
    with pytest.raises(ValueError, match="go_live_year: 2027 is outside"):
        ensure_valid(plan)
    assert wb["Summary"]["A3"].value.startswith("THE BASE YEAR OR HORIZON IS ONE ALLIANCE "
                                                "PLANNER REFUSES")
    _, good = recalculated[SOUTH_WEST]
    assert good["Summary"]["A3"].value.startswith("Base year 2026/27, 11 years")


@pytest.mark.parametrize("name", [SOUTH_WEST, "everything-on"])
def test_a_shorter_horizon_typed_in_excel_recalculates_every_figure(recalculated, name):
    """Every figure equals the engine's for the shorter horizon, to the penny; the year
    columns past it are blank and zero, and the summary names the new horizon."""
    plan, wb = recalculated[f"shorter-horizon {name}"]
    exported, _ = recalculated[name]
    written = exported.horizon_years  # the pack's year columns
    assert written > plan.horizon_years
    r = check_pack(plan, wb, columns=written)
    longer = appraise(exported)
    assert not math.isclose(r.npv.sum(), longer.npv.sum())
    if name == "everything-on":
        assert abs(r.residual_value).sum() > 0  # moved to the new last year, not dropped
    assert f", {plan.horizon_years} years, " in wb["Summary"]["A3"].value
    check_recommendation(plan, wb)


def test_a_horizon_the_program_refuses_says_so_on_page_one(recalculated):
    plan, wb = recalculated["refused-horizon"]
    with pytest.raises(ValueError, match="outside the plan's years"):
        ensure_valid(plan)
    assert wb["Summary"]["A3"].value.startswith("THE BASE YEAR OR HORIZON IS ONE ALLIANCE "
                                                "PLANNER REFUSES")


def _same(shown, expected, where):
    if expected in (None, ""):
        assert shown in (None, ""), where
    elif isinstance(expected, str | datetime.datetime):
        assert shown == expected, where
    else:
        close(shown, expected, where)


@pytest.mark.parametrize("name", [*samples.names(), "everything-on"])
def test_a_viewer_that_does_not_calculate_shows_what_a_spreadsheet_calculates(
        recalculated, pack_folder, name):
    """Every formula a board member reads (the Summary, each option's lines and results,
    the Shares, Affordability and the risk sheet's check) carries a cached value, and it
    is the value LibreOffice calculates, to the penny; only the decision-by-decision
    detail below each cash-flow sheet's lines, and the hidden workings, are left blank."""
    plan, calculated = recalculated[name]
    path = pack_folder / f"{name}.xlsx"
    formulas, shown = load_workbook(path), load_workbook(path, data_only=True)
    read_sheets = ["Summary", affordability_sheet.SHEET, "Shares", risk_sheet.SHEET,
                   *(f"CF {o.code}" for o in plan.options)]
    checked = 0
    for sheet in read_sheets:
        for row in formulas[sheet].iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.value.startswith("=")):
                    continue
                if sheet.startswith("CF ") and cell.row >= TOP["details"]:
                    continue
                where = (sheet, cell.coordinate, cell.value[:80])
                value = shown[sheet][cell.coordinate].value
                expected = calculated[sheet][cell.coordinate].value
                if expected not in (None, ""):
                    assert value is not None, where
                _same(value, expected, where)
                checked += 1
    assert checked > 200
    assert shown["Summary"]["A5"].value.startswith("Recommended: ")
