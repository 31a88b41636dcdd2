"""``QualityIssue`` with the seed 000 section 4.3 shape, every part derived by traversal."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

import schema.batches as batches_schema
import schema.investigations as inv_schema
import schema.serials as serials_schema
from graph.entities import (
    ActionRecord,
    BatchRecord,
    InvestigationRecord,
    MaterialUsedRecord,
    QualityIssueRecord,
    SerialRecord,
    SupplierNotificationRecord,
    TraceabilityRecord,
)
from resolvers import entities as r
from resolvers.context import Info

if TYPE_CHECKING:
    from schema.batches import Batch
    from schema.investigations import Action, Investigation, SupplierNotification
    from schema.serials import Serial


@strawberry.type(description="What the issue cost (seed 000 cost_impact).")
class CostImpact:
    scrap_cost: float | None = strawberry.field(description="Scrap cost.")
    rework_cost: float | None = strawberry.field(description="Rework cost.")
    downtime_cost: float | None = strawberry.field(description="Downtime cost.")
    investigation_cost: float | None = strawberry.field(description="Investigation cost.")
    total_cost: float | None = strawberry.field(description="Total cost.")
    charged_to_supplier: bool | None = strawberry.field(
        description="Whether it is charged to the supplier."
    )


@strawberry.type(
    description="Seed 000 traceability of an issue, derived from its batch: order, part number, "
    "customer, affected serials, shift and operator."
)
class Traceability:
    batch_id: str | None = strawberry.field(description="The batch the issue was found in.")
    order_id: str | None = strawberry.field(
        description="Order number of that batch, or of the batch that consumed it (sub-assembly)."
    )
    part_number: str | None = strawberry.field(description="The order's part number.")
    customer: str | None = strawberry.field(description="Name of the order's customer.")
    affected_serials: list[str] = strawberry.field(description="Serial numbers affected.")
    shift: str | None = strawberry.field(description="Shift id of the batch.")
    operator: str | None = strawberry.field(description="Operator name of the batch.")

    @classmethod
    def from_record(cls, rec: TraceabilityRecord) -> Traceability:
        return cls(
            batch_id=rec.batch_id,
            order_id=rec.order_id,
            part_number=rec.part_number,
            customer=rec.customer,
            affected_serials=list(rec.affected_serials),
            shift=rec.shift,
            operator=rec.operator,
        )


@strawberry.type(
    description="A lot behind the issue's batch (at any depth), with material and supplier."
)
class MaterialUsed:
    material_id: str | None = strawberry.field(description="Material key.")
    material_name: str | None = strawberry.field(description="Material name.")
    lot_number: str = strawberry.field(description="Lot key.")
    supplier_id: str | None = strawberry.field(description="Supplier key.")
    supplier_name: str | None = strawberry.field(description="Supplier name (read, not cached).")

    @classmethod
    def from_record(cls, rec: MaterialUsedRecord) -> MaterialUsed:
        return cls(
            material_id=rec.material_id,
            material_name=rec.material_name,
            lot_number=rec.lot_number,
            supplier_id=rec.supplier_id,
            supplier_name=rec.supplier_name,
        )


@strawberry.type(description="A quality issue found in a batch (key: issueId).")
class QualityIssue:
    issue_id: str = strawberry.field(description="Issue key, e.g. QI-2025-1003-001.")
    type: str | None = strawberry.field(description="Defect type.")
    description: str | None = strawberry.field(description="What was found.")
    parts_affected: int | None = strawberry.field(description="Parts affected.")
    severity: str | None = strawberry.field(description="low, medium, high or critical.")
    status: str | None = strawberry.field(description="open, investigating, contained or closed.")
    detected_at: dt.datetime | None = strawberry.field(description="When it was detected.")
    detected_by: str | None = strawberry.field(description="Who detected it.")
    detection_point: str | None = strawberry.field(description="Where it was detected.")
    cost_impact: CostImpact = strawberry.field(description="What it cost.")

    @classmethod
    def from_record(cls, rec: QualityIssueRecord) -> QualityIssue:
        return cls(
            issue_id=rec.issue_id,
            type=rec.type,
            description=rec.description,
            parts_affected=rec.parts_affected,
            severity=rec.severity,
            status=rec.status,
            detected_at=rec.detected_at,
            detected_by=rec.detected_by,
            detection_point=rec.detection_point,
            cost_impact=CostImpact(
                scrap_cost=rec.scrap_cost,
                rework_cost=rec.rework_cost,
                downtime_cost=rec.downtime_cost,
                investigation_cost=rec.investigation_cost,
                total_cost=rec.total_cost,
                charged_to_supplier=rec.charged_to_supplier,
            ),
        )

    @strawberry.field(description="The batch it was found in.")
    async def batch(self, info: Info) -> Annotated[Batch, strawberry.lazy("schema.batches")] | None:
        rec = await r.one(info, "api.issue_batch", BatchRecord, self.issue_id)
        return batches_schema.Batch.from_record(rec) if rec else None

    @strawberry.field(description="Serials it affects.")
    async def serials(
        self, info: Info
    ) -> list[Annotated[Serial, strawberry.lazy("schema.serials")]]:
        recs = await r.many(info, "api.issue_serials", SerialRecord, self.issue_id)
        return [serials_schema.Serial.from_record(x) for x in recs]

    @strawberry.field(description="Its root-cause investigation, if one was opened.")
    async def investigation(
        self, info: Info
    ) -> Annotated[Investigation, strawberry.lazy("schema.investigations")] | None:
        rec = await r.one(info, "api.issue_investigation", InvestigationRecord, self.issue_id)
        return inv_schema.Investigation.from_record(rec) if rec else None

    @strawberry.field(description="Its corrective actions.")
    async def corrective_actions(
        self, info: Info
    ) -> list[Annotated[Action, strawberry.lazy("schema.investigations")]]:
        recs = await r.many(info, "api.issue_actions", ActionRecord, self.issue_id)
        return [inv_schema.Action.from_record(x) for x in recs if x.kind == "corrective"]

    @strawberry.field(description="Its preventive actions.")
    async def preventive_actions(
        self, info: Info
    ) -> list[Annotated[Action, strawberry.lazy("schema.investigations")]]:
        recs = await r.many(info, "api.issue_actions", ActionRecord, self.issue_id)
        return [inv_schema.Action.from_record(x) for x in recs if x.kind == "preventive"]

    @strawberry.field(description="The notification to the supplier; null when not notified.")
    async def supplier_notification(
        self, info: Info
    ) -> Annotated[SupplierNotification, strawberry.lazy("schema.investigations")] | None:
        rec = await r.one(info, "api.issue_notification", SupplierNotificationRecord, self.issue_id)
        return inv_schema.SupplierNotification.from_record(rec) if rec else None

    @strawberry.field(description="Seed 000 traceability: batch, order, customer, serials, shift.")
    async def traceability(self, info: Info) -> Traceability | None:
        rec = await r.one(info, "api.issue_traceability", TraceabilityRecord, self.issue_id)
        return Traceability.from_record(rec) if rec else None

    @strawberry.field(
        description="Seed 000 materials used: every lot behind its batch, through sub-assemblies."
    )
    async def materials_used(self, info: Info) -> list[MaterialUsed]:
        recs = await r.many(info, "api.issue_materials_used", MaterialUsedRecord, self.issue_id)
        return [MaterialUsed.from_record(x) for x in recs]
