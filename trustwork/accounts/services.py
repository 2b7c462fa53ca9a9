"""Workflows of a person's own account."""

from allauth.mfa.models import Authenticator
from django.db import transaction

from trustwork.couples.models import Membership
from trustwork.couples.services import bump_version
from trustwork.reminders import services as reminders


class AccountError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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


def update_profile(user, *, display_name: str, time_zone) -> None:
    """A new name or time zone. The name shows on the pages of the couple the
    person is part of, and on their therapist's; their reminders follow the zone."""
    with transaction.atomic():
        zone_changed = user.time_zone != time_zone
        user.display_name, user.time_zone = display_name, time_zone
        user.save(update_fields=["display_name", "time_zone"])
        bump_version(*Membership.objects.current().filter(user=user).values_list("relationship_id", flat=True))
        if zone_changed:
            reminders.reschedule(user)
