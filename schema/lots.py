"""``MaterialLot``: one delivery of a material by a supplier."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

import schema.batches as batches_schema
import schema.issues as issues_schema
import schema.materials as materials_schema
import schema.suppliers as suppliers_schema
from graph.entities import (
    BatchRecord,
    MaterialLotRecord,
    MaterialRecord,
    QualityIssueRecord,
    SupplierRecord,
)
from resolvers import entities as r
from resolvers.context import Info

if TYPE_CHECKING:
    from schema.batches import Batch
    from schema.issues import QualityIssue
    from schema.materials import Material
    from schema.suppliers import Supplier


@strawberry.type(description="A lot of material delivered by a supplier (key: lotNumber).")
class MaterialLot:
    lot_number: str = strawberry.field(description="Lot key, e.g. LOT-2025-0001.")
    quantity: float | None = strawberry.field(description="Quantity received.")
    unit: str | None = strawberry.field(description="Unit of the quantity.")
    received_date: dt.date | None = strawberry.field(description="Day received.")
    expiry_date: dt.date | None = strawberry.field(description="Expiry day, if any.")
    inspection_result: str | None = strawberry.field(
        description="passed, failed, pending or conditional."
    )
    quarantine_status: str | None = strawberry.field(
        description="released, quarantined, on_hold or rejected."
    )
    promised_at: dt.date | None = strawberry.field(
        description="Promised delivery day (set when read through Supplier.lots)."
    )
    delivered_at: dt.date | None = strawberry.field(
        description="Actual delivery day (set when read through Supplier.lots)."
    )

    @classmethod
    def from_record(cls, rec: MaterialLotRecord) -> MaterialLot:
        return cls(
            lot_number=rec.lot_number,
            quantity=rec.quantity,
            unit=rec.unit,
            received_date=rec.received_date,
            expiry_date=rec.expiry_date,
            inspection_result=rec.inspection_result,
            quarantine_status=rec.quarantine_status,
            promised_at=rec.promised_at,
            delivered_at=rec.delivered_at,
        )

    @strawberry.field(description="The supplier that delivered it.")
    async def supplier(
        self, info: Info
    ) -> Annotated[Supplier, strawberry.lazy("schema.suppliers")] | None:
        rec = await r.one(info, "api.lot_supplier", SupplierRecord, self.lot_number)
        return suppliers_schema.Supplier.from_record(rec) if rec else None

    @strawberry.field(description="The material it is a lot of.")
    async def material(
        self, info: Info
    ) -> Annotated[Material, strawberry.lazy("schema.materials")] | None:
        rec = await r.one(info, "api.lot_material", MaterialRecord, self.lot_number)
        return materials_schema.Material.from_record(rec) if rec else None

    @strawberry.field(
        description="Batches that consumed it directly, with consumedQuantity (the lot's usage; "
        "forwardTrace follows it through sub-assemblies)."
    )
    async def consumed_by(
        self, info: Info
    ) -> list[Annotated[Batch, strawberry.lazy("schema.batches")]]:
        recs = await r.many(info, "api.lot_consumed_by", BatchRecord, self.lot_number)
        return [batches_schema.Batch.from_record(x) for x in recs]

    @strawberry.field(
        description="Quality issues found in batches that consumed it (at any depth), newest first."
    )
    async def issues(
        self, info: Info
    ) -> list[Annotated[QualityIssue, strawberry.lazy("schema.issues")]]:
        recs = await r.many(info, "api.lot_issues", QualityIssueRecord, self.lot_number)
        return [issues_schema.QualityIssue.from_record(x) for x in recs]
