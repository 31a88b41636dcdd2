"""QC checks: validate the input, check the role, run one write transaction; plans for planning.

Answers of the mutation are graph.qc_checks' dicts (recorded, or a shared failure kind).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from neo4j import AsyncManagedTransaction
from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from graph import qc_checks
from graph.entities import SamplingPlanModel
from graph.sampling import (
    InspectionLevel,
    InspectionSeverity,
    aql_value,
    inspection_level,
    inspection_severity,
    plan,
)
from graph.vocabulary import STAGE_NAMES
from graph.writes import Answer, WriteRequest
from resolvers.context import Info
from resolvers.mutations import KEY, TEXT, MutationInput, run_write
from tracegraph.errors import InvalidInputError

MAX_LOT_SIZE = 10**9
MAX_PHOTOS = 50
PhotoUrl = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=TEXT, pattern=r"^https?://\S+$")
]


def stage_sequence(value: str) -> int:
    """The stage named by ``value``: its name (final_qc) or its sequence (5)."""
    text = value.strip()
    if text in STAGE_NAMES:
        return STAGE_NAMES.index(text) + 1
    if text.isdigit() and 1 <= int(text) <= len(STAGE_NAMES):
        return int(text)
    raise ValueError(
        f"stage must be a stage name ({', '.join(STAGE_NAMES)}) or its sequence 1-"
        f"{len(STAGE_NAMES)}, got {value!r}"
    )


class _QcCheck(MutationInput):
    order_number: str = Field(min_length=1, max_length=KEY)
    stage: str = Field(default=qc_checks.FINAL_QC, max_length=KEY)
    lot_size: int = Field(ge=2, le=MAX_LOT_SIZE)
    inspection_level: InspectionLevel
    aql: Decimal
    defects_found: int = Field(ge=0)
    notes: str | None = Field(default=None, max_length=TEXT)
    photo_urls: list[PhotoUrl] = Field(default_factory=list, max_length=MAX_PHOTOS)
    resubmitted: bool = False
    production_steady: bool = True
    reduced_inspection_approved: bool = False

    @field_validator("stage")
    @classmethod
    def _stage(cls, value: str) -> str:
        stage_sequence(value)
        return value

    @field_validator("aql", mode="before")
    @classmethod
    def _aql(cls, value: Any) -> Decimal:
        # Text, never a float: 0.1 as a float is not the AQL 0.10.
        if not isinstance(value, str | Decimal):
            raise ValueError(f"aql must be text such as '2.5', got {value!r}")
        try:
            return aql_value(value)
        except InvalidInputError as e:
            raise ValueError(str(e)) from None

    @field_validator("defects_found")
    @classmethod
    def _defects(cls, value: int, info: ValidationInfo) -> int:
        # Defects of nonconforming units cannot outnumber the lot; per-100-unit counts (AQL above
        # 10) are bounded by the same, generous, figure times 100. The sample's own bound needs
        # the severity, known inside the write (graph.qc_checks).
        lot_size = info.data.get("lot_size")
        if lot_size is not None and value > lot_size * 100:
            raise ValueError(f"defects_found must be at most 100 per unit of the lot, got {value}")
        aql = info.data.get("aql")
        if (
            lot_size is not None
            and aql is not None
            and aql <= qc_checks.NONCONFORMING_ITEMS_UP_TO
            and value > lot_size
        ):
            raise ValueError(
                f"at AQL {aql} defects count nonconforming units: at most the lot's {lot_size}"
            )
        return value


async def _record(tx: AsyncManagedTransaction, request: WriteRequest, given: _QcCheck) -> Answer:
    return await qc_checks.record_qc_check(
        tx,
        request,
        qc_checks.QcCheck(
            order_number=given.order_number,
            stage_sequence=stage_sequence(given.stage),
            lot_size=given.lot_size,
            inspection_level=given.inspection_level,
            aql=given.aql,
            defects_found=given.defects_found,
            notes=given.notes,
            photo_urls=list(given.photo_urls),
            resubmitted=given.resubmitted,
            production_steady=given.production_steady,
            reduced_approved=given.reduced_inspection_approved,
        ),
    )


async def resolve_record_qc_check(info: Info, raw: Any) -> Answer:
    return await run_write(info, qc_checks.OPERATION, _QcCheck, raw, _record)


# graph.sampling names its inputs as Python does; a client reads the GraphQL argument's name.
_ARGUMENT = {
    "lot_size": "lotSize",
    "level": "inspectionLevel",
    "aql": "aql",
    "severity": "severity",
}


def sampling_plan(
    lot_size: int,
    level: InspectionLevel | str,
    aql: str,
    severity: InspectionSeverity | str = InspectionSeverity.NORMAL,
) -> SamplingPlanModel:
    """The plan for ``samplingPlan``; bad input raises InvalidInputError naming the argument."""
    try:
        return SamplingPlanModel.of(
            plan(lot_size, inspection_level(level), aql, inspection_severity(severity))
        )
    except InvalidInputError as e:
        message = str(e)
        for internal, argument in _ARGUMENT.items():
            message = re.sub(rf"^{internal}\b", argument, message)
        raise InvalidInputError(message) from None
