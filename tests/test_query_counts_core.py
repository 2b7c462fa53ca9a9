"""Pages of the platform cost the same number of queries whatever the data size."""

from tests.factories import InvitationFactory, UserFactory, make_couple
from tests.helpers import count_queries


def _grow_the_world(size):
    # Other people's couples and invitations must not change what one page costs.
    for _ in range(size):
        make_couple()
        InvitationFactory()


def test_the_dashboard_costs_the_same_with_more_data(client_for, people):
    client = client_for(people.partner_a)
    small = count_queries(client, "/")
    _grow_the_world(20)
    assert count_queries(client, "/") == small


def test_the_shared_record_costs_the_same_with_more_data(client_for, people):
    client = client_for(people.partner_a)
    path = f"/couple/{people.relationship.code}/"
    small = count_queries(client, path)
    _grow_the_world(20)
    assert count_queries(client, path) == small


def test_a_half_made_record_with_its_invitation_costs_the_same(client_for, db):
    person = UserFactory()
    client = client_for(person)
    client.post("/couple/start/")
    relationship = person.memberships.get().relationship
    client.post(f"/couple/{relationship.code}/invite/", {"email": "p@example.com"})
    small = count_queries(client, f"/couple/{relationship.code}/")
    _grow_the_world(20)
    assert count_queries(client, f"/couple/{relationship.code}/") == small
    assert count_queries(client, "/") <= 12
