"""Seed 004's order dashboard: how many orders, in progress, completed and late, in one query."""

from __future__ import annotations

import strawberry

from resolvers.context import Info
from resolvers.stages import resolve_order_summary


@strawberry.type(description="How many orders are in one workflow status.")
class WorkflowStatusCount:
    status: str | None = strawberry.field(description="The workflow status.")
    count: int = strawberry.field(description="Orders in it.")


@strawberry.type(description="The orders the caller may see, counted (seed 004's dashboard).")
class OrderSummary:
    total: int = strawberry.field(description="Every order.")
    in_progress: int = strawberry.field(
        description="Assigned to a supplier, in production, delayed or in quality check."
    )
    completed: int = strawberry.field(description="Shipped, delivered or completed.")
    delayed: int = strawberry.field(
        description="Reported delayed, or not yet shipped with a stage past its target date."
    )
    by_status: list[WorkflowStatusCount] = strawberry.field(
        description="Orders per workflow status."
    )


@strawberry.type
class OrderSummaryQuery:
    @strawberry.field(description="Order counts for a dashboard, within the caller's scope.")
    async def order_summary(self, info: Info) -> OrderSummary:
        row = await resolve_order_summary(info)
        return OrderSummary(
            total=row["total"],
            in_progress=row["in_progress"],
            completed=row["completed"],
            delayed=row["delayed"],
            by_status=[
                WorkflowStatusCount(status=r["state"], count=r["count"])
                for r in sorted(row["by_state"], key=lambda r: -r["count"])
            ],
        )
