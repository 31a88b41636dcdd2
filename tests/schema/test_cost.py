"""The worst-case cost of a query: multiplied through the selection, computed before anything runs,
limited per role."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from graph.database import Database
from resolvers.context import Caller, Context
from schema import cost as cost_module
from schema.cost import operation_cost
from schema.root import build_schema
from tests.support import bearer, count_statements, http_client, load_fixture_graph
from tracegraph.access import Role
from tracegraph.app import create_app
from tracegraph.settings import Settings

SCHEMA = build_schema()


def _cost(query: str, list_size: int = 20, **variables: Any) -> int | None:
    return operation_cost(SCHEMA._schema, parse(query), variables=variables, list_size=list_size)


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
    # A malformed variable is execution's to refuse; it is costed as the default.
    assert _cost(query, n="ten") == (1 + 20) + (1 + 20)


def test_fragments_are_costed_once_and_multiplied_per_spread() -> None:
    one = "{ orders(first: 5) { nodes { ...O } } } fragment O on Order { batches { id } }"
    assert _cost(one) == 1 + 5 + 5 * 20
    lines = ["fragment F0 on Query { orders(first: 1) { totalCount } }"]
    lines += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 40)]
    doubling = "{ ...F39 }\n" + "\n".join(lines)
    calls = 0
    original = cost_module._Coster.fragment

    def counting(self: cost_module._Coster, name: str, page: int | None) -> int:
        nonlocal calls
        if (name, page) not in self.memo:
            calls += 1
        return original(self, name, page)

    cost_module._Coster.fragment = counting  # type: ignore[method-assign]
    try:
        assert _cost(doubling) == 2**39
    finally:
        cost_module._Coster.fragment = original  # type: ignore[method-assign]
    assert calls == 40  # each fragment walked once, not 2^39 times


def test_unions_add_up_their_branches() -> None:
    query = (
        '{ order(orderNumber: "X") { ... on Order { batches { id } } ... on NotFound { key } } }'
    )
    assert _cost(query) == 1 + 20


async def _run(db: Database, role: Role, query: str, **limits: Any) -> Any:
    settings = Settings.model_construct(**limits)
    return await build_schema(settings).execute(
        query, context_value=Context(db=db, principal=Caller(role=role, customer_id="C-1"))
    )


EXPENSIVE = "{ orders(first: 100) { nodes { batches { inputLots { supplier { id } } } } } }"
EXPENSIVE_COST = 1 + 100 + 2000 + 40000 + 40000


async def test_a_costly_query_is_refused_before_any_cypher(db: Database) -> None:
    limits = {"graphql_max_cost": 50_000, "graphql_max_cost_by_role": {"analyst": 100_000}}
    with count_statements() as sent:
        refused = await _run(db, Role.BUYER, EXPENSIVE, **limits)
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
    allowed = await _run(db, Role.ANALYST, EXPENSIVE, **limits)
    assert allowed.errors is None


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
