"""The reminder fan-out: N people whose check-in reminder is due in the same
minute, and the time from the dispatcher's start until every email has been
handed to the mail backend.

The people are couples with reminders on, written in bulk. A real Celery
worker (prefork, two processes: the machine's two cores) runs with the
production settings, listening on a queue of this run only; the dispatcher
task is sent to it exactly as beat would send it. The mail backend
(bench.mail.CountingBackend) records every message in Redis, so the harness
can count what was sent, what was sent twice and what never came.
"""

import contextlib
import datetime
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
    from checkins.reminders.models import Kind, ReminderPreference, ReminderSchedule
    from trustwork.accounts.models import User
    from trustwork.couples.models import Membership, Relationship

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
        period = couples[0].rhythm.current_week_start(now)
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
def worker(environment: dict[str, str], node: str):
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
        str(WORKER_CONCURRENCY),
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


def run(environment: dict[str, str], due: int, timeout: float) -> dict:
    from checkins.reminders.models import Delivery, ReminderSchedule
    from checkins.reminders.tasks import dispatch_due_reminders

    now = timezone.now()
    print(f"  writing {due:,} people whose reminder is due now ...", flush=True)
    expected = set(build_due_people(due, now))
    due_rows = ReminderSchedule.objects.due().count()

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    mail_key = f"bench:mail:{queue}"
    environment = {
        **environment,
        "BENCH_CELERY_QUEUE": queue,
        "BENCH_MAIL_KEY": mail_key,
        "EMAIL_BACKEND": "bench.mail.CountingBackend",
    }
    store = redis.Redis.from_url(settings.REDIS_URL)
    node = f"{queue}@%h"
    seconds = None
    with worker(environment, node) as process:
        _wait_for_worker(node.replace("%h", socket.gethostname()))
        print(f"  dispatching ({due_rows:,} schedule rows due) ...", flush=True)
        cpu_before = _cpu_seconds(process.pid)
        started = time.monotonic()
        dispatch_due_reminders.apply_async(queue=queue)
        last, last_change = 0, started
        while time.monotonic() - started < timeout:
            handed = store.llen(mail_key)
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
    entries = [entry.decode() for entry in store.lrange(mail_key, 0, -1)]
    store.delete(mail_key, queue)
    recipients = Counter(entry.split("|", 1)[0] for entry in entries)
    rate = len(entries) / (seconds or waited)
    return {
        "due": due,
        "schedule_rows_due": due_rows,
        "seconds": round(seconds, 1) if seconds is not None else None,
        "sent": len(entries),
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
        "worker": f"celery prefork, concurrency {WORKER_CONCURRENCY}",
        # CPU seconds the worker and its pool spent from the dispatch to the
        # last email, and per email handed over.
        "worker_cpu_seconds": round(worker_cpu, 1) if worker_cpu is not None else None,
        "worker_cpu_ms_per_email": round(worker_cpu * 1000 / len(entries), 2) if worker_cpu and entries else None,
    }
