"""The embedded default, end to end: SQLite and kombu's filesystem broker in a
var directory of their own, with a real Celery worker (and beat), as
`make run` starts them. These run on either setup: they never touch the test
database.

- `remind_soon` makes Alice's reminder due, and within a minute beat's
  dispatcher has the worker print the email on its console.
- A worker killed in the middle of a batch sends nothing twice: what it handed
  over is marked sent, the rest goes after the requeue. (The filesystem
  broker forgets a message once a worker has taken it, so here the requeue,
  not the broker, brings the rest back.)
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.timeout(240)


class EmbeddedSite:
    def __init__(self, var_dir: Path):
        self.var_dir = var_dir
        self.env = {
            key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "EMAIL_BACKEND")
        }
        self.env |= {"DEBUG": "1", "TRUSTWORK_VAR_DIR": str(var_dir), "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.processes = []

    def manage(self, *args, **env) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def python(self, code: str) -> str:
        return self.manage("shell", "--no-imports", "-c", code)

    def start(self, name: str, *celery_args, **env) -> Path:
        log = self.var_dir / f"{name}.log"
        with open(log, "ab") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "trustwork", *celery_args],
                cwd=ROOT,
                env={**self.env, **env},
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        return log

    def start_worker(self, name="worker", **env) -> Path:
        return self.start(
            name,
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            f"--hostname={name}-{os.getpid()}@%h",
            **env,
        )

    def kill(self, sig=signal.SIGTERM) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, sig)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.processes = []

    def query(self, sql: str):
        with sqlite3.connect(self.var_dir / "trustwork.sqlite3", timeout=20) as database:
            return database.execute(sql).fetchall()


@pytest.fixture
def site(tmp_path):
    site = EmbeddedSite(tmp_path)
    site.manage("migrate", "--no-input")
    yield site
    site.kill()


def wait_until(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def test_it_prints_alices_reminder_on_the_workers_console_within_a_minute_of_remind_soon(site):
    site.manage("seed_demo", "--force")
    worker_log = site.start_worker()
    site.start("beat", "beat")
    said = site.manage("remind_soon", "alice@example.com")
    assert "is due now" in said

    def printed():
        return "Subject: Your weekly check-in is open" in worker_log.read_text(errors="replace")

    # Beat starts the dispatcher on the minute; give the worker a few seconds more.
    wait_until(printed, timeout=75, what="the reminder on the worker's console")
    output = worker_log.read_text(errors="replace")
    assert "To: alice@example.com" in output
    assert "List-Unsubscribe: <http://127.0.0.1:8000/reminders/unsubscribe/" in output
    assert "=?utf-8?" not in output
    assert output.count("Subject: Your weekly check-in is open") == 1
    assert site.query("SELECT count(*) FROM reminders_delivery WHERE sent_at IS NOT NULL") == [(1,)]
    # The broker's files, its exchange tables too, stay in the var directory.
    assert any((site.var_dir / "celery" / "control").iterdir())


DUE_PEOPLE = """
import datetime
from tests.factories import UserFactory, make_couple
from trustwork.reminders import services, tasks
saturday_noon = datetime.datetime(2026, 7, 4, 11, 0, tzinfo=datetime.UTC)
people = []
for _ in range(30):
    first, second = UserFactory(), UserFactory()
    make_couple(first, second)
    people += [first, second]
for person in people:
    services.reschedule(person, now=saturday_noon)
print(tasks.dispatch(now=datetime.datetime(2026, 7, 5, 8, 0, tzinfo=datetime.UTC)))
"""

REQUEUE = """
import datetime
from trustwork.reminders import services, tasks
sunday_9 = datetime.datetime(2026, 7, 5, 8, 0, tzinfo=datetime.UTC)
stalled = services.stalled_deliveries(now=sunday_9 + services.STALLED_AFTER)
tasks.enqueue_sends(stalled)
print(len(stalled))
"""


def test_it_sends_every_reminder_once_when_a_worker_is_killed_mid_batch(site):
    assert site.python(DUE_PEOPLE).split() == ["60"]  # 60 sends enqueued, in one task
    sink = {"EMAIL_BACKEND": "bench.mail.RecordingBackend", "MAIL_SINK_KEY": "embedded"}
    hung = site.var_dir / "embedded.hung"
    mailbox = site.var_dir / "embedded.log"
    site.start_worker(**sink, MAIL_SINK_HANG_AFTER="20")
    wait_until(hung.exists, timeout=90, what="the worker to reach mid-batch")
    site.kill(signal.SIGKILL)  # the whole worker, parent and child, with no time to tidy up
    assert len(mailbox.read_text().splitlines()) == 20
    assert site.query("SELECT count(*) FROM reminders_delivery WHERE sent_at IS NOT NULL") == [(20,)]

    hung.unlink()
    site.start_worker("restarted", **sink)
    assert site.python(REQUEUE).split() == ["40"]

    def all_sent():
        return site.query("SELECT count(*) FROM reminders_delivery WHERE sent_at IS NULL") == [(0,)]

    wait_until(all_sent, timeout=90, what="every delivery to be sent after the restart")
    time.sleep(1)  # room for a duplicate to show up, if there were one
    message_ids = Counter(line.split("|")[1] for line in mailbox.read_text().splitlines())
    assert len(message_ids) == 60
    assert set(message_ids.values()) == {1}
