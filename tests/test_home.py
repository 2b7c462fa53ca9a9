from tests.care_helpers import make_therapist
from tests.factories import UserFactory


def test_it_sends_a_therapist_without_a_couple_of_their_own_to_their_dashboard(client_for, db):
    therapist = make_therapist()
    response = client_for(therapist).get("/")
    assert response.status_code == 302
    assert response["Location"] == "/care/"


def test_it_offers_someone_new_to_start_a_shared_record(client_for, db):
    response = client_for(UserFactory()).get("/")
    assert "Start your shared record" in response.content.decode()


def test_it_links_reminder_settings_from_the_account_menu(client_for, db):
    response = client_for(UserFactory()).get("/")
    assert 'href="/reminders/"' in response.content.decode()
