"""Trend charts drawn on the server as inline SVG (no chart library, no CDN).

Each chart has two series, one per partner; a week without a value breaks the
line rather than inventing one. `Chart.drawing` is the SVG inside the
template's frame (checkins/_chart.html), which also prints the same numbers
in a table for screen readers.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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
    segments: list[str] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)


@dataclass
class Chart:
    title: str
    low: float
    high: float
    series: list[Series]
    y_ticks: list[tuple[float, float]]
    x_labels: list[tuple[float, object]]
    threshold: tuple[float, float] | None = None  # (y, value)
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM

    @cached_property
    def drawing(self) -> SafeString:
        """The grid, the axes, the threshold and both series, as SVG elements.

        Built here in one pass rather than in the template: a chart has a
        hundred-odd numbers, and a template variable for each was most of the
        cost of the history page. Numbers are written as Python writes them,
        never localized (SVG wants a decimal point)."""
        left, right, bottom = self.plot_left, self.plot_right, self.plot_bottom
        parts = [
            format_html(
                '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart-axis" x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>',
                left,
                right,
                y,
                y,
                left - 6,
                y,
                tick,
            )
            for y, tick in self.y_ticks
        ]
        if self.threshold:
            y, value = self.threshold
            parts.append(
                format_html(
                    '<line class="chart-threshold" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                    '<text class="chart-threshold-label" x="{}" y="{}" dy="-4" text-anchor="end">{}</text>',
                    left,
                    right,
                    y,
                    y,
                    right,
                    y,
                    value,
                )
            )
        parts.append(
            format_html_join(
                "",
                '<text class="chart-axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                ((x, bottom + 18, format_date(week, "j M")) for x, week in self.x_labels),
            )
        )
        for series in self.series:
            # Numbers alone, nothing to escape: one f-string each, as there are many.
            lines = "".join(f'<polyline points="{segment}"/>' for segment in series.segments)
            dots = "".join(f'<circle cx="{point.x}" cy="{point.y}" r="4"/>' for point in series.points)
            parts.append(format_html('<g class="chart-series {}">{}</g>', series.css_class, mark_safe(lines + dots)))  # noqa: S308
        return mark_safe("\n".join(parts))  # noqa: S308 (each part is escaped or numbers alone)


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
