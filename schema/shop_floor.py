"""Receiving and production capture (issue 12 §1): ``receiveLot``, ``recordBatch``, ``consume``,
``produceSerials`` and ``scrap``.

Each takes one ``input`` and answers a union: its success payload or a typed failure. An input
that may not be drawn on (held, failed, used up, a loop, the wrong material) is ``InputRefused``,
naming the input and the reason; serial numbers that exist already are ``SerialsTaken``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph.entities import BatchModel, MaterialLotModel
from graph.shop_floor import Refusal
from resolvers.context import Info
from resolvers.shop_floor import (
    resolve_consume,
    resolve_produce_serials,
    resolve_receive_lot,
    resolve_record_batch,
    resolve_scrap,
)
from schema.outcomes import Conflict, Forbidden, InvalidTransition, ValidationFailed, failure
from schema.results import NotFound

if TYPE_CHECKING:
    from schema.batches import Batch
    from schema.lots import MaterialLot

strawberry.enum(Refusal, name="InputRefusal", description="Why an input may not be drawn on.")

_IDEMPOTENCY = "Resending with the same key answers the first answer and writes nothing."


@strawberry.type(description="A lot or batch that may not be drawn on, and why.")
class InputRefused:
    message: str = strawberry.field(description="For a person: the input and the reason.")
    input: str = strawberry.field(description="The lot number or batch id refused.")
    input_kind: str = strawberry.field(description="lot or batch.")
    reason: Refusal = strawberry.field(description="Why.")
    remaining: float = strawberry.field(
        description="What remains of the input (quantity less consumed and scrapped)."
    )
    unit: str | None = strawberry.field(description="Unit of remaining.")


@strawberry.type(description="Serial numbers that exist already; none was recorded.")
class SerialsTaken:
    message: str = strawberry.field(description="For a person.")
    serial_numbers: list[str] = strawberry.field(
        description="The serial numbers taken (the first 100, in the order given)."
    )
    count: int = strawberry.field(description="How many of those given were taken.")


@strawberry.type(description="Scrap of part of a lot or a batch.")
class ScrapRecord:
    id: str = strawberry.field(description="<lot number or batch id>/SCRAP-<n>.")
    quantity: float = strawberry.field(description="Quantity scrapped.")
    unit: str | None = strawberry.field(description="Unit of quantity (the input's).")
    reason: str = strawberry.field(description="Why.")
    scrapped_at: dt.datetime = strawberry.field(description="When it was recorded.")
    scrapped_by: str = strawberry.field(description="Who recorded it (user id).")


@strawberry.type(description="A lot received.")
class LotReceived:
    lot: Annotated[MaterialLot, strawberry.lazy("schema.lots")] = strawberry.field(
        description="The lot, released, with its promised and delivered days."
    )


@strawberry.type(description="A batch recorded.")
class BatchRecorded:
    batch: Annotated[Batch, strawberry.lazy("schema.batches")] = strawberry.field(
        description="The batch (level 0 until it consumes a batch)."
    )


@strawberry.type(description="A genealogy link recorded: the batch consumed a lot or a batch.")
class Consumed:
    batch: Annotated[Batch, strawberry.lazy("schema.batches")] = strawberry.field(
        description="The consuming batch."
    )
    input_lot: Annotated[MaterialLot, strawberry.lazy("schema.lots")] | None = strawberry.field(
        description="The lot consumed, when a lot."
    )
    input_batch: Annotated[Batch, strawberry.lazy("schema.batches")] | None = strawberry.field(
        description="The batch consumed, when a batch (a sub-assembly)."
    )
    quantity: float = strawberry.field(description="Quantity consumed now.")
    link_quantity: float = strawberry.field(
        description="Quantity the batch has consumed of this input in all (one link per pair)."
    )
    unit: str | None = strawberry.field(description="Unit (the input's).")
    remaining: float = strawberry.field(description="What remains of the input now.")


@strawberry.type(description="Serials recorded for a batch.")
class SerialsProduced:
    batch: Annotated[Batch, strawberry.lazy("schema.batches")] = strawberry.field(
        description="The batch, its serial range widened to cover them."
    )
    count: int = strawberry.field(description="How many serials were recorded.")
    first: str = strawberry.field(description="The lowest serial number recorded.")
    last: str = strawberry.field(description="The highest serial number recorded.")


@strawberry.type(description="Scrap recorded.")
class Scrapped:
    scrap: ScrapRecord = strawberry.field(description="The scrap record.")
    input: str = strawberry.field(description="The lot number or batch id.")
    input_kind: str = strawberry.field(description="lot or batch.")
    remaining: float = strawberry.field(description="What remains of the input now.")
    unit: str | None = strawberry.field(description="Unit of remaining.")


ReceiveLotResult = Annotated[
    LotReceived | NotFound | Forbidden | ValidationFailed | Conflict,
    strawberry.union("ReceiveLotResult"),
]
RecordBatchResult = Annotated[
    BatchRecorded | NotFound | Forbidden | ValidationFailed | InvalidTransition | Conflict,
    strawberry.union("RecordBatchResult"),
]
ConsumeResult = Annotated[
    Consumed | InputRefused | NotFound | Forbidden | ValidationFailed | Conflict,
    strawberry.union("ConsumeResult"),
]
ProduceSerialsResult = Annotated[
    SerialsProduced
    | SerialsTaken
    | InvalidTransition
    | NotFound
    | Forbidden
    | ValidationFailed
    | Conflict,
    strawberry.union("ProduceSerialsResult"),
]
ScrapResult = Annotated[
    Scrapped | InputRefused | NotFound | Forbidden | ValidationFailed | Conflict,
    strawberry.union("ScrapResult"),
]


@strawberry.input(description="A lot delivered by a supplier, with its incoming inspection.")
class ReceiveLotInput:
    lot_number: str = strawberry.field(description="New lot number (unique).")
    supplier_id: str = strawberry.field(description="The supplier that delivered it.")
    material_id: str = strawberry.field(description="The material it is a lot of.")
    quantity: float = strawberry.field(description="Quantity received (above 0).")
    unit: str | None = strawberry.field(
        default=None, description="Unit of quantity; the material's unit when not given."
    )
    promised_date: dt.date | None = strawberry.field(
        default=None, description="Day the supplier promised it (on-time delivery)."
    )
    delivered_date: dt.date = strawberry.field(description="Day it was delivered (received).")
    expiry_date: dt.date | None = strawberry.field(
        default=None, description="Day it expires (not before delivery)."
    )
    inspection_result: str = strawberry.field(
        description="Incoming inspection: passed, failed, pending or conditional (a failed lot"
        " is never consumed)."
    )
    note: str | None = strawberry.field(default=None, description="Note for the event.")
    idempotency_key: str | None = strawberry.field(default=None, description=_IDEMPOTENCY)


@strawberry.input(description="A production batch of an order in production.")
class RecordBatchInput:
    batch_id: str = strawberry.field(description="New batch id (unique).")
    order_number: str = strawberry.field(
        description="The order (in_production, delayed or quality_check)."
    )
    machine_id: str = strawberry.field(description="The machine it runs on.")
    shift_id: str = strawberry.field(description="The shift.")
    operator_id: str = strawberry.field(description="The operator.")
    production_date: dt.date = strawberry.field(description="Day produced.")
    quantity: int = strawberry.field(description="Units produced (1 or more).")
    status: str = strawberry.field(default="completed", description="completed or in_progress.")
    note: str | None = strawberry.field(default=None, description="Note for the event.")
    idempotency_key: str | None = strawberry.field(default=None, description=_IDEMPOTENCY)


@strawberry.input(
    description="A batch consumes part of a lot or of another batch: exactly one of lotNumber and"
    " inputBatchId."
)
class ConsumeInput:
    batch_id: str = strawberry.field(description="The consuming batch.")
    lot_number: str | None = strawberry.field(default=None, description="The lot consumed.")
    input_batch_id: str | None = strawberry.field(
        default=None, description="The batch consumed (a sub-assembly)."
    )
    quantity: float = strawberry.field(
        description="Quantity consumed, in the input's unit (above 0, at most what remains)."
    )
    note: str | None = strawberry.field(default=None, description="Note for the event.")
    idempotency_key: str | None = strawberry.field(default=None, description=_IDEMPOTENCY)


@strawberry.input(description="Serial numbers from first to last: one prefix, then a counter.")
class SerialRangeInput:
    first: str = strawberry.field(description="First serial number, e.g. SN-000001.")
    last: str = strawberry.field(
        description="Last serial number (inclusive), e.g. SN-001000; digits padded as first's."
    )


@strawberry.input(
    description="The serials a batch produced: exactly one of serialNumbers and range; at most"
    " 10,000, all recorded or none."
)
class ProduceSerialsInput:
    batch_id: str = strawberry.field(description="The batch.")
    serial_numbers: list[str] | None = strawberry.field(
        default=None, description="The serial numbers, each once."
    )
    range: SerialRangeInput | None = strawberry.field(
        default=None, description="A range of serial numbers."
    )
    note: str | None = strawberry.field(default=None, description="Note for the event.")
    idempotency_key: str | None = strawberry.field(default=None, description=_IDEMPOTENCY)


@strawberry.input(
    description="Scrap part of a lot or a batch: exactly one of lotNumber and batchId. What is"
    " scrapped no longer remains to be consumed."
)
class ScrapInput:
    lot_number: str | None = strawberry.field(default=None, description="The lot.")
    batch_id: str | None = strawberry.field(default=None, description="The batch.")
    quantity: float = strawberry.field(
        description="Quantity scrapped, in the input's unit (above 0, at most what remains)."
    )
    reason: str = strawberry.field(description="Why.")
    idempotency_key: str | None = strawberry.field(default=None, description=_IDEMPOTENCY)


def _refused(answer: dict[str, Any]) -> InputRefused:
    return InputRefused(
        message=answer["message"],
        input=answer["input"],
        input_kind=answer["input_kind"],
        reason=Refusal(answer["reason"]),
        remaining=answer["remaining"],
        unit=answer["unit"],
    )


def _lot(value: dict[str, Any] | None) -> Any:
    # Read models answer for their derived types (schema.derive).
    return None if value is None else MaterialLotModel.model_validate(value)


def _batch(value: dict[str, Any] | None) -> Any:
    return None if value is None else BatchModel.model_validate(value)


def receive_lot_result(answer: dict[str, Any]) -> ReceiveLotResult:
    if answer["kind"] == "received":
        return LotReceived(lot=_lot(answer["lot"]))
    return failure(answer)  # type: ignore[return-value]  # never InvalidTransition here


def record_batch_result(answer: dict[str, Any]) -> RecordBatchResult:
    if answer["kind"] == "recorded":
        return BatchRecorded(batch=_batch(answer["batch"]))
    return failure(answer)


def consume_result(answer: dict[str, Any]) -> ConsumeResult:
    if answer["kind"] == "consumed":
        return Consumed(
            batch=_batch(answer["batch"]),
            input_lot=_lot(answer["lot"]),
            input_batch=_batch(answer["input_batch"]),
            quantity=answer["quantity"],
            link_quantity=answer["link_quantity"],
            unit=answer["unit"],
            remaining=answer["remaining"],
        )
    if answer["kind"] == "input_refused":
        return _refused(answer)
    return failure(answer)  # type: ignore[return-value]  # never InvalidTransition here


def produce_serials_result(answer: dict[str, Any]) -> ProduceSerialsResult:
    if answer["kind"] == "produced":
        return SerialsProduced(
            batch=_batch(answer["batch"]),
            count=answer["count"],
            first=answer["first"],
            last=answer["last"],
        )
    if answer["kind"] == "serials_taken":
        return SerialsTaken(
            message=answer["message"],
            serial_numbers=answer["serial_numbers"],
            count=answer["count"],
        )
    return failure(answer)  # a held batch is an InvalidTransition naming the hold


def scrap_result(answer: dict[str, Any]) -> ScrapResult:
    if answer["kind"] == "scrapped":
        scrap = answer["scrap"]
        return Scrapped(
            scrap=ScrapRecord(
                id=scrap["id"],
                quantity=scrap["quantity"],
                unit=scrap.get("unit"),
                reason=scrap["reason"],
                scrapped_at=dt.datetime.fromisoformat(scrap["scrapped_at"]),
                scrapped_by=scrap["scrapped_by"],
            ),
            input=answer["input"],
            input_kind=answer["input_kind"],
            remaining=answer["remaining"],
            unit=answer["unit"],
        )
    if answer["kind"] == "input_refused":
        return _refused(answer)
    return failure(answer)  # type: ignore[return-value]  # never InvalidTransition here


@strawberry.type
class ShopFloorMutation:
    @strawberry.mutation(
        description="Receive a lot of a material from a supplier, with its promised and delivered"
        " days, expiry and incoming inspection result (production, quality, admin)."
    )
    async def receive_lot(self, info: Info, input: ReceiveLotInput) -> ReceiveLotResult:
        return receive_lot_result(await resolve_receive_lot(info, input))

    @strawberry.mutation(
        description="Record a production batch of an order in production, on a machine, in a"
        " shift, by an operator."
    )
    async def record_batch(self, info: Info, input: RecordBatchInput) -> RecordBatchResult:
        return record_batch_result(await resolve_record_batch(info, input))

    @strawberry.mutation(
        description="A batch consumes part of a lot or of a sub-assembly batch: one genealogy"
        " link, seen by every trace. Refused (InputRefused) for a lot quarantined, on hold,"
        " rejected or failed at inspection, a scrapped batch, more than remains, a link making a"
        " batch its own ancestor, or a lot of a material the catalogue does not list for the"
        " order's part."
    )
    async def consume(self, info: Info, input: ConsumeInput) -> ConsumeResult:
        return consume_result(await resolve_consume(info, input))

    @strawberry.mutation(
        description="Record the serials a batch produced (a list or a range, at most 10,000):"
        " all or none; numbers that exist are refused (SerialsTaken); the batch's serial range"
        " widens to cover them."
    )
    async def produce_serials(self, info: Info, input: ProduceSerialsInput) -> ProduceSerialsResult:
        return produce_serials_result(await resolve_produce_serials(info, input))

    @strawberry.mutation(
        description="Scrap part of a lot or a batch, so its mass balance closes: remaining ="
        " quantity - consumed - scrapped."
    )
    async def scrap(self, info: Info, input: ScrapInput) -> ScrapResult:
        return scrap_result(await resolve_scrap(info, input))
