"""Past weeks and trends: the timeline, both charts and their tables."""

from html import unescape

import pytest
from django.urls import reverse

from checkins import weeks
from tests.checkins_helpers import make_history, submit_for

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
    current = weeks.current_week_start(people.relationship)
    for back in (1, 3):
        submit_for(people.partner_a, people.relationship, current - weeks.WEEK * back)
    response = _get(client_for(people.partner_a), people.relationship)
    mine = response.context["csi_chart"].series[0]
    assert len(mine.points) == 2
    assert len(mine.segments) == 2
    rows = {row["week_start"]: row for row in response.context["rows"]}
    assert rows[current - weeks.WEEK * 2]["mine"] is None
    assert "no check-in" in unescape(response.content.decode())


def test_it_leaves_out_partner_weeks_i_cannot_see(people, client_for):
    current = weeks.current_week_start(people.relationship)
    submit_for(people.partner_b, people.relationship, current - weeks.WEEK, csi_happiness=6)
    response = _get(client_for(people.partner_a), people.relationship)
    partner_series = response.context["csi_chart"].series[1]
    assert partner_series.points == []
    row = next(row for row in response.context["rows"] if row["week_start"] == current - weeks.WEEK)
    assert row["partner_submitted"] and row["theirs"] is None


def test_it_never_lists_private_reflections_of_the_partner(people, client_for):
    make_history(people.relationship, people.partner_a, people.partner_b, 2)
    body = _get(client_for(people.partner_a), people.relationship).content.decode()
    assert "kept this private" not in body


def test_it_caps_the_charts_at_a_year(people, client_for):
    make_history(people.relationship, people.partner_a, people.partner_b, 60)
    response = _get(client_for(people.partner_a), people.relationship)
    assert len(response.context["csi_chart"].series[0].points) == 51  # 52 weeks incl. the open one
    assert len(response.context["rows"]) == 61
