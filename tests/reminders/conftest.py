import datetime

import pytest

from tests.exercises.conftest import _real_content, content  # noqa: F401 (the exercise content fixtures)
from trustwork.reminders import services, tasks
from trustwork.reminders.models import Kind, ReminderSchedule

UTC = datetime.UTC
# A Saturday noon in London: the couple's Sunday check-in week starts tomorrow.
SATURDAY_NOON = datetime.datetime(2026, 7, 4, 11, 0, tzinfo=UTC)
SUNDAY_WEEK = datetime.date(2026, 7, 5)
SUNDAY_9_LONDON = datetime.datetime(2026, 7, 5, 8, 0, tzinfo=UTC)


@pytest.fixture
def couple(people):
    """Alex and Sam, both in London, checking in on Sundays at 19:00, scheduled from Saturday noon."""
    for person in (people.partner_a, people.partner_b):
        services.reschedule(person, now=SATURDAY_NOON)
    return people


def schedule_of(user, kind=Kind.CHECKIN_OPEN) -> ReminderSchedule:
    return ReminderSchedule.objects.get(user=user, kind=kind)


def dispatch(now, batch_size=services.DISPATCH_BATCH_SIZE) -> int:
    """What beat's task does at `now`: claim what is due, enqueue the sends."""
    return tasks.dispatch(now=now, batch_size=batch_size)


def in_progress(*people, now=SATURDAY_NOON):
    """As the exercises app says when each of them has started an exercise."""
    for person in people:
        services.set_exercise_in_progress(person, True, now=now)
