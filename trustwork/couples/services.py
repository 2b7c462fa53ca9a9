"""Workflows of the shared relationship record: start, invite, accept, end,
and the check-in rhythm.

Each runs in one transaction and raises CouplesError with a message meant for
the person in front of the screen. Each that changes who is in a complete
couple, or the couple's rhythm, tells the reminders in the same transaction
(trustwork.reminders.services.follow_rhythm): a couple of two follows its
rhythm; someone alone, or whose record ended, follows none.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from trustwork.couples.models import Invitation, Membership, Relationship
from trustwork.mail import send_templated_mail
from trustwork.reminders import services as reminders


class CouplesError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _lock_person(user) -> None:
    # Serialises one person's relationship changes (two tabs, a double click).
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def _has_active_relationship(user) -> bool:
    return Membership.objects.current().filter(user=user).exists()


def _reminders_follow(relationship: Relationship) -> None:
    """The couple's partners follow its rhythm while there are two of them."""
    partners = [m.user for m in relationship.memberships.current().select_related("user")]
    complete = relationship.is_active and len(partners) == 2
    reminders.follow_rhythm(partners, relationship.rhythm if complete else None)


def start_relationship(user) -> Relationship:
    with transaction.atomic():
        _lock_person(user)
        if _has_active_relationship(user):
            raise CouplesError("You already share a relationship record. End it before starting a new one.")
        relationship = Relationship.objects.create(time_zone=user.time_zone)
        Membership.objects.create(relationship=relationship, user=user)
        _reminders_follow(relationship)
    return relationship


def set_rhythm(relationship: Relationship, *, weekday: int, time, zone) -> Relationship:
    """The one way a couple's check-in rhythm changes (the rhythm page, the
    exercise where both partners choose the same day and time): saved, and
    both partners' reminders moved, in one transaction."""
    with transaction.atomic():
        locked = Relationship.objects.select_for_update().get(pk=relationship.pk)
        locked.checkin_weekday, locked.checkin_time, locked.time_zone = weekday, time, zone
        locked.save(update_fields=["checkin_weekday", "checkin_time", "time_zone"])
        _reminders_follow(locked)
        bump_version(locked)
    relationship.checkin_weekday, relationship.checkin_time, relationship.time_zone = weekday, time, zone
    return relationship


def invite_partner(relationship: Relationship, inviter, email: str) -> Invitation:
    email = email.strip()
    if email.lower() == inviter.email.lower():
        raise CouplesError("That is your own address. Invite your partner with the address they use.")
    with transaction.atomic():
        relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
        if not relationship.is_active:
            raise CouplesError("This relationship record has ended, so no one can join it.")
        if relationship.memberships.current().count() >= 2:
            raise CouplesError("Both partners are already here.")
        if Membership.objects.current().filter(user__email__iexact=email).exists():
            raise CouplesError(
                "We can't invite that address: it is already part of a relationship on trustwork. "
                "They would need to end that one first."
            )
        now = timezone.now()
        relationship.invitations.pending().update(cancelled_at=now)
        invitation = Invitation.objects.create(
            relationship=relationship, invited_by=inviter, email=email, created_at=now
        )
    send_invitation(invitation)
    return invitation


def send_invitation(invitation: Invitation) -> None:
    send_templated_mail(
        "couples/email/invitation",
        invitation.email,
        {
            "inviter_name": invitation.invited_by.display_name,
            "invitation_path": reverse("couples:invitation", args=[invitation.code]),
            "expires_at": invitation.expires_at,
        },
    )


def invitation_problem(invitation: Invitation, user) -> str | None:
    """Why `user` cannot accept `invitation` now, in plain words, or None."""
    if invitation.accepted_at:
        if invitation.accepted_by_id == user.pk:
            return "You have already accepted this invitation."
        return "This invitation has already been used. Ask your partner to send a new one if you need it."
    if invitation.cancelled_at:
        return "This invitation was withdrawn or replaced by a newer one. Ask your partner for the latest link."
    if invitation.is_expired:
        return "This invitation has expired (links last 7 days). Ask your partner to send a new one."
    if not invitation.relationship.is_active:
        return "The relationship record this invitation belongs to has ended."
    if invitation.invited_by_id == user.pk:
        return "You sent this invitation yourself. Share the link with your partner so they can accept it."
    if invitation.email.lower() != user.email.lower():
        return (
            "This invitation was sent to a different email address. "
            "Sign in with the address it was sent to, then open the link again."
        )
    if _has_active_relationship(user):
        return "You already share a relationship record on trustwork. End it before joining another."
    return None


def accept_invitation(code, user) -> Relationship:
    with transaction.atomic():
        _lock_person(user)
        invitation = Invitation.objects.select_for_update().select_related("relationship").filter(code=code).first()
        if invitation is None:
            raise CouplesError("This invitation link isn't valid. Check that you copied the whole link.")
        problem = invitation_problem(invitation, user)
        if problem:
            raise CouplesError(problem)
        relationship = Relationship.objects.select_for_update().get(pk=invitation.relationship_id)
        if relationship.memberships.current().count() >= 2:
            raise CouplesError("Both partners are already here.")
        try:
            with transaction.atomic():
                Membership.objects.create(relationship=relationship, user=user)
        except IntegrityError:
            raise CouplesError(
                "You already share a relationship record on trustwork. End it before joining another."
            ) from None
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        _reminders_follow(relationship)
        bump_version(relationship)
    return relationship


def end_relationship(relationship: Relationship, user) -> None:
    """Archive the record. The other partner's access ends with this commit."""
    with transaction.atomic():
        relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
        if not relationship.is_active:
            return
        now = timezone.now()
        partners = [m.user for m in relationship.memberships.current().select_related("user")]
        relationship.ended_at = now
        relationship.ended_by = user
        relationship.save(update_fields=["ended_at", "ended_by"])
        relationship.memberships.update(is_active=False)
        relationship.invitations.pending().update(cancelled_at=now)
        # In this transaction: a reminder waiting to be sent finds itself cancelled.
        reminders.follow_rhythm(partners, None, now)
        bump_version(relationship)


def end_every_record_of(user) -> list[Relationship]:
    """End every shared record `user` is part of (their account is being
    deleted), and return them all, ended before or now."""
    relationships = list(Relationship.objects.filter(memberships__user=user).distinct())
    for relationship in relationships:
        end_relationship(relationship, user)
    return relationships


def delete_invitations_to(addresses) -> None:
    """Invitations that carry these addresses, sent by someone else."""
    for address in addresses:
        Invitation.objects.filter(email__iexact=address).delete()


def bump_version(*relationships) -> None:
    """What these couples' pages show has changed: their fragments get new
    keys (trustwork.caching). Called by every service that writes such a
    change, in its own transaction."""
    ids = [getattr(relationship, "pk", relationship) for relationship in relationships]
    Relationship.objects.filter(pk__in=ids).update(version=F("version") + 1)
