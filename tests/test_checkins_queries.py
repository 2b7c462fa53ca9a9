"""Every check-in page asks the database the same number of questions with one
week of history as with a year of it (STYLE: no N+1)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from exercises.services import add_commitment, log_commitment
from tests.checkins_helpers import make_history, submit_for
from trustwork.couples.services import bump_version
from trustwork.rhythm import WEEK

pytestmark = pytest.mark.django_db

# Queries per page of this app, the same at 1 and at 52 weeks of history. A
# change here is a change in how a page reads the database: look before
# updating a number. The dashboard's total also holds other apps' cards, so
# only its sameness is asserted there, and this app's card on its own.
# Queries of a page made afresh, and of a page whose parts are kept (the
# dashboard's cards, the history: trustwork/caching.py).
EXPECTED = {"checkin": 6, "week": 5, "history": 5, "history_before": 5}
EXPECTED_KEPT = {"history": 2, "history_before": 2}
PAGES = ["dashboard", "checkin", "week", "history", "history_before"]


def _url(page, relationship):
    last_week = relationship.rhythm.current_week_start() - WEEK
    return {
        "dashboard": reverse("home"),
        "checkin": reverse("checkins:checkin", args=[relationship.code]),
        "week": reverse("checkins:week", args=[relationship.code, last_week.isoformat()]),
        "history": reverse("checkins:history", args=[relationship.code]),
        # An earlier page of the history: empty with one week, full with a year.
        "history_before": reverse("checkins:history_before", args=[relationship.code, last_week.isoformat()]),
    }[page]


def _add_commitments(relationship, people, how_many):
    """Commitments with a log for each day of this week: the check-in form lists them."""
    week_start = relationship.rhythm.current_week_start()
    for number in range(how_many):
        for person in (people.partner_a, people.partner_b):
            commitment = add_commitment(person, relationship, f"Commitment {number} of {person.display_name}")
            for day in range(7):
                log_commitment(person, commitment, week_start + datetime.timedelta(days=day), "kept", "")


def _count(client, url, relationship=None):
    """Queries of the second GET; with `relationship`, of a GET after the
    couple's version moved, so nothing of the couple's is kept."""
    client.get(url)  # warm the session cache and template loaders
    if relationship is not None:
        bump_version(relationship)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_it_asks_as_many_queries_for_a_year_as_for_one_week(people, client_for, page):
    relationship, client = people.relationship, client_for(people.partner_a)
    # This week's draft, so the form page loads a draft with its reflections.
    submit_for(people.partner_a, relationship, submitted=False)
    make_history(relationship, people.partner_a, people.partner_b, 1)
    _add_commitments(relationship, people, 1)
    one_week = _count(client, _url(page, relationship), relationship), _count(client, _url(page, relationship))
    make_history(relationship, people.partner_a, people.partner_b, 51, skip=1)
    _add_commitments(relationship, people, 4)  # five each: the most anyone may keep running
    a_year = _count(client, _url(page, relationship), relationship), _count(client, _url(page, relationship))
    assert one_week == a_year
    if page in EXPECTED:
        assert a_year == (EXPECTED[page], EXPECTED_KEPT.get(page, EXPECTED[page]))


def test_it_reads_the_dashboard_card_in_one_query(people, rf):
    from checkins.dashboard import card
    from trustwork.couples.access import current_relationship

    make_history(people.relationship, people.partner_a, people.partner_b, 52)
    request = rf.get("/")
    request.user = people.partner_a
    relationship = current_relationship(people.partner_a)
    with CaptureQueriesContext(connection) as queries:
        html = card(request, relationship)
    assert len(queries) == 1
    assert 'id="checkin-card-title"' in html
    with CaptureQueriesContext(connection) as queries:
        assert card(request, relationship) == html
    assert len(queries) == 0, "kept under the couple's version and the week"
