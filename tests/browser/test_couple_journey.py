"""Two people sign up, verify their email, and link their accounts."""

import re

from django.core import mail

from tests.browser.conftest import assert_accessible

PASSWORD = "slow-and-steady-2026"


def _link_in_last_mail(to):
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return re.search(r"https?://\S+", message.body).group(0)


def sign_up(page, email, name):
    page.goto("/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Your time zone").select_option("Europe/Dublin")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_role("heading", name="Verify Your Email Address").wait_for()
    assert_accessible(page)
    link = _link_in_last_mail(email)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm").click()


def test_it_links_two_partners_from_sign_up_to_shared_record(page, second_page, live_server):
    sign_up(page, "alice@example.com", "Alice")
    page.get_by_role("heading", name="Hello, Alice").wait_for()
    assert_accessible(page)

    page.get_by_role("button", name="Start our shared record").click()
    page.get_by_role("heading", name="Your shared record").wait_for()
    assert_accessible(page)
    page.get_by_label("Your partner's email address").fill("bob@example.com")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("We sent an invitation to bob@example.com.").wait_for()
    invitation_link = _link_in_last_mail("bob@example.com")

    bob = second_page
    bob.goto(invitation_link)
    bob.get_by_role("heading", name="Alice invited you to trustwork").wait_for()
    assert_accessible(bob)
    sign_up(bob, "bob@example.com", "Bob")
    bob.goto(invitation_link)
    bob.get_by_role("button", name="Accept and join").click()
    bob.get_by_text("You have joined your shared record.").wait_for()
    assert_accessible(bob)
    assert bob.get_by_text("Alice", exact=True).is_visible()
    assert bob.get_by_text("Bob (you)").is_visible()

    page.goto("/")
    page.get_by_text("You and Bob share a record.").wait_for()
    assert_accessible(page)
