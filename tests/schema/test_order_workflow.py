"""The order workflow's mutations against a real Neo4j: every (state, step, role), the race, the
idempotency keys, the records each write leaves, and nothing written when refused."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from graph.database import Database
from graph.workflow import STATUS_OF, TRANSITIONS, allowed_from
from resolvers.context import Caller, Context
from tests.schema.workflow_support import (
    CALLERS,
    SCHEMA,
    complete_stages,
    order_input,
    order_trail,
    run,
    set_lot_status,
    set_state,
)
from tests.support import bearer, http_client, load_fixture_graph
from tracegraph.access import Role, may
from tracegraph.app import create_app
from tracegraph.settings import Settings


@pytest.fixture
async def graph(db: Database) -> Database:
    await load_fixture_graph(db, "api_entities")
    await complete_stages(db)  # ORD-1 may ship from quality_check
    # The fixture's quarantined LOT-1 is upstream of ORD-1 and holds it at shipping
    # (tests/schema/test_holds.py); the workflow's own rules are tested here.
    await set_lot_status(db, "LOT-1", "released")
    return db


def test_every_workflow_step_is_a_mutation_and_a_write_of_the_access_table() -> None:
    assert SCHEMA._schema.mutation_type is not None
    fields = set(SCHEMA._schema.mutation_type.fields)
    assert {*TRANSITIONS, "createOrder"} <= fields
    from tracegraph.access import WRITES

    assert fields <= set(WRITES)


async def test_every_state_step_and_role(graph: Database) -> None:
    checked = 0
    for state in STATUS_OF:
        for operation, step in TRANSITIONS.items():
            for role, caller in CALLERS.items():
                await set_state(graph, state)
                await complete_stages(graph)  # what shipping waits for (test_stages tests it)
                before = await order_trail(graph)
                answer = await run(graph, caller, operation, order_input(operation))
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
                after = await order_trail(graph)
                assert after == before, case
    assert checked == len(STATUS_OF) * len(TRANSITIONS) * len(CALLERS)


async def test_a_walk_from_quote_to_completed_leaves_history_and_events(graph: Database) -> None:
    admin, buyer, supplier = CALLERS[Role.ADMIN], CALLERS[Role.BUYER], CALLERS[Role.SUPPLIER]
    created = await run(
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
    quality = CALLERS[Role.QUALITY]
    # Stage progress moves the order where the workflow says (startProduction on stage 1,
    # requestQc when stages 1-4 are done); the rest are the workflow's own mutations.
    steps: list[tuple[Caller, str, dict[str, Any]]] = [
        (admin, "provideQuote", {"supplierCost": 700.0}),
        (buyer, "acceptQuote", {}),
        (admin, "assignSupplier", {"supplierId": "SUP-001"}),
        (supplier, "updateStageProgress", {"sequence": 1, "completionPercentage": 50}),
        *(
            (supplier, "updateStageProgress", {"sequence": s, "completionPercentage": 100})
            for s in (1, 2, 3, 4)
        ),
        (quality, "failQc", {"note": "3 defects"}),
        (supplier, "requestQc", {}),
        *(
            (supplier, "updateStageProgress", {"sequence": s, "completionPercentage": 100})
            for s in (5, 6, 7)
        ),
        (supplier, "ship", {}),
        (buyer, "confirmDelivery", {}),
        (admin, "completeOrder", {}),
    ]
    for caller, operation, extra in steps:
        answer = await run(graph, caller, operation, order_input(operation, "ORD-NEW", **extra))
        assert answer["__typename"] in ("OrderChanged", "StageChanged"), (operation, answer)
    moves = [
        "createOrder",
        *(op for _, op, _ in steps if op != "updateStageProgress"),
        "startProduction",
        "requestQc",
    ]
    trail = await order_trail(graph, "ORD-NEW")
    assert trail["state"] == "completed"
    assert trail["version"] == len(moves)
    assert trail["stages"] == 8
    assert [s[1:3] for s in trail["stage_states"]] == [["completed", 100]] * 8
    assert trail["suppliers"] == ["SUP-001"]
    assert len(trail["changes"]) == len(moves)
    assert ["quality_check", "in_production", "U-Q", "3 defects"] in trail["changes"]
    assert [
        "assigned_to_supplier",
        "in_production",
        "U-SUP",
        "stage 1 (yarn_received) at 50%",
    ] in trail["changes"]
    assert sorted(e[0] for e in trail["events"]) == sorted(
        [*moves, *(op for _, op, _ in steps if op == "updateStageProgress")]
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
    assert len(history) == len(moves)


async def test_racing_clients_one_wins(graph: Database) -> None:
    await set_state(graph, "quality_check")
    supplier, production = CALLERS[Role.SUPPLIER], CALLERS[Role.PRODUCTION]
    before = len((await order_trail(graph))["changes"])
    answers = await asyncio.gather(
        *(run(graph, c, "ship", order_input("ship")) for c in [supplier, production] * 4)
    )
    kinds = sorted(a["__typename"] for a in answers)
    assert kinds == ["InvalidTransition"] * 7 + ["OrderChanged"]
    trail = await order_trail(graph)
    assert trail["state"] == "shipped"
    assert len(trail["changes"]) == before + 1


async def test_idempotency_keys_replay_and_refuse_other_input(graph: Database) -> None:
    await set_state(graph, "quote_requested")
    admin = CALLERS[Role.ADMIN]
    first = await run(
        graph, admin, "provideQuote", order_input("provideQuote", idempotencyKey="k1")
    )
    again = await run(
        graph, admin, "provideQuote", order_input("provideQuote", idempotencyKey="k1")
    )
    assert first["__typename"] == "OrderChanged"
    assert again == first  # the first answer, though the order has moved on
    trail = await order_trail(graph)
    assert len([e for e in trail["events"] if e[0] == "provideQuote"]) == 1
    other = await run(
        graph,
        admin,
        "provideQuote",
        order_input("provideQuote", idempotencyKey="k1", buyerPrice=5.0),
    )
    assert other["__typename"] == "Conflict"
    # Keys are per user: another user's "k1" is its own.
    other_admin = Caller(role=Role.ADMIN, user_id="U-OTHER")
    mine = await run(
        graph, other_admin, "acceptQuote", order_input("acceptQuote", idempotencyKey="k1")
    )
    assert mine["__typename"] == "OrderChanged"


async def test_expected_version_is_compare_and_set(graph: Database) -> None:
    await set_state(graph, "in_production")
    admin = CALLERS[Role.ADMIN]
    stale = await run(graph, admin, "reportDelay", order_input("reportDelay", expectedVersion=41))
    assert stale["__typename"] == "Conflict"
    assert stale["currentVersion"] == 0  # the fixture's order never moved through the API
    ok = await run(graph, admin, "reportDelay", order_input("reportDelay", expectedVersion=0))
    assert ok["order"]["version"] == 1


async def test_bad_input_names_the_field_and_writes_nothing(graph: Database) -> None:
    await set_state(graph, "quote_requested")
    before = await order_trail(graph)
    admin = CALLERS[Role.ADMIN]
    answer = await run(
        graph, admin, "provideQuote", order_input("provideQuote", buyerPrice=-1.0, note="x" * 3000)
    )
    assert answer["__typename"] == "ValidationFailed"
    paths = [e["path"] for e in answer["errors"]]
    assert ["input", "buyerPrice"] in paths
    assert ["input", "note"] in paths
    assert await order_trail(graph) == before
    created = await run(
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
    await set_state(graph, "quote_provided", "ORD-2")  # CUST-002's order
    hidden = await run(graph, buyer, "acceptQuote", order_input("acceptQuote", "ORD-2"))
    assert hidden == {"__typename": "NotFound", "message": "no order 'ORD-2'", "key": "ORD-2"}
    await set_state(graph, "assigned_to_supplier", "ORD-2")
    assert (await run(graph, supplier, "startProduction", order_input("startProduction", "ORD-2")))[
        "__typename"
    ] == "NotFound"
    other_customer = {
        "customerId": "CUST-002",
        "orderNumber": "ORD-X",
        "partNumber": "P",
        "quantity": 1,
        "dueDate": "2026-01-01",
    }
    assert (await run(graph, buyer, "createOrder", other_customer))["__typename"] == "NotFound"
    taken = {**other_customer, "customerId": "CUST-001", "orderNumber": "ORD-1"}
    answer = await run(graph, buyer, "createOrder", taken)
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
