"""The analytics' chart, views and downloads per day, drawn on the server as SVG.

Only numbers are computed here (where each bar, gridline and label goes); the SVG
itself is a template (``trust/_analytics_chart.html``), so every text in it is
escaped like the rest of the page. No script, no library.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from trust.analytics import Counts

LEFT, RIGHT, TOP, BOTTOM = 46, 14, 14, 34
# Drawn twice, shown by the screen's width (CSS): wide, and narrow for phones, where the
# wide one scaled down would have unreadable labels.
WIDE = {"width": 760, "height": 260, "ticks": 7}
NARROW = {"width": 360, "height": 240, "ticks": 4}


@dataclass
class Bar:
    day: date
    x: float
    width: float
    views_y: float
    views_height: float
    downloads_y: float
    downloads_height: float
    counts: Counts


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Chart:
    width: int
    height: int
    left: int
    right: float
    top: int
    bottom: float
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    empty: bool


def _nice_max(value: int) -> int:
    """The top of the axis: four equal steps of 1, 2, 2.5, 3 or 5 x 10^n, the first that reach
    ``value`` (so every gridline has a round label)."""
    need = max(value, 1) / 4
    power = 10 ** max(0, math.floor(math.log10(need)))
    steps = (1, 2, 2.5, 3, 5, 10) if power >= 10 else (1, 2, 3, 5, 10)
    for step in steps:
        if step * power >= need:
            return int(4 * step * power)
    return int(40 * power)


def _day_label(day: date, *, with_month: bool) -> str:
    return f"{day.day} {day:%b}" if with_month else str(day.day)


def daily_chart(
    per_day: list[tuple[date, Counts]], *, width: int, height: int, ticks: int
) -> Chart:
    """Stacked bars (views below, downloads above) for each day of ``per_day``, in a
    ``width`` x ``height`` drawing with about ``ticks`` day labels."""
    plot_right, plot_bottom = width - RIGHT, height - BOTTOM
    plot_width, plot_height = plot_right - LEFT, plot_bottom - TOP
    top = _nice_max(max((counts.total for _, counts in per_day), default=0))
    slot = plot_width / max(len(per_day), 1)
    bar_width = max(slot * 0.72, 1.0) if len(per_day) <= 120 else max(slot * 0.9, 1.0)

    def y(value: float) -> float:
        return round(plot_bottom - value / top * plot_height, 2)

    bars = []
    for index, (day, counts) in enumerate(per_day):
        if not counts.total:
            continue
        x = round(LEFT + index * slot + (slot - bar_width) / 2, 2)
        views_top, total_top = y(counts.views), y(counts.total)
        bars.append(
            Bar(
                day=day,
                x=x,
                width=round(bar_width, 2),
                views_y=views_top,
                views_height=round(plot_bottom - views_top, 2),
                downloads_y=total_top,
                downloads_height=round(views_top - total_top, 2),
                counts=counts,
            )
        )
    y_ticks = [Tick(y(top * n / 4), str(top * n // 4)) for n in range(5)]
    every = max(1, math.ceil(len(per_day) / ticks))
    x_ticks = []
    for index in range(0, len(per_day), every):
        day = per_day[index][0]
        first_of_month = not x_ticks or day.month != per_day[index - every][0].month
        x_ticks.append(
            Tick(
                round(LEFT + index * slot + slot / 2, 2),
                _day_label(day, with_month=first_of_month or every > 1),
            )
        )
    return Chart(
        width=width,
        height=height,
        left=LEFT,
        right=plot_right,
        top=TOP,
        bottom=plot_bottom,
        bars=bars,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        empty=not bars,
    )
