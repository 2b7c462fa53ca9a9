"""Trend charts drawn on the server as inline SVG (no chart library, no CDN).

Each chart has two series, one per partner; a week without a value breaks the
line rather than inventing one. This module computes the numbers (where
each grid line, label, line and dot goes); the template checkins/_chart.html
draws them, and the pages print the same numbers in a table for screen
readers.
"""

from dataclasses import dataclass, field

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 30, 14, 34


@dataclass
class Point:
    x: float
    y: float
    value: float
    week_start: object


@dataclass
class Series:
    name: str
    css_class: str
    segments: list[str] = field(default_factory=list)  # each run of weeks: a polyline's "x,y x,y ..."
    points: list[Point] = field(default_factory=list)

    @property
    def centres(self) -> list[tuple[float, float]]:
        # (x, y) of each dot, for the template to unpack in its loop.
        return [(point.x, point.y) for point in self.points]


@dataclass
class Chart:
    title: str
    low: float
    high: float
    series: list[Series]
    y_ticks: list[tuple[float, float]]  # (y, tick)
    x_labels: list[tuple[float, object]]  # (x, week_start): the template formats the date
    threshold: tuple[float, float] | None = None  # (y, value)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def tick_label_x(self) -> int:
        return self.plot_left - 6  # the y ticks' labels end just left of the plot

    @property
    def week_label_y(self) -> int:
        return self.plot_bottom + 18  # the weeks' labels sit under the plot


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    if count == 1:
        return LEFT + span / 2
    return round(LEFT + index * span / (count - 1), 1)


def _y(value: float, low: float, high: float) -> float:
    span = HEIGHT - TOP - BOTTOM
    return round(TOP + span * (1 - (value - low) / (high - low)), 1)


def build_chart(title, weeks, lines, low, high, ticks, threshold=None) -> Chart:
    """`weeks`: week_start dates, oldest first. `lines`: (name, css_class, {week_start: value})."""
    count = len(weeks)
    series = []
    for name, css_class, values in lines:
        line = Series(name=name, css_class=css_class)
        run: list[str] = []
        for index, week_start in enumerate(weeks):
            value = values.get(week_start)
            if value is None:
                if run:
                    line.segments.append(" ".join(run))
                run = []
                continue
            point = Point(_x(index, count), _y(value, low, high), value, week_start)
            line.points.append(point)
            run.append(f"{point.x},{point.y}")
        if run:
            line.segments.append(" ".join(run))
        series.append(line)
    label_every = max(1, -(-count // 8))
    x_labels = [(_x(index, count), week) for index, week in enumerate(weeks) if index % label_every == 0]
    return Chart(
        title=title,
        low=low,
        high=high,
        series=series,
        y_ticks=[(_y(tick, low, high), tick) for tick in ticks],
        x_labels=x_labels,
        threshold=(_y(threshold, low, high), threshold) if threshold is not None else None,
    )
