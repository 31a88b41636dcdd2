"""The served app asks who is calling: no token, no data, over HTTP and websockets alike; the
caller a token names is the scope every query runs with."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from typing import Any

import httpx2
import pytest
import websockets
from pydantic import SecretStr
from websockets.typing import Subprotocol

from graph.database import Database
from resolvers.context import Context
from schema.root import build_schema
from tests.support import bearer, http_client, load_fixture_graph, serve_app
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.errors import ConfigError
from tracegraph.settings import Settings, load_settings

ORDERS = '{"query": "{ orders { totalCount nodes { orderNumber } } }"}'


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "api_entities")
    return db


def _orders(client: httpx2.Client, headers: dict[str, str]) -> httpx2.Response:
    return client.post(
        "/graphql", content=ORDERS, headers={"content-type": "application/json", **headers}
    )


def test_no_token_no_data(neo4j_settings: Settings, graph: Database) -> None:
    with http_client(create_app(neo4j_settings)) as client:
        missing = _orders(client, {})
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"] == 'Bearer realm="tracegraph"'
        assert "data" not in missing.json()
        assert "Bearer" in missing.json()["message"]
        forged = _orders(client, {"authorization": "Bearer e30.e30.c2ln"})
        assert forged.status_code == 401
        assert 'error="invalid_token"' in forged.headers["www-authenticate"]
        # GET is a data path too.
        assert client.get("/graphql", params={"query": "{ __typename }"}).status_code == 401
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200


def test_a_token_made_with_another_secret_is_refused(
    neo4j_settings: Settings, graph: Database
) -> None:
    other = neo4j_settings.model_copy(update={"tracegraph_auth_secret": None})
    ours = neo4j_settings.model_copy(update={"tracegraph_auth_secret": SecretStr("s" * 40)})
    with http_client(create_app(ours)) as client:
        assert _orders(client, bearer(other)).status_code == 401
        assert _orders(client, bearer(ours)).status_code == 200


def test_the_tokens_role_and_tenant_scope_the_answer(
    neo4j_settings: Settings, graph: Database
) -> None:
    with http_client(create_app(neo4j_settings)) as client:
        admin = _orders(client, bearer(neo4j_settings)).json()["data"]["orders"]
        buyer = _orders(client, bearer(neo4j_settings, Role.BUYER, customer="CUST-002")).json()
        supplier = _orders(client, bearer(neo4j_settings, Role.SUPPLIER, supplier="SUP-001"))
    assert admin["totalCount"] == 2
    assert buyer["data"]["orders"] == {"totalCount": 1, "nodes": [{"orderNumber": "ORD-2"}]}
    assert supplier.json()["data"]["orders"] == {
        "totalCount": 1,
        "nodes": [{"orderNumber": "ORD-1"}],
    }


async def test_a_context_without_a_caller_fails_closed(graph: Database) -> None:
    result = await build_schema().execute(
        "{ orders { totalCount } }", context_value=Context(db=graph, principal=None)
    )
    assert result.data is None
    assert result.errors is not None
    assert [e.extensions["code"] for e in result.errors if e.extensions] == ["UNAUTHENTICATED"]


async def _ws(url: str, init: dict[str, Any]) -> tuple[str, Any]:
    """connection_init with ``init``; the first answer, or how the server closed."""
    async with websockets.connect(
        url.replace("http://", "ws://") + "/graphql",
        subprotocols=[Subprotocol("graphql-transport-ws")],
    ) as ws:
        await ws.send(json.dumps(init))
        try:
            ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
        except websockets.ConnectionClosed as closed:
            return "closed", closed.rcvd.code if closed.rcvd else None
        await ws.send(
            json.dumps(
                {"id": "1", "type": "subscribe", "payload": {"query": json.loads(ORDERS)["query"]}}
            )
        )
        return ack["type"], json.loads(await asyncio.wait_for(ws.recv(), 10))["payload"]


async def test_websockets_take_the_token_from_connection_init(
    neo4j_settings: Settings, graph: Database, caplog: pytest.LogCaptureFixture
) -> None:
    buyer = bearer(neo4j_settings, Role.BUYER, customer="CUST-002")["authorization"]
    with serve_app(create_app(neo4j_settings)) as url, caplog.at_level(logging.WARNING):
        assert await _ws(url, {"type": "connection_init"}) == ("closed", 4403)
        forged = {"type": "connection_init", "payload": {"Authorization": "Bearer x.y.z"}}
        assert await _ws(url, forged) == ("closed", 4403)
        init = {"type": "connection_init", "payload": {"Authorization": buyer}}
        kind, payload = await _ws(url, init)
    assert kind == "connection_ack"
    assert payload["data"]["orders"]["nodes"] == [{"orderNumber": "ORD-2"}]
    refused = [r for r in caplog.records if getattr(r, "event", None) == "auth_failed"]
    assert len(refused) == 2
    assert all("x.y.z" not in r.getMessage() + str(r.__dict__) for r in refused)


def test_graphiql_opens_signed_in_in_dev_only(neo4j_settings: Settings, graph: Database) -> None:
    with http_client(create_app(neo4j_settings)) as client:
        page = client.get("/graphiql")
        assert page.status_code == 200
        header = re.search(r"Bearer ([A-Za-z0-9_.-]+)", page.text)
        assert header is not None
        assert 'new URL("/graphql"' in page.text
        assert _orders(client, {"authorization": f"Bearer {header[1]}"}).status_code == 200
    prod = neo4j_settings.model_copy(
        update={
            "tracegraph_env": "prod",
            "tracegraph_auth_secret": SecretStr("p" * 40),
        }
    )
    with http_client(create_app(prod)) as client:
        assert client.get("/graphiql").status_code == 404


def test_prod_without_a_secret_does_not_start(neo4j_settings: Settings) -> None:
    prod = neo4j_settings.model_copy(
        update={"tracegraph_env": "prod", "tracegraph_auth_secret": None}
    )
    with pytest.raises(ConfigError, match="TRACEGRAPH_AUTH_SECRET"):
        create_app(prod)
    unprotected = neo4j_settings.model_copy(update={"tracegraph_auth_paths": ("/other",)})
    with pytest.raises(ConfigError, match="/graphql"):
        create_app(unprotected)


def _preflight(client: httpx2.Client, origin: str) -> httpx2.Response:
    return client.options(
        "/graphql",
        headers={
            "origin": origin,
            "access-control-request-method": "POST",
            "access-control-request-headers": "authorization, content-type",
        },
    )


def test_cors_allows_only_the_listed_origins(neo4j_settings: Settings, graph: Database) -> None:
    with http_client(create_app(neo4j_settings)) as client:
        assert "access-control-allow-origin" not in _preflight(client, "https://app.test").headers
    listed = neo4j_settings.model_copy(update={"tracegraph_cors_origins": ("https://app.test",)})
    with http_client(create_app(listed)) as client:
        allowed = _preflight(client, "https://app.test")
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://app.test"
        other = _preflight(client, "https://evil.test")
        assert other.headers.get("access-control-allow-origin") != "https://evil.test"
        answer = client.post(
            "/graphql",
            content=ORDERS,
            headers={
                "content-type": "application/json",
                "origin": "https://app.test",
                **bearer(listed),
            },
        )
        assert answer.headers["access-control-allow-origin"] == "https://app.test"


def test_cors_origins_must_be_origins() -> None:
    with pytest.raises(ConfigError, match="TRACEGRAPH_CORS_ORIGINS"):
        load_settings(env_file=None, tracegraph_cors_origins="https://a.test/path")
    assert load_settings(
        env_file=None, tracegraph_cors_origins="https://a.test, http://127.0.0.1:5173"
    ).tracegraph_cors_origins == ("https://a.test", "http://127.0.0.1:5173")
