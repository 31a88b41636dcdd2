from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from graph.database import Database
from tracegraph.app import create_app
from tracegraph.settings import Settings, load_settings


@pytest.fixture
def client(neo4j_settings: Settings, db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as c:
        yield c


def _down() -> Settings:
    return load_settings(
        env_file=None, neo4j_uri="bolt://127.0.0.1:1", neo4j_password="x", neo4j_retry_seconds=0
    )


def test_healthz_answers_without_the_database() -> None:
    with TestClient(create_app(_down())) as c:
        assert c.get("/healthz").json() == {"status": "ok"}


def test_readyz_is_503_with_a_reason_when_neo4j_is_down() -> None:
    with TestClient(create_app(_down())) as c:
        response = c.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert "bolt://127.0.0.1:1 is not reachable" in body["reason"]


def test_readyz_is_ready_when_migrated(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_about_query_goes_through_named_cypher_to_neo4j(client: TestClient) -> None:
    response = client.post(
        "/graphql",
        json={
            "query": "{ about { neo4jVersion neo4jEdition apocVersion"
            " migrationsApplied migrationsPending nodeCount } }"
        },
    )
    about = response.json()["data"]["about"]
    assert about["neo4jVersion"].startswith("5.")
    assert about["apocVersion"] is not None
    assert about["migrationsApplied"] >= 1
    assert about["migrationsPending"] == 0
    # Only migration bookkeeping is left in an emptied graph.
    assert about["nodeCount"] == about["migrationsApplied"]
    assert response.headers["x-request-id"]


def test_validation_errors_carry_a_stable_code(client: TestClient) -> None:
    body = client.post("/graphql", json={"query": "{ nope }"}).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_database_errors_are_typed_not_masked() -> None:
    with TestClient(create_app(_down())) as c:
        body = c.post("/graphql", json={"query": "{ about { version } }"}).json()
    assert body["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"
