"""Order tracking (seed 004): production stages, QC checks, documents, status history and who
changed it."""

from __future__ import annotations

from graph.entities import (
    DocumentModel,
    OrderStatusChangeModel,
    ProductionStageModel,
    QCCheckModel,
    UserModel,
)
from schema.derive import derived, related


@derived(UserModel)
class User:
    pass


@derived(DocumentModel)
class Document:
    pass


@derived(ProductionStageModel)
class ProductionStage:
    documents: list[Document] = related(
        "api.stage_documents",
        DocumentModel,
        description="Documents and photos attached to this stage, oldest first.",
    )


@derived(QCCheckModel)
class QCCheck:
    stage: ProductionStage | None = related(
        "api.qc_check_stage",
        ProductionStageModel,
        single=True,
        description="The production stage it was made at.",
    )
    documents: list[Document] = related(
        "api.qc_check_documents",
        DocumentModel,
        description="Documents and photos attached to this check, oldest first.",
    )


@derived(OrderStatusChangeModel)
class OrderStatusChange:
    changed_by: User | None = related(
        "api.status_change_user", UserModel, single=True, description="Who changed it."
    )
