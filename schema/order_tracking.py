"""Order tracking (seed 004): production stages, QC checks, status history and who changed it."""

from __future__ import annotations

from graph.entities import (
    OrderStatusChangeModel,
    ProductionStageModel,
    QCCheckModel,
    UserModel,
)
from schema.derive import derived, related


@derived(UserModel)
class User:
    pass


@derived(ProductionStageModel)
class ProductionStage:
    pass


@derived(QCCheckModel)
class QCCheck:
    stage: ProductionStage | None = related(
        "api.qc_check_stage",
        ProductionStageModel,
        single=True,
        description="The production stage it was made at.",
    )


@derived(OrderStatusChangeModel)
class OrderStatusChange:
    changed_by: User | None = related(
        "api.status_change_user", UserModel, single=True, description="Who changed it."
    )
