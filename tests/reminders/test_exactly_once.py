"""Exactly once, against the real thing: PostgreSQL, Redis and Celery workers.

Every due reminder is sent once, none twice, none lost, when two dispatchers
run at the same time, when a dispatcher runs twice for one minute, when a send
task is delivered twice, and when a worker is killed in the middle of a batch
and started again.
"""

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.core import mail
from django.db import connection, connections, transaction
from redis import Redis

from bench import mail as mail_sink
from tests.factories import UserFactory, make_couple
from trustwork.celery import app as celery_app
from trustwork.reminders import services, tasks
from trustwork.reminders.models import Delivery, Kind, ReminderSchedule
from trustwork.reminders.tasks import send_reminders

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

UTC = datetime.UTC
ROOT = Path(__file__).resolve().parents[2]
SATURDAY_NOON = datetime.datetime(2026, 7, 4, 11, 0, tzinfo=UTC)
SUNDAY_9_LONDON = datetime.datetime(2026, 7, 5, 8, 0, tzinfo=UTC)
COUPLES = 30  # 60 people, 60 reminders due at the same minute


@pytest.fixture
def due_reminders():
    """60 people whose check-in reminder is due at Sunday 09:00 London time."""
    people = []
    for _ in range(COUPLES):
        first, second = UserFactory(), UserFactory()
        make_couple(first, second)
        people += [first, second]
    for person in people:
        services.reschedule(person, now=SATURDAY_NOON)
    assert ReminderSchedule.objects.filter(kind=Kind.CHECKIN_OPEN, next_run_at=SUNDAY_9_LONDON).count() == 60
    return people


@pytest.fixture
def broker():
    """An empty queue in our own Redis database, before and after."""
    redis = Redis.from_url(settings.REDIS_URL)
    redis.flushdb()
    yield redis
    celery_app.control.purge()
    redis.flushdb()


@pytest.fixture
def thread_worker(broker):
    def close_the_workers_connection(**kwargs):
        connection.close()  # runs in the worker's thread, so it closes that thread's connection

    task_postrun.connect(close_the_workers_connection, weak=False)
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            yield
    finally:
        task_postrun.disconnect(close_the_workers_connection)


def wait_until(condition, timeout=60, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def all_sent():
    return not Delivery.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True).exists()


def test_it_sends_each_reminder_once_when_two_dispatchers_run_at_once(due_reminders, thread_worker):
    start = threading.Barrier(2)
    written = []

    def dispatcher():
        try:
            start.wait()
            written.append(tasks.dispatch(now=SUNDAY_9_LONDON, batch_size=7))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(written) == 60
    wait_until(lambda: len(mail.outbox) >= 60 and all_sent(), what="60 reminders")
    time.sleep(0.5)  # room for a duplicate to show up, if there were one
    assert len(mail.outbox) == 60
    assert Counter(m.to[0] for m in mail.outbox) == Counter(person.email for person in due_reminders)
    assert Delivery.objects.count() == 60


def test_it_sends_each_reminder_once_when_the_dispatcher_runs_twice_for_a_minute(due_reminders, thread_worker):
    first = tasks.dispatch(now=SUNDAY_9_LONDON)
    # A second beat, or beat catching up after a pause, runs the same minute again,
    # and a restored row puts one person's time back for good measure.
    ReminderSchedule.objects.filter(user=due_reminders[0], kind=Kind.CHECKIN_OPEN).update(
        next_run_at=SUNDAY_9_LONDON, period=datetime.date(2026, 7, 5)
    )
    second = tasks.dispatch(now=SUNDAY_9_LONDON)
    assert (first, second) == (60, 0)
    wait_until(lambda: len(mail.outbox) >= 60 and all_sent(), what="60 reminders")
    time.sleep(0.5)
    assert len(mail.outbox) == 60
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 60


def test_it_leaves_rows_another_dispatcher_holds_and_takes_them_on_its_next_run(due_reminders, monkeypatch):
    enqueued = []
    monkeypatch.setattr(send_reminders, "delay", enqueued.append)
    holding, release = threading.Event(), threading.Event()

    def another_dispatcher_mid_chunk():
        try:
            with transaction.atomic():
                list(ReminderSchedule.objects.filter(user__in=due_reminders[:25]).select_for_update())
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    other = threading.Thread(target=another_dispatcher_mid_chunk)
    other.start()
    try:
        assert holding.wait(10)
        first = tasks.dispatch(now=SUNDAY_9_LONDON, batch_size=10)
    finally:
        release.set()
        other.join()
    second = tasks.dispatch(now=SUNDAY_9_LONDON, batch_size=10)

    assert (first, second) == (35, 25)
    sent = [delivery_id for batch in enqueued for delivery_id in batch]
    assert sorted(sent) == sorted(Delivery.objects.values_list("pk", flat=True))
    assert Delivery.objects.count() == 60


def test_it_enqueues_the_sends_of_each_chunk_as_soon_as_that_chunk_commits(due_reminders, monkeypatch):
    still_due_at_each_enqueue = []
    monkeypatch.setattr(
        send_reminders,
        "delay",
        lambda ids: still_due_at_each_enqueue.append(ReminderSchedule.objects.due(SUNDAY_9_LONDON).count()),
    )
    assert tasks.dispatch(now=SUNDAY_9_LONDON, batch_size=20) == 60
    # The sends of the first 20 are on their way while 40 are still to be claimed.
    assert still_due_at_each_enqueue == [40, 20, 0]


def _worker_env(**extra):
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:{settings_dict['PORT'] or 5432}"
        f"/{settings_dict['NAME']}"
    )
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_BACKEND": "bench.mail.RecordingBackend",
        "PYTHONPATH": str(ROOT),
        **extra,
    }


def start_worker_process(concurrency=4, **env):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "trustwork",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel=WARNING",
            "--hostname",
            f"reminders-test-{os.getpid()}-{time.monotonic_ns()}@%h",
        ],
        cwd=ROOT,
        env=_worker_env(**env),
        start_new_session=True,
    )


def stop(process, sig=signal.SIGTERM):
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def message_ids_sent():
    return Counter(mail_sink.message_ids())


def test_it_sends_once_when_each_send_task_is_delivered_twice(due_reminders, broker, monkeypatch):
    batches = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", batches.append)
    tasks.dispatch(now=SUNDAY_9_LONDON)
    assert sum(len(batch) for batch in batches) == 60
    # Every batch twice, and every reminder once more on its own, so copies run at
    # the same moment on different worker processes.
    for batch in batches:
        send_reminders.delay(batch)
        send_reminders.delay(batch)
    for batch in batches:
        for delivery_id in batch:
            send_reminders.delay([delivery_id])
    worker = start_worker_process(concurrency=4, MAIL_SINK_DELAY="0.02")
    try:
        wait_until(all_sent, timeout=90, what="every delivery to be sent")
        wait_until(lambda: broker.llen("celery") == 0, timeout=30, what="the queue to drain")
        time.sleep(1)
    finally:
        stop(worker)
    sent = message_ids_sent()
    assert len(sent) == 60
    assert set(sent.values()) == {1}


def test_it_sends_every_reminder_once_when_a_worker_is_killed_mid_batch(due_reminders, broker):
    tasks.dispatch(now=SUNDAY_9_LONDON)  # 60 sends enqueued on commit
    worker = start_worker_process(concurrency=1, MAIL_SINK_HANG_AFTER="20")
    try:
        wait_until(mail_sink.hung, timeout=60, what="the worker to reach mid-batch")
        assert mail_sink.count() == 20
    finally:
        stop(worker, signal.SIGKILL)  # the whole worker, parent and child, with no time to tidy up
    assert Delivery.objects.filter(sent_at__isnull=False).count() == 20

    # The message it was holding stays unacknowledged in Redis until the broker's
    # visibility timeout; the periodic requeue hands the stalled delivery out again.
    restarted = start_worker_process(concurrency=2)
    try:
        tasks.enqueue_sends(services.stalled_deliveries(now=SUNDAY_9_LONDON + services.STALLED_AFTER))
        wait_until(all_sent, timeout=90, what="every delivery to be sent after the restart")
        wait_until(lambda: broker.llen("celery") == 0, timeout=30, what="the queue to drain")
        time.sleep(1)
    finally:
        stop(restarted)
    sent = message_ids_sent()
    assert len(sent) == 60
    assert set(sent.values()) == {1}
