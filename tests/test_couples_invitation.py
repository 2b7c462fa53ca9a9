import datetime
import uuid

from django.utils import timezone

from tests.factories import InvitationFactory, UserFactory, make_couple, make_solo
from tests.helpers import page_text, snapshot
from trustwork.couples.models import Membership


def _invitation_for(email="invitee@example.com", **fields):
    return InvitationFactory(email=email, **fields)


def test_it_links_the_invitee_as_second_partner(client_for, db):
    invitation = _invitation_for()
    invitee = UserFactory(email="invitee@example.com")
    response = client_for(invitee).post(f"/couple/invitations/{invitation.code}/")
    assert response.status_code == 302
    assert response["Location"] == f"/couple/{invitation.relationship.code}/"
    members = set(invitation.relationship.memberships.filter(is_active=True).values_list("user", flat=True))
    assert members == {invitation.invited_by_id, invitee.pk}
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee


def test_it_accepts_the_address_in_any_letter_case(client_for, db):
    invitation = _invitation_for("Invitee@Example.com")
    invitee = UserFactory(email="invitee@example.com")
    client_for(invitee).post(f"/couple/invitations/{invitation.code}/")
    assert Membership.objects.filter(user=invitee, is_active=True).exists()


def test_it_shows_whose_invitation_it_is_to_someone_signed_out(client_for, db):
    invitation = _invitation_for()
    response = client_for(None).get(f"/couple/invitations/{invitation.code}/")
    text = page_text(response)
    assert f"{invitation.invited_by.display_name} invited you to trustwork" in text
    assert "Create an account" in text


def test_it_sends_a_signed_out_acceptance_to_sign_in(client_for, db):
    invitation = _invitation_for()
    before = snapshot()
    response = client_for(None).post(f"/couple/invitations/{invitation.code}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert snapshot() == before


def _refused(client_for, invitation, user, message):
    before = snapshot()
    response = client_for(user).post(f"/couple/invitations/{invitation.code}/")
    assert response.status_code == 400
    assert message in page_text(response)
    assert snapshot() == before


def test_it_refuses_an_expired_link(client_for, db):
    past = timezone.now() - datetime.timedelta(days=8)
    invitation = _invitation_for(created_at=past, expires_at=past + datetime.timedelta(days=7))
    _refused(client_for, invitation, UserFactory(email="invitee@example.com"), "This invitation has expired")


def test_it_refuses_a_used_link(client_for, db):
    invitation = _invitation_for()
    first = UserFactory(email="invitee@example.com")
    client_for(first).post(f"/couple/invitations/{invitation.code}/")
    _refused(client_for, invitation, UserFactory(), "This invitation has already been used.")


def test_it_tells_the_same_person_a_second_acceptance_is_already_done(client_for, db):
    invitation = _invitation_for()
    invitee = UserFactory(email="invitee@example.com")
    client_for(invitee).post(f"/couple/invitations/{invitation.code}/")
    _refused(client_for, invitation, invitee, "You have already accepted this invitation.")


def test_it_refuses_someone_elses_link(client_for, db):
    invitation = _invitation_for("invitee@example.com")
    _refused(client_for, invitation, UserFactory(email="stranger@example.com"), "sent to a different email address")


def test_it_refuses_acceptance_while_already_in_a_relationship(client_for, db):
    invitation = _invitation_for("invitee@example.com")
    invitee = UserFactory(email="invitee@example.com")
    make_solo(invitee)
    _refused(client_for, invitation, invitee, "You already share a relationship record")


def test_it_refuses_the_inviter_accepting_their_own_link(client_for, db):
    invitation = _invitation_for()
    _refused(client_for, invitation, invitation.invited_by, "You sent this invitation yourself.")


def test_it_refuses_a_withdrawn_link(client_for, db):
    invitation = _invitation_for(cancelled_at=timezone.now())
    _refused(client_for, invitation, UserFactory(email="invitee@example.com"), "This invitation was withdrawn")


def test_it_refuses_a_link_to_an_ended_record(client_for, db):
    invitation = _invitation_for()
    invitation.relationship.ended_at = timezone.now()
    invitation.relationship.save()
    _refused(client_for, invitation, UserFactory(email="invitee@example.com"), "has ended")


def test_it_answers_404_with_a_clear_page_to_a_tampered_link(client_for, db):
    _invitation_for()
    response = client_for(UserFactory()).get(f"/couple/invitations/{uuid.uuid4()}/")
    assert response.status_code == 404
    assert "We couldn't find that page" in page_text(response)
    response = client_for(UserFactory()).get("/couple/invitations/not-a-code/")
    assert response.status_code == 404


def test_it_lets_only_one_of_two_invitees_in(client_for, db):
    relationship = make_solo()
    inviter = relationship.memberships.get().user
    first = InvitationFactory(relationship=relationship, invited_by=inviter, email="one@example.com")
    second = InvitationFactory(relationship=relationship, invited_by=inviter, email="two@example.com")
    client_for(UserFactory(email="one@example.com")).post(f"/couple/invitations/{first.code}/")
    response = client_for(UserFactory(email="two@example.com")).post(f"/couple/invitations/{second.code}/")
    assert response.status_code == 400
    assert "Both partners are already here." in page_text(response)
    assert relationship.memberships.filter(is_active=True).count() == 2


def test_it_shows_a_problem_on_the_page_before_any_click(client_for, db):
    invitation = _invitation_for("invitee@example.com")
    make_couple(invitee := UserFactory(email="invitee@example.com"))
    response = client_for(invitee).get(f"/couple/invitations/{invitation.code}/")
    assert "You already share a relationship record" in page_text(response)
    assert "Accept and join" not in page_text(response)
