"""Therapist pages cost the same number of queries whatever the data size:
the dashboard with 1 and with 30 couples, a couple's page with 1 and with 52
weeks of shared history, and the couple's own care pages."""

import pytest

from tests.care_helpers import answer_both, link, make_therapist
from tests.checkins_helpers import submit_for
from tests.exercises.conftest import _real_content, content  # noqa: F401 (fixtures)
from tests.factories import make_couple
from tests.helpers import count_queries
from trustwork.care.access import log_access
from trustwork.privacy import Visibility
from trustwork.rhythm import WEEK

CARE_REFLECTIONS = [
    ("i_need", "shared with care", Visibility.CARE),
    ("went_well", "for the two of us", Visibility.PARTNER),
    ("to_discuss", "mine alone", Visibility.PRIVATE),
]


def _shared_weeks(relationship, count):
    first, second = relationship.active_members()
    current = relationship.rhythm.current_week_start()
    for index in range(count):
        week_start = current - WEEK * (index + 1)
        for person in (first, second):
            submit_for(person, relationship, week_start, reflections=CARE_REFLECTIONS, csi_happiness=index % 7)


def _session_notes(relationship):
    answer_both(
        relationship,
        "professional-support",
        "before-and-after-a-session",
        "most-important",
        {person: "For our session." for person in relationship.active_members()},
    )


def _linked_couple(therapist, count_weeks=1):
    relationship = make_couple()
    link(relationship, therapist)
    _shared_weeks(relationship, count_weeks)
    _session_notes(relationship)
    return relationship


@pytest.mark.usefixtures("content")
def test_the_dashboard_costs_the_same_with_1_and_with_30_couples(client_for, therapist):
    client = client_for(therapist)
    _linked_couple(therapist)
    one = count_queries(client, "/care/")
    for _ in range(29):
        _linked_couple(therapist, count_weeks=3)
    thirty = count_queries(client, "/care/")
    print(f"queries: therapist dashboard, 1 couple {one}, 30 couples {thirty}")
    assert thirty == one
    assert client.get("/care/").content.decode().count('href="/care/couples/') == 30


@pytest.mark.usefixtures("content")
def test_a_couples_page_costs_the_same_with_1_and_with_52_weeks(client_for, therapist):
    client = client_for(therapist)
    small = _linked_couple(therapist, count_weeks=1)
    large = _linked_couple(therapist, count_weeks=52)
    one = count_queries(client, f"/care/couples/{small.code}/")
    fifty_two = count_queries(client, f"/care/couples/{large.code}/")
    print(f"queries: a couple's page for the therapist, 1 week {one}, 52 weeks {fifty_two}")
    assert fifty_two == one


def test_the_couples_care_pages_cost_the_same_with_more_links_and_log(client_for, people, therapist):
    relationship = people.relationship
    client = client_for(people.partner_a)
    link(relationship, therapist)
    log_access(therapist, relationship, "Couple page", succeeded=True)
    paths = ["/", f"/care/our/{relationship.code}/", f"/care/our/{relationship.code}/log/"]
    small = [count_queries(client, path) for path in paths]
    for index in range(10):
        other = make_therapist()
        link(relationship, other, revoked=index % 2 == 0)
        for _ in range(5):
            log_access(other, relationship, "Couple page", succeeded=index % 3 == 0)
    large = [count_queries(client, path) for path in paths]
    print(f"queries: the couple's home, care and log pages, small {small}, large {large}")
    assert large == small
