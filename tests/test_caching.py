"""Key-based caching (trustwork/caching.py): a kept fragment's key holds the
reader, the couple and its version, so a change shows on the very next
request and nothing is ever invalidated by hand. Access is decided on every
request and never kept, so a revocation or an ended record needs no bump at
all. The tests with the bump switched off show that it is the version, and
nothing else, that makes a change show."""

import pytest

from tests.care_helpers import link
from tests.helpers import page_text
from trustwork import caching
from trustwork.couples import services as couples_services


def _card(client):
    text = page_text(client.get("/"))
    return text[text.index('id="care-card-title"') :]


def _dashboard_rows(client):
    text = page_text(client.get("/care/"))
    return text[text.index("<h1>") :]


@pytest.fixture
def no_bump(monkeypatch):
    """The version bump switched off everywhere it is called."""
    calls = []
    for module in ("trustwork.care.services", "checkins.services", "exercises.services", "trustwork.accounts.services"):
        monkeypatch.setattr(f"{module}.bump_version", lambda *relationships: calls.append(relationships))
    return calls


def test_it_shows_a_consent_on_the_next_request(client_for, people, therapist):
    care_link = link(people.relationship, therapist, consenting=[people.partner_a])
    alex = client_for(people.partner_a)
    assert "Dr Rivera: waiting for one of you to agree." in _card(alex)
    client_for(people.partner_b).post(f"/care/links/{care_link.code}/consent/", {"agree": "on"})
    assert "Dr Rivera: active." in _card(alex)


def test_it_would_show_the_kept_card_without_the_bump(client_for, people, therapist, no_bump):
    care_link = link(people.relationship, therapist, consenting=[people.partner_a])
    alex = client_for(people.partner_a)
    assert "Dr Rivera: waiting for one of you to agree." in _card(alex)
    client_for(people.partner_b).post(f"/care/links/{care_link.code}/consent/", {"agree": "on"})
    assert no_bump, "the consent asked for a bump"
    assert "Dr Rivera: waiting for one of you to agree." in _card(alex)


def test_it_would_not_show_a_new_name_on_the_dashboard_without_the_bump(client_for, people, care_link, no_bump):
    client = client_for(care_link.therapist)
    assert "Alex and Sam" in _dashboard_rows(client)
    client_for(people.partner_a).post("/account/profile/", {"display_name": "Alexis", "time_zone": "Europe/London"})
    assert "Alex and Sam" in _dashboard_rows(client)
    couples_services.bump_version(people.relationship)  # the real one, which the profile service calls
    assert "Alexis and Sam" in _dashboard_rows(client)


def test_it_hides_a_revoked_couple_at_once_even_without_the_bump(client_for, people, care_link, no_bump):
    client = client_for(care_link.therapist)
    assert "Alex and Sam" in _dashboard_rows(client)
    client_for(people.partner_a).post(f"/care/links/{care_link.code}/revoke/")
    assert "Alex and Sam" not in _dashboard_rows(client)
    assert client.get(f"/care/couples/{people.relationship.code}/").status_code == 404


def test_it_hides_an_ended_record_at_once_even_without_the_bump(client_for, people, care_link, no_bump):
    relationship = people.relationship
    sam = client_for(people.partner_b)
    assert "Your therapist" in page_text(sam.get("/"))
    client_for(people.partner_a).post(f"/couple/{relationship.code}/end/")
    assert 'id="care-card-title"' not in page_text(sam.get("/"))
    assert "Alex and Sam" not in _dashboard_rows(client_for(care_link.therapist))


def test_it_never_serves_one_readers_fragment_to_another(client_for, people, therapist):
    link(people.relationship, therapist, consenting=[people.partner_a])
    # Sam still has to agree: only Sam's card asks.
    assert "Read what Dr Rivera would see" not in _card(client_for(people.partner_a))
    assert "Read what Dr Rivera would see" in _card(client_for(people.partner_b))
    assert "Read what Dr Rivera would see" not in _card(client_for(people.partner_a))


def test_it_makes_keys_that_differ_by_reader_role_couple_and_version(people, therapist):
    from trustwork.care.access import therapist_reader
    from trustwork.couples.access import partner_reader

    relationship = people.relationship
    keys = {
        caching.make_key("card", *caching.couple_parts(reader, relationship))
        for reader in (
            partner_reader(people.partner_a, relationship),
            partner_reader(people.partner_b, relationship),
            therapist_reader(therapist, [relationship]),
        )
    }
    assert len(keys) == 3
    before = caching.make_key(
        "card", *caching.couple_parts(partner_reader(people.partner_a, relationship), relationship)
    )
    couples_services.bump_version(relationship)
    relationship.refresh_from_db()
    after = caching.make_key(
        "card", *caching.couple_parts(partner_reader(people.partner_a, relationship), relationship)
    )
    assert before != after
