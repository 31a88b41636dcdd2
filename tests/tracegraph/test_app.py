from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx2
import pytest

from graph.database import Database
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.app import create_app
from tracegraph.settings import Settings, load_settings


@pytest.fixture
def client(neo4j_settings: Settings, db: Database) -> Iterator[httpx2.Client]:
    with http_client(create_app(neo4j_settings), bearer(neo4j_settings)) as c:
        yield c


def _down() -> Settings:
    return load_settings(
        env_file=None, neo4j_uri="bolt://127.0.0.1:1", neo4j_password="x", neo4j_retry_seconds=0
    )


def test_healthz_answers_without_the_database() -> None:
    with http_client(create_app(_down()), bearer(_down())) as c:
        assert c.get("/healthz").json() == {"status": "ok"}


def test_readyz_is_503_with_a_reason_when_neo4j_is_down() -> None:
    with http_client(create_app(_down()), bearer(_down())) as c:
        response = c.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert "not reachable" in body["reason"]
    assert "bolt://" not in body["reason"]  # the URI is the operator's, in the log


def test_readyz_is_ready_when_migrated(client: httpx2.Client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "ready"


def test_about_query_goes_through_named_cypher_to_neo4j(client: httpx2.Client) -> None:
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


def test_validation_errors_carry_a_stable_code(client: httpx2.Client) -> None:
    body = client.post("/graphql", json={"query": "{ nope }"}).json()
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def test_database_errors_are_typed_not_masked() -> None:
    with http_client(create_app(_down()), bearer(_down())) as c:
        body = c.post("/graphql", json={"query": "{ about { version } }"}).json()
    assert body["errors"][0]["extensions"]["code"] == "DATABASE_UNAVAILABLE"


def test_the_request_id_is_taken_from_the_caller_and_echoed(client: httpx2.Client) -> None:
    response = client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "req-abc-123"}
    )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "req-abc-123"
    # Without one, each request gets its own.
    ids = {client.get("/healthz").headers["x-request-id"] for _ in range(3)}
    assert len(ids) == 3


async def test_unexpected_errors_are_masked_and_logged_with_the_request_id(
    client: httpx2.Client, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await load_fixture_graph(db, "lot_with_unreadable_quantity")
    query = '{ lot(lotNumber: "LOT-BAD") { ... on MaterialLot { lotNumber quantity } } }'
    with caplog.at_level(logging.ERROR, logger="tracegraph.app"):
        response = client.post("/graphql", json={"query": query}, headers={"x-request-id": "r-42"})
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "INTERNAL_ERROR"
    assert error["message"] == "Internal error; quote request id r-42 when reporting it."
    assert "about a hundred" not in response.text
    logged = [r for r in caplog.records if r.getMessage() == "unexpected error in resolver"]
    assert len(logged) == 1
    assert logged[0].request_id == "r-42"  # type: ignore[attr-defined]
    assert logged[0].exc_info is not None
    assert "about a hundred" in str(logged[0].exc_info[1])
