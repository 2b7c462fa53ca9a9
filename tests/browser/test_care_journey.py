"""Alice invites a therapist, Bob agrees, the therapist signs up, accepts, sets
up two-factor authentication, reviews what they shared with care and writes a
private note. Alice ends the link: the therapist's next page is refused, and
Alice reads who opened their record and when."""

import re
import time
from urllib.parse import urlparse

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_couple_journey import PASSWORD as SIGN_UP_PASSWORD
from tests.browser.test_couple_journey import _link_in_last_mail, sign_up
from tests.checkins_helpers import submit_for
from tests.factories import UserFactory, make_couple
from trustwork.privacy import Visibility
from trustwork.rhythm import WEEK

FOR_THE_THERAPIST = "The evenings are still the hardest part."
FOR_BOB_ONLY = "Thank you for the walk on Sunday."
KEPT_PRIVATE = "I am not sure yet that I can do this."


@pytest.fixture
def third_page(browser, live_server):
    """The therapist, in a browser of their own, held to the same rules as `page`."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems = []
    own_host = urlparse(live_server.url).netloc

    def on_request(request):
        if not request.url.startswith(("data:", "blob:", "about:")) and urlparse(request.url).netloc != own_host:
            problems.append(f"third-party request: {request.url}")

    def on_console(message):
        # The refused page after the revocation is a 404 on purpose.
        if message.type == "error" and "favicon" not in message.text and "404" not in message.text:
            problems.append(f"console error: {message.text}")

    page.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    yield page
    context.close()
    assert not problems, "\n".join(problems)


def _totp_code(secret):
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _shared_history(relationship, alice, bob):
    last_week = relationship.rhythm.current_week_start() - WEEK
    submit_for(
        alice,
        relationship,
        last_week,
        reflections=[
            ("i_need", FOR_THE_THERAPIST, Visibility.CARE),
            ("went_well", FOR_BOB_ONLY, Visibility.PARTNER),
            ("to_discuss", KEPT_PRIVATE, Visibility.PRIVATE),
        ],
    )
    submit_for(bob, relationship, last_week, reflections=[("went_well", "A good week.", Visibility.PARTNER)])


def test_a_therapist_reviews_what_the_couple_shared_until_alice_ends_the_link(page, second_page, third_page):
    alice = UserFactory(email="alice@example.com", display_name="Alice")
    bob = UserFactory(email="bob@example.com", display_name="Bob")
    relationship = make_couple(alice, bob)
    _shared_history(relationship, alice, bob)

    # Alice invites the therapist; inviting is her own consent.
    sign_in(page, "alice@example.com", "Hello, Alice")
    page.get_by_role("link", name="Therapist settings").click()
    page.get_by_role("heading", name="Your therapist", level=1).wait_for()
    assert page.get_by_text("Only what you mark").is_visible()
    assert_accessible(page)
    page.get_by_label("Your therapist's email address").fill("rivera@example.com")
    page.get_by_label("I agree that this therapist may see").check()
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("We sent an invitation to rivera@example.com.").wait_for()
    assert_accessible(page)
    invitation_link = _link_in_last_mail("rivera@example.com")

    # Bob reads what the therapist would see, and agrees.
    bob_page = second_page
    sign_in(bob_page, "bob@example.com", "Hello, Bob")
    bob_page.get_by_role("link", name="Read what rivera@example.com would see").click()
    bob_page.get_by_role("heading", name="Agreeing to a therapist").wait_for()
    assert_accessible(bob_page)
    bob_page.get_by_label("I agree that this therapist may see").check()
    bob_page.get_by_role("button", name="I agree").click()
    bob_page.get_by_text("Thank you. You have agreed.").wait_for()

    # The therapist signs up, sets up a profile and accepts.
    therapist = third_page
    sign_up(therapist, "rivera@example.com", "Sam Rivera")
    therapist.goto(invitation_link)
    therapist.get_by_text("Please set up your therapist profile first.").wait_for()
    assert_accessible(therapist)
    therapist.get_by_role("link", name="Set up your therapist profile").click()
    therapist.get_by_label("Your professional name").fill("Dr Sam Rivera")
    therapist.get_by_label("Your practice").fill("Riverside Couples Practice")
    assert_accessible(therapist)
    therapist.get_by_role("button", name="Save profile").click()
    therapist.get_by_role("heading", name="Alice invited you as their therapist").wait_for()
    therapist.get_by_role("button", name="Accept the invitation").click()

    # No couple before two-factor authentication: set it up with a code
    # (after the password again, unless they signed in a moment ago).
    therapist.wait_for_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    if "/reauthenticate/" in therapist.url:
        therapist.get_by_label("Password").fill(SIGN_UP_PASSWORD)
        therapist.get_by_role("button", name="Confirm").click()
    therapist.get_by_role("heading", name="Activate Authenticator App").wait_for()
    secret = therapist.get_by_label("Authenticator secret").input_value()
    therapist.get_by_label("Authenticator code").fill(_totp_code(secret))
    therapist.get_by_role("button", name="Activate").click()
    therapist.wait_for_url("**/recovery-codes/")

    # The review: the care answer, never the partner or private ones.
    therapist.goto("/care/")
    therapist.get_by_role("heading", name="Your couples").wait_for()
    assert_accessible(therapist)
    therapist.get_by_role("link", name="Alice and Bob").click()
    therapist.get_by_role("heading", name="Alice and Bob", level=1).wait_for()
    assert therapist.get_by_text(FOR_THE_THERAPIST).is_visible()
    content = therapist.content()
    assert FOR_BOB_ONLY not in content and KEPT_PRIVATE not in content
    assert_accessible(therapist)
    therapist.get_by_label("A private note").fill("Ask about the evenings.")
    therapist.get_by_role("button", name="Save note").click()
    therapist.get_by_text("Your note is saved. Only you can read it.").wait_for()
    assert therapist.get_by_text("Ask about the evenings.").is_visible()
    assert_accessible(therapist)

    # Alice ends the link; the therapist's next page load is refused.
    page.goto(f"/care/our/{relationship.code}/")
    page.get_by_role("link", name="End this link…").click()
    page.get_by_role("heading", name="End the link with Dr Sam Rivera").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="End the link").click()
    page.get_by_text("The link has ended.").wait_for()
    response = therapist.reload()
    assert response.status == 404
    assert FOR_THE_THERAPIST not in therapist.content()

    # Alice reads who opened their record, and when.
    page.get_by_role("link", name="Who opened your record, and when").click()
    page.get_by_role("heading", name="Who opened your record").wait_for()
    log = page.get_by_role("table")
    assert log.get_by_role("row").filter(has_text="Refused").count() == 1
    assert log.get_by_role("row").filter(has_text="Opened").count() >= 3
    assert "Dr Sam Rivera" in log.inner_text()
    assert "Ask about the evenings." not in page.content()
    assert_accessible(page)
