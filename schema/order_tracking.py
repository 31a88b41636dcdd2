"""Order tracking (seed 004): production stages, QC checks, status history and who changed it."""

from __future__ import annotations

import datetime as dt

import strawberry

from graph.entities import (
    OrderStatusChangeRecord,
    ProductionStageRecord,
    QCCheckRecord,
    UserRecord,
)
from resolvers import entities as r
from resolvers.context import Info


@strawberry.type(description="A person using the platform (key: id).")
class User:
    id: str = strawberry.field(description="User key, e.g. U-001.")
    email: str | None = strawberry.field(description="E-mail.")
    name: str | None = strawberry.field(description="Name.")
    role: str | None = strawberry.field(description="buyer, supplier or admin.")

    @classmethod
    def from_record(cls, rec: UserRecord) -> User:
        return cls(id=rec.id, email=rec.email, name=rec.name, role=rec.role)


@strawberry.type(description="One of an order's eight production stages.")
class ProductionStage:
    id: str = strawberry.field(description="Stage key, <orderNumber>/<sequence>.")
    sequence: int | None = strawberry.field(description="1-8.")
    name: str | None = strawberry.field(
        description="yarn_received, knitting, linking, washing_finishing, final_qc, packing, "
        "ready_to_ship or shipped."
    )
    status: str | None = strawberry.field(description="pending, in_progress, completed, delayed.")
    completion_percentage: int | None = strawberry.field(description="0-100.")
    started_at: dt.datetime | None = strawberry.field(description="When it started.")
    completed_at: dt.datetime | None = strawberry.field(description="When it completed.")
    target_date: dt.date | None = strawberry.field(description="Target day.")
    notes: str | None = strawberry.field(description="Notes.")
    photo_urls: list[str] = strawberry.field(description="Photo documentation.")

    @classmethod
    def from_record(cls, rec: ProductionStageRecord) -> ProductionStage:
        return cls(
            id=rec.id,
            sequence=rec.sequence,
            name=rec.name,
            status=rec.status,
            completion_percentage=rec.completion_percentage,
            started_at=rec.started_at,
            completed_at=rec.completed_at,
            target_date=rec.target_date,
            notes=rec.notes,
            photo_urls=list(rec.photo_urls),
        )


@strawberry.type(description="A quality control check on an order.")
class QCCheck:
    id: str = strawberry.field(description="QC check key.")
    result: str | None = strawberry.field(description="pass, fail or pending.")
    aql_level: str | None = strawberry.field(description="AQL level, e.g. 2.5.")
    sample_size: int | None = strawberry.field(description="Units sampled.")
    defects_found: int | None = strawberry.field(description="Defects found in the sample.")
    notes: str | None = strawberry.field(description="Notes.")
    photo_urls: list[str] = strawberry.field(description="Photo documentation.")
    checked_at: dt.datetime | None = strawberry.field(description="When it was checked.")

    @classmethod
    def from_record(cls, rec: QCCheckRecord) -> QCCheck:
        return cls(
            id=rec.id,
            result=rec.result,
            aql_level=rec.aql_level,
            sample_size=rec.sample_size,
            defects_found=rec.defects_found,
            notes=rec.notes,
            photo_urls=list(rec.photo_urls),
            checked_at=rec.checked_at,
        )

    @strawberry.field(description="The production stage it was made at.")
    async def stage(self, info: Info) -> ProductionStage | None:
        rec = await r.one(info, "api.qc_check_stage", ProductionStageRecord, self.id)
        return ProductionStage.from_record(rec) if rec else None


@strawberry.type(description="One change of an order's status.")
class OrderStatusChange:
    id: str = strawberry.field(description="Key, <orderNumber>/<n>.")
    from_status: str | None = strawberry.field(description="Status before.")
    to_status: str | None = strawberry.field(description="Status after.")
    changed_at: dt.datetime | None = strawberry.field(description="When.")

    @classmethod
    def from_record(cls, rec: OrderStatusChangeRecord) -> OrderStatusChange:
        return cls(
            id=rec.id,
            from_status=rec.from_status,
            to_status=rec.to_status,
            changed_at=rec.changed_at,
        )

    @strawberry.field(description="Who changed it.")
    async def changed_by(self, info: Info) -> User | None:
        rec = await r.one(info, "api.status_change_user", UserRecord, self.id)
        return User.from_record(rec) if rec else None
