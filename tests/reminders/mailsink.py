"""A test-only mail backend that records each message in Redis, so sends made
by a Celery worker in another process can be counted (locmem can't cross
processes). Configured for a worker subprocess through EMAIL_BACKEND.

Environment:
- REMINDERS_TEST_SEND_DELAY: seconds to spend on each message, like a slow SMTP server;
- REMINDERS_TEST_HANG_AFTER: after this many messages, say so in Redis and hang
  before handing over the next one, so a test can kill the worker mid-batch.
"""

import json
import os
import time

import redis
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

MAILBOX_KEY = "reminders-test:mailbox"
HUNG_KEY = "reminders-test:hung"


def client():
    return redis.Redis.from_url(settings.REDIS_URL)


def recorded(connection=None) -> list[dict]:
    return [json.loads(item) for item in (connection or client()).lrange(MAILBOX_KEY, 0, -1)]


class RedisRecordingBackend(BaseEmailBackend):
    handed_over = 0  # per process

    def send_messages(self, email_messages):
        connection = client()
        delay = float(os.environ.get("REMINDERS_TEST_SEND_DELAY", "0"))
        hang_after = os.environ.get("REMINDERS_TEST_HANG_AFTER")
        for message in email_messages:
            if hang_after is not None and RedisRecordingBackend.handed_over >= int(hang_after):
                connection.set(HUNG_KEY, os.getpid())
                time.sleep(600)
            if delay:
                time.sleep(delay)
            connection.rpush(
                MAILBOX_KEY,
                json.dumps(
                    {
                        "message_id": message.extra_headers.get("Message-ID"),
                        "to": message.to,
                        "subject": message.subject,
                    }
                ),
            )
            RedisRecordingBackend.handed_over += 1
        return len(email_messages)
