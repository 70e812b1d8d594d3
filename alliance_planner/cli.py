"""The command line: scriptable access to plans, and the program's entry point.

Exit codes: 0 success, 1 a user error (bad file or value; one line on stderr naming it),
2 bad usage. A user error never prints a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__, compiled_methods
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
        from .jsondoc import dump

        dump(summarise(plan), sys.stdout)  # escapes control characters
    else:
        # Names a person typed reach the terminal escaped: an escape sequence would act.
        shown = plan.replace(name=escaped(plan.name),
                             alliance=escaped(plan.alliance) if plan.alliance else plan.alliance,
                             options=tuple(dataclasses.replace(o, name=escaped(o.name))
                                           for o in plan.options))
        print("\n".join(escaped(line) for line in summary_text(shown).split("\n")))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .domain.risk import MAX_RUNS
    from .exchange.board_pack import export
    from .store.planfile import read_plan

    if not 1 <= args.runs <= MAX_RUNS:
        raise UsageError(f"--runs: must be from 1 to {MAX_RUNS:,} (got {args.runs:,})")
    plan = read_plan(args.plan)
    _writable(args.output)
    export(plan, args.output, runs=args.runs, seed=args.seed, version=args.version or "")
    print(one_line(f"wrote {args.output}: board pack of {plan.name}"))
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from .exchange.template import write_template
    from .store.planfile import read_plan

    plan = read_plan(args.plan) if args.plan else None
    if args.per_force:
        from .exchange.returns import write_per_force

        if plan is None:
            raise UsageError("--per-force: needs --plan, whose forces' rows fill each template")
        if args.output.exists() and not args.output.is_dir():
            raise UserError(f"{args.output}: is a file; with --per-force, -o names a folder")
        for path in write_per_force(args.output, plan):
            print(one_line(f"wrote {path}"))
        return 0
    _writable(args.output)
    write_template(args.output, plan)
    print(one_line(f"wrote {args.output}"))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .exchange.inputs import read_workbook
    from .store.planfile import write_new

    imported = read_workbook(args.workbook)
    plan = imported.plan
    write_new(args.output, plan, overwrite=args.force,
              logged=("import", str(args.workbook), _sha256(args.workbook),
                      f"{len(plan.forces)} forces, {len(plan.estate)} estate items, "
                      f"{len(plan.options)} options"))
    for note in imported.notes:
        print(one_line(f"note: {args.workbook}: {note}"), file=sys.stderr)
    print(one_line(f"wrote {args.output}: {plan.name} ({len(plan.forces)} forces, "
                   f"{len(plan.estate)} estate items, {len(plan.options)} options)"))
    return 0


def _writable(path: Path, suffix: str = ".xlsx", what: str = "workbook") -> None:
    if path.is_dir():
        raise UserError(f"{path}: is a folder; give a file name ending {suffix}")
    if path.suffix.lower() != suffix:
        raise UserError(f"{path}: the {what}'s name must end {suffix}")
    if not path.parent.exists():
        raise UserError(f"{path}: the folder {path.parent} does not exist")


def cmd_open(args: argparse.Namespace) -> int:
    """Open the window on a plan: the last one, or the bundled sample the first time."""
    if args.plan is not None:
        from .store.planfile import file_version

        file_version(args.plan)  # a foreign or missing file is refused before Qt starts
    # Python's cycle collector waits until the window is painted: the imports and the plan
    # make some hundred thousand objects that live as long as the program, and it scanned
    # them some ninety times (15 to 20 ms) before the first paint. The window's own
    # collector (ui/collector.py) takes over once it is painted.
    gc.disable()
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


def cmd_affordability(args: argparse.Namespace) -> int:
    from .domain.affordability import affordability, statement_json, statement_text
    from .domain.engine import appraise
    from .domain.headlines import recommended
    from .jsondoc import dump
    from .store.planfile import read_plan

    plan = read_plan(args.plan)
    options = [o.code for o in plan.options]
    forces = [f.code for f in plan.forces]
    if args.option is not None and args.option not in options:
        raise UsageError(f"--option: {args.plan} has no option {args.option!r}; its options "
                         f"are {', '.join(options)}")
    if args.force is not None and args.force not in forces:
        raise UsageError(f"--force: {args.plan} has no force {args.force!r}; its forces are "
                         f"{', '.join(forces)}")
    if args.option is None:
        r = appraise(plan)
        o = recommended([x.role for x in plan.options], r.npsv.tolist(), r.baseline)
    else:
        o = options.index(args.option)
    force = None if args.force is None else forces.index(args.force)
    a = affordability(plan)
    if args.json:
        dump(statement_json(plan, a, o, force, args.cash), sys.stdout)
    else:
        print("\n".join(escaped(line) for line in
                        statement_text(plan, a, o, force, args.cash).split("\n")))
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


def cmd_optimise(args: argparse.Namespace) -> int:
    import dataclasses

    from .domain.optimiser import Limits, OptimiseError, optimise
    from .formats import money
    from .store.planfile import read_plan, write_new

    plan = read_plan(args.plan)
    limits = Limits.of(plan)
    if args.budget_per_year is not None:
        limits = dataclasses.replace(limits, budget_per_year=args.budget_per_year)
    if args.max_concurrent is not None:
        limits = dataclasses.replace(limits, max_concurrent=args.max_concurrent)
    if args.no_early_exits:
        limits = dataclasses.replace(limits, allow_early_exits=False)
    try:
        roadmap = optimise(plan, limits)
    except OptimiseError as exc:
        raise UserError(f"{args.plan}: {exc}") from exc
    write_new(args.output, roadmap.plan, overwrite=args.force)
    option = roadmap.option
    print(one_line(f"wrote {args.output}: {escaped(plan.name)} with the new option "
                   f"{escaped(option.name)} ({escaped(option.code)})"))
    print(f"NPSV {money(roadmap.npsv)} (the programme's objective {money(roadmap.objective)})")
    print("limits met:")
    for line in roadmap.limits_met():
        print(f"  {line}")
    print(f"solved in {roadmap.seconds:.2f} s ({roadmap.solver_line()})")
    return 0


def _money(text: str) -> float:
    from .formats import ParseError, parse_number

    try:
        value = parse_number(text)
    except ParseError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, not {text!r}")
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, not {text!r}")
    return value


def _print(plan: Any, report: Callable[[Any, Any], Any], found: Any, *, as_json: bool) -> None:
    """A report as JSON, or as text with whatever a person typed escaped."""
    if as_json:
        from .jsondoc import dump

        dump(report(plan, found), sys.stdout)  # escapes control characters
    else:
        print("\n".join(escaped(line) for line in report(plan, found).split("\n")))


def _sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def cmd_versions(args: argparse.Namespace) -> int:
    from .store.planfile import PlanFile

    with PlanFile.open_read_only(args.plan) as f:
        versions, changes = f.versions(), f.changes()
    if args.json:
        import dataclasses

        from .jsondoc import dump

        dump({"versions": [dataclasses.asdict(v) for v in versions],
              "changes_log": [dataclasses.asdict(c) for c in changes]}, sys.stdout)
        return 0
    lines = [f"{'id':>4}  {'kept':<25} {'by':<16} name (note)"]
    lines += [f"{v.id:>4}  {v.created_at:<25} {v.created_by or '-':<16} {v.name}"
              + (f" ({v.note})" if v.note else "") for v in versions]
    if not versions:
        lines.append("  no named versions (Save Version in the window keeps one)")
    lines += ["", "Changes log:"]
    lines += [f"  {c.at}  {c.by or '-'}  {c.what}: {c.file} (SHA-256 {c.checksum[:12]}) "
              f"{c.detail}" for c in changes] or ["  nothing merged, imported or restored"]
    print("\n".join(escaped(line) for line in lines))
    return 0


def _version(f: Any, name: str, option: str) -> Any:
    """A version by its id or its name (the latest of that name)."""
    versions = f.versions()
    chosen = [v for v in versions if str(v.id) == name] or \
        [v for v in versions if v.name == name]
    if not chosen:
        known = ", ".join(f"{v.id} ({v.name})" for v in versions[-5:]) or "none"
        raise UserError(f"{option}: {f.path} has no version {name!r} (latest: {known})")
    return chosen[-1]


def cmd_diff(args: argparse.Namespace) -> int:
    from .domain.diff import diff_inputs, diff_json, diff_results, diff_text
    from .store.planfile import PlanFile

    with PlanFile.open_read_only(args.plan) as f:
        current = f.load()
        if args.source is None:
            versions = f.versions()
            if not versions:
                raise UserError(f"{args.plan}: has no named versions to compare with; name "
                                "one with --from, or save one first")
            old, old_name = f.load_version(versions[-1].id), versions[-1].name
        else:
            v = _version(f, args.source, "--from")
            old, old_name = f.load_version(v.id), v.name
        if args.target is None:
            new, new_name = current, "the plan as it is"
        else:
            v = _version(f, args.target, "--to")
            new, new_name = f.load_version(v.id), v.name
    inputs, results = diff_inputs(old, new), diff_results(old, new)
    if args.json:
        from .jsondoc import dump

        dump({"from": old_name, "to": new_name} | diff_json(inputs, results), sys.stdout)
    else:
        text = f"From {old_name} to {new_name}:\n" + diff_text(inputs, results)
        print("\n".join(escaped(line) for line in text.split("\n")))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .store.planfile import PlanFile, write_new

    with PlanFile.open_read_only(args.plan) as f:
        v = _version(f, args.version, "VERSION")
        plan = f.load_version(v.id)
    write_new(args.output, plan, overwrite=args.force,
              logged=("restore", str(args.plan), _sha256(args.plan),
                      f"version {v.id} {v.name!r}, kept {v.created_at}"))
    print(one_line(f"wrote {args.output}: version {v.id} ({v.name}) of {args.plan}"))
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from .domain.diff import diff_results, diff_text
    from .exchange.returns import read_return
    from .store.planfile import PlanFile

    with (PlanFile.open_read_only(args.plan) if args.dry_run else PlanFile.open(args.plan)) as f:
        plan = f.load()
        merge = read_return(args.workbook, plan, tuple(args.force or ()))
        for note in merge.notes:
            print(one_line(f"note: {args.workbook}: {note}"), file=sys.stderr)
        text = diff_text(list(merge.changes), diff_results(plan, merge.plan))
        print("\n".join(escaped(line) for line in text.split("\n")))
        if not merge.changes:
            print(one_line(f"{args.plan}: nothing to merge from {args.workbook}"))
            return 0
        if args.dry_run:
            print(one_line(f"--dry-run: {args.plan} was not changed"))
            return 0
        f.save_version(f"Before merging {args.workbook.name}", plan,
                       f"kept automatically before merging {args.workbook}")
        f.save_with_log(merge.plan, plan, "merge", str(args.workbook), merge.checksum,
                        merge.detail)
    print(one_line(f"merged {args.workbook} into {args.plan}: {merge.detail}; the plan "
                   f"before is kept as version 'Before merging {args.workbook.name}'"))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .exchange.report import RUNS, write_report
    from .store.planfile import read_plan

    plan = read_plan(args.plan)
    _writable(args.output, ".pdf", "summary")
    write_report(plan, args.output, version=args.version or "", runs=RUNS)
    print(one_line(f"wrote {args.output}: the one-page board summary of {plan.name} "
                   f"({plan.marking})"))
    return 0


def cmd_self_test(args: argparse.Namespace) -> int:
    """Check this installation end to end, the window included, with no display."""
    from . import selftest

    window = None
    if not args.no_window:
        # Offscreen whatever the session: the check must not need, or disturb, a display.
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from .domain import engine  # noqa: F401 - NumPy before Qt, as cmd_open does

        try:
            from .ui.selftest_window import drive_window
        except (ImportError, OSError) as exc:  # Qt or a library it needs cannot be loaded
            window = selftest.cannot_load_window(exc)
        else:
            window = drive_window
    return selftest.run(window)


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_new, "summary": cmd_summary, "export": cmd_export, "template": cmd_template,
    "import": cmd_import, "sensitivity": cmd_sensitivity, "risk": cmd_risk,
    "versions": cmd_versions, "diff": cmd_diff, "restore": cmd_restore, "merge": cmd_merge,
    "optimise": cmd_optimise, "report": cmd_report, "affordability": cmd_affordability,
    "self-test": cmd_self_test}


def _parser() -> tuple[argparse.ArgumentParser, dict[str, Callable[[argparse.Namespace], int]]]:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Plan and appraise the standardisation of a police alliance's IT services. "
                    "With PLAN, open it in the window; with nothing, open the last plan (the "
                    "bundled sample the first time).",
        epilog="Commands: new, summary, affordability, sensitivity, risk, optimise, export, "
               "report, template, import, merge, versions, diff, restore, self-test. Run "
               "'alliance-planner "
               "COMMAND --help' for each.",
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
    afford = sub.add_parser(
        "affordability", help="print an option's cash by year: capital, receipts, revenue, "
        "optimism bias, against business as usual", description="What an option costs the "
        "forces' budgets year by year, for the alliance or one force, in base-year prices "
        "or (with --cash) in cash of each year. Residual values and officer hours are not "
        "cash and are left out.")
    afford.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    afford.add_argument("--option", metavar="CODE", help="the option (default: the "
                        "recommended one, as summary names it)")
    afford.add_argument("--force", metavar="CODE", help="one force (default: the alliance)")
    afford.add_argument("--cash", action="store_true", help="cash of each year, by the "
                        "plan's GDP deflator series, instead of base-year prices")
    afford.add_argument("--json", action="store_true", help="print JSON: money in pounds")
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
    opt = sub.add_parser("optimise", help="choose the roadmap of most NPSV within the plan's "
                         "limits, as a new option", description="For each service, choose "
                         "which change the plan's options hold, and its go-live year, to give "
                         "the most NPSV within the plan's limits (or those given here), and "
                         "write the plan with the roadmap as a new option.")
    opt.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    opt.add_argument("--budget-per-year", type=_money, metavar="£",
                     help="the most the roadmap may spend once in a year over the baseline, "
                          "e.g. 4m (default: the plan's)")
    opt.add_argument("--max-concurrent", type=_count, metavar="N",
                     help="the most changes in flight at once (default: the plan's)")
    opt.add_argument("--no-early-exits", action="store_true",
                     help="never go live before a participating force's contract ends")
    opt.add_argument("-o", "--output", type=_plan_path, metavar="PLAN", required=True,
                     help="the plan file to write: the plan and the new option")
    opt.add_argument("--force", action="store_true", help="overwrite the output if it exists")
    export = sub.add_parser("export", help="write the board pack workbook (.xlsx)",
                            description="Write a board pack: summary, assumptions, cash flows "
                                        "by option, shares, estate, sources and charts, with "
                                        "live formulas.")
    export.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    export.add_argument("-o", "--output", type=Path, metavar="BOARD.xlsx", required=True,
                        help="the workbook to write")
    export.add_argument("--runs", type=int, default=10_000, metavar="N",
                        help="Monte Carlo draws on the Sensitivity and risk sheet (default "
                             "10,000)")
    export.add_argument("--seed", type=int, default=20_260_401, metavar="S",
                        help="the random seed (default 20260401)")
    export.add_argument("--version-name", dest="version", metavar="NAME",
                        help="the version name printed at the foot of every page")

    report = sub.add_parser("report", help="write the one-page board summary (.pdf)",
                            description="Write a one-page A4 summary for the board: the "
                            "recommendation and why, the options side by side, savings "
                            "against the target, each force's share, what moves the answer "
                            "and how sure it is, with the plan's protective marking.")
    report.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    report.add_argument("-o", "--output", type=Path, metavar="SUMMARY.pdf", required=True,
                        help="the PDF to write")
    report.add_argument("--version-name", dest="version", metavar="NAME",
                        help="the version name printed at the foot (e.g. the one kept for "
                             "the board)")
    template = sub.add_parser("template", help="write the data-collection template (.xlsx)",
                              description="Write a workbook for each force to fill in with "
                                          "its services, suppliers, costs and contracts.")
    template.add_argument("-o", "--output", type=Path, metavar="TEMPLATE.xlsx", required=True,
                          help="the workbook to write")
    template.add_argument("--plan", type=_plan_path, metavar="PLAN",
                          help="fill the template in from this plan")
    template.add_argument("--per-force", action="store_true",
                          help="one template a force of PLAN, each prefilled with that "
                               "force's rows, written into the folder -o names")

    versions = sub.add_parser("versions", help="list a plan's named versions and its "
                              "changes log", description="List the named versions kept in a "
                              "plan (when, by whom, why) and what was merged, imported or "
                              "restored into it.")
    versions.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    versions.add_argument("--json", action="store_true", help="print JSON")
    diff = sub.add_parser("diff", help="compare two versions of a plan, or one with today's",
                          description="List the inputs changed (sheet, row, field: old → new) "
                                      "and each option's results before and after.")
    diff.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    diff.add_argument("--from", dest="source", metavar="VERSION",
                      help="a version's id or name (default: the latest version)")
    diff.add_argument("--to", dest="target", metavar="VERSION",
                      help="a version's id or name (default: the plan as it is)")
    diff.add_argument("--json", action="store_true", help="print JSON: money in pounds")
    restore = sub.add_parser("restore", help="write a named version as a new plan file",
                             description="Write a version kept in PLAN as a new plan file; "
                                         "PLAN is not changed.")
    restore.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    restore.add_argument("version", metavar="VERSION", help="the version's id or name")
    restore.add_argument("-o", "--output", type=_plan_path, metavar="NEW", required=True,
                         help="the plan file to write")
    restore.add_argument("--force", action="store_true", help="overwrite NEW if it exists")
    merge = sub.add_parser("merge", help="merge a force's filled template into the plan",
                           description="Read a force's return (a template from 'template "
                           "--per-force', filled in), check it all or nothing, show what it "
                           "changes, and apply it: only that force's rows. The plan before is "
                           "kept as a named version.")
    merge.add_argument("plan", type=_plan_path, metavar="PLAN", help="the plan file")
    merge.add_argument("workbook", type=Path, metavar="RETURN.xlsx", help="the return")
    merge.add_argument("--force", action="append", metavar="CODE",
                       help="whose return it is (default: the forces on its Forces sheet); "
                            "may be given more than once")
    merge.add_argument("--dry-run", action="store_true",
                       help="show what would change and change nothing")

    selftest = sub.add_parser(
        "self-test", help="check this installation: a sample plan, every option, the window, "
        "the board pack, a template and the summary", description="Check, in a temporary "
        "folder, that this installation works: write and read the bundled sample plan, "
        "recompute every option, open it in the window (offscreen, no display needed) and "
        "show every page and Help › Method, export a board pack and a template and read "
        "them back, and write the board summary PDF. Prints each check; exit code 0 only "
        "if all passed, 1 naming the checks that failed. Your plans and settings are not "
        "touched.")
    selftest.add_argument("--no-window", action="store_true",
                          help="leave out the window (for a machine without Qt's libraries)")
    importer = sub.add_parser("import", help="make a plan from a filled template or a board "
                                             "pack", description="Read a filled template or a "
                              "board pack's input sheets into a new plan file: all or nothing.")
    importer.add_argument("workbook", type=Path, metavar="WORKBOOK.xlsx",
                          help="the workbook to read")
    importer.add_argument("-o", "--output", type=_plan_path, metavar="PLAN", required=True,
                          help="the plan file to write")
    importer.add_argument("--force", action="store_true", help="overwrite PLAN if it exists")
    return parser, COMMANDS


def _window_args(argv: list[str]) -> argparse.Namespace | None:
    """The window's arguments read without a parser when they are a plan at most and
    --exit-when-ready, as every start from the desktop is: argparse looks up its messages'
    translations as it builds a parser, loading the locale module, some 6 ms of a cold
    start. None when the parser is needed (help, --version, anything else)."""
    plans = [a for a in argv if a != "--exit-when-ready"]
    if len(plans) > 1 or any(a.startswith("-") for a in plans):
        return None
    return argparse.Namespace(plan=_plan_path(plans[0]) if plans else None, help=False,
                              version=False, exit_when_ready=len(plans) < len(argv))


def main(argv: Sequence[str] | None = None) -> int:
    # On import, NumPy's OpenBLAS starts a thread for every core, which costs tens of
    # milliseconds at each start; the engine's matrices are far too small to use them.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    compiled_methods.install()  # before the first record class is made
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            args = _parser()[0].parse_args(argv)
            run = COMMANDS[args.command]
        else:
            args = _window_args(argv)
            if args is None:
                # Opening the window: a small parser, as every command's costs milliseconds.
                top = argparse.ArgumentParser(prog=PROG, parents=[], add_help=False)
                top.add_argument("plan", nargs="?", type=_plan_path)
                top.add_argument("-h", "--help", action="store_true")
                top.add_argument("--version", action="store_true")
                top.add_argument("--exit-when-ready", action="store_true")
                args, rest = top.parse_known_args(argv)
                if args.help or rest:
                    _parser()[0].parse_args(argv)  # prints help or the usage error, exits
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
                         f"; {exc.nothing}") + "".join(
            f"\n  {line}" for line in exc.lines(PROBLEMS_SHOWN)))
    return None


if __name__ == "__main__":
    sys.exit(main())
