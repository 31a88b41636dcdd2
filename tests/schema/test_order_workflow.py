"""The order workflow's mutations against a real Neo4j: every (state, step, role), the race, the
idempotency keys, the records each write leaves, and nothing written when refused."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from graph import queries
from graph.database import Database
from graph.workflow import STATUS_OF, TRANSITIONS, allowed_from
from resolvers.context import Caller, Context
from schema.root import build_schema
from tests.ingest_support import QUERIES
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.access import Role, may
from tracegraph.app import create_app
from tracegraph.settings import Settings

SCHEMA = build_schema()
# ORD-1 of the fixture: placed by CUST-001, assigned to SUP-001.
CALLERS = {
    Role.ADMIN: Caller(role=Role.ADMIN, user_id="U-ADMIN"),
    Role.QUALITY: Caller(role=Role.QUALITY, user_id="U-Q"),
    Role.PRODUCTION: Caller(role=Role.PRODUCTION, user_id="U-P"),
    Role.BUYER: Caller(role=Role.BUYER, customer_id="CUST-001", user_id="U-BUYER"),
    Role.SUPPLIER: Caller(role=Role.SUPPLIER, supplier_id="SUP-001", user_id="U-SUP"),
    Role.ANALYST: Caller(role=Role.ANALYST, user_id="U-A"),
}
RESULT = """__typename
  ... on OrderChanged { from to order { orderNumber workflowStatus status productionStatus version
    buyerPrice } }
  ... on InvalidTransition { message from to allowed }
  ... on Forbidden { message operation role }
  ... on ValidationFailed { message errors { path message } }
  ... on Conflict { message currentVersion }
  ... on NotFound { message key }"""


def _input(operation: str, order: str = "ORD-1", **extra: Any) -> dict[str, Any]:
    given: dict[str, Any] = {"orderNumber": order, **extra}
    if operation == "provideQuote":
        given.setdefault("buyerPrice", 1200.0)
    if operation == "assignSupplier":
        given.setdefault("supplierId", "SUP-001")  # the one it has: the supplier's scope holds
    return given


async def _run(db: Database, caller: Caller, operation: str, given: dict[str, Any]) -> Any:
    declared = f"$input: {_input_type(operation)}!"
    query = f"mutation({declared}) {{ {operation}(input: $input) {{ {RESULT} }} }}"
    result = await SCHEMA.execute(
        query, variable_values={"input": given}, context_value=Context(db=db, principal=caller)
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data[operation]


def _input_type(operation: str) -> str:
    return {
        "provideQuote": "ProvideQuoteInput",
        "assignSupplier": "AssignSupplierInput",
        "createOrder": "CreateOrderInput",
    }.get(operation, "OrderStepInput")


async def _set_state(db: Database, state: str, order: str = "ORD-1") -> None:
    async def work(tx: Any) -> None:
        await queries.write(tx, QUERIES["set_order_state"], order_number=order, state=state)

    await db.write(work)


async def _trail(db: Database, order: str = "ORD-1") -> dict[str, Any]:
    async def work(tx: Any) -> dict[str, Any]:
        (row,) = await queries.read(tx, QUERIES["order_trail"], order_number=order)
        return dict(row)

    return await db.read(work)


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "api_entities")
    return db


def test_every_workflow_step_is_a_mutation_and_a_write_of_the_access_table() -> None:
    assert SCHEMA._schema.mutation_type is not None
    fields = set(SCHEMA._schema.mutation_type.fields)
    assert fields == {*TRANSITIONS, "createOrder", "recordQcCheck"}
    from tracegraph.access import WRITES

    assert set(fields) <= set(WRITES)


async def test_every_state_step_and_role(graph: Database) -> None:
    checked = 0
    for state in STATUS_OF:
        for operation, step in TRANSITIONS.items():
            for role, caller in CALLERS.items():
                await _set_state(graph, state)
                before = await _trail(graph)
                answer = await _run(graph, caller, operation, _input(operation))
                checked += 1
                case = (state, operation, role.value, answer)
                if not may(role, operation):
                    assert answer["__typename"] == "Forbidden", case
                    assert answer["operation"] == operation
                elif state in step.sources:
                    assert answer["__typename"] == "OrderChanged", case
                    assert (answer["from"], answer["to"]) == (state, step.target)
                    order = answer["order"]
                    assert order["workflowStatus"] == step.target
                    status, production = STATUS_OF[step.target]
                    assert order["status"] == status
                    if production is not None:
                        assert order["productionStatus"] == production
                    continue
                else:
                    assert answer["__typename"] == "InvalidTransition", case
                    assert answer["allowed"] == allowed_from(state)
                # Refused: nothing written.
                after = await _trail(graph)
                assert after == before, case
    assert checked == len(STATUS_OF) * len(TRANSITIONS) * len(CALLERS)


async def test_a_walk_from_quote_to_completed_leaves_history_and_events(graph: Database) -> None:
    admin, buyer, supplier = CALLERS[Role.ADMIN], CALLERS[Role.BUYER], CALLERS[Role.SUPPLIER]
    created = await _run(
        graph,
        buyer,
        "createOrder",
        {
            "customerId": "CUST-001",
            "orderNumber": "ORD-NEW",
            "partNumber": "PN-9",
            "quantity": 10,
            "dueDate": "2026-12-24",
            "note": "first",
        },
    )
    assert created["__typename"] == "OrderChanged"
    assert created["order"]["workflowStatus"] == "quote_requested"
    steps: list[tuple[Caller, str, dict[str, Any]]] = [
        (admin, "provideQuote", {"supplierCost": 700.0}),
        (buyer, "acceptQuote", {}),
        (admin, "assignSupplier", {"supplierId": "SUP-001"}),
        (supplier, "startProduction", {}),
        (supplier, "requestQc", {}),
        (CALLERS[Role.QUALITY], "failQc", {"note": "3 defects"}),
        (supplier, "requestQc", {}),
        (supplier, "ship", {}),
        (buyer, "confirmDelivery", {}),
        (admin, "completeOrder", {}),
    ]
    for caller, operation, extra in steps:
        answer = await _run(graph, caller, operation, _input(operation, "ORD-NEW", **extra))
        assert answer["__typename"] == "OrderChanged", (operation, answer)
    trail = await _trail(graph, "ORD-NEW")
    assert trail["state"] == "completed"
    assert trail["version"] == 1 + len(steps)
    assert trail["stages"] == 8
    assert trail["suppliers"] == ["SUP-001"]
    assert len(trail["changes"]) == 1 + len(steps)
    assert ["quality_check", "in_production", "U-Q", "3 defects"] in trail["changes"]
    assert sorted(e[0] for e in trail["events"]) == sorted(
        ["createOrder", *(op for _, op, _ in steps)]
    )
    assert ["confirmDelivery", "shipped", "delivered", "U-BUYER", "buyer"] in trail["events"]
    # The buyer sees its own price, never the supplier's cost.
    read = await SCHEMA.execute(
        '{ order(orderNumber: "ORD-NEW") { ... on Order { buyerPrice supplierCost'
        " statusHistory { toStatus } } } }",
        context_value=Context(db=graph, principal=buyer),
    )
    assert read.data is not None
    assert read.data["order"]["buyerPrice"] == 1200.0
    assert read.data["order"]["supplierCost"] is None
    history = [c["toStatus"] for c in read.data["order"]["statusHistory"]]
    assert history[0] == "completed"  # newest first
    assert history[-1] == "quote_requested"
    assert len(history) == 1 + len(steps)


async def test_racing_clients_one_wins(graph: Database) -> None:
    await _set_state(graph, "quality_check")
    supplier, production = CALLERS[Role.SUPPLIER], CALLERS[Role.PRODUCTION]
    before = len((await _trail(graph))["changes"])
    answers = await asyncio.gather(
        *(_run(graph, c, "ship", _input("ship")) for c in [supplier, production] * 4)
    )
    kinds = sorted(a["__typename"] for a in answers)
    assert kinds == ["InvalidTransition"] * 7 + ["OrderChanged"]
    trail = await _trail(graph)
    assert trail["state"] == "shipped"
    assert len(trail["changes"]) == before + 1


async def test_idempotency_keys_replay_and_refuse_other_input(graph: Database) -> None:
    await _set_state(graph, "quote_requested")
    admin = CALLERS[Role.ADMIN]
    first = await _run(graph, admin, "provideQuote", _input("provideQuote", idempotencyKey="k1"))
    again = await _run(graph, admin, "provideQuote", _input("provideQuote", idempotencyKey="k1"))
    assert first["__typename"] == "OrderChanged"
    assert again == first  # the first answer, though the order has moved on
    trail = await _trail(graph)
    assert len([e for e in trail["events"] if e[0] == "provideQuote"]) == 1
    other = await _run(
        graph, admin, "provideQuote", _input("provideQuote", idempotencyKey="k1", buyerPrice=5.0)
    )
    assert other["__typename"] == "Conflict"
    # Keys are per user: another user's "k1" is its own.
    other_admin = Caller(role=Role.ADMIN, user_id="U-OTHER")
    mine = await _run(graph, other_admin, "acceptQuote", _input("acceptQuote", idempotencyKey="k1"))
    assert mine["__typename"] == "OrderChanged"


async def test_expected_version_is_compare_and_set(graph: Database) -> None:
    await _set_state(graph, "in_production")
    admin = CALLERS[Role.ADMIN]
    stale = await _run(graph, admin, "reportDelay", _input("reportDelay", expectedVersion=41))
    assert stale["__typename"] == "Conflict"
    assert stale["currentVersion"] == 0  # the fixture's order never moved through the API
    ok = await _run(graph, admin, "reportDelay", _input("reportDelay", expectedVersion=0))
    assert ok["order"]["version"] == 1


async def test_bad_input_names_the_field_and_writes_nothing(graph: Database) -> None:
    await _set_state(graph, "quote_requested")
    before = await _trail(graph)
    admin = CALLERS[Role.ADMIN]
    answer = await _run(
        graph, admin, "provideQuote", _input("provideQuote", buyerPrice=-1.0, note="x" * 3000)
    )
    assert answer["__typename"] == "ValidationFailed"
    paths = [e["path"] for e in answer["errors"]]
    assert ["input", "buyerPrice"] in paths
    assert ["input", "note"] in paths
    assert await _trail(graph) == before
    created = await _run(
        graph,
        CALLERS[Role.BUYER],
        "createOrder",
        {
            "customerId": "CUST-001",
            "orderNumber": " ",
            "partNumber": "P",
            "quantity": 0,
            "dueDate": "2026-01-01",
        },
    )
    assert created["__typename"] == "ValidationFailed"
    assert {tuple(e["path"]) for e in created["errors"]} == {
        ("input", "orderNumber"),
        ("input", "quantity"),
    }


async def test_out_of_scope_is_not_found_and_numbers_are_unique(graph: Database) -> None:
    buyer, supplier = CALLERS[Role.BUYER], CALLERS[Role.SUPPLIER]
    await _set_state(graph, "quote_provided", "ORD-2")  # CUST-002's order
    hidden = await _run(graph, buyer, "acceptQuote", _input("acceptQuote", "ORD-2"))
    assert hidden == {"__typename": "NotFound", "message": "no order 'ORD-2'", "key": "ORD-2"}
    await _set_state(graph, "assigned_to_supplier", "ORD-2")
    assert (await _run(graph, supplier, "startProduction", _input("startProduction", "ORD-2")))[
        "__typename"
    ] == "NotFound"
    other_customer = {
        "customerId": "CUST-002",
        "orderNumber": "ORD-X",
        "partNumber": "P",
        "quantity": 1,
        "dueDate": "2026-01-01",
    }
    assert (await _run(graph, buyer, "createOrder", other_customer))["__typename"] == "NotFound"
    taken = {**other_customer, "customerId": "CUST-001", "orderNumber": "ORD-1"}
    answer = await _run(graph, buyer, "createOrder", taken)
    assert answer["__typename"] == "Conflict"
    assert "taken" in answer["message"]


def test_mutations_over_http_and_never_over_get(neo4j_settings: Settings, db: Database) -> None:
    query = (
        'mutation { createOrder(input: {customerId: "C", orderNumber: "O", partNumber: "P",'
        ' quantity: 1, dueDate: "2026-01-01"}) { __typename } }'
    )
    with http_client(create_app(neo4j_settings), bearer(neo4j_settings)) as client:
        posted = client.post("/graphql", json={"query": query}).json()
        assert posted == {"data": {"createOrder": {"__typename": "NotFound"}}}
        got = client.get("/graphql", params={"query": query})
        assert got.status_code in (400, 405)
        assert got.json()["errors"][0]["extensions"]["code"] != "INTERNAL_ERROR"
