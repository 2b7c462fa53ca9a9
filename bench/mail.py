"""A mail backend for the reminder fan-out: it hands nothing to the outside
world, but pays what the SMTP backend pays in our process. For each message it
builds the MIME message with the SMTP policy and serialises it to bytes, as
django.core.mail.backends.smtp.EmailBackend does before writing them to the
socket; it then records the recipient, the Message-ID and the size in a Redis
list the harness reads. Like the SMTP backend it keeps one connection open
from open() to close(), so a batch sent over one connection costs one connect.
"""

import email.policy
import os

import redis
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class CountingBackend(BaseEmailBackend):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.key = os.environ["BENCH_MAIL_KEY"]
        self.connection = None

    def open(self):
        if self.connection is not None:
            return False
        self.connection = redis.Redis.from_url(settings.REDIS_URL)
        return True

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def send_messages(self, email_messages):
        if not email_messages:
            return 0
        opened_here = self.open()
        try:
            entries = []
            for message in email_messages:
                mime = message.message(policy=email.policy.SMTP)
                data = mime.as_bytes()
                entries.append(f"{','.join(message.recipients())}|{mime['Message-ID']}|{len(data)}")
            self.connection.rpush(self.key, *entries)
        finally:
            if opened_here:
                self.close()
        return len(entries)
