"""The model's enumerations as GraphQL enums, made from their one definition in graph.vocabulary."""

from __future__ import annotations

import strawberry

from graph.vocabulary import IssueStatus, RootCause, Severity

# strawberry.enum marks the classes themselves: the GraphQL enums are graph.vocabulary's.
strawberry.enum(Severity, description="How severe a quality issue is.")
strawberry.enum(IssueStatus, description="Where a quality issue stands.")
strawberry.enum(RootCause, description="Root-cause category of an investigation.")

__all__ = ["IssueStatus", "RootCause", "Severity"]
