"""Geometry of the horizontal bar charts, drawn as inline SVG on the server (templates
only place what is computed here). Plain Python.

A bar is drawn for an exact count only. A "<5" cell gets a dashed outline as long as a
bar of 5 would be ("fewer than this"), a hidden cell no bar; both carry their text
label, so nothing is read from a length alone. Bar lengths come from the published
values only.
"""

from __future__ import annotations

from dataclasses import dataclass

from .suppression import LIMIT, Mark

WIDTH = 460
LABEL_WIDTH = 160
BAR_AREA = 200
ROW = 30
BAR = 18
TOP = 8
MIN_SCALE = 20
MAX_LABEL_CHARS = 20


@dataclass(frozen=True)
class Bar:
    label: str  # as drawn (long labels shortened; the table has the full text)
    text: str  # "12", "<5", "afgeschermd"
    mark: str
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

    @property
    def view_box(self) -> str:
        return f"0 0 {WIDTH} {self.height}"


def shorten(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def bar_chart(rows: list[tuple[str, str, Mark, int | None]]) -> Chart:
    """``rows``: (label, shown text, mark, value if exact)."""
    exact = [value for _, _, mark, value in rows if mark is Mark.EXACT and value is not None]
    scale = max([MIN_SCALE, *exact])
    bars = []
    for number, (label, text, mark, value) in enumerate(rows):
        y = TOP + number * ROW
        if mark is Mark.EXACT and value:
            width = max(2.0, BAR_AREA * value / scale)
        elif mark is Mark.SMALL:
            width = BAR_AREA * LIMIT / scale
        else:
            width = 0.0
        bars.append(
            Bar(
                label=shorten(label),
                text=text,
                mark=str(mark),
                y=y,
                bar_y=y + (ROW - BAR) / 2,
                text_y=y + ROW / 2 + 5,
                width=round(width, 1),
                value_x=round(LABEL_WIDTH + width + 8, 1),
            )
        )
    return Chart(
        height=TOP * 2 + ROW * len(rows),
        label_x=LABEL_WIDTH - 10,
        bar_x=LABEL_WIDTH,
        bar_height=BAR,
        bars=bars,
    )
