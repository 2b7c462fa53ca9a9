"""The weekly check-in form: showing it, sending it, and every kind of bad input."""

from html import unescape

import pytest
from django.urls import reverse

from checkins.models import CheckIn
from tests.checkins_helpers import form_data, submit_for
from tests.helpers import snapshot
from trustwork.rhythm import WEEK

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(people):
    return reverse("checkins:checkin", args=[people.relationship.code])


def test_it_shows_the_form_with_the_csi4_citation(people, client_for, url):
    response = client_for(people.partner_a).get(url)
    assert response.status_code == 200
    body = unescape(response.content.decode())
    assert "Couples Satisfaction Index (CSI-4), Funk, J. L. and Rogge, R. D. (2007)" in body
    assert "Please indicate the degree of happiness, all things considered, of your relationship." in body
    assert "6 · Perfect" in body
    assert 'name="this_weeks_commitments"' not in body  # the slot is an empty template block


def test_it_offers_every_reflection_with_partner_as_the_default_visibility(people, client_for, url):
    form = client_for(people.partner_a).get(url).context["form"]
    for prompt in ("went_well", "i_need", "to_discuss", "commitments"):
        assert form[f"{prompt}_visibility"].initial == "partner"


def test_it_continues_a_saved_draft(people, client_for, url):
    submit_for(
        people.partner_a,
        people.relationship,
        submitted=False,
        felt_heard=4,
        reflections=[("i_need", "half a thought", "private")],
    )
    response = client_for(people.partner_a).get(url)
    body = unescape(response.content.decode())
    assert "half a thought" in body
    assert response.context["form"]["felt_heard"].value() == 4


def test_it_submits_a_complete_checkin(people, client_for, url):
    response = client_for(people.partner_a).post(url, form_data(people.relationship))
    checkin = CheckIn.objects.get(author=people.partner_a)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "checkins:week", args=[people.relationship.code, checkin.week_start.isoformat()]
    )
    assert checkin.is_submitted
    assert checkin.csi_total == 11
    assert checkin.emotions == ["hope", "sadness"]
    visibilities = dict(checkin.reflections.values_list("prompt", "visibility"))
    assert visibilities == {"went_well": "partner", "i_need": "care", "to_discuss": "private", "commitments": "partner"}


def test_it_sends_a_submitted_checkin_to_its_week_page(people, client_for, url):
    checkin = submit_for(people.partner_a, people.relationship)
    response = client_for(people.partner_a).get(url)
    assert response.status_code == 302
    assert checkin.week_start.isoformat() in response["Location"]


def test_it_defaults_a_missing_visibility_to_partner(people, client_for, url):
    client_for(people.partner_a).post(url, form_data(people.relationship, went_well_visibility=None))
    checkin = CheckIn.objects.get(author=people.partner_a)
    assert checkin.reflections.get(prompt="went_well").visibility == "partner"


BAD_INPUT = [
    ("csi_happiness", "7", "That answer isn't on this scale."),
    ("csi_warm", "6", "That answer isn't on this scale."),
    ("csi_satisfied", "-1", "That answer isn't on this scale."),
    ("trust_partner", "11", "That answer isn't on this scale."),
    ("felt_heard", "0", "That answer isn't on this scale."),
    ("actions_matched_words", "seven", "That answer isn't on this scale."),
    ("csi_rewarding", None, "Please choose an answer here."),
    ("trust_partner", None, "Please choose an answer here."),
    ("emotions", ["hope", "smugness"], "“smugness” isn't one of the feelings on the list."),
    ("went_well_visibility", "everyone", "Please choose who can read this answer"),
    ("i_need_text", "x" * 5001, "Please keep this under 5,000 characters (it has 5001 now)."),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT)
def test_it_explains_bad_input_and_saves_nothing(people, client_for, url, field, value, message):
    before = snapshot()
    data = form_data(people.relationship, **{field: value}, went_well_text="My words, kept safe")
    response = client_for(people.partner_a).post(url, data)
    assert response.status_code == 400
    body = unescape(response.content.decode())
    assert message in body
    assert "Nothing has been sent yet, and everything you wrote is still here." in body
    assert "My words, kept safe" in body
    assert snapshot() == before


def test_it_keeps_a_stale_weeks_answers_and_sends_nothing(people, client_for, url):
    before = snapshot()
    last_week = people.relationship.rhythm.current_week_start() - WEEK
    data = form_data(people.relationship, week_start=last_week.isoformat(), went_well_text="Written last week")
    response = client_for(people.partner_a).post(url, data)
    assert response.status_code == 400
    body = unescape(response.content.decode())
    assert "This page was opened in a week that has now ended, so nothing was sent yet." in body
    assert "Written last week" in body
    assert response.context["form"]["week_start"].value() == people.relationship.rhythm.current_week_start().isoformat()
    assert snapshot() == before


def test_it_treats_a_garbled_week_as_stale(people, client_for, url):
    before = snapshot()
    response = client_for(people.partner_a).post(url, form_data(people.relationship, week_start="not-a-date"))
    assert response.status_code == 400
    assert "a week that has now ended" in unescape(response.content.decode())
    assert snapshot() == before


def test_it_turns_a_second_submit_into_a_harmless_no_op(people, client_for, url):
    client = client_for(people.partner_a)
    client.post(url, form_data(people.relationship))
    before = snapshot()
    response = client.post(
        url, form_data(people.relationship, csi_happiness="0", went_well_text="changed"), follow=True
    )
    assert response.status_code == 200
    assert "You already sent this week's check-in, so nothing changed." in unescape(response.content.decode())
    assert snapshot() == before


def test_it_gives_outsiders_a_404_for_someone_elses_checkin(people, client_for, url):
    before = snapshot()
    response = client_for(people.outsider).post(url, form_data(people.relationship))
    assert response.status_code == 404
    assert snapshot() == before
