"""Rate limits of our own forms, counted by allauth's helper in the cache,
beside allauth's own limits on sign-in, sign-up and password reset.

Someone who hits one gets a 429 with templates/429.html, which says in plain
words to wait a little.
"""

from allauth.core import ratelimit

RATES = {
    # Partner invitations send an email to any address: keep them rare.
    "invite_partner": "5/h/user,20/h/ip",
    # Therapist invitations, likewise.
    "invite_therapist": "5/h/user,20/h/ip",
    # One-click unsubscribe links are opened without signing in.
    "unsubscribe": "20/h/ip",
    # Deleting an account asks for the password again: no guessing it here.
    "delete_account": "5/h/user",
}


def limit(request, action: str, key: str | None = None):
    """None while within the limit (and counts this request), else the 429 response.
    GET requests are not counted, only the ones that do something."""
    return ratelimit.consume_or_429(request, action=action, config=RATES, key=key)
