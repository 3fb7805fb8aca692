# Dangan — the two commands of the README, and the developer's others.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
SIZE ?= 300
BIN := $(VENV)/bin

.PHONY: demo test lint check bench venv venv-dev

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@ $(VENV)/.base-installed

venv: $(VENV)/.base-installed
venv-dev: $(VENV)/.dev-installed

## make demo: set up, migrate SQLite, load demo data, serve on http://127.0.0.1:$(PORT)
demo: venv
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py load_demo --size $(SIZE)
	@echo "平台地址: http://127.0.0.1:$(PORT)/"
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make test: install what the tests need, run the whole suite on SQLite and on PostgreSQL
test:
	bash scripts/test.sh

lint: venv-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

check: lint test

## make bench (small scale) · make bench SCALE=full (1,000,000 dossiers): results in bench/results/
SCALE ?= small
bench:
	bash scripts/bench.sh --scale $(SCALE)
