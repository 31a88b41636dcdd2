"""``Serial``: one produced unit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from graph.entities import BatchModel, QualityIssueModel, SerialModel
from resolvers.context import Info
from schema.derive import derived, related
from schema.holds import Hold, hold_fields
from schema.listing import (
    lookup,
)
from schema.results import InvalidArgument, NotFound

if TYPE_CHECKING:
    from schema.batches import Batch
    from schema.issues import QualityIssue


_HOLDS, _ON_HOLD = hold_fields("serial", lambda serial: serial.key, "serial")


@derived(SerialModel)
class Serial:
    batch: Annotated[Batch, strawberry.lazy("schema.batches")] | None = related(
        "api.serial_batch", BatchModel, single=True, description="The batch that produced it."
    )
    issues: list[Annotated[QualityIssue, strawberry.lazy("schema.issues")]] = related(
        "api.serial_issues", QualityIssueModel, description="Quality issues affecting it."
    )
    holds: list[Hold] = _HOLDS
    on_hold: bool = _ON_HOLD


SerialResult = Annotated[
    Serial | NotFound | InvalidArgument,
    strawberry.union("SerialResult", description="A serial, or why there is none."),
]


@strawberry.type
class SerialQuery:
    @strawberry.field(description="A serial by serial number.")
    async def serial(
        self,
        info: Info,
        number: Annotated[
            str, strawberry.argument(description="Serial number, e.g. SN-000001234.")
        ],
    ) -> SerialResult:
        return await lookup(
            info, Serial, argument="number", key=number, query="api.serial_by_number", what="serial"
        )
