"""Alice and Bob each check in for the week; each sees the other's shared
answers only once both are in, and never the other's private one."""

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import UserFactory, make_couple


def answer_the_scales(page, happiness, trust):
    page.get_by_role("group", name="Please indicate the degree of happiness").get_by_label(happiness).check()
    page.get_by_role("group", name="I have a warm and comfortable").get_by_label("3 · Mostly true").check()
    page.get_by_role("group", name="How rewarding is your").get_by_label("3 · Mostly").check()
    page.get_by_role("group", name="In general, how satisfied").get_by_label("2 · Somewhat").check()
    for question in ("I trust my partner", "I felt heard", "Their actions matched their words"):
        page.get_by_role("group", name=question).get_by_label(trust, exact=True).check()


def reflection(page, prompt):
    return page.locator(".reflection").filter(has=page.get_by_label(prompt, exact=True))


def test_it_reveals_each_partners_shared_answers_once_both_are_in(page, second_page, db):
    alice = UserFactory(email="alice@example.com", display_name="Alice")
    bob = UserFactory(email="bob@example.com", display_name="Bob")
    make_couple(alice, bob)

    sign_in(page, "alice@example.com", "This week's check-in")
    assert_accessible(page)
    page.get_by_role("link", name="Start your check-in").click()
    page.get_by_role("heading", name="This week's check-in", level=1).wait_for()
    assert page.get_by_text("Funk, J. L. and Rogge, R. D. (2007)").is_visible()
    assert_accessible(page)

    # A draft is kept as she types: it survives a reload.
    page.get_by_label("What went well this week").fill("We cooked together on Tuesday.")
    page.get_by_text("Draft saved at").wait_for()
    page.reload()
    assert page.get_by_label("What went well this week").input_value() == "We cooked together on Tuesday."

    answer_the_scales(page, "3 · Happy", "6")
    page.get_by_label("Hope").check()
    page.get_by_role("button", name="Send my check-in").click()
    page.get_by_text("Your check-in for this week is in.").wait_for()
    assert page.get_by_text("Waiting for Bob.").is_visible()
    assert_accessible(page)

    sign_in(second_page, "bob@example.com", "This week's check-in")
    second_page.get_by_role("link", name="Start your check-in").click()
    answer_the_scales(second_page, "4 · Very happy", "8")
    second_page.get_by_label("Guilt").check()
    second_page.get_by_label("What I need").fill("Patience while I learn to explain myself.")
    talk = reflection(second_page, "What I'd like us to talk about")
    talk.get_by_label("What I'd like us to talk about").fill("Something I am not ready to share.")
    talk.get_by_label("Only me").check()
    second_page.get_by_role("button", name="Send my check-in").click()
    second_page.get_by_text("Your check-in for this week is in.").wait_for()
    assert second_page.get_by_text("We cooked together on Tuesday.").is_visible()

    page.reload()
    page.get_by_text("Patience while I learn to explain myself.").wait_for()
    assert page.get_by_text("Something I am not ready to share.").count() == 0
    assert page.get_by_text("Waiting for Bob.").count() == 0
    assert_accessible(page)

    page.goto("/")
    page.get_by_text("You're both in.").wait_for()
    page.get_by_role("link", name="Past weeks and trends").click()
    page.get_by_role("heading", name="Past weeks and trends").wait_for()
    charts = page.locator("svg.chart-svg")
    assert charts.count() == 2
    assert charts.first.locator("circle").count() == 2  # one point for each partner
    assert page.get_by_role("table").is_visible()
    assert_accessible(page)


def test_it_pages_through_a_long_history_by_keyboard(page, db):
    from tests.checkins_helpers import make_history
    from trustwork.rhythm import WEEK

    alice = UserFactory(email="alice@example.com", display_name="Alice")
    bob = UserFactory(email="bob@example.com", display_name="Bob")
    relationship = make_couple(alice, bob)
    make_history(relationship, alice, bob, 20)
    sign_in(page, "alice@example.com", "This week's check-in")
    page.get_by_role("link", name="Past weeks and trends").click()
    page.get_by_role("heading", name="Past weeks and trends").wait_for()
    assert page.locator(".timeline-week").count() == 12
    assert page.get_by_role("table").locator("tbody tr").count() == 12

    earlier = page.get_by_role("navigation", name="More weeks").get_by_role("link", name="Earlier weeks")
    earlier.focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Later weeks").wait_for()
    oldest = relationship.rhythm.current_week_start() - WEEK * 20
    assert page.locator(".timeline-week").count() == 9
    assert page.locator(".timeline-week").last.get_by_role("link").inner_text() == (
        f"Week of {oldest.day} {oldest:%B %Y}"
    )
    assert page.get_by_role("link", name="Earlier weeks").count() == 0
    assert_accessible(page)
