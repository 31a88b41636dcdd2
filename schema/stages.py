"""Production stage progress (seed 004): one mutation, and the order moving with its stages.

graph.stages holds the rules (sequence, reopening, timestamps, the order's steps).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph.entities import OrderModel, ProductionStageModel
from resolvers.context import Info
from resolvers.stages import resolve_update_stage_progress
from schema.outcomes import Conflict, Forbidden, InvalidTransition, ValidationFailed, failure
from schema.results import NotFound

if TYPE_CHECKING:
    from schema.order_tracking import ProductionStage
    from schema.orders import Order


@strawberry.type(description="A stage after its progress was recorded, and its order.")
class StageChanged:
    stage: Annotated[ProductionStage, strawberry.lazy("schema.order_tracking")] = strawberry.field(
        description="The stage as the change left it."
    )
    order: Annotated[Order, strawberry.lazy("schema.orders")] = strawberry.field(
        description="Its order as the change left it (current stage, workflow status)."
    )
    order_from: str | None = strawberry.field(
        description="The order's workflow status before, when the change moved the order."
    )
    order_to: str | None = strawberry.field(
        description="The order's workflow status the change moved it to (null: it stayed)."
    )
    reopened: bool = strawberry.field(
        description="Whether a completed stage was reopened (admin only; recorded as such)."
    )


StageChangeResult = Annotated[
    StageChanged | NotFound | Forbidden | ValidationFailed | InvalidTransition | Conflict,
    strawberry.union("StageChangeResult"),
]


@strawberry.input(description="Record how far one production stage of an order has come.")
class UpdateStageProgressInput:
    order_number: str = strawberry.field(description="The order.")
    sequence: int = strawberry.field(description="The stage, 1-8 (1 yarn_received ... 8 shipped).")
    completion_percentage: int = strawberry.field(
        description="0-100: 0 pending, 1-99 in progress, 100 completed."
    )
    note: str | None = strawberry.field(default=None, description="What happened, for the record.")
    photo_urls: list[str] = strawberry.field(
        default_factory=list, description="Links to photos (http or https), added to the stage's."
    )
    target_date: dt.date | None = strawberry.field(
        default=None, description="When the stage should be done (a later day replaces it)."
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Resending with the same key answers the first answer and writes nothing.",
    )


def as_result(answer: dict[str, Any]) -> StageChangeResult:
    if answer["kind"] == "stage_changed":
        return StageChanged(
            stage=ProductionStageModel.model_validate(answer["stage"]),  # type: ignore[arg-type]  # a model is what the type reads
            order=OrderModel.model_validate(answer["order"]),  # type: ignore[arg-type]
            order_from=answer["from"] if answer["to"] else None,
            order_to=answer["to"],
            reopened=answer["reopened"],
        )
    return failure(answer)


@strawberry.type
class StageMutation:
    @strawberry.mutation(
        description="Record a stage's progress (assigned supplier, production, admin). Stage n"
        " starts only after stage n-1 is completed; the order follows: stage 1 starting starts"
        " production, stages 1-4 completed hand it to quality, stage 8 at 100 ships it."
    )
    async def update_stage_progress(
        self, info: Info, input: UpdateStageProgressInput
    ) -> StageChangeResult:
        return as_result(await resolve_update_stage_progress(info, input))
