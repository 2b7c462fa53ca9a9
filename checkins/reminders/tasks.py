"""Thin Celery wrappers: they take ids and call services."""

import random
import smtplib

from celery import shared_task

from checkins.reminders import services

# Errors worth another try: the mail server is down, slow or busy.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)
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


@shared_task(bind=True, name="reminders.send_reminder", acks_late=True, reject_on_worker_lost=True,
             max_retries=MAX_SEND_RETRIES, ignore_result=True)
def send_reminder(self, delivery_id: int):
    try:
        services.send_delivery(delivery_id)
    except TRANSIENT_MAIL_ERRORS as error:
        give_up = self.request.retries >= self.max_retries
        services.note_failed_attempt(delivery_id, give_up=give_up)
        if give_up:
            return
        raise self.retry(exc=error, countdown=backoff_seconds(self.request.retries))
