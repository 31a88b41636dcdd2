"""Production stage progress (seed 004): the rules, and the write that applies them.

A stage's ``status`` follows its percentage (0 pending, 1-99 in_progress, 100 completed);
``started_at`` is set the first time it leaves 0 and kept, ``completed_at`` when it reaches 100
(both at once on a jump from 0 to 100, so ``started_at <= completed_at`` always). Stage n cannot
leave 0 before stage n-1 is completed; a completed stage is reopened only by admin, and the event
says so. "Delayed" is never stored: a stage past its target date and not completed reads as
delayed (cypher/orders/stages.cypher, StageFields).

The order follows its stages, only along graph.workflow's transitions: stage 1 leaving 0 starts
production (assigned_to_supplier -> in_production); its current stage becoming final_qc (stages
1-4 completed) hands it to quality (in_production -> quality_check); stage 8 (shipped) reaching
100 ships it (quality_check -> shipped; refused from any other state). An order that is delayed
stays delayed until someone resumes it. ``current_stage`` is the first stage not completed (8
when all are).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph import order_workflow, queries
from graph.vocabulary import STAGE_NAMES
from graph.workflow import IN_PROGRESS, TRANSITIONS, allowed_from
from graph.writes import (
    Answer,
    Undone,
    WriteRequest,
    idempotent,
    invalid_transition,
    not_found,
)

FINAL_QC = STAGE_NAMES.index("final_qc") + 1
LAST = order_workflow.LAST
# Workflow states in which an order's stages move.
WORKING = IN_PROGRESS


def stage_status(percentage: int) -> str:
    if percentage == 0:
        return "pending"
    return "completed" if percentage == 100 else "in_progress"


def current_stage(completed: Mapping[int, bool]) -> int:
    """The first stage not completed (the last one when all are)."""
    return next((seq for seq in sorted(completed) if not completed[seq]), max(completed, default=1))


@dataclass(frozen=True)
class Progress:
    """What one update does: the stage's new status, whether it reopens, the order's step."""

    status: str
    reopens: bool
    current_stage: int
    order_step: str | None  # a graph.workflow operation the order takes with it, if any


def _name(sequence: int) -> str:
    return STAGE_NAMES[sequence - 1] if 1 <= sequence <= LAST else str(sequence)


def plan_progress(
    *,
    state: str | None,
    stages: Mapping[int, Mapping[str, Any]],
    sequence: int,
    percentage: int,
    role: str,
) -> Progress | Answer:
    """Check one update against the rules (see the module docstring); a refusal is an answer.

    ``stages`` maps sequence -> {status, completion_percentage} as stored.
    """
    stage = stages[sequence]
    before = stage.get("status") or stage_status(stage.get("completion_percentage") or 0)
    after = stage_status(percentage)
    if state not in WORKING:
        return invalid_transition(
            "order",
            state,
            "stage progress",
            allowed_from(state),
            message=f"the order is {state}; its stages move only while it is " + ", ".join(WORKING),
        )
    if before == "completed" and percentage < 100 and role != "admin":
        return invalid_transition(
            "stage",
            before,
            after,
            [],
            message=f"stage {sequence} ({_name(sequence)}) is completed; only admin reopens it",
        )
    previous = stages.get(sequence - 1)
    if percentage > 0 and previous is not None and previous.get("status") != "completed":
        return invalid_transition(
            "stage",
            before,
            after,
            [],
            message=f"stage {sequence} ({_name(sequence)}) cannot start before stage"
            f" {sequence - 1} ({_name(sequence - 1)}) is completed",
        )
    completed = {seq: s.get("status") == "completed" for seq, s in stages.items()}
    now_current = current_stage({**completed, sequence: percentage == 100})
    step: str | None = None
    if sequence == LAST and percentage == 100 and before != "completed":
        if state not in TRANSITIONS["ship"].sources:
            return invalid_transition(
                "order",
                state,
                TRANSITIONS["ship"].target,
                allowed_from(state),
                message=f"stage {LAST} ({_name(LAST)}) completes when the order ships, and the"
                f" order is {state}, not quality_check",
            )
        step = "ship"
    elif sequence == 1 and percentage > 0 and state in TRANSITIONS["startProduction"].sources:
        step = "startProduction"
    elif (
        now_current == FINAL_QC
        and current_stage(completed) < FINAL_QC
        and state in TRANSITIONS["requestQc"].sources
    ):
        step = "requestQc"
    return Progress(
        status=after,
        reopens=before == "completed" and percentage < 100,
        current_stage=now_current,
        order_step=step,
    )


async def update_progress(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    order_number: str,
    sequence: int,
    percentage: int,
    note: str | None,
    photo_urls: Sequence[str],
    target_date: dt.date | None,
) -> Answer:
    """Record one stage's progress, and the order's step with it (graph.workflow)."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        locked = await queries.write(
            tx, "orders.lock_order_stages", order_number=order_number, scope=actor.scope
        )
        if not locked.records:
            return not_found("order", order_number)
        state = locked.records[0]["state"]
        stages = {s["sequence"]: s for s in locked.records[0]["stages"]}
        if sequence not in stages:
            return not_found("stage", f"{order_number}/{sequence}")
        progress = plan_progress(
            state=state, stages=stages, sequence=sequence, percentage=percentage, role=actor.role
        )
        if isinstance(progress, dict):
            return progress
        if progress.order_step == "ship":
            # Asked before the stage is written: a held order keeps its last stage open.
            held = await order_workflow.held_refusal(tx, actor, order_number, state)
            if held is not None:
                return held
        before = stages[sequence]
        (row,) = (
            await queries.write(
                tx,
                "orders.write_stage",
                order_number=order_number,
                sequence=sequence,
                percentage=percentage,
                status=progress.status,
                current_stage=progress.current_stage,
                note=note,
                scope=actor.scope,
                photo_urls=list(photo_urls),
                target_date=target_date,
                operation="reopenStage" if progress.reopens else request.operation,
                before=f"{before.get('status')} {before.get('completion_percentage') or 0}%",
                after=f"{progress.status} {percentage}%",
                user_id=actor.user_id,
                role=actor.role,
            )
        ).records
        moved_to: str | None = None
        order = row["order"]
        if progress.order_step is not None:
            step = TRANSITIONS[progress.order_step]
            moved = await order_workflow.move(
                tx,
                actor,
                step.operation,
                step,
                order_number=order_number,
                note=f"stage {sequence} ({_name(sequence)}) at {percentage}%",
            )
            if moved["kind"] != "moved":
                # The plan checked the state under the same lock, so this is not expected; but
                # the stage is written already, and a refusal must leave nothing behind.
                raise Undone(moved)
            moved_to, order = step.target, moved["order"]
        return {
            "kind": "stage_changed",
            "stage": row["stage"],
            "order": order,
            "from": state,
            "to": moved_to,
            "reopened": progress.reopens,
        }

    return await idempotent(tx, request, work)
