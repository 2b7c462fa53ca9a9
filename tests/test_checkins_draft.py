"""Keeping a half-finished check-in: htmx as the person types, or 'Save for later'."""

from html import unescape

import pytest
from django.urls import reverse

from checkins.models import CheckIn
from tests.checkins_helpers import form_data, submit_for
from tests.helpers import snapshot
from trustwork.rhythm import WEEK

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def url(people):
    return reverse("checkins:draft", args=[people.relationship.code])


def _partial(relationship, **fields):
    data = {"week_start": relationship.rhythm.current_week_start().isoformat(), **fields}
    return data


def test_it_saves_a_partial_draft_and_answers_with_the_status_fragment(people, client_for, url):
    data = _partial(people.relationship, felt_heard="4", went_well_text="So far so", went_well_visibility="private")
    response = client_for(people.partner_a).post(url, data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.strip().startswith('<p id="draft-status"')
    assert "Draft saved at" in body
    checkin = CheckIn.objects.get(author=people.partner_a)
    assert not checkin.is_submitted
    assert checkin.felt_heard == 4
    assert checkin.reflections.get(prompt="went_well").text == "So far so"


def test_it_updates_the_same_draft_as_the_person_keeps_typing(people, client_for, url):
    client = client_for(people.partner_a)
    client.post(url, _partial(people.relationship, went_well_text="So", went_well_visibility="partner"), **HTMX)
    client.post(url, _partial(people.relationship, went_well_text="So far", went_well_visibility="partner"), **HTMX)
    checkin = CheckIn.objects.get(author=people.partner_a)
    assert list(checkin.reflections.filter(prompt="went_well").values_list("text", flat=True)) == ["So far"]


def test_it_keeps_the_valid_answers_and_says_which_need_a_look(people, client_for, url):
    data = _partial(people.relationship, felt_heard="4", trust_partner="99")
    response = client_for(people.partner_a).post(url, data, **HTMX)
    assert "A few answers need a look before you send it." in response.content.decode()
    checkin = CheckIn.objects.get(author=people.partner_a)
    assert (checkin.felt_heard, checkin.trust_partner) == (4, None)


def test_it_saves_for_later_without_javascript(people, client_for, url):
    response = client_for(people.partner_a).post(url, form_data(people.relationship), follow=True)
    assert "Your draft is saved. Come back to it any time this week." in unescape(response.content.decode())
    checkin = CheckIn.objects.get(author=people.partner_a)
    assert not checkin.is_submitted
    assert checkin.csi_total == 11


def test_it_never_changes_a_submitted_checkin(people, client_for, url):
    submit_for(people.partner_a, people.relationship)
    before = snapshot()
    response = client_for(people.partner_a).post(url, _partial(people.relationship, felt_heard="1"), **HTMX)
    assert "already been sent, so this copy wasn't saved" in unescape(response.content.decode())
    assert snapshot() == before


def test_it_does_not_save_a_draft_for_a_week_that_has_ended(people, client_for, url):
    before = snapshot()
    last_week = people.relationship.rhythm.current_week_start() - WEEK
    response = client_for(people.partner_a).post(url, {"week_start": last_week.isoformat(), "felt_heard": "3"}, **HTMX)
    assert response.status_code == 200  # htmx swaps the message in; a 4xx would be dropped
    assert "a week that has now ended" in unescape(response.content.decode())
    assert snapshot() == before


def test_it_asks_for_a_reload_when_the_week_is_missing(people, client_for, url):
    before = snapshot()
    response = client_for(people.partner_a).post(url, {"felt_heard": "3"}, **HTMX)
    assert "Please reload the page; your answers are still on it." in unescape(response.content.decode())
    assert snapshot() == before


def test_it_refuses_a_get(people, client_for, url):
    assert client_for(people.partner_a).get(url).status_code == 405


def test_it_keeps_the_answers_on_screen_when_saving_for_later_in_an_ended_week(people, client_for, url):
    before = snapshot()
    last_week = people.relationship.rhythm.current_week_start() - WEEK
    data = form_data(people.relationship, week_start=last_week.isoformat(), i_need_text="Typed without JS")
    response = client_for(people.partner_a).post(url, data)
    assert response.status_code == 400
    body = unescape(response.content.decode())
    assert "a week that has now ended" in body
    assert "Typed without JS" in body
    assert snapshot() == before


def test_it_shows_what_could_not_be_kept_when_saving_for_later(people, client_for, url):
    data = form_data(people.relationship, felt_heard="12", went_well_text="Kept for later")
    response = client_for(people.partner_a).post(url, data)
    assert response.status_code == 400
    body = unescape(response.content.decode())
    assert "We kept your draft, except the answers marked below." in body
    assert "That answer isn't on this scale." in body
    assert "Kept for later" in body
    checkin = CheckIn.objects.get(author=people.partner_a)
    assert (checkin.felt_heard, checkin.trust_partner) == (None, 6)
