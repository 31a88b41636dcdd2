"""An issue's follow-up: investigation, verification tests, actions, supplier notification."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import strawberry

import schema.lots as lots_schema
import schema.suppliers as suppliers_schema
from graph.entities import (
    ActionRecord,
    InvestigationRecord,
    MaterialLotRecord,
    SupplierNotificationRecord,
    SupplierRecord,
    VerificationTestRecord,
)
from resolvers import entities as r
from resolvers.context import Info

if TYPE_CHECKING:
    from schema.lots import MaterialLot
    from schema.suppliers import Supplier


@strawberry.type(description="A test run to verify a suspected root cause.")
class VerificationTest:
    id: str = strawberry.field(description="Key, <issueId>/T<n>.")
    name: str | None = strawberry.field(description="Test name.")
    method: str | None = strawberry.field(description="Test method.")
    result: str | None = strawberry.field(description="pass, fail or inconclusive.")
    performed_at: dt.datetime | None = strawberry.field(description="When it was performed.")

    @classmethod
    def from_record(cls, rec: VerificationTestRecord) -> VerificationTest:
        return cls(
            id=rec.id,
            name=rec.name,
            method=rec.method,
            result=rec.result,
            performed_at=rec.performed_at,
        )


@strawberry.type(description="The root-cause investigation of a quality issue.")
class Investigation:
    id: str = strawberry.field(description="Key, <issueId>/INV.")
    status: str | None = strawberry.field(description="open, in_progress or closed.")
    root_cause_category: str | None = strawberry.field(
        description="material, machine, process, operator or design."
    )
    root_cause_details: str | None = strawberry.field(description="Root cause, in words.")
    root_cause_confirmed: bool | None = strawberry.field(description="Whether it is confirmed.")
    investigator: str | None = strawberry.field(description="Who investigates.")
    opened_at: dt.datetime | None = strawberry.field(description="When it was opened.")
    closed_at: dt.datetime | None = strawberry.field(description="When it was closed.")

    @classmethod
    def from_record(cls, rec: InvestigationRecord) -> Investigation:
        return cls(
            id=rec.id,
            status=rec.status,
            root_cause_category=rec.root_cause_category,
            root_cause_details=rec.root_cause_details,
            root_cause_confirmed=rec.root_cause_confirmed,
            investigator=rec.investigator,
            opened_at=rec.opened_at,
            closed_at=rec.closed_at,
        )

    @strawberry.field(description="Lots it suspects.")
    async def suspected_lots(
        self, info: Info
    ) -> list[Annotated[MaterialLot, strawberry.lazy("schema.lots")]]:
        recs = await r.many(info, "api.investigation_suspected_lots", MaterialLotRecord, self.id)
        return [lots_schema.MaterialLot.from_record(x) for x in recs]

    @strawberry.field(description="Its verification tests, oldest first.")
    async def verification_tests(self, info: Info) -> list[VerificationTest]:
        recs = await r.many(info, "api.investigation_tests", VerificationTestRecord, self.id)
        return [VerificationTest.from_record(x) for x in recs]


@strawberry.type(description="A corrective or preventive action on a quality issue.")
class Action:
    id: str = strawberry.field(description="Key, <issueId>/CA<n> or /PA<n>.")
    kind: str | None = strawberry.field(description="corrective or preventive.")
    description: str | None = strawberry.field(description="What is to be done.")
    owner: str | None = strawberry.field(description="Who owns it.")
    due_date: dt.date | None = strawberry.field(description="Due day.")
    status: str | None = strawberry.field(description="open, in_progress, done or cancelled.")
    completed_at: dt.datetime | None = strawberry.field(description="When it was completed.")

    @classmethod
    def from_record(cls, rec: ActionRecord) -> Action:
        return cls(
            id=rec.id,
            kind=rec.kind,
            description=rec.description,
            owner=rec.owner,
            due_date=rec.due_date,
            status=rec.status,
            completed_at=rec.completed_at,
        )


@strawberry.type(description="The notification of a quality issue to the supplier.")
class SupplierNotification:
    id: str = strawberry.field(description="Key, <issueId>/N.")
    notified: bool = strawberry.field(description="Always true: the notification exists.")
    notification_date: dt.date | None = strawberry.field(description="Day notified.")
    supplier_response: str | None = strawberry.field(description="The supplier's response.")
    supplier_capa_number: str | None = strawberry.field(description="The supplier's CAPA number.")

    @classmethod
    def from_record(cls, rec: SupplierNotificationRecord) -> SupplierNotification:
        return cls(
            id=rec.id,
            notified=True,
            notification_date=rec.notified_at,
            supplier_response=rec.supplier_response,
            supplier_capa_number=rec.supplier_capa_number,
        )

    @strawberry.field(description="The supplier notified.")
    async def supplier(
        self, info: Info
    ) -> Annotated[Supplier, strawberry.lazy("schema.suppliers")] | None:
        rec = await r.one(info, "api.notification_supplier", SupplierRecord, self.id)
        return suppliers_schema.Supplier.from_record(rec) if rec else None
