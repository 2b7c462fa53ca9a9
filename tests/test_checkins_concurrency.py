"""Double clicks and two partners at once, on real PostgreSQL row locks."""

import threading
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from checkins.models import CheckIn, Reflection
from tests.checkins_helpers import form_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _post_together(requests):
    """Send every (user, url, data) at the same moment; return the responses."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def send(index, user, url, data):
        client = Client()
        client.force_login(user)
        barrier.wait()
        try:
            responses[index] = client.post(url, data)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return responses


def test_it_turns_a_double_click_into_one_checkin(people):
    url = reverse("checkins:checkin", args=[people.relationship.code])
    data = form_data(people.relationship)
    responses = _post_together([(people.partner_a, url, data)] * 4)
    assert [r.status_code for r in responses] == [302] * 4
    checkin = CheckIn.objects.get(author=people.partner_a)
    assert checkin.is_submitted
    assert Reflection.objects.filter(checkin=checkin).count() == 4


def test_it_takes_both_partners_submitting_in_the_same_second(people, client_for):
    url = reverse("checkins:checkin", args=[people.relationship.code])
    responses = _post_together(
        [
            (people.partner_a, url, form_data(people.relationship, went_well_text="from Alex")),
            (people.partner_b, url, form_data(people.relationship, went_well_text="from Sam")),
        ]
    )
    assert [r.status_code for r in responses] == [302, 302]
    assert CheckIn.objects.submitted().count() == 2
    week = client_for(people.partner_a).get(responses[0]["Location"])
    body = unescape(week.content.decode())
    assert "from Alex" in body and "from Sam" in body


def test_it_keeps_drafts_and_a_submit_racing_each_other_consistent(people):
    submit = reverse("checkins:checkin", args=[people.relationship.code])
    draft = reverse("checkins:draft", args=[people.relationship.code])
    data = form_data(people.relationship)
    responses = _post_together(
        [(people.partner_a, submit, data), *[(people.partner_a, draft, {**data, "csi_happiness": "0"})] * 3]
    )
    assert all(r.status_code == 302 for r in responses)
    checkin = CheckIn.objects.get(author=people.partner_a)
    assert checkin.is_submitted
    assert checkin.csi_happiness == 3  # a draft arriving after the submit changed nothing
