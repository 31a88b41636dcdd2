"""Every GraphQL limit answers with a stable extensions.code and a message for a person."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx2
import pytest
from neo4j import AsyncManagedTransaction

from graph.database import Database
from tests.support import bearer, fixture_graph, http_client
from tracegraph.app import create_app
from tracegraph.errors import QueryTimeoutError
from tracegraph.settings import Settings


@pytest.fixture
def client(neo4j_settings: Settings, db: Database) -> Iterator[httpx2.Client]:
    settings = neo4j_settings.model_copy(
        update={
            "graphql_max_depth": 5,
            "graphql_max_aliases": 3,
            "graphql_max_tokens": 60,
            "graphql_max_page_size": 5,
        }
    )
    with http_client(create_app(settings), bearer(settings)) as c:
        yield c


def _first_error(client: httpx2.Client, query: str) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": query}).json()
    assert body.get("errors"), body
    error: dict[str, Any] = body["errors"][0]
    assert error["message"]
    return error


def test_too_deep(client: httpx2.Client) -> None:
    query = "{ orders { nodes { batches { inputLots { supplier { lots { lotNumber } } } } } } }"
    error = _first_error(client, query)
    assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert "depth" in error["message"]


def test_too_many_aliases(client: httpx2.Client) -> None:
    query = "{ " + " ".join(f'a{i}: supplier(id: "S{i}") {{ __typename }}' for i in range(4)) + " }"
    assert _first_error(client, query)["extensions"]["code"] == "TOO_MANY_ALIASES"


def test_too_many_tokens(client: httpx2.Client) -> None:
    query = "{ suppliers { nodes { " + " ".join(["id"] * 80) + " } } }"
    assert _first_error(client, query)["extensions"]["code"] == "TOO_MANY_TOKENS"


def test_page_size_exceeded(client: httpx2.Client) -> None:
    error = _first_error(client, "{ suppliers(first: 6) { nodes { id } } }")
    assert error["extensions"]["code"] == "PAGE_SIZE_EXCEEDED"
    assert "at most 5" in error["message"]


def test_within_limits_answers(client: httpx2.Client) -> None:
    body = client.post("/graphql", json={"query": "{ suppliers(first: 5) { totalCount } }"}).json()
    assert body == {"data": {"suppliers": {"totalCount": 0}}}


async def test_transactions_past_their_timeout_are_query_timeout(db: Database) -> None:
    short = Database(db.driver, uri=db.uri, database=db.database, tx_timeout=1.0)
    query = fixture_graph("sleep_ten_seconds")

    async def sleep(tx: AsyncManagedTransaction) -> None:
        result = await tx.run(query.text)
        await result.consume()

    with pytest.raises(QueryTimeoutError) as caught:
        await short.read(sleep)
    assert caught.value.code == "QUERY_TIMEOUT"
