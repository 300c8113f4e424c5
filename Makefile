# Two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://root@127.0.0.1:5432/tawasul
PORT ?= 8000

.PHONY: demo test test-sqlite test-postgres lint format bench system-packages clean

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $(STAMP)

system-packages:
	@scripts/system-packages

demo: $(STAMP) system-packages
	PORT=$(PORT) $(BIN)/tawasul demo --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint system-packages test-sqlite test-postgres

test-sqlite: $(STAMP)
	TAWASUL_DATA_DIR=$(CURDIR)/var/test-sqlite $(BIN)/pytest -q

test-postgres: $(STAMP)
	@scripts/wait-for-postgres "$(PG_URL)"
	TAWASUL_DATA_DIR=$(CURDIR)/var/test-postgres DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
