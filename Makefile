# openlrs: `make run` serves the demo on SQLite; `make test` runs every check CI runs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint typecheck unit bench clean assets chromium promtool slo-check wheel

# GOV.UK Frontend from npm (package-lock.json pins it), copied into the portal; no CDN.
PORTAL_STATIC := src/openlrs/portal/static
$(PORTAL_STATIC)/.built: package.json package-lock.json
	npm ci --no-audit --no-fund
	mkdir -p $(PORTAL_STATIC)
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(PORTAL_STATIC)/
	rm -rf $(PORTAL_STATIC)/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets $(PORTAL_STATIC)/assets
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python $(PORTAL_STATIC)/.built   # the build hook packs the assets
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,audit]'
	touch $(STAMP)

install: $(STAMP)

assets: $(PORTAL_STATIC)/.built

# The browser tests drive Debian's Chromium (never a downloaded browser).
chromium:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# Service levels as code: promtool (Debian's prometheus package) checks the rules and runs their
# unit tests; the rules file is generated from tools/slo_rules.py and must match it.
promtool:
	command -v promtool >/dev/null || (apt-get update && apt-get install -y --no-install-recommends prometheus)

slo-check: promtool install
	$(BIN)/python tools/slo_rules.py --check
	promtool check rules deploy/prometheus/openlrs-slo.rules.yml
	promtool test rules deploy/prometheus/tests/*.test.yml

# The release: an sdist and a wheel in dist/, with the portal's assets (setup.py copies them from
# node_modules and refuses to build without them) and the migrations.
wheel: install assets
	$(BIN)/python -m build --no-isolation --outdir dist .  # build and setuptools come with [dev]

run: install assets
	mkdir -p var
	$(BIN)/openlrs migrate
	$(BIN)/openlrs demo
	$(BIN)/openlrs serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/lint-imports
	$(BIN)/python tools/check_private_names.py src tests bench   # nothing private of another package

typecheck: install
	$(BIN)/mypy src

test: lint typecheck assets chromium slo-check
	$(BIN)/pytest -q -n 2 --dist worksteal

unit: install
	$(BIN)/pytest -q tests/unit

bench: install
	$(BIN)/python bench/register_and_lookup.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
