"""The care card on the couple's home page is kept in the cache under a key
of the reader and the couple's version (trustwork.caching): whatever changes
what it shows shows on the next request."""

import pytest

from tests.care_helpers import link
from tests.exercises.conftest import _real_content, content  # noqa: F401 (fixtures)
from tests.helpers import page_text


def _card(client):
    text = page_text(client.get("/"))
    return text[text.index('id="care-card-title"') :]


def test_each_partner_reads_their_own_card(client_for, people, therapist):
    link(people.relationship, therapist, consenting=[people.partner_a])
    assert "Read what Dr Rivera would see" not in _card(client_for(people.partner_a))
    assert "Read what Dr Rivera would see" in _card(client_for(people.partner_b))


def test_an_invitation_shows_on_the_next_request(client_for, people, therapist):
    client = client_for(people.partner_a)
    assert "If you work with a therapist" in _card(client)
    client.post(f"/care/our/{people.relationship.code}/invite/", {"email": "rivera@example.com", "agree": "on"})
    assert "rivera@example.com: waiting for the therapist to accept" in _card(client)


def test_consent_acceptance_and_revocation_show_on_the_next_request(client_for, people, therapist):
    care_link = link(people.relationship, therapist, consenting=[people.partner_a])
    client = client_for(people.partner_a)
    assert "Dr Rivera: waiting for one of you to agree." in _card(client)
    client_for(people.partner_b).post(f"/care/links/{care_link.code}/consent/", {"agree": "on"})
    assert "Dr Rivera: active." in _card(client)
    client_for(people.partner_b).post(f"/care/links/{care_link.code}/revoke/")
    assert "Dr Rivera" not in _card(client)


def test_a_new_therapist_name_and_badge_show_on_the_next_request(client_for, people, therapist):
    link(people.relationship, therapist)
    client = client_for(people.partner_a)
    assert "Dr Rivera: active." in _card(client)
    from django.contrib.admin import site
    from django.test import RequestFactory

    from trustwork.care import services
    from trustwork.care.models import TherapistProfile

    services.save_profile(therapist, name="Dr Sam Rivera", practice="Riverside", licence_number="")
    assert "Dr Sam Rivera: active." in _card(client)
    # Staff tick the badge in the admin, which saves through the service's notice.
    profile = TherapistProfile.objects.get(user=therapist)
    profile.verified = True
    site._registry[TherapistProfile].save_model(RequestFactory().post("/"), profile, None, change=True)
    card = _card(client)
    assert "Dr Sam Rivera" in card
    assert "Verified" in card


@pytest.mark.usefixtures("content")
def test_a_suggestion_shows_on_the_next_request(client_for, people, therapist):
    from exercises.models import Exercise

    link(people.relationship, therapist)
    client = client_for(people.partner_b)
    assert "suggests" not in _card(client)
    exercise = Exercise.objects.current().filter(is_private=False).first()
    client_for(therapist).post(
        f"/care/couples/{people.relationship.code}/suggestions/", {"exercise": exercise.pk, "message": "Try it."}
    )
    card = _card(client)
    assert "Dr Rivera</strong> suggests" in card
    assert exercise.title in card


def test_it_costs_one_query_once_kept(client_for, people, therapist, django_assert_num_queries):
    from tests.helpers import count_queries
    from trustwork.care.dashboard import card

    link(people.relationship, therapist)
    relationship = people.relationship  # as the page reads it, with its version
    count_queries(client_for(people.partner_a), "/")

    class Request:
        user = people.partner_a

    with django_assert_num_queries(1):  # the exercise content's revision, which is in its key
        card(Request(), relationship)
