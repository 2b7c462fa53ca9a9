from django.core import mail

from tests.factories import UserFactory, make_couple, make_solo
from tests.helpers import page_text, snapshot
from trustwork.couples.models import Invitation


def test_it_emails_a_one_time_link_that_lasts_seven_days(client_for, db):
    relationship = make_solo()
    inviter = relationship.memberships.get().user
    response = client_for(inviter).post(f"/couple/{relationship.code}/invite/", {"email": "partner@example.com"})
    invitation = Invitation.objects.get()
    assert response.status_code == 302
    assert invitation.email == "partner@example.com"
    assert (invitation.expires_at - invitation.created_at).days == 7
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["partner@example.com"]
    assert f"/couple/invitations/{invitation.code}/" in message.body
    assert message.alternatives[0].mimetype == "text/html"


def test_it_replaces_the_pending_invitation_with_a_new_one(client_for, db):
    relationship = make_solo()
    inviter = relationship.memberships.get().user
    client = client_for(inviter)
    client.post(f"/couple/{relationship.code}/invite/", {"email": "first@example.com"})
    client.post(f"/couple/{relationship.code}/invite/", {"email": "second@example.com"})
    assert [i.email for i in Invitation.objects.pending()] == ["second@example.com"]


def _rejected(client_for, email, expected_message, relationship=None):
    relationship = relationship or make_solo()
    inviter = relationship.memberships.filter(is_active=True).first().user
    before = snapshot()
    response = client_for(inviter).post(f"/couple/{relationship.code}/invite/", {"email": email})
    assert response.status_code == 400
    assert expected_message in page_text(response)
    assert snapshot() == before
    assert mail.outbox == []


def test_it_refuses_to_invite_yourself(client_for, db):
    relationship = make_solo(UserFactory(email="me@example.com"))
    _rejected(client_for, "ME@example.com", "That is your own address.", relationship)


def test_it_refuses_someone_already_in_a_relationship(client_for, db):
    make_couple(UserFactory(email="taken@example.com"))
    _rejected(client_for, "taken@example.com", "it is already part of a relationship on trustwork")


def test_it_refuses_a_malformed_address(client_for, db):
    _rejected(client_for, "not an email", "Enter a valid email address.")


def test_it_refuses_an_over_long_address(client_for, db):
    _rejected(client_for, "a" * 250 + "@example.com", "Ensure this value has at most 254 characters")


def test_it_refuses_a_missing_address(client_for, db):
    _rejected(client_for, "", "This field is required.")


def test_it_refuses_when_both_partners_are_already_there(client_for, db):
    _rejected(client_for, "third@example.com", "Both partners are already here.", make_couple())


def test_it_answers_404_to_someone_outside_the_relationship(client_for, db):
    relationship = make_solo()
    outsider = UserFactory()
    before = snapshot()
    response = client_for(outsider).post(f"/couple/{relationship.code}/invite/", {"email": "x@example.com"})
    assert response.status_code == 404
    assert snapshot() == before
