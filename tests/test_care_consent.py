"""A partner invites a therapist, the other partner agrees, either one ends it."""

import pytest
from django.core import mail

from tests.care_helpers import link
from tests.factories import UserFactory, make_solo
from tests.helpers import page_text, snapshot
from trustwork.care.access import relationships_in_care_of
from trustwork.care.models import CareLink, Consent


def _invite(client, relationship, email, agree=True):
    data = {"email": email}
    if agree:
        data["agree"] = "on"
    return client.post(f"/care/our/{relationship.code}/invite/", data)


def test_it_invites_a_therapist_and_counts_as_the_inviters_consent(client_for, people):
    response = _invite(client_for(people.partner_a), people.relationship, "rivera@example.com")
    assert response.status_code == 302
    link = CareLink.objects.get()
    assert link.email == "rivera@example.com"
    assert list(link.consents.values_list("person", flat=True)) == [people.partner_a.pk]
    message = mail.outbox[-1]
    assert message.to == ["rivera@example.com"]
    assert f"/care/invitations/{link.code}/" in message.body
    assert message.alternatives, "the email has an HTML part too"


def test_the_invite_page_says_plainly_what_a_therapist_sees(client_for, people):
    text = page_text(client_for(people.partner_a).get(f"/care/our/{people.relationship.code}/"))
    assert "Only what you mark" in text
    assert "Either of you can end the link at any time" in text
    assert "we write it down" in text


@pytest.mark.parametrize(
    ("email", "agree", "message"),
    [
        ("alex@example.com", True, "That is your own address."),
        ("sam@example.com", True, "That is your partner&#x27;s address."),
        ("not-an-address", True, "Enter a valid email address."),
        ("rivera@example.com", False, "Please tick the box to show you agree"),
        ("", True, "This field is required."),
    ],
)
def test_it_refuses_a_bad_invitation_with_a_clear_message(client_for, people, email, agree, message):
    before = snapshot()
    response = _invite(client_for(people.partner_a), people.relationship, email, agree)
    assert response.status_code == 400
    assert message in page_text(response)
    assert snapshot() == before
    assert not mail.outbox


def test_it_refuses_to_invite_the_same_address_twice_while_open(client_for, people):
    client = client_for(people.partner_a)
    _invite(client, people.relationship, "rivera@example.com")
    before = snapshot()
    response = _invite(client_for(people.partner_b), people.relationship, "Rivera@Example.com")
    assert response.status_code == 400
    assert "An invitation to this address is already open." in page_text(response)
    assert snapshot() == before


def test_it_asks_to_invite_the_partner_first_when_alone(client_for, db):
    person = UserFactory()
    relationship = make_solo(person)
    before = snapshot()
    response = _invite(client_for(person), relationship, "rivera@example.com")
    assert response.status_code == 400
    assert "Invite your partner first" in page_text(response)
    assert snapshot() == before


def test_an_outsider_cannot_invite_for_a_couple(client_for, people):
    before = snapshot()
    response = _invite(client_for(people.outsider), people.relationship, "rivera@example.com")
    assert response.status_code == 404
    assert snapshot() == before


def test_the_link_is_active_only_when_both_agreed_and_the_therapist_accepted(people, therapist):
    care_link = link(people.relationship, therapist, consenting=[people.partner_a], accepted=False)
    assert not relationships_in_care_of(therapist).exists()
    Consent.objects.create(link=care_link, person=people.partner_b)
    assert not relationships_in_care_of(therapist).exists()
    care_link.therapist, care_link.accepted_at = therapist, care_link.created_at
    care_link.save()
    assert list(relationships_in_care_of(therapist)) == [people.relationship]


def test_the_other_partner_agrees_on_the_consent_page(client_for, people, therapist):
    care_link = link(people.relationship, therapist, consenting=[people.partner_a])
    client = client_for(people.partner_b)
    page = client.get(f"/care/links/{care_link.code}/consent/")
    assert "Only what you mark" in page_text(page)
    response = client.post(f"/care/links/{care_link.code}/consent/", {"agree": "on"}, follow=True)
    assert "You have agreed." in page_text(response)
    assert care_link.consents.filter(person=people.partner_b).exists()
    assert list(relationships_in_care_of(therapist)) == [people.relationship]


def test_consent_needs_the_box_ticked(client_for, people, therapist):
    care_link = link(people.relationship, therapist, consenting=[people.partner_a])
    before = snapshot()
    response = client_for(people.partner_b).post(f"/care/links/{care_link.code}/consent/", {})
    assert response.status_code == 400
    assert "Please tick the box to show you agree" in page_text(response)
    assert snapshot() == before


def test_agreeing_twice_changes_nothing_and_says_so(client_for, people, therapist):
    care_link = link(people.relationship, therapist)
    before = snapshot()
    response = client_for(people.partner_a).post(f"/care/links/{care_link.code}/consent/", {"agree": "on"}, follow=True)
    assert "You have already agreed to this. Nothing has changed." in page_text(response)
    assert snapshot() == before


def test_someone_outside_the_couple_cannot_consent(client_for, people, therapist):
    care_link = link(people.relationship, therapist, consenting=[people.partner_a])
    before = snapshot()
    for person in (people.outsider, therapist, people.staff):
        response = client_for(person).post(f"/care/links/{care_link.code}/consent/", {"agree": "on"})
        assert response.status_code == 404
    assert snapshot() == before


def test_either_partner_revokes_and_the_link_stays_in_the_record(client_for, people, therapist):
    care_link = link(people.relationship, therapist)
    response = client_for(people.partner_b).post(f"/care/links/{care_link.code}/revoke/", follow=True)
    assert "The link has ended." in page_text(response)
    care_link.refresh_from_db()
    assert care_link.revoked_at is not None
    assert care_link.revoked_by == people.partner_b
    assert not relationships_in_care_of(therapist).exists()
    couple_page = page_text(client_for(people.partner_a).get(f"/care/our/{people.relationship.code}/"))
    assert "Ended" in couple_page
    assert "by Sam" in couple_page


def test_revoking_twice_changes_nothing_and_says_so(client_for, people, therapist):
    care_link = link(people.relationship, therapist, revoked=True)
    before = snapshot()
    response = client_for(people.partner_a).post(f"/care/links/{care_link.code}/revoke/", follow=True)
    assert "This link was already ended. Nothing has changed." in page_text(response)
    assert snapshot() == before


def test_agreeing_to_an_ended_link_changes_nothing(client_for, people, therapist):
    care_link = link(people.relationship, therapist, consenting=[people.partner_a], revoked=True)
    before = snapshot()
    response = client_for(people.partner_b).post(f"/care/links/{care_link.code}/consent/", {"agree": "on"}, follow=True)
    assert "This link has been ended, so there is nothing to agree to." in page_text(response)
    assert snapshot() == before


def test_an_outsider_cannot_revoke(client_for, people, therapist):
    care_link = link(people.relationship, therapist)
    before = snapshot()
    for person in (people.outsider, therapist):
        assert client_for(person).post(f"/care/links/{care_link.code}/revoke/").status_code == 404
    assert snapshot() == before


def test_ending_the_relationship_ends_the_therapists_access(people, therapist):
    from trustwork.couples.services import end_relationship

    link(people.relationship, therapist)
    end_relationship(people.relationship, people.partner_a)
    assert not relationships_in_care_of(therapist).exists()


def test_a_therapist_cannot_invite_themselves_to_a_couple(client_for, people, therapist):
    before = snapshot()
    response = _invite(client_for(therapist), people.relationship, therapist.email)
    assert response.status_code == 404
    assert snapshot() == before
    assert not mail.outbox
