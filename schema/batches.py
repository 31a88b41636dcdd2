"""``Batch``: a production run, its inputs (lots and sub-assembly batches) and outputs."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.entities import (
    BalanceModel,
    BatchModel,
    MachineModel,
    MaterialLotModel,
    OperatorModel,
    OrderModel,
    QualityIssueModel,
    SerialModel,
    ShiftModel,
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
    from schema.issues import QualityIssue
    from schema.lots import Balance, MaterialLot
    from schema.orders import Order
    from schema.plant import Machine, Operator, Shift
    from schema.serials import Serial


_HOLDS, _ON_HOLD = hold_fields("batch", lambda batch: batch.key, "batch")


@derived(BatchModel)
class Batch:
    order: Annotated[Order, strawberry.lazy("schema.orders")] | None = related(
        "api.batch_order",
        OrderModel,
        single=True,
        description="The order it was produced for (none for a sub-assembly).",
    )
    machine: Annotated[Machine, strawberry.lazy("schema.plant")] | None = related(
        "api.batch_machine", MachineModel, single=True, description="The machine it ran on."
    )
    operator: Annotated[Operator, strawberry.lazy("schema.plant")] | None = related(
        "api.batch_operator", OperatorModel, single=True, description="Its operator."
    )
    shift: Annotated[Shift, strawberry.lazy("schema.plant")] | None = related(
        "api.batch_shift", ShiftModel, single=True, description="The shift it was produced in."
    )
    input_lots: list[Annotated[MaterialLot, strawberry.lazy("schema.lots")]] = related(
        "api.batch_input_lots", MaterialLotModel, description="Lots it consumed directly."
    )
    input_batches: list[Batch] = related(
        "api.batch_input_batches",
        BatchModel,
        description="Sub-assembly batches it consumed directly, with quantities.",
    )
    consumed_by: list[Batch] = related(
        "api.batch_consumed_by",
        BatchModel,
        description="Batches that consumed it directly (its outputs), with quantities.",
    )
    balance: Annotated[Balance, strawberry.lazy("schema.lots")] | None = related(
        "shop.batch_balance",
        BalanceModel,
        single=True,
        description="What remains of it, in units: quantity less consumed and scrapped.",
    )
    serials: list[Annotated[Serial, strawberry.lazy("schema.serials")]] = related(
        "api.batch_serials", SerialModel, description="Serials it produced."
    )
    issues: list[Annotated[QualityIssue, strawberry.lazy("schema.issues")]] = related(
        "api.batch_issues",
        QualityIssueModel,
        description="Quality issues found in it, newest first.",
    )
    holds: list[Hold] = _HOLDS
    on_hold: bool = _ON_HOLD


BatchResult = Annotated[
    Batch | NotFound | InvalidArgument,
    strawberry.union("BatchResult", description="A batch, or why there is none."),
]


@strawberry.enum(
    description="Orders of the batch list: BATCH_ID, PRODUCTION_DATE_DESC (newest first)."
)
class BatchSort(enum.Enum):
    BATCH_ID = "batch_id"
    PRODUCTION_DATE_DESC = "production_date_desc"


@filters("batches")
@strawberry.input(description="Batch list filter; every field given must match.")
class BatchFilter:
    order_number: str | None = strawberry.field(default=None, description="Produced for order.")
    lot_number: str | None = strawberry.field(
        default=None, description="Consumed the lot, directly or through sub-assemblies."
    )
    status: str | None = strawberry.field(default=None, description="Batch status.")
    level: int | None = strawberry.field(default=None, description="Sub-assembly level.")
    produced_from: dt.date | None = strawberry.field(default=None, description="Produced on/after.")
    produced_to: dt.date | None = strawberry.field(default=None, description="Produced on/before.")
    on_hold: bool | None = strawberry.field(
        default=None, description="On hold (a lot upstream of it is held), or not."
    )


@strawberry.type
class BatchQuery:
    @strawberry.field(description="A batch by id.")
    async def batch(
        self,
        info: Info,
        id: Annotated[str, strawberry.argument(description="Batch id.")],
    ) -> BatchResult:
        return await lookup(
            info, Batch, argument="id", key=id, query="api.batch_by_id", what="batch"
        )

    @strawberry.field(description="Batches, filtered and sorted in the database.")
    async def batches(
        self,
        info: Info,
        filter: Annotated[BatchFilter | None, strawberry.argument(description=FILTER_HELP)] = None,
        sort: Annotated[
            BatchSort, strawberry.argument(description=SORT_HELP)
        ] = BatchSort.PRODUCTION_DATE_DESC,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[Batch]:
        return await page(
            info,
            "batches",
            Batch,
            filter=filter,
            sort=sort,
            first=first,
            after=after,
        )
