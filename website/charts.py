"""Charts drawn as inline SVG on the server, for every app: the geometry is computed
here in plain Python, the templates in ``templates/components/chart_*.html`` only place
it. No script, no chart library, nothing fetched: a chart reads the same printed, with
JavaScript off and under a strict Content-Security-Policy.

Every chart carries its values as text labels (nothing is read from a length or a
colour alone), has ``role="img"`` with a title and a description, and its page shows a
data table with the same numbers next to it (the alternative for screen readers and the
source of the exports).

- ``bar_chart``: horizontal bars with a label and a value text per row. A row's mark is
  "exact" (a bar as long as its value), "small" (a dashed outline as long as a bar of
  ``small_length``: "fewer than this", for suppressed small numbers) or "hidden" (no
  bar, only the text).
- ``progress_chart``: one bar per target line: delivered (solid), not yet completed
  (hatched), planned (outlined), against a target marker.
- ``line_chart``: series per month (or any ordered x axis), each line with its own dash
  pattern and point shape besides its colour, named in a legend under the chart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 460
LABEL_WIDTH = 160
BAR_AREA = 200
ROW = 30
BAR = 18
TOP = 8
MIN_SCALE = 20
MAX_LABEL_CHARS = 20

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), text at 4.5:1.
TEXT = "#1a1a1a"
PRIMARY = "#0b4f71"
ACCENT = "#8a4b00"
THIRD = "#3d6b1f"
GRID = "#767676"
SERIES_STYLES = (
    # colour, dash pattern, point shape
    (PRIMARY, "", "circle"),
    (ACCENT, "6 3", "square"),
    (THIRD, "2 3", "diamond"),
)


def shorten(label: str, limit: int = MAX_LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


# ----- horizontal bars ----------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    label: str  # as drawn (long labels shortened; the table has the full text)
    text: str  # the value as shown: "12", "<5", "afgeschermd", "75%"
    mark: str  # "exact", "small" or "hidden"
    y: float  # top of the row
    bar_y: float
    text_y: float  # baseline of the texts
    width: float  # of the bar or the dashed outline; 0 for none
    value_x: float  # where the value text starts


@dataclass(frozen=True)
class Chart:
    height: int
    label_x: int
    bar_x: int
    bar_height: int
    bars: list[Bar]
    width: int = WIDTH

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def bar_chart(
    rows: Sequence[tuple[str, str, str, int | float | None]],
    *,
    small_length: int = 5,
    min_scale: int = MIN_SCALE,
    label_width: int = LABEL_WIDTH,
    label_chars: int = MAX_LABEL_CHARS,
) -> Chart:
    """``rows``: (label, shown text, mark, value if exact). A wider ``label_width``
    (with more ``label_chars``) widens the chart by the same amount."""
    exact = [value for _, _, mark, value in rows if mark == "exact" and value is not None]
    scale = max([min_scale, *exact])
    bars = []
    for number, (label, text, mark, value) in enumerate(rows):
        y = TOP + number * ROW
        if mark == "exact" and value:
            width = max(2.0, BAR_AREA * value / scale)
        elif mark == "small":
            width = BAR_AREA * small_length / scale
        else:
            width = 0.0
        bars.append(
            Bar(
                label=shorten(label, label_chars),
                text=text,
                mark=str(mark),
                y=y,
                bar_y=y + (ROW - BAR) / 2,
                text_y=y + ROW / 2 + 5,
                width=round(width, 1),
                value_x=round(label_width + width + 8, 1),
            )
        )
    return Chart(
        height=TOP * 2 + ROW * len(rows),
        label_x=label_width - 10,
        bar_x=label_width,
        bar_height=BAR,
        bars=bars,
        width=WIDTH + label_width - LABEL_WIDTH,
    )


def count_bars(rows: Sequence[tuple[str, int]], *, min_scale: int = 1) -> Chart:
    """Plain counts (label, value): every value exact, shown in Dutch number format,
    with room for labels of up to 30 characters."""
    return bar_chart(
        [(label, f"{value:,}".replace(",", "."), "exact", value) for label, value in rows],
        min_scale=min_scale,
        label_width=230,
        label_chars=30,
    )


# ----- progress towards a target ------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    kind: str  # "delivered", "unconfirmed" or "planned"


@dataclass(frozen=True)
class ProgressRow:
    label: str
    text: str  # e.g. "3 + 1 + 2 / 4"
    y: float
    bar_y: float
    text_y: float
    segments: list[Segment]
    target_x: float
    value_x: float

    @property
    def bottom(self) -> float:
        return self.y + ROW


@dataclass(frozen=True)
class ProgressChart:
    height: int
    label_x: int
    bar_x: int
    bar_height: int
    rows: list[ProgressRow]
    width: int = WIDTH

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def progress_chart(
    rows: Sequence[tuple[str, str, int, int, int, int]],
) -> ProgressChart:
    """``rows``: (label, shown text, delivered, not yet completed, planned, target). The
    scale fits the larger of the target and what is delivered and planned."""
    scale = max([1, *(max(target, d + u + p) for _, _, d, u, p, target in rows)])
    area = BAR_AREA - 20
    label_width = 200
    drawn = []
    for number, (label, text, delivered, unconfirmed, planned, target) in enumerate(rows):
        y = TOP + number * ROW
        x = float(label_width)
        segments = []
        for kind, value in (
            ("delivered", delivered),
            ("unconfirmed", unconfirmed),
            ("planned", planned),
        ):
            if value:
                width = area * value / scale
                segments.append(Segment(x=round(x, 1), width=round(width, 1), kind=kind))
                x += width
        target_x = label_width + area * target / scale
        drawn.append(
            ProgressRow(
                label=shorten(label, 26),
                text=text,
                y=y,
                bar_y=y + (ROW - BAR) / 2,
                text_y=y + ROW / 2 + 5,
                segments=segments,
                target_x=round(target_x, 1),
                value_x=round(max(x, target_x) + 8, 1),
            )
        )
    return ProgressChart(
        height=TOP * 2 + ROW * len(rows),
        label_x=label_width - 10,
        bar_x=label_width,
        bar_height=BAR,
        rows=drawn,
        width=WIDTH + label_width - LABEL_WIDTH + 80,  # room for "12 gegeven, doel 4"
    )


# ----- lines over time ----------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int

    @property
    def corner_x(self) -> float:  # of the 8 x 8 square or diamond marker
        return round(self.x - 4, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - 4, 1)


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    dash: str
    shape: str
    points: list[Point]
    path: str  # "x,y x,y ..." for a polyline
    legend: Point  # where its sample sits in the legend under the chart

    @property
    def legend_path(self) -> str:
        return f"{self.legend.x - 26},{self.legend.y} {self.legend.x - 6},{self.legend.y}"

    @property
    def legend_marker(self) -> Point:
        return Point(round(self.legend.x - 16, 1), self.legend.y, 0)

    @property
    def legend_text_y(self) -> float:
        return round(self.legend.y + 4, 1)


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[Line]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"

    @property
    def y_tick_x(self) -> int:  # right edge of the value labels of the y axis
        return self.left - 6

    @property
    def x_tick_y(self) -> int:  # baseline of the labels under the x axis
        return self.bottom + 18


def nice_ceiling(value: float) -> int:
    """The axis maximum: 1, 2, 2.5 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return max(1, math.ceil(step * power))
    return math.ceil(10 * power)  # pragma: no cover (the loop always returns)


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    width: int = 560,
    height: int = 260,
) -> LineChart:
    """``series``: (label, one value per x label); a legend under the x axis names each
    line next to a sample of its stroke and point shape."""
    left, right, top, bottom = 48, width - 16, 12, height - 56
    peak = nice_ceiling(max([0, *(v for _, values in series for v in values)]))
    count = max(len(x_labels), 1)
    step = (right - left) / max(count - 1, 1)

    def x_at(i: int) -> float:
        return round(left + (i * step if count > 1 else (right - left) / 2), 1)

    def y_at(value: float) -> float:
        return round(bottom - (bottom - top) * value / peak, 1)

    lines = []
    legend_step = (right - left) / max(len(series), 1)
    for number, (label, values) in enumerate(series):
        colour, dash, shape = SERIES_STYLES[number % len(SERIES_STYLES)]
        points = [Point(x_at(i), y_at(v), v) for i, v in enumerate(values)]
        lines.append(
            Line(
                label=shorten(label, 24),
                colour=colour,
                dash=dash,
                shape=shape,
                points=points,
                path=" ".join(f"{p.x},{p.y}" for p in points),
                legend=Point(round(left + 30 + number * legend_step, 1), height - 12, 0),
            )
        )
    every = max(1, math.ceil(count / 12))
    x_ticks = [Tick(x_at(i), text) for i, text in enumerate(x_labels) if i % every == 0]
    marks = sorted({round(peak * k / 4) for k in range(5)})
    y_ticks = [Tick(y_at(value), str(value)) for value in marks]
    return LineChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        lines=lines,
    )
