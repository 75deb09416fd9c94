# Two commands for a newcomer: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := app:create_app

.PHONY: run test install install-dev db demo lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

db: install
	APP_ENV=development $(BIN)/flask db upgrade
	APP_ENV=development $(BIN)/flask search rebuild --if-missing

demo: db
	APP_ENV=development $(BIN)/flask demo seed
	APP_ENV=development $(BIN)/flask search rebuild

## Start the app on 127.0.0.1:5000 with SQLite and a Whoosh index under instance/, demo data loaded,
## and next to it the mail worker, which writes messages to instance/outbox/ (see /dev/mail).
run: demo
	APP_ENV=development $(BIN)/flask outbox deliver & worker=$$!; \
	trap 'kill $$worker' EXIT INT TERM; \
	APP_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

## Run the whole test suite (unit, HTTP, CLI, and end-to-end in headless Chromium).
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/pytest --cov --cov-report=term:skip-covered --cov-fail-under=80 $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
