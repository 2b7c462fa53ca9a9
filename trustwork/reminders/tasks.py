"""Thin Celery wrappers: they take ids and call services. The services never
enqueue anything themselves; they return what to send, and these tasks send
it once the service's transaction has committed."""

import random

from celery import shared_task

from trustwork.reminders import services

MAX_SEND_RETRIES = 6


def backoff_seconds(retries: int) -> int:
    """30 s, 60 s, 2 min, ... capped at 10 minutes, with jitter."""
    return min(600, 30 * 2**retries) + random.randint(0, 15)


def enqueue_sends(delivery_ids) -> None:
    for start in range(0, len(delivery_ids), services.SEND_BATCH_SIZE):
        send_reminders.delay_on_commit(delivery_ids[start : start + services.SEND_BATCH_SIZE])


def dispatch(now=None, batch_size=services.DISPATCH_BATCH_SIZE) -> int:
    """Claim what is due chunk by chunk and enqueue each chunk's sends as soon
    as it has committed, so they start on the other worker processes while the
    next chunk is claimed. Returns how many deliveries were written."""
    written = 0
    while True:
        claimed = services.claim_due_reminders(now, batch_size)
        enqueue_sends(claimed.delivery_ids)
        written += len(claimed.delivery_ids)
        if claimed.rows < batch_size:
            return written


@shared_task(name="reminders.dispatch_due_reminders", acks_late=True, ignore_result=True)
def dispatch_due_reminders():
    return dispatch()


@shared_task(name="reminders.requeue_stalled_deliveries", acks_late=True, ignore_result=True)
def requeue_stalled_deliveries():
    stalled = services.stalled_deliveries()
    enqueue_sends(stalled)
    return len(stalled)


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
