"""The production settings plus one URL (the bare baseline view) and a Celery
queue of the harness's own.

Only the harness selects this module (DJANGO_SETTINGS_MODULE=bench.settings for
its gunicorn and its own process); production never imports it, so the
baseline URL cannot exist there. Everything else, middleware included, is
trustwork.settings unchanged, which is the point of the comparison.
"""

import os

from trustwork.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# The reminder fan-out sends its tasks through a queue of its own, so a worker
# of another checkout listening on the same Redis never takes them.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BENCH_CELERY_QUEUE", "celery")
