"""TOTP two-factor authentication with recovery codes, through allauth's own pages."""

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client

from tests.factories import PASSWORD, UserFactory


def _code(secret, offset=0):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def _signed_in(person):
    client = Client()
    client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    return client


def _activate_totp(client):
    # Changing security settings asks for the password again first.
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith("/accounts/reauthenticate/")
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post("/accounts/2fa/totp/activate/", {"code": _code(secret)})
    assert response.status_code == 302
    return secret


def test_it_turns_on_totp_with_recovery_codes(db):
    person = UserFactory()
    _activate_totp(_signed_in(person))
    types = set(Authenticator.objects.filter(user=person).values_list("type", flat=True))
    assert types == {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES}


def test_it_asks_for_a_code_at_the_next_sign_in(db):
    person = UserFactory()
    secret = _activate_totp(_signed_in(person))

    client = Client()
    response = client.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000" if _code(secret, 1) != "000000" else "111111"})
    assert "Incorrect code." in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    client.post("/accounts/2fa/authenticate/", {"code": _code(secret, 1)})
    assert client.session["_auth_user_id"] == str(person.pk)
