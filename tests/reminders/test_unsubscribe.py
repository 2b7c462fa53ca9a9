"""One-click unsubscribe: a signed link, no sign-in, nothing else changed."""

import datetime

from django.core import signing
from django.urls import reverse
from django.utils.html import escape

from trustwork.reminders import services
from trustwork.reminders.models import Delivery, Kind, ReminderPreference, ReminderSchedule


def url(token):
    return reverse("reminders:unsubscribe", args=[token])


def enabled(user):
    return ReminderPreference.objects.get(user=user).enabled


def test_it_asks_once_then_turns_reminders_off_without_signing_in(people, client):
    token = services.unsubscribe_token(people.partner_a)
    page = client.get(url(token))
    assert page.status_code == 200
    assert "Stop my reminders" in page.content.decode()
    assert enabled(people.partner_a)  # a link scanner opening the page changes nothing

    response = client.post(url(token))
    assert response.status_code == 200
    assert "Reminders are off" in response.content.decode()
    assert not enabled(people.partner_a)
    assert not ReminderSchedule.objects.filter(user=people.partner_a, next_run_at__isnull=False).exists()
    assert enabled(people.partner_b)


def test_it_accepts_the_one_click_post_a_mail_client_sends(people, client):
    response = client.post(
        url(services.unsubscribe_token(people.partner_a)), {"List-Unsubscribe": "One-Click"}, enforce_csrf_checks=True
    )
    assert response.status_code == 200
    assert not enabled(people.partner_a)


def test_it_works_with_csrf_checks_on(people):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        url(services.unsubscribe_token(people.partner_a)),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert not enabled(people.partner_a)


def test_it_cancels_reminders_already_on_their_way(people, client):
    Delivery.objects.create(recipient=people.partner_a, kind=Kind.CHECKIN_OPEN, period=datetime.date(2026, 7, 5))
    client.post(url(services.unsubscribe_token(people.partner_a)))
    assert Delivery.objects.unsent().count() == 0


def test_it_refuses_a_tampered_link_and_changes_nothing(people, client):
    token = services.unsubscribe_token(people.partner_a)
    other = services.unsubscribe_token(people.partner_b)
    tampered = other.split(":")[0] + ":" + token.split(":", 1)[1]
    for method in (client.get, client.post):
        response = method(url(tampered))
        assert response.status_code == 400
        assert escape("This unsubscribe link isn't valid.") in response.content.decode()
    assert enabled(people.partner_a) and enabled(people.partner_b)


def test_it_refuses_a_link_signed_for_something_else(people, client):
    token = signing.dumps(str(people.partner_a.code), salt="trustwork.something-else")
    response = client.post(url(token))
    assert response.status_code == 400
    assert enabled(people.partner_a)


def test_it_refuses_an_expired_link_and_changes_nothing(people, client, monkeypatch):
    token = services.unsubscribe_token(people.partner_a)
    real_time = __import__("time").time
    monkeypatch.setattr("django.core.signing.time.time", lambda: real_time() + 91 * 24 * 3600)
    response = client.post(url(token))
    assert response.status_code == 400
    assert "This unsubscribe link has expired." in response.content.decode()
    assert enabled(people.partner_a)


def test_it_answers_a_link_for_a_deleted_account_plainly(people, client):
    token = services.unsubscribe_token(people.partner_a)
    people.partner_a.delete()
    response = client.post(url(token))
    assert response.status_code == 400
    assert escape("We couldn't find the account this link belongs to.") in response.content.decode()


def test_it_answers_garbage_with_a_message_not_a_500(people, client):
    response = client.get(url("not-a-token"))
    assert response.status_code == 400
    assert escape("This unsubscribe link isn't valid.") in response.content.decode()


def test_it_makes_the_same_number_of_queries_at_two_data_sizes(people, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        token = services.unsubscribe_token(people.partner_a)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(token)).status_code == 200
        return len(queries)

    small = count()
    Delivery.objects.bulk_create(
        Delivery(
            recipient=people.partner_a,
            kind=Kind.CHECKIN_OPEN,
            period=datetime.date(2025, 1, 5) + datetime.timedelta(days=7 * week),
        )
        for week in range(40)
    )
    assert count() == small
    print(f"reminders:unsubscribe: {small} queries at both sizes")
