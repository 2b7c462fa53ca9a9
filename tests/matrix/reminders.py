"""Routes of reminders: a person's own settings, their secret calendar address,
and the signed unsubscribe link that works without signing in."""

from tests.matrix import Route, everyone, signed_in
from trustwork.reminders import services

ROUTES = {
    # Each person's own settings; nothing in the URL names whose.
    "reminders:settings": Route(signed_in(200)),
    "reminders:calendar_reset": Route(signed_in(405)),
    # The secret address is the key: whoever holds it gets the feed, as calendar apps need.
    "reminders:calendar": Route(everyone(200), kwargs=lambda world: {"token": world.calendar_token}),
    "reminders:unsubscribe": Route(everyone(200), kwargs=lambda world: {"token": world.unsubscribe_token}),
}


def setup_world(world):
    from trustwork.reminders.models import Delivery

    partner_a = world.people.partner_a
    world.calendar_token = services.preference_for(partner_a).calendar_token
    world.unsubscribe_token = services.unsubscribe_token(partner_a)
    # One row for the admin's change pages.
    Delivery.objects.get_or_create(recipient=partner_a, kind="checkin_open", period="2026-07-05")
