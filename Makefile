# Trigger Designer: `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench lint install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Web server and a real Celery worker on the embedded defaults (SQLite + SQLAlchemy broker under
# var/); Ctrl-C stops both.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py create_demo
	@echo "Trigger Designer on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"
	@bash -c 'trap "kill 0" EXIT; \
	  $(BIN)/celery -A designer worker --loglevel=INFO --concurrency=2 & \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)'

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy designer connectors

clean:
	rm -rf $(VENV) var
