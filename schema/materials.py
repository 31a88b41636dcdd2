"""``Material``: what lots are of, and who is preferred to supply it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

import schema.lots as lots_schema
import schema.suppliers as suppliers_schema
from graph.entities import MaterialLotRecord, MaterialRecord, SupplierRecord
from resolvers import entities as r
from resolvers.context import Info

if TYPE_CHECKING:
    from schema.lots import MaterialLot
    from schema.suppliers import Supplier


@strawberry.type(description="A material (key: id, e.g. MAT-001); lots are deliveries of it.")
class Material:
    id: str = strawberry.field(description="Material key, e.g. MAT-001.")
    name: str = strawberry.field(description="Name.")
    category: str | None = strawberry.field(description="Category, e.g. metal, yarn.")
    unit: str | None = strawberry.field(description="Unit of measure, e.g. kg.")
    specification: str | None = strawberry.field(description="Specification reference.")
    requirements: list[str] = strawberry.field(description="Quality requirements.")

    @classmethod
    def from_record(cls, rec: MaterialRecord) -> Material:
        return cls(
            id=rec.id,
            name=rec.name,
            category=rec.category,
            unit=rec.unit,
            specification=rec.specification,
            requirements=list(rec.requirements),
        )

    @strawberry.field(description="Lots of this material, newest first.")
    async def lots(
        self, info: Info
    ) -> list[Annotated[MaterialLot, strawberry.lazy("schema.lots")]]:
        recs = await r.many(info, "api.material_lots", MaterialLotRecord, self.id)
        return [lots_schema.MaterialLot.from_record(x) for x in recs]

    @strawberry.field(description="Preferred suppliers, best rank first.")
    async def preferred_suppliers(
        self, info: Info
    ) -> list[Annotated[Supplier, strawberry.lazy("schema.suppliers")]]:
        recs = await r.many(info, "api.material_preferred_suppliers", SupplierRecord, self.id)
        return [suppliers_schema.Supplier.from_record(x) for x in recs]
