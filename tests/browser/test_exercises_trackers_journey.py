"""Alice keeps a commitment tracker and proposes an agreement; Bob accepts it
with a date to look at it again. Keyboard where it matters, axe throughout."""

import datetime

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import UserFactory, make_couple


def test_alice_logs_a_commitment_and_bob_accepts_her_proposal(page, second_page, db):
    alice = UserFactory(email="alice@example.com", display_name="Alice")
    bob = UserFactory(email="bob@example.com", display_name="Bob")
    make_couple(alice, bob)

    sign_in(page, "alice@example.com", "Hello, Alice")
    page.get_by_role("link", name="Commitments", exact=True).first.click()
    page.get_by_role("heading", name="Commitments", level=1).wait_for()
    assert_accessible(page)
    page.get_by_label("A small, concrete commitment").fill("I will text if I am running late")
    page.get_by_role("button", name="Add to my tracker").click()
    page.get_by_text("Your commitment is in your tracker.").wait_for()
    page.get_by_label("Missed").check()
    page.get_by_label("A note (optional)").fill("The train was cancelled and my phone was flat.")
    page.keyboard.press("Enter")  # submits the log form from the keyboard
    page.get_by_text("Logged. Thank you for keeping track honestly.").wait_for()
    assert page.get_by_text("The train was cancelled and my phone was flat.").is_visible()
    assert_accessible(page)

    page.goto("/exercises/")
    page.get_by_role("link", name="Agreements").click()
    page.get_by_role("heading", name="Agreements", level=1).wait_for()
    page.get_by_label("Your proposal").fill("We talk about what happened at the Sunday check-in, not late at night")
    page.get_by_role("button", name="Send my proposal").click()
    page.get_by_text("Your proposal is waiting for your partner's answer.").wait_for()
    assert_accessible(page)

    sign_in(second_page, "bob@example.com", "Hello, Bob")
    second_page.goto("/exercises/")
    second_page.get_by_role("link", name="Agreements").click()
    second_page.get_by_role("link", name="Expectation: We talk about what happened").click()
    second_page.get_by_role("heading", name="The proposal").wait_for()
    assert_accessible(second_page)
    second_page.get_by_label("I agree").check()
    revisit = datetime.date.today() + datetime.timedelta(weeks=4)
    second_page.get_by_label("Look at it again on").fill(revisit.isoformat())
    second_page.get_by_role("button", name="Send my answer").click()
    second_page.get_by_text("Thank you. Your answer is saved.").wait_for()
    second_page.get_by_role("heading", name="What you have agreed").wait_for()
    assert_accessible(second_page)
