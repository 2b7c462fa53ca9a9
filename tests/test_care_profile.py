"""Signing up as a therapist: the professional profile, verified by staff."""

from tests.care_helpers import make_therapist
from tests.factories import UserFactory
from tests.helpers import page_text, snapshot
from trustwork.care.models import TherapistProfile

GOOD = {"name": "Dr Sam Rivera", "practice": "Riverside Couples Practice", "licence_number": "UKCP-1234"}


def test_it_creates_a_therapist_profile(client_for, db):
    person = UserFactory()
    response = client_for(person).post("/care/profile/", GOOD)
    assert response.status_code == 302
    profile = TherapistProfile.objects.get(user=person)
    assert (profile.name, profile.practice, profile.licence_number, profile.verified) == (
        "Dr Sam Rivera",
        "Riverside Couples Practice",
        "UKCP-1234",
        False,
    )


def test_the_licence_number_is_optional(client_for, db):
    person = UserFactory()
    client_for(person).post("/care/profile/", {**GOOD, "licence_number": ""})
    assert TherapistProfile.objects.get(user=person).licence_number == ""


def test_it_keeps_what_was_typed_when_something_is_missing(client_for, db):
    person = UserFactory()
    before = snapshot()
    response = client_for(person).post("/care/profile/", {**GOOD, "practice": ""})
    assert response.status_code == 400
    assert "This field is required." in page_text(response)
    assert "Dr Sam Rivera" in page_text(response)
    assert snapshot() == before


def test_a_partner_in_a_couple_is_asked_to_use_a_separate_account(client_for, people):
    before = snapshot()
    response = client_for(people.partner_a).post("/care/profile/", GOOD)
    assert response.status_code == 400
    assert "please create a separate account" in page_text(response)
    assert snapshot() == before


def test_a_new_licence_number_needs_checking_again(client_for, db):
    therapist = make_therapist(verified=True)
    client_for(therapist).post("/care/profile/", {**GOOD, "licence_number": "NEW-1"})
    assert TherapistProfile.objects.get(user=therapist).verified is False


def test_couples_see_the_verified_badge(client_for, people):
    from tests.care_helpers import link

    therapist = make_therapist(verified=True)
    link(people.relationship, therapist)
    text = page_text(client_for(people.partner_a).get(f"/care/our/{people.relationship.code}/"))
    assert "Verified by trustwork" in text


def test_the_dashboard_sends_someone_without_a_profile_to_set_one_up(client_for, db):
    response = client_for(UserFactory()).get("/care/")
    assert response["Location"] == "/care/profile/"


def test_a_therapist_without_totp_is_sent_to_set_it_up(client_for, people):
    from tests.care_helpers import link

    therapist = make_therapist(totp=False)
    link(people.relationship, therapist)
    for path in ("/care/", f"/care/couples/{people.relationship.code}/"):
        response = client_for(therapist).get(path)
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/totp/activate/"
