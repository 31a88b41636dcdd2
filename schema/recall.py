"""``previewRecall`` (issue 13 §2): what a recall of lots, batches, a serial range or a supplier's
lots would touch, read without writing (graph.recall). Bad input raises ``InvalidInputError``
(INVALID_INPUT); a supplier the caller may not read is ``NotFoundError`` (NOT_FOUND); lots or
batches it may not read are left out (``found`` lists those it may)."""

from __future__ import annotations

import datetime as dt

import strawberry

from graph import recall
from resolvers.context import Info
from schema.derive import answers_with_model, derived
from schema.holds import Hold, hold_fields
from schema.mass_balance import LotBalance
from schema.traces import TraceBatch, TraceIssue

# The preview nests the traces' batch and issue types (derived once, in schema.traces).
NESTED = (TraceBatch, TraceIssue, LotBalance)

_ORDER_HOLDS = hold_fields("order", lambda order: order.order_number, "order")


@derived(recall.RecallContact)
class RecallContact:
    pass


@derived(recall.RecallCustomer)
class RecallCustomer:
    pass


@derived(recall.RecallOrder)
class RecallOrder:
    holds: list[Hold] = _ORDER_HOLDS[0]
    on_hold: bool = _ORDER_HOLDS[1]


@derived(recall.RecallPreview)
class RecallPreview:
    pass


@strawberry.input(
    description="What a recall covers: exactly one of lotNumbers, batchIds, a serial range"
    " (serialFrom and serialTo) or supplierId (with receivedFrom / receivedTo if wanted)."
)
class RecallScopeInput:
    lot_numbers: list[str] | None = strawberry.field(
        default=None, description="Lots: everything made from them, at any depth."
    )
    batch_ids: list[str] | None = strawberry.field(
        default=None, description="Batches: them and everything made from them."
    )
    serial_from: str | None = strawberry.field(
        default=None, description="First serial number of a range (inclusive)."
    )
    serial_to: str | None = strawberry.field(
        default=None, description="Last serial number of the range (inclusive)."
    )
    supplier_id: str | None = strawberry.field(
        default=None, description="A supplier: its lots (received in the dates given, if any)."
    )
    received_from: dt.date | None = strawberry.field(
        default=None, description="With supplierId: lots received on or after."
    )
    received_to: dt.date | None = strawberry.field(
        default=None, description="With supplierId: lots received on or before."
    )
    include_unbalanced: bool = strawberry.field(
        default=False,
        description="With lotNumbers or supplierId: also every other lot of the same supplier"
        " and material whose mass balance does not close (flagged at the tolerance), listed in"
        " widenedBy.",
    )


async def _preview_recall(info: Info, scope: RecallScopeInput) -> recall.RecallPreview:
    ctx = info.context
    given = recall.RecallScope(
        lot_numbers=scope.lot_numbers,
        batch_ids=scope.batch_ids,
        serial_from=scope.serial_from,
        serial_to=scope.serial_to,
        supplier_id=scope.supplier_id,
        received_from=scope.received_from,
        received_to=scope.received_to,
        include_unbalanced=scope.include_unbalanced,
    )
    return await ctx.db.read(
        recall.preview, given, ctx.caller.scope(), ctx.mass_balance_tolerance_percent
    )


@strawberry.type
class RecallQuery:
    preview_recall: RecallPreview = strawberry.field(
        resolver=answers_with_model(_preview_recall),
        description="What a recall of the scope would touch, read without writing: batches,"
        " serials (shipped and still in house), orders, customers with their contacts, open"
        " quality issues and the cost so far, as the caller may see them.",
    )
