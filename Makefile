# trustwork: the two commands are `make run` and `make test`.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")

.PHONY: run test install uv lint format bench

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv

install: uv
	$(UV) sync --frozen

## make run: web on http://127.0.0.1:8000 with a Celery worker and beat (Ctrl-C stops all three)
run: install
	DEBUG=$${DEBUG:-1} bin/dev

## make test: the whole suite (PostgreSQL, Redis, Chromium are used when present)
test: install
	DEBUG=$${DEBUG:-1} $(UV) run pytest $(PYTEST_ARGS)

lint: install
	$(UV) run ruff check .

format: install
	$(UV) run ruff format .

## make bench: query counts, load under gunicorn+wrk, reminder fan-out, page weight (needs DATABASE_URL, REDIS_URL, wrk);
## writes bench/results.json. QUICK=1 is the short run CI does (bench/results.quick.json). See docs/performance.md.
bench: install
	$(UV) run python -m bench $(if $(filter 1,$(QUICK)),--quick)
