import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from tests.helpers import page_text, snapshot
from trustwork.accounts.models import User

SIGNUP = {
    "email": "new@example.com",
    "display_name": "Robin",
    "time_zone": "Australia/Sydney",
    "password1": "quiet-harbour-lights-7",
    "password2": "quiet-harbour-lights-7",
}


def test_it_signs_up_with_name_and_time_zone_and_asks_to_verify_the_email(client, db):
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="new@example.com")
    assert (user.display_name, str(user.time_zone)) == ("Robin", "Australia/Sydney")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert re.search(r"/accounts/confirm-email/\S+/", mail.outbox[0].body)


def test_it_does_not_let_an_unverified_address_sign_in(client, db):
    client.post("/accounts/signup/", SIGNUP)
    fresh = Client()
    response = fresh.post("/accounts/login/", {"login": "new@example.com", "password": SIGNUP["password1"]})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in fresh.session


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Olympus_Mons", "Select a valid choice."),
        ("display_name", "x" * 61, "Ensure this value has at most 60 characters"),
        ("display_name", "", "This field is required."),
        ("password1", "short", "This password is too short. It must contain at least 10 characters."),
        ("password1", "password123", "This password is too common."),
        ("email", "not-an-address", "Enter a valid email address."),
    ],
)
def test_it_refuses_bad_sign_up_input_with_a_clear_message(client, db, field, value, message):
    data = {**SIGNUP, field: value}
    if field == "password1":
        data["password2"] = value
    before = snapshot()
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200
    assert message in page_text(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/accounts/confirm-email/"]
)
def test_allauth_pages_for_signed_out_people_use_our_layout(client, db, path):
    text = page_text(client.get(path))
    assert "Quick exit" in text
    assert 'href="/safety/"' in text


@pytest.mark.parametrize(
    "path", ["/accounts/2fa/", "/accounts/sessions/", "/accounts/password/change/", "/accounts/email/"]
)
def test_allauth_pages_for_signed_in_people_use_our_layout(client_for, db, path):
    text = page_text(client_for(UserFactory()).get(path))
    assert "Quick exit" in text
    assert "Sign out" in text


def test_it_lists_ones_own_sessions_and_signs_out_the_others(db):
    person = UserFactory()
    laptop, phone = Client(), Client(HTTP_USER_AGENT="Phone browser")
    for device in (laptop, phone):
        device.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    listing = page_text(laptop.get("/accounts/sessions/"))
    assert "Phone browser" in listing

    laptop.post("/accounts/sessions/", {"action": "logout"})

    assert phone.get("/account/profile/").status_code == 302
    assert laptop.get("/account/profile/").status_code == 200


def test_it_answers_429_with_a_clear_page_after_too_many_reset_requests(client, db):
    UserFactory(email="someone@example.com")
    for _ in range(5):
        assert client.post("/accounts/password/reset/", {"email": "someone@example.com"}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": "someone@example.com"})
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)


def test_it_refuses_sign_in_after_too_many_failed_attempts(client, db):
    UserFactory(email="someone@example.com")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "someone@example.com", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"login": "someone@example.com", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in page_text(response)


def test_it_saves_the_profile(client_for, db):
    person = UserFactory()
    response = client_for(person).post("/account/profile/", {"display_name": "Jo", "time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.display_name, str(person.time_zone)) == ("Jo", "Asia/Tokyo")


def test_it_refuses_an_unknown_time_zone_on_the_profile(client_for, db):
    person = UserFactory()
    client = client_for(person)
    before = snapshot()
    response = client.post("/account/profile/", {"display_name": "Jo", "time_zone": "Nowhere/Town"})
    assert response.status_code == 200
    assert "Select a valid choice. Nowhere/Town is not one of the available choices." in page_text(response)
    assert snapshot() == before


def test_it_shows_times_in_the_persons_own_zone(client_for, db):
    from trustwork.couples.models import Invitation

    person = UserFactory(time_zone="Asia/Tokyo")
    client = client_for(person)
    client.post("/couple/start/")
    relationship = person.memberships.get().relationship
    client.post(f"/couple/{relationship.code}/invite/", {"email": "p@example.com"})
    invitation = Invitation.objects.get()
    expected = invitation.expires_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert expected.strftime("%H:%M") in page_text(client.get(f"/couple/{relationship.code}/"))


def test_signed_in_pages_are_never_cached(client_for, db):
    response = client_for(UserFactory()).get("/")
    assert "no-store" in response["Cache-Control"]


def test_it_never_stores_a_time_zone_it_does_not_know(db):
    """The reminders and the week once had to fall back to UTC for a zone
    written behind the forms' back; the model field refuses it everywhere."""
    from django.core.exceptions import ValidationError
    from django.db import transaction

    person = UserFactory()
    with pytest.raises(ValidationError), transaction.atomic():
        User.objects.filter(pk=person.pk).update(time_zone="Atlantis/Lost")
    person.refresh_from_db()
    assert str(person.time_zone) == "Europe/London"
