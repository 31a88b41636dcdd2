"""``Order``: a customer order, its production and its quality."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

import schema.batches as batches_schema
import schema.customers as customers_schema
import schema.issues as issues_schema
import schema.order_tracking as tracking_schema
import schema.suppliers as suppliers_schema
from graph.entities import (
    BatchRecord,
    CustomerRecord,
    OrderRecord,
    OrderStatusChangeRecord,
    ProductionStageRecord,
    QCCheckRecord,
    QualityIssueRecord,
    SupplierRecord,
)
from resolvers import entities as r
from resolvers.context import Info

if TYPE_CHECKING:
    from schema.batches import Batch
    from schema.customers import Customer
    from schema.issues import QualityIssue
    from schema.order_tracking import OrderStatusChange, ProductionStage, QCCheck
    from schema.suppliers import Supplier


@strawberry.type(description="A customer order (key: orderNumber, e.g. ORD-1001).")
class Order:
    order_number: str = strawberry.field(description="Order key, e.g. ORD-1001.")
    part_number: str | None = strawberry.field(description="Part number ordered.")
    product_type: str | None = strawberry.field(description="Product type.")
    quantity: int | None = strawberry.field(description="Quantity ordered.")
    due_date: dt.date | None = strawberry.field(description="Due day.")
    created_at: dt.datetime | None = strawberry.field(description="When the order was created.")
    status: str | None = strawberry.field(
        description="pending, confirmed, in_production, completed or cancelled."
    )
    workflow_status: str | None = strawberry.field(
        description="quote_requested, quote_provided, quote_accepted, assigned_to_supplier, "
        "in_production, quality_check, shipped, delivered, completed or delayed."
    )
    production_status: str | None = strawberry.field(
        description="not_started, in_progress, delayed or completed."
    )
    current_stage: int | None = strawberry.field(description="Current production stage (1-8).")
    buyer_price: float | None = strawberry.field(description="Price to the buyer.")
    supplier_cost: float | None = strawberry.field(description="Cost from the supplier.")
    expected_delivery_date: dt.date | None = strawberry.field(description="Expected delivery.")
    actual_delivery_date: dt.date | None = strawberry.field(description="Actual delivery.")

    @classmethod
    def from_record(cls, rec: OrderRecord) -> Order:
        return cls(
            order_number=rec.order_number,
            part_number=rec.part_number,
            product_type=rec.product_type,
            quantity=rec.quantity,
            due_date=rec.due_date,
            created_at=rec.created_at,
            status=rec.status,
            workflow_status=rec.workflow_status,
            production_status=rec.production_status,
            current_stage=rec.current_stage,
            buyer_price=rec.buyer_price,
            supplier_cost=rec.supplier_cost,
            expected_delivery_date=rec.expected_delivery_date,
            actual_delivery_date=rec.actual_delivery_date,
        )

    @strawberry.field(description="The customer that placed it.")
    async def customer(
        self, info: Info
    ) -> Annotated[Customer, strawberry.lazy("schema.customers")] | None:
        rec = await r.one(info, "api.order_customer", CustomerRecord, self.order_number)
        return customers_schema.Customer.from_record(rec) if rec else None

    @strawberry.field(description="The supplier it is assigned to, if any.")
    async def supplier(
        self, info: Info
    ) -> Annotated[Supplier, strawberry.lazy("schema.suppliers")] | None:
        rec = await r.one(info, "api.order_supplier", SupplierRecord, self.order_number)
        return suppliers_schema.Supplier.from_record(rec) if rec else None

    @strawberry.field(description="Batches produced for it, oldest first.")
    async def batches(
        self, info: Info
    ) -> list[Annotated[Batch, strawberry.lazy("schema.batches")]]:
        recs = await r.many(info, "api.order_batches", BatchRecord, self.order_number)
        return [batches_schema.Batch.from_record(x) for x in recs]

    @strawberry.field(description="Its production stages in sequence.")
    async def stages(
        self, info: Info
    ) -> list[Annotated[ProductionStage, strawberry.lazy("schema.order_tracking")]]:
        recs = await r.many(info, "api.order_stages", ProductionStageRecord, self.order_number)
        return [tracking_schema.ProductionStage.from_record(x) for x in recs]

    @strawberry.field(description="Its QC checks, oldest first.")
    async def qc_checks(
        self, info: Info
    ) -> list[Annotated[QCCheck, strawberry.lazy("schema.order_tracking")]]:
        recs = await r.many(info, "api.order_qc_checks", QCCheckRecord, self.order_number)
        return [tracking_schema.QCCheck.from_record(x) for x in recs]

    @strawberry.field(description="Its status changes, oldest first.")
    async def status_history(
        self, info: Info
    ) -> list[Annotated[OrderStatusChange, strawberry.lazy("schema.order_tracking")]]:
        recs = await r.many(
            info, "api.order_status_history", OrderStatusChangeRecord, self.order_number
        )
        return [tracking_schema.OrderStatusChange.from_record(x) for x in recs]

    @strawberry.field(
        description="Quality issues found in its batches or the sub-assemblies they consumed."
    )
    async def issues(
        self, info: Info
    ) -> list[Annotated[QualityIssue, strawberry.lazy("schema.issues")]]:
        recs = await r.many(info, "api.order_issues", QualityIssueRecord, self.order_number)
        return [issues_schema.QualityIssue.from_record(x) for x in recs]
