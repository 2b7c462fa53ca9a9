from html import unescape

import pytest
from django.urls import reverse

from trustwork.couples.models import Relationship

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(people):
    return reverse("checkins:rhythm", args=[people.relationship.code])


def _rhythm(relationship):
    fresh = Relationship.objects.get(pk=relationship.pk)
    return fresh.checkin_weekday, fresh.checkin_time.strftime("%H:%M"), str(fresh.time_zone)


def test_it_lets_either_partner_change_the_rhythm(people, client_for, url):
    data = {"checkin_weekday": "2", "checkin_time": "20:30", "time_zone": "America/Chicago"}
    response = client_for(people.partner_b).post(url, data, follow=True)
    assert "Your check-in rhythm is saved." in unescape(response.content.decode())
    assert _rhythm(people.relationship) == (2, "20:30", "America/Chicago")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("checkin_weekday", "9", "Select a valid choice."),
        ("checkin_time", "half past seven", "Please give a time such as 19:00."),
        ("time_zone", "Mars/Olympus_Mons", "Select a valid choice."),
    ],
)
def test_it_explains_bad_input_and_changes_nothing(people, client_for, url, field, value, message):
    before = _rhythm(people.relationship)
    data = {"checkin_weekday": "2", "checkin_time": "20:30", "time_zone": "Europe/Paris", field: value}
    response = client_for(people.partner_a).post(url, data)
    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert _rhythm(people.relationship) == before
