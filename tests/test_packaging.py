"""Files at the repository root that must stay in step with the code."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
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
    from tests.conftest import TESTCONTAINERS_IMAGE

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["neo4j"]["image"] == TESTCONTAINERS_IMAGE
    assert f"neo4j:{NEO4J_VERSION}-community" == TESTCONTAINERS_IMAGE


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    """The wheel a user would install, built from this checkout."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("tracegraph-*.whl")
    return zipfile.ZipFile(built)


def test_the_wheel_ships_the_service_and_its_cypher_but_no_test_or_bench_code(
    wheel: zipfile.ZipFile,
) -> None:
    names = set(wheel.namelist())
    for package in ("tracegraph", "graph", "schema", "resolvers", "loaders", "cypher"):
        assert f"{package}/__init__.py" in names
    assert "cypher/traces/forward.cypher" in names
    assert "cypher/scope/visible.cypher" in names
    assert "tracegraph/docker-compose.yml" in names
    assert not [n for n in names if n.startswith(("tests/", "bench/"))]
    shipped = {n for n in names if n.endswith(".cypher")}
    in_checkout = {str(p.relative_to(ROOT)) for p in (ROOT / "cypher").rglob("*.cypher")}
    assert shipped == in_checkout


def test_the_wheel_declares_its_command_and_pins(wheel: zipfile.ZipFile) -> None:
    info = next(n for n in wheel.namelist() if n.endswith(".dist-info/METADATA"))
    metadata = wheel.read(info).decode()
    points = wheel.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert "tracegraph = tracegraph.cli:main" in points
    requires = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")]
    for pinned in ("neo4j", "strawberry-graphql", "graphql-core", "starlette", "pydantic"):
        line = next(r for r in requires if r.split()[1].startswith(pinned))
        assert "<" in line, f"{pinned} is not pinned: {line}"
