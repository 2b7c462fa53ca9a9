import datetime

import pytest

from checkins.reminders import services
from checkins.reminders.models import Kind, ReminderSchedule
from tests.exercises.conftest import _real_content, content  # noqa: F401 (the exercise content fixtures)

UTC = datetime.UTC
# A Saturday noon in London: the couple's Sunday check-in week starts tomorrow.
SATURDAY_NOON = datetime.datetime(2026, 7, 4, 11, 0, tzinfo=UTC)
SUNDAY_WEEK = datetime.date(2026, 7, 5)


@pytest.fixture
def couple(people):
    """Alex and Sam, both in London, checking in on Sundays at 19:00, scheduled from Saturday noon."""
    for person in (people.partner_a, people.partner_b):
        services.reschedule_for_user(person, now=SATURDAY_NOON)
    return people


def schedule_of(user, kind=Kind.CHECKIN_OPEN) -> ReminderSchedule:
    return ReminderSchedule.objects.get(user=user, kind=kind)
