"""``Supplier``: who delivers material lots, and its quality metrics."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.entities import (
    InspectionStateModel,
    MaterialLotModel,
    OrderModel,
    QualityIssueModel,
    SupplierModel,
    SupplierQualityMetricsModel,
)
from resolvers import entities as r
from resolvers.context import Info
from schema.derive import answers_with_model, derived, related
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
    from schema.issues import QualityIssue
    from schema.lots import MaterialLot
    from schema.orders import Order
    from schema.qc_checks import InspectionState


@derived(SupplierQualityMetricsModel)
class SupplierQualityMetrics:
    pass


async def _quality_metrics(
    root: SupplierModel,
    info: Info,
    date_from: Annotated[
        dt.date | None, strawberry.argument(name="from", description="First day counted.")
    ] = None,
    date_to: Annotated[
        dt.date | None, strawberry.argument(name="to", description="Last day counted.")
    ] = None,
) -> SupplierQualityMetricsModel:
    return await r.supplier_quality_metrics(info, root.id, date_from, date_to)


@derived(SupplierModel)
class Supplier:
    lots: list[Annotated[MaterialLot, strawberry.lazy("schema.lots")]] = related(
        "api.supplier_lots",
        MaterialLotModel,
        description="Lots it delivered, newest first, with promised/delivered dates.",
    )
    issues: list[Annotated[QualityIssue, strawberry.lazy("schema.issues")]] = related(
        "api.supplier_issues",
        QualityIssueModel,
        description="Quality issues found in batches that consumed its lots (at any depth), "
        "newest first.",
    )
    orders: list[Annotated[Order, strawberry.lazy("schema.orders")]] = related(
        "api.supplier_orders", OrderModel, description="Orders assigned to it."
    )
    inspection_states: list[Annotated[InspectionState, strawberry.lazy("schema.qc_checks")]] = (
        related(
            "api.supplier_inspection_states",
            InspectionStateModel,
            description="Its inspection severity (ISO 2859-1 switching state) per part number"
            " QC checks have inspected, by part number.",
        )
    )

    quality_metrics: SupplierQualityMetrics = strawberry.field(
        resolver=answers_with_model(_quality_metrics),
        description="Quality metrics over issues detected, lots received and batches produced "
        "between `from` and `to` (inclusive dates; either may be omitted).",
    )


SupplierResult = Annotated[
    Supplier | NotFound | InvalidArgument,
    strawberry.union("SupplierResult", description="A supplier, or why there is none."),
]


@strawberry.enum(description="Orders of the supplier list: ID, or NAME (then id).")
class SupplierSort(enum.Enum):
    ID = "id"
    NAME = "name"


@filters("suppliers")
@strawberry.input(description="Supplier list filter; every field given must match.")
class SupplierFilter:
    status: str | None = strawberry.field(
        default=None, description="active, probation, suspended or inactive."
    )
    country: str | None = strawberry.field(default=None, description="Country.")


@strawberry.type
class SupplierQuery:
    @strawberry.field(description="A supplier by id (e.g. SUP-001).")
    async def supplier(
        self,
        info: Info,
        id: Annotated[str, strawberry.argument(description="Supplier id, e.g. SUP-001.")],
    ) -> SupplierResult:
        return await lookup(
            info, Supplier, argument="id", key=id, query="api.supplier_by_id", what="supplier"
        )

    @strawberry.field(description="Suppliers, filtered and sorted in the database.")
    async def suppliers(
        self,
        info: Info,
        filter: Annotated[
            SupplierFilter | None, strawberry.argument(description=FILTER_HELP)
        ] = None,
        sort: Annotated[SupplierSort, strawberry.argument(description=SORT_HELP)] = SupplierSort.ID,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[Supplier]:
        return await page(
            info,
            "suppliers",
            Supplier,
            filter=filter,
            sort=sort,
            first=first,
            after=after,
        )
