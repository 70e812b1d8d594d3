"""The charts, drawn with plain matplotlib onto a figure the caller owns.

The window wraps these figures in a Qt canvas and the exports save them to files, so a
chart looks the same wherever it is seen. No Qt here; matplotlib is imported by callers.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from . import formats
from .domain.engine import Results
from .domain.headlines import recommended
from .domain.model import Mode, OptionRole, Plan, financial_year_label

if TYPE_CHECKING:  # the risk and sensitivity modules load with the Risk page, not at start
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from .domain.risk import Simulation
    from .domain.sensitivity import Bar

OPTION_COLOURS = ("#6b6b6b", "#1f77b4", "#d95f02", "#1b9e77", "#7570b3", "#e7298a",
                  "#66a61e", "#e6ab02", "#a6761d", "#17becf")


@dataclass(frozen=True)
class Theme:
    """Colours that follow the window's light or dark palette."""

    text: str = "#202020"
    background: str = "#ffffff"
    grid: str = "#d0d0d0"


def option_colour(index: int) -> str:
    return OPTION_COLOURS[index % len(OPTION_COLOURS)]


def _style(ax: Axes, theme: Theme, title: str, ylabel: str) -> None:
    ax.set_facecolor(theme.background)
    ax.set_title(title, color=theme.text, fontsize=10, loc="left")
    ax.set_ylabel(ylabel, color=theme.text, fontsize=9)
    ax.tick_params(colors=theme.text, labelsize=8)
    for spine in ax.spines.values():
        spine.set_color(theme.grid)
    ax.grid(True, color=theme.grid, linewidth=0.5, alpha=0.7)
    ax.set_axisbelow(True)


TARGET_COLOUR = "#b00020"
FEW_FORCES = 6
"""Up to this many forces, Compare names each force beside its bars; beyond, the bars are
sorted and the Each force tab names them (the national plan has 43)."""
NAME_WIDTH = 40
"""An option's name in a legend is shortened to this many characters."""


def _year_locator(first: int, last: int, fontsize: float = 8) -> object:
    """Every year from `first` to `last`, or every second or fifth: as many "2026/27"
    labels as fit side by side at the width the axes have when drawn (asked at each draw,
    so a narrower window gets fewer labels rather than labels on top of each other)."""
    from matplotlib.ticker import Locator

    class Years(Locator):
        def __call__(self) -> list[int]:
            return self.tick_values(first, last)

        def tick_values(self, vmin: float, vmax: float) -> list[int]:
            years = last - first + 1
            if self.axis is None:
                return list(range(first, last + 1))
            axes = self.axis.axes
            label = 5.4 * fontsize * axes.figure.dpi / 72  # "2026/27" and a space
            room = max(1, int(axes.get_window_extent().width // label))
            step = next((s for s in (1, 2, 3, 5, 10, 20, 25, 50) if -(-years // s) <= room),
                        years)
            return list(range(first, last + 1, step))

    return Years()


def _year_axis(ax: Axes, results: Results, fontsize: float = 8) -> None:
    """Financial years along the bottom, as many labelled as fit."""
    from matplotlib.ticker import FuncFormatter

    first, last = int(results.years[0]), int(results.years[-1])
    ax.set_xlim(first - 0.5, last + 0.5)
    ax.xaxis.set_major_locator(_year_locator(first, last, fontsize))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda y, _: financial_year_label(round(y))))
    ax.tick_params(axis="x", labelsize=fontsize)


def _limits(series: Sequence[np.ndarray], extra: Sequence[float] = ()) -> tuple[float, float]:
    """Honest axis limits: from zero (or below it, for losses) to a round figure above the
    largest value, so a change of 0.6 FTE in 33 looks as small as it is. Nothing to show
    (every value nil) gives 0 to 1, not matplotlib's ±0.05."""
    from matplotlib.ticker import MaxNLocator

    values = [0.0, *extra]
    for s in series:
        if len(s):
            values += [float(np.min(s)), float(np.max(s))]
    low, high = min(values), max(values)
    if high - low < 1e-6:
        return 0.0, 1.0
    ticks = MaxNLocator(5).tick_values(low, high)
    return float(ticks[0]), float(ticks[-1])


def _nothing_yet(ax: Axes, theme: Theme, text: str, axis: str = "y") -> None:
    """Say why a chart is empty, and mark only the nil on its scale: no made-up range."""
    (ax.set_yticks if axis == "y" else ax.set_xticks)([0])
    ax.text(0.5, 0.5, textwrap.fill(text, 30), ha="center", va="center",
            transform=ax.transAxes, color=theme.text, fontsize=8)


def _fitting_locator(most: int = 5) -> object:
    """Round ticks, as many as `most` but no more than fit side by side (on an x axis) or
    one above another (on a y axis) at the size the axes have when drawn: a narrow chart
    gets £0m, £10m, £20m rather than six labels run together."""
    from matplotlib.ticker import MaxNLocator

    class Fitting(MaxNLocator):
        def tick_values(self, vmin: float, vmax: float) -> object:
            axis = self.axis
            if axis is None:
                return super().tick_values(vmin, vmax)
            axes = axis.axes
            box = axes.get_window_extent()
            em = 8 * axes.figure.dpi / 72  # the tick labels' size, in pixels
            across = axis is axes.xaxis
            formatter = axis.get_major_formatter()
            for bins in range(most, 0, -1):
                self.set_params(nbins=bins)
                ticks = super().tick_values(vmin, vmax)
                low, high = sorted((vmin, vmax))
                inside = [t for t in ticks if low <= t <= high]
                if across:
                    need = sum((0.62 * len(formatter(t, 0) or f"{t:g}") + 1.2) * em
                               for t in inside)
                    if need <= box.width:
                        return ticks
                elif len(inside) * 1.7 * em <= box.height:
                    return ticks
            return ticks

    return Fitting(most)


def _ticks_of(ax: Axes, axis: str = "y", most: int = 5) -> None:
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_locator(_fitting_locator(most))


def _recommended(plan: Plan, results: Results) -> int:
    return recommended([o.role for o in plan.options], results.npsv.tolist(), results.baseline)


def option_label(plan: Plan, results: Results, o: int, width: int = NAME_WIDTH) -> str:
    """An option's name for a legend, the recommended one marked: "(preferred)" when the
    plan marks it so, else "(best NPSV)"."""
    option = plan.options[o]
    name = textwrap.shorten(option.name, width, placeholder="…")
    if option.is_baseline:
        return name + " (baseline)" if len(plan.options) > 1 else name
    if o != _recommended(plan, results):
        return name
    return name + (" (preferred)" if option.role is OptionRole.PREFERRED else " (best NPSV)")


def _line_width(plan: Plan, results: Results, o: int) -> float:
    return 2.6 if o == _recommended(plan, results) and not plan.options[o].is_baseline else 1.5


def cost_by_year(ax: Axes, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
    for o, option in enumerate(plan.options):
        ax.plot(results.years, results.total_cost[o] / 1e6, color=option_colour(o),
                label=option.name, linewidth=_line_width(plan, results, o),
                linestyle="--" if option.is_baseline else "-")
    _style(ax, theme, "Net cost by year", "£m a year")
    ax.set_ylim(*_limits([results.total_cost[o] / 1e6 for o in range(len(plan.options))]))
    _ticks_of(ax)
    _year_axis(ax, results)
    if not np.any(np.abs(results.total_cost) > 0.5):
        _nothing_yet(ax, theme, "No costs yet: today's estate is empty")


def savings_target_deadline(plan: Plan) -> int | None:
    """The last year in which reaching the savings target counts."""
    if plan.savings_target is None or not plan.savings_target_years:
        return None
    return plan.base_year + plan.savings_target_years - 1


def target_label(plan: Plan) -> str:
    if plan.savings_target is None:
        return ""
    deadline = savings_target_deadline(plan)
    return (f"savings target {formats.money(plan.savings_target)}"
            + (f" by {financial_year_label(deadline)}" if deadline is not None else ""))


def cumulative_savings(ax: Axes, plan: Plan, results: Results, theme: Theme = Theme(), *,
                       only: int | None = None) -> None:
    """Each option's cumulative cashable savings (or option ``only``'s), and the plan's
    savings target: a dotted line at the amount and one at its deadline, meeting at ◆."""
    shown = [o for o, option in enumerate(plan.options)
             if not option.is_baseline and (only is None or o == only)]
    for o in shown:
        ax.plot(results.years, np.cumsum(results.savings[o]) / 1e6, color=option_colour(o),
                label=plan.options[o].name,
                linewidth=_line_width(plan, results, o) if only is None else 2.2)
    ax.axhline(0, color=theme.text, linewidth=0.8)
    extra: list[float] = []
    if plan.savings_target is not None:
        amount = plan.savings_target / 1e6
        extra.append(amount)
        ax.axhline(amount, color=TARGET_COLOUR, linewidth=1, linestyle=":",
                   label=target_label(plan))
        deadline = savings_target_deadline(plan)
        if deadline is not None:
            ax.axvline(deadline, color=TARGET_COLOUR, linewidth=1, linestyle=":")
            ax.plot([deadline], [amount], marker="D", markersize=5, color=TARGET_COLOUR,
                    linestyle="none")
    _style(ax, theme, "Cumulative cashable savings", "£m")
    ax.set_ylim(*_limits([np.cumsum(results.savings[o]) / 1e6 for o in shown], extra))
    _ticks_of(ax)
    _year_axis(ax, results)
    if not shown:
        _nothing_yet(ax, theme, "No option to compare with business as usual yet")


def support_fte(ax: Axes, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
    for o, option in enumerate(plan.options):
        ax.step(results.years, results.support_fte[o], where="mid", color=option_colour(o),
                label=option.name, linewidth=_line_width(plan, results, o),
                linestyle="--" if option.is_baseline else "-")
    _style(ax, theme, "Support staff by year", "FTE")
    ax.set_ylim(*_limits(list(results.support_fte)))
    _ticks_of(ax)
    _year_axis(ax, results)
    if not np.any(results.support_fte > 0.005):
        _nothing_yet(ax, theme, "No support staff yet: today's estate is empty")


def force_name(name: str, width: int = 18) -> str:
    return textwrap.shorten(name, width, placeholder="…")


def _force_options(plan: Plan, results: Results) -> list[int]:
    """The options whose forces' NPV Compare shows: all but the baseline for a few forces;
    for many, the recommended one only."""
    others = [o for o, option in enumerate(plan.options) if not option.is_baseline]
    if len(plan.forces) > FEW_FORCES and others:
        best = _recommended(plan, results)
        return [best] if best in others else others[-1:]
    return others


def force_shares(ax: Axes, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
    """Each force's NPV. A few forces: each named, a bar an option. Many: the recommended
    option's, highest to lowest (the Each force tab names them all)."""
    shown = _force_options(plan, results)
    n_f = len(plan.forces)
    values = [results.force_npv[o] / 1e6 for o in shown]
    if n_f <= FEW_FORCES:
        height = 0.8 / max(1, len(shown))
        y = np.arange(n_f)
        for i, (o, v) in enumerate(zip(shown, values, strict=True)):
            ax.barh(y + i * height - 0.4 + height / 2, v, height, color=option_colour(o),
                    label=plan.options[o].name)
        ax.axvline(0, color=theme.text, linewidth=0.8)
        ax.set_yticks(y)
        ax.set_yticklabels([force_name(f.name) for f in plan.forces], fontsize=8)
        ax.set_ylim(n_f - 0.5, -0.5)
        _style(ax, theme, "Each force's NPV", "")
        ax.set_xlim(*_limits(values))
        _ticks_of(ax, "x")
        ax.xaxis.set_major_formatter(_millions_formatter())
        ax.grid(False, axis="y")
    else:
        x = np.arange(n_f)
        for o, v in zip(shown, values, strict=True):
            ax.bar(x, np.sort(v)[::-1], 0.8, color=option_colour(o),
                   label=plan.options[o].name)
        ax.axhline(0, color=theme.text, linewidth=0.8)
        ax.set_xticks([])
        ax.set_xlim(-0.6, n_f - 0.4)
        ax.set_xlabel(f"{n_f} forces, highest to lowest", color=theme.text, fontsize=8)
        _style(ax, theme, "Each force's NPV", "£m")
        ax.set_ylim(*_limits(values))
        _ticks_of(ax)
    if not shown:
        _nothing_yet(ax, theme, "No option to compare yet", "x" if n_f <= FEW_FORCES else "y")


def roadmap_height(plan: Plan) -> int:
    """The least height, in pixels at 100 DPI, at which the roadmap's service names stay
    clear of each other: the window scrolls the chart below it."""
    return 16 * len(plan.services) + 90


def roadmap(ax: Axes, plan: Plan, results: Results, option_index: int,
            theme: Theme = Theme()) -> None:
    """Each service's go-live in one option against every force's contract end."""
    option = plan.options[option_index]
    first, last = int(results.years[0]), int(results.years[-1]) + 1
    flagged = {(e.service, e.force) for e in results.early_exits if e.option == option.code}
    rows = [s for s in plan.services]
    for y, service in enumerate(rows):
        d = option.decision_for(service.code)
        if d is not None and d.makes_change and d.go_live_year is not None:
            start = d.go_live_year - len(d.transition_profile) + 1
            ax.barh(y, d.go_live_year - start, left=start, height=0.5, color=theme.grid)
            colour = option_colour(option_index) if d.mode is Mode.CONVERGE else "#8c8c8c"
            ax.barh(y, last - d.go_live_year, left=d.go_live_year, height=0.5, color=colour)
        for e in plan.estate:
            if e.service != service.code or e.contract_end is None:
                continue
            end = e.contract_end.year + (e.contract_end.month - 4) / 12 + 1 / 12
            if not first <= end <= last:
                continue
            late = (service.code, e.force) in flagged
            ax.plot(end, y, marker="v" if late else "|", markersize=9 if late else 12,
                    color="#b00020" if late else theme.text, linestyle="none")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([s.name for s in rows], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(first, last)
    from matplotlib.ticker import FuncFormatter

    ax.xaxis.set_major_locator(_year_locator(first, last - 1))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda y, _: financial_year_label(round(y))))
    _style(ax, theme, f"Roadmap: {option.name}", "")
    ax.grid(True, axis="x", color=theme.grid, linewidth=0.5)
    ax.grid(False, axis="y")


def _millions_formatter() -> object:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(_millions)


def fit_legend(figure: Figure, handles: Sequence[object], theme: Theme,
               fontsize: float = 8) -> None:
    """One legend above the charts, in as many columns as fit the figure's width (measured,
    where the canvas can measure), so that it is never cut off at either side."""
    renderer = getattr(figure.canvas, "get_renderer", lambda: None)()
    width = figure.bbox.width
    for ncols in range(min(len(handles), 5), 0, -1):
        legend = figure.legend(handles=handles, loc="outside upper center", ncols=ncols,
                               fontsize=fontsize, frameon=False, columnspacing=1.4,
                               handlelength=2.4)
        if ncols == 1 or renderer is None \
                or legend.get_window_extent(renderer).width <= 0.97 * width:
            break
        legend.remove()
    for text in legend.get_texts():
        text.set_color(theme.text)


def compare_figure(figure: Figure, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
    """The four comparison charts on one figure, two by two, with one legend for all above
    them. Laid out afresh at each full draw (constrained layout): titles, tick labels and
    the legend keep clear of each other at any size the window gives the figure."""
    figure.clear()
    figure.set_facecolor(theme.background)
    figure.set_layout_engine("constrained", w_pad=0.06, h_pad=0.06, hspace=0.06, wspace=0.04)
    axes = figure.subplots(2, 2)
    for ax, draw in zip(axes.flat, COMPARE_CHARTS, strict=True):
        draw(ax, plan, results, theme)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=option_colour(o), linewidth=_line_width(plan, results, o),
                      linestyle="--" if option.is_baseline else "-",
                      label=option_label(plan, results, o))
               for o, option in enumerate(plan.options)]
    if plan.savings_target is not None:
        handles.append(Line2D([], [], color=TARGET_COLOUR, linewidth=1, linestyle=":",
                              marker="D" if savings_target_deadline(plan) else None,
                              markersize=4, label=target_label(plan)))
    fit_legend(figure, handles, theme)


COMPARE_CHARTS = (cost_by_year, cumulative_savings, support_fte, force_shares)


class CompareChart:
    """The comparison figure, kept between edits so that an edit redraws only the data.

    `draw` builds the four charts; `update` moves the lines and bars to new figures and
    says whether it could: the same options, forces, years and recommended option, and
    axis limits that the new figures would give too (so the in-place chart is the one a
    full redraw would draw). The data artists are marked animated so that a window can
    blit them over a cached background: an edit costs milliseconds, not a full redraw.
    """

    def __init__(self, figure: Figure):
        self.figure = figure
        self.key: tuple[object, ...] | None = None
        self.artists: list[object] = []
        self._series: list[tuple[Axes, list[object], str]] = []

    @staticmethod
    def _shape(plan: Plan, results: Results, theme: Theme) -> tuple[object, ...]:
        return (tuple(o.code for o in plan.options), tuple(o.name for o in plan.options),
                tuple(o.role for o in plan.options), tuple(f.code for f in plan.forces),
                tuple(f.name for f in plan.forces), tuple(results.years.tolist()),
                plan.savings_target, plan.savings_target_years,
                _recommended(plan, results) if plan.options else None, theme)

    @staticmethod
    def _data(plan: Plan, results: Results) -> list[tuple[list[np.ndarray], list[float], str]]:
        """Per chart: each artist's figures in the order the charts draw them, the values
        its axis must also show, and how the artists hold them ("y" for lines, "height"
        or "width" for vertical or horizontal bars)."""
        n_o = len(plan.options)
        others = [o for o, option in enumerate(plan.options) if not option.is_baseline]
        target = [] if plan.savings_target is None else [plan.savings_target / 1e6]
        few = len(plan.forces) <= FEW_FORCES
        bars = [results.force_npv[o] / 1e6 for o in _force_options(plan, results)]
        return [
            ([results.total_cost[o] / 1e6 for o in range(n_o)], [], "y"),
            ([np.cumsum(results.savings[o]) / 1e6 for o in others], target, "y"),
            ([results.support_fte[o] for o in range(n_o)], [], "y"),
            (bars if few else [np.sort(b)[::-1] for b in bars], [], "width" if few else "height"),
        ]

    def draw(self, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
        compare_figure(self.figure, plan, results, theme)
        self._series = []
        self.artists = []
        for ax, (series, _, kind) in zip(self.figure.axes, self._data(plan, results),
                                         strict=True):
            bars = kind != "y"
            found = list(ax.containers[: len(series)]) if bars else ax.lines[: len(series)]
            self._series.append((ax, found, kind))
            for artist in found:
                for part in (artist.patches if bars else [artist]):
                    part.set_animated(True)
                    self.artists.append(part)
        self.key = self._shape(plan, results, theme)

    def update(self, plan: Plan, results: Results, theme: Theme = Theme()) -> bool:
        if self.key != self._shape(plan, results, theme):
            return False
        data = self._data(plan, results)
        for (ax, _, kind), (series, extra, _) in zip(self._series, data, strict=True):
            if not series:
                continue
            limits = ax.get_xlim() if kind == "width" else ax.get_ylim()
            if _limits(series, extra) != tuple(limits):
                return False  # a full draw would give other axes: draw it
        for (_, artists, kind), (series, _, _) in zip(self._series, data, strict=True):
            for artist, values in zip(artists, series, strict=True):
                if kind == "y":
                    artist.set_ydata(values)
                    continue
                for bar, value in zip(artist.patches, values, strict=True):
                    (bar.set_width if kind == "width" else bar.set_height)(value)
        return True


# --- the Overview and each force ---------------------------------------------------------------

def ranked_npsv(ax: Axes, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
    """The options by NPSV, best at the top; the recommended one outlined and in bold."""
    others = sorted((o for o, option in enumerate(plan.options) if not option.is_baseline),
                    key=lambda o: -float(results.npsv[o]))
    best = _recommended(plan, results) if plan.options else -1
    values = np.array([results.npsv[o] / 1e6 for o in others])
    y = np.arange(len(others))
    bars = ax.barh(y, values, 0.62, color=[option_colour(o) for o in others])
    for bar, o in zip(bars, others, strict=True):
        if o == best:
            bar.set_edgecolor(theme.text)
            bar.set_linewidth(1.8)
    ax.axvline(0, color=theme.text, linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels([textwrap.fill(plan.options[o].name, 24, max_lines=2, placeholder="…")
                        for o in others], fontsize=8)
    for label, o in zip(ax.get_yticklabels(), others, strict=True):
        label.set_fontweight("bold" if o == best else "normal")
    ax.set_ylim(max(1, len(others)) - 0.5, -0.5)
    _style(ax, theme, "NPSV of each option", "")
    ax.grid(False, axis="y")
    ax.set_xlim(*_limits([values]))
    _ticks_of(ax, "x")
    ax.xaxis.set_major_formatter(_millions_formatter())
    if not others:
        ax.set_yticks([])
        _nothing_yet(ax, theme, "No option but business as usual yet", "x")


OVERVIEW_ROW = 30
"""Pixels an option takes in the Overview's ranking (its name on two lines)."""
OVERVIEW_SAVINGS = 190
"""Pixels the Overview's savings chart takes."""


def overview_height(plan: Plan) -> int:
    """The least height, in pixels at 100 DPI, at which the Overview's charts keep every
    option's name clear of the next: the window scrolls them below it."""
    others = sum(1 for o in plan.options if not o.is_baseline)
    return max(2, others) * OVERVIEW_ROW + 60 + OVERVIEW_SAVINGS


def overview_figure(figure: Figure, plan: Plan, results: Results,
                    theme: Theme = Theme()) -> None:
    """The Overview's charts, one above the other: the options ranked by NPSV, and the
    recommended option's cumulative savings against the savings target and its deadline.
    Each is laid out on its own, so the ranking's long names do not narrow the savings."""
    figure.clear()
    figure.set_facecolor(theme.background)
    figure.set_layout_engine("constrained", w_pad=0.06, h_pad=0.06)
    others = sum(1 for o in plan.options if not o.is_baseline)
    upper, lower = figure.subfigures(2, 1, height_ratios=(
        max(2, others) * OVERVIEW_ROW + 60, OVERVIEW_SAVINGS))
    for part in (upper, lower):
        part.set_facecolor(theme.background)
    left, right = upper.subplots(), lower.subplots()
    ranked_npsv(left, plan, results, theme)
    if not plan.options:
        return
    best = _recommended(plan, results)
    cumulative_savings(right, plan, results, theme, only=best)
    from matplotlib.lines import Line2D

    handles = []
    if not plan.options[best].is_baseline:
        handles.append(Line2D([], [], color=option_colour(best), linewidth=2.2,
                              label=option_label(plan, results, best, 28)))
    if plan.savings_target is not None:
        handles.append(Line2D([], [], color=TARGET_COLOUR, linewidth=1, linestyle=":",
                              marker="D" if savings_target_deadline(plan) else None,
                              markersize=4, label=target_label(plan)))
    if handles:
        legend = right.legend(handles=handles, loc="upper left", fontsize=7, framealpha=0.9,
                              facecolor=theme.background, edgecolor=theme.grid)
        for text in legend.get_texts():
            text.set_color(theme.text)


def _unit_formatter(unit: str) -> object:
    from matplotlib.ticker import FuncFormatter

    if unit == "£":
        return FuncFormatter(_millions)
    return FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 10 or v == 0 else f"{v:,.1f}")


EACH_FORCE_ROW = 17
"""Pixels a force takes in the Each force chart: the window makes the chart this tall a
force (and scrolls it), so every name is legible however many forces there are."""


def each_force(ax: Axes, plan: Plan, values: np.ndarray, title: str, unit: str,
               colour: str, theme: Theme = Theme()) -> None:
    """Every force's figure, highest first, each named: the national plan's 43 forces read
    down a list rather than as 43 unnamed bars. ``values`` in pounds, FTE or hours."""
    scale = 1e6 if unit == "£" else 1.0
    order = np.argsort(-values, kind="stable")
    n = len(order)
    y = np.arange(n)
    ax.barh(y, values[order] / scale, 0.7, color=colour)
    ax.axvline(0, color=theme.text, linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels([force_name(plan.forces[int(f)].name, 22) for f in order], fontsize=8)
    ax.set_ylim(n - 0.5, -0.5)
    _style(ax, theme, title, "")
    ax.grid(False, axis="y")
    ax.set_xlim(*_limits([values / scale]))
    _ticks_of(ax, "x")
    ax.xaxis.set_major_formatter(_unit_formatter(unit))
    if n > 12:  # a long list scrolls: the scale at the top as well as at the foot
        ax.tick_params(axis="x", labeltop=True)
    if not n:
        ax.set_yticks([])
        _nothing_yet(ax, theme, "The plan has no forces yet", "x")


DEAR_COLOUR, CHEAP_COLOUR, USUAL_COLOUR = "#c0392b", "#2e8b57", "#7f8c9a"
"""A benchmark bar dearer than the alliance's average by the page's margin, cheaper by it,
or within it."""


def benchmark(ax: Axes, names: Sequence[str], values: Sequence[float], average: float,
              title: str, dear: float, cheap: float, theme: Theme = Theme()) -> None:
    """Each force's cost of a service (£ a year per officer or per 1,000 people), dearest
    first, each named, against the alliance's average (the dashed line). A bar is red at
    ``dear`` times the average or more, green at ``cheap`` times or less. Forces that do not
    run the service (NaN) are left out."""
    from matplotlib.ticker import FuncFormatter

    shown = [(v, n) for v, n in zip(values, names, strict=True) if not math.isnan(v)]
    shown.sort(key=lambda pair: -pair[0])
    y = np.arange(len(shown))
    figures = np.array([v for v, _ in shown], dtype=np.float64)
    colours = [DEAR_COLOUR if average > 0 and v >= dear * average
               else CHEAP_COLOUR if average > 0 and v <= cheap * average else USUAL_COLOUR
               for v in figures]
    ax.barh(y, figures, 0.7, color=colours)
    ax.set_yticks(y)
    ax.set_yticklabels([force_name(n, 22) for _, n in shown], fontsize=8)
    ax.set_ylim(max(len(shown), 1) - 0.5, -0.5)
    _style(ax, theme, title, "")
    ax.grid(False, axis="y")
    known = average if average > 0 and not math.isnan(average) else 0.0
    ax.set_xlim(*_limits([figures], [known]))
    if known:
        ax.axvline(known, color=theme.text, linewidth=1, linestyle="--")
    _ticks_of(ax, "x")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"£{v:,.0f}"))
    if len(shown) > 12:  # a long list scrolls: the scale at the top as well as at the foot
        ax.tick_params(axis="x", labeltop=True)
    if not len(shown):
        ax.set_yticks([])
        _nothing_yet(ax, theme, "No force runs this service yet: add it on Today's estate",
                     "x")


# --- sensitivity and risk --------------------------------------------------------------------

LOW_END, HIGH_END = "#4c78a8", "#e45756"
"""A tornado's colours: the option's NPSV with the input at the low and at the high end."""
LABEL_WIDTH = 56
"""A tornado label wraps at this many characters, on two lines at most."""


def tornado_height() -> int:
    """The least height, in pixels at 100 DPI, at which a tornado's labels (two lines each)
    stay clear of each other."""
    from .domain.sensitivity import TOP

    return 28 * TOP + 100


def fit_title(text: str, figure: Figure, share: float = 1.0, fontsize: float = 10) -> str:
    """A title wrapped to the width it has: `share` of the figure's (a chart whose labels
    take the rest), so that it neither runs off the canvas nor over its neighbour."""
    char = 0.6 * fontsize * figure.dpi / 72
    return textwrap.fill(text, max(20, int(share * figure.bbox.width / char)), max_lines=2,
                         placeholder="…")


def _millions(value: float, _: object = None) -> str:
    """A money tick in £m: -£2.5m, £10m."""
    return f"{'-' if value < 0 else ''}£{abs(value):,g}m"


def _money_axis(axis: object) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.set_major_locator(_fitting_locator(7))  # type: ignore[attr-defined]
    axis.set_major_formatter(FuncFormatter(_millions))  # type: ignore[attr-defined]


def _end(value: float, unit: str) -> str:
    """An input's value at one end of its range, as the command line writes it."""
    return f"{value:.0%}" if unit == "%" else f"{value:.2f}×"


def tornado(ax: Axes, bars: Sequence[Bar], central: float, title: str,
            theme: Theme = Theme()) -> None:
    """An option's NPSV with each input at the low and the high end of its range, the
    largest swing at the top; each bar is split at the central NPSV, and its ends say the
    input's value there. ``bars`` as :func:`domain.sensitivity.sensitivity` gives them."""
    from .domain.sensitivity import TOP

    shown = list(bars[:TOP])
    c = central / 1e6
    _style(ax, theme, title, "")
    ax.grid(False, axis="y")
    if not shown:
        ax.set_yticks([])
        ax.text(0.5, 0.5, "No ranged input moves this option's NPSV", ha="center",
                va="center", transform=ax.transAxes, color=theme.text, fontsize=9)
        ax.axvline(c, color=theme.text, linewidth=1)
        _money_axis(ax.xaxis)
        return
    for y, bar in enumerate(shown):
        for npsv, colour, end in ((bar.npsv_low, LOW_END, bar.low),
                                  (bar.npsv_high, HIGH_END, bar.high)):
            x = npsv / 1e6
            ax.barh(y, x - c, left=c, height=0.62, color=colour)
            if bar.unit == "range" or math.isnan(end):
                continue
            ax.annotate(_end(end, bar.unit), (x, y), xytext=(3 if x >= c else -3, 0),
                        textcoords="offset points", ha="left" if x >= c else "right",
                        va="center", fontsize=7, color=theme.text)
    ax.axvline(c, color=theme.text, linewidth=1)
    ax.set_yticks(range(len(shown)))
    ax.set_yticklabels([textwrap.fill(b.label, LABEL_WIDTH, max_lines=2, placeholder="…")
                        for b in shown], fontsize=8)
    ax.invert_yaxis()
    ax.margins(x=0.12)
    low, high = ax.get_xlim()
    if low < 0 < high:
        ax.axvline(0, color="#b00020", linewidth=0.8, linestyle=":")
    _money_axis(ax.xaxis)
    ax.set_xlabel(f"NPSV; the line is today's estimate, {_millions(round(c, 2))}",
                  color=theme.text, fontsize=8)
    from matplotlib.patches import Patch

    # The smallest swings are at the bottom, around the central NPSV: the far corner is free.
    legend = ax.legend(handles=[Patch(color=LOW_END, label="input at the low end"),
                                Patch(color=HIGH_END, label="input at the high end")],
                       loc="lower left" if c > (low + high) / 2 else "lower right",
                       fontsize=7, framealpha=0.9, facecolor=theme.background,
                       edgecolor=theme.grid)
    for text in legend.get_texts():
        text.set_color(theme.text)


def _risk_options(plan: Plan, sim: Simulation) -> list[tuple[int, str, bool]]:
    """The simulated options but the baseline (its figures are nil by definition): the
    index, the name as the plan run had it, and whether it is the preferred."""
    names = {o.code: o.name for o in plan.options}
    return [(o, names.get(code, code), o == sim.preferred)
            for o, code in enumerate(sim.option_codes) if o != sim.baseline]


def risk_histogram(ax: Axes, plan: Plan, sim: Simulation, theme: Theme = Theme(),
                   bins: int = 60) -> None:
    """How the draws' NPSV fall: a band an option, each scaled to its own peak so that a
    narrow option does not flatten the rest; the preferred filled; P10, P50 and P90 marked
    in every band. The S-curve beside it gives the chances themselves."""
    from .domain.risk import PERCENTILES

    options = _risk_options(plan, sim)
    values = sim.npsv[:, [o for o, _, _ in options]] / 1e6
    low, high = (float(values.min()), float(values.max())) if values.size else (0.0, 0.0)
    if high - low < 1e-6:  # every draw alike: one bin each side of it
        low, high = low - 0.5, high + 0.5
    edges = np.linspace(low, high, bins + 1)
    n = len(options)
    for k, (o, name, preferred) in enumerate(options):
        base = n - 1 - k  # the first option at the top
        colour = option_colour(o)
        counts, _ = np.histogram(values[:, k], edges)
        height = 0.68 * counts / max(1, counts.max())
        ax.stairs(base + height, edges, baseline=base, fill=preferred, color=colour,
                  alpha=0.55 if preferred else 1.0, linewidth=1.3)
        if preferred:
            ax.stairs(base + height, edges, baseline=base, color=colour, linewidth=1.3)
        marks = sim.percentiles(sim.npsv[:, o]) / 1e6
        for p, x in zip(PERCENTILES, marks, strict=True):
            ax.plot([x, x], [base, base + 0.74], color=theme.text, gid=f"P{p}",
                    linewidth=1.6 if p == 50 else 0.9, linestyle="-" if p == 50 else "--")
            if preferred:
                ax.annotate(f"P{p}", (x, base + 0.74), xytext=(2, 0), textcoords="offset points",
                            va="bottom", fontsize=7, color=theme.text)
        ax.annotate(textwrap.shorten(name, 48, placeholder="…"), (0, base + 0.98),
                    xycoords=("axes fraction", "data"), xytext=(4, 0),
                    textcoords="offset points", va="top", fontsize=7, color=colour,
                    fontweight="bold" if preferred else "normal")
    ax.axvline(0, color="#b00020", linewidth=0.8, linestyle=":")
    _style(ax, theme, f"NPSV in {sim.runs:,} draws: P10, P50 (solid) and P90", "")
    ax.set_ylim(0, max(n, 1))
    ax.set_yticks([])
    ax.grid(False, axis="y")
    _money_axis(ax.xaxis)


def s_curve(ax: Axes, plan: Plan, sim: Simulation, theme: Theme = Theme(),
            points: int = 501) -> None:
    """The chance that each option's NPSV is at most a value: read P10, P50 and P90 off
    the dotted lines, and the chance of a loss where a curve crosses £0."""
    from matplotlib.ticker import PercentFormatter

    from .domain.risk import PERCENTILES

    share = np.linspace(0.0, 1.0, points)
    for o, name, preferred in _risk_options(plan, sim):
        x = np.quantile(sim.npsv[:, o], share) / 1e6
        ax.plot(x, share, color=option_colour(o), linewidth=2.2 if preferred else 1.3,
                zorder=3 if preferred else 2, label=name)
    for p in PERCENTILES:
        ax.axhline(p / 100, color=theme.grid, linewidth=0.9, linestyle=":")
        ax.annotate(f"P{p}", (0.0, p / 100), xycoords=("axes fraction", "data"),
                    xytext=(3, 2), textcoords="offset points", fontsize=7, color=theme.text)
    ax.axvline(0, color="#b00020", linewidth=0.8, linestyle=":")
    _style(ax, theme, "Chance that NPSV is at most the value (S-curve)", "")
    ax.set_ylim(0, 1)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    _money_axis(ax.xaxis)


def risk_figure(figure: Figure, plan: Plan, sim: Simulation, theme: Theme = Theme()) -> None:
    """The histogram and the S-curve side by side, with one legend for both. Laid out
    afresh at each draw (it is drawn once a run), so that a resized window keeps the
    legend and the titles clear."""
    figure.clear()
    figure.set_facecolor(theme.background)
    figure.set_layout_engine("constrained", w_pad=0.04, h_pad=0.04, wspace=0.02)
    left, right = figure.subplots(1, 2)
    risk_histogram(left, plan, sim, theme)
    s_curve(right, plan, sim, theme)
    for ax in (left, right):  # each title within its half of the figure
        ax.set_title(fit_title(ax.get_title(loc="left"), figure, 0.46), loc="left",
                     color=theme.text, fontsize=10)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=option_colour(o), linewidth=2.2 if preferred else 1.3,
                      label=textwrap.shorten(name, NAME_WIDTH, placeholder="…")
                      + (" (preferred)" if preferred else ""))
               for o, name, preferred in _risk_options(plan, sim)]
    if handles:
        fit_legend(figure, handles, theme)
