"""The command line: scriptable access to plans, and the program's entry point.

Exit codes: 0 success, 1 a user error (bad file or value; one line on stderr naming it),
2 bad usage. A user error never prints a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .messages import escaped, one_line

PROG = "alliance-planner"
PROBLEMS_SHOWN = 20
"""A workbook's problems printed, one a line; a count says how many more there are."""


class UserError(Exception):
    """A problem the user can fix; its message is shown as it is."""


class UsageError(Exception):
    """The command's words are wrong: exit code 2."""


def _plan_path(text: str) -> Path:
    return Path(text)


def cmd_new(args: argparse.Namespace) -> int:
    from . import samples
    from .samples.common import england_and_wales
    from .store.planfile import write_new

    if args.list:
        for name in samples.names():
            print(name)
        return 0
    if args.list_forces:
        for force in england_and_wales():
            print(f"{force.code}\t{force.name}")
        return 0
    if args.output is None:
        raise UsageError("new needs -o PLAN (or --list / --list-forces)")
    if args.sample and args.forces:
        raise UsageError("new takes either --sample or --forces, not both")
    if args.forces:
        from .samples.blank import new_alliance

        codes = [c.strip() for c in args.forces.split(",") if c.strip()]
        try:
            plan = new_alliance(codes, name=args.name)
        except KeyError as exc:
            raise UserError(f"--forces: {exc.args[0]} (see 'new --list-forces')") from exc
    else:
        name = args.sample or samples.DEFAULT
        if name not in samples.names():
            raise UserError(f"--sample: no sample called {name!r}; "
                            f"choose one of: {', '.join(samples.names())}")
        plan = samples.build(name)
        if args.name:
            plan = plan.replace(name=args.name)
    write_new(args.output, plan, overwrite=args.force)
    print(one_line(f"wrote {args.output}: {plan.name}"))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    import dataclasses

    from .domain.summary import summarise, summary_text
    from .store.planfile import read_plan

    plan = read_plan(args.plan)
    if args.json:
        import json

        json.dump(summarise(plan), sys.stdout, indent=2)  # escapes control characters
        sys.stdout.write("\n")
    else:
        # Names a person typed reach the terminal escaped: an escape sequence would act.
        shown = plan.replace(name=escaped(plan.name),
                             alliance=escaped(plan.alliance) if plan.alliance else plan.alliance,
                             options=tuple(dataclasses.replace(o, name=escaped(o.name))
                                           for o in plan.options))
        print("\n".join(escaped(line) for line in summary_text(shown).split("\n")))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .exchange.board_pack import export
    from .store.planfile import read_plan

    plan = read_plan(args.plan)
    _writable(args.output)
    export(plan, args.output)
    print(one_line(f"wrote {args.output}: board pack of {plan.name}"))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from .exchange.template import write_template
    from .store.planfile import read_plan

    plan = read_plan(args.plan) if args.plan else None
    _writable(args.output)
    write_template(args.output, plan)
    print(one_line(f"wrote {args.output}"))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .exchange.inputs import read_workbook
    from .store.planfile import write_new

    imported = read_workbook(args.workbook)
    plan = imported.plan
    write_new(args.output, plan, overwrite=args.force)
    for note in imported.notes:
        print(one_line(f"note: {args.workbook}: {note}"), file=sys.stderr)
    print(one_line(f"wrote {args.output}: {plan.name} ({len(plan.forces)} forces, "
                   f"{len(plan.estate)} estate items, {len(plan.options)} options)"))
    return 0


def _writable(path: Path) -> None:
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name ending .xlsx")
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{path}: the workbook's name must end .xlsx")
    if not path.parent.exists():
        raise UserError(f"{path}: the folder {path.parent} does not exist")


def cmd_open(args: argparse.Namespace) -> int:
    """Open the window on a plan: the last one, or the bundled sample the first time."""
    if args.plan is not None:
        from .store.planfile import file_version

        file_version(args.plan)  # a foreign or missing file is refused before Qt starts
    # The window's plain-Python modules (NumPy above all) are imported before Qt: once
    # PySide6 is loaded, it reads the source of every module imported after it.
    from .domain import engine  # noqa: F401
    from .ui.app import run

    return run(args.plan, exit_when_ready=args.exit_when_ready)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from .domain.risk_summary import sensitivity_json, sensitivity_text
    from .domain.sensitivity import sensitivity
    from .store.planfile import read_plan

    plan = read_plan(args.plan)
    _print(plan, sensitivity_json if args.json else sensitivity_text, sensitivity(plan),
           as_json=args.json)
    return 0


def cmd_risk(args: argparse.Namespace) -> int:
    from .domain.risk import MAX_RUNS, simulate
    from .domain.risk_summary import risk_json, risk_text
    from .store.planfile import read_plan

    if not 1 <= args.runs <= MAX_RUNS:
        raise UsageError(f"--runs: must be from 1 to {MAX_RUNS:,} (got {args.runs:,})")
    if not -1 < args.correlation < 1:
        raise UsageError(f"--correlation: must be between -1 and 1 (got {args.correlation})")
    plan = read_plan(args.plan)
    sim = simulate(plan, args.runs, args.seed, correlation=args.correlation)
    _print(plan, risk_json if args.json else risk_text, sim, as_json=args.json)
    return 0


def _print(plan: Any, report: Callable[[Any, Any], Any], found: Any, *, as_json: bool) -> None:
    """A report as JSON, or as text with whatever a person typed escaped."""
    if as_json:
        import json

        json.dump(report(plan, found), sys.stdout, indent=2)  # escapes control characters
        sys.stdout.write("\n")
    else:
        print("\n".join(escaped(line) for line in report(plan, found).split("\n")))


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_new, "summary": cmd_summary, "export": cmd_export, "template": cmd_template,
    "import": cmd_import, "sensitivity": cmd_sensitivity, "risk": cmd_risk}


def _parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[[argparse.Namespace], int]]]:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Plan and appraise the standardisation of a police alliance's IT services. "
                    "With PLAN, open it in the window; with nothing, open the last plan (the "
                    "bundled sample the first time).",
        epilog="Commands: new, summary, sensitivity, risk, export, template, import. Run "
               "'alliance-planner COMMAND --help' for each.",
        usage="%(prog)s [-h] [--version] [--exit-when-ready] [PLAN | COMMAND ...]",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--exit-when-ready", action="store_true",
                        help="open the window, then close it as soon as it is ready "
                             "(for checks and benchmarks)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = sub.add_parser("new", help="create a plan file from a sample or from real forces",
                         description="Create a plan file from a bundled sample plan, or a new "
                                     "alliance from forces of England and Wales.")
    new.add_argument("--sample", metavar="NAME", help="the sample to start from "
                                                      "(see --list)")
    new.add_argument("--forces", metavar="CODES",
                     help="comma-separated force codes for a new alliance (see --list-forces)")
    new.add_argument("--name", help="the plan's name")
    new.add_argument("-o", "--output", type=_plan_path, metavar="PLAN",
                     help="the plan file to write (.alliance)")
    new.add_argument("--force", action="store_true", help="overwrite PLAN if it exists")
    new.add_argument("--list", action="store_true", help="print the sample names, one a line")
    new.add_argument("--list-forces", action="store_true",
                     help="print the 43 forces' codes and names")

    summary = sub.add_parser("summary", help="print each option's headline figures",
                             description="Appraise every option of a plan and print the "
                                         "headline figures.")
    summary.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    summary.add_argument("--json", action="store_true",
                         help="print JSON: money in pounds, unrounded")
    sens = sub.add_parser("sensitivity", help="print each option's tornado and the preferred "
                          "option's switching values", description="Swing each ranged input "
                          "of each option across its range, one at a time, and find the value "
                          "of each key input at which the preferred option stops beating the "
                          "next best, or its NPSV reaches zero.")
    sens.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    sens.add_argument("--json", action="store_true", help="print JSON: money in pounds")
    risk = sub.add_parser("risk", help="Monte Carlo: percentiles of NPV and NPSV, and "
                          "the chance of each outcome", description="Draw every ranged input "
                          "(triangular low / likely / high) RUNS times and print P10, P50 and "
                          "P90 of each option's and each force's NPV and NPSV, the chance NPV "
                          "is positive, that the savings target is met and that the preferred "
                          "option beats each other. The same seed gives the same figures.")
    risk.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    risk.add_argument("--runs", type=int, default=10_000, metavar="N",
                      help="how many draws (default 10,000)")
    risk.add_argument("--seed", type=int, default=20_260_401, metavar="S",
                      help="the random seed (default 20260401)")
    risk.add_argument("--correlation", type=float, default=0.5, metavar="R",
                      help="rank correlation between the costs of decisions on one platform "
                           "(default 0.5)")
    risk.add_argument("--json", action="store_true", help="print JSON: money in pounds")
    export = sub.add_parser("export", help="write the board pack workbook (.xlsx)",
                            description="Write a board pack: summary, assumptions, cash flows "
                                        "by option, shares, estate, sources and charts, with "
                                        "live formulas.")
    export.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    export.add_argument("-o", "--output", type=Path, metavar="BOARD.xlsx", required=True,
                        help="the workbook to write")

    template = sub.add_parser("template", help="write the data-collection template (.xlsx)",
                              description="Write a workbook for each force to fill in with "
                                          "its services, suppliers, costs and contracts.")
    template.add_argument("-o", "--output", type=Path, metavar="TEMPLATE.xlsx", required=True,
                          help="the workbook to write")
    template.add_argument("--plan", type=_plan_path, metavar="PLAN",
                          help="fill the template in from this plan")

    importer = sub.add_parser("import", help="make a plan from a filled template or a board "
                                             "pack", description="Read a filled template or a "
                              "board pack's input sheets into a new plan file: all or nothing.")
    importer.add_argument("workbook", type=Path, metavar="WORKBOOK.xlsx",
                          help="the workbook to read")
    importer.add_argument("-o", "--output", type=_plan_path, metavar="PLAN", required=True,
                          help="the plan file to write")
    importer.add_argument("--force", action="store_true", help="overwrite PLAN if it exists")
    return parser, COMMANDS


def main(argv: Sequence[str] | None = None) -> int:
    # On import, NumPy's OpenBLAS starts a thread for every core, which costs tens of
    # milliseconds at each start; the engine's matrices are far too small to use them.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            args = _parser()[0].parse_args(argv)
            run = COMMANDS[args.command]
        else:
            # Opening the window: a small parser, as every command's costs milliseconds.
            top = argparse.ArgumentParser(prog=PROG, parents=[], add_help=False)
            top.add_argument("plan", nargs="?", type=_plan_path)
            top.add_argument("-h", "--help", action="store_true")
            top.add_argument("--version", action="store_true")
            top.add_argument("--exit-when-ready", action="store_true")
            args, rest = top.parse_known_args(argv)
            if args.help or rest:
                _parser()[0].parse_args(argv)  # prints help or the usage error and exits
            if args.version:
                print(f"{PROG} {__version__}")
                return 0
            run = cmd_open
        return run(args)
    except BrokenPipeError:
        # The reader went away (`summary | head`): nothing more to say to it.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stops the flush at exit failing
        return 1
    except UsageError as exc:
        _parser()[0].print_usage(sys.stderr)
        print(f"{PROG}: error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except Exception as exc:
        message = _user_message(exc)
        if message is None:
            raise
        print(f"{PROG}: error: {message}", file=sys.stderr)
        return 1


def _user_message(exc: Exception) -> str | None:
    """The message for an error the user can fix, None for a bug: one line (a workbook's
    problems add one line each, up to `PROBLEMS_SHOWN`), whatever the file held."""
    from .domain.validation import ValidationError
    from .store.planfile import PlanFileError

    if isinstance(exc, UserError | PlanFileError):
        return one_line(str(exc))
    if isinstance(exc, ValidationError):
        shown = [one_line(str(p), 120) for p in exc.problems[:5]]
        more = len(exc.problems) - len(shown)
        return one_line("; ".join(shown) + (f" (and {more:,} more)" if more > 0 else ""))
    workbook = _workbook_message(exc)
    if workbook is not None:
        return workbook
    if isinstance(exc, OSError) and (exc.filename or exc.strerror):
        return one_line(f"{exc.filename}: {exc.strerror or exc}" if exc.filename
                        else str(exc.strerror))
    return None


def _workbook_message(exc: Exception) -> str | None:
    """The message for a workbook that could not be imported; None for any other error."""
    inputs = sys.modules.get(f"{__package__}.exchange.inputs")
    if inputs is None:  # nothing read a workbook: no import of openpyxl just to say so
        return None
    if isinstance(exc, inputs.WorkbookUnreadable):
        return one_line(str(exc))
    if isinstance(exc, inputs.WorkbookProblems):
        # The problems one a line, each naming its sheet, row and column, and a count of
        # any not shown.
        return (one_line(f"{exc.path}: {exc.count:,} problem{'s' if exc.count != 1 else ''}"
                         "; nothing was imported") + "".join(
            f"\n  {line}" for line in exc.lines(PROBLEMS_SHOWN)))
    return None


if __name__ == "__main__":
    sys.exit(main())
