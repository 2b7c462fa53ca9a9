"""Past weeks and trends: the timeline, both charts and their tables."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse

from tests.checkins_helpers import make_history, submit_for
from trustwork.rhythm import WEEK

pytestmark = pytest.mark.django_db


def _get(client, relationship):
    response = client.get(reverse("checkins:history", args=[relationship.code]))
    assert response.status_code == 200
    return response


def test_it_explains_an_empty_history(people, client_for):
    body = unescape(_get(client_for(people.partner_a), people.relationship).content.decode())
    assert "Your history starts with your first check-in." in body
    assert "<svg" not in body


def test_it_draws_both_charts_with_the_distress_line_and_a_table(people, client_for):
    make_history(people.relationship, people.partner_a, people.partner_b, 3)
    response = _get(client_for(people.partner_a), people.relationship)
    body = response.content.decode()
    assert body.count("<svg") == 2
    assert 'class="chart-threshold"' in body
    assert "The numbers behind both charts" in body
    csi = response.context["csi_chart"]
    assert [len(series.points) for series in csi.series] == [3, 3]
    assert csi.threshold[1] == 13.5


def test_it_breaks_the_line_for_a_missed_week(people, client_for):
    current = people.relationship.rhythm.current_week_start()
    for back in (1, 3):
        submit_for(people.partner_a, people.relationship, current - WEEK * back)
    response = _get(client_for(people.partner_a), people.relationship)
    mine = response.context["csi_chart"].series[0]
    assert len(mine.points) == 2
    assert len(mine.segments) == 2
    rows = {row["week_start"]: row for row in response.context["rows"]}
    assert rows[current - WEEK * 2]["mine"] is None
    assert "no check-in" in unescape(response.content.decode())


def test_it_draws_a_dot_for_each_week_and_a_line_for_each_run_of_weeks(people, client_for):
    current = people.relationship.rhythm.current_week_start()
    for back in (1, 2, 4):
        submit_for(people.partner_a, people.relationship, current - WEEK * back)
    body = _get(client_for(people.partner_a), people.relationship).content.decode()
    assert body.count("<circle ") == 2 * 3  # both charts, three weeks each
    assert body.count("<polyline ") == 2 * 2  # weeks 4, then 2 and 1: two runs
    assert body.count('<text class="chart-axis"') == 2 * (4 + 5)  # four y ticks, and each of the five weeks


def test_it_leaves_out_partner_weeks_i_cannot_see(people, client_for):
    current = people.relationship.rhythm.current_week_start()
    submit_for(people.partner_b, people.relationship, current - WEEK, csi_happiness=6)
    response = _get(client_for(people.partner_a), people.relationship)
    partner_series = response.context["csi_chart"].series[1]
    assert partner_series.points == []
    row = next(row for row in response.context["rows"] if row["week_start"] == current - WEEK)
    assert row["partner_submitted"] and row["theirs"] is None


def test_it_never_lists_private_reflections_of_the_partner(people, client_for):
    make_history(people.relationship, people.partner_a, people.partner_b, 2)
    body = _get(client_for(people.partner_a), people.relationship).content.decode()
    assert "kept this private" not in body


def _rows(response):
    """The weeks of the timeline, newest first, as the page shows them."""
    body = response.content.decode()
    timeline = body[body.index('<ol class="timeline">') : body.index("</ol>", body.index('<ol class="timeline">'))]
    return [datetime.date.fromisoformat(day) for day in re.findall(r"/weeks/(\d{4}-\d{2}-\d{2})/", timeline)]


def _link(response, text):
    """The address of the page's link with this text, or None."""
    found = re.search(r'<a href="([^"]+)">' + text + "</a>", response.content.decode())
    return found and unescape(found[1])


def test_it_shows_the_latest_twelve_weeks_with_their_charts(people, client_for):
    make_history(people.relationship, people.partner_a, people.partner_b, 60)
    response = _get(client_for(people.partner_a), people.relationship)
    current = people.relationship.rhythm.current_week_start()
    assert _rows(response) == [current - WEEK * back for back in range(12)]
    assert len(response.context["csi_chart"].series[0].points) == 11  # this week is still open
    assert len(response.context["pulse_chart"].series[1].points) == 11
    body = unescape(response.content.decode())
    assert body.count('<th scope="row">') == 12  # the charts' table: the same weeks
    assert "Later weeks" not in body


def test_it_pages_back_through_every_week_with_plain_links(people, client_for):
    make_history(people.relationship, people.partner_a, people.partner_b, 30)
    client, current = client_for(people.partner_a), people.relationship.rhythm.current_week_start()
    response = _get(client, people.relationship)
    pages = [_rows(response)]
    while _link(response, "Earlier weeks"):
        response = client.get(_link(response, "Earlier weeks"))
        assert response.status_code == 200
        pages.append(_rows(response))
    assert [len(page) for page in pages] == [12, 12, 7]
    assert sum(pages, []) == [current - WEEK * back for back in range(31)]
    assert "Earlier weeks" not in unescape(response.content.decode())
    later = client.get(_link(response, "Later weeks"))
    assert _rows(later) == pages[1]
    assert client.get(_link(later, "Later weeks")).request["PATH_INFO"] == reverse(
        "checkins:history", args=[people.relationship.code]
    )


def test_it_links_to_earlier_weeks_across_a_gap(people, client_for):
    current = people.relationship.rhythm.current_week_start()
    submit_for(people.partner_a, people.relationship, current - WEEK * 20)
    response = _get(client_for(people.partner_a), people.relationship)
    assert len(_rows(response)) == 12
    assert "Your history starts with your first check-in." not in unescape(response.content.decode())
    earlier = client_for(people.partner_a).get(response.context["earlier_url"])
    assert _rows(earlier)[-1] == current - WEEK * 20
    assert len(earlier.context["csi_chart"].series[0].points) == 1


def test_it_keeps_an_earlier_pages_unrevealed_partner_weeks_hidden(people, client_for):
    current = people.relationship.rhythm.current_week_start()
    make_history(people.relationship, people.partner_a, people.partner_b, 11)  # the first page's weeks
    submit_for(people.partner_b, people.relationship, current - WEEK * 14, csi_happiness=6)
    response = _get(client_for(people.partner_a), people.relationship)
    earlier = client_for(people.partner_a).get(response.context["earlier_url"])
    row = next(row for row in earlier.context["rows"] if row["week_start"] == current - WEEK * 14)
    assert row["partner_submitted"] and row["theirs"] is None
    assert earlier.context["csi_chart"].series[1].points == []
    assert "Sam shared this" not in earlier.content.decode()


def test_it_shows_an_empty_page_before_the_first_week(people, client_for):
    current = people.relationship.rhythm.current_week_start()
    make_history(people.relationship, people.partner_a, people.partner_b, 2)
    url = reverse("checkins:history_before", args=[people.relationship.code, (current - WEEK * 40).isoformat()])
    response = client_for(people.partner_a).get(url)
    assert response.status_code == 200
    assert response.context["rows"] == []
    body = unescape(response.content.decode())
    assert "No weeks to show here." in body
    assert "<svg" not in body


@pytest.mark.parametrize("before", ["not-a-date", "2026-02-30"])
def test_it_answers_404_to_a_garbled_week(people, client_for, before):
    url = reverse("checkins:history_before", args=[people.relationship.code, before])
    assert client_for(people.partner_a).get(url).status_code == 404


def test_it_answers_404_to_weeks_that_have_not_started(people, client_for):
    next_week = people.relationship.rhythm.current_week_start() + WEEK
    url = reverse("checkins:history_before", args=[people.relationship.code, next_week.isoformat()])
    assert client_for(people.partner_a).get(url).status_code == 404


def test_it_starts_a_page_on_a_week_start_whatever_the_day_in_the_url(people, client_for):
    current = people.relationship.rhythm.current_week_start()
    make_history(people.relationship, people.partner_a, people.partner_b, 30)
    midweek = current - WEEK * 12 + datetime.timedelta(days=3)
    url = reverse("checkins:history_before", args=[people.relationship.code, midweek.isoformat()])
    assert _rows(client_for(people.partner_a).get(url))[0] == current - WEEK * 13
