"""Staff open the admin only after signing in through allauth with a TOTP code."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.matrix.admin import ROUTES as ADMIN_ROUTES
from tests.matrix.admin import STAFF_WITH_MFA
from tests.test_authorization_matrix import _assert_answer, world  # noqa: F401  (world is a fixture)


def _current_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _staff_with_totp(**fields):
    staff = UserFactory(is_staff=True, is_superuser=True, **fields)
    secret = generate_totp_secret()
    TOTP.activate(staff, secret)
    return staff, secret


def _sign_in_with_code(staff, secret):
    client = Client()
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": _current_code(secret)})
    assert response.status_code == 302
    return client


def test_it_opens_the_admin_to_staff_who_entered_a_code(db):
    client = _sign_in_with_code(*_staff_with_totp())
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_sends_staff_without_two_factor_to_set_it_up(db):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    response = client.get(reverse("admin:index"), follow=True)
    assert (reverse("mfa_activate_totp"), 302) in response.redirect_chain
    assert "The admin needs two-factor authentication" in response.content.decode()


def test_it_asks_for_a_code_when_this_session_did_not_use_one(db):
    staff, _ = _staff_with_totp()
    client = Client()
    client.force_login(staff)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate") + "?next=")


def test_it_accepts_a_fresh_code_from_a_signed_in_member_of_staff(db):
    staff, secret = _staff_with_totp()
    client = Client()
    client.force_login(staff)
    client.post(reverse("mfa_reauthenticate"), {"code": _current_code(secret)})
    assert client.get(reverse("admin:index")).status_code == 200


def test_its_own_login_form_cannot_be_used_to_get_past_two_factor(db):
    staff, _ = _staff_with_totp()
    client = Client()
    response = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_it_refuses_people_who_are_not_staff_even_with_two_factor(db):
    person, secret = _staff_with_totp()
    person.is_staff = person.is_superuser = False
    person.save()
    client = _sign_in_with_code(person, secret)
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 403


@pytest.mark.parametrize("name", sorted(ADMIN_ROUTES))
def test_staff_with_two_factor_get_every_admin_page(name, world):  # noqa: F811
    client = _sign_in_with_code(*_staff_with_totp())
    route = ADMIN_ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world)) + route.query
    _assert_answer(client.get(url), STAFF_WITH_MFA.get(name, 200), "staff signed in with a code", name)
