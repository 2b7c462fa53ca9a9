"""`make bench` / `uv run python -m bench [--quick]`: run every measurement,
print the table, write the results as JSON, and exit 1 on a budget missed
without an explanation (bench/budgets.py EXPLAINED, docs/performance.md)."""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.environment import BenchSetupError, fresh_database, production_environment, required, start_django

HERE = Path(__file__).resolve().parent
THROUGHPUT_PAGES = [
    # (JSON key, URL name, who opens it)
    ("dashboard", "home", "partner_a"),
    ("checkin_form", "checkins:checkin", "partner_a"),
    ("history", "checkins:history", "partner_a"),
    ("therapist_dashboard", "care:dashboard", "therapist_active"),
]


class Mode:
    def __init__(self, quick: bool):
        self.quick = quick
        self.name = "quick" if quick else "full"
        self.load_seconds = 4 if quick else 20
        self.warmup_seconds = 1 if quick else 3
        self.timing_repeats = 1 if quick else 5
        self.reminders_due = 2_000 if quick else 100_000
        self.reminders_timeout = 90 if quick else 300


def machine() -> dict:
    def read(command):
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout.strip()  # noqa: S603
        except (OSError, subprocess.SubprocessError):
            return ""

    cpu = next(
        (line.split(":", 1)[1].strip() for line in read(["lscpu"]).splitlines() if line.startswith("Model name")),
        platform.processor(),
    )
    memory_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": postgres,
        "wrk": read(["wrk", "--version"]).split(" [")[0],
    }


def log(message: str) -> None:
    print(message, flush=True)


def measure_queries(world_state, small_and_large, repeat) -> tuple[dict, dict, dict, list]:
    """Query counts of every page at SMALL, then at LARGE (the world grows in between)."""
    from bench import pages, world

    w, clients = world_state
    found = pages.discover(w, clients)
    log(f"  {len(found)} pages and fragments found in the authorization matrix")
    measured = {}
    for size in small_and_large:
        world.grow(w, size)
        measured[size.name] = pages.measure_queries(found, w, clients, repeat)
        log(f"  counted queries at the {size.name} data set")
    queries, details, timings = {}, {}, {}
    for page in found:
        small, large = measured["small"][page.key], measured["large"][page.key]
        entry = {"small": small["count"], "large": large["count"]}
        timings[page.key] = {"small": small["ms"], "large": large["ms"]}
        if small["status"] != 200 or large["status"] != 200:
            entry["status"] = large["status"] if small["status"] == 200 else small["status"]
        queries[page.key] = entry
        if small["count"] != large["count"] or large["count"] > 12:
            details[page.key] = {"small": small["queries"], "large": large["queries"]}
    return queries, details, timings, found


def measure_load(base: str, mode: Mode, w, cookies: dict) -> dict:
    from bench import load, pages

    routes = pages.matrix_routes()
    targets = [("baseline", "bench-baseline", "/bench/baseline", "partner_a")]
    results = {"baseline": {}}
    for key, name, role in THROUGHPUT_PAGES:
        if name not in routes or role not in cookies:
            results[key] = {"problem": f"no page {name} for {role} yet"}
            continue
        results[key] = {}
        targets.append((key, name, pages.url_for(pages.Page(name, role), w), role))
    for key, name, path, role in targets:
        status, body, _ = load.fetch(base + path, cookies[role])
        if status != 200 or (key == "baseline" and body != b"ok"):
            results[key] = {"problem": f"{path} answered {status} to {role}, not 200"}
            continue
        try:
            load.wrk(base + path, cookies[role], mode.warmup_seconds)
            figures = load.wrk(base + path, cookies[role], mode.load_seconds)
        except (subprocess.SubprocessError, StopIteration, ValueError) as error:
            results[key] = {"problem": f"wrk failed on {path}: {error!r}"}
            continue
        results[key] = {"url_name": name, "as": role, **figures}
        log(f"  {key}: {figures['rps']} req/s, p95 {figures['p95_ms']} ms")
    baseline = results["baseline"]
    for key, figures in results.items():
        if key != "baseline" and "rps" in figures and baseline.get("rps"):
            figures["ratio_to_baseline"] = round(figures["rps"] / baseline["rps"], 2)
    return results


def measure_weight(base: str, found, w, cookies: dict) -> dict:
    from bench import pages, weight

    cache, weights = {}, {}
    for page in found:
        if page.htmx or not page.html:
            continue  # a fragment or a calendar feed is never a first load
        weights[page.key] = weight.weigh(base, pages.url_for(page, w), cookies[page.role], cache)
    return weights


def table(results: dict, checks) -> str:
    lines = [
        f"trustwork benchmark ({results['mode']} mode), {results['date']}",
        f"machine: {results['machine']['cores']} cores, {results['machine']['memory_gb']} GB, "
        f"{results['machine']['cpu']}; load average {results['server']['load_average_before']} before the load test",
        "",
    ]
    lines.append(f"{'page':<52} {'queries small':>13} {'large':>6} {'ms small':>9} {'large':>6}")
    for page, counts in results["queries"].items():
        ms = results["server_ms"][page]
        lines.append(f"{page:<52} {counts['small']:>13} {counts['large']:>6} {ms['small']:>9} {ms['large']:>6}")
    lines += [
        "",
        f"{'under load (8 connections)':<28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'x baseline':>10}",
    ]
    for key, figures in results["throughput"].items():
        if "rps" not in figures:
            lines.append(f"{key:<28} {figures.get('problem', '')}")
            continue
        ratio = figures.get("ratio_to_baseline", 1.0 if key == "baseline" else "")
        lines.append(
            f"{key:<28} {figures['rps']:>8} {figures['p50_ms']:>8} {figures['p95_ms']:>8} "
            f"{figures['p99_ms']:>8} {ratio:>10}"
        )
    reminders = results.get("reminders") or {}
    if reminders:
        if reminders["timed_out"]:
            took = (
                f"stopped waiting after {reminders['waited_seconds']} s "
                f"(at {reminders['per_second']}/s all would take {reminders['projected_seconds']} s)"
            )
        else:
            took = f"in {reminders['seconds']} s ({reminders['per_second']}/s)"
        lines += [
            "",
            f"reminder fan-out: {reminders['due']:,} due, {reminders['sent']:,} sent {took}, "
            f"{reminders['duplicates']} duplicates, {reminders['missing']:,} missing",
        ]
    lines += ["", f"{'first load, gzipped KB':<58} {'html':>6} {'css':>6} {'js':>6} {'total':>6}"]
    for page, size in results["page_weight"].items():
        if "total_kb" in size:
            lines.append(
                f"{page:<58} {size['html_kb']:>6} {size['css_kb']:>6} {size['js_kb']:>6} {size['total_kb']:>6}"
            )
    missed = [check for check in checks if not check.ok]
    lines += ["", f"budgets: {len(checks) - len(missed)} of {len(checks)} met"]
    for check in missed:
        lines.append(f"  {check.verdict:<19} {check.name}: {check.measured} (budget {check.limit})")
        if check.explanation:
            lines.append(f"  {'':<19} {check.explanation}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        default=os.environ.get("QUICK") == "1",
        help="the CI mode: shorter load runs and 2,000 reminders (under two minutes)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        help="where to write the JSON (default bench/results.json, or bench/results.quick.json in quick mode)",
    )
    parser.add_argument("--skip-reminders", action="store_true", help="leave out the reminder fan-out")
    args = parser.parse_args(argv)
    mode = Mode(args.quick)
    output = args.output or HERE / ("results.quick.json" if mode.quick else "results.json")
    started = time.monotonic()
    try:
        results, checks = run(mode, skip_reminders=args.skip_reminders)
    except BenchSetupError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    results["seconds"] = round(time.monotonic() - started, 1)
    output.write_text(json.dumps(results, indent=2) + "\n")
    print()
    print(table(results, checks))
    print(f"\nwritten to {output} in {results['seconds']} s")
    return 1 if any(not check.ok and not check.explanation for check in checks) else 0


def run(mode: Mode, skip_reminders: bool = False):
    from bench.budgets import check_all

    log(f"bench ({mode.name} mode): a fresh database, production settings")
    database_url = fresh_database(required("DATABASE_URL"))
    environment = production_environment(database_url, required("REDIS_URL"))
    start_django(environment)

    from django.utils import timezone

    from bench import fanout, load, pages, world

    log("building the personas and the small data set")
    w = world.build_people()
    world.add_matrix_extras(w, pages.matrix_modules())
    roles = [role for role in (*pages.PARTNER_ROLES, pages.THERAPIST_ROLE) if getattr(w.people, role, None)]
    clients = {role: pages.signed_in_client(getattr(w.people, role)) for role in roles}
    cookies = {role: f"{pages.settings.SESSION_COOKIE_NAME}={pages.session_cookie(c)}" for role, c in clients.items()}
    log("counting queries")
    queries, details, server_ms, found = measure_queries((w, clients), (world.SMALL, world.LARGE), mode.timing_repeats)

    log("under load, on the large data set")
    busy = os.getloadavg()[0]
    if busy > 1:
        log(f"  warning: the machine's load average is {busy:.1f}; other work shares the CPU with the server")
    with load.server(environment) as base:
        # Weighed first, on the large data set as built: the load test adds
        # thousands of rows (each therapist dashboard view logs 30 accesses)
        # that no page's first load should be judged by.
        page_weight = measure_weight(base, found, w, cookies)
        throughput = measure_load(base, mode, w, cookies)

    reminders = None
    if not skip_reminders:
        log("reminder fan-out")
        reminders = fanout.run(environment, mode.reminders_due, mode.reminders_timeout)
        log(f"  {reminders['sent']:,} handed to the mail backend, {reminders['per_second']} a second")

    results = {
        "mode": mode.name,
        "date": timezone.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "server": {
            "gunicorn_workers": load.WORKERS,
            "wrk_connections": load.CONNECTIONS,
            "wrk_threads": load.THREADS,
            "seconds_per_page": mode.load_seconds,
            "load_average_before": round(busy, 2),
        },
        "data_sets": {size.name: vars(size) for size in (world.SMALL, world.LARGE)},
        "queries": queries,
        # Median time to answer in the harness's own process (no server, no
        # network), at each size: how the work of a page grows with the data.
        "server_ms": server_ms,
        "throughput": throughput,
        "reminders": reminders,
        "page_weight": page_weight,
    }
    for client in clients.values():
        client.logout()  # the sessions leave Redis and the database with the run
    shutil.rmtree(environment["TRUSTWORK_VAR_DIR"], ignore_errors=True)
    checks = check_all(results)
    results["budgets"] = [check.as_json() for check in checks]
    results["failed"] = any(not check.ok and not check.explanation for check in checks)
    if details:
        results["query_details"] = details
    return results, checks
