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

from .domain.engine import Results
from .domain.model import Mode, Plan, financial_year_label
from .domain.risk import PERCENTILES, Simulation
from .domain.sensitivity import TOP, Bar

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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


def _year_axis(ax: Axes, results: Results) -> None:
    years = results.years
    step = 1 if len(years) <= 6 else 2 if len(years) <= 12 else len(years) // 6
    ax.set_xticks(years[::step])
    ax.set_xticklabels([financial_year_label(int(y)) for y in years[::step]])


def _few_ticks(ax: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(5))


def cost_by_year(ax: Axes, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
    for o, option in enumerate(plan.options):
        ax.plot(results.years, results.total_cost[o] / 1e6,
                color=option_colour(o), label=option.name,
                linestyle="--" if option.is_baseline else "-")
    _style(ax, theme, "Net cost by year", "£m a year")
    _few_ticks(ax)
    _year_axis(ax, results)


def cumulative_savings(ax: Axes, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
    for o, option in enumerate(plan.options):
        if option.is_baseline:
            continue
        ax.plot(results.years, np.cumsum(results.savings[o]) / 1e6,
                color=option_colour(o), label=option.name)
    ax.axhline(0, color=theme.text, linewidth=0.8)
    if plan.savings_target is not None:
        ax.axhline(plan.savings_target / 1e6, color="#b00020", linewidth=1, linestyle=":",
                   label=f"target £{plan.savings_target / 1e6:,.0f}m")
    _style(ax, theme, "Cumulative cashable savings", "£m")
    _few_ticks(ax)
    _year_axis(ax, results)


def support_fte(ax: Axes, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
    for o, option in enumerate(plan.options):
        ax.step(results.years, results.support_fte[o], where="mid", color=option_colour(o),
                label=option.name, linestyle="--" if option.is_baseline else "-")
    _style(ax, theme, "Support staff by year", "FTE")
    _few_ticks(ax)
    _year_axis(ax, results)


def force_shares(ax: Axes, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
    """Each force's NPV: grouped by option for a few forces; sorted bars for many."""
    others = [o for o, option in enumerate(plan.options) if not option.is_baseline]
    n_f = len(plan.forces)
    if n_f > 8:  # too many bars to read: the preferred way only
        preferred = [o for o in others if plan.options[o].role.value == "preferred"]
        others = preferred or others[-1:]
    many = n_f > 12
    width = 0.8 / max(1, len(others))
    x = np.arange(n_f)
    for i, o in enumerate(others):
        values = results.force_npv[o] / 1e6
        if many:
            values = np.sort(values)[::-1]
        ax.bar(x + i * width - 0.4 + width / 2, values, width, color=option_colour(o),
               label=plan.options[o].name)
    ax.axhline(0, color=theme.text, linewidth=0.8)
    if many:  # names would not fit; the comparison table lists each force's NPV
        ax.set_xticks([])
        ax.set_xlabel(f"{n_f} forces, highest to lowest", color=theme.text, fontsize=8)
    else:
        ax.set_xticks(x)
        ax.set_xticklabels([f.name if n_f <= 6 else f.code for f in plan.forces],
                           rotation=0 if n_f <= 4 else 60, fontsize=7)
    title = "Each force's NPV" + (f": {plan.options[others[0]].name}"
                                  if len(others) == 1 else "")
    _style(ax, theme, title, "£m")
    _few_ticks(ax)


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
    ticks = list(range(first, last))
    step = max(1, len(ticks) // 10)
    ax.set_xticks(ticks[::step])
    ax.set_xticklabels([financial_year_label(t) for t in ticks[::step]], fontsize=8)
    _style(ax, theme, f"Roadmap: {option.name}", "")
    ax.grid(True, axis="x", color=theme.grid, linewidth=0.5)
    ax.grid(False, axis="y")


COMPARE_CHARTS = (cost_by_year, cumulative_savings, support_fte, force_shares)


def compare_figure(figure: Figure, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
    """The four comparison charts on one figure, two by two, with one legend for all.

    One shared legend and every other year on the axes: text is most of the drawing time.
    """
    figure.clear()
    figure.set_facecolor(theme.background)
    axes = figure.subplots(2, 2)
    for ax, draw in zip(axes.flat, COMPARE_CHARTS, strict=True):
        draw(ax, plan, results, theme)
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=option_colour(o), linewidth=2,
                      linestyle="--" if option.is_baseline else "-", label=option.name)
               for o, option in enumerate(plan.options)]
    legend = figure.legend(handles=handles, loc="upper center", ncols=min(4, len(handles)),
                           fontsize=8, frameon=False)
    for text in legend.get_texts():
        text.set_color(theme.text)
    # Fixed margins: tight_layout measures every label and costs more than the drawing.
    rows = (len(handles) + 3) // 4
    bottom = 0.16 if 4 < len(plan.forces) <= 12 else 0.07
    figure.subplots_adjust(left=0.07, right=0.985, top=0.9 - 0.04 * (rows - 1), bottom=bottom,
                           hspace=0.42, wspace=0.18)


class CompareChart:
    """The comparison figure, kept between edits so that an edit redraws only the data.

    `draw` builds the four charts; `update` moves the lines and bars to new figures and
    says whether it could (the same options, forces and years, and the figures still fit
    the axes well). The data artists are marked animated so that a window can blit them
    over a cached background: an edit costs milliseconds rather than a full redraw.
    """

    def __init__(self, figure: Figure):
        self.figure = figure
        self.key: tuple[object, ...] | None = None
        self.artists: list[object] = []
        self._series: list[tuple[Axes, list[object], bool]] = []

    @staticmethod
    def _shape(plan: Plan, results: Results, theme: Theme) -> tuple[object, ...]:
        return (tuple(o.code for o in plan.options), tuple(o.name for o in plan.options),
                tuple(o.role for o in plan.options), tuple(f.code for f in plan.forces),
                tuple(results.years.tolist()), plan.savings_target, theme)

    @staticmethod
    def _data(plan: Plan, results: Results) -> list[list[np.ndarray]]:
        """Per chart, per artist, the figures it shows, in the order the charts draw them."""
        others = [o for o, option in enumerate(plan.options) if not option.is_baseline]
        n_o = len(plan.options)
        shares = others
        if len(plan.forces) > 8:
            preferred = [o for o in others if plan.options[o].role.value == "preferred"]
            shares = preferred or others[-1:]
        bars = []
        for o in shares:
            values = results.force_npv[o] / 1e6
            bars.append(np.sort(values)[::-1] if len(plan.forces) > 12 else values)
        return [
            [results.total_cost[o] / 1e6 for o in range(n_o)],
            [np.cumsum(results.savings[o]) / 1e6 for o in others],
            [results.support_fte[o] for o in range(n_o)],
            bars,
        ]

    def draw(self, plan: Plan, results: Results, theme: Theme = Theme()) -> None:
        compare_figure(self.figure, plan, results, theme)
        data = self._data(plan, results)
        self._series = []
        self.artists = []
        for ax, series in zip(self.figure.axes, data, strict=True):
            is_bars = ax is self.figure.axes[3]
            found = list(ax.containers[: len(series)]) if is_bars else ax.lines[: len(series)]
            self._series.append((ax, found, is_bars))
            for artist in found:
                for part in (artist.patches if is_bars else [artist]):
                    part.set_animated(True)
                    self.artists.append(part)
        self.key = self._shape(plan, results, theme)

    def update(self, plan: Plan, results: Results, theme: Theme = Theme()) -> bool:
        if self.key != self._shape(plan, results, theme):
            return False
        data = self._data(plan, results)
        for (ax, _, is_bars), series in zip(self._series, data, strict=True):
            if not series:
                continue
            values = np.concatenate([*series, [0.0]] if is_bars else series)
            low, high = ax.get_ylim()
            span = high - low
            if values.min() < low or values.max() > high:
                return False
            if span > 0 and (values.max() - values.min()) < 0.35 * span:
                return False  # the figures would sit flat in a corner: rescale
        for (_, artists, is_bars), series in zip(self._series, data, strict=True):
            for artist, values in zip(artists, series, strict=True):
                if is_bars:
                    for bar, value in zip(artist.patches, values, strict=True):
                        bar.set_height(value)
                else:
                    artist.set_ydata(values)
        return True


# --- sensitivity and risk --------------------------------------------------------------------

LOW_END, HIGH_END = "#4c78a8", "#e45756"
"""A tornado's colours: the option's NPSV with the input at the low and at the high end."""
LABEL_WIDTH = 56
"""A tornado label wraps at this many characters, on two lines at most."""


def _millions(value: float, _: object = None) -> str:
    """A money tick in £m: -£2.5m, £10m."""
    return f"{'-' if value < 0 else ''}£{abs(value):,g}m"


def _money_axis(axis: object) -> None:
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axis.set_major_locator(MaxNLocator(7))  # type: ignore[attr-defined]
    axis.set_major_formatter(FuncFormatter(_millions))  # type: ignore[attr-defined]


def _end(value: float, unit: str) -> str:
    """An input's value at one end of its range, as the command line writes it."""
    return f"{value:.0%}" if unit == "%" else f"{value:.2f}×"


def tornado(ax: Axes, bars: Sequence[Bar], central: float, title: str,
            theme: Theme = Theme()) -> None:
    """An option's NPSV with each input at the low and the high end of its range, the
    largest swing at the top; each bar is split at the central NPSV, and its ends say the
    input's value there. ``bars`` as :func:`domain.sensitivity.sensitivity` gives them."""
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
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=option_colour(o), linewidth=2.2 if preferred else 1.3,
                      label=name + (" (preferred)" if preferred else ""))
               for o, name, preferred in _risk_options(plan, sim)]
    if handles:
        legend = figure.legend(handles=handles, loc="outside upper center",
                               ncols=min(3, len(handles)), fontsize=8, frameon=False)
        for text in legend.get_texts():
            text.set_color(theme.text)
