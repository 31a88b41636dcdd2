"""Receiving and production capture (issue 12 §1): the genealogy written as it happens.

One write transaction function per mutation, under graph.writes.idempotent (its answer kept
under the caller's idempotency key last); the Cypher is cypher/shop/.

- ``receive_lot``: a lot of a material from a supplier (SUPPLIED, OF_MATERIAL), released.
- ``record_batch``: locks the order, which must be in production (delayed, at quality check),
  then a batch for it on a machine, in a shift, by an operator.
- ``consume``: locks the input (and a consuming batch when the input is a batch too), reads its
  balance under the lock, refuses a lot on hold or failed, a draw above the remaining quantity, a
  link that closes a loop, a lot of a material the catalogue does not list for the order's part;
  then one CONSUMED link, and the input's suppliers added to the upstream suppliers stored on the
  consumer and every batch downstream of it, and the parts produced per supplier recomputed for
  the days of those that made serials (cypher/analytics/upstream.cypher).
- ``produce_serials``: locks the batch, refuses more serials than units produced, takes every
  serial or none (a clash deletes the ones it took), widens the batch's serial range and
  recomputes the parts produced per supplier of its day.
- ``scrap``: locks the input, refuses more than remains, records a Scrap node.

Every write leaves an Event (who, role, when, what, entity key) in the same transaction. Refusals
of an input are ``input_refused`` answers naming the input and a :class:`Refusal`.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from neo4j import AsyncManagedTransaction

from graph import analytics, holds, queries
from graph.qc_checks import QC_STATES
from graph.workflow import allowed_from
from graph.writes import (
    Actor,
    Answer,
    WriteRequest,
    conflict,
    idempotent,
    invalid_transition,
    not_found,
)

# Orders a batch is made for: those being produced or checked (the states QC checks take).
PRODUCTION_STATES = QC_STATES
# Taken serials named in a refusal; the count says how many there were in all.
SHOWN_CLASHES = 100
# Quantities are floats: a draw of exactly what remains must not fail on rounding.
EPSILON = 1e-9


class Refusal(enum.StrEnum):
    """Why an input may not be drawn on."""

    QUARANTINED = "quarantined"
    ON_HOLD = "on_hold"
    REJECTED = "rejected"
    FAILED_INSPECTION = "failed_inspection"
    SCRAPPED = "scrapped"
    INSUFFICIENT_QUANTITY = "insufficient_quantity"
    CYCLE = "cycle"
    MATERIAL_MISMATCH = "material_mismatch"


# A lot's quarantine status that stops its use.
_HELD = {
    "quarantined": Refusal.QUARANTINED,
    "on_hold": Refusal.ON_HOLD,
    "rejected": Refusal.REJECTED,
}


@dataclass(frozen=True)
class InputRef:
    """A lot or a batch drawn on (exactly one of the two keys)."""

    lot_number: str | None = None
    batch_id: str | None = None

    @property
    def kind(self) -> str:
        return "lot" if self.lot_number is not None else "batch"

    @property
    def key(self) -> str:
        key = self.lot_number if self.lot_number is not None else self.batch_id
        assert key is not None
        return key

    @property
    def params(self) -> dict[str, str | None]:
        return {"lot_number": self.lot_number, "batch_id": self.batch_id}


def _as_input(given: InputRef) -> dict[str, str | None]:
    return {"lot_number": given.lot_number, "input_batch_id": given.batch_id}


@dataclass(frozen=True)
class LotReceipt:
    lot_number: str
    supplier_id: str
    material_id: str
    quantity: float
    unit: str | None
    promised_date: date | None
    delivered_date: date
    expiry_date: date | None
    inspection_result: str
    note: str | None


@dataclass(frozen=True)
class BatchRecord:
    batch_id: str
    order_number: str
    machine_id: str
    shift_id: str
    operator_id: str
    production_date: date
    quantity: int
    status: str
    note: str | None


def input_refused(
    given: InputRef, reason: Refusal, message: str, balance: Mapping[str, Any]
) -> Answer:
    return {
        "kind": "input_refused",
        "input": given.key,
        "input_kind": given.kind,
        "reason": reason.value,
        "message": message,
        "remaining": balance["remaining"],
        "unit": balance["unit"],
    }


def _quantity(value: float, unit: str | None) -> str:
    return f"{value:g}{' ' + unit if unit else ''}"


async def receive_lot(
    tx: AsyncManagedTransaction, request: WriteRequest, lot: LotReceipt
) -> Answer:
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        (refs,) = await queries.read(
            tx,
            "shop.lot_references",
            supplier_id=lot.supplier_id,
            material_id=lot.material_id,
            scope=actor.scope,
        )
        if not refs["supplier_found"]:
            return not_found("supplier", lot.supplier_id)
        if not refs["material_found"]:
            return not_found("material", lot.material_id)
        (row,) = (
            await queries.write(
                tx,
                "shop.receive_lot",
                lot={
                    "lot_number": lot.lot_number,
                    "quantity": lot.quantity,
                    "unit": lot.unit or refs["material_unit"],
                    "received_date": lot.delivered_date,
                    "expiry_date": lot.expiry_date,
                    "inspection_result": lot.inspection_result,
                },
                supplier_id=lot.supplier_id,
                material_id=lot.material_id,
                promised_at=lot.promised_date,
                claim=str(uuid.uuid4()),
                user_id=actor.user_id,
                role=actor.role,
                note=lot.note,
            )
        ).records
        if row["taken"]:
            return conflict(f"lot number {lot.lot_number} is taken; choose another")
        return {"kind": "received", "lot": row["lot"]}

    return await idempotent(tx, request, work)


async def record_batch(
    tx: AsyncManagedTransaction, request: WriteRequest, batch: BatchRecord
) -> Answer:
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        locked = await queries.write(
            tx, "orders.lock_order", order_number=batch.order_number, scope=actor.scope
        )
        if not locked.records:
            return not_found("order", batch.order_number)
        state = locked.records[0]["state"]
        if state not in PRODUCTION_STATES:
            return invalid_transition(
                "order",
                state,
                "batch recorded",
                allowed_from(state),
                message=f"the order is {state}; batches are recorded while it is"
                f" {', '.join(PRODUCTION_STATES[:-1])} or {PRODUCTION_STATES[-1]}",
            )
        (refs,) = await queries.read(
            tx,
            "shop.batch_references",
            machine_id=batch.machine_id,
            shift_id=batch.shift_id,
            operator_id=batch.operator_id,
        )
        for what, key in (
            ("machine", batch.machine_id),
            ("shift", batch.shift_id),
            ("operator", batch.operator_id),
        ):
            if not refs[f"{what}_found"]:
                return not_found(what, key)
        (row,) = (
            await queries.write(
                tx,
                "shop.record_batch",
                batch={
                    "batch_id": batch.batch_id,
                    "production_date": batch.production_date,
                    "quantity": batch.quantity,
                    "status": batch.status,
                },
                order_number=batch.order_number,
                machine_id=batch.machine_id,
                shift_id=batch.shift_id,
                operator_id=batch.operator_id,
                scope=actor.scope,
                claim=str(uuid.uuid4()),
                user_id=actor.user_id,
                role=actor.role,
                note=batch.note,
            )
        ).records
        if row["taken"]:
            return conflict(f"batch id {batch.batch_id} is taken; choose another")
        return {"kind": "recorded", "batch": row["batch"]}

    return await idempotent(tx, request, work)


async def _lock(tx: AsyncManagedTransaction, actor: Actor, given: InputRef) -> bool:
    """Lock ``given`` (a lot or a batch); whether it is there."""
    if given.lot_number is not None:
        rows = await queries.write(
            tx, "shop.lock_lot", lot_number=given.lot_number, scope=actor.scope
        )
        return bool(rows.records[0]["locked"])
    return not await _lock_batches(tx, actor, [given.key])


async def _lock_batches(
    tx: AsyncManagedTransaction, actor: Actor, batch_ids: list[str]
) -> list[str]:
    """Lock the batches (in key order: two writes on one pair cannot deadlock); the missing."""
    ordered = sorted(set(batch_ids))
    rows = await queries.write(tx, "shop.lock_batches", batch_ids=ordered, scope=actor.scope)
    locked = set(rows.records[0]["locked"])
    return [key for key in ordered if key not in locked]


def _balance_of(row: Mapping[str, Any]) -> dict[str, Any]:
    balance = dict(row)
    balance["remaining"] = balance["quantity"] - balance["consumed"] - balance["scrapped"]
    return balance


async def _balance(tx: AsyncManagedTransaction, actor: Actor, given: InputRef) -> dict[str, Any]:
    """The locked input's state and balance (read after the lock: every earlier draw counted)."""
    (row,) = await queries.read(tx, "shop.balance", **given.params, scope=actor.scope)
    return _balance_of(row["balance"])


def _too_much(given: InputRef, balance: Mapping[str, Any], quantity: float) -> Answer | None:
    if quantity <= balance["remaining"] + EPSILON:
        return None
    unit = balance["unit"]
    return input_refused(
        given,
        Refusal.INSUFFICIENT_QUANTITY,
        f"{given.kind} {given.key} has {_quantity(balance['remaining'], unit)} remaining"
        f" ({_quantity(balance['quantity'], unit)} less {_quantity(balance['consumed'], unit)}"
        f" consumed and {_quantity(balance['scrapped'], unit)} scrapped);"
        f" {_quantity(quantity, unit)} asked for",
        balance,
    )


def _held(given: InputRef, balance: Mapping[str, Any]) -> Answer | None:
    """Why the input's own state stops its use, if it does."""
    if given.lot_number is not None:
        held = _HELD.get(balance["quarantine_status"] or "")
        if held is not None:
            return input_refused(
                given, held, f"lot {given.key} is {held.value.replace('_', ' ')}", balance
            )
        if balance["inspection_result"] == "failed":
            return input_refused(
                given,
                Refusal.FAILED_INSPECTION,
                f"lot {given.key} failed incoming inspection",
                balance,
            )
    elif balance["status"] == "scrapped":
        return input_refused(given, Refusal.SCRAPPED, f"batch {given.key} is scrapped", balance)
    return None


async def _input_held(
    tx: AsyncManagedTransaction,
    given: InputRef,
    scope: Mapping[str, Any],
    balance: Mapping[str, Any],
) -> Answer | None:
    """Why the locked ``given`` is on hold, if it is (``ON_HOLD``, naming the holds)."""
    if given.batch_id is not None:
        # A lot's own status is checked by _held; a batch is held by any lot upstream of it.
        held = await holds.held_message(tx, "batch", given.key, scope, "be consumed")
        return input_refused(given, Refusal.ON_HOLD, held, balance) if held else None
    # The lot's own status has its own refusal (_held); an open recall holding the lot
    # (openRecall) is a hold that status does not show.
    recalled = [h for h in await holds.holds_of(tx, "lot", given.key, scope) if h.recall]
    if not recalled:
        return None
    message = holds.hold_refusal("lot", given.key, recalled, "be consumed")
    return input_refused(given, Refusal.ON_HOLD, message, balance)


def _consume_refusal(
    batch_id: str,
    given: InputRef,
    quantity: float,
    context: Mapping[str, Any],
    balance: Mapping[str, Any],
) -> Answer | None:
    """Why ``batch_id`` may not consume ``quantity`` of the locked ``given``, if it may not."""
    refused = _held(given, balance)
    if refused:
        return refused
    if context["cycle"]:
        return input_refused(
            given,
            Refusal.CYCLE,
            f"batch {batch_id} consuming batch {given.key} would make"
            f" {'it' if given.key == batch_id else 'a batch'} its own ancestor"
            + ("" if given.key == batch_id else f" ({given.key} already consumes it)"),
            balance,
        )
    required = context["required_materials"]
    if given.lot_number is not None and required and balance["material_id"] not in required:
        return input_refused(
            given,
            Refusal.MATERIAL_MISMATCH,
            f"lot {given.key} is of material {balance['material_id']}; part"
            f" {context['part_number']} of order {context['order_number']} is made of"
            f" {', '.join(required)} (the materials catalogue)",
            balance,
        )
    return _too_much(given, balance, quantity)


async def consume(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    batch_id: str,
    given: InputRef,
    quantity: float,
    note: str | None,
) -> Answer:
    """``batch_id`` consumes ``quantity`` of ``given`` (see the module docstring)."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        # A lot input is locked alone; a batch input with its consumer, so that two links that
        # would close a loop between them run one after the other.
        if given.lot_number is not None:
            if not await _lock(tx, actor, given):
                return not_found("lot", given.key)
        else:
            missing = await _lock_batches(tx, actor, [batch_id, given.key])
            if missing:
                return not_found("batch", batch_id if batch_id in missing else given.key)
        rows = await queries.read(
            tx, "shop.consume_context", batch_id=batch_id, **_as_input(given), scope=actor.scope
        )
        if not rows:
            return not_found("batch", batch_id)
        context = rows[0]
        balance = _balance_of(context["balance"])
        refused = await _input_held(tx, given, actor.scope, balance) or _consume_refusal(
            batch_id, given, quantity, context, balance
        )
        if refused:
            return refused
        remaining = balance["remaining"] - quantity
        (row,) = (
            await queries.write(
                tx,
                "shop.consume",
                batch_id=batch_id,
                lot_number=given.lot_number,
                input_batch_id=given.batch_id,
                quantity=quantity,
                remaining=remaining,
                scope=actor.scope,
                user_id=actor.user_id,
                role=actor.role,
                note=note,
            )
        ).records
        # The stored upstream suppliers (cypher/analytics/upstream.cypher) in the same transaction.
        await queries.write(tx, "shop.lock_downstream", batch_id=batch_id)
        (added,) = (
            await queries.write(
                tx,
                "shop.add_upstream_suppliers",
                batch_id=batch_id,
                lot_number=given.lot_number,
                input_batch_id=given.batch_id,
            )
        ).records
        await analytics.recompute_production_days(tx, added["days"])
        return {
            "kind": "consumed",
            "batch": row["batch"],
            "lot": row["lot"],
            "input_batch": row["input_batch"],
            "quantity": quantity,
            "link_quantity": row["link_quantity"],
            "unit": row["unit"],
            "remaining": remaining,
        }

    return await idempotent(tx, request, work)


async def produce_serials(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    batch_id: str,
    serials: list[str],
    note: str | None,
    *,
    path: str,
) -> Answer:
    """``batch_id`` produced ``serials`` (unique, validated): all of them or none.

    ``path`` names the input field the serials came from, for a refusal of their number."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        if not await _lock(tx, actor, InputRef(batch_id=batch_id)):
            return not_found("batch", batch_id)
        held = await holds.held_message(tx, "batch", batch_id, actor.scope, "take serials")
        if held:
            return invalid_transition("batch", "on_hold", "serials_produced", [], message=held)
        (row,) = await queries.read(tx, "shop.batch_serials", batch_id=batch_id, scope=actor.scope)
        units, already = row["quantity"], row["serials"]
        if units is not None and already + len(serials) > units:
            return {
                "kind": "validation_failed",
                "errors": [
                    {
                        "path": ["input", path],
                        "message": f"batch {batch_id} produced {units} units and has {already}"
                        f" serials; {len(serials)} more would be {already + len(serials)}",
                    }
                ],
            }
        claim = str(uuid.uuid4())
        (done,) = (
            await queries.write(
                tx,
                "shop.produce_serials",
                batch_id=batch_id,
                serials=serials,
                claim=claim,
                shown=SHOWN_CLASHES,
                first=min(serials),
                last=max(serials),
                scope=actor.scope,
                user_id=actor.user_id,
                role=actor.role,
                note=note,
            )
        ).records
        if done["clashes"]:
            await queries.write(tx, "shop.release_serials", serials=serials, claim=claim)
            shown, clashes = done["taken"], done["clashes"]
            more = clashes - len(shown)
            return {
                "kind": "serials_taken",
                "serial_numbers": shown,
                "count": clashes,
                "message": f"{clashes} of the {len(serials)} serial numbers exist already:"
                f" {', '.join(shown)}{f' and {more} more' if more else ''}; none was recorded",
            }
        # Its parts now count as produced (cypher/analytics/upstream.cypher).
        await analytics.recompute_production_days(tx, [done["batch"].get("production_date")])
        return {
            "kind": "produced",
            "batch": done["batch"],
            "count": len(serials),
            "first": min(serials),
            "last": max(serials),
        }

    return await idempotent(tx, request, work)


async def scrap(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    given: InputRef,
    quantity: float,
    reason: str,
) -> Answer:
    """Scrap ``quantity`` of ``given``: at most what remains of it."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        if not await _lock(tx, actor, given):
            return not_found(given.kind, given.key)
        balance = await _balance(tx, actor, given)
        refused = _too_much(given, balance, quantity)
        if refused:
            return refused
        remaining = balance["remaining"] - quantity
        (row,) = (
            await queries.write(
                tx,
                "shop.scrap",
                **given.params,
                quantity=quantity,
                reason=reason,
                remaining=remaining,
                scope=actor.scope,
                user_id=actor.user_id,
                role=actor.role,
            )
        ).records
        return {
            "kind": "scrapped",
            "scrap": row["scrap"],
            "input": given.key,
            "input_kind": given.kind,
            "remaining": remaining,
            "unit": balance["unit"],
        }

    return await idempotent(tx, request, work)
