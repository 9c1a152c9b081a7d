# The two commands: `make run` (embedded demo) and `make test` (lint, checks, whole suite).
# `make dev` is `make run` with DEBUG on (Django's debug pages, template reloading), for developers.
# Each installs what is missing: Debian packages via apt (as root), Python packages into .venv.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Debian packages: WeasyPrint's Chinese PDFs need the CJK fonts and harfbuzz subsetting;
# gettext compiles the zh-hans catalogue.
RUN_PACKAGES := gettext fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
TEST_PACKAGES := $(RUN_PACKAGES) postgresql redis-server chromium poppler-utils

# The embedded profile: no DATABASE_URL, no broker -> SQLite under var/, tasks in-process.
EMBEDDED_ENV := env -u DATABASE_URL -u REDIS_URL -u CELERY_BROKER_URL -u CELERY_RESULT_BACKEND \
	DJANGO_SETTINGS_MODULE=songjiang_pilot.settings.base
# The test profile: PostgreSQL and Redis on this machine, a real Celery worker started by pytest.
# Two checkouts testing side by side on one machine pick other names: make test TEST_DB=other TEST_REDIS_DB=12 TEST_BROKER_DB=13
TEST_DB ?= songjiang_pilot
TEST_REDIS_DB ?= 14
TEST_BROKER_DB ?= 15
TEST_ENV := env DJANGO_SETTINGS_MODULE=songjiang_pilot.settings.test \
	DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/$(TEST_DB) \
	REDIS_URL=redis://127.0.0.1:6379/$(TEST_REDIS_DB) CELERY_BROKER_URL=redis://127.0.0.1:6379/$(TEST_BROKER_DB) \
	CELERY_RESULT_BACKEND=redis://127.0.0.1:6379/$(TEST_BROKER_DB)

.PHONY: run dev test lint check messages makemessages system-run system-test services venv clean

# The demo as people meet it: DEBUG off, so a wrong address or a fault shows the portal's own Chinese 404 and
# 500 pages (static files through whitenoise); `make dev` keeps DEBUG on.
run: DEBUG_FLAG := false
dev: DEBUG_FLAG := true
run dev: system-run venv messages
	@mkdir -p var
	$(EMBEDDED_ENV) $(PY) manage.py migrate --noinput
	$(EMBEDDED_ENV) $(PY) manage.py seed_demo
	@echo "Serving the portal on http://127.0.0.1:8000/ (DEBUG $(DEBUG_FLAG); Ctrl-C to stop)"
	$(EMBEDDED_ENV) DJANGO_DEBUG=$(DEBUG_FLAG) $(PY) manage.py runserver 127.0.0.1:8000

test: system-test venv services messages lint check
	$(TEST_ENV) $(PY) -m pytest

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: venv
	$(TEST_ENV) $(PY) manage.py check
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

messages: venv
	$(EMBEDDED_ENV) $(PY) manage.py compilemessages --ignore=.venv -v 0

# For developers: refresh the zh-hans catalogue after changing strings.
makemessages: venv
	$(EMBEDDED_ENV) $(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=static --ignore=var

system-run:
	@bash scripts/ensure_packages.sh $(RUN_PACKAGES)

system-test:
	@bash scripts/ensure_packages.sh $(TEST_PACKAGES)

services:
	@bash scripts/ensure_services.sh

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-demo.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -r requirements-dev.txt
	@touch $@

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache test-artifacts
