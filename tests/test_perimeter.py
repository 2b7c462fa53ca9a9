"""The perimeter: security headers on every page, rate limits, password rules,
and sessions that end when the password changes."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.helpers import page_text, snapshot
from tests.matrix import ROLES
from tests.test_authorization_matrix import ROUTES, world  # noqa: F401  (world is a fixture)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_page_has_a_strict_policy_and_private_pages_are_never_stored(name, world, client_for):  # noqa: F811
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world)) + route.query
    for role in ROLES:
        user = None if role == "anonymous" else getattr(world.people, role)
        response = client_for(user).get(url)
        where = f"{name} as {role} ({response.status_code})"
        policy = response.get("Content-Security-Policy", "")
        # A nonce appears only when the page used one; either way, only our own scripts run.
        assert "script-src 'self'" in policy, f"{where}: no strict script policy: {policy!r}"
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, f"{where}: {policy}"
        assert "frame-ancestors 'none'" in policy, where
        assert response["X-Frame-Options"] == "DENY", where
        if user is not None:
            assert "no-store" in response.get("Cache-Control", ""), f"{where}: may be cached"


def _post_until_limited(client, url, data, limit):
    for attempt in range(limit):
        response = client.post(url, data)
        assert response.status_code != 429, f"limited after only {attempt} attempts"
    return client.post(url, data)


def _assert_clear_429(response):
    assert response.status_code == 429
    text = page_text(response)
    assert "Too many attempts" in text
    assert "Please wait a few minutes and try again." in text


def test_it_limits_sign_in_attempts_from_one_address(db):
    response = _post_until_limited(
        Client(), reverse("account_login"), {"login": "nobody@example.com", "password": "not-the-password"}, 30
    )
    _assert_clear_429(response)


def test_it_limits_sign_ups_from_one_address(db):
    data = {"email": "someone@example.com", "password1": "x", "password2": "y"}
    _assert_clear_429(_post_until_limited(Client(), reverse("account_signup"), data, 20))


def test_it_limits_password_reset_requests_for_one_address(db):
    data = {"email": "someone@example.com"}
    _assert_clear_429(_post_until_limited(Client(), reverse("account_reset_password"), data, 5))


def test_it_limits_partner_invitations(people, client_for):
    # A person alone in their record: each invitation replaces the last one.
    from tests.factories import make_solo

    inviter = UserFactory()
    relationship = make_solo(inviter)
    client = client_for(inviter)
    url = reverse("couples:invite", args=[relationship.code])
    for number in range(5):
        assert client.post(url, {"email": f"partner{number}@example.com"}).status_code == 302
    before = snapshot()
    response = client.post(url, {"email": "one-more@example.com"})
    _assert_clear_429(response)
    assert snapshot() == before


PASSWORD_CHANGE = "/accounts/password/change/"


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short-1", "This password is too short. It must contain at least 10 characters."),
        ("password123", "This password is too common."),
        ("qwertyuiop", "This password is too common."),
    ],
)
def test_it_refuses_a_weak_new_password(db, new_password, message):
    person = UserFactory()
    client = Client()
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    before = snapshot()
    response = client.post(
        PASSWORD_CHANGE, {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password}
    )
    assert response.status_code == 200
    assert message in page_text(response)
    assert snapshot() == before


def test_it_ends_every_session_when_the_password_changes(db):
    person = UserFactory()
    laptop, phone, tablet = Client(), Client(), Client()
    for device in (laptop, phone, tablet):
        device.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
        assert device.get(reverse("accounts:profile")).status_code == 200

    response = laptop.post(
        PASSWORD_CHANGE,
        {"oldpassword": PASSWORD, "password1": "a-new-and-long-pass-77", "password2": "a-new-and-long-pass-77"},
    )
    assert response.status_code == 302

    for device in (laptop, phone, tablet):
        assert device.get(reverse("accounts:profile"))["Location"].startswith(reverse("account_login"))


def test_it_limits_therapist_invitations(people, client_for):
    relationship = people.relationship
    client = client_for(people.partner_a)
    url = reverse("care:invite", args=[relationship.code])
    for number in range(5):
        assert client.post(url, {"email": f"therapist{number}@example.com", "agree": "on"}).status_code == 302
    before = snapshot()
    response = client.post(url, {"email": "one-more-therapist@example.com", "agree": "on"})
    _assert_clear_429(response)
    assert snapshot() == before


def test_it_limits_unsubscribe_posts_from_one_address(people):
    from trustwork.reminders.services import unsubscribe_token

    url = reverse("reminders:unsubscribe", args=[unsubscribe_token(people.partner_a)])
    _assert_clear_429(_post_until_limited(Client(), url, {}, 20))
