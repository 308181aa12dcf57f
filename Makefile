# Two commands for a newcomer: `make run` and `make test`.
.DEFAULT_GOAL := help
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help venv run test lint format bench fuzz screenshots clean

help:
	@echo "make run          set up .venv, migrate, load the demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test         run the whole test suite (SQLite, eager Celery tasks)"
	@echo "make lint         ruff check and format check"
	@echo "make bench        page, audit, HTTP, PDF, API and import benchmarks (a few minutes)"
	@echo "make fuzz         schemathesis against the API of a live server (about a minute)"
	@echo "make screenshots  PNGs of every page into artifacts/screenshots (needs chromium)"

venv:
	@scripts/ensure-venv.sh

run: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddemo
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (SQLite: db.sqlite3; Celery tasks run eagerly)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: venv
	$(PY) -m pytest

lint: venv
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: venv
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

fuzz: venv
	scripts/api-fuzz.sh

bench: venv
	$(PY) bench/pages.py
	$(PY) bench/audit.py edit
	bench/http.sh
	$(PY) bench/pdf_repeat.py
	$(PY) bench/pdf.py
	bench/audit_log.sh
	$(PY) bench/api.py

screenshots: venv
	SCREENSHOT_DIR=artifacts/screenshots $(PY) -m pytest tests/e2e -q

clean:
	rm -rf .venv staticfiles .pytest_cache .ruff_cache artifacts
