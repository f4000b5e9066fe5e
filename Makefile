# openlrs: `make run` serves the demo on SQLite; `make test` runs every check CI runs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck unit bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	mkdir -p var
	$(BIN)/openlrs migrate
	$(BIN)/openlrs demo
	$(BIN)/openlrs serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy src

test: lint typecheck
	$(BIN)/pytest -q -n 2 --dist loadfile

unit: install
	$(BIN)/pytest -q tests/unit

bench: install
	$(BIN)/python bench/register_and_lookup.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
