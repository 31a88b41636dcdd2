# The two commands of the README. Both set everything up first (venv, dependencies; the local
# Neo4j is fetched from Maven Central on first use), so they work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck pytest sdl clean-db bench-postgres-deps

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

## bench-postgres-deps: PostgreSQL 15 (apt-get, as root) and asyncpg, for python -m bench.postgres
bench-postgres-deps: $(STAMP)
	test -x /usr/lib/postgresql/15/bin/initdb || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
