"""Quality issues and what hangs off them: investigation, tests, actions, notification, cost."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from graph.records.base import Instant, NodeRecord, RelRecord
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
    issue_id: str = Field(min_length=1)
    type: str
    description: str | None = None
    parts_affected: int = Field(ge=0)
    severity: Severity
    status: IssueStatus = IssueStatus.OPEN
    detected_at: Instant
    detected_by: str | None = None
    detection_point: str | None = None
    scrap_cost: float = Field(default=0.0, ge=0)
    rework_cost: float = Field(default=0.0, ge=0)
    downtime_cost: float = Field(default=0.0, ge=0)
    investigation_cost: float = Field(default=0.0, ge=0)
    total_cost: float = Field(default=0.0, ge=0)
    charged_to_supplier: bool = False


class Investigation(NodeRecord):
    LABEL = "Investigation"
    KEY = "id"
    id: str = Field(min_length=1)
    status: InvestigationStatus = "open"
    root_cause_category: RootCause | None = None
    root_cause_details: str | None = None
    root_cause_confirmed: bool = False
    investigator: str | None = None
    opened_at: Instant
    closed_at: Instant | None = None


class VerificationTest(NodeRecord):
    LABEL = "VerificationTest"
    KEY = "id"
    id: str = Field(min_length=1)
    name: str
    method: str | None = None
    result: TestResult
    performed_at: Instant


class Action(NodeRecord):
    LABEL = "Action"
    KEY = "id"
    id: str = Field(min_length=1)
    kind: ActionKind
    description: str
    owner: str | None = None
    due_date: date
    status: ActionStatus = "open"
    completed_at: Instant | None = None


class SupplierNotification(NodeRecord):
    LABEL = "SupplierNotification"
    KEY = "id"
    id: str = Field(min_length=1)
    notified_at: date
    supplier_response: str | None = None
    supplier_capa_number: str | None = None


class FoundIn(RelRecord):
    TYPE = "FOUND_IN"
    FROM = QualityIssue
    TO = Batch


class Affects(RelRecord):
    TYPE = "AFFECTS"
    FROM = QualityIssue
    TO = Serial


class HasInvestigation(RelRecord):
    TYPE = "HAS_INVESTIGATION"
    FROM = QualityIssue
    TO = Investigation


class Suspects(RelRecord):
    TYPE = "SUSPECTS"
    FROM = Investigation
    TO = MaterialLot


class VerifiedBy(RelRecord):
    TYPE = "VERIFIED_BY"
    FROM = Investigation
    TO = VerificationTest


class HasAction(RelRecord):
    TYPE = "HAS_ACTION"
    FROM = QualityIssue
    TO = Action


class Notified(RelRecord):
    TYPE = "NOTIFIED"
    FROM = QualityIssue
    TO = SupplierNotification


class ToSupplier(RelRecord):
    TYPE = "TO_SUPPLIER"
    FROM = SupplierNotification
    TO = Supplier
