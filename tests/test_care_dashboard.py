"""The therapist dashboard keeps each couple's row in the cache under a key of
the couple's version (trustwork/caching.py): whatever the couple does next
shows on the very next request, and nothing the access rules refuse ever
shows from the cache."""

import pytest

from checkins import services as checkin_services
from tests.care_helpers import answer_both, link, make_therapist
from tests.checkins_helpers import GOOD_ANSWERS, submit_for
from tests.exercises.conftest import _real_content, content  # noqa: F401 (fixtures)
from tests.helpers import page_text
from trustwork.privacy import Visibility


def _dashboard(client):
    response = client.get("/care/")
    assert response.status_code == 200
    return page_text(response)


def _submit(person, relationship, reflections, **answers):
    """A check-in of this week, written through the service as the form does."""
    checkin_services.submit_checkin(
        relationship,
        person,
        relationship.rhythm.current_week_start(),
        {**GOOD_ANSWERS, **answers, "emotions": ["hope"], "reflections": reflections},
    )


def test_a_check_in_shared_with_care_shows_on_the_next_request(client_for, people, therapist, care_link):
    client = client_for(therapist)
    assert "none yet" in _dashboard(client)
    for person in (people.partner_a, people.partner_b):
        _submit(person, people.relationship, {"i_need": ("Time to talk", Visibility.CARE)}, csi_happiness=1)
    text = _dashboard(client)
    assert "none yet" not in text
    assert "latest CSI-4 total is 9, under 13.5" in text


def _rows(text):
    return text[text.index("<tbody>") : text.index("</tbody>")]


def test_a_check_in_not_shared_with_care_changes_nothing(client_for, people, therapist, care_link):
    client = client_for(therapist)
    before = _rows(_dashboard(client))
    for person in (people.partner_a, people.partner_b):
        _submit(person, people.relationship, {"i_need": ("For us two", Visibility.PARTNER)}, csi_happiness=1)
    assert _rows(_dashboard(client)) == before


SESSION_NOTES = ("professional-support", "before-and-after-a-session", "most-important")  # a step marked for care


@pytest.mark.usefixtures("content")
def test_it_moves_the_bar_with_an_answer_shared_with_care(client_for, people, therapist, care_link):
    client = client_for(therapist)
    both = {people.partner_a: "written", people.partner_b: "written"}
    answer_both(people.relationship, "open-communication", "speaker-and-listener", "what-helped", both)
    assert 'value="0"' in _dashboard(client), "answers the partners shared with each other alone count nothing here"
    answer_both(people.relationship, *SESSION_NOTES, both)
    assert 'value="0"' not in _dashboard(client)


def test_a_new_name_shows_on_the_next_request(client_for, people, therapist, care_link):
    client = client_for(therapist)
    assert "Alex and Sam" in _dashboard(client)
    client_for(people.partner_a).post("/account/profile/", {"display_name": "Alexis", "time_zone": "Europe/London"})
    assert "Alexis and Sam" in _dashboard(client)


def test_a_revoked_couple_is_gone_on_the_next_request(client_for, people, therapist, care_link):
    client = client_for(therapist)
    submit_for(people.partner_a, people.relationship, reflections=[("i_need", "Shared", Visibility.CARE)])
    submit_for(people.partner_b, people.relationship, reflections=[("i_need", "Shared", Visibility.CARE)])
    assert "Alex and Sam" in _dashboard(client)
    client_for(people.partner_a).post(f"/care/links/{care_link.code}/revoke/")
    text = _dashboard(client)
    assert "Alex and Sam" not in text
    assert "No couple is linked to you yet." in text


def test_a_second_therapist_gets_a_row_of_their_own(client_for, people, therapist, care_link):
    _dashboard(client_for(therapist))
    other = make_therapist(display_name="Okafor")
    other_link = link(people.relationship, other)
    assert "Alex and Sam" in _dashboard(client_for(other))
    client_for(people.partner_b).post(f"/care/links/{other_link.code}/revoke/")
    assert "Alex and Sam" not in _dashboard(client_for(other))
    assert "Alex and Sam" in _dashboard(client_for(therapist))


def test_it_makes_a_row_again_when_the_version_moves(client_for, people, therapist, care_link):
    from tests.helpers import count_queries
    from trustwork.couples.services import bump_version

    client = client_for(therapist)
    count_queries(client, "/care/")
    _submit(people.partner_a, people.relationship, {}, csi_happiness=0, csi_warm=0)
    # The check-in bumped the couple's version: the next dashboard makes the row again.
    assert "Alex's latest CSI-4" not in _dashboard(client)  # Sam has not checked in: nothing shared yet
    _submit(people.partner_b, people.relationship, {"went_well": ("x", Visibility.CARE)})
    assert "Alex and Sam" in _dashboard(client)
    before = _rows(_dashboard(client))
    bump_version(people.relationship)
    assert _rows(_dashboard(client)) == before  # made again, from the same data


def test_it_counts_the_accepted_invitations_still_waiting_for_a_partner(client_for, people, therapist):
    client = client_for(therapist)
    waiting = link(people.relationship, therapist, consenting=[people.partner_a])
    text = _dashboard(client)
    assert "1 invitation you accepted is waiting for both partners to agree." in text
    assert "Alex and Sam" not in text
    client_for(people.partner_b).post(f"/care/links/{waiting.code}/consent/", {"agree": "on"})
    text = _dashboard(client)
    assert "waiting for both partners" not in text
    assert "Alex and Sam" in text


@pytest.mark.usefixtures("content")
def test_new_exercise_content_counts_on_the_next_request(client_for, people, therapist, care_link):
    from exercises.models import ContentRevision, Step

    client = client_for(therapist)
    both = {people.partner_a: "written", people.partner_b: "written"}
    answer_both(people.relationship, *SESSION_NOTES, both)
    assert 'value="0"' not in _dashboard(client)
    # Every answered step turns private: none of them counts in the bars any
    # more. Content changes only through the loader, which renews its revision.
    for step in Step.objects.filter(responses__relationship=people.relationship).distinct():
        step.visibility = Visibility.PRIVATE
        step.save()
    ContentRevision.bump()
    assert 'value="0"' in _dashboard(client)


@pytest.mark.usefixtures("content")
def test_making_the_rows_costs_the_same_for_1_and_for_30_couples(client_for, therapist):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_couple
    from trustwork.couples.services import bump_version

    client = client_for(therapist)

    def made_afresh():
        bump_version(*couples)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/care/").status_code == 200
        return len(queries)

    couples = [make_couple()]
    link(couples[0], therapist)
    client.get("/care/")  # the session and the content outline, as in a running process
    one = made_afresh()
    for _ in range(29):
        couples.append(make_couple())
        link(couples[-1], therapist)
    assert made_afresh() == one <= 12
