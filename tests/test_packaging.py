"""Files at the repository root that must stay in step with the code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from graph.server import NEO4J_VERSION
from schema.root import build_schema

ROOT = Path(__file__).resolve().parent.parent


def test_schema_graphql_is_the_exported_sdl() -> None:
    committed = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert committed == build_schema().as_str() + "\n", (
        "schema.graphql is stale: run `tracegraph schema export` and commit it"
    )


def test_docker_compose_pins_the_same_neo4j_with_apoc_and_a_healthcheck() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == f"neo4j:{NEO4J_VERSION}-community"
    assert "apoc" in neo4j["environment"]["NEO4J_PLUGINS"]
    assert "healthcheck" in neo4j
    api = compose["services"]["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert "neo4j" in compose["volumes"]


def test_cli_help_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tracegraph", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in ("serve", "db", "migrate"):
        assert command in out


def test_testcontainers_fixture_uses_the_pinned_image() -> None:
    # The Docker path cannot run on machines without an engine; at least keep it importable
    # without warnings (they are errors here) and on the pinned version.
    from testcontainers.community.neo4j import Neo4jContainer

    conftest = (ROOT / "tests" / "conftest.py").read_text()
    assert 'f"neo4j:{NEO4J_VERSION}-community"' in conftest
    assert Neo4jContainer.get_connection_url is not None
