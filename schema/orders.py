"""``Order``: a customer order, its production and its quality."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.entities import (
    BatchModel,
    CustomerModel,
    DocumentModel,
    OrderModel,
    OrderStatusChangeModel,
    ProductionStageModel,
    QCCheckModel,
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
    from schema.customers import Customer
    from schema.issues import QualityIssue
    from schema.order_tracking import Document, OrderStatusChange, ProductionStage, QCCheck
    from schema.suppliers import Supplier


_HOLDS, _ON_HOLD = hold_fields("order", lambda order: order.key, "order")


@derived(OrderModel)
class Order:
    customer: Annotated[Customer, strawberry.lazy("schema.customers")] | None = related(
        "api.order_customer", CustomerModel, single=True, description="The customer that placed it."
    )
    supplier: Annotated[Supplier, strawberry.lazy("schema.suppliers")] | None = related(
        "api.order_supplier",
        SupplierModel,
        single=True,
        description="The supplier it is assigned to, if any.",
    )
    batches: list[Annotated[Batch, strawberry.lazy("schema.batches")]] = related(
        "api.order_batches", BatchModel, description="Batches produced for it, oldest first."
    )
    stages: list[Annotated[ProductionStage, strawberry.lazy("schema.order_tracking")]] = related(
        "api.order_stages", ProductionStageModel, description="Its production stages in sequence."
    )
    qc_checks: list[Annotated[QCCheck, strawberry.lazy("schema.order_tracking")]] = related(
        "api.order_qc_checks", QCCheckModel, description="Its QC checks, oldest first."
    )
    documents: list[Annotated[Document, strawberry.lazy("schema.order_tracking")]] = related(
        "api.order_documents",
        DocumentModel,
        description="Documents and photos attached to the order itself, oldest first.",
    )
    status_history: list[Annotated[OrderStatusChange, strawberry.lazy("schema.order_tracking")]] = (
        related(
            "api.order_status_history",
            OrderStatusChangeModel,
            description="Its status changes, newest first.",
        )
    )
    issues: list[Annotated[QualityIssue, strawberry.lazy("schema.issues")]] = related(
        "api.order_issues",
        QualityIssueModel,
        description="Quality issues found in its batches or the sub-assemblies they consumed.",
    )
    holds: list[Hold] = _HOLDS
    on_hold: bool = _ON_HOLD


OrderResult = Annotated[
    Order | NotFound | InvalidArgument,
    strawberry.union("OrderResult", description="An order, or why there is none."),
]


@strawberry.enum(
    description="Orders of the order list: ORDER_NUMBER, CREATED_AT_DESC (newest first), "
    "DUE_DATE (earliest first); ties broken by order number."
)
class OrderSort(enum.Enum):
    ORDER_NUMBER = "order_number"
    CREATED_AT_DESC = "created_at_desc"
    DUE_DATE = "due_date"


@filters("orders")
@strawberry.input(description="Order list filter; every field given must match.")
class OrderFilter:
    status: str | None = strawberry.field(default=None, description="Order status.")
    workflow_status: str | None = strawberry.field(default=None, description="Workflow status.")
    customer_id: str | None = strawberry.field(default=None, description="Placed by customer.")
    supplier_id: str | None = strawberry.field(default=None, description="Assigned to supplier.")
    due_from: dt.date | None = strawberry.field(default=None, description="Due on or after.")
    due_to: dt.date | None = strawberry.field(default=None, description="Due on or before.")
    on_hold: bool | None = strawberry.field(
        default=None, description="On hold (a lot upstream of one of its batches is held), or not."
    )


@strawberry.type
class OrderQuery:
    @strawberry.field(description="An order by order number (e.g. ORD-1001).")
    async def order(
        self,
        info: Info,
        order_number: Annotated[
            str, strawberry.argument(description="Order number, e.g. ORD-1001.")
        ],
    ) -> OrderResult:
        return await lookup(
            info,
            Order,
            argument="orderNumber",
            key=order_number,
            query="api.order_by_number",
            what="order",
        )

    @strawberry.field(description="Orders, filtered and sorted in the database.")
    async def orders(
        self,
        info: Info,
        filter: Annotated[OrderFilter | None, strawberry.argument(description=FILTER_HELP)] = None,
        sort: Annotated[
            OrderSort, strawberry.argument(description=SORT_HELP)
        ] = OrderSort.CREATED_AT_DESC,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[Order]:
        return await page(
            info,
            "orders",
            Order,
            filter=filter,
            sort=sort,
            first=first,
            after=after,
        )
