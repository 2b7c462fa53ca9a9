"""Workflows of therapist review: profile, invite, consent, accept, revoke,
notes and suggestions.

Each runs in one transaction and raises CareError with a message meant for the
person in front of the screen.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trustwork.care.models import CareLink, Consent, ExerciseSuggestion, TherapistNote, TherapistProfile
from trustwork.couples.models import Membership, Relationship
from trustwork.couples.services import bump_version
from trustwork.mail import send_templated_mail


class CareError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _is_partner(user) -> bool:
    return Membership.objects.current().filter(user=user).exists()


def save_profile(user, *, name: str, practice: str, licence_number: str) -> TherapistProfile:
    if _is_partner(user):
        raise CareError(
            "This account is part of a couple's shared record. To work as a therapist on trustwork, "
            "please create a separate account with your practice's email address."
        )
    with transaction.atomic():
        profile, created = TherapistProfile.objects.get_or_create(
            user=user, defaults={"name": name, "practice": practice, "licence_number": licence_number}
        )
        if not created:
            changed_licence = profile.licence_number != licence_number
            profile.name, profile.practice, profile.licence_number = name, practice, licence_number
            if changed_licence:
                # A new number needs checking again before couples see the badge.
                profile.verified = False
            profile.save(update_fields=["name", "practice", "licence_number", "verified"])
            therapist_changed(user)
    return profile


def therapist_changed(user) -> None:
    """A therapist's name or badge changed: they show on the home page of
    every couple that invited them."""
    bump_version(*CareLink.objects.filter(therapist=user).values_list("relationship_id", flat=True))


def invite_therapist(relationship: Relationship, inviter, email: str) -> CareLink:
    """Invite a therapist by email. Inviting is the inviter's own consent."""
    email = email.strip()
    with transaction.atomic():
        relationship = Relationship.objects.select_for_update().get(pk=relationship.pk)
        members = list(relationship.memberships.current().select_related("user"))
        if not relationship.is_active:
            raise CareError("This shared record has ended, so no therapist can be invited to it.")
        if email.lower() == inviter.email.lower():
            raise CareError("That is your own address. Invite your therapist with the address they use for work.")
        if any(m.user.email.lower() == email.lower() for m in members):
            raise CareError("That is your partner's address. Invite your therapist with the address they use for work.")
        if len(members) < 2:
            raise CareError(
                "Invite your partner first: a therapist can only see your record once both of you have agreed."
            )
        if relationship.care_links.open().filter(email__iexact=email).exists():
            raise CareError("An invitation to this address is already open. You'll find it in the list below.")
        try:
            with transaction.atomic():
                link = CareLink.objects.create(relationship=relationship, email=email, invited_by=inviter)
        except IntegrityError:
            raise CareError(
                "An invitation to this address is already open. You'll find it in the list below."
            ) from None
        Consent.objects.create(link=link, person=inviter, given_at=link.created_at)
        bump_version(relationship)
    send_templated_mail(
        "care/email/invitation",
        link.email,
        {"inviter_name": inviter.display_name, "invitation_path": reverse("care:invitation", args=[link.code])},
    )
    return link


def give_consent(link: CareLink, person) -> Consent:
    with transaction.atomic():
        link = CareLink.objects.select_for_update().select_related("relationship").get(pk=link.pk)
        if link.is_revoked:
            raise CareError("This link has been ended, so there is nothing to agree to. You can send a new invitation.")
        if not link.relationship.is_active:
            raise CareError("This shared record has ended.")
        if link.consents.filter(person=person).exists():
            raise CareError("You have already agreed to this. Nothing has changed.")
        bump_version(link.relationship)
        return Consent.objects.create(link=link, person=person)


def revoke(link: CareLink, person) -> CareLink:
    """End the link for good. It takes effect on the therapist's next request;
    the link and its log stay in the record."""
    with transaction.atomic():
        link = CareLink.objects.select_for_update().get(pk=link.pk)
        if link.is_revoked:
            raise CareError("This link was already ended. Nothing has changed.")
        link.revoked_at = timezone.now()
        link.revoked_by = person
        link.save(update_fields=["revoked_at", "revoked_by"])
        bump_version(link.relationship_id)
    return link


def invitation_problem(link: CareLink, user) -> str | None:
    """Why `user` cannot accept `link` now, in plain words, or None."""
    if link.is_revoked:
        return "The couple has withdrawn this invitation, so it can no longer be accepted."
    if not link.relationship.is_active:
        return "The shared record this invitation belongs to has ended."
    if link.accepted_at:
        if link.therapist_id == user.pk:
            return "You have already accepted this invitation."
        return "This invitation has already been accepted by someone else."
    if link.relationship.memberships.current().filter(user=user).exists():
        return "This is your own shared record, so you can't be its therapist."
    if link.email.lower() != user.email.lower():
        return (
            "This invitation was sent to a different email address. "
            "Sign in with the address it was sent to, then open the link again."
        )
    if not hasattr(user, "therapist_profile"):
        return "Please set up your therapist profile first."
    return None


def accept_invitation(code, user) -> CareLink:
    with transaction.atomic():
        link = CareLink.objects.select_for_update().select_related("relationship").filter(code=code).first()
        if link is None:
            raise CareError("This invitation link isn't valid. Check that you copied the whole link.")
        problem = invitation_problem(link, user)
        if problem:
            raise CareError(problem)
        link.therapist = user
        link.accepted_at = timezone.now()
        link.save(update_fields=["therapist", "accepted_at"])
        bump_version(link.relationship)
    return link


def add_note(therapist, relationship: Relationship, text: str) -> TherapistNote:
    return TherapistNote.objects.create(therapist=therapist, relationship=relationship, text=text)


def suggest_exercise(therapist, relationship: Relationship, exercise, message: str) -> ExerciseSuggestion:
    with transaction.atomic():
        bump_version(relationship)
        return ExerciseSuggestion.objects.create(
            therapist=therapist,
            therapist_name=therapist.therapist_profile.name,
            relationship=relationship,
            exercise=exercise,
            message=message,
        )


def forget_person(user, relationships, addresses) -> None:
    """What care keeps of a person whose account is being deleted: the links
    of their couples end (links where they are the therapist go with their
    account), unaccepted invitations to their addresses go, and so do their
    suggestions, which are their writing. The access log rows about them stay
    for the couple, without the link to their account."""
    CareLink.objects.filter(relationship__in=relationships, revoked_at__isnull=True).update(revoked_at=timezone.now())
    therapist_changed(user)
    for address in addresses:
        CareLink.objects.filter(email__iexact=address, therapist__isnull=True).delete()
    ExerciseSuggestion.objects.filter(therapist=user).delete()
