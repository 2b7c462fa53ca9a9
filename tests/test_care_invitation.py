"""The therapist opens the couple's invitation and accepts it."""

from tests.care_helpers import link, make_therapist
from tests.factories import UserFactory
from tests.helpers import page_text, snapshot
from trustwork.care.models import CareLink


def _pending(people, therapist_email="rivera@example.com"):
    return CareLink.objects.create(relationship=people.relationship, email=therapist_email, invited_by=people.partner_a)


def test_the_invited_therapist_accepts(client_for, people, therapist):
    care_link = _pending(people)
    response = client_for(therapist).post(f"/care/invitations/{care_link.code}/")
    assert response.status_code == 302
    care_link.refresh_from_db()
    assert care_link.therapist == therapist
    assert care_link.accepted_at is not None


def test_anyone_with_the_link_sees_who_sent_it_and_is_asked_to_sign_in(client, people):
    care_link = _pending(people)
    text = page_text(client.get(f"/care/invitations/{care_link.code}/"))
    assert "Alex invited you as their therapist" in text
    assert "Create an account" in text


def test_it_refuses_an_invitation_meant_for_another_address(client_for, people):
    care_link = _pending(people)
    someone_else = make_therapist(email="someone-else@example.com")
    before = snapshot()
    response = client_for(someone_else).post(f"/care/invitations/{care_link.code}/")
    assert response.status_code == 400
    assert "This invitation was sent to a different email address." in page_text(response)
    assert snapshot() == before


def test_a_partner_cannot_become_their_own_therapist(client_for, people):
    care_link = _pending(people, therapist_email=people.partner_b.email)
    before = snapshot()
    response = client_for(people.partner_b).post(f"/care/invitations/{care_link.code}/")
    assert response.status_code == 400
    assert "This is your own shared record, so you can&#x27;t be its therapist." in page_text(response)
    assert snapshot() == before


def test_it_asks_for_a_therapist_profile_first(client_for, people):
    person = UserFactory(email="rivera@example.com")
    care_link = _pending(people)
    page = client_for(person).get(f"/care/invitations/{care_link.code}/")
    assert "Please set up your therapist profile first." in page_text(page)
    assert f"/care/profile/?next=/care/invitations/{care_link.code}/" in page_text(page)
    before = snapshot()
    assert client_for(person).post(f"/care/invitations/{care_link.code}/").status_code == 400
    assert snapshot() == before


def test_accepting_twice_changes_nothing_and_says_so(client_for, people, therapist):
    care_link = link(people.relationship, therapist)
    before = snapshot()
    response = client_for(therapist).post(f"/care/invitations/{care_link.code}/")
    assert response.status_code == 400
    assert "You have already accepted this invitation." in page_text(response)
    assert snapshot() == before


def test_a_withdrawn_invitation_cannot_be_accepted(client_for, people, therapist):
    care_link = _pending(people)
    care_link.revoked_at = care_link.created_at
    care_link.save()
    before = snapshot()
    response = client_for(therapist).post(f"/care/invitations/{care_link.code}/")
    assert response.status_code == 400
    assert "The couple has withdrawn this invitation" in page_text(response)
    assert snapshot() == before


def test_an_unknown_invitation_is_404(client_for, therapist):
    assert client_for(therapist).get("/care/invitations/2f1b7c50-2a6f-4a55-9f35-2d8f7d3c0d11/").status_code == 404


def test_signing_in_is_needed_to_accept(client, people):
    care_link = _pending(people)
    response = client.post(f"/care/invitations/{care_link.code}/")
    assert "/accounts/login/" in response["Location"]
    assert CareLink.objects.get().accepted_at is None
