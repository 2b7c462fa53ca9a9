"""The Safety and support page, and the quick exit on every page."""

import pytest
from django.urls import reverse

from tests.helpers import page_text


@pytest.mark.parametrize("role", [None, "partner_a"])
def test_it_gives_plain_advice_to_everyone(people, client_for, role):
    client = client_for(getattr(people, role) if role else None)
    text = page_text(client.get(reverse("safety")))
    for heading in (
        "When working on it together is not advised",
        "How to get help",
        "Using trustwork more safely",
        "What your partner can and cannot see",
        "What a therapist can see",
    ):
        assert heading in text
    assert "coercive control" in text
    assert "call your local emergency number" in text


def test_it_offers_the_private_check_to_a_signed_in_person(people, client_for):
    text = page_text(client_for(people.partner_a).get(reverse("safety")))
    assert reverse("safety:check") in text


def test_it_puts_a_quick_exit_on_pages_for_signed_out_and_signed_in_people(people, client_for, settings):
    settings.QUICK_EXIT_URL = "https://neutral.example/weather"
    for client, url in (
        (client_for(None), reverse("account_login")),
        (client_for(people.partner_a), reverse("home")),
        (client_for(people.partner_a), reverse("safety:check")),
    ):
        text = page_text(client.get(url))
        assert 'href="https://neutral.example/weather" rel="noreferrer" data-quick-exit' in text
        assert "Press Escape three times" in text


def test_it_links_signed_in_devices_from_the_account_menu(people, client_for):
    text = page_text(client_for(people.partner_a).get(reverse("home")))
    menu = text[text.index('class="account-menu"') :]
    assert reverse("usersessions_list") in menu[: menu.index("</details>")]


def test_it_uses_the_same_number_of_queries_whatever_the_person_wrote(people, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.test_safety_check import CALM
    from trustwork.safety.services import take_safety_check

    client = client_for(people.partner_a)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("safety")).status_code == 200
        return len(queries)

    small = count()
    for _ in range(10):
        take_safety_check(people.partner_a, CALM)
    assert count() == small
