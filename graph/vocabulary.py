"""Every enumeration of the model, defined once.

The loaders validate against these, the GraphQL enums are made from the ``StrEnum`` ones
(``schema/enums.py``), and the read side exposes the rest as strings. ``StrEnum`` members are
``str``, so a value validated against one is stored in Neo4j as its plain string.
"""

from __future__ import annotations

import enum
from typing import Literal


class Severity(enum.StrEnum):
    """How severe a quality issue is."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class IssueStatus(enum.StrEnum):
    """Where a quality issue stands."""

    OPEN = "open"
    INVESTIGATING = "investigating"
    CONTAINED = "contained"
    CLOSED = "closed"


class RootCause(enum.StrEnum):
    """Root-cause category of an investigation."""

    MATERIAL = "material"
    MACHINE = "machine"
    PROCESS = "process"
    OPERATOR = "operator"
    DESIGN = "design"


SupplierStatus = Literal["active", "probation", "suspended", "inactive"]
InspectionResult = Literal["passed", "failed", "pending", "conditional"]
QuarantineStatus = Literal["released", "quarantined", "on_hold", "rejected"]

OrderStatus = Literal["pending", "confirmed", "in_production", "completed", "cancelled"]
WorkflowStatus = Literal[
    "quote_requested",
    "quote_provided",
    "quote_accepted",
    "assigned_to_supplier",
    "in_production",
    "quality_check",
    "shipped",
    "delivered",
    "completed",
    "delayed",
    "cancelled",
]
ProductionStatus = Literal["not_started", "in_progress", "delayed", "completed"]
StageName = Literal[
    "yarn_received",
    "knitting",
    "linking",
    "washing_finishing",
    "final_qc",
    "packing",
    "ready_to_ship",
    "shipped",
]
STAGE_NAMES: tuple[StageName, ...] = (
    "yarn_received",
    "knitting",
    "linking",
    "washing_finishing",
    "final_qc",
    "packing",
    "ready_to_ship",
    "shipped",
)
StageStatus = Literal["pending", "in_progress", "completed", "delayed"]
QCResult = Literal["pass", "fail", "pending"]

BatchStatus = Literal["completed", "in_progress", "scrapped"]
SerialStatus = Literal["ok", "defective", "reworked", "scrapped"]

InvestigationStatus = Literal["open", "in_progress", "closed"]
ActionStatus = Literal["open", "in_progress", "done", "cancelled"]


class TestResult(enum.StrEnum):
    """What a verification test of a suspected root cause showed."""

    __test__ = False  # not a pytest test class, whatever its name

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"


class ActionKind(enum.StrEnum):
    """Whether an action corrects the issue found or prevents its return."""

    CORRECTIVE = "corrective"
    PREVENTIVE = "preventive"


UserRole = Literal["buyer", "supplier", "admin"]
