"""The worst-case cost of a query: multiplied through the selection, computed before anything runs,
limited per role."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any
from unittest.mock import patch

import pytest
import websockets
from graphql import build_schema as build_graphql_schema
from graphql import parse
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from websockets.typing import Subprotocol

from graph.database import Database
from resolvers.context import Caller, Context
from schema import cost as cost_module
from schema import root
from schema.cost import CostLimit, operation_cost
from schema.root import build_schema
from tests.support import bearer, count_statements, http_client, load_fixture_graph, serve_app
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.settings import Settings

SCHEMA = build_schema()


def _cost(query: str, list_size: int = 20, **variables: Any) -> int | None:
    return operation_cost(SCHEMA._schema, parse(query), variables=variables, list_size=list_size)[0]


def test_connections_count_their_page_and_lists_their_assumed_size() -> None:
    assert _cost("{ about { nodeCount } }") == 1
    assert _cost("{ orders { totalCount } }") == 1  # the connection object alone
    assert _cost("{ orders(first: 7) { nodes { orderNumber } } }") == 1 + 7
    assert _cost("{ orders { nodes { orderNumber } } }") == 1 + 20  # first's default
    # nodes (7) * batches (list: 20 each) * inputLots (20 each) * supplier (1 each)
    nested = "{ orders(first: 7) { nodes { batches { inputLots { supplier { id } } } } } }"
    assert _cost(nested) == 1 + 7 + 7 * 20 + 7 * 20 * 20 + 7 * 20 * 20
    assert _cost(nested, list_size=3) == 1 + 7 + 7 * 3 + 7 * 9 + 7 * 9
    # A list of scalars is one value per parent.
    assert _cost("{ orders(first: 7) { nodes { stages { photoUrls } } } }") == 1 + 7 + 140 + 140


def test_variables_and_aliases_count() -> None:
    query = "query($n: Int!) { a: orders(first: $n) { nodes { id } } b: lots { nodes { id } } }"
    assert _cost(query, n=50) == (1 + 50) + (1 + 20)
    # A variable that does not coerce is refused by execution before anything runs: not costed.
    assert _cost(query, n="ten") is None


TRACE = '{ forwardTrace(from: {lotNumber: "L"}) { serials%s { items { serialNumber } } } }'


def test_a_variables_default_counts_like_its_value() -> None:
    # Execution reads $n = 10000 when no value is sent: so does the cost.
    query = "query($n: Int! = 10000) " + TRACE % "(first: $n)"
    assert _cost(query) == 1 + 1 + 10_000
    assert _cost(query, n=5) == 1 + 1 + 5
    assert _cost(TRACE % "") == 1 + 1 + 100  # the argument's own default


def test_a_subgraph_counts_its_limit() -> None:
    subgraph = (
        '{ forwardTrace(from: {lotNumber: "L"}) { subgraph%s'
        " { nodes { id } edges { source } truncated } } }"
    )
    assert _cost(subgraph % "(limit: 5000)") == 1 + 1 + 5000 + 5000
    assert _cost(subgraph % "") == 1 + 1 + 500 + 500  # the argument's default
    query = "query($l: Int!) " + subgraph % "(limit: $l)"
    assert _cost(query, l=3) == 1 + 1 + 3 + 3


def test_a_field_added_tomorrow_is_costed_by_its_own_arguments() -> None:
    # Not this schema: any list with a size argument of its own multiplies by it.
    sdl = (
        "type Query { items(first: Int = 3): [Item!]! one: Item }"
        " type Item { children: [Item!]! page(limit: Int! = 4): Page! }"
        " type Page { entries: [Item!]! total: Int! }"
    )
    schema = build_graphql_schema(sdl)

    def cost(query: str) -> int | None:
        return operation_cost(schema, parse(query), list_size=10)[0]

    assert cost("{ items { children { __typename } } }") == 3 + 3 * 10
    assert cost("{ items(first: 7) { page { total } } }") == 7 + 7
    assert cost("{ one { page(limit: 2) { entries { children { __typename } } } } }") == (
        1 + 1 + 2 + 2 * 10
    )


def _doubling(fragments: int) -> str:
    """Fragment n spreads fragment n-1 twice: 2^(n-1) spreads of F0 in a few hundred bytes."""
    lines = ["fragment F0 on Query { orders(first: 1) { totalCount } }"]
    lines += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, fragments)]
    return f"{{ ...F{fragments - 1} }}\n" + "\n".join(lines)


@contextmanager
def fragment_walks() -> Iterator[list[int]]:
    """Count the fragments the coster walks (a memo hit is not a walk)."""
    walks = [0]
    original = cost_module._Coster.fragment

    def counting(self: cost_module._Coster, name: str, page: int | None) -> int:
        if (name, page) not in self.memo:
            walks[0] += 1
        return original(self, name, page)

    with patch.object(cost_module._Coster, "fragment", counting):
        yield walks


def test_fragments_are_costed_once_and_multiplied_per_spread() -> None:
    one = "{ orders(first: 5) { nodes { ...O } } } fragment O on Order { batches { id } }"
    assert _cost(one) == 1 + 5 + 5 * 20
    with fragment_walks() as walks:
        assert _cost(_doubling(40)) == 2**39
    assert walks[0] == 40  # each fragment walked once, not 2^39 times


async def test_a_doubling_document_is_refused_after_one_walk_per_fragment() -> None:
    # The whole pipeline (parsing, every validation rule, the cost), no database needed: the
    # refusal comes before any resolver.
    with fragment_walks() as walks:
        result = await build_schema().execute(_doubling(23))
    assert result.data is None
    assert result.errors is not None
    assert [e.extensions for e in result.errors] == [
        {"code": "QUERY_TOO_COSTLY", "cost": 2**22, "limit": 200_000}
    ]
    assert walks[0] == 23


def test_unions_add_up_their_branches() -> None:
    query = (
        '{ order(orderNumber: "X") { ... on Order { batches { id } } ... on NotFound { key } } }'
    )
    assert _cost(query) == 1 + 20


async def _run(db: Database, role: Role, query: str, *, stock: bool = False, **limits: Any) -> Any:
    """``query`` as ``role``; ``stock``: on strawberry's own execution path, the one the schema
    falls back to when the fast paths' library internals change (schema.execution)."""
    settings = Settings.model_construct(**limits)
    with (
        patch.object(root, "execution_context_class", lambda: StrawberryGraphQLCoreExecutionContext)
        if stock
        else nullcontext()
    ):
        schema = build_schema(settings)
    assert (schema.execution_context_class is StrawberryGraphQLCoreExecutionContext) == stock
    return await schema.execute(
        query, context_value=Context(db=db, principal=Caller(role=role, customer_id="C-1"))
    )


EXPENSIVE = "{ orders(first: 100) { nodes { batches { inputLots { supplier { id } } } } } }"
EXPENSIVE_COST = 1 + 100 + 2000 + 40000 + 40000


@pytest.mark.parametrize("stock", [False, True], ids=["fast path", "stock path"])
async def test_a_costly_query_is_refused_before_any_cypher(db: Database, stock: bool) -> None:
    limits = {"graphql_max_cost": 50_000, "graphql_max_cost_by_role": {"analyst": 100_000}}
    with count_statements() as sent:
        refused = await _run(db, Role.BUYER, EXPENSIVE, stock=stock, **limits)
    assert sent[0] == 0
    assert refused.data is None
    (error,) = refused.errors
    assert error.extensions == {
        "code": "QUERY_TOO_COSTLY",
        "cost": EXPENSIVE_COST,
        "limit": 50_000,
    }
    assert "82,101" in error.message
    assert "buyer" in error.message
    # The analyst's own, higher limit lets the same query run.
    with count_statements() as sent:
        allowed = await _run(db, Role.ANALYST, EXPENSIVE, stock=stock, **limits)
    assert allowed.errors is None
    assert sent[0] > 0


async def _as(schema: Any, db: Database, query: str, **variables: Any) -> Any:
    return await schema.execute(
        query,
        variable_values=variables,
        context_value=Context(db=db, principal=Caller(role=Role.BUYER, customer_id="C-1")),
    )


def _known_costs(schema: Any) -> dict[Any, int]:
    (cost_limit,) = [e for e in schema.extensions if getattr(e, "func", None) is CostLimit]
    return dict(cost_limit.keywords["known"].entries)


async def test_a_cost_no_variable_changes_is_kept_by_its_text(db: Database) -> None:
    schema = build_schema(Settings.model_construct(graphql_max_cost=50_000))
    lookup = "query($n: String!) { order(orderNumber: $n) { ... on Order { batches { id } } } }"
    assert (await _as(schema, db, lookup, n="ORD-1")).errors is None
    assert _known_costs(schema) == {(lookup, None): 1 + 20}
    # A page size from a variable is costed with each request's value, never from the cache.
    paged = "query($n: Int!) { orders(first: $n) { nodes { batches { inputLots { id } } } } }"
    assert (await _as(schema, db, paged, n=5)).errors is None
    refused = await _as(schema, db, paged, n=200)
    assert refused.errors[0].extensions["cost"] == 1 + 200 + 200 * 20 + 200 * 20 * 20
    assert (paged, None) not in _known_costs(schema)


async def test_a_known_cost_over_the_limit_gives_the_variables_refusal(db: Database) -> None:
    schema = build_schema(Settings.model_construct(graphql_max_cost=50_000))
    costly = "query($after: String) { orders(first: 100, after: $after) { nodes {" + (
        " batches { inputLots { supplier { id } } } } } }"
    )
    first = await _as(schema, db, costly, after=None)
    assert first.errors[0].extensions["code"] == "QUERY_TOO_COSTLY"
    assert _known_costs(schema) == {(costly, None): EXPENSIVE_COST}
    # Variables that do not coerce are execution's to refuse, as without the cache.
    bad = await _as(schema, db, costly, after=5)
    assert bad.errors[0].extensions["code"] == "BAD_USER_INPUT"


def test_over_http_the_limit_is_the_roles(neo4j_settings: Settings, db: Database) -> None:
    settings = neo4j_settings.model_copy(
        update={"graphql_max_cost": 1000, "graphql_max_cost_by_role": {"admin": 100_000}}
    )
    query = {"query": "{ orders(first: 100) { nodes { batches { id } } } }"}  # 2101
    with http_client(create_app(settings)) as client:
        buyer = bearer(settings, Role.BUYER, customer="C-1")
        refused = client.post("/graphql", json=query, headers=buyer).json()
        assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
        assert refused["errors"][0]["extensions"]["cost"] == 2101
        admin = client.post("/graphql", json=query, headers=bearer(settings)).json()
        assert "errors" not in admin


@pytest.mark.parametrize(
    ("value", "problem"),
    [("admin=0", "at least 1"), ("boss=5", "unknown roles"), ("admin", "role=limit")],
)
def test_role_limits_setting_is_checked(value: str, problem: str) -> None:
    from tracegraph.errors import ConfigError
    from tracegraph.settings import load_settings

    with pytest.raises(ConfigError, match=problem):
        load_settings(env_file=None, graphql_max_cost_by_role=value)
    assert load_settings(
        env_file=None, graphql_max_cost_by_role="admin=5, analyst=7"
    ).graphql_max_cost_by_role == {"admin": 5, "analyst": 7}


async def test_normal_queries_fit_the_default_limits(db: Database) -> None:
    await load_fixture_graph(db, "api_entities")
    # The web app's heaviest planned screens: an order page with its genealogy, a lot page.
    for query in (
        EXPENSIVE,
        '{ lot(lotNumber: "LOT-1") { ... on MaterialLot { consumedBy { order { customer { id } }'
        " serials { serialNumber } issues { issueId } } } } }",
    ):
        result = await _run(db, Role.BUYER, query)
        assert not [e for e in result.errors or [] if e.extensions["code"] == "QUERY_TOO_COSTLY"]


async def test_over_a_websocket_too(neo4j_settings: Settings, db: Database) -> None:
    settings = neo4j_settings.model_copy(update={"graphql_max_cost": 1000})
    buyer = bearer(settings, Role.BUYER, customer="C-1")["authorization"]
    query = "{ orders(first: 100) { nodes { batches { id } } } }"  # 2101
    with serve_app(create_app(settings)) as url, count_statements() as sent:
        async with websockets.connect(
            url.replace("http://", "ws://") + "/graphql",
            subprotocols=[Subprotocol("graphql-transport-ws")],
        ) as ws:
            await ws.send(
                json.dumps({"type": "connection_init", "payload": {"Authorization": buyer}})
            )
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
            subscribe = {"id": "1", "type": "subscribe", "payload": {"query": query}}
            await ws.send(json.dumps(subscribe))
            answer = json.loads(await asyncio.wait_for(ws.recv(), 10))
    payload = answer["payload"]
    errors = payload if isinstance(payload, list) else payload["errors"]
    assert [e["extensions"] for e in errors] == [
        {"code": "QUERY_TOO_COSTLY", "cost": 2101, "limit": 1000}
    ]
    assert sent[0] == 0
