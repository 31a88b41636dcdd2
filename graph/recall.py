"""Recall previews (issue 13 §2): what a recall of a scope would touch, read without writing.

The scope is exactly one of: lots, batches, a serial range, or a supplier (its lots, optionally
those received in a date range). The answer lists the batches downstream (every depth), the
serials they produced (or the range's own), how many of those were shipped (their order is
shipped, delivered or completed) and how many are still in house, the orders and customers (with
the users who represent them, to notify), the open quality issues and the cost so far, all kept
to the caller's scope (cypher/recall/preview.cypher).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph import queries
from graph.entities import ReadModel
from graph.mass_balance import DEFAULT_TOLERANCE_PERCENT, LotBalance, balance
from graph.traces import TraceBatch, TraceCustomer, TraceIssue, TraceOrder
from graph.workflow import DONE
from tracegraph.errors import InvalidInputError, NotFoundError

MAX_KEYS = 1000  # lots or batches one preview names


@dataclass(frozen=True)
class RecallScope:
    """What a recall covers: exactly one of the four kinds (checked by :meth:`check`)."""

    lot_numbers: list[str] | None = None
    batch_ids: list[str] | None = None
    serial_from: str | None = None
    serial_to: str | None = None
    supplier_id: str | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    # Widen the scope to lots whose mass balance does not close (graph.mass_balance).
    include_unbalanced: bool = False

    def check(self) -> RecallScope:
        """This scope, or InvalidInputError naming what is wrong."""
        kinds = [
            name
            for name, given in (
                ("lotNumbers", self.lot_numbers is not None),
                ("batchIds", self.batch_ids is not None),
                ("serialFrom/serialTo", self.serial_from is not None or self.serial_to is not None),
                ("supplierId", self.supplier_id is not None),
            )
            if given
        ]
        if len(kinds) != 1:
            raise InvalidInputError(
                "scope: give exactly one of lotNumbers, batchIds, serialFrom/serialTo, supplierId"
                f" (got {', '.join(kinds) or 'none'})"
            )
        for name, keys in (("lotNumbers", self.lot_numbers), ("batchIds", self.batch_ids)):
            if keys is not None and not 1 <= len(keys) <= MAX_KEYS:
                raise InvalidInputError(f"scope.{name}: give 1 to {MAX_KEYS} keys, got {len(keys)}")
            if keys is not None and any(not key.strip() for key in keys):
                raise InvalidInputError(f"scope.{name}: keys must not be blank")
        if kinds == ["serialFrom/serialTo"]:
            if not self.serial_from or not self.serial_to:
                raise InvalidInputError("scope: a serial range needs both serialFrom and serialTo")
            if self.serial_from > self.serial_to:
                raise InvalidInputError(
                    f"scope: serialFrom {self.serial_from!r} is after serialTo {self.serial_to!r}"
                )
        if (self.received_from or self.received_to) and self.supplier_id is None:
            raise InvalidInputError("scope: receivedFrom/receivedTo go with a supplierId")
        if self.received_from and self.received_to and self.received_from > self.received_to:
            raise InvalidInputError("scope: receivedFrom is after receivedTo")
        if self.include_unbalanced and self.lot_numbers is None and self.supplier_id is None:
            raise InvalidInputError("scope: includeUnbalanced goes with lotNumbers or supplierId")
        return self

    @property
    def params(self) -> dict[str, Any]:
        return {
            "lot_numbers": self.lot_numbers,
            "batch_ids": self.batch_ids,
            "serial_from": self.serial_from,
            "serial_to": self.serial_to,
            "supplier_id": self.supplier_id,
            "received_from": self.received_from,
            "received_to": self.received_to,
        }


class RecallContact(ReadModel):
    """A user who represents a customer: whom to notify."""

    id: str = Field(description="The user key.")
    name: str | None = Field(default=None, description="Name.")
    email: str | None = Field(default=None, description="E-mail.")


class RecallCustomer(TraceCustomer):
    """A customer whose orders the recall touches, with whom to notify."""

    country: str | None = Field(default=None, description="Country.")
    contacts: list[RecallContact] = Field(
        default=[], description="The users who represent it (name, e-mail)."
    )


class RecallOrder(TraceOrder):
    """An order a batch of the recall was made for."""

    workflow_status: str | None = Field(default=None, description="Its workflow status.")
    quantity: int | None = Field(default=None, description="Quantity ordered.")
    shipped: bool = Field(description="Whether it left the plant (shipped, delivered, completed).")


class RecallPreview(ReadModel):
    """What a recall of the scope would touch, as the caller may see it; nothing is written."""

    found: list[str] = Field(
        description="The lots or batches named by the scope (or the supplier's lots) the caller"
        " may read; a key missing here is unknown or out of scope."
    )
    batches: list[TraceBatch] = Field(
        description="Every batch downstream, by depth (0: a batch named by the scope, or one that"
        " produced a serial of the range; 1: consumed a lot of the scope)."
    )
    serial_count: int = Field(description="Serials affected.")
    serial_numbers: list[str] = Field(description="Their numbers, sorted.")
    shipped_units: int = Field(
        description="Affected serials whose order was shipped (shipped, delivered, completed)."
    )
    in_house_units: int = Field(description="Affected serials still in the plant.")
    orders: list[RecallOrder] = Field(description="Orders of those batches.")
    customers: list[RecallCustomer] = Field(description="Customers of those orders, to notify.")
    open_issues: list[TraceIssue] = Field(
        description="Quality issues found in those batches that are not closed."
    )
    cost_so_far: float | None = Field(
        description="Sum of total_cost of every issue found in those batches; null when the"
        " caller's role does not see quality costs."
    )
    widened_by: list[LotBalance] = Field(
        default=[],
        description="With includeUnbalanced: the lots added to the scope, of the same supplier"
        " and material as one of its lots, whose mass balance does not close (flagged).",
    )


async def preview(
    tx: AsyncManagedTransaction,
    scope: RecallScope,
    caller: dict[str, Any],
    tolerance_percent: float = DEFAULT_TOLERANCE_PERCENT,
) -> RecallPreview:
    """Read what a recall of ``scope`` would touch (see the module docstring).

    With ``include_unbalanced``, every other lot of the same supplier and material as a lot of
    the scope whose mass balance is flagged at ``tolerance_percent`` joins the scope: material a
    lot cannot account for may have gone into products under another lot's number.
    """
    given = scope.check()
    answer = await _preview(tx, given, caller)
    if not given.include_unbalanced or not answer.found:
        return answer
    peers = await queries.read(tx, "recall.peer_balances", lot_numbers=answer.found, scope=caller)
    flagged = [
        lot
        for lot in (balance(dict(row["sums"]), tolerance_percent) for row in peers)
        if lot.flagged
    ]
    if not flagged:
        return answer
    wider = RecallScope(lot_numbers=[*answer.found, *(lot.lot_number for lot in flagged)])
    widened = await _preview(tx, wider, caller)
    return widened.model_copy(update={"widened_by": flagged})


async def _preview(
    tx: AsyncManagedTransaction, given: RecallScope, caller: dict[str, Any]
) -> RecallPreview:
    if given.supplier_id is not None:
        (seen,) = await queries.read(
            tx, "orders.supplier_exists", supplier_id=given.supplier_id, scope=caller
        )
        if not seen["found"]:
            raise NotFoundError(f"recall preview: no supplier {given.supplier_id!r}")
    (row,) = await queries.read(
        tx, "recall.preview", **given.params, shipped_states=list(DONE), scope=caller
    )
    found = dict(row)
    return RecallPreview.model_validate(
        {**found, "in_house_units": found["serial_count"] - found["shipped_units"]}
    )
