"""The benchmark harness: `make bench` (or `uv run python -m bench`).

It builds a small and a 20-times larger data set in a database of its own,
counts the queries of every page a partner or a therapist can open, loads the
busiest pages under gunicorn with wrk next to a bare Django view, times the
reminder fan-out and weighs each page. docs/performance.md has the figures.
"""
