"""One week side by side: waiting, revealed, private answers never shown."""

from html import unescape

import pytest
from django.urls import reverse

from tests.checkins_helpers import submit_for
from trustwork.rhythm import WEEK

pytestmark = pytest.mark.django_db


def _url(relationship, week_start):
    return reverse("checkins:week", args=[relationship.code, week_start.isoformat()])


def _page(client, relationship, week_start=None):
    week_start = week_start or relationship.rhythm.current_week_start()
    response = client.get(_url(relationship, week_start))
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_it_says_waiting_until_the_partner_checks_in(people, client_for):
    submit_for(people.partner_a, people.relationship)
    body = _page(client_for(people.partner_a), people.relationship)
    assert "Waiting for Sam." in body
    assert "Alex shared this" in body
    assert "Alex kept this private" in body  # my own private answer, shown to me


def test_it_hides_the_partners_answers_until_i_have_sent_mine(people, client_for):
    submit_for(people.partner_b, people.relationship)
    body = _page(client_for(people.partner_a), people.relationship)
    assert "Sam has checked in. Their answers appear here once you have sent yours." in body
    assert "Sam shared this" not in body


def test_it_shows_both_side_by_side_without_the_partners_private_answer(people, client_for):
    submit_for(people.partner_a, people.relationship)
    submit_for(people.partner_b, people.relationship)
    body = _page(client_for(people.partner_a), people.relationship)
    assert "Sam shared this" in body
    assert "Sam kept this private" not in body
    assert "Waiting" not in body


def test_it_offers_sharing_early_once_the_week_is_over(people, client_for):
    last_week = people.relationship.rhythm.current_week_start() - WEEK
    submit_for(people.partner_b, people.relationship, last_week)
    client = client_for(people.partner_b)
    assert "Share my answers with Alex" in _page(client, people.relationship, last_week)
    share = reverse("checkins:share", args=[people.relationship.code, last_week.isoformat()])
    response = client.post(share, follow=True)
    assert "now shared with your partner" in unescape(response.content.decode())
    body = _page(client_for(people.partner_a), people.relationship, last_week)
    assert "Sam shared this" in body
    assert "Sam kept this private" not in body


def test_it_refuses_to_share_this_weeks_checkin_early(people, client_for):
    submit_for(people.partner_b, people.relationship)
    week_start = people.relationship.rhythm.current_week_start()
    share = reverse("checkins:share", args=[people.relationship.code, week_start.isoformat()])
    response = client_for(people.partner_b).post(share, follow=True)
    assert "This week is still open." in unescape(response.content.decode())
    assert "Sam shared this" not in _page(client_for(people.partner_a), people.relationship)


def test_it_answers_404_to_sharing_a_week_without_my_checkin(people, client_for):
    last_week = people.relationship.rhythm.current_week_start() - WEEK
    share = reverse("checkins:share", args=[people.relationship.code, last_week.isoformat()])
    assert client_for(people.partner_a).post(share).status_code == 404


@pytest.mark.parametrize("week", ["2026-13-40", "yesterday", "2999-01-01"])
def test_it_answers_404_to_weeks_that_dont_exist(people, client_for, week):
    url = reverse("checkins:week", args=[people.relationship.code, week])
    assert client_for(people.partner_a).get(url).status_code == 404


def test_it_shows_outsiders_nothing(people, client_for):
    submit_for(people.partner_a, people.relationship)
    week_start = people.relationship.rhythm.current_week_start()
    assert client_for(people.outsider).get(_url(people.relationship, week_start)).status_code == 404
