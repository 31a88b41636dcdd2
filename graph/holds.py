"""Quarantine and holds (issue 13 §1): quarantineLot, releaseLot, and the holds they cause.

A hold is derived when read (cypher/holds/holds.cypher), never stored downstream: a batch, serial
or order is on hold while any lot upstream of it is held (quarantined, on hold or rejected), so a
batch under two quarantined lots stays on hold until both are released, and a new CONSUMED link
under a quarantined lot is on hold the moment it commits. An open recall (graph.recall_campaign)
holds the roots of its scope the same way; its holds carry ``recall`` (its id).

The writes, one transaction function each under graph.writes.idempotent:

1. lock the lot and read its state under the lock (cypher/holds/quarantine.cypher);
2. refuse a lot not in a state the operation leaves from (``invalid_transition``);
3. quarantineLot only: lock the orders not yet shipped downstream of the lot, so a concurrent
   ship of one of them either committed first or reads the new hold (graph.order_workflow);
4. write the new status (guarded by the state read), the Quarantine node and an event.

What a hold blocks asks :func:`holds_of` inside its own write, after locking what it changes:
shipping an order (graph.order_workflow), and, with the shop-floor mutations, consuming a held lot
or batch and producing serials into a held batch (:func:`hold_refusal` words the refusal).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph import queries
from graph.entities import ReadModel, native
from graph.writes import Answer, WriteRequest, idempotent, invalid_transition, not_found

QUARANTINE = "quarantineLot"
RELEASE = "releaseLot"
# A lot's quarantine status from which each write leaves (null, on loaded lots, is released).
QUARANTINE_FROM = ("released", "on_hold")
RELEASE_FROM = ("quarantined", "on_hold")
# Orders downstream of a lot that a new quarantine must wait for (graph.workflow's states).
NOT_SHIPPED = (
    "quote_requested",
    "quote_provided",
    "quote_accepted",
    "assigned_to_supplier",
    "in_production",
    "delayed",
    "quality_check",
)

HeldKind = Literal["lot", "batch", "serial", "order"]


class HoldModel(ReadModel):
    """Why something is on hold: a lot upstream of it (or the lot itself) is quarantined."""

    lot: str | None = Field(
        default=None,
        description="The held lot; null when the caller may not read it (another supplier's lot"
        " under a shared batch).",
    )
    status: str | None = Field(
        default=None, description="The lot's quarantine status: quarantined, on_hold or rejected."
    )
    reason: str | None = Field(
        default=None,
        description="Why it was quarantined (quarantineLot); null for a lot loaded as held.",
    )
    since: dt.datetime | None = Field(default=None, description="When it was quarantined.")
    by: str | None = Field(default=None, description="Who quarantined it (user id).")
    recall: str | None = Field(
        default=None,
        description="The open recall that holds it (openRecall; status recalled), null for a"
        " quarantine.",
    )


def holds_query(kind: HeldKind) -> str:
    """The named query answering the holds of many ``kind`` keys (DataLoader shape)."""
    return f"holds.{kind}_holds"


async def holds_of(
    tx: AsyncManagedTransaction, kind: HeldKind, key: str, scope: Mapping[str, Any]
) -> list[HoldModel]:
    """The holds of one lot, batch, serial or order now (empty: not on hold).

    For a write that a hold blocks: call it after locking what the write changes, so the answer
    is the one the write commits against.
    """
    records = await queries.read(tx, holds_query(kind), keys=[key], scope=dict(scope))
    return [HoldModel.model_validate(native(item)) for r in records for item in r["items"]]


def describe(holds: Sequence[HoldModel]) -> str:
    """The holds in words, for a refusal: which lot, since when, by whom, why."""
    parts = []
    for hold in holds:
        lot = f"lot {hold.lot}" if hold.lot else "a lot you may not read"
        if hold.recall:
            lot = f"recall {hold.recall}" + (f" of lot {hold.lot}" if hold.lot else "")
        words = f"{lot} is {(hold.status or 'held').replace('_', ' ')}"
        if hold.since is not None:
            words += f" since {hold.since.isoformat()}"
        if hold.by:
            words += f" by {hold.by}"
        if hold.reason:
            words += f" ({hold.reason})"
        parts.append(words)
    return "; ".join(parts)


def hold_refusal(what: str, key: str, holds: Sequence[HoldModel], action: str) -> str:
    """The message of a refusal of ``action`` because ``what`` ``key`` is on hold."""
    until = (
        "the lot is released"
        if len(holds) == 1 and not holds[0].recall
        else "every one of those holds is released or closed"
    )
    return f"{what} {key} is on hold: {describe(holds)}; it may not {action} until {until}"


async def held_message(
    tx: AsyncManagedTransaction,
    kind: HeldKind,
    key: str,
    scope: Mapping[str, Any],
    action: str,
) -> str | None:
    """Why ``action`` on the ``kind`` ``key`` is refused because it is on hold, or None.

    For the writes a hold blocks, inside their transaction after their locks: consuming a held
    lot or batch (``held_message(tx, "lot" | "batch", key, actor.scope, "be consumed")``),
    producing serials into a held batch (``"batch"``, ``"take serials"``).
    """
    found = await holds_of(tx, kind, key, scope)
    return hold_refusal(kind, key, found, action) if found else None


async def quarantine_lot(
    tx: AsyncManagedTransaction, request: WriteRequest, *, lot_number: str, reason: str
) -> Answer:
    """Quarantine ``lot_number`` (see the module docstring); answers ``quarantined``."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        locked = await queries.write(tx, "holds.lock_lot", lot_number=lot_number, scope=actor.scope)
        if not locked.records:
            return not_found("lot", lot_number)
        state = locked.records[0]["state"] or "released"
        if state not in QUARANTINE_FROM:
            active = locked.records[0]["active"]
            return invalid_transition(
                "lot",
                state,
                "quarantined",
                [RELEASE] if state in RELEASE_FROM else [],
                message=f"lot {lot_number} is {state.replace('_', ' ')}"
                + (
                    f" since {native(active['since']).isoformat()} by {active['by']}"
                    f" ({active['reason']})"
                    if active
                    else ""
                )
                + (
                    "; release it first to quarantine it anew"
                    if state in RELEASE_FROM
                    else "; a rejected lot is neither quarantined nor released"
                ),
            )
        await queries.write(
            tx,
            "holds.lock_downstream_orders",
            lot_number=lot_number,
            open_states=list(NOT_SHIPPED),
        )
        written = (
            await queries.write(
                tx,
                "holds.quarantine",
                lot_number=lot_number,
                scope=actor.scope,
                sources=list(QUARANTINE_FROM),
                reason=reason,
                user_id=actor.user_id,
                role=actor.role,
                operation=QUARANTINE,
            )
        ).records
        if not written:  # cannot happen under the lock; answered honestly if it does
            return invalid_transition("lot", state, "quarantined", [])
        row = written[0]
        return {
            "kind": "quarantined",
            "lot": row["lot"],
            "quarantine": row["quarantine"],
            "from": row["before"] or "released",
            "to": "quarantined",
        }

    return await idempotent(tx, request, work)


async def release_lot(
    tx: AsyncManagedTransaction, request: WriteRequest, *, lot_number: str, note: str | None
) -> Answer:
    """Release ``lot_number`` from quarantine (or a loaded hold); answers ``released``."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        locked = await queries.write(tx, "holds.lock_lot", lot_number=lot_number, scope=actor.scope)
        if not locked.records:
            return not_found("lot", lot_number)
        state = locked.records[0]["state"] or "released"
        if state not in RELEASE_FROM:
            return invalid_transition(
                "lot",
                state,
                "released",
                [QUARANTINE] if state in QUARANTINE_FROM else [],
                message=f"lot {lot_number} is {state.replace('_', ' ')}; only a quarantined"
                " or on hold lot is released",
            )
        written = (
            await queries.write(
                tx,
                "holds.release",
                lot_number=lot_number,
                scope=actor.scope,
                sources=list(RELEASE_FROM),
                note=note,
                user_id=actor.user_id,
                role=actor.role,
                operation=RELEASE,
            )
        ).records
        if not written:  # cannot happen under the lock
            return invalid_transition("lot", state, "released", [])
        row = written[0]
        released = row["released"]
        return {
            "kind": "released",
            "lot": row["lot"],
            "quarantine": released[0] if released else None,
            "from": row["before"],
            "to": "released",
        }

    return await idempotent(tx, request, work)
