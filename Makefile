# Digitaix: everyday commands. `make` alone lists them.
#
# Everything runs inside .venv, (re)built from pyproject.toml + constraints.txt only when
# one of them changes. With no environment variable set the app uses SQLite and runs Celery
# tasks eagerly; set DATABASE_URL / CELERY_BROKER_URL (or write them in .env) for PostgreSQL
# and Redis, as CI does.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
# Every core by default (pytest-xdist); any PYTEST_ARGS replaces it (e.g. one file, serially).
PYTEST_ARGS ?= -n auto

# python3.11, or python3 when it is 3.11 (pyproject.toml requires >=3.11,<3.12).
BOOT_PYTHON := $(shell command -v python3.11 2>/dev/null || \
	{ python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
	  && command -v python3; })

# Exit 0 when the catalogue has products, 3 when it is empty (any other code: a real error).
HAS_PRODUCTS := from oscar.core.loading import get_model; import sys; \
	sys.exit(0 if get_model('catalogue', 'Product').objects.exists() else 3)

.PHONY: help install .venv run test lint format messages worker beat bench clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_. -]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)

install .venv: $(STAMP) ## Create .venv and install the pinned dependencies (only when they change)

$(STAMP): pyproject.toml constraints.txt
	@if [ ! -x $(PY) ]; then \
		if [ -z "$(BOOT_PYTHON)" ]; then echo "Python 3.11 is needed (python3.11 or python3)" >&2; exit 1; fi; \
		echo "Creating $(VENV) with $(BOOT_PYTHON)"; \
		$(BOOT_PYTHON) -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

# DEBUG and media served by Django only here: the defaults stay production-safe.
run: export DJANGO_DEBUG := true
run: export DJANGO_SERVE_MEDIA := true
# The demo's staff sign in without a second factor (always asked in production).
run: export DIGITAIX_STAFF_SECOND_FACTOR := false
run: install ## Migrate, seed the demo town if the database is empty, serve on http://127.0.0.1:8000
	$(MANAGE) migrate --noinput
	@rc=0; $(MANAGE) shell --no-imports -c "$(HAS_PRODUCTS)" || rc=$$?; \
	if [ $$rc -eq 3 ]; then echo "Empty catalogue: seeding the demo town"; $(MANAGE) seed_town; \
	elif [ $$rc -ne 0 ]; then exit $$rc; \
	else echo "Catalogue already seeded: keeping it"; fi
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) runserver 127.0.0.1:8000

# Without DEBUG the portal refuses to start on no DJANGO_SECRET_KEY (or the demo's). Tests
# bring their own (tests/settings.py); the development tools below run with DEBUG unless the
# environment already says otherwise; the benchmark brings a throw-away key.
lint messages worker beat: export DJANGO_DEBUG ?= true
bench: export DJANGO_SECRET_KEY ?= bench-only-not-a-secret
bench: export DJANGO_SECURE_SSL_REDIRECT ?= false

test: install ## Run the test suite on every core (options: PYTEST_ARGS="-k shop -x")
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install ## ruff check, ruff format --check, the layers (lint-imports), no missing migration, the API schema
	@rc=0; \
	echo "+ ruff check ."; $(VENV)/bin/ruff check . || rc=1; \
	echo "+ ruff format --check ."; $(VENV)/bin/ruff format --check . || rc=1; \
	echo "+ lint-imports"; $(VENV)/bin/lint-imports --no-cache --no-logo || rc=1; \
	echo "+ manage.py makemigrations --check --dry-run"; \
	$(MANAGE) makemigrations --check --dry-run || rc=1; \
	echo "+ manage.py spectacular --validate --fail-on-warn (the API's OpenAPI schema)"; \
	$(MANAGE) spectacular --validate --fail-on-warn --file /dev/null || rc=1; \
	exit $$rc

format: install ## Fix what ruff can fix, then format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

I18N_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=media --ignore=bench

messages: install ## Mettre à jour et compiler les traductions (nécessite gettext)
	$(MANAGE) makemessages -l en $(I18N_IGNORE)
	$(MANAGE) compilemessages -l en $(I18N_IGNORE)

# Without a broker the web process runs tasks itself (eager): a worker would have nothing to do.
HAS_BROKER := from django.conf import settings; import sys; \
	sys.exit(0 if settings.CELERY_BROKER_URL else 1)
define need_broker
@$(MANAGE) shell --no-imports -c "$(HAS_BROKER)" || { echo "Set CELERY_BROKER_URL (environment or .env)," \
	"e.g. redis://127.0.0.1:6379/0" >&2; exit 1; }
endef

worker: install ## Run a Celery worker (needs CELERY_BROKER_URL)
	$(need_broker)
	$(VENV)/bin/celery -A digitaix worker -l info

beat: install ## Run Celery beat, the periodic-job scheduler (needs CELERY_BROKER_URL)
	$(need_broker)
	$(VENV)/bin/celery -A digitaix beat -l info --schedule $(VENV)/celerybeat-schedule

bench: install ## Load-test the reference town and 10x it (BENCH_SCALES="1 10") and the API, time a CSV import, a stock feed, a dispatch and the console at 10x, Lighthouse the public pages (PostgreSQL)
	for scale in $${BENCH_SCALES:-1 10}; do BENCH_SCALE=$$scale bash bench/run.sh || exit 1; done
	bash bench/lighthouse.sh
	$(PY) bench/csv_import.py --fresh-db
	$(PY) bench/dispatch.py --fresh-db
	$(PY) bench/console.py --fresh-db
	$(PY) bench/api_stock.py --fresh-db
	$(PY) bench/feed_pull.py --fresh-db

clean: ## Remove caches and build output (keeps .venv, db.sqlite3 and media/)
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache staticfiles *.egg-info build bench/results
