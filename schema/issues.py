"""``QualityIssue`` with the seed 000 section 4.3 shape, every part derived by traversal."""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.analytics import QualityIssueV1Model
from graph.entities import (
    ActionModel,
    BatchModel,
    CostImpactModel,
    InvestigationModel,
    MaterialUsedModel,
    QualityIssueModel,
    SerialModel,
    SupplierNotificationModel,
    TraceabilityModel,
)
from resolvers import entities as r
from resolvers.context import Info
from schema.analytics import QualityIssueV1
from schema.derive import derived, related
from schema.enums import IssueStatus, RootCause, Severity
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
    from schema.investigations import Action, Investigation, SupplierNotification
    from schema.serials import Serial


@derived(CostImpactModel)
class CostImpact:
    pass


@derived(TraceabilityModel)
class Traceability:
    pass


@derived(MaterialUsedModel)
class MaterialUsed:
    pass


async def _v1(root: QualityIssueModel, info: Info) -> QualityIssueV1 | None:
    found = await r.one(info, "analytics.issue_v1", QualityIssueV1Model, root.issue_id)
    return None if found is None else QualityIssueV1(**found.model_dump())


@derived(QualityIssueModel)
class QualityIssue:
    batch: Annotated[Batch, strawberry.lazy("schema.batches")] | None = related(
        "api.issue_batch", BatchModel, single=True, description="The batch it was found in."
    )
    serials: list[Annotated[Serial, strawberry.lazy("schema.serials")]] = related(
        "api.issue_serials", SerialModel, description="Serials it affects."
    )
    investigation: Annotated[Investigation, strawberry.lazy("schema.investigations")] | None = (
        related(
            "api.issue_investigation",
            InvestigationModel,
            single=True,
            description="Its root-cause investigation, if one was opened.",
        )
    )
    corrective_actions: list[Annotated[Action, strawberry.lazy("schema.investigations")]] = related(
        "api.issue_actions",
        ActionModel,
        keep=lambda action: action.kind == "corrective",
        description="Its corrective actions.",
    )
    preventive_actions: list[Annotated[Action, strawberry.lazy("schema.investigations")]] = related(
        "api.issue_actions",
        ActionModel,
        keep=lambda action: action.kind == "preventive",
        description="Its preventive actions.",
    )
    supplier_notification: (
        Annotated[SupplierNotification, strawberry.lazy("schema.investigations")] | None
    ) = related(
        "api.issue_notification",
        SupplierNotificationModel,
        single=True,
        description="The notification to the supplier; null when not notified.",
    )
    supplier_notifications: list[
        Annotated[SupplierNotification, strawberry.lazy("schema.investigations")]
    ] = related(
        "api.issue_notifications",
        SupplierNotificationModel,
        description="Every notification of the issue the caller may read, one per supplier"
        " notified (a supplier reads only the one addressed to it).",
    )
    traceability: Traceability | None = related(
        "api.issue_traceability",
        TraceabilityModel,
        single=True,
        description="Seed 000 traceability: batch, order, customer, serials, shift.",
    )
    materials_used: list[MaterialUsed] = related(
        "api.issue_materials_used",
        MaterialUsedModel,
        description="Seed 000 materials used: every lot behind its batch, through sub-assemblies.",
    )

    v1: QualityIssueV1 | None = strawberry.field(
        resolver=_v1,
        description="The issue in the v1 API's response shape (type, description,"
        " parts_affected, severity, date, machine), for clients written against v1.",
    )


QualityIssueResult = Annotated[
    QualityIssue | NotFound | InvalidArgument,
    strawberry.union("QualityIssueResult", description="A quality issue, or why there is none."),
]


@strawberry.enum(
    description="Orders of the quality issue list: ISSUE_ID, DETECTED_AT_DESC (newest "
    "first), TOTAL_COST_DESC (costliest first); ties broken by issue id."
)
class QualityIssueSort(enum.Enum):
    ISSUE_ID = "issue_id"
    DETECTED_AT_DESC = "detected_at_desc"
    TOTAL_COST_DESC = "total_cost_desc"


@filters("quality_issues")
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


@strawberry.type
class QualityIssueQuery:
    @strawberry.field(description="A quality issue by id (e.g. QI-2025-1003-001).")
    async def quality_issue(
        self,
        info: Info,
        id: Annotated[str, strawberry.argument(description="Issue id, e.g. QI-2025-1003-001.")],
    ) -> QualityIssueResult:
        return await lookup(
            info, QualityIssue, argument="id", key=id, query="api.issue_by_id", what="quality issue"
        )

    @strawberry.field(
        description="Quality issues filtered by supplier, order, lot, root cause, severity, "
        "status and detection date range, sorted in the database."
    )
    async def quality_issues(
        self,
        info: Info,
        filter: Annotated[
            QualityIssueFilter | None, strawberry.argument(description=FILTER_HELP)
        ] = None,
        sort: Annotated[
            QualityIssueSort, strawberry.argument(description=SORT_HELP)
        ] = QualityIssueSort.DETECTED_AT_DESC,
        first: FirstArg = DEFAULT_PAGE_SIZE,
        after: AfterArg = None,
    ) -> Connection[QualityIssue]:
        return await page(
            info,
            "quality_issues",
            QualityIssue,
            filter=filter,
            sort=sort,
            first=first,
            after=after,
        )
