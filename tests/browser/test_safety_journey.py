"""The quick exit, and a private safety check taken alone, in a real Chromium."""

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD, UserFactory, make_couple


@pytest.fixture
def neutral_site(settings, live_server):
    # A page on our own test server stands in for the neutral site, so the
    # test makes no request to another host.
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return "/healthz"


def test_it_leaves_at_once_on_three_escapes_and_back_does_not_return(page, neutral_site, transactional_db):
    page.goto("/")
    page.get_by_role("link", name="Safety and support", exact=True).click()
    page.get_by_role("heading", name="Safety and support").wait_for()
    assert_accessible(page)
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url(f"**{neutral_site}")
    page.go_back()
    page.wait_for_load_state()
    assert page.url.endswith("/"), f"Back went to {page.url}"
    assert "/safety/" not in page.url


def test_two_escapes_do_nothing(page, neutral_site, transactional_db):
    page.goto("/safety/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url.endswith("/safety/")


def test_a_private_check_is_taken_alone_and_the_quick_exit_button_leaves_it(
    page, second_page, neutral_site, transactional_db
):
    alex, sam = UserFactory(display_name="Alex"), UserFactory(display_name="Sam")
    make_couple(alex, sam)
    sign_in(page, alex.email, f"Hello, {alex.display_name}")
    page.goto("/safety/")
    page.get_by_role("link", name="Take the private check").click()
    page.get_by_role("heading", name="A private check on how safe you feel").wait_for()
    assert_accessible(page)

    page.get_by_role("button", name="See what might help").click()
    page.get_by_text("Some questions have no answer yet.").wait_for()
    assert_accessible(page)
    for question, answer in (
        ("Are you ever afraid of your partner", "Yes"),
        ("Has your partner hurt you", "No"),
        ("Does your partner check your phone", "No"),
        ("Can you disagree with your partner", "I'm not sure"),
        ("Would you feel safe if your partner read", "No"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
    page.get_by_role("button", name="See what might help").click()
    page.get_by_role("heading", name="Please talk to a support service before going further here").wait_for()
    assert_accessible(page)
    result_url = page.url

    sign_in(second_page, sam.email, f"Hello, {sam.display_name}")
    response = second_page.goto(result_url)
    assert response.status == 404
    second_page.get_by_role("heading", name="We couldn't find that page").wait_for()
    assert "support service" not in second_page.content()

    # Come back to the advice later from the home page, then leave in a hurry.
    page.goto("/")
    page.goto(result_url)
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(f"**{neutral_site}")
    page.go_back()
    page.get_by_role("heading", name="Hello, Alex").wait_for()
    assert page.url != result_url


def test_a_person_reads_their_data_and_deletes_their_account(page, transactional_db):
    alex, sam = UserFactory(display_name="Alex"), UserFactory(display_name="Sam")
    make_couple(alex, sam)
    sign_in(page, alex.email, f"Hello, {alex.display_name}")
    page.get_by_text("Account", exact=True).click()
    page.get_by_role("link", name="Where you're signed in").wait_for()
    page.get_by_role("link", name="Download or delete your data").click()
    page.get_by_role("heading", name="Your data", exact=True).wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Open a page to read or print").click()
    page.get_by_role("heading", name="Your data from trustwork").wait_for()
    assert_accessible(page)
    assert page.get_by_text(alex.email).first.is_visible()

    page.goto("/account/delete/")
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account and everything I wrote").click()
    page.get_by_text("That password isn't right.").wait_for()
    assert_accessible(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account and everything I wrote").click()
    page.get_by_text("Your account and everything you wrote are deleted.").wait_for()
    assert_accessible(page)
