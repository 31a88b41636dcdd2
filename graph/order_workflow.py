"""The order workflow's writes as transaction functions: one transaction each, idempotent, guarded.

Each runs under graph.writes.idempotent (its answer kept under the caller's idempotency key last):

1. lock the order, then check its state (and the version the client expected) under the lock, so
   two clients racing one transition end with one success and one ``invalid_transition``.
2. write the change, its status-history entry and an ``Event`` (who, role, when, before, after).

Answers (graph.writes): moved, created, or a shared failure kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neo4j import AsyncManagedTransaction

from graph import holds, queries
from graph.vocabulary import STAGE_NAMES
from graph.workflow import STATUS_OF, TRANSITIONS, Transition, allowed_from
from graph.writes import (
    Actor,
    Answer,
    WriteRequest,
    conflict,
    idempotent,
    invalid_transition,
    not_found,
)

LAST = len(STAGE_NAMES)  # the stage shipping completes


def unfinished_before_shipping(stages: Mapping[int, Mapping[str, Any]]) -> list[int]:
    """The stages before the last that are not completed: shipping must wait for them."""
    return [
        seq for seq, s in sorted(stages.items()) if seq < LAST and s.get("status") != "completed"
    ]


async def _order_stages(
    tx: AsyncManagedTransaction, order_number: str, scope: Mapping[str, Any]
) -> dict[int, dict[str, Any]]:
    records = await queries.read(tx, "orders.stages_of", order_number=order_number, scope=scope)
    return {r["sequence"]: dict(r) for r in records}


async def shipping_refusal(
    tx: AsyncManagedTransaction, order_number: str, scope: Mapping[str, Any], state: str | None
) -> Answer | None:
    """Why a locked order cannot ship yet (a stage before the last still open), if it cannot."""
    waiting = unfinished_before_shipping(await _order_stages(tx, order_number, scope))
    if not waiting:
        return None
    ship = TRANSITIONS["ship"]
    return invalid_transition(
        "order",
        state,
        ship.target,
        allowed_from(state),
        message=f"stage{'s' if len(waiting) > 1 else ''} {', '.join(map(str, waiting))} of order"
        f" {order_number} {'are' if len(waiting) > 1 else 'is'} not completed; an order ships"
        " once every stage before shipping is",
    )


async def _refusal(
    tx: AsyncManagedTransaction,
    actor: Actor,
    step: Transition,
    order_number: str,
    *,
    state: str | None,
    version: int,
    expected_version: int | None,
) -> Answer | None:
    """Why the locked order may not take ``step`` now, if it may not."""
    if expected_version is not None and version != expected_version:
        return conflict(
            f"order {order_number} changed since version {expected_version}"
            f" (it is at version {version}); read it again",
            version,
        )
    if state not in step.sources:
        return invalid_transition("order", state, step.target, allowed_from(state))
    if step.operation == "ship":
        # A hold first: it stops the order whatever its stages say.
        return await held_refusal(tx, actor, order_number, state) or await shipping_refusal(
            tx, order_number, actor.scope, state
        )
    return None


async def held_refusal(
    tx: AsyncManagedTransaction, actor: Actor, order_number: str, state: str | None
) -> Answer | None:
    """Why the locked order may not ship: the holds of lots upstream of its batches, if any.

    Every way of shipping asks it before writing anything (``ship``, and completing stage 8).
    """
    found = await holds.holds_of(tx, "order", order_number, actor.scope)
    if not found:
        return None
    ship = TRANSITIONS["ship"]
    return invalid_transition(
        "order",
        state,
        ship.target,
        [op for op in allowed_from(state) if op != ship.operation],
        message=holds.hold_refusal("order", order_number, found, "ship"),
    )


async def transition(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    order_number: str,
    expected_version: int | None = None,
    note: str | None = None,
    changes: Mapping[str, Any] | None = None,
    supplier_id: str | None = None,
) -> Answer:
    """Move an order by the workflow step ``request.operation`` (graph.workflow.TRANSITIONS)."""

    async def work(tx: AsyncManagedTransaction) -> Answer:
        return await move(
            tx,
            request.actor,
            request.operation,
            TRANSITIONS[request.operation],
            order_number=order_number,
            expected_version=expected_version,
            note=note,
            changes=changes,
            supplier_id=supplier_id,
        )

    return await idempotent(tx, request, work)


async def move(
    tx: AsyncManagedTransaction,
    actor: Actor,
    operation: str,
    step: Transition,
    *,
    order_number: str,
    expected_version: int | None = None,
    note: str | None = None,
    changes: Mapping[str, Any] | None = None,
    supplier_id: str | None = None,
) -> Answer:
    """Move an order by ``step`` inside a write run under its idempotency key.

    ``operation`` is what the status change and the event record: the step's own name, or the
    write that made the step happen (recordQcCheck moves an order back by failQc's step).
    """
    locked = await queries.write(
        tx, "orders.lock_order", order_number=order_number, scope=actor.scope
    )
    if not locked.records:
        return not_found("order", order_number)
    state, version = locked.records[0]["state"], locked.records[0]["version"]
    refused = await _refusal(
        tx,
        actor,
        step,
        order_number,
        state=state,
        version=version,
        expected_version=expected_version,
    )
    if refused is not None:
        return refused
    if supplier_id is not None:
        (found,) = await queries.read(
            tx, "orders.supplier_exists", supplier_id=supplier_id, scope=actor.scope
        )
        if not found["found"]:
            return not_found("supplier", supplier_id)
    status, production_status = STATUS_OF[step.target]
    (moved,) = (
        await queries.write(
            tx,
            "orders.transition",
            order_number=order_number,
            scope=actor.scope,
            sources=list(step.sources),
            target=step.target,
            status=status,
            production_status=production_status,
            changes=dict(changes or {}),
            supplier_id=supplier_id,
            stage_names=list(STAGE_NAMES) if step.operation == "assignSupplier" else [],
            complete_stage=LAST if step.operation == "ship" else None,
            note=note,
            user_id=actor.user_id,
            role=actor.role,
            operation=operation,
        )
    ).records
    if not moved["moved"]:  # cannot happen under the lock; answered honestly if it does
        return invalid_transition(
            "order", moved["before"], step.target, allowed_from(moved["before"])
        )
    return {"kind": "moved", "order": moved["order"], "from": state, "to": step.target}


async def create_order(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    customer_id: str,
    order: Mapping[str, Any],
    note: str | None = None,
) -> Answer:
    """A new order at ``quote_requested`` for a customer the caller may act for."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        (row,) = (
            await queries.write(
                tx,
                "orders.create_order",
                customer_id=customer_id,
                order=dict(order),
                claim=request.key,
                note=note,
                user_id=actor.user_id,
                role=actor.role,
                scope=actor.scope,
            )
        ).records
        if not row["customer_found"]:
            return not_found("customer", customer_id)
        if row["taken"]:
            return conflict(f"order number {order['order_number']} is taken; choose another")
        return {"kind": "created", "order": row["order"], "from": None, "to": "quote_requested"}

    return await idempotent(tx, request, work)


async def order_events(
    tx: AsyncManagedTransaction, *, order_number: str, scope: Mapping[str, Any]
) -> list[dict[str, Any]]:
    records = await queries.read(tx, "orders.order_events", order_number=order_number, scope=scope)
    return [dict(e) for e in records[0]["events"]] if records else []
