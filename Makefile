# digitrade: `make run` serves the platform with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCALES := src/digitrade/web/locale
HOST ?= 127.0.0.1
PORT ?= 8000
export DIGITRADE_HOST ?= $(HOST)
export DIGITRADE_PORT ?= $(PORT)

NEWMAN := node_modules/.bin/newman

.PHONY: run test check bench setup catalogues lock clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) catalogues

catalogues: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d $(LOCALES) -D messages --statistics 2>/dev/null || $(BIN)/pybabel compile -d $(LOCALES) -D messages

## make run: migrate the embedded SQLite database, load the demo once, serve on HOST:PORT
## (without the local validation kit, the e-invoice rule packs come from their official sources)
run: setup
	$(BIN)/digitrade db upgrade
	@test -d ../shared/fixtures/einvoice || $(BIN)/digitrade einvoice rules fetch \
	  || echo "e-invoice rule packs not fetched (offline?): run 'digitrade einvoice rules fetch' later"
	$(BIN)/digitrade demo load
	$(BIN)/digitrade serve --host $(HOST) --port $(PORT)

## make test: the whole suite (browser tests drive the system Chromium; IATA's ONE Record
## unit tests run with newman, installed from package-lock.json)
test: setup browser $(NEWMAN)
	$(BIN)/python -m pytest

$(NEWMAN): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NEWMAN)

## make browser: Debian's Chromium for the browser tests, installed if missing
browser:
	@command -v chromium >/dev/null 2>&1 || ./scripts/install-chromium.sh

check: setup
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: setup
	$(BIN)/python benchmarks/run_all.py

## make lock: refresh constraints.txt from the current resolution
lock: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip freeze --exclude-editable | grep -v '^digitrade' > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache node_modules
