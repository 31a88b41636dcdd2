"""What the mutation tests share: callers of every role, one way to run a mutation, and direct
writes that put an order or a stage into any state to start from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph import queries
from graph.database import Database
from graph.stages import stage_status
from resolvers.context import Caller, Context
from schema.root import build_schema
from tests.ingest_support import QUERIES
from tracegraph.access import Role

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
FAILURES = """__typename
  ... on InvalidTransition { message from to allowed }
  ... on Forbidden { message operation role }
  ... on ValidationFailed { message errors { path message } }
  ... on Conflict { message currentVersion }
  ... on NotFound { message key }"""
ORDER_CHANGED = """... on OrderChanged { from to
  order { orderNumber workflowStatus status productionStatus version buyerPrice } }"""
# The success payload of each mutation that answers another one than OrderChanged.
SUCCESS = {
    "updateStageProgress": """... on StageChanged { orderFrom orderTo reopened
    stage { sequence status delayed completionPercentage startedAt completedAt notes photoUrls }
    order { orderNumber workflowStatus currentStage version } }""",
}


def order_input(operation: str, order: str = "ORD-1", **extra: Any) -> dict[str, Any]:
    given: dict[str, Any] = {"orderNumber": order, **extra}
    if operation == "provideQuote":
        given.setdefault("buyerPrice", 1200.0)
    if operation == "assignSupplier":
        given.setdefault("supplierId", "SUP-001")  # the one it has: the supplier's scope holds
    return given


async def run(db: Database, caller: Caller, operation: str, given: dict[str, Any]) -> Any:
    declared = f"$input: {input_type(operation)}!"
    selection = f"{FAILURES} {SUCCESS.get(operation, ORDER_CHANGED)}"
    query = f"mutation({declared}) {{ {operation}(input: $input) {{ {selection} }} }}"
    result = await SCHEMA.execute(
        query, variable_values={"input": given}, context_value=Context(db=db, principal=caller)
    )
    assert result.errors is None, result.errors
    assert result.data is not None
    return result.data[operation]


def input_type(operation: str) -> str:
    return {
        "updateStageProgress": "UpdateStageProgressInput",
        "provideQuote": "ProvideQuoteInput",
        "assignSupplier": "AssignSupplierInput",
        "createOrder": "CreateOrderInput",
    }.get(operation, "OrderStepInput")


async def set_state(db: Database, state: str, order: str = "ORD-1") -> None:
    async def work(tx: Any) -> None:
        await queries.write(tx, QUERIES["set_order_state"], order_number=order, state=state)

    await db.write(work)


async def set_lot_status(db: Database, lot_number: str, status: str) -> None:
    async def work(tx: Any) -> None:
        await queries.write(tx, QUERIES["set_lot_status"], lot_number=lot_number, status=status)

    await db.write(work)


async def order_trail(db: Database, order: str = "ORD-1") -> dict[str, Any]:
    async def work(tx: Any) -> dict[str, Any]:
        (row,) = await queries.read(tx, QUERIES["order_trail"], order_number=order)
        return dict(row)

    return await db.read(work)


async def complete_stages(db: Database, order: str = "ORD-1") -> None:
    """Complete every stage before the last, whichever the order has."""

    async def work(tx: Any) -> None:
        await queries.write(tx, QUERIES["complete_stages"], order_number=order, before=8)

    await db.write(work)


async def set_stage(
    db: Database,
    order: str,
    sequence: int,
    percentage: int,
    target_date: dt.date | None = None,
) -> None:
    """Put a stage at ``percentage`` directly, its status as the rules derive it."""
    status = stage_status(percentage)

    async def work(tx: Any) -> None:
        await queries.write(
            tx,
            QUERIES["set_stage"],
            order_number=order,
            sequence=sequence,
            percentage=percentage,
            status=status,
            target_date=target_date,
        )

    await db.write(work)
