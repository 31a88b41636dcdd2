"""Quality issues and what hangs off them: investigation, tests, actions, notification, cost."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from graph.records.base import Bool, Float, Instant, Int, Key, NodeRecord, RelRecord
from graph.records.production import Batch, Serial
from graph.records.supply import MaterialLot, Supplier
from graph.vocabulary import (
    ActionKind,
    ActionStatus,
    InvestigationStatus,
    IssueStatus,
    RootCause,
    Severity,
    TestResult,
)


class QualityIssue(NodeRecord):
    LABEL = "QualityIssue"
    KEY = "issue_id"
    issue_id: Key
    type: str
    description: str | None = None
    parts_affected: Int = Field(ge=0)
    severity: Severity
    status: IssueStatus = IssueStatus.OPEN
    detected_at: Instant
    detected_by: str | None = None
    detection_point: str | None = None
    scrap_cost: Float = Field(default=0.0, ge=0)
    rework_cost: Float = Field(default=0.0, ge=0)
    downtime_cost: Float = Field(default=0.0, ge=0)
    investigation_cost: Float = Field(default=0.0, ge=0)
    total_cost: Float = Field(default=0.0, ge=0)
    charged_to_supplier: Bool = False


class Investigation(NodeRecord):
    LABEL = "Investigation"
    KEY = "id"
    id: Key
    status: InvestigationStatus = "open"
    root_cause_category: RootCause | None = None
    root_cause_details: str | None = None
    root_cause_confirmed: Bool = False
    investigator: str | None = None
    opened_at: Instant
    closed_at: Instant | None = None


class VerificationTest(NodeRecord):
    LABEL = "VerificationTest"
    KEY = "id"
    id: Key
    name: str
    method: str | None = None
    result: TestResult
    performed_at: Instant


class Action(NodeRecord):
    LABEL = "Action"
    KEY = "id"
    id: Key
    kind: ActionKind
    description: str
    owner: str | None = None
    due_date: date
    status: ActionStatus = "open"
    completed_at: Instant | None = None


class SupplierNotification(NodeRecord):
    LABEL = "SupplierNotification"
    KEY = "id"
    id: Key
    notified_at: date
    supplier_response: str | None = None
    supplier_capa_number: str | None = None


class FoundIn(RelRecord):
    TYPE = "FOUND_IN"
    ONE_PER = "src"
    FROM = QualityIssue
    TO = Batch


class Affects(RelRecord):
    TYPE = "AFFECTS"
    FROM = QualityIssue
    TO = Serial


class HasInvestigation(RelRecord):
    TYPE = "HAS_INVESTIGATION"
    ONE_PER = "dst"
    FROM = QualityIssue
    TO = Investigation


class Suspects(RelRecord):
    TYPE = "SUSPECTS"
    FROM = Investigation
    TO = MaterialLot


class VerifiedBy(RelRecord):
    TYPE = "VERIFIED_BY"
    ONE_PER = "dst"
    FROM = Investigation
    TO = VerificationTest


class HasAction(RelRecord):
    TYPE = "HAS_ACTION"
    ONE_PER = "dst"
    FROM = QualityIssue
    TO = Action


class Notified(RelRecord):
    TYPE = "NOTIFIED"
    ONE_PER = "dst"
    FROM = QualityIssue
    TO = SupplierNotification


class ToSupplier(RelRecord):
    TYPE = "TO_SUPPLIER"
    ONE_PER = "src"
    FROM = SupplierNotification
    TO = Supplier
