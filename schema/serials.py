"""``Serial``: one produced unit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

import schema.batches as batches_schema
import schema.issues as issues_schema
from graph.entities import BatchRecord, QualityIssueRecord, SerialRecord
from resolvers import entities as r
from resolvers.context import Info

if TYPE_CHECKING:
    from schema.batches import Batch
    from schema.issues import QualityIssue


@strawberry.type(description="A produced unit (key: serialNumber, e.g. SN-000001234).")
class Serial:
    serial_number: str = strawberry.field(description="Serial key.")
    status: str | None = strawberry.field(description="ok, defective, reworked or scrapped.")

    @classmethod
    def from_record(cls, rec: SerialRecord) -> Serial:
        return cls(serial_number=rec.serial_number, status=rec.status)

    @strawberry.field(description="The batch that produced it.")
    async def batch(self, info: Info) -> Annotated[Batch, strawberry.lazy("schema.batches")] | None:
        rec = await r.one(info, "api.serial_batch", BatchRecord, self.serial_number)
        return batches_schema.Batch.from_record(rec) if rec else None

    @strawberry.field(description="Quality issues affecting it.")
    async def issues(
        self, info: Info
    ) -> list[Annotated[QualityIssue, strawberry.lazy("schema.issues")]]:
        recs = await r.many(info, "api.serial_issues", QualityIssueRecord, self.serial_number)
        return [issues_schema.QualityIssue.from_record(x) for x in recs]
