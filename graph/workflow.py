"""Seed 004's order workflow, once: every transition, the states it leaves from, the state it
reaches, and the ``status`` / ``production_status`` each workflow state implies.

Who may run each transition is ``tracegraph.access.WRITES`` (the operation names are the same);
the write itself (cypher/orders/workflow.cypher) checks the state it leaves from inside the
transaction, under a lock on the order, so two clients racing one transition cannot both win.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph.vocabulary import WorkflowStatus


@dataclass(frozen=True)
class Transition:
    operation: str
    sources: tuple[WorkflowStatus, ...]
    target: WorkflowStatus
    does: str


_BEFORE_SHIPPED: tuple[WorkflowStatus, ...] = (
    "quote_requested",
    "quote_provided",
    "quote_accepted",
    "assigned_to_supplier",
    "in_production",
    "delayed",
    "quality_check",
)

TRANSITIONS: dict[str, Transition] = {
    t.operation: t
    for t in (
        Transition("provideQuote", ("quote_requested",), "quote_provided", "quote a price"),
        Transition("acceptQuote", ("quote_provided",), "quote_accepted", "accept the quote"),
        Transition(
            "assignSupplier",
            ("quote_accepted",),
            "assigned_to_supplier",
            "assign a supplier (and create the eight production stages)",
        ),
        Transition(
            "startProduction", ("assigned_to_supplier",), "in_production", "start production"
        ),
        Transition("reportDelay", ("in_production",), "delayed", "report production delayed"),
        Transition("resumeProduction", ("delayed",), "in_production", "resume production"),
        Transition("requestQc", ("in_production",), "quality_check", "hand over to quality"),
        Transition("failQc", ("quality_check",), "in_production", "send back after failed QC"),
        Transition("ship", ("quality_check",), "shipped", "ship the order"),
        Transition("confirmDelivery", ("shipped",), "delivered", "confirm it arrived"),
        Transition("completeOrder", ("delivered",), "completed", "close the order"),
        Transition("cancelOrder", _BEFORE_SHIPPED, "cancelled", "cancel before shipping"),
    )
}

# What the coarser fields read in each workflow state (None: left as it was).
STATUS_OF: dict[WorkflowStatus, tuple[str, str | None]] = {
    "quote_requested": ("pending", "not_started"),
    "quote_provided": ("pending", "not_started"),
    "quote_accepted": ("pending", "not_started"),
    "assigned_to_supplier": ("confirmed", "not_started"),
    "in_production": ("in_production", "in_progress"),
    "delayed": ("in_production", "delayed"),
    "quality_check": ("in_production", "in_progress"),
    "shipped": ("completed", "completed"),
    "delivered": ("completed", "completed"),
    "completed": ("completed", "completed"),
    "cancelled": ("cancelled", None),
}


# Seed 004's dashboard groups of workflow states (orderSummary).
IN_PROGRESS: tuple[WorkflowStatus, ...] = (
    "assigned_to_supplier",
    "in_production",
    "delayed",
    "quality_check",
)
DONE: tuple[WorkflowStatus, ...] = ("shipped", "delivered", "completed")
# Where a late stage still makes the order late (not yet shipped, not cancelled).
OPEN: tuple[WorkflowStatus, ...] = (
    "quote_requested",
    "quote_provided",
    "quote_accepted",
    *IN_PROGRESS,
)


def allowed_from(state: str | None) -> list[str]:
    """The operations that may leave ``state``, in workflow order."""
    return [t.operation for t in TRANSITIONS.values() if state in t.sources]
