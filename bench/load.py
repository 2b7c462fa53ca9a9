"""The server under load: gunicorn with the production settings, and wrk.

gunicorn runs as docker-compose and the Dockerfile run it in production
(sync workers, three of them on two cores), bound to 127.0.0.1 on a port of
the harness's range. wrk (Debian's package, `apt-get install wrk`) keeps 8
connections busy for a fixed time and reports latency percentiles through
report.lua. Everything stops by itself: wrk after its duration, gunicorn when
the `server` block ends.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.environment import BenchSetupError, python

PORTS = range(8601, 8610)
WORKERS = 3
CONNECTIONS = 8
THREADS = 2
REPORT_SCRIPT = Path(__file__).with_name("report.lua")


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise BenchSetupError(f"No free port in {PORTS.start}-{PORTS.stop - 1} for the bench server.")


@contextlib.contextmanager
def server(environment: dict[str, str]):
    """A gunicorn on 127.0.0.1; yields its base URL and stops it afterwards."""
    port = free_port()
    command = [
        python(),
        "-m",
        "gunicorn",
        "trustwork.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env={**os.environ, **environment}, start_new_session=True)  # noqa: S603 (our own command line)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_up(base: str, process, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchSetupError(f"gunicorn exited with {process.returncode} before answering.")
        try:
            with urllib.request.urlopen(base + "/bench/baseline", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise BenchSetupError("gunicorn did not answer within 30 seconds.")


def fetch(url: str, cookie: str | None = None, headers: dict | None = None) -> tuple[int, bytes, dict]:
    """One GET, without following redirects: a signed-in page must answer 200 itself."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={**(headers or {}), **({"Cookie": cookie} if cookie else {})})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return 0, repr(error).encode(), {}  # the server is gone or stuck: no status at all


def wrk_path() -> str:
    path = shutil.which("wrk")
    if not path:
        raise BenchSetupError("wrk is not installed: apt-get install -y wrk")
    return path


def wrk(url: str, cookie: str, seconds: int) -> dict:
    """8 connections for `seconds`; returns requests per second and latency in ms."""
    command = [
        wrk_path(),
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(REPORT_SCRIPT),
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    output = subprocess.run(  # noqa: S603 (our own command line)
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH-JSON "))
    raw = json.loads(line.removeprefix("BENCH-JSON "))
    seconds_run = raw["duration_us"] / 1e6
    errors = sum(raw["errors"].values())
    return {
        "requests": raw["requests"],
        "errors": errors,
        "rps": round(raw["requests"] / seconds_run, 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1),
        "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1),
        "max_ms": round(raw["max_us"] / 1000, 1),
    }
