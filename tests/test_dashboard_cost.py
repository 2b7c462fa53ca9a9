"""What the dashboard reads, found by the benchmark (docs/performance.md)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import UserFactory


def _tables_read(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    assert response.status_code == 200
    return " ".join(query["sql"] for query in context.captured_queries)


def test_it_reads_no_invitation_once_both_partners_are_there(client_for, people):
    assert "couples_invitation" not in _tables_read(client_for(people.partner_a), "/")


def test_it_still_shows_the_invitation_to_someone_waiting_for_their_partner(client_for, db):
    person = UserFactory()
    client = client_for(person)
    client.post("/couple/start/")
    relationship = person.memberships.get().relationship
    client.post(f"/couple/{relationship.code}/invite/", {"email": "partner@example.com"})
    response = client.get("/")
    assert "We sent an invitation to <strong>partner@example.com</strong>" in response.content.decode()
