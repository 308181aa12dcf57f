# Two commands for a newcomer: `make run` and `make test`.
.DEFAULT_GOAL := help
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The locks (requirements/*.txt) are resolved for the Docker image's Python on Linux,
# by the uv that requirements/dev.txt pins. See "Dependencies" in the README.
LOCK := .venv/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform linux --custom-compile-command "make lock"
LOCK_DIR ?= requirements

.PHONY: help venv run test lint format bench fuzz screenshots lock upgrade lock-check clean

help:
	@echo "make run          set up .venv, migrate, load the demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test         run the whole test suite (SQLite, eager Celery tasks)"
	@echo "make lint         ruff check and format check"
	@echo "make bench        page, audit, HTTP, PDF, API and import benchmarks (a few minutes)"
	@echo "make fuzz         schemathesis against the API of a live server (about two minutes)"
	@echo "make screenshots  PNGs of every page into artifacts/screenshots (needs chromium)"
	@echo "make lock         re-resolve requirements/*.txt after editing pyproject.toml (keeps other pins)"
	@echo "make upgrade      bump every pin to the newest allowed release (PACKAGE=name: just that one)"
	@echo "make lock-check   fail if requirements/*.txt are out of step with pyproject.toml"

venv:
	@scripts/ensure-venv.sh

run: venv
	$(PY) manage.py signing_keys --dev
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddemo
	$(PY) manage.py loadtrustdemo
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (SQLite: db.sqlite3; Celery tasks run eagerly;"
	@echo "emails (invitations, password resets) are printed below, not sent: set EMAIL_HOST to send them)"
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
	$(PY) bench/scale.py
	$(PY) bench/editors.py
	$(PY) bench/pages.py
	$(PY) bench/audit.py edit
	bench/http.sh
	$(PY) bench/pdf_repeat.py
	$(PY) bench/pdf.py
	bench/audit_log.sh
	$(PY) bench/api.py

screenshots: venv
	SCREENSHOT_DIR=artifacts/screenshots $(PY) -m pytest tests/e2e -q

# dev.txt first (the superset), then runtime.txt constrained by it, so that a package in
# both locks has the same version in both.
lock:
	@ALLOW_STALE_LOCK=1 scripts/ensure-venv.sh
	$(LOCK) $(UPGRADE) pyproject.toml requirements/build.in --extra dev -o $(LOCK_DIR)/dev.txt
	$(LOCK) $(UPGRADE) pyproject.toml requirements/build.in -c $(LOCK_DIR)/dev.txt \
		-o $(LOCK_DIR)/runtime.txt

upgrade: UPGRADE = $(if $(PACKAGE),--upgrade-package $(PACKAGE),--upgrade)
upgrade: lock

lock-check: venv
	@tmp=$$(mktemp -d) && cp requirements/dev.txt requirements/runtime.txt "$$tmp"/ && \
	$(MAKE) --no-print-directory lock LOCK_DIR="$$tmp" >/dev/null && \
	sed -i "s|$$tmp/|requirements/|" "$$tmp"/*.txt && \
	diff -u requirements/dev.txt "$$tmp"/dev.txt && diff -u requirements/runtime.txt "$$tmp"/runtime.txt && \
	rm -rf "$$tmp" && echo "requirements/*.txt match pyproject.toml" || \
	{ echo "requirements/*.txt are out of step with pyproject.toml: run make lock" >&2; rm -rf "$$tmp"; exit 1; }

clean:
	rm -rf .venv staticfiles .pytest_cache .ruff_cache artifacts
