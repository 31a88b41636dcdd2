"""QC checks with ISO 2859-1 single sampling (issue 11 §4): ``recordQcCheck``, ``samplingPlan``.

``recordQcCheck`` takes one ``input`` and answers ``QcCheckResult``: ``QcCheckRecorded`` or a
typed failure (as the order workflow's mutations). The plan (code letter, sample size, Ac, Re) is
read from the standard's tables at the inspection severity of the order's supplier and part
number, which the switching rules then move (graph.qc_checks, docs/sampling.md).
``samplingPlan`` reads the same tables for planning, without writing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph.entities import (
    InspectionStateModel,
    OrderModel,
    QCCheckModel,
    SamplingPlanModel,
)
from resolvers.context import Info
from resolvers.qc_checks import resolve_record_qc_check, sampling_plan
from schema.derive import answers_with_model, derived
from schema.enums import InspectionLevel, InspectionSeverity
from schema.outcomes import Conflict, Forbidden, InvalidTransition, ValidationFailed, failure
from schema.results import NotFound

if TYPE_CHECKING:
    from schema.order_tracking import QCCheck
    from schema.orders import Order


@derived(SamplingPlanModel)
class SamplingPlan:
    pass


@derived(InspectionStateModel)
class InspectionState:
    pass


@strawberry.type(description="A QC check recorded, with the plan it used and what it moved.")
class QcCheckRecorded:
    check: Annotated[QCCheck, strawberry.lazy("schema.order_tracking")] = strawberry.field(
        description="The check: its verdict, plan figures and the severity it was read at."
    )
    plan: SamplingPlan = strawberry.field(
        description="The plan in full: arrows followed, 100 % inspection."
    )
    inspection_state: InspectionState = strawberry.field(
        description="The supplier and part number's switching state after this lot."
    )
    order: Annotated[Order, strawberry.lazy("schema.orders")] = strawberry.field(
        description="The order after the check."
    )
    order_moved_back: bool = strawberry.field(
        description="Whether this failed final QC sent the order from quality_check back to"
        " in_production (a status change and an event, as failQc records)."
    )


QcCheckResult = Annotated[
    QcCheckRecorded | NotFound | Forbidden | ValidationFailed | InvalidTransition | Conflict,
    strawberry.union("QcCheckResult"),
]


@strawberry.input(
    description="One lot inspected by single sampling (ISO 2859-1 / ANSI Z1.4). The plan comes"
    " from the standard's tables at the current severity of the order's supplier and part number."
)
class RecordQcCheckInput:
    order_number: str = strawberry.field(
        description="The order (in_production, delayed or quality_check)."
    )
    stage: str = strawberry.field(
        default="final_qc",
        description="The stage checked: its name (e.g. knitting) or its sequence 1-8 as text.",
    )
    lot_size: int = strawberry.field(description="Units in the lot (2 or more).")
    inspection_level: InspectionLevel = strawberry.field(
        description="Inspection level (II unless the quality plan says otherwise)."
    )
    aql: str = strawberry.field(
        description="AQL as text, one of the standard's 26 values (0.010 ... 1000), e.g. 2.5."
    )
    defects_found: int = strawberry.field(
        description="Defects found in the sample (nonconforming units; above AQL 10,"
        " nonconformities)."
    )
    notes: str | None = strawberry.field(default=None, description="Notes.")
    photo_urls: list[str] = strawberry.field(
        default_factory=list, description="Photo documentation (http or https URLs)."
    )
    resubmitted: bool = strawberry.field(
        default=False,
        description="The lot is inspected again after a rejection: recorded and judged, but not"
        " counted by the switching rules.",
    )
    production_steady: bool = strawberry.field(
        default=True,
        description="Production is at a steady rate (ISO 2859-1 9.3.3 b); false keeps normal"
        " from becoming reduced, and returns reduced to normal.",
    )
    reduced_inspection_approved: bool = strawberry.field(
        default=False,
        description="The responsible authority approves reduced inspection (9.3.3 c): without"
        " it normal inspection never becomes reduced.",
    )
    idempotency_key: str | None = strawberry.field(
        default=None,
        description="Resending with the same key answers the first answer and writes nothing.",
    )


def as_result(answer: dict[str, Any]) -> QcCheckResult:
    """The union member for an answer of resolvers.qc_checks."""
    if answer["kind"] == "recorded":
        # Read models answer for their derived types (schema.derive).
        return QcCheckRecorded(
            check=QCCheckModel.model_validate(answer["check"]),  # type: ignore[arg-type]
            plan=SamplingPlanModel.model_validate(answer["plan"]),  # type: ignore[arg-type]
            inspection_state=InspectionStateModel.model_validate(answer["state"]),  # type: ignore[arg-type]
            order=OrderModel.model_validate(answer["order"]),  # type: ignore[arg-type]
            order_moved_back=answer["moved_back"],
        )
    return failure(answer)


@strawberry.type
class QcCheckMutation:
    @strawberry.mutation(
        description="Record a QC check of an order's lot: plan from ISO 2859-1's tables at the"
        " supplier and part number's severity, verdict pass (defects <= Ac) or fail (defects >="
        " Re), switching state moved; a failed final_qc check at quality_check sends the order"
        " back to in_production."
    )
    async def record_qc_check(self, info: Info, input: RecordQcCheckInput) -> QcCheckResult:
        return as_result(await resolve_record_qc_check(info, input))


async def _sampling_plan(
    info: Info,
    lot_size: Annotated[int, strawberry.argument(description="Units in the lot (2 or more).")],
    inspection_level: Annotated[
        InspectionLevel, strawberry.argument(description="Inspection level.")
    ],
    aql: Annotated[
        str,
        strawberry.argument(
            description="AQL as text, one of the standard's 26 values (0.010 ... 1000)."
        ),
    ],
    severity: Annotated[
        InspectionSeverity,
        strawberry.argument(description="Which master table: normal unless switched."),
    ] = InspectionSeverity.NORMAL,
) -> SamplingPlanModel:
    info.context.caller  # noqa: B018 - no data is read, but still only for a verified caller
    return sampling_plan(lot_size, inspection_level, aql, severity)


@strawberry.type
class QcQuery:
    sampling_plan: SamplingPlan = strawberry.field(
        resolver=answers_with_model(_sampling_plan),
        description="The ISO 2859-1 single sampling plan for a lot, for planning before"
        " inspecting (nothing is written). Bad input is an INVALID_INPUT error naming the"
        " argument.",
    )
