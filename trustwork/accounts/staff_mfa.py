"""Staff reach the Django admin only through allauth's sign-in, with two-factor
authentication on and used in the current session.

The admin's own login form knows nothing of MFA, so it is replaced by
allauth's (`secure_admin_login`), and `has_permission` asks for a session in
which a TOTP or recovery code was entered.
"""

from functools import wraps

from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import secure_admin_login
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode


def signed_in_with_mfa(request) -> bool:
    user = request.user
    if not (user.is_authenticated and is_mfa_enabled(user, [Authenticator.Type.TOTP])):
        return False
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, user))


def staff_login(admin_login_view):
    """The admin's login page: signed-out people go to allauth's sign-in, and
    staff without MFA in this session are sent to set it up or to enter a code."""

    @secure_admin_login
    @wraps(admin_login_view)
    def view(request, *args, **kwargs):
        if not signed_in_with_mfa(request):
            next_url = request.GET.get("next") or reverse("admin:index")
            if not is_mfa_enabled(request.user, [Authenticator.Type.TOTP]):
                messages.info(request, "The admin needs two-factor authentication. Please set it up first.")
                return redirect("mfa_activate_totp")
            messages.info(request, "Please enter a code from your authenticator app to open the admin.")
            return redirect(reverse("mfa_reauthenticate") + "?" + urlencode({"next": next_url}))
        return admin_login_view(request, *args, **kwargs)

    return view


def protect(site) -> None:
    default_has_permission = site.has_permission

    def has_permission(request):
        return default_has_permission(request) and signed_in_with_mfa(request)

    site.has_permission = has_permission
    site.login = staff_login(site.login)
