# Trigger Designer: `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test smoke bench lint install assets upgrade chromium clean

# The installer, uv, pinned and kept in its own environment (`uv sync` keeps .venv exactly to the
# lock, so it would remove itself from there).
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Install exactly the locked set (uv.lock); reinstall only when the lock or the project changes.
# --locked refuses a lock that no longer matches pyproject.toml instead of quietly re-resolving.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --python $(PYTHON) --quiet
	touch $(STAMP)

# Refresh the lock to the newest releases the ranges in pyproject.toml allow, then install them.
upgrade: | $(UV)
	$(UV) lock --upgrade --python $(PYTHON)
	$(UV) sync --locked --python $(PYTHON)
	touch $(STAMP)

# Front-end packages from npm (package-lock.json), copied into static/vendor/ and served from
# our own static files: Bootstrap, its icon font, and axe-core for the browser tests.
VENDOR := static/vendor
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR)
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/bootstrap-icons/fonts $(VENDOR)/axe-core
	cp node_modules/bootstrap/dist/css/bootstrap.min.css* \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js* $(VENDOR)/bootstrap/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css $(VENDOR)/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff* $(VENDOR)/bootstrap-icons/fonts/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe-core/
	touch $@

install: $(STAMP) $(VENDOR)/.installed

# The Swagger editor's code editor (CodeMirror 6), bundled by esbuild from frontend/editor.js.
# The minified bundle is committed: an install without npm serves it as it is; run this after
# changing frontend/ or the CodeMirror packages, and commit the result.
EDITOR_BUNDLE := static/js/editor.bundle.js
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

assets: node_modules/.package-lock.json
	node_modules/.bin/esbuild frontend/editor.js --bundle --minify --format=iife \
	  --target=es2020 --legal-comments=eof --outfile=$(EDITOR_BUNDLE)

# Web server and a real Celery worker on the embedded defaults (SQLite + SQLAlchemy broker under
# var/); Ctrl-C stops both.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py create_demo
	@echo "Trigger Designer on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"
	SITE_URL=http://$(HOST):$(PORT) $(BIN)/python manage.py run_app $(HOST):$(PORT)

# The production process set on this machine, DEBUG off: gunicorn with WhiteNoise's static
# files, a Celery worker and Celery beat (Procfile). Settings come from the environment
# (docs/deploy.md); SECRET_KEY is required and no demo user is created.
serve: install
	@test -n "$$SECRET_KEY" || { echo "make serve needs SECRET_KEY in the environment (docs/deploy.md)." >&2; exit 2; }
	DEBUG=false $(BIN)/python manage.py check --deploy
	DEBUG=false $(BIN)/python manage.py migrate --no-input
	DEBUG=false $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	DEBUG=false PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho --procfile Procfile start

# Browser tests drive Debian's chromium (never a downloaded browser): install it when missing
# and this machine allows it, else say what to do.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Debian's chromium: run 'sudo apt-get install chromium'." >&2; \
	    exit 1; \
	  fi; }

test: install chromium
	$(BIN)/python -m pytest

# The production smoke test: `make serve` on PostgreSQL and Redis (SMOKE_DATABASE_URL,
# SMOKE_REDIS_URL; local servers by default), driven by Chromium.
smoke: install chromium
	$(BIN)/python -m pytest -m smoke tests/smoke

# Every benchmark of bench/ (each writes its figures into bench/README.md).
bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/wizard_bench.py
	$(BIN)/python bench/report_bench.py
	$(BIN)/python bench/lint_bench.py
	$(BIN)/python bench/revision_bench.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy designer connectors

clean:
	rm -rf $(VENV) $(TOOLS) var
