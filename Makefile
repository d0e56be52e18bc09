# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MO_FILES := $(patsubst %.po,%.mo,$(shell find locale learning/locale outreach/locale podcasts/locale insights/locale reporting/locale subscriptions/locale website/locale -name '*.po' 2>/dev/null))
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes for the SQLite suite (pytest-xdist); `auto` is one per CPU core.
TEST_WORKERS ?= auto

.DEFAULT_GOAL := help
.PHONY: help setup run test test-fast lint format messages makemessages clean bench bench-scales

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

%.mo: %.po
	msgfmt --check -o $@ $<

messages: $(MO_FILES) ## Compile the Dutch translations

setup: $(STAMP) messages ## Virtualenv from the lock, translations compiled
	@mkdir -p var

run: setup ## Migrate, seed demo content, start dev server, task worker and scheduler on :8000
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py ensure_dev_admin
	@echo "Starting the task worker, the scheduler and the dev server at http://$(HOST):$(PORT)/"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker --backend background --queue-name '*' --interval 2 & \
	  $(PY) manage.py run_scheduled --every 300 & \
	  $(PY) manage.py runserver $(HOST):$(PORT)

lint: setup ## ruff (lint and format), import contracts (import-linter) and migration checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DJANGO_SETTINGS_MODULE=website.settings.test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=website.settings.test $(PY) manage.py check

test: lint ## The whole suite: SQLite, then the PostgreSQL tests (TEST_POSTGRES_URL)
	$(VENV)/bin/pytest -m "not postgres" --create-db -n $(TEST_WORKERS)
	DATABASE_URL="$(TEST_POSTGRES_URL)" $(VENV)/bin/pytest -m postgres --create-db -p no:cacheprovider

test-fast: setup ## Only the SQLite tests, without the browser
	$(VENV)/bin/pytest -m "not postgres and not browser" -n $(TEST_WORKERS)

bench: setup ## Coordinator pages at 100,000 registrations, then every public page at two data sizes (seeded copies reused from var/bench-seed/)
	@# Both seed at once (nothing is measured yet), then measure one after the other.
	$(PY) -m bench.scales --seed-only & scales=$$!; \
	  $(PY) -m bench.run --trainings 50 --seed-only; run=$$?; wait $$scales && test $$run -eq 0
	$(PY) -m bench.run --trainings 50
	$(PY) -m bench.scales

bench-scales: setup ## Every public page at seed_demo --scale 1 and 10 (seeded copies reused from var/bench-seed/): median/p99, req/s, CPU, ratio, queries, growth
	$(PY) -m bench.scales

format: setup ## Apply ruff fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

makemessages: setup ## Extract source strings into locale/nl/LC_MESSAGES/django.po
	$(PY) manage.py makemessages -l nl --no-obsolete --no-location -i '.venv/*' -i 'var/*' -i 'node_modules/*' -i 'tests/*'

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) var
