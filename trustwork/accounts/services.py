"""Workflows of a person's own account."""

from allauth.mfa.models import Authenticator


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
