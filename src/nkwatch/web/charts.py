"""A timeline of mentions as bars, laid out here and drawn by the template as inline SVG.

Months with no posts are bars of zero height, so the gaps show; a span longer
than `MONTHLY_SPAN` months is counted by year instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 720, 160
TOP, BOTTOM, LEFT = 14, 22, 30  # room for the top value, the axis labels and the scale
MONTHLY_SPAN = 48
MIN_MONTHS = 12  # a short timeline is drawn over its last year at least
MAX_BAR = 28


@dataclass(frozen=True)
class Bar:
    label: str  # "2020-10" or "2020"
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Tick:
    label: str
    x: float


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]  # labels under the axis
    peak: int
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM
    unit: str = "month"


def month_index(month: str) -> int:
    year, mon = month.split("-")
    return int(year) * 12 + int(mon) - 1


def bins(timeline: Sequence[tuple[str, int]]) -> tuple[list[tuple[str, int]], str]:
    """(label, count) for every month (or year) from the first to the last, gaps included."""
    if not timeline:
        return [], "month"
    first, last = month_index(timeline[0][0]), month_index(timeline[-1][0])
    first = min(first, last - MIN_MONTHS + 1)
    counts = dict(timeline)
    if last - first < MONTHLY_SPAN:
        labels = [f"{i // 12}-{i % 12 + 1:02d}" for i in range(first, last + 1)]
        return [(label, counts.get(label, 0)) for label in labels], "month"
    years: dict[str, int] = {str(y): 0 for y in range(first // 12, last // 12 + 1)}
    for month, n in timeline:
        years[month[:4]] += n
    return list(years.items()), "year"


def timeline_chart(timeline: Sequence[tuple[str, int]]) -> Chart | None:
    """Bars for a dossier's timeline; None when no post is dated."""
    counted, unit = bins(timeline)
    if not counted:
        return None
    peak = max(n for _, n in counted) or 1
    plot_w, plot_h = WIDTH - LEFT - 4, HEIGHT - TOP - BOTTOM
    step = plot_w / len(counted)
    width = min(step * 0.8, MAX_BAR)
    bars = []
    for i, (label, n) in enumerate(counted):
        h = plot_h * n / peak
        x = LEFT + i * step + (step - width) / 2
        bars.append(Bar(label, n, x, HEIGHT - BOTTOM - h, width, h))
    every = max(1, round(len(counted) / 8))
    ticks = tuple(
        Tick(label, b.x + b.width / 2)
        for i, (b, (label, _)) in enumerate(zip(bars, counted, strict=True))
        if i % every == 0
    )
    return Chart(tuple(bars), ticks, peak, unit=unit)


@dataclass(frozen=True)
class Dot:
    label: str  # "2024-03: 6,300 KPW/kg (Daily NK)"
    x: float
    y: float


@dataclass(frozen=True)
class FactChart:
    """The figures of one measure over time, one dot each, laid out for inline SVG."""

    title: str  # "rice price, KPW/kg"
    dots: tuple[Dot, ...]
    ticks: tuple[Tick, ...]
    low: float
    high: float
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT + 30
    baseline: int = HEIGHT - BOTTOM


def fact_chart(title: str, points: Sequence[tuple[str, float, str]]) -> FactChart | None:
    """Dots for (YYYY-MM, value, label) points, months spaced evenly from the first to the
    last (a year at least); None when there are fewer than two."""
    if len(points) < 2:
        return None
    first = min(month_index(m) for m, _, _ in points)
    last = max(month_index(m) for m, _, _ in points)
    first = min(first, last - MIN_MONTHS + 1)
    low, high = min(v for _, v, _ in points), max(v for _, v, _ in points)
    span = (high - low) or abs(high) or 1.0
    left = LEFT + 30
    plot_w, plot_h = WIDTH - left - 10, HEIGHT - TOP - BOTTOM
    step = plot_w / max(last - first, 1)

    def x_of(month: str) -> float:
        return left + (month_index(month) - first) * step

    dots = tuple(
        Dot(label, x_of(m), HEIGHT - BOTTOM - plot_h * ((v - low) / span if high > low else 0.5))
        for m, v, label in points
    )
    every = max(1, round((last - first + 1) / 6))
    ticks = tuple(
        Tick(f"{i // 12}-{i % 12 + 1:02d}", left + (i - first) * step)
        for i in range(first, last + 1)
        if (i - first) % every == 0
    )
    return FactChart(title, dots, ticks, low, high)
