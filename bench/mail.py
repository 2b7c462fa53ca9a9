"""A mail backend for the reminder fan-out: it hands nothing to the outside
world; it builds each message as the SMTP backend would and records its
recipient and Message-ID in a Redis list the harness reads."""

import os

import redis
from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class CountingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        key = os.environ["BENCH_MAIL_KEY"]
        connection = redis.Redis.from_url(settings.REDIS_URL)
        entries = []
        for message in email_messages:
            mime = message.message()  # the same serialisation an SMTP send pays for
            entries.append(f"{','.join(message.to)}|{mime['Message-ID']}")
        if entries:
            connection.rpush(key, *entries)
        return len(entries)
