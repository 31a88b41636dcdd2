"""One error style on every transport, and no internals in any answer."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from typing import Any

import pytest
import websockets
from neo4j import exceptions as neo4j_errors
from websockets.typing import Subprotocol

from graph.database import Database, translate
from resolvers.context import Caller, Context, Role
from schema.root import build_schema
from tests.support import bearer, load_fixture_graph, serve_app
from tracegraph.app import create_app
from tracegraph.errors import DatabaseError, DatabaseUnavailableError, QueryTimeoutError
from tracegraph.settings import Settings, load_settings

BAD_LOT = '{ lot(lotNumber: "LOT-BAD") { ... on MaterialLot { lotNumber quantity } } }'
# What must never reach a client: the database's address and words, Cypher, our files.
INTERNALS = ("bolt://", "neo4j://", "Neo.", "MATCH ", "RETURN ", ".py", "/work", "Traceback")


def _no_internals(text: str) -> None:
    leaked = [word for word in INTERNALS if word in text]
    assert not leaked, f"{leaked} in {text[:400]}"


async def test_direct_execution_is_shaped_and_masked(db: Database) -> None:
    await load_fixture_graph(db, "lot_with_unreadable_quantity")
    result = await build_schema().execute(
        BAD_LOT, context_value=Context(db=db, principal=Caller(role=Role.ADMIN))
    )
    assert result.errors is not None
    (error,) = result.errors
    assert error.extensions == {"code": "INTERNAL_ERROR"}
    assert error.message.startswith("Internal error; quote request id")
    assert error.original_error is None
    _no_internals(json.dumps([e.formatted for e in result.errors]))


async def _over_websocket(url: str, query: str, settings: Settings) -> dict[str, Any]:
    protocol = Subprotocol("graphql-transport-ws")
    async with websockets.connect(
        url.replace("http://", "ws://") + "/graphql", subprotocols=[protocol]
    ) as ws:
        header = bearer(settings)["authorization"]
        await ws.send(json.dumps({"type": "connection_init", "payload": {"Authorization": header}}))
        assert json.loads(await ws.recv())["type"] == "connection_ack"
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query}}))
        message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.recv(), 10))
        return message


async def test_websocket_answers_are_shaped_and_masked(
    neo4j_settings: Settings, db: Database
) -> None:
    await load_fixture_graph(db, "lot_with_unreadable_quantity")
    with serve_app(create_app(neo4j_settings)) as url:
        internal = await _over_websocket(url, BAD_LOT, neo4j_settings)
        invalid = await _over_websocket(url, "{ nope }", neo4j_settings)
    assert internal["type"] == "next"
    (error,) = internal["payload"]["errors"]
    assert error["extensions"]["code"] == "INTERNAL_ERROR"
    assert error["message"].startswith("Internal error; quote request id")
    _no_internals(json.dumps(internal))
    assert invalid["type"] == "error"
    assert invalid["payload"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


def _post(url: str, query: str, settings: Settings) -> dict[str, Any]:
    request = urllib.request.Request(  # noqa: S310 - a loopback URL of ours
        url + "/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"content-type": "application/json", **bearer(settings)},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
        body = response.read().decode()
    _no_internals(body)
    answer: dict[str, Any] = json.loads(body)
    return answer


def _codes(answer: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in answer.get("errors", [])]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ nope }", "GRAPHQL_VALIDATION_FAILED"),
        ('{ orders(first: 5, after: "bm90LWEtY3Vyc29y") { totalCount } }', "INVALID_CURSOR"),
        ("{ orders(first: 1000) { totalCount } }", "PAGE_SIZE_EXCEEDED"),
        ("{ " + " ".join(f"a{i}: __typename" for i in range(40)) + " }", "TOO_MANY_ALIASES"),
        ("{ " + "x " * 3000 + "}", "TOO_MANY_TOKENS"),
        (
            "{ orders { nodes { batches { inputBatches { inputBatches { inputBatches {"
            " inputBatches { inputBatches { inputBatches { inputBatches { inputBatches {"
            " inputBatches { inputBatches { batchId } } } } } } } } } } } } } }",
            "QUERY_TOO_DEEP",
        ),
    ],
)
def test_client_mistakes_answer_their_code_over_http(
    neo4j_settings: Settings, db: Database, query: str, code: str
) -> None:
    with serve_app(create_app(neo4j_settings)) as url:
        assert _codes(_post(url, query, neo4j_settings)) == [code]


def test_database_down_and_timeouts_answer_codes_without_internals(
    neo4j_settings: Settings, db: Database
) -> None:
    down = load_settings(
        env_file=None, neo4j_uri="bolt://127.0.0.1:1", neo4j_password="x", neo4j_retry_seconds=0
    )
    with serve_app(create_app(down)) as url:
        assert _codes(_post(url, "{ about { version } }", down)) == ["DATABASE_UNAVAILABLE"]
    slow = neo4j_settings.model_copy(update={"neo4j_tx_timeout_seconds": 0.001})
    with serve_app(create_app(slow)) as url:
        query = '{ forwardTrace(from: {lotNumber: "LOT-X"}) { serialCount } }'
        assert _codes(_post(url, query, slow))[0] in {"QUERY_TIMEOUT", "NOT_FOUND"}


@pytest.mark.parametrize(
    ("error", "kind", "code"),
    [
        (neo4j_errors.AuthError("bad creds"), DatabaseUnavailableError, "DATABASE_UNAVAILABLE"),
        (neo4j_errors.ServiceUnavailable("gone"), DatabaseUnavailableError, "DATABASE_UNAVAILABLE"),
        (neo4j_errors.SessionExpired("expired"), DatabaseUnavailableError, "DATABASE_UNAVAILABLE"),
        (ConnectionRefusedError("refused"), DatabaseUnavailableError, "DATABASE_UNAVAILABLE"),
        (neo4j_errors.DriverError("driver"), DatabaseUnavailableError, "DATABASE_UNAVAILABLE"),
        (RuntimeError("odd"), DatabaseError, "DATABASE_ERROR"),
    ],
)
def test_translate_keeps_the_drivers_words_for_the_operator_only(
    error: Exception, kind: type, code: str
) -> None:
    translated = translate(error, uri="bolt://db.internal:7687")
    assert isinstance(translated, kind)
    assert translated.code == code
    _no_internals(str(translated))
    assert "db.internal" not in str(translated)
    assert translated.detail is not None
    assert "bolt://db.internal:7687" in translated.detail
    assert str(error) in translated.detail


def test_translate_timeouts_and_statement_errors() -> None:
    timeout = neo4j_errors.Neo4jError._hydrate_neo4j(  # the driver's own constructor
        code="Neo.ClientError.Transaction.TransactionTimedOut", message="timed out after 1s"
    )
    failed = neo4j_errors.Neo4jError._hydrate_neo4j(
        code="Neo.ClientError.Statement.SyntaxError", message="Invalid input 'MATCH (n'"
    )
    assert isinstance(translate(timeout, uri="bolt://x"), QueryTimeoutError)
    statement = translate(failed, uri="bolt://x")
    assert isinstance(statement, DatabaseError)
    _no_internals(str(statement))
    assert "Invalid input" in (statement.detail or "")


@pytest.mark.parametrize("env", ["dev", "prod"])
async def test_introspection_and_suggestions_follow_the_environment(env: str) -> None:
    settings = load_settings(env_file=None, tracegraph_env=env)
    schema = build_schema(settings)
    introspection = await schema.execute("{ __schema { queryType { name } } }")
    typo = await schema.execute('{ supplierz(id: "x") { __typename } }')
    assert typo.errors is not None
    if env == "dev":
        assert introspection.errors is None
        assert "Did you mean" in typo.errors[0].message
    else:
        assert introspection.errors is not None
        assert introspection.errors[0].extensions == {"code": "GRAPHQL_VALIDATION_FAILED"}
        assert "Did you mean" not in typo.errors[0].message
    overridden = build_schema(settings.model_copy(update={"graphql_introspection": True}))
    assert (await overridden.execute("{ __schema { queryType { name } } }")).errors is None
