# 智执 — the two commands: `make demo` and `make test`. `make check` runs the checks without setup.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
RUN := $(UV) run --frozen
PYTEST_ARGS ?=

.PHONY: help demo test check setup system python assets messages lint types contracts migrations-check \
        test-sqlite test-postgres bench-small serve clean

help:
	@echo "make demo   — set up and serve the platform on SQLite with demo data"
	@echo "make test   — set up, then lint, types, contracts, the whole suite on SQLite and PostgreSQL, the benchmark table"
	@echo "make check  — what 'make test' runs, without the setup"

# --- setup ------------------------------------------------------------------------------------
setup: system python assets messages

system:
	@scripts/setup-system.sh

python:
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

assets: node_modules/.package-lock.json
	@scripts/vendor-assets.sh

messages:
	@cd zhixing && $(RUN) django-admin compilemessages --ignore=.venv -v 0

# --- the two commands -------------------------------------------------------------------------
demo: setup
	$(RUN) zhixing demo

test: setup check bench-small

check: lint types contracts migrations-check test-sqlite test-postgres

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .

types:
	$(RUN) mypy zhixing tests conftest.py

contracts:
	$(RUN) lint-imports

migrations-check:
	DATABASE_URL=sqlite:///:memory: $(RUN) python manage.py makemigrations --check --dry-run

test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(RUN) pytest $(PYTEST_ARGS)

test-postgres:
	@echo "== test suite on PostgreSQL =="
	scripts/with-postgres.sh $(RUN) pytest $(PYTEST_ARGS)

bench-small:
	@echo "== benchmarks at their small sizes (a table of ratios against baselines of the same run) =="
	env -u DATABASE_URL $(RUN) zhixing bench

serve:
	$(RUN) zhixing serve

clean:
	rm -rf var/ zhixing/web/static/vendor/ node_modules/
