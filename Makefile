# The two commands of the README. Both set everything up first (venv, dependencies; the local
# Neo4j is fetched from Maven Central on first use), so they work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck pytest sdl clean-db

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

## run: local Neo4j (unless NEO4J_URI points elsewhere), migrations, demo data, GraphQL on :8000
run: $(STAMP)
	$(BIN)/tracegraph demo

## test: ruff, mypy --strict, then the whole pytest suite against a real Neo4j
test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

sdl: $(STAMP)
	$(BIN)/tracegraph schema export
