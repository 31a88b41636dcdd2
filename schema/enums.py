"""The model's enumerations as GraphQL enums, made from their one definition in graph.vocabulary
(and graph.sampling for the inspection levels and severities of ISO 2859-1)."""

from __future__ import annotations

import strawberry

from graph.sampling import InspectionLevel, InspectionSeverity
from graph.vocabulary import ActionKind, IssueStatus, RootCause, Severity, TestResult

# strawberry.enum marks the classes themselves: the GraphQL enums are graph.vocabulary's.
strawberry.enum(Severity, description="How severe a quality issue is.")
strawberry.enum(IssueStatus, description="Where a quality issue stands.")
strawberry.enum(RootCause, description="Root-cause category of an investigation.")
strawberry.enum(TestResult, description="What a verification test showed.")
strawberry.enum(ActionKind, description="Corrective (fixes what was found) or preventive.")
strawberry.enum(
    InspectionLevel,
    description="ISO 2859-1 inspection level: general I, II (the usual one), III, or special"
    " S1-S4 (small samples where large ones cannot be afforded).",
)
strawberry.enum(
    InspectionSeverity,
    description="ISO 2859-1 inspection severity: which master table a plan is read from"
    " (normal, tightened or reduced).",
)

__all__ = [
    "ActionKind",
    "InspectionLevel",
    "InspectionSeverity",
    "IssueStatus",
    "RootCause",
    "Severity",
    "TestResult",
]
