"""Reminders for the demo couple (see seed_demo): on, at 09:00 their time,
with quiet hours at night. Idempotent. Their couple's rhythm reached the
reminders when seed_demo made the couple (trustwork.couples)."""

import datetime

from trustwork.reminders import services


def seed(alice, bob, therapist, relationship, stdout):
    for person in (alice, bob):
        preference = services.preference_for(person)
        if preference.quiet_start is None:
            preference.quiet_start, preference.quiet_end = datetime.time(22, 0), datetime.time(7, 0)
            preference.save()
        services.reschedule(person)
    stdout.write("Reminders are on for alice and bob (python manage.py remind_soon alice@example.com to see one).")
