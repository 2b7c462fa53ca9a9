"""The private safety check: five questions for one person alone (DESIGN section 6)."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import page_text, snapshot
from trustwork.safety.models import Outcome, SafetyCheck
from trustwork.safety.services import take_safety_check

CALM = {
    "afraid": "no",
    "hurt_or_threatened": "no",
    "controlled": "no",
    "free_to_disagree": "yes",
    "safe_if_seen": "yes",
}


def _take(person, **changes):
    return take_safety_check(person, CALM | changes)


def test_it_records_a_check_and_shows_its_advice(people, client_for):
    client = client_for(people.partner_a)
    response = client.post(reverse("safety:check"), CALM | {"afraid": "yes"})
    check = SafetyCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:result", args=[check.code])
    assert check.person == people.partner_a
    assert check.outcome == Outcome.SUPPORT_FIRST
    text = page_text(client.get(response["Location"]))
    assert "Please talk to a support service before going further here" in text
    assert "Only you can see this page." in text


@pytest.mark.parametrize(
    ("changes", "outcome"),
    [
        ({}, Outcome.NOTHING_FLAGGED),
        ({"safe_if_seen": "not_sure"}, Outcome.CHECK_IN_WITH_SOMEONE),
        ({"controlled": "yes"}, Outcome.SUPPORT_FIRST),
        ({"free_to_disagree": "no"}, Outcome.SUPPORT_FIRST),
        ({"hurt_or_threatened": "yes", "afraid": "not_sure"}, Outcome.SUPPORT_FIRST),
    ],
)
def test_it_picks_the_advice_from_the_answers(people, changes, outcome):
    assert _take(people.partner_a, **changes).outcome == outcome


def test_it_keeps_the_answers_and_changes_nothing_when_one_is_missing(people, client_for):
    before = snapshot()
    incomplete = {key: value for key, value in CALM.items() if key != "controlled"} | {"afraid": "yes"}
    response = client_for(people.partner_a).post(reverse("safety:check"), incomplete)
    assert response.status_code == 200
    text = page_text(response)
    assert "Please choose an answer to this question" in text
    assert 'value="yes" required id="id_afraid_0" checked' in text or 'id="id_afraid_0" checked' in text
    assert snapshot() == before


def test_it_refuses_an_answer_that_is_not_offered(people, client_for):
    before = snapshot()
    response = client_for(people.partner_a).post(reverse("safety:check"), CALM | {"afraid": "maybe"})
    assert response.status_code == 200
    assert "Select a valid choice." in page_text(response)
    assert snapshot() == before


@pytest.mark.parametrize("role", ["partner_b", "outsider", "staff"])
def test_it_hides_a_check_from_everyone_but_its_author(people, client_for, role):
    check = _take(people.partner_a, afraid="yes")
    client = client_for(getattr(people, role))
    assert client.get(reverse("safety:result", args=[check.code])).status_code == 404
    assert client.post(reverse("safety:delete", args=[check.code])).status_code == 404
    assert SafetyCheck.objects.filter(pk=check.pk).exists()


def test_it_never_lists_the_partners_checks(people, client_for):
    _take(people.partner_a, afraid="yes")
    text = page_text(client_for(people.partner_b).get(reverse("safety:check")))
    assert "Your earlier checks" not in text


def test_it_says_nothing_to_the_partner_on_their_home_page(people, client_for):
    check = _take(people.partner_a, afraid="yes")
    text = page_text(client_for(people.partner_b).get(reverse("home")))
    assert str(check.code) not in text
    assert "safety check" not in text.lower()


def test_it_sends_no_email(people, client_for):
    client_for(people.partner_a).post(reverse("safety:check"), CALM | {"afraid": "yes"})
    assert SafetyCheck.objects.count() == 1
    assert mail.outbox == []


def test_it_lets_the_author_delete_a_check(people, client_for):
    check = _take(people.partner_a)
    response = client_for(people.partner_a).post(reverse("safety:delete", args=[check.code]))
    assert response.status_code == 302
    assert not SafetyCheck.objects.exists()


def test_it_keeps_the_check_out_of_the_admin():
    from django.contrib import admin

    assert SafetyCheck not in admin.site._registry


def test_it_keeps_answers_out_of_the_string_form(people):
    check = _take(people.partner_a, afraid="yes")
    assert "yes" not in str(check).lower()


@pytest.mark.parametrize("url_name", ["safety:check", "safety:result"])
def test_it_uses_the_same_number_of_queries_with_more_checks(people, client_for, url_name):
    person = UserFactory()
    client = client_for(person)

    def count(extra_checks):
        for _ in range(extra_checks):
            _take(person)
        newest = SafetyCheck.objects.visible_to(person).first()
        url = reverse(url_name, args=[newest.code]) if url_name == "safety:result" else reverse(url_name)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(1) == count(20)
