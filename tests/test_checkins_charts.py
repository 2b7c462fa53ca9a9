"""The trend charts: checkins/charts.py computes where everything goes, and
templates/checkins/_chart.html draws it as SVG."""

import datetime
import re

from django.template.loader import get_template
from django.utils import translation
from django.utils.formats import localize
from pytest_django.asserts import assertHTMLEqual, assertInHTML

from checkins.charts import build_chart

CHART = get_template("checkins/_chart.html")
FIRST_WEEK = datetime.date(2026, 11, 2)


def _weeks(count):
    return [FIRST_WEEK + datetime.timedelta(weeks=index) for index in range(count)]


def _csi_chart(weeks, mine, theirs, ticks=(0, 7, 14, 21), threshold=13.5):
    return build_chart(
        "CSI-4 total",
        weeks,
        [("You", "series-me", mine), ("Sam", "series-partner", theirs)],
        low=0,
        high=21,
        ticks=list(ticks),
        threshold=threshold,
    )


def _draw(chart, chart_id="csi"):
    return CHART.render({"chart": chart, "chart_id": chart_id})


def test_it_spreads_the_weeks_across_the_plot_and_the_values_up_it():
    weeks = _weeks(3)
    chart = _csi_chart(weeks, {weeks[0]: 0, weeks[1]: 21, weeks[2]: 7}, {})
    mine = chart.series[0]
    # The plot runs from x 40 to 610 and from y 226 (the lowest value) up to 14 (the highest).
    assert mine.centres == [(40.0, 226.0), (325.0, 14.0), (610.0, 155.3)]
    assert mine.segments == ["40.0,226.0 325.0,14.0 610.0,155.3"]
    assert [point.value for point in mine.points] == [0, 21, 7]
    assert [point.week_start for point in mine.points] == weeks


def test_it_puts_a_single_week_in_the_middle():
    weeks = _weeks(1)
    chart = _csi_chart(weeks, {weeks[0]: 10.5}, {})
    assert chart.series[0].centres == [(325.0, 120.0)]
    assert chart.x_labels == [(325.0, weeks[0])]


def test_it_breaks_the_line_for_a_week_without_a_value():
    weeks = _weeks(5)
    chart = _csi_chart(weeks, {weeks[0]: 21, weeks[1]: 21, weeks[3]: 0, weeks[4]: 0}, {weeks[2]: 7})
    mine, theirs = chart.series
    assert mine.segments == ["40.0,14.0 182.5,14.0", "467.5,226.0 610.0,226.0"]
    assert len(mine.points) == 4
    assert theirs.segments == ["325.0,155.3"]
    html = _draw(chart)
    assertInHTML('<polyline points="40.0,14.0 182.5,14.0"/>', html)
    assertInHTML('<polyline points="467.5,226.0 610.0,226.0"/>', html)
    assert html.count("<polyline ") == 3
    assert html.count("<circle ") == 5


def test_it_draws_the_threshold_line_at_its_value():
    weeks = _weeks(2)
    html = _draw(_csi_chart(weeks, {weeks[0]: 12}, {}))
    assertInHTML('<line class="chart-threshold" x1="40" x2="610" y1="89.7" y2="89.7"/>', html)
    assertInHTML(
        '<text class="chart-threshold-label" x="610" y="89.7" dy="-4" text-anchor="end">13.5</text>',
        html,
    )
    assertInHTML('<li class="legend-threshold">13.5: below this line suggests notable distress</li>', html)


def test_it_leaves_the_threshold_out_of_a_chart_without_one():
    weeks = _weeks(2)
    chart = build_chart("Trust pulse", weeks, [("You", "series-me", {weeks[0]: 5})], 1, 10, [1, 4, 7, 10])
    html = _draw(chart, "pulse")
    assert chart.threshold is None
    assert "chart-threshold" not in html and "legend-threshold" not in html
    assertInHTML('<line class="chart-grid" x1="40" x2="610" y1="84.7" y2="84.7"/>', html)  # the tick for 7 of 1 to 10
    assertInHTML('<text class="chart-axis" x="34" y="84.7" text-anchor="end" dominant-baseline="middle">7</text>', html)


def test_it_labels_at_most_eight_weeks_with_their_dates():
    weeks = _weeks(20)
    chart = _csi_chart(weeks, {}, {})
    # Every third week of twenty: seven labels, from the first week on.
    assert [week for _, week in chart.x_labels] == weeks[::3]
    html = _draw(chart)
    labels = re.findall(r'<text class="chart-axis" x="[\d.]+" y="244" text-anchor="middle">([^<]*)</text>', html)
    assert labels == ["2 Nov", "23 Nov", "14 Dec", "4 Jan", "25 Jan", "15 Feb", "8 Mar"]


def test_it_writes_every_number_with_a_decimal_point_whatever_the_language():
    weeks = _weeks(3)
    chart = _csi_chart(weeks, {weeks[0]: 20, weeks[1]: 9, weeks[2]: 3}, {weeks[1]: 13})
    with translation.override("de"):
        assert localize(155.3) == "155,3"  # what German would make of a number left to the template
        html = _draw(chart)
    numbers = re.findall(r' (?:x|y|x1|x2|y1|y2|cx|cy)="([^"]*)"', html)
    assert len(numbers) == 4 * 6 + 6 + 3 * 2 + 4 * 2  # ticks, threshold, week labels, dots
    assert all(re.fullmatch(r"\d+(\.\d)?", number) for number in numbers), numbers
    points = re.findall(r'<polyline points="([^"]*)"', html)
    assert points == ["40.0,24.1 325.0,135.1 610.0,195.7", "325.0,94.8"]


def test_it_escapes_the_title_and_the_names():
    weeks = _weeks(1)
    chart = build_chart("Trust <pulse>", weeks, [("Sam <b>&</b>", "series-partner", {weeks[0]: 4})], 1, 10, [1, 10])
    html = _draw(chart, "pulse")
    assert "<pulse>" not in html and "<b>" not in html
    assertInHTML('<li class="legend-series-partner">Sam &lt;b&gt;&amp;&lt;/b&gt;</li>', html)


def test_it_draws_the_markup_the_pages_have_always_had():
    """The SVG as the pages sent it when Python wrote it (Chart.drawing,
    until the template drew it): the same elements, classes and attributes."""
    weeks = _weeks(3)
    chart = build_chart(
        "CSI-4 <total>",
        weeks,
        [
            ("You", "series-me", {weeks[0]: 21, weeks[2]: 0}),
            ("Sam & Co", "series-partner", {weeks[0]: 7, weeks[1]: 14}),
        ],
        0,
        21,
        [0, 21],
        threshold=13.5,
    )
    assertHTMLEqual(
        _draw(chart),
        """
<figure class="trend-chart" aria-labelledby="csi-caption">
  <figcaption id="csi-caption"><h3>CSI-4 &lt;total&gt;</h3></figcaption>
  <svg viewBox="0 0 640 260" role="img" aria-labelledby="csi-svg-title" class="chart-svg"
       preserveAspectRatio="xMidYMid meet">
    <title id="csi-svg-title">CSI-4 &lt;total&gt;. The numbers are in the table below.</title>
    <line class="chart-grid" x1="40" x2="610" y1="226.0" y2="226.0"/>
    <text class="chart-axis" x="34" y="226.0" text-anchor="end" dominant-baseline="middle">0</text>
    <line class="chart-grid" x1="40" x2="610" y1="14.0" y2="14.0"/>
    <text class="chart-axis" x="34" y="14.0" text-anchor="end" dominant-baseline="middle">21</text>
    <line class="chart-threshold" x1="40" x2="610" y1="89.7" y2="89.7"/>
    <text class="chart-threshold-label" x="610" y="89.7" dy="-4" text-anchor="end">13.5</text>
    <text class="chart-axis" x="40.0" y="244" text-anchor="middle">2 Nov</text>
    <text class="chart-axis" x="325.0" y="244" text-anchor="middle">9 Nov</text>
    <text class="chart-axis" x="610.0" y="244" text-anchor="middle">16 Nov</text>
    <g class="chart-series series-me">
      <polyline points="40.0,14.0"/><polyline points="610.0,226.0"/>
      <circle cx="40.0" cy="14.0" r="4"/><circle cx="610.0" cy="226.0" r="4"/>
    </g>
    <g class="chart-series series-partner">
      <polyline points="40.0,155.3 325.0,84.7"/>
      <circle cx="40.0" cy="155.3" r="4"/><circle cx="325.0" cy="84.7" r="4"/>
    </g>
  </svg>
  <ul class="chart-legend" aria-hidden="true">
    <li class="legend-series-me">You</li><li class="legend-series-partner">Sam &amp; Co</li>
    <li class="legend-threshold">13.5: below this line suggests notable distress</li>
  </ul>
</figure>
""",
    )
