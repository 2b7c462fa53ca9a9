from tests.factories import UserFactory, make_couple
from tests.helpers import snapshot
from trustwork.couples.models import Membership, Relationship


def test_it_starts_a_record_with_the_person_as_first_partner(client_for, db):
    person = UserFactory(time_zone="America/Chicago")
    response = client_for(person).post("/couple/start/")
    relationship = Relationship.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/couple/{relationship.code}/"
    assert str(relationship.time_zone) == "America/Chicago"
    assert list(relationship.memberships.values_list("user", flat=True)) == [person.pk]


def test_it_sends_someone_who_already_has_a_record_to_it(client_for, db):
    relationship = make_couple()
    person = relationship.memberships.first().user
    before = snapshot()
    response = client_for(person).post("/couple/start/")
    assert response["Location"] == f"/couple/{relationship.code}/"
    assert snapshot() == before


def test_it_keeps_one_record_when_two_tabs_start_at_once(client_for, db):
    person = UserFactory()
    client = client_for(person)
    client.post("/couple/start/")
    client.post("/couple/start/")
    assert Membership.objects.filter(user=person, is_active=True).count() == 1


def test_it_refuses_a_post_without_csrf_token_with_a_clear_page(db):
    from django.test import Client

    person = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    before = snapshot()
    response = client.post("/couple/start/")
    assert response.status_code == 403
    assert "Nothing was changed" in response.content.decode()
    assert snapshot() == before
