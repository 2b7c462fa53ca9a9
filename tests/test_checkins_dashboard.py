from html import unescape

import pytest

from tests.checkins_helpers import submit_for

pytestmark = pytest.mark.django_db


def _home(client):
    return unescape(client.get("/").content.decode())


def test_it_invites_me_to_start_this_weeks_checkin(people, client_for):
    body = _home(client_for(people.partner_a))
    assert "This week's check-in" in body
    assert "Start your check-in" in body


def test_it_offers_to_continue_a_draft(people, client_for):
    submit_for(people.partner_a, people.relationship, submitted=False)
    assert "Continue your check-in" in _home(client_for(people.partner_a))


def test_it_says_i_am_in_and_we_wait_for_the_partner(people, client_for):
    submit_for(people.partner_a, people.relationship)
    body = _home(client_for(people.partner_a))
    assert "Your answers are in." in body
    assert "once Sam has checked in too" in body


def test_it_links_to_the_week_side_by_side_when_both_are_in(people, client_for):
    checkin = submit_for(people.partner_a, people.relationship)
    submit_for(people.partner_b, people.relationship)
    body = _home(client_for(people.partner_b))
    assert "You're both in." in body
    assert f"/weeks/{checkin.week_start.isoformat()}/" in body
    assert "Sam shared this" not in body  # the card shows states, never answers
