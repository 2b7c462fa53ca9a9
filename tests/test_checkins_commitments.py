"""The weekly check-in shows this week's commitments of both partners (exercises, module 3)."""

from django.urls import reverse

from exercises.services import add_commitment, log_commitment
from trustwork.rhythm import WEEK


def test_it_shows_both_partners_commitments_with_this_weeks_logs(people, client_for):
    relationship = people.relationship
    week_start = relationship.rhythm.current_week_start()
    mine = add_commitment(people.partner_a, relationship, "Be home by seven on weekdays")
    add_commitment(people.partner_b, relationship, "Text when running late")
    log_commitment(people.partner_a, mine, week_start, "missed", "the train was cancelled")
    log_commitment(people.partner_a, mine, week_start - WEEK, "kept", "last week, not shown")

    text = client_for(people.partner_a).get(reverse("checkins:checkin", args=[relationship.code])).content.decode()

    assert "This week&#x27;s commitments" in text or "This week's commitments" in text
    assert "Be home by seven on weekdays" in text
    assert "Text when running late" in text
    assert "the train was cancelled" in text
    assert "last week, not shown" not in text


def test_it_says_so_when_no_commitment_is_running(people, client_for):
    text = client_for(people.partner_a).get(reverse("checkins:checkin", args=[people.relationship.code])).content
    assert "No commitments running this week." in text.decode()
