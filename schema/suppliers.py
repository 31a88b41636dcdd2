"""``Supplier``: who delivers material lots, and its quality metrics."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

import schema.issues as issues_schema
import schema.lots as lots_schema
import schema.orders as orders_schema
from graph.entities import (
    MaterialLotRecord,
    OrderRecord,
    QualityIssueRecord,
    SupplierQualityMetricsRecord,
    SupplierRecord,
)
from resolvers import entities as r
from resolvers.context import Info

if TYPE_CHECKING:
    from schema.issues import QualityIssue
    from schema.lots import MaterialLot
    from schema.orders import Order


@strawberry.type(
    description="Supplier quality over a period (seed 000 section 7.3): issues found downstream "
    "of the supplier's lots, their cost and the delivery record."
)
class SupplierQualityMetrics:
    supplier_id: str = strawberry.field(description="The supplier.")
    total_issues: int = strawberry.field(
        description="Quality issues detected in the period in batches that consumed the "
        "supplier's lots (directly or through sub-assemblies)."
    )
    total_parts_affected: int = strawberry.field(description="Sum of those issues' parts affected.")
    parts_produced: int = strawberry.field(
        description="Parts produced in the period by batches that consumed the supplier's lots."
    )
    defect_rate_ppm: float | None = strawberry.field(
        description="Parts affected per million parts produced; null when nothing was produced."
    )
    high_severity_issues: int = strawberry.field(description="Issues of severity high or critical.")
    total_cost_impact: float = strawberry.field(description="Sum of those issues' total cost.")
    lots_received: int = strawberry.field(description="Lots received from it in the period.")
    on_time_delivery_percent: float | None = strawberry.field(
        description="Share of those lots delivered on or before the promised date (0-100); null "
        "when no lot has a promised date."
    )

    @classmethod
    def from_record(cls, rec: SupplierQualityMetricsRecord) -> SupplierQualityMetrics:
        return cls(
            supplier_id=rec.supplier_id,
            total_issues=rec.total_issues,
            total_parts_affected=rec.total_parts_affected,
            parts_produced=rec.parts_produced,
            defect_rate_ppm=rec.defect_rate_ppm,
            high_severity_issues=rec.high_severity_issues,
            total_cost_impact=rec.total_cost_impact,
            lots_received=rec.lots_received,
            on_time_delivery_percent=rec.on_time_delivery_percent,
        )


@strawberry.type(description="A company that delivers material lots (key: id, e.g. SUP-001).")
class Supplier:
    id: str = strawberry.field(description="Supplier key, e.g. SUP-001.")
    name: str = strawberry.field(description="Company name.")
    contact_name: str | None = strawberry.field(description="Contact person.")
    contact_email: str | None = strawberry.field(description="Contact e-mail.")
    phone: str | None = strawberry.field(description="Contact phone.")
    country: str | None = strawberry.field(description="Country.")
    certifications: list[str] = strawberry.field(description="Certifications, e.g. ISO 9001.")
    status: str | None = strawberry.field(description="active, probation, suspended or inactive.")

    @classmethod
    def from_record(cls, rec: SupplierRecord) -> Supplier:
        return cls(
            id=rec.id,
            name=rec.name,
            contact_name=rec.contact_name,
            contact_email=rec.contact_email,
            phone=rec.phone,
            country=rec.country,
            certifications=list(rec.certifications),
            status=rec.status,
        )

    @strawberry.field(description="Lots it delivered, newest first, with promised/delivered dates.")
    async def lots(
        self, info: Info
    ) -> list[Annotated[MaterialLot, strawberry.lazy("schema.lots")]]:
        recs = await r.many(info, "api.supplier_lots", MaterialLotRecord, self.id)
        return [lots_schema.MaterialLot.from_record(x) for x in recs]

    @strawberry.field(
        description="Quality issues found in batches that consumed its lots (at any depth), "
        "newest first."
    )
    async def issues(
        self, info: Info
    ) -> list[Annotated[QualityIssue, strawberry.lazy("schema.issues")]]:
        recs = await r.many(info, "api.supplier_issues", QualityIssueRecord, self.id)
        return [issues_schema.QualityIssue.from_record(x) for x in recs]

    @strawberry.field(description="Orders assigned to it.")
    async def orders(self, info: Info) -> list[Annotated[Order, strawberry.lazy("schema.orders")]]:
        recs = await r.many(info, "api.supplier_orders", OrderRecord, self.id)
        return [orders_schema.Order.from_record(x) for x in recs]

    @strawberry.field(
        description="Quality metrics over issues detected, lots received and batches produced "
        "between `from` and `to` (inclusive dates; either may be omitted)."
    )
    async def quality_metrics(
        self,
        info: Info,
        date_from: Annotated[
            dt.date | None, strawberry.argument(name="from", description="First day counted.")
        ] = None,
        date_to: Annotated[
            dt.date | None, strawberry.argument(name="to", description="Last day counted.")
        ] = None,
    ) -> SupplierQualityMetrics:
        rec = await r.supplier_quality_metrics(info, self.id, date_from, date_to)
        return SupplierQualityMetrics.from_record(rec)
