"""The order workflow's writes as transaction functions: one transaction each, idempotent, guarded.

Every write runs as one transaction function (retried whole by the driver on transient errors):

1. claim the idempotency key (``<user>:<client key>``; the resolver makes one up per request when
   the client sends none, so a driver retry still finds its own first attempt). A key already
   answered replays that answer and writes nothing; the same key with other input is a conflict.
2. lock the order, then check its state (and the version the client expected) under the lock, so
   two clients racing one transition end with one success and one ``invalid_transition``.
3. write the change, its status-history entry and an ``Event`` (who, role, when, before, after).
4. store the answer under the key.

Answers are plain JSON-able dicts with a ``kind``: moved, created, not_found, invalid_transition,
conflict. The resolver turns them into the GraphQL result union.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from neo4j import AsyncManagedTransaction
from neo4j.time import Date, DateTime

from graph import queries
from graph.vocabulary import STAGE_NAMES
from graph.workflow import STATUS_OF, TRANSITIONS, allowed_from

Answer = dict[str, Any]


@dataclass(frozen=True)
class Actor:
    user_id: str
    role: str
    scope: Mapping[str, Any]


@dataclass(frozen=True)
class WriteRequest:
    operation: str
    actor: Actor
    client_key: str
    # What the caller asked for, as given (fingerprinted for the idempotency check).
    arguments: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.actor.user_id}:{self.client_key}"

    @property
    def input_hash(self) -> str:
        canonical = json.dumps(
            {"operation": self.operation, "input": self.arguments}, sort_keys=True, default=str
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def _jsonable(value: Any) -> Any:
    if isinstance(value, DateTime | Date):
        return value.iso_format()
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


async def idempotent(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    work: Callable[[AsyncManagedTransaction], Awaitable[Answer]],
) -> Answer:
    """Run ``work`` once per idempotency key (see the module docstring), in ``tx``."""
    (claim,) = (
        await queries.write(
            tx,
            "orders.claim_key",
            key=request.key,
            operation=request.operation,
            input_hash=request.input_hash,
        )
    ).records
    if claim["answer"] is not None:
        if claim["operation"] != request.operation or claim["input_hash"] != request.input_hash:
            return {
                "kind": "conflict",
                "message": "this idempotency key was used for another request; use a new key"
                " for a new request",
                "current_version": None,
            }
        answer: Answer = json.loads(claim["answer"])
        return answer
    answer = _jsonable(await work(tx))
    await queries.write(tx, "orders.store_answer", key=request.key, answer=json.dumps(answer))
    return answer


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
    step = TRANSITIONS[request.operation]
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        locked = await queries.write(
            tx, "orders.lock_order", order_number=order_number, scope=actor.scope
        )
        if not locked.records:
            return {"kind": "not_found", "key": order_number, "what": "order"}
        state, version = locked.records[0]["state"], locked.records[0]["version"]
        if expected_version is not None and version != expected_version:
            return {
                "kind": "conflict",
                "message": f"order {order_number} changed since version {expected_version}"
                f" (it is at version {version}); read it again",
                "current_version": version,
            }
        if state not in step.sources:
            return {
                "kind": "invalid_transition",
                "from": state,
                "to": step.target,
                "allowed": allowed_from(state),
            }
        if supplier_id is not None:
            (found,) = await queries.read(
                tx, "orders.supplier_exists", supplier_id=supplier_id, scope=actor.scope
            )
            if not found["found"]:
                return {"kind": "not_found", "key": supplier_id, "what": "supplier"}
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
                stage_names=list(STAGE_NAMES) if request.operation == "assignSupplier" else [],
                note=note,
                user_id=actor.user_id,
                role=actor.role,
                operation=request.operation,
            )
        ).records
        if not moved["moved"]:  # cannot happen under the lock; answered honestly if it does
            return {
                "kind": "invalid_transition",
                "from": moved["before"],
                "to": step.target,
                "allowed": allowed_from(moved["before"]),
            }
        return {"kind": "moved", "order": moved["order"], "from": state, "to": step.target}

    return await idempotent(tx, request, work)


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
            return {"kind": "not_found", "key": customer_id, "what": "customer"}
        if row["taken"]:
            return {
                "kind": "conflict",
                "message": f"order number {order['order_number']} is taken; choose another",
                "current_version": None,
            }
        return {"kind": "created", "order": row["order"], "from": None, "to": "quote_requested"}

    return await idempotent(tx, request, work)


async def order_events(
    tx: AsyncManagedTransaction, *, order_number: str, scope: Mapping[str, Any]
) -> list[dict[str, Any]]:
    records = await queries.read(tx, "orders.order_events", order_number=order_number, scope=scope)
    return [dict(e) for e in records[0]["events"]] if records else []
