"""``MaterialLot``: a delivery of a material by a supplier."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.entities import (
    BalanceModel,
    BatchModel,
    MaterialLotModel,
    MaterialModel,
    QualityIssueModel,
    SupplierModel,
)
from resolvers.context import Info
from schema.derive import derived, related
from schema.holds import Hold, hold_fields
from schema.listing import (
    DEFAULT_PAGE_SIZE,
    FILTER_HELP,
    SORT_HELP,
    AfterArg,
    FirstArg,
    filters,
    lookup,
    page,
)
from schema.pagination import Connection
from schema.results import InvalidArgument, NotFound

if TYPE_CHECKING:
    from schema.batches import Batch
    from schema.issues import QualityIssue
    from schema.materials import Material
    from schema.suppliers import Supplier


@derived(BalanceModel)
class Balance:
    pass


_HOLDS, _ON_HOLD = hold_fields("lot", lambda lot: lot.key, "lot")


@derived(MaterialLotModel)
class MaterialLot:
    supplier: Annotated[Supplier, strawberry.lazy("schema.suppliers")] | None = related(
        "api.lot_supplier",
        SupplierModel,
        single=True,
        description="The supplier that delivered it.",
    )
    material: Annotated[Material, strawberry.lazy("schema.materials")] | None = related(
        "api.lot_material", MaterialModel, single=True, description="The material it is a lot of."
    )
    consumed_by: list[Annotated[Batch, strawberry.lazy("schema.batches")]] = related(
        "api.lot_consumed_by",
        BatchModel,
        description="Batches that consumed it directly, with consumedQuantity (the lot's usage; "
        "forwardTrace follows it through sub-assemblies).",
    )
    balance: Balance | None = related(
        "shop.lot_balance",
        BalanceModel,
        single=True,
        description="What remains of it: quantity less consumed and scrapped (the mass balance).",
    )
    issues: list[Annotated[QualityIssue, strawberry.lazy("schema.issues")]] = related(
        "api.lot_issues",
        QualityIssueModel,
        description="Quality issues found in batches that consumed it (at any depth), "
        "newest first.",
    )
    holds: list[Hold] = _HOLDS
    on_hold: bool = _ON_HOLD


LotResult = Annotated[
    MaterialLot | NotFound | InvalidArgument,
    strawberry.union("LotResult", description="A material lot, or why there is none."),
]


@strawberry.enum(
    description="Orders of the lot list: LOT_NUMBER, RECEIVED_DATE_DESC (newest first)."
)
class LotSort(enum.Enum):
    LOT_NUMBER = "lot_number"
    RECEIVED_DATE_DESC = "received_date_desc"


@filters("lots")
@strawberry.input(description="Lot list filter; every field given must match.")
class LotFilter:
    supplier_id: str | None = strawberry.field(default=None, description="Delivered by supplier.")
    material_id: str | None = strawberry.field(default=None, description="Of material.")
    quarantine_status: str | None = strawberry.field(default=None, description="Quarantine status.")
    inspection_result: str | None = strawberry.field(default=None, description="Inspection result.")
    received_from: dt.date | None = strawberry.field(default=None, description="Received on/after.")
    received_to: dt.date | None = strawberry.field(default=None, description="Received on/before.")
    on_hold: bool | None = strawberry.field(
        default=None, description="On hold (quarantined, on_hold or rejected), or not."
    )


@strawberry.type
class LotQuery:
    @strawberry.field(description="A material lot by lot number.")
    async def lot(
        self,
        info: Info,
        lot_number: Annotated[
            str, strawberry.argument(description="Lot number, e.g. LOT-2025-0001.")
        ],
    ) -> LotResult:
        return await lookup(
            info,
            MaterialLot,
            argument="lotNumber",
            key=lot_number,
            query="api.lot_by_number",
            what="lot",
        )

    @strawberry.field(description="Material lots, filtered and sorted in the database.")
    async def lots(
        self,
        info: Info,
        filter: Annotated[LotFilter | None, strawberry.argument(description=FILTER_HELP)] = None,
        sort: Annotated[
            LotSort, strawberry.argument(description=SORT_HELP)
        ] = LotSort.RECEIVED_DATE_DESC,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[MaterialLot]:
        return await page(
            info,
            "lots",
            MaterialLot,
            filter=filter,
            sort=sort,
            first=first,
            after=after,
        )
