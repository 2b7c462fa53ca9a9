"""Alice and Bob work through "Checking the story you tell yourself": each
writes a moment privately, the answers are revealed only once both are in,
and both complete the exercise."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import UserFactory, make_couple

MY_GUESS = (
    "Describe one moment this week when you guessed what your partner was thinking or feeling. "
    "What happened, and what did you guess?"
)
WHAT_WAS_TRUE = "In a few calm sentences, tell your partner what was actually going on for you"
ASK_NEXT_TIME = "Next time you catch yourself guessing"
ALICES_MOMENT = "You were quiet after your call on Tuesday, and I guessed you were hiding something."
BOBS_MOMENT = "You went to bed early on Thursday and I guessed you had given up on us."


def write_my_moment(page, moment):
    page.get_by_role("button", name="I have read this").click()
    page.get_by_role("heading", name="One moment this week").wait_for()
    # After htmx swaps in the next step, focus lands on its heading (moved once
    # the swap has settled, so wait for it rather than read it at once).
    expect(page.locator("#step-title")).to_be_focused()
    page.get_by_label(MY_GUESS).fill(moment)
    page.get_by_role("button", name="Save and continue").click()


def finish(page, what_was_true):
    page.get_by_label(WHAT_WAS_TRUE, exact=False).fill(what_was_true)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("heading", name="Asking instead of guessing").wait_for()
    page.get_by_label(ASK_NEXT_TIME, exact=False).fill("Are you just tired, or is something on your mind?")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Complete this exercise").click()
    page.get_by_text("You have completed “Checking the story you tell yourself”.").wait_for()


def test_alice_and_bob_see_each_others_moment_only_once_both_have_written(page, second_page, db):
    alice = UserFactory(email="alice@example.com", display_name="Alice")
    bob = UserFactory(email="bob@example.com", display_name="Bob")
    make_couple(alice, bob)

    sign_in(page, "alice@example.com", "Hello, Alice")
    page.get_by_role("link", name="All exercises").click()
    page.get_by_role("heading", name="Exercises", level=1).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="1. Open and honest communication").click()
    page.get_by_role("heading", name="Open and honest communication", level=1).wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Checking the story you tell yourself").click()
    page.get_by_role("heading", name="When the mind fills the gaps").wait_for()
    assert_accessible(page)
    exercise_url = page.url
    write_my_moment(page, ALICES_MOMENT)
    page.get_by_text("You have answered this step. It is shown to both of you once Bob has answered too.").wait_for()
    assert_accessible(page)
    # Nothing further opens for Alice until Bob has written his.
    assert page.get_by_role("link", name="What was going on for me").count() == 0

    sign_in(second_page, "bob@example.com", "Hello, Bob")
    second_page.goto(exercise_url)
    assert ALICES_MOMENT not in second_page.content()
    write_my_moment(second_page, BOBS_MOMENT)
    second_page.get_by_role("heading", name="What was going on for me").wait_for()
    second_page.get_by_role("heading", name="What Alice has shared in this exercise").wait_for()
    assert second_page.get_by_text(ALICES_MOMENT).is_visible()
    assert_accessible(second_page)

    page.goto(exercise_url)
    page.get_by_role("heading", name="What was going on for me").wait_for()
    assert page.get_by_text(BOBS_MOMENT).is_visible()
    assert_accessible(page)

    finish(page, "I was worried about work, and I should have said so.")
    assert_accessible(page)
    finish(second_page, "I was exhausted, not giving up. I'd like you to ask me next time.")

    page.goto("/exercises/")
    page.get_by_role("link", name="Your progress").click()
    page.get_by_role("heading", name="Your progress", level=1).wait_for()
    assert page.get_by_text("(completed)").is_visible()
    assert_accessible(page)
