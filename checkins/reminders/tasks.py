"""Thin Celery wrappers: they take ids and call services."""

import random

from celery import shared_task

from checkins.reminders import services

MAX_SEND_RETRIES = 6


def backoff_seconds(retries: int) -> int:
    """30 s, 60 s, 2 min, ... capped at 10 minutes, with jitter."""
    return min(600, 30 * 2**retries) + random.randint(0, 15)


@shared_task(name="reminders.dispatch_due_reminders", acks_late=True, ignore_result=True)
def dispatch_due_reminders():
    return services.dispatch_due_reminders()


@shared_task(name="reminders.requeue_stalled_deliveries", acks_late=True, ignore_result=True)
def requeue_stalled_deliveries():
    return services.requeue_stalled_deliveries()


@shared_task(
    bind=True,
    name="reminders.send_reminders",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_SEND_RETRIES,
    ignore_result=True,
)
def send_reminders(self, delivery_ids: list[int]):
    failed = services.send_deliveries(delivery_ids)
    if not failed:
        return
    give_up = self.request.retries >= self.max_retries
    services.note_failed_attempts(failed, give_up=give_up)
    if not give_up:
        # Only the ones that did not go; the rest are marked sent already.
        raise self.retry(args=[failed], countdown=backoff_seconds(self.request.retries))
