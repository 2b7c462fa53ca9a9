"""Alex sets reminders with the keyboard, sees a clear message on a bad time,
and finds the calendar address and a way to replace it; then, signed out,
stops reminders from the link in an email."""

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import UserFactory, make_couple
from trustwork.reminders import services
from trustwork.reminders.models import ReminderPreference


def test_it_sets_reminders_and_stops_them_from_an_email_link(page, context, db):
    alex = UserFactory(email="alex@example.com", display_name="Alex", time_zone="Europe/London")
    make_couple(alex, UserFactory(display_name="Sam"))

    sign_in(page, "alex@example.com")
    page.goto("/reminders/")
    page.get_by_role("heading", name="Reminders", level=1).wait_for()
    assert_accessible(page)

    # A time that does not exist: a clear message in the card, nothing saved.
    page.get_by_label("Time of day").fill("07:45")
    page.get_by_label("Quiet hours start").fill("22:00")
    page.get_by_role("button", name="Save reminder settings").click()
    page.get_by_text("Give both a start and an end for quiet hours, or leave both empty.").wait_for()
    assert ReminderPreference.objects.get(user=alex).remind_at.hour == 9
    assert_accessible(page)

    # Fixed and saved with the keyboard alone; htmx swaps the card in place.
    page.get_by_label("Quiet hours end").fill("07:00")
    page.get_by_label("An hour before our check-in time").check()
    page.get_by_role("button", name="Save reminder settings").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Your reminder settings are saved.").wait_for()
    preference = ReminderPreference.objects.get(user=alex)
    assert (preference.timing, preference.remind_at.strftime("%H:%M")) == ("hour_before", "07:45")
    assert page.locator(".reminders-upcoming li").filter(has_text="Check-in reminder").first.is_visible()
    assert_accessible(page)

    old_address = page.get_by_label("Your private calendar address").input_value()
    page.get_by_role("button", name="Make a new calendar address").click()
    page.get_by_text("Your calendar address is new.").wait_for()
    assert page.get_by_label("Your private calendar address").input_value() != old_address

    # On a phone the page still fits.
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Signed out, from the link in an email.
    context.clear_cookies()
    page.goto("/reminders/unsubscribe/" + services.unsubscribe_token(alex) + "/")
    page.get_by_role("heading", name="Stop reminder emails?").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Stop my reminders").click()
    page.get_by_role("heading", name="Reminders are off").wait_for()
    assert not ReminderPreference.objects.get(user=alex).enabled
