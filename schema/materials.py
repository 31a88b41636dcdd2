"""``Material``: the catalogue; lots are deliveries of a material."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.entities import MaterialLotModel, MaterialModel, SupplierModel
from resolvers.context import Info
from schema.derive import derived, related
from schema.listing import (
    lookup,
)
from schema.results import InvalidArgument, NotFound

if TYPE_CHECKING:
    from schema.lots import MaterialLot
    from schema.suppliers import Supplier


@derived(MaterialModel)
class Material:
    lots: list[Annotated[MaterialLot, strawberry.lazy("schema.lots")]] = related(
        "api.material_lots", MaterialLotModel, description="Lots of this material, newest first."
    )
    preferred_suppliers: list[Annotated[Supplier, strawberry.lazy("schema.suppliers")]] = related(
        "api.material_preferred_suppliers",
        SupplierModel,
        description="Preferred suppliers, best rank first.",
    )


MaterialResult = Annotated[
    Material | NotFound | InvalidArgument,
    strawberry.union("MaterialResult", description="A material, or why there is none."),
]


@strawberry.type
class MaterialQuery:
    @strawberry.field(description="A material by id (e.g. MAT-001).")
    async def material(
        self,
        info: Info,
        id: Annotated[str, strawberry.argument(description="Material id, e.g. MAT-001.")],
    ) -> MaterialResult:
        return await lookup(
            info, Material, argument="id", key=id, query="api.material_by_id", what="material"
        )
