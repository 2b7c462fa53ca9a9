"""A person's own account: saving their profile, and deleting the account
(DESIGN section 6).

Deleting removes what the person wrote; the shared record ends, and the partner
keeps their own writing; therapist links end; the therapist access log of the
couple is kept (it is the partner's record too), with no link to the person.
"""

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.db import transaction
from django.utils import timezone

from trustwork.accounts.models import User
from trustwork.care.models import CareLink, ExerciseSuggestion
from trustwork.couples.models import Invitation, Relationship
from trustwork.couples.services import end_relationship
from trustwork.reminders import services as reminders


class AccountError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def update_profile(user, *, display_name: str, time_zone) -> None:
    """Save the person's name and time zone; their reminders follow the zone."""
    with transaction.atomic():
        zone_changed = user.time_zone != time_zone
        user.display_name, user.time_zone = display_name, time_zone
        user.save(update_fields=["display_name", "time_zone"])
        if zone_changed:
            reminders.reschedule(user)


def check_identity(user, password: str, code: str) -> None:
    """Raise AccountError unless `password` (and, with two-factor on, `code`) are right."""
    if not user.check_password(password):
        raise AccountError("That password isn't right. Please type the password you sign in with.")
    authenticators = list(Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.WEBAUTHN))
    if not authenticators:
        return
    code = (code or "").strip()
    if not code:
        raise AccountError("Two-factor authentication is on, so we also need a code from your authenticator app.")
    if not any(authenticator.wrap().validate_code(code) for authenticator in authenticators):
        raise AccountError("That code isn't right or has expired. Please enter the current code from your app.")


def delete_account(user) -> None:
    addresses = [user.email, *user.emailaddress_set.values_list("email", flat=True)]
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        now = timezone.now()
        relationships = list(Relationship.objects.filter(memberships__user=user).distinct())
        for relationship in relationships:
            end_relationship(relationship, user)
        # Therapist links of their couples end with the record; links where
        # they are the therapist go with their account (CASCADE).
        CareLink.objects.filter(relationship__in=relationships, revoked_at__isnull=True).update(revoked_at=now)
        # Invitations that carry their address, sent by someone else.
        for address in set(addresses):
            Invitation.objects.filter(email__iexact=address).delete()
            CareLink.objects.filter(email__iexact=address, therapist__isnull=True).delete()
        # A therapist's suggestions are their writing; the access log rows
        # about them stay for the couple, without the link to this account.
        ExerciseSuggestion.objects.filter(therapist=user).delete()
        for session in UserSession.objects.filter(user=user):
            session.end()
        user.delete()
