"""``Batch``: a production run, its inputs (lots and sub-assembly batches) and outputs."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

import schema.issues as issues_schema
import schema.lots as lots_schema
import schema.orders as orders_schema
import schema.plant as plant_schema
import schema.serials as serials_schema
from graph.entities import (
    BatchRecord,
    MachineRecord,
    MaterialLotRecord,
    OperatorRecord,
    OrderRecord,
    QualityIssueRecord,
    SerialRecord,
    ShiftRecord,
)
from resolvers import entities as r
from resolvers.context import Info

if TYPE_CHECKING:
    from schema.issues import QualityIssue
    from schema.lots import MaterialLot
    from schema.orders import Order
    from schema.plant import Machine, Operator, Shift
    from schema.serials import Serial


@strawberry.type(
    description="A production batch (key: batchId). Level 0 batches consume lots only; level n "
    "batches consume level n-1 batches (sub-assemblies)."
)
class Batch:
    batch_id: str = strawberry.field(description="Batch key, e.g. BATCH-2025-1003-001.")
    production_date: dt.date | None = strawberry.field(description="Day produced.")
    quantity: int | None = strawberry.field(description="Units produced.")
    serial_start: str | None = strawberry.field(description="First serial number (inclusive).")
    serial_end: str | None = strawberry.field(description="Last serial number (inclusive).")
    level: int | None = strawberry.field(description="Sub-assembly depth (0 = from lots only).")
    status: str | None = strawberry.field(description="completed, in_progress or scrapped.")
    consumed_quantity: float | None = strawberry.field(
        description="Quantity consumed, when read as an input or consumer of a lot or batch."
    )
    consumed_unit: str | None = strawberry.field(description="Unit of consumedQuantity.")

    @classmethod
    def from_record(cls, rec: BatchRecord) -> Batch:
        return cls(
            batch_id=rec.batch_id,
            production_date=rec.production_date,
            quantity=rec.quantity,
            serial_start=rec.serial_start,
            serial_end=rec.serial_end,
            level=rec.level,
            status=rec.status,
            consumed_quantity=rec.consumed_quantity,
            consumed_unit=rec.consumed_unit,
        )

    @strawberry.field(description="The order it was produced for (none for a sub-assembly).")
    async def order(self, info: Info) -> Annotated[Order, strawberry.lazy("schema.orders")] | None:
        rec = await r.one(info, "api.batch_order", OrderRecord, self.batch_id)
        return orders_schema.Order.from_record(rec) if rec else None

    @strawberry.field(description="The machine it ran on.")
    async def machine(
        self, info: Info
    ) -> Annotated[Machine, strawberry.lazy("schema.plant")] | None:
        rec = await r.one(info, "api.batch_machine", MachineRecord, self.batch_id)
        return plant_schema.Machine.from_record(rec) if rec else None

    @strawberry.field(description="Its operator.")
    async def operator(
        self, info: Info
    ) -> Annotated[Operator, strawberry.lazy("schema.plant")] | None:
        rec = await r.one(info, "api.batch_operator", OperatorRecord, self.batch_id)
        return plant_schema.Operator.from_record(rec) if rec else None

    @strawberry.field(description="The shift it was produced in.")
    async def shift(self, info: Info) -> Annotated[Shift, strawberry.lazy("schema.plant")] | None:
        rec = await r.one(info, "api.batch_shift", ShiftRecord, self.batch_id)
        return plant_schema.Shift.from_record(rec) if rec else None

    @strawberry.field(description="Lots it consumed directly.")
    async def input_lots(
        self, info: Info
    ) -> list[Annotated[MaterialLot, strawberry.lazy("schema.lots")]]:
        recs = await r.many(info, "api.batch_input_lots", MaterialLotRecord, self.batch_id)
        return [lots_schema.MaterialLot.from_record(x) for x in recs]

    @strawberry.field(description="Sub-assembly batches it consumed directly, with quantities.")
    async def input_batches(self, info: Info) -> list[Batch]:
        recs = await r.many(info, "api.batch_input_batches", BatchRecord, self.batch_id)
        return [Batch.from_record(x) for x in recs]

    @strawberry.field(
        description="Batches that consumed it directly (its outputs), with quantities."
    )
    async def consumed_by(self, info: Info) -> list[Batch]:
        recs = await r.many(info, "api.batch_consumed_by", BatchRecord, self.batch_id)
        return [Batch.from_record(x) for x in recs]

    @strawberry.field(description="Serials it produced.")
    async def serials(
        self, info: Info
    ) -> list[Annotated[Serial, strawberry.lazy("schema.serials")]]:
        recs = await r.many(info, "api.batch_serials", SerialRecord, self.batch_id)
        return [serials_schema.Serial.from_record(x) for x in recs]

    @strawberry.field(description="Quality issues found in it, newest first.")
    async def issues(
        self, info: Info
    ) -> list[Annotated[QualityIssue, strawberry.lazy("schema.issues")]]:
        recs = await r.many(info, "api.batch_issues", QualityIssueRecord, self.batch_id)
        return [issues_schema.QualityIssue.from_record(x) for x in recs]
