# Two commands do everything on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://root@127.0.0.1:5432/tawasul
PORT ?= 8000

# Compiled with mypyc at install (scripts/build_native.py); rebuilt when one of them changes.
NATIVE_SRC := tawasul/routing/model.py tawasul/routing/engine.py tawasul/sim/fast.py

.PHONY: demo test test-sqlite test-postgres lint audit format bench system-packages clean native pure

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml $(NATIVE_SRC) scripts/build_native.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	-$(BIN)/python scripts/build_native.py
	@touch $(STAMP)

native:  # rebuild the compiled modules now
	$(BIN)/python scripts/build_native.py

pure:  # remove the compiled modules: everything runs interpreted
	$(BIN)/python scripts/build_native.py --clean

system-packages:
	@scripts/system-packages

demo: $(STAMP) system-packages
	PORT=$(PORT) $(BIN)/tawasul demo --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

audit: $(STAMP)  # pip-audit of the pinned requirements and the installed packages
	@BIN=$(BIN) scripts/audit

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint audit system-packages  # then both suites side by side (scripts/test-suites)
	@MAKE="$(MAKE)" scripts/test-suites

test-sqlite: $(STAMP)
	TAWASUL_DATA_DIR=$(CURDIR)/var/test-sqlite $(BIN)/pytest -q

test-postgres: $(STAMP)
	@scripts/wait-for-postgres "$(PG_URL)"
	TAWASUL_DATA_DIR=$(CURDIR)/var/test-postgres DATABASE_URL=$(PG_URL) $(BIN)/pytest -q

bench: $(STAMP) system-packages  # SimPy (the simulator's peer) is a benchmark-only package
	$(BIN)/pip install --quiet -r requirements-bench.txt
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var
