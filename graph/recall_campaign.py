"""Recall campaigns (issue 13 §2): openRecall, markCustomerNotified, recordRecovery, closeRecall.

``openRecall`` reads the scope's preview (graph.recall) inside its own write transaction and
refuses, writing nothing, when a lot or batch the scope names is unknown to the caller, or the
scope reaches nothing. It then locks the orders not yet shipped that the recall touches (as
quarantineLot, so a concurrent ship either committed first or reads the hold) and writes the
recall: HOLDS links to the roots of its scope (the lots, the batches or the range's serials),
from which cypher/holds/holds.cypher derives the holds downstream, with the recall as their
cause, while it is open; a NOTIFIES link to each customer of the preview; an event.

The other writes lock the recall, read its state under the lock, refuse a recall not open
(``invalid_transition``) and write guarded by that state (``WHERE r.status = 'open'``).
``closeRecall`` refuses while a customer is not notified, naming each one (``pending``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph import queries
from graph.entities import ReadModel, native
from graph.holds import NOT_SHIPPED
from graph.recall import RecallScope, preview
from graph.writes import Answer, WriteRequest, idempotent, invalid_transition, not_found
from tracegraph.errors import NotFoundError

OPEN = "openRecall"
NOTIFY = "markCustomerNotified"
RECOVER = "recordRecovery"
CLOSE = "closeRecall"
CLASSIFICATIONS = ("class_i", "class_ii", "class_iii")


class RecallNotice(ReadModel):
    """A customer of a recall to notify, and whether it was."""

    customer_id: str = Field(description="The customer.")
    name: str | None = Field(default=None, description="Its name.")
    notified: bool = Field(description="Whether it was notified (markCustomerNotified).")
    notified_at: dt.datetime | None = Field(default=None, description="When.")
    notified_by: str | None = Field(default=None, description="By whom (user id).")
    note: str | None = Field(default=None, description="How, for the audit trail.")


class RecallModel(ReadModel):
    """A recall campaign: its scope, status (open -> closed), customers to notify, recovery."""

    id: str = Field(description="The recall key (RC-<n>).")
    status: str = Field(description="open or closed; an open recall holds its scope.")
    reason: str = Field(description="Why it was opened.")
    classification: str = Field(description="class_i, class_ii or class_iii (severity).")
    opened_at: dt.datetime = Field(description="When it was opened.")
    opened_by: str = Field(description="Who opened it (user id).")
    closed_at: dt.datetime | None = Field(default=None, description="When it was closed.")
    closed_by: str | None = Field(default=None, description="Who closed it.")
    close_note: str | None = Field(default=None, description="The note given when closing.")
    units_recovered: int = Field(description="Units recovered so far (recordRecovery).")
    lot_numbers: list[str] | None = Field(default=None, description="Scope: lots given.")
    batch_ids: list[str] | None = Field(default=None, description="Scope: batches given.")
    serial_from: str | None = Field(default=None, description="Scope: first serial of a range.")
    serial_to: str | None = Field(default=None, description="Scope: last serial of the range.")
    supplier_id: str | None = Field(default=None, description="Scope: a supplier's lots.")
    received_from: dt.date | None = Field(default=None, description="Scope: received from.")
    received_to: dt.date | None = Field(default=None, description="Scope: received to.")
    include_unbalanced: bool = Field(
        default=False, description="Scope: widened to lots whose mass balance does not close."
    )
    roots: list[str] = Field(
        description="What it holds while open: the lots, batches or serials of its scope."
    )
    customers: list[RecallNotice] = Field(
        description="The customers to notify (those of the preview when it was opened), as the"
        " caller may read them."
    )

    def scope(self) -> RecallScope:
        """The scope it was opened with (for its preview now)."""
        return RecallScope(
            lot_numbers=self.lot_numbers,
            batch_ids=self.batch_ids,
            serial_from=self.serial_from,
            serial_to=self.serial_to,
            supplier_id=self.supplier_id,
            received_from=self.received_from,
            received_to=self.received_to,
            include_unbalanced=self.include_unbalanced,
        )


def _changed(row: Any, before: str | None, after: str) -> Answer:
    return {"kind": "recall_changed", "recall": dict(row), "from": before, "to": after}


def _given(scope: RecallScope) -> dict[str, Any]:
    """The scope's fields to store on the recall (null ones left out)."""
    given = {**scope.params, "include_unbalanced": scope.include_unbalanced}
    return {k: v for k, v in given.items() if v is not None}


async def open_recall(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    scope: RecallScope,
    reason: str,
    classification: str,
    tolerance_percent: float,
) -> Answer:
    """Open a recall of ``scope`` (see the module docstring); answers ``recall_changed``."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        try:
            touched = await preview(tx, scope, dict(actor.scope), tolerance_percent)
        except NotFoundError:
            return not_found("supplier", scope.supplier_id or "")
        named = scope.lot_numbers or scope.batch_ids
        if named is not None:
            missing = [key for key in dict.fromkeys(named) if key not in touched.found]
            if missing:
                return not_found("lot" if scope.lot_numbers else "batch", ", ".join(missing))
        if not touched.found and not touched.serial_numbers:
            if scope.serial_from:
                return not_found("serial range", f"{scope.serial_from}..{scope.serial_to}")
            return not_found("lots of supplier", scope.supplier_id or "")
        lots = [*touched.found, *(lot.lot_number for lot in touched.widened_by)]
        await queries.write(
            tx,
            "recall.lock_orders",
            order_numbers=[o.order_number for o in touched.orders if not o.shipped],
            open_states=list(NOT_SHIPPED),
        )
        (row,) = (
            await queries.write(
                tx,
                "recall.open",
                scope_given=_given(scope),
                lot_numbers=lots if scope.batch_ids is None and not scope.serial_from else [],
                batch_ids=touched.found if scope.batch_ids is not None else [],
                serial_numbers=touched.serial_numbers if scope.serial_from else [],
                customer_ids=[c.id for c in touched.customers],
                reason=reason,
                classification=classification,
                user_id=actor.user_id,
                role=actor.role,
                operation=OPEN,
                scope=actor.scope,
            )
        ).records
        return _changed(native(row["recall"]), None, "open")

    return await idempotent(tx, request, work)


async def _locked(
    tx: AsyncManagedTransaction, request: WriteRequest, recall_id: str, target: str
) -> Answer | list[str]:
    """Lock the recall: the customers not yet notified, or a refusal (unknown, not open)."""
    locked = await queries.write(
        tx, "recall.lock_recall", recall_id=recall_id, scope=request.actor.scope
    )
    if not locked.records:
        return not_found("recall", recall_id)
    state = locked.records[0]["state"]
    if state != "open":
        return invalid_transition(
            "recall", state, target, [], message=f"recall {recall_id} is {state}"
        )
    pending: list[str] = locked.records[0]["pending"]
    return pending


async def mark_notified(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    recall_id: str,
    customer_id: str,
    note: str | None,
) -> Answer:
    """Mark ``customer_id`` of the open recall notified (by the caller, now)."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        pending = await _locked(tx, request, recall_id, "notified")
        if isinstance(pending, dict):
            return pending
        if customer_id not in pending:
            notice = await queries.read(
                tx, "recall.notice", recall_id=recall_id, customer_id=customer_id
            )
            if not notice:
                return not_found("customer of the recall", customer_id)
            return invalid_transition(
                "recall notice",
                "notified",
                "notified",
                [],
                message=f"customer {customer_id} was notified of recall {recall_id} on"
                f" {native(notice[0]['notified_at']).isoformat()} by {notice[0]['notified_by']}",
            )
        (row,) = (
            await queries.write(
                tx,
                "recall.notify",
                recall_id=recall_id,
                customer_id=customer_id,
                note=note,
                user_id=actor.user_id,
                role=actor.role,
                operation=NOTIFY,
                scope=actor.scope,
            )
        ).records
        return _changed(native(row["recall"]), "open", "open")

    return await idempotent(tx, request, work)


async def record_recovery(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    recall_id: str,
    units: int,
    note: str | None,
) -> Answer:
    """Add ``units`` recovered to the open recall."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        pending = await _locked(tx, request, recall_id, "open")
        if isinstance(pending, dict):
            return pending
        (row,) = (
            await queries.write(
                tx,
                "recall.recover",
                recall_id=recall_id,
                units=units,
                note=note,
                user_id=actor.user_id,
                role=actor.role,
                operation=RECOVER,
                scope=actor.scope,
            )
        ).records
        return _changed(native(row["recall"]), "open", "open")

    return await idempotent(tx, request, work)


async def close_recall(
    tx: AsyncManagedTransaction, request: WriteRequest, *, recall_id: str, note: str | None
) -> Answer:
    """Close the open recall once every customer is notified; its holds end."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        pending = await _locked(tx, request, recall_id, "closed")
        if isinstance(pending, dict):
            return pending
        if pending:
            return invalid_transition(
                "recall",
                "open",
                "closed",
                [NOTIFY],
                message=f"recall {recall_id} has customers not yet notified: {', '.join(pending)}",
                pending=pending,
            )
        written = (
            await queries.write(
                tx,
                "recall.close",
                recall_id=recall_id,
                note=note,
                user_id=actor.user_id,
                role=actor.role,
                operation=CLOSE,
                scope=actor.scope,
            )
        ).records
        if not written:  # cannot happen under the lock
            return invalid_transition("recall", "open", "closed", [])
        return _changed(native(written[0]["recall"]), "open", "closed")

    return await idempotent(tx, request, work)


async def recalls(
    tx: AsyncManagedTransaction, status: str | None, scope: dict[str, Any]
) -> list[RecallModel]:
    """The recalls the caller may read, newest first."""
    rows = await queries.read(tx, "recall.list", status=status, scope=scope)
    return [RecallModel.model_validate(native(r["recall"])) for r in rows]
