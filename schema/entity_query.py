"""Root fields over the entities: lookups by key (typed results) and filtered, sorted lists."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import strawberry

from graph.entities import (
    BatchRecord,
    CustomerRecord,
    MaterialLotRecord,
    MaterialRecord,
    OrderRecord,
    QualityIssueRecord,
    Record,
    SerialRecord,
    SupplierRecord,
)
from resolvers import entities as r
from resolvers import lists
from resolvers.context import Info
from schema.batches import Batch
from schema.customers import Customer
from schema.issues import QualityIssue
from schema.lots import MaterialLot
from schema.materials import Material
from schema.orders import Order
from schema.pagination import Connection, connection
from schema.results import InvalidArgument, NotFound, key_problem
from schema.serials import Serial
from schema.suppliers import Supplier

R = TypeVar("R", bound=Record)
T = TypeVar("T")


async def _lookup(
    info: Info,
    *,
    argument: str,
    key: str,
    query: str,
    record: type[R],
    convert: Callable[[R], T],
    what: str,
) -> T | NotFound | InvalidArgument:
    """A root lookup by key: the key checked, the record fetched through the request's
    DataLoader, then converted, or ``NotFound`` (missing, or outside the caller's scope)."""
    problem = key_problem(argument, key)
    if problem:
        return problem
    rec = await r.one(info, query, record, key)
    if rec is None:
        return NotFound(message=f"no {what} {key}", key=key)
    return convert(rec)


DEFAULT_PAGE_SIZE = 20

SupplierResult = Annotated[
    Supplier | NotFound | InvalidArgument,
    strawberry.union("SupplierResult", description="A supplier, or why there is none."),
]
MaterialResult = Annotated[
    Material | NotFound | InvalidArgument,
    strawberry.union("MaterialResult", description="A material, or why there is none."),
]
LotResult = Annotated[
    MaterialLot | NotFound | InvalidArgument,
    strawberry.union("LotResult", description="A material lot, or why there is none."),
]
CustomerResult = Annotated[
    Customer | NotFound | InvalidArgument,
    strawberry.union("CustomerResult", description="A customer, or why there is none."),
]
OrderResult = Annotated[
    Order | NotFound | InvalidArgument,
    strawberry.union("OrderResult", description="An order, or why there is none."),
]
BatchResult = Annotated[
    Batch | NotFound | InvalidArgument,
    strawberry.union("BatchResult", description="A batch, or why there is none."),
]
SerialResult = Annotated[
    Serial | NotFound | InvalidArgument,
    strawberry.union("SerialResult", description="A serial, or why there is none."),
]
QualityIssueResult = Annotated[
    QualityIssue | NotFound | InvalidArgument,
    strawberry.union("QualityIssueResult", description="A quality issue, or why there is none."),
]


@strawberry.enum(description="Orders of the supplier list: ID, or NAME (then id).")
class SupplierSort(enum.Enum):
    ID = "id"
    NAME = "name"


@strawberry.enum(
    description="Orders of the order list: ORDER_NUMBER, CREATED_AT_DESC (newest first), "
    "DUE_DATE (earliest first); ties broken by order number."
)
class OrderSort(enum.Enum):
    ORDER_NUMBER = "order_number"
    CREATED_AT_DESC = "created_at_desc"
    DUE_DATE = "due_date"


@strawberry.enum(
    description="Orders of the lot list: LOT_NUMBER, RECEIVED_DATE_DESC (newest first)."
)
class LotSort(enum.Enum):
    LOT_NUMBER = "lot_number"
    RECEIVED_DATE_DESC = "received_date_desc"


@strawberry.enum(
    description="Orders of the batch list: BATCH_ID, PRODUCTION_DATE_DESC (newest first)."
)
class BatchSort(enum.Enum):
    BATCH_ID = "batch_id"
    PRODUCTION_DATE_DESC = "production_date_desc"


@strawberry.enum(
    description="Orders of the quality issue list: ISSUE_ID, DETECTED_AT_DESC (newest "
    "first), TOTAL_COST_DESC (costliest first); ties broken by issue id."
)
class QualityIssueSort(enum.Enum):
    ISSUE_ID = "issue_id"
    DETECTED_AT_DESC = "detected_at_desc"
    TOTAL_COST_DESC = "total_cost_desc"


@strawberry.enum(description="How severe a quality issue is.")
class Severity(enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


@strawberry.enum(description="Where a quality issue stands.")
class IssueStatus(enum.Enum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    CONTAINED = "contained"
    CLOSED = "closed"


@strawberry.enum(description="Root-cause category of an investigation.")
class RootCause(enum.Enum):
    MATERIAL = "material"
    MACHINE = "machine"
    PROCESS = "process"
    OPERATOR = "operator"
    DESIGN = "design"


@strawberry.input(description="Supplier list filter; every field given must match.")
class SupplierFilter:
    status: str | None = strawberry.field(
        default=None, description="active, probation, suspended or inactive."
    )
    country: str | None = strawberry.field(default=None, description="Country.")


@strawberry.input(description="Order list filter; every field given must match.")
class OrderFilter:
    status: str | None = strawberry.field(default=None, description="Order status.")
    workflow_status: str | None = strawberry.field(default=None, description="Workflow status.")
    customer_id: str | None = strawberry.field(default=None, description="Placed by customer.")
    supplier_id: str | None = strawberry.field(default=None, description="Assigned to supplier.")
    due_from: dt.date | None = strawberry.field(default=None, description="Due on or after.")
    due_to: dt.date | None = strawberry.field(default=None, description="Due on or before.")


@strawberry.input(description="Lot list filter; every field given must match.")
class LotFilter:
    supplier_id: str | None = strawberry.field(default=None, description="Delivered by supplier.")
    material_id: str | None = strawberry.field(default=None, description="Of material.")
    quarantine_status: str | None = strawberry.field(default=None, description="Quarantine status.")
    inspection_result: str | None = strawberry.field(default=None, description="Inspection result.")
    received_from: dt.date | None = strawberry.field(default=None, description="Received on/after.")
    received_to: dt.date | None = strawberry.field(default=None, description="Received on/before.")


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


@strawberry.input(description="Quality issue list filter (seed 000 Enhanced Quality APIs).")
class QualityIssueFilter:
    supplier_id: str | None = strawberry.field(
        default=None, description="Found in batches that consumed the supplier's lots."
    )
    order_number: str | None = strawberry.field(
        default=None, description="Found in the order's batches or their sub-assemblies."
    )
    lot_number: str | None = strawberry.field(
        default=None, description="Found in batches that consumed the lot (any depth)."
    )
    root_cause: RootCause | None = strawberry.field(
        default=None, description="Investigation root-cause category."
    )
    severity: list[Severity] | None = strawberry.field(default=None, description="Any of these.")
    status: list[IssueStatus] | None = strawberry.field(default=None, description="Any of these.")
    detected_from: dt.date | None = strawberry.field(default=None, description="Detected on/after.")
    detected_to: dt.date | None = strawberry.field(default=None, description="Detected on/before.")


def _values(items: list[Any] | None) -> list[str] | None:
    return [item.value for item in items] if items is not None else None


FirstArg = Annotated[
    int,
    strawberry.argument(description="Page size (at most the API's maximum, 100 by default)."),
]
AfterArg = Annotated[str | None, strawberry.argument(description="endCursor of the previous page.")]


@strawberry.type
class EntityQuery:
    @strawberry.field(description="A supplier by id (e.g. SUP-001).")
    async def supplier(
        self,
        info: Info,
        id: Annotated[str, strawberry.argument(description="Supplier id, e.g. SUP-001.")],
    ) -> SupplierResult:
        return await _lookup(
            info,
            argument="id",
            key=id,
            query="api.supplier_by_id",
            record=SupplierRecord,
            convert=Supplier.from_record,
            what="supplier",
        )

    @strawberry.field(description="A material by id (e.g. MAT-001).")
    async def material(
        self,
        info: Info,
        id: Annotated[str, strawberry.argument(description="Material id, e.g. MAT-001.")],
    ) -> MaterialResult:
        return await _lookup(
            info,
            argument="id",
            key=id,
            query="api.material_by_id",
            record=MaterialRecord,
            convert=Material.from_record,
            what="material",
        )

    @strawberry.field(description="A material lot by lot number.")
    async def lot(
        self,
        info: Info,
        lot_number: Annotated[
            str, strawberry.argument(description="Lot number, e.g. LOT-2025-0001.")
        ],
    ) -> LotResult:
        return await _lookup(
            info,
            argument="lotNumber",
            key=lot_number,
            query="api.lot_by_number",
            record=MaterialLotRecord,
            convert=MaterialLot.from_record,
            what="lot",
        )

    @strawberry.field(description="A customer by id (e.g. CUST-001).")
    async def customer(
        self,
        info: Info,
        id: Annotated[str, strawberry.argument(description="Customer id, e.g. CUST-001.")],
    ) -> CustomerResult:
        return await _lookup(
            info,
            argument="id",
            key=id,
            query="api.customer_by_id",
            record=CustomerRecord,
            convert=Customer.from_record,
            what="customer",
        )

    @strawberry.field(description="An order by order number (e.g. ORD-1001).")
    async def order(
        self,
        info: Info,
        order_number: Annotated[
            str, strawberry.argument(description="Order number, e.g. ORD-1001.")
        ],
    ) -> OrderResult:
        return await _lookup(
            info,
            argument="orderNumber",
            key=order_number,
            query="api.order_by_number",
            record=OrderRecord,
            convert=Order.from_record,
            what="order",
        )

    @strawberry.field(description="A batch by id.")
    async def batch(
        self, info: Info, id: Annotated[str, strawberry.argument(description="Batch id.")]
    ) -> BatchResult:
        return await _lookup(
            info,
            argument="id",
            key=id,
            query="api.batch_by_id",
            record=BatchRecord,
            convert=Batch.from_record,
            what="batch",
        )

    @strawberry.field(description="A serial by serial number.")
    async def serial(
        self,
        info: Info,
        number: Annotated[
            str, strawberry.argument(description="Serial number, e.g. SN-000001234.")
        ],
    ) -> SerialResult:
        return await _lookup(
            info,
            argument="number",
            key=number,
            query="api.serial_by_number",
            record=SerialRecord,
            convert=Serial.from_record,
            what="serial",
        )

    @strawberry.field(description="A quality issue by id (e.g. QI-2025-1003-001).")
    async def quality_issue(
        self,
        info: Info,
        id: Annotated[str, strawberry.argument(description="Issue id, e.g. QI-2025-1003-001.")],
    ) -> QualityIssueResult:
        return await _lookup(
            info,
            argument="id",
            key=id,
            query="api.issue_by_id",
            record=QualityIssueRecord,
            convert=QualityIssue.from_record,
            what="quality issue",
        )

    @strawberry.field(description="Suppliers, filtered and sorted in the database.")
    async def suppliers(
        self,
        info: Info,
        filter: Annotated[
            SupplierFilter | None,
            strawberry.argument(description="Only items matching all given fields."),
        ] = None,
        sort: Annotated[
            SupplierSort, strawberry.argument(description="Order of the items.")
        ] = SupplierSort.ID,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[Supplier]:
        f = filter or SupplierFilter()
        page = await lists.page(
            info,
            "suppliers",
            SupplierRecord,
            lambda x: x.id,
            filter={"status": f.status, "country": f.country},
            sort=sort.value,
            first=first,
            after=after,
        )
        items = [(c, Supplier.from_record(x)) for c, x in page.items]
        return connection(items, page.has_next_page, page.count)

    @strawberry.field(description="Orders, filtered and sorted in the database.")
    async def orders(
        self,
        info: Info,
        filter: Annotated[
            OrderFilter | None,
            strawberry.argument(description="Only items matching all given fields."),
        ] = None,
        sort: Annotated[
            OrderSort, strawberry.argument(description="Order of the items.")
        ] = OrderSort.CREATED_AT_DESC,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[Order]:
        f = filter or OrderFilter()
        page = await lists.page(
            info,
            "orders",
            OrderRecord,
            lambda x: x.order_number,
            filter={
                "status": f.status,
                "workflow_status": f.workflow_status,
                "customer_id": f.customer_id,
                "supplier_id": f.supplier_id,
                "due_from": f.due_from,
                "due_to": f.due_to,
            },
            sort=sort.value,
            first=first,
            after=after,
        )
        items = [(c, Order.from_record(x)) for c, x in page.items]
        return connection(items, page.has_next_page, page.count)

    @strawberry.field(description="Material lots, filtered and sorted in the database.")
    async def lots(
        self,
        info: Info,
        filter: Annotated[
            LotFilter | None,
            strawberry.argument(description="Only items matching all given fields."),
        ] = None,
        sort: Annotated[
            LotSort, strawberry.argument(description="Order of the items.")
        ] = LotSort.RECEIVED_DATE_DESC,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[MaterialLot]:
        f = filter or LotFilter()
        page = await lists.page(
            info,
            "lots",
            MaterialLotRecord,
            lambda x: x.lot_number,
            filter={
                "supplier_id": f.supplier_id,
                "material_id": f.material_id,
                "quarantine_status": f.quarantine_status,
                "inspection_result": f.inspection_result,
                "received_from": f.received_from,
                "received_to": f.received_to,
            },
            sort=sort.value,
            first=first,
            after=after,
        )
        items = [(c, MaterialLot.from_record(x)) for c, x in page.items]
        return connection(items, page.has_next_page, page.count)

    @strawberry.field(description="Batches, filtered and sorted in the database.")
    async def batches(
        self,
        info: Info,
        filter: Annotated[
            BatchFilter | None,
            strawberry.argument(description="Only items matching all given fields."),
        ] = None,
        sort: Annotated[
            BatchSort, strawberry.argument(description="Order of the items.")
        ] = BatchSort.PRODUCTION_DATE_DESC,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[Batch]:
        f = filter or BatchFilter()
        page = await lists.page(
            info,
            "batches",
            BatchRecord,
            lambda x: x.batch_id,
            filter={
                "order_number": f.order_number,
                "lot_number": f.lot_number,
                "status": f.status,
                "level": f.level,
                "produced_from": f.produced_from,
                "produced_to": f.produced_to,
            },
            sort=sort.value,
            first=first,
            after=after,
        )
        items = [(c, Batch.from_record(x)) for c, x in page.items]
        return connection(items, page.has_next_page, page.count)

    @strawberry.field(
        description="Quality issues filtered by supplier, order, lot, root cause, severity, "
        "status and detection date range, sorted in the database."
    )
    async def quality_issues(
        self,
        info: Info,
        filter: Annotated[
            QualityIssueFilter | None,
            strawberry.argument(description="Only items matching all given fields."),
        ] = None,
        sort: Annotated[
            QualityIssueSort, strawberry.argument(description="Order of the items.")
        ] = QualityIssueSort.DETECTED_AT_DESC,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[QualityIssue]:
        f = filter or QualityIssueFilter()
        page = await lists.page(
            info,
            "quality_issues",
            QualityIssueRecord,
            lambda x: x.issue_id,
            filter={
                "supplier_id": f.supplier_id,
                "order_number": f.order_number,
                "lot_number": f.lot_number,
                "root_cause": f.root_cause.value if f.root_cause else None,
                "severity": _values(f.severity),
                "status": _values(f.status),
                "detected_from": f.detected_from,
                "detected_to": f.detected_to,
            },
            sort=sort.value,
            first=first,
            after=after,
        )
        items = [(c, QualityIssue.from_record(x)) for c, x in page.items]
        return connection(items, page.has_next_page, page.count)
