"""The reminder fan-out: N people whose check-in reminder is due in the same
minute, and the time from the dispatcher's start until every email has been
handed to the mail backend.

The people are couples with reminders on, written in bulk. A real Celery
worker (prefork, two processes by default: the machine's two cores) runs with
the production settings, listening on a queue of this run only; the
dispatcher task is sent to it exactly as beat would send it. The mail backend
(bench.mail.RecordingBackend) records every message in Redis, so the harness
can count what was sent, what was sent twice and what never came; with
`--sink smtp` the worker uses Django's real SMTP backend instead, talking to
bench.mail.SmtpSink in this process.

`make bench` runs it as one of its measurements; on its own (a database of its
own, BENCH_DATABASE, dropped and created first):

    DATABASE_URL=postgres://... REDIS_URL=redis://... uv run python -m bench.fanout --due 2000
    ... python -m bench.fanout --due 1000 --concurrency 1 --sink smtp   # one worker process, real SMTP
"""

import argparse
import contextlib
import datetime
import email
import email.policy
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path

import redis
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bench.environment import BenchSetupError, python

WORKER_CONCURRENCY = 2
BATCH = 5000


def build_due_people(count: int, now) -> list[str]:
    """`count` people in `count // 2` couples, each with a check-in reminder due
    now. Returns their email addresses."""
    from trustwork.accounts.models import User
    from trustwork.couples.models import Membership, Relationship
    from trustwork.reminders.models import Kind, ReminderFacts, ReminderPreference, ReminderSchedule

    password = make_password(None)
    run = uuid.uuid4().hex[:8]
    emails = []
    for start in range(0, count, BATCH):
        size = min(BATCH, count - start)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"due.{run}.{start + i}@bench.example",
                    display_name=f"Person {start + i}",
                    time_zone="Europe/London",
                    password=password,
                )
                for i in range(size)
            ]
        )
        couples = Relationship.objects.bulk_create(
            [Relationship(time_zone="Europe/London") for _ in range((size + 1) // 2)]
        )
        Membership.objects.bulk_create(
            [Membership(relationship=couples[i // 2], user=user) for i, user in enumerate(users)]
        )
        ReminderPreference.objects.bulk_create([ReminderPreference(user=user) for user in users])
        rhythm = couples[0].rhythm
        # What trustwork.couples.services.accept_invitation tells the reminders.
        ReminderFacts.objects.bulk_create(
            [
                ReminderFacts(
                    user=user, checkin_weekday=rhythm.weekday, checkin_time=rhythm.time, checkin_zone=rhythm.zone
                )
                for user in users
            ]
        )
        period = rhythm.current_week_start(now)
        ReminderSchedule.objects.bulk_create(
            [
                ReminderSchedule(
                    user=user, kind=Kind.CHECKIN_OPEN, next_run_at=now - datetime.timedelta(seconds=30), period=period
                )
                for user in users
            ]
        )
        emails += [user.email for user in users]
    return emails


def _wait_for_worker(node: str, timeout: float = 60) -> None:
    from trustwork.celery import app

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(destination=[node], timeout=1):
            return
    raise BenchSetupError(f"the Celery worker {node} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def worker(environment: dict[str, str], node: str, concurrency: int = WORKER_CONCURRENCY):
    command = [
        python(),
        "-m",
        "celery",
        "-A",
        "trustwork",
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        str(concurrency),
        "--queues",
        environment["BENCH_CELERY_QUEUE"],
        "--hostname",
        node,
        "--loglevel",
        "WARNING",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    log_path = Path(environment["TRUSTWORK_VAR_DIR"]) / "worker.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            command,
            env={**os.environ, **environment},
            start_new_session=True,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    failed = False
    try:
        yield process
    except BaseException:
        failed = True
        raise
    finally:
        # The run's queue is deleted afterwards, so unfinished work is simply
        # dropped: stop the worker (and its pool) without waiting for it.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if failed or process.returncode not in (0, -signal.SIGKILL):
            print(f"The Celery worker's log ends:\n{log_path.read_text()[-3000:]}", flush=True)


def _cpu_seconds(process_group: int) -> float | None:
    """User and system CPU time so far of the live processes in a process
    group (the worker and its pool), read from /proc; None where there is none."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    found = False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # After the command name in parentheses: state, ppid, pgrp, ... utime (14th), stime (15th).
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == process_group:
            total += int(fields[11]) + int(fields[12])
            found = True
    return total / ticks if found else None


class _Recorded:
    """What bench.mail.RecordingBackend recorded for this run, in Redis."""

    def __init__(self, key: str):
        self.key = key
        self.store = redis.Redis.from_url(settings.REDIS_URL)
        self.worker_environment = {"MAIL_SINK_KEY": key, "EMAIL_BACKEND": "bench.mail.RecordingBackend"}

    def count(self) -> int:
        return self.store.llen(self.key)

    def recipients(self) -> list[str]:
        return [entry.decode().split("|", 1)[0] for entry in self.store.lrange(self.key, 0, -1)]

    def close(self) -> None:
        self.store.delete(self.key)


class _Smtp:
    """What Django's SMTP backend handed to bench.mail.SmtpSink."""

    def __init__(self):
        from bench.mail import SmtpSink

        self.sink = SmtpSink().__enter__()
        self.worker_environment = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.sink.port),
        }

    def count(self) -> int:
        return len(self.sink.messages)

    def recipients(self) -> list[str]:
        return [email.message_from_bytes(raw, policy=email.policy.SMTP)["To"] for raw in self.sink.messages]

    def close(self) -> None:
        self.sink.__exit__(None, None, None)


def run(
    environment: dict[str, str], due: int, timeout: float, concurrency: int = WORKER_CONCURRENCY, sink: str = "record"
) -> dict:
    from trustwork.reminders.models import Delivery, ReminderSchedule
    from trustwork.reminders.tasks import dispatch_due_reminders

    now = timezone.now()
    print(f"  writing {due:,} people whose reminder is due now ...", flush=True)
    expected = set(build_due_people(due, now))
    due_rows = ReminderSchedule.objects.due().count()

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    mailbox = _Smtp() if sink == "smtp" else _Recorded(f"bench:mail:{queue}")
    environment = {**environment, "BENCH_CELERY_QUEUE": queue, **mailbox.worker_environment}
    store = redis.Redis.from_url(settings.REDIS_URL)
    node = f"{queue}@%h"
    seconds = None
    try:
        with worker(environment, node, concurrency) as process:
            _wait_for_worker(node.replace("%h", socket.gethostname()))
            print(f"  dispatching ({due_rows:,} schedule rows due) ...", flush=True)
            cpu_before = _cpu_seconds(process.pid)
            started = time.monotonic()
            dispatch_due_reminders.apply_async(queue=queue)
            last, last_change = 0, started
            while time.monotonic() - started < timeout:
                handed = mailbox.count()
                if handed != last:
                    last, last_change = handed, time.monotonic()
                if handed >= len(expected):
                    seconds = time.monotonic() - started
                    break
                if time.monotonic() - last_change > 60:
                    break  # nothing moved for a minute: stuck, report what came
                time.sleep(0.1)
            waited = time.monotonic() - started
            # What the fan-out cost the worker, whatever else shared the CPU with it.
            cpu_after = _cpu_seconds(process.pid)
            worker_cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
            time.sleep(2)  # a duplicate would arrive just after the last message
        recipients = Counter(mailbox.recipients())
    finally:
        mailbox.close()
        store.delete(queue)
    sent = sum(recipients.values())
    rate = sent / (seconds or waited)
    return {
        "due": due,
        "schedule_rows_due": due_rows,
        "seconds": round(seconds, 1) if seconds is not None else None,
        "sent": sent,
        "duplicates": sum(n - 1 for n in recipients.values() if n > 1),
        "missing": len(expected - set(recipients)),
        "unexpected": len(set(recipients) - expected),
        "per_second": round(rate, 1),
        # When the run stops waiting before the last email, what had not come
        # yet counts as missing; the rate gives the time all of them would take.
        "timed_out": seconds is None,
        "waited_seconds": round(waited, 1),
        "projected_seconds": round(due / rate, 1) if rate else None,
        "deliveries_marked_sent": Delivery.objects.filter(sent_at__isnull=False).count(),
        "worker": f"celery prefork, concurrency {concurrency}",
        "mail": "Django's SMTP backend to a local SMTP server" if sink == "smtp" else "bench.mail.RecordingBackend",
        # CPU seconds the worker and its pool spent from the dispatch to the
        # last email, and per email handed over.
        "worker_cpu_seconds": round(worker_cpu, 1) if worker_cpu is not None else None,
        "worker_cpu_ms_per_email": round(worker_cpu * 1000 / sent, 2) if worker_cpu and sent else None,
    }


def main(argv=None) -> int:
    from bench.environment import BENCH_DATABASE, fresh_database, production_environment, required, start_django

    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__.split("\n\n")[0])
    parser.add_argument("--due", type=int, default=2000, help="people whose reminder is due (default 2,000)")
    parser.add_argument("--concurrency", type=int, default=WORKER_CONCURRENCY, help="worker processes")
    parser.add_argument("--sink", choices=["record", "smtp"], default="record")
    parser.add_argument("--timeout", type=float, default=300)
    args = parser.parse_args(argv)
    try:
        database_url = fresh_database(required("DATABASE_URL"), BENCH_DATABASE)
        environment = production_environment(database_url, required("REDIS_URL"))
    except BenchSetupError as error:
        print(f"bench: {error}")
        return 2
    start_django(environment)
    print(f"load average before: {os.getloadavg()[0]:.1f}", flush=True)
    print(json.dumps(run(environment, args.due, args.timeout, args.concurrency, args.sink), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
