"""`uv run python -m bench.markdown [bench/results.json]`: the results as the
Markdown tables of docs/performance.md, so the document is refreshed from a
run rather than retyped."""

import json
import sys
from pathlib import Path


def _row(*cells) -> str:
    return "| " + " | ".join(str(cell) for cell in cells) + " |"


def render(results: dict) -> str:
    machine, server = results["machine"], results["server"]
    lines = [
        f"Run of {results['date']} ({results['mode']} mode, {results.get('seconds', '?')} s in all) on "
        f"{machine['cores']} cores ({machine['cpu']}), {machine['memory_gb']} GB, {machine['os']}; "
        f"Python {machine['python']}, Django {machine['django']}, PostgreSQL {machine['postgresql']}, "
        f"{machine['wrk']}. Load average before the load test: {server['load_average_before']}.",
        "",
        "**Throughput and latency** (large data set; gunicorn, "
        f"{server['gunicorn_workers']} sync workers; wrk, {server['wrk_connections']} connections, "
        f"{server['seconds_per_page']} s per page):",
        "",
        _row("page", "req/s", "p50 ms", "p95 ms", "p99 ms", "× baseline"),
        _row("---", "---:", "---:", "---:", "---:", "---:"),
    ]
    for key, figures in results["throughput"].items():
        if "rps" in figures:
            ratio = figures.get("ratio_to_baseline", "1.0")
            lines.append(_row(key, figures["rps"], figures["p50_ms"], figures["p95_ms"], figures["p99_ms"], ratio))
        else:
            lines.append(_row(key, figures.get("problem", ""), "", "", "", ""))
    reminders = results.get("reminders")
    if reminders:
        if reminders["timed_out"]:
            took = (
                f"{reminders['sent']:,} handed to the mail backend when the run stopped waiting at "
                f"{reminders['waited_seconds']} s, {reminders['per_second']} a second: all of them would take "
                f"about {reminders['projected_seconds']:,.0f} s"
            )
        else:
            took = f"all {reminders['sent']:,} handed to the mail backend in {reminders['seconds']} s"
        lines += [
            "",
            f"**Reminder fan-out**: {reminders['due']:,} due in the same minute; {took}; "
            f"{reminders['duplicates']} duplicates ({reminders['worker']}).",
        ]
    lines += [
        "",
        "**Queries and time to answer** (in the harness's process, median ms) at the small and the large data set:",
        "",
        _row("page", "queries small", "queries large", "ms small", "ms large"),
        _row("---", "---:", "---:", "---:", "---:"),
    ]
    for page, counts in results["queries"].items():
        ms = results["server_ms"][page]
        lines.append(_row(page, counts["small"], counts["large"], ms["small"], ms["large"]))
    lines += [
        "",
        "**Page weight**, first load, gzipped KB:",
        "",
        _row("page", "HTML", "CSS", "JS", "total"),
        _row("---", "---:", "---:", "---:", "---:"),
    ]
    for page, size in results["page_weight"].items():
        if "total_kb" in size:
            lines.append(_row(page, size["html_kb"], size["css_kb"], size["js_kb"], size["total_kb"]))
    checks = results["budgets"]
    missed = [check for check in checks if not check["ok"]]
    lines += ["", f"**Budgets**: {len(checks) - len(missed)} of {len(checks)} met. Missed:", ""]
    for check in missed:
        verdict = "explained" if check["explained"] else "NOT EXPLAINED"
        lines.append(f"- {check['check']}: {check['measured']} (budget {check['limit']}; {verdict})")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else Path(__file__).with_name("results.json")
    print(render(json.loads(path.read_text())), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
