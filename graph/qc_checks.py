"""QC checks with ISO 2859-1 single sampling (issue 11 §4): one write transaction function each.

Under graph.writes.idempotent (its answer kept under the caller's idempotency key last), a
check:

1. locks the order (orders.lock_order) and refuses unless it is in production, delayed or at
   quality check (QC_STATES): an order not yet made or already shipped takes no check.
2. reads the stage checked and the supplier the order is assigned to; the switching state is kept
   per (supplier, ``Order.part_number``), on an ``InspectionState`` node.
3. locks that state (created at normal by the first check of the pair), then reads it in a
   statement of its own: two checks of one supplier and part, even on different orders, run one
   after the other, so the switching rules see every lot.
4. reads the plan from the standard's tables at the state's severity (graph.sampling.plan), judges
   the lot, moves the state (graph.sampling.next_state) and writes the check, the state and an
   event for each (cypher/qc/checks.cypher).
5. a failed check at final_qc while the order is at quality_check sends the order back to
   in_production by the failQc step (graph.order_workflow.move: status change and event, recorded
   as done by recordQcCheck).

Every check is one lot for the switching rules (a check at another stage too: it inspects a lot
of that supplier's part); ``resubmitted`` marks a lot inspected again, which the rules do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from neo4j import AsyncManagedTransaction

from graph import queries
from graph.entities import SamplingPlanModel
from graph.order_workflow import move
from graph.sampling import (
    DISCONTINUED,
    InspectionLevel,
    Result,
    SamplingPlan,
    SwitchingState,
    initial_state,
    judge,
    lot_outcome,
    next_state,
    plan,
    switching_state,
)
from graph.workflow import TRANSITIONS, allowed_from
from graph.writes import (
    Actor,
    Answer,
    WriteRequest,
    idempotent,
    invalid_transition,
    not_found,
)

OPERATION = "recordQcCheck"
# Workflow states in which an order's lots are made or checked (graph.workflow): a check of an
# order not yet in production, or shipped, has no lot to inspect.
QC_STATES = ("in_production", "delayed", "quality_check")
FINAL_QC = "final_qc"
# Defects above this AQL are nonconformities per 100 units (ISO 2859-1 3.1.8, 3.1.9): one unit may
# hold several, so only at and below it is a count above the units inspected impossible.
NONCONFORMING_ITEMS_UP_TO = Decimal(10)


@dataclass(frozen=True)
class QcCheck:
    """One check as asked for (validated by resolvers.qc_checks)."""

    order_number: str
    stage_sequence: int
    lot_size: int
    inspection_level: InspectionLevel
    aql: Decimal
    defects_found: int
    notes: str | None
    photo_urls: list[str]
    resubmitted: bool = False
    production_steady: bool = True
    reduced_approved: bool = False


@dataclass(frozen=True)
class _Target:
    """What a check of a locked order hangs off."""

    state: str  # the order's workflow status
    stage_id: str
    stage_name: str | None
    supplier_id: str
    part_number: str

    @property
    def pair(self) -> dict[str, str]:
        return {"supplier_id": self.supplier_id, "part_number": self.part_number}


@dataclass(frozen=True)
class _Judged:
    """The lot judged at the locked state's severity, and the state after it."""

    plan: SamplingPlan
    result: Result
    after: SwitchingState
    lots_inspected: int


async def record_qc_check(
    tx: AsyncManagedTransaction, request: WriteRequest, check: QcCheck
) -> Answer:
    """Record ``check`` (see the module docstring); answers ``recorded`` or a failure kind."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        target = await _target(tx, actor, check)
        if isinstance(target, dict):
            return target
        judged = await _judge(tx, target, check)
        if isinstance(judged, dict):
            return judged
        return await _write(tx, actor, check, target, judged)

    return await idempotent(tx, request, work)


async def _target(tx: AsyncManagedTransaction, actor: Actor, check: QcCheck) -> _Target | Answer:
    """Lock the order; its stage, supplier and part number, or why it takes no check."""
    locked = await queries.write(
        tx, "orders.lock_order", order_number=check.order_number, scope=actor.scope
    )
    if not locked.records:
        return not_found("order", check.order_number)
    state = locked.records[0]["state"]
    if state not in QC_STATES:
        return invalid_transition(
            "order",
            state,
            "checked",
            allowed_from(state),
            message=f"the order is {state}; QC checks are recorded while it is"
            f" {', '.join(QC_STATES[:-1])} or {QC_STATES[-1]}",
        )
    (context,) = await queries.read(
        tx,
        "qc.check_context",
        order_number=check.order_number,
        scope=actor.scope,
        stage_sequence=check.stage_sequence,
    )
    if context["stage_id"] is None:
        return not_found("production stage", f"{check.order_number}/{check.stage_sequence}")
    if context["supplier_id"] is None or context["part_number"] is None:
        return not_found("supplier and part number of order", check.order_number)
    return _Target(
        state=state,
        stage_id=context["stage_id"],
        stage_name=context["stage_name"],
        supplier_id=context["supplier_id"],
        part_number=context["part_number"],
    )


async def _judge(tx: AsyncManagedTransaction, target: _Target, check: QcCheck) -> _Judged | Answer:
    """Lock and read the switching state, read the plan at its severity, judge the lot."""
    await queries.write(tx, "qc.lock_inspection_state", **target.pair, initial=initial_state())
    (row,) = await queries.read(tx, "qc.inspection_state", **target.pair)
    before = switching_state(row["state"])
    if before["severity"] == DISCONTINUED:
        return invalid_transition(
            f"inspection of {target.supplier_id} / {target.part_number}",
            DISCONTINUED,
            "checked",
            [],
            message=f"inspection of part {target.part_number} from {target.supplier_id} is"
            " discontinued (ISO 2859-1 9.4: 5 lots not accepted on tightened inspection); no lot"
            " is inspected under the scheme until the supplier has acted and it resumes",
        )
    chosen = plan(check.lot_size, check.inspection_level, check.aql, before["severity"])
    if check.aql <= NONCONFORMING_ITEMS_UP_TO and check.defects_found > chosen.units_to_inspect:
        # Known only now: the sample is the locked state's severity's.
        return {
            "kind": "validation_failed",
            "errors": [
                {
                    "path": ["input", "defectsFound"],
                    "message": f"at AQL {chosen.aql} defects count nonconforming units: at most"
                    f" the {chosen.units_to_inspect} inspected on {chosen.severity.value}"
                    " inspection",
                }
            ],
        }
    outcome = lot_outcome(chosen, check.defects_found, original_inspection=not check.resubmitted)
    return _Judged(
        plan=chosen,
        result=judge(chosen, check.defects_found),
        after=next_state(
            before,
            outcome,
            production_steady=check.production_steady,
            reduced_approved=check.reduced_approved,
        ),
        lots_inspected=row["lots_inspected"] + (0 if check.resubmitted else 1),
    )


async def _write(
    tx: AsyncManagedTransaction, actor: Actor, check: QcCheck, target: _Target, judged: _Judged
) -> Answer:
    """The check, the new state, their events; a failed final QC sends the order back."""
    chosen = judged.plan
    (written,) = (
        await queries.write(
            tx,
            "qc.record_check",
            order_number=check.order_number,
            scope=actor.scope,
            stage_id=target.stage_id,
            **target.pair,
            check={
                # A lot accepted between Ac and Re (reduced plans only) is accepted: pass; its
                # severity_after shows normal inspection reinstated.
                "result": "fail" if judged.result is Result.FAIL else "pass",
                "aql_level": str(chosen.aql),
                "lot_size": chosen.lot_size,
                "inspection_level": chosen.level.value,
                "severity": chosen.severity.value,
                "severity_after": judged.after["severity"],
                "code_letter": chosen.code_letter,
                "code_letter_used": chosen.code_letter_used,
                "sample_size": chosen.units_to_inspect,
                "acceptance_number": chosen.acceptance_number,
                "rejection_number": chosen.rejection_number,
                "defects_found": check.defects_found,
                "notes": check.notes,
                "photo_urls": check.photo_urls,
                "resubmitted": check.resubmitted,
            },
            state={**judged.after, "lots_inspected": judged.lots_inspected},
            user_id=actor.user_id,
            role=actor.role,
            operation=OPERATION,
            note=check.notes,
        )
    ).records
    order, moved_back = written["order"], False
    send_back = TRANSITIONS["failQc"]
    if (
        judged.result is Result.FAIL
        and target.stage_name == FINAL_QC
        and target.state in send_back.sources
    ):
        moved = await move(
            tx,
            actor,
            OPERATION,
            send_back,
            order_number=check.order_number,
            note=f"final QC {written['check']['id']} failed: {check.defects_found} defects,"
            f" Re {chosen.rejection_number}",
        )
        if moved["kind"] != "moved":  # cannot happen under the order's lock
            raise AssertionError(f"failQc refused under the lock: {moved}")
        order, moved_back = moved["order"], True
    return {
        "kind": "recorded",
        "check": written["check"],
        "plan": SamplingPlanModel.of(chosen).model_dump(mode="json"),
        "state": written["state"],
        "order": order,
        "moved_back": moved_back,
    }
