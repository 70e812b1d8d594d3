"""The data-collection template: a workbook each force fills in and sends back."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from ..domain.model import Option, OptionRole, Plan
from ..samples.common import CATALOGUE, OFFICER_HOUR, STAFF_FTE, STANDARD_SOURCES, sources
from .cells import TITLE_FONT, WRAP, print_setup, put_text, save_workbook
from .inputs import write_inputs

SPARE_ROWS = 60

INSTRUCTIONS = (
    ("What this is", "The figures Alliance Planner needs about each force's services today. "
     "Fill in the yellow cells, save the workbook as it is (.xlsx) and send it back; the "
     "planner reads it with `alliance-planner import`."),
    ("Forces", "One row for your force: its short code (used on the other sheets), name, "
     "officers, staff and PCSOs as FTE, specials as headcount, population."),
    ("Services", "The service catalogue. Keep the codes; add a row for a service that is "
     "missing."),
    ("Estate", "One row for each service your force runs today: supplier, platform, the "
     "running cost a year in pounds NOT counting support staff, the support staff as FTE, "
     "the date the contract ends (a date, such as 31/03/2028), the number of users and the "
     "condition (good, fair or poor). Choose force and service codes from the lists."),
    ("Sources", "Say where each figure comes from. If a figure is your estimate, add a "
     "source marked as an assumption and give your reasoning; put its key in the Source "
     "column of the figures it supports."),
    ("Numbers", "Type plain numbers; £, commas and k/m suffixes are understood (250k, "
     "£1.2m). Percentages as 41% or 0.41 in a percentage cell. Leave a cell empty when a "
     "figure is not known and the column allows it."),
    ("Assumptions, Options, Decisions, Sites", "The planner fills these in; leave them as "
     "they are unless asked."),
    ("Checking", "Every problem is reported at once with its sheet, row and column, and "
     "nothing is imported until the whole workbook is right."),
)


def blank_plan() -> Plan:
    return Plan(
        name="New plan",
        services=CATALOGUE,
        cost_per_officer_hour=OFFICER_HOUR,
        cost_per_staff_fte=STAFF_FTE,
        options=(Option("BAU", "Business as usual", OptionRole.BASELINE),),
        sources=sources(STANDARD_SOURCES),
    )


def build(plan: Plan | None = None) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Instructions"
    put_text(ws["A1"], "Alliance Planner: data collection").font = TITLE_FONT
    put_text(ws["A2"], (plan.name if plan else "A new plan"))
    for r, (heading, text) in enumerate(INSTRUCTIONS, start=4):
        put_text(ws.cell(r, 1), heading).font = Font(bold=True)
        put_text(ws.cell(r, 2), text).alignment = WRAP
        ws.row_dimensions[r].height = 15 * (1 + len(text) // 95)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100
    print_setup(ws)
    write_inputs(wb, plan or blank_plan(), spare_rows=SPARE_ROWS)
    return wb


def write_template(path: str | Path, plan: Plan | None = None) -> None:
    save_workbook(build(plan), path)
