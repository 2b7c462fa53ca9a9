from tests.factories import make_couple
from trustwork.couples.models import Relationship


def test_it_asks_for_confirmation_before_ending(client_for, people):
    response = client_for(people.partner_a).get(f"/couple/{people.relationship.code}/end/")
    assert "End the shared record?" in response.content.decode()
    assert Relationship.objects.get(pk=people.relationship.pk).is_active


def test_it_ends_the_record_and_the_other_partners_access_at_once(client_for, people):
    code = people.relationship.code
    partner_b = client_for(people.partner_b)
    assert partner_b.get(f"/couple/{code}/").status_code == 200

    response = client_for(people.partner_a).post(f"/couple/{code}/end/")

    assert response.status_code == 302
    relationship = Relationship.objects.get(code=code)
    assert relationship.ended_by == people.partner_a
    assert not relationship.memberships.filter(is_active=True).exists()
    assert partner_b.get(f"/couple/{code}/").status_code == 404
    assert "Start your shared record" in partner_b.get("/").content.decode()


def test_it_lets_each_partner_start_again_after_ending(client_for, db):
    relationship = make_couple()
    first, second = (m.user for m in relationship.memberships.all())
    client_for(first).post(f"/couple/{relationship.code}/end/")
    assert client_for(second).post("/couple/start/").status_code == 302
    assert Relationship.objects.for_member(second).count() == 1


def test_it_treats_a_second_end_as_a_harmless_404(client_for, people):
    code = people.relationship.code
    client_for(people.partner_a).post(f"/couple/{code}/end/")
    assert client_for(people.partner_a).post(f"/couple/{code}/end/").status_code == 404


def test_it_answers_404_to_an_outsider_and_ends_nothing(client_for, people):
    response = client_for(people.outsider).post(f"/couple/{people.relationship.code}/end/")
    assert response.status_code == 404
    assert Relationship.objects.get(pk=people.relationship.pk).is_active
