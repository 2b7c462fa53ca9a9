"""How many reminders per second one Celery worker delivers.

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/tw_reminders \
    REDIS_URL=redis://127.0.0.1:6379/3 uv run python -m tests.reminders.measure_throughput --people 2000

It creates a scratch database (<name>_throughput, dropped afterwards), writes
N people whose check-in reminder is due now, starts ONE worker process
(`celery worker --pool=prefork --concurrency=1`), runs the dispatcher in this
process and times from the dispatcher's start until the last message reached
the sink. Two sinks:

- `--sink redis` (default): tests.reminders.mailsink.RedisRecordingBackend,
  an in-memory-like backend that records each message in Redis (locmem cannot
  be read from another process);
- `--sink smtp`: Django's real SMTP backend talking to a tiny SMTP server in
  this process on 127.0.0.1 (a new connection per message, as in production).
Not a test: it asserts nothing, it prints figures.
"""

import argparse
import datetime
import os
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]


class _SmtpSink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.message_ids = Counter()
        self.lock = threading.Lock()


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ready")
        while line := self.rfile.readline():
            verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == "DATA":
                self.reply("354 go ahead")
                message_id = None
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    if data.lower().startswith(b"message-id:"):
                        message_id = data.split(b":", 1)[1].strip().decode()
                with self.server.lock:
                    self.server.message_ids[message_id] += 1
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


def build_due_people(count, now):
    from django.contrib.auth.hashers import make_password

    from checkins.reminders.models import Kind, ReminderPreference, ReminderSchedule
    from trustwork.accounts.models import User
    from trustwork.couples.models import Membership, Relationship

    users = User.objects.bulk_create(
        User(
            email=f"due{i}@throughput.example",
            display_name=f"Person {i}",
            time_zone="Europe/London",
            password=make_password(None),
        )
        for i in range(count)
    )
    couples = Relationship.objects.bulk_create(Relationship(time_zone="Europe/London") for _ in range(count // 2))
    Membership.objects.bulk_create(Membership(relationship=couples[i // 2], user=u) for i, u in enumerate(users))
    ReminderPreference.objects.bulk_create(ReminderPreference(user=u) for u in users)
    period = couples[0].rhythm.current_week_start(now)
    ReminderSchedule.objects.bulk_create(
        ReminderSchedule(user=u, kind=Kind.CHECKIN_OPEN, next_run_at=now - datetime.timedelta(seconds=5), period=period)
        for u in users
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--sink", choices=["redis", "smtp"], default="redis")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustwork.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from checkins.reminders import services
    from tests.reminders import mailsink

    assert connection.vendor == "postgresql" and settings.REDIS_URL, "needs DATABASE_URL and REDIS_URL"
    old_name = connection.settings_dict["NAME"]
    # Its own scratch database, never the test database a pytest run may be using.
    connection.settings_dict["TEST"]["NAME"] = f"{old_name}_throughput"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    redis = mailsink.client()
    redis.flushdb()
    sink = None
    try:
        build_due_people(options.people, timezone.now())
        db = connection.settings_dict
        env = {
            **os.environ,
            "DEBUG": "1",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        }
        if options.sink == "smtp":
            sink = _SmtpSink()
            threading.Thread(target=sink.serve_forever, daemon=True).start()
            env |= {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(sink.server_address[1]),
            }

            def delivered():
                return sum(sink.message_ids.values())
        else:
            env |= {"EMAIL_BACKEND": "tests.reminders.mailsink.RedisRecordingBackend"}

            def delivered():
                return redis.llen(mailsink.MAILBOX_KEY)

        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "trustwork",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        try:
            time.sleep(4)  # the worker is up before the clock starts
            started = time.monotonic()
            written = services.dispatch_due_reminders()
            dispatched = time.monotonic() - started
            while delivered() < written and time.monotonic() - started < 900:
                time.sleep(0.05)
            elapsed = time.monotonic() - started
            time.sleep(1)
        finally:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=30)
        counts = sink.message_ids if sink else Counter(m["message_id"] for m in mailsink.recorded(redis))
        print(f"sink={options.sink} people={options.people} deliveries written={written}")
        print(f"dispatcher: {dispatched:.2f} s ({written / dispatched:.0f} deliveries/s written and enqueued)")
        print(
            f"one worker (prefork, concurrency 1): {sum(counts.values())} messages in {elapsed:.2f} s "
            f"= {sum(counts.values()) / elapsed:.0f} reminders/s; duplicates {sum(n - 1 for n in counts.values())}"
        )
    finally:
        if sink:
            sink.shutdown()
        redis.flushdb()
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    socket.setdefaulttimeout(30)
    main()
