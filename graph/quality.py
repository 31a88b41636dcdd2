"""Quality issues worked from report to closure (issue 12 §2, seed 000 §4.3): one write
transaction function per mutation, under graph.writes.idempotent (the key kept last).

Each write locks what it changes (the issue; an action; a notification), reads its state in a
statement of its own (so a concurrent write is never read stale), decides here, and writes with
the state it leaves from checked again in the write's Cypher (cypher/quality/issues.cypher), an
Event in the same statement. Two clients racing one transition: one wins, the other is refused.

The lifecycles, once:

- issue: open → investigating (its investigation opened) → closed, only when its investigation
  is closed and every action is done or cancelled (the refusal lists what is still open);
- investigation: open → in_progress → closed; closing needs a root-cause category and an
  explicit confirmed or unconfirmed root cause; it is edited (suspected lots, root cause,
  investigator, verification tests) until it closes;
- action: open → in_progress → done, or cancelled from open or in_progress; edited until then,
  by quality, admin or its owner (tracegraph.access: Limit.OWN_ACTIONS, checked in Cypher);
- supplier notification: one per supplier behind the suspected lots; the supplier answers its
  own once (response, CAPA number, when).

Costs: ``total_cost`` is the sum of the four costs, written by the statement that writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from neo4j import AsyncManagedTransaction

from graph import queries
from graph.analytics import recompute_issue_keys
from graph.vocabulary import ActionStatus, InvestigationStatus, IssueStatus
from graph.writes import (
    Actor,
    Answer,
    WriteRequest,
    forbidden,
    idempotent,
    invalid_transition,
    not_found,
    validation_failed,
)
from tracegraph.access import Role, limit


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str


CLOSED = IssueStatus.CLOSED.value  # an issue's and an investigation's
# An issue takes investigations, actions and notifications until it closes.
ISSUE_OPEN = tuple(s.value for s in IssueStatus if s is not IssueStatus.CLOSED)
INVESTIGATION_EDITABLE: tuple[InvestigationStatus, ...] = ("open", "in_progress")
INVESTIGATION_STEPS: dict[str, Step] = {
    "startInvestigation": Step(("open",), "in_progress"),
    "closeInvestigation": Step(("in_progress",), CLOSED),
}
ACTION_EDITABLE: tuple[ActionStatus, ...] = ("open", "in_progress")
ACTION_FINISHED: tuple[ActionStatus, ...] = ("done", "cancelled")
ACTION_STEPS: dict[str, Step] = {
    "startAction": Step(("open",), "in_progress"),
    "completeAction": Step(("in_progress",), "done"),
    "cancelAction": Step(("open", "in_progress"), "cancelled"),
}
COST_FIELDS = ("scrap_cost", "rework_cost", "downtime_cost", "investigation_cost")


def investigation_operations(status: str | None) -> list[str]:
    """What may run on an investigation in ``status`` (None: there is none yet)."""
    if status is None:
        return ["openInvestigation"]
    editing = ["updateInvestigation", "addVerificationTest"]
    steps = [op for op, step in INVESTIGATION_STEPS.items() if status in step.sources]
    return (editing if status in INVESTIGATION_EDITABLE else []) + steps


def action_operations(status: str | None) -> list[str]:
    editing = ["updateAction"] if status in ACTION_EDITABLE else []
    return editing + [op for op, step in ACTION_STEPS.items() if status in step.sources]


def issue_day(detected_at: dt.datetime) -> str:
    """The prefix of the issue numbers of a detection day (seed 000: QI-2025-1003-001)."""
    day = detected_at.astimezone(dt.UTC)
    return f"QI-{day:%Y}-{day:%m%d}"


def _who(actor: Actor, request: WriteRequest) -> dict[str, Any]:
    return {"user_id": actor.user_id, "role": actor.role, "operation": request.operation}


@dataclass(frozen=True)
class IssueState:
    """A locked issue as the last committed write left it (quality.issue_state)."""

    status: str
    investigation: Mapping[str, Any] | None  # id, status, root_cause_category, ..._confirmed
    actions: Sequence[Mapping[str, Any]]  # id, status
    suspected_suppliers: Sequence[str]  # behind the investigation's suspected lots
    notified_suppliers: Sequence[str]


async def _issue_state(
    tx: AsyncManagedTransaction, actor: Actor, issue_id: str
) -> IssueState | Answer:
    """Lock the issue, then read its state under the lock; not_found out of scope."""
    (locked,) = (
        await queries.write(tx, "quality.lock_issue", issue_id=issue_id, scope=actor.scope)
    ).records
    if not locked["locked"]:
        return not_found("quality issue", issue_id)
    (state,) = await queries.read(tx, "quality.issue_state", issue_id=issue_id, scope=actor.scope)
    return IssueState(**state.data())


def _closed_issue(issue_id: str, target: str) -> Answer:
    return invalid_transition(
        "quality issue",
        CLOSED,
        target,
        [],
        message=f"quality issue {issue_id} is closed; nothing more is added to it",
    )


# -- report and costs ------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """A quality issue as reported (validated by resolvers.quality)."""

    batch_id: str
    serials: Sequence[str]
    issue: Mapping[str, Any]  # type, description, parts_affected, severity, detected_*
    detected_at: dt.datetime
    costs: Mapping[str, Any]  # every cost field and charged_to_supplier


async def report_issue(
    tx: AsyncManagedTransaction, request: WriteRequest, report: Report
) -> Answer:
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        (context,) = await queries.read(
            tx,
            "quality.report_context",
            batch_id=report.batch_id,
            serials=list(report.serials),
            scope=actor.scope,
        )
        if not context["batch_found"]:
            return not_found("batch", report.batch_id)
        produced = set(context["serials"])
        unknown = [
            (
                ["serialNumbers", str(n)],
                f"serial {s} was not produced by batch {report.batch_id} or a batch made from it",
            )
            for n, s in enumerate(report.serials)
            if s not in produced
        ]
        if unknown:
            return validation_failed(unknown)
        day = issue_day(report.detected_at)
        await queries.write(tx, "quality.lock_issue_day", day=day)
        (row,) = (
            await queries.write(
                tx,
                "quality.report_issue",
                day=day,
                batch_id=report.batch_id,
                serials=list(report.serials),
                issue={**report.issue, "detected_at": report.detected_at},
                costs=dict(report.costs),
                scope=actor.scope,
                **_who(actor, request),
            )
        ).records
        await recompute_issue_keys(tx, [row["issue"]["issue_id"]])
        return {"kind": "issue_changed", "issue": row["issue"], "from": None, "to": "open"}

    return await idempotent(tx, request, work)


async def record_cost(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    issue_id: str,
    costs: Mapping[str, Any],
    note: str | None,
) -> Answer:
    """The costs given; ``total_cost`` becomes the sum of the four in the same statement."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        state = await _issue_state(tx, actor, issue_id)
        if isinstance(state, dict):
            return state
        (row,) = (
            await queries.write(
                tx,
                "quality.record_cost",
                issue_id=issue_id,
                costs=dict(costs),
                scope=actor.scope,
                note=note,
                **_who(actor, request),
            )
        ).records
        status = row["issue"]["status"]
        return {"kind": "issue_changed", "issue": row["issue"], "from": status, "to": status}

    return await idempotent(tx, request, work)


async def close_issue(
    tx: AsyncManagedTransaction, request: WriteRequest, *, issue_id: str, note: str | None
) -> Answer:
    """Close the issue, or list what is still open (investigation, actions)."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        state = await _issue_state(tx, actor, issue_id)
        if isinstance(state, dict):
            return state
        status = state.status
        if status not in ISSUE_OPEN:
            return invalid_transition("quality issue", status, CLOSED, [])
        pending = _still_open(state)
        if pending:
            return invalid_transition(
                "quality issue",
                status,
                CLOSED,
                [],
                message=f"quality issue {issue_id} cannot close yet: " + "; ".join(pending),
                pending=pending,
            )
        (row,) = (
            await queries.write(
                tx,
                "quality.close_issue",
                issue_id=issue_id,
                sources=list(ISSUE_OPEN),
                finished=list(ACTION_FINISHED),
                scope=actor.scope,
                note=note,
                **_who(actor, request),
            )
        ).records
        if not row["closed"]:  # checked above under the issue's lock
            raise AssertionError(f"closing {issue_id} refused under its lock")
        return {"kind": "issue_changed", "issue": row["issue"], "from": status, "to": CLOSED}

    return await idempotent(tx, request, work)


def _still_open(state: IssueState) -> list[str]:
    """What keeps a locked issue from closing, for a person."""
    pending = []
    investigation = state.investigation
    if investigation is None:
        pending.append("no investigation was opened")
    elif investigation["status"] != CLOSED:
        pending.append(f"investigation {investigation['id']} is {investigation['status']}")
    pending += [
        f"action {a['id']} is {a['status']}"
        for a in state.actions
        if a["status"] not in ACTION_FINISHED
    ]
    return pending


# -- investigation ---------------------------------------------------------------------------


async def _suspect_refusal(
    tx: AsyncManagedTransaction, actor: Actor, issue_id: str, lots: Sequence[str] | None
) -> Answer | None:
    """Suspected lots must be lots that went into the issue's batch (at any depth)."""
    if not lots:
        return None
    (row,) = await queries.read(
        tx, "quality.lots_behind", issue_id=issue_id, lots=list(lots), scope=actor.scope
    )
    behind = set(row["lots"])
    errors = [
        (["suspectedLots", str(n)], f"lot {lot} did not go into the batch of issue {issue_id}")
        for n, lot in enumerate(lots)
        if lot not in behind
    ]
    return validation_failed(errors) if errors else None


async def open_investigation(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    issue_id: str,
    fields: Mapping[str, Any],
    lots: Sequence[str],
    note: str | None,
) -> Answer:
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        state = await _issue_state(tx, actor, issue_id)
        if isinstance(state, dict):
            return state
        if state.status not in ISSUE_OPEN:
            return _closed_issue(issue_id, "investigating")
        if state.investigation is not None:
            current = state.investigation["status"]
            return invalid_transition(
                "investigation",
                current,
                "open",
                investigation_operations(current),
                message=f"issue {issue_id} has its investigation already (it is {current})",
            )
        refused = await _suspect_refusal(tx, actor, issue_id, lots)
        if refused:
            return refused
        (row,) = (
            await queries.write(
                tx,
                "quality.open_investigation",
                issue_id=issue_id,
                sources=list(ISSUE_OPEN),
                fields=dict(fields),
                lots=list(lots),
                scope=actor.scope,
                note=note,
                **_who(actor, request),
            )
        ).records
        if not row["opened"]:  # checked above under the issue's lock
            raise AssertionError(f"opening the investigation of {issue_id} refused under its lock")
        await recompute_issue_keys(tx, [issue_id])
        return _investigation_changed(row, None, "open")

    return await idempotent(tx, request, work)


def _investigation_changed(row: Mapping[str, Any], before: str | None, after: str) -> Answer:
    return {
        "kind": "investigation_changed",
        "investigation": row["investigation"],
        "issue": row["issue"],
        "from": before,
        "to": after,
    }


def _no_investigation(issue_id: str, target: str) -> Answer:
    return invalid_transition(
        "investigation",
        None,
        target,
        investigation_operations(None),
        message=f"issue {issue_id} has no investigation yet: open one first",
    )


async def _investigation(
    tx: AsyncManagedTransaction, actor: Actor, issue_id: str, target: str, sources: Sequence[str]
) -> IssueState | Answer:
    """The locked issue's state, if its investigation may reach ``target`` from where it is."""
    state = await _issue_state(tx, actor, issue_id)
    if isinstance(state, dict):
        return state
    investigation = state.investigation
    if investigation is None:
        return _no_investigation(issue_id, target)
    current = investigation["status"]
    if current not in sources:
        return invalid_transition(
            "investigation", current, target, investigation_operations(current)
        )
    return state


async def update_investigation(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    issue_id: str,
    fields: Mapping[str, Any],
    lots: Sequence[str] | None,
) -> Answer:
    """Set the fields given; ``lots`` (when not None) replaces the suspected lots."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        state = await _investigation(tx, actor, issue_id, "updated", INVESTIGATION_EDITABLE)
        if isinstance(state, dict):
            return state
        refused = await _suspect_refusal(tx, actor, issue_id, lots)
        if refused:
            return refused
        changed = sorted(fields) + (["suspected_lots"] if lots is not None else [])
        (row,) = (
            await queries.write(
                tx,
                "quality.update_investigation",
                issue_id=issue_id,
                sources=list(INVESTIGATION_EDITABLE),
                fields=dict(fields),
                lots=None if lots is None else list(lots),
                changed="changed: " + ", ".join(changed),
                scope=actor.scope,
                **_who(actor, request),
            )
        ).records
        if not row["changed"]:
            raise AssertionError(f"updating the investigation of {issue_id} refused under its lock")
        await recompute_issue_keys(tx, [issue_id])
        status = row["before"]
        return _investigation_changed(row, status, status)

    return await idempotent(tx, request, work)


async def move_investigation(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    issue_id: str,
    fields: Mapping[str, Any],
    note: str | None,
) -> Answer:
    """Move the investigation by the step ``request.operation`` (INVESTIGATION_STEPS)."""
    actor = request.actor
    step = INVESTIGATION_STEPS[request.operation]

    async def work(tx: AsyncManagedTransaction) -> Answer:
        state = await _investigation(tx, actor, issue_id, step.target, step.sources)
        if isinstance(state, dict):
            return state
        if step.target == CLOSED and not (
            fields.get("root_cause_category")
            or (state.investigation or {}).get("root_cause_category")
        ):
            return validation_failed(
                [
                    (
                        ["rootCauseCategory"],
                        f"the investigation of {issue_id} has no root-cause category: give one"
                        " to close it",
                    )
                ]
            )
        (row,) = (
            await queries.write(
                tx,
                "quality.move_investigation",
                issue_id=issue_id,
                sources=list(step.sources),
                target=step.target,
                fields=dict(fields),
                scope=actor.scope,
                note=note,
                **_who(actor, request),
            )
        ).records
        if not row["moved"]:
            raise AssertionError(f"{request.operation} of {issue_id} refused under its lock")
        await recompute_issue_keys(tx, [issue_id])
        return _investigation_changed(row, row["before"], step.target)

    return await idempotent(tx, request, work)


async def add_test(
    tx: AsyncManagedTransaction, request: WriteRequest, *, issue_id: str, test: Mapping[str, Any]
) -> Answer:
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        state = await _investigation(tx, actor, issue_id, "tested", INVESTIGATION_EDITABLE)
        if isinstance(state, dict):
            return state
        (row,) = (
            await queries.write(
                tx,
                "quality.add_test",
                issue_id=issue_id,
                sources=list(INVESTIGATION_EDITABLE),
                test=dict(test),
                scope=actor.scope,
                **_who(actor, request),
            )
        ).records
        if not row["added"]:
            raise AssertionError(f"adding a test to {issue_id} refused under its lock")
        status = row["before"]
        return _investigation_changed(row, status, status)

    return await idempotent(tx, request, work)


# -- actions ---------------------------------------------------------------------------------


async def add_action(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    issue_id: str,
    action: Mapping[str, Any],
    note: str | None,
) -> Answer:
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        state = await _issue_state(tx, actor, issue_id)
        if isinstance(state, dict):
            return state
        if state.status not in ISSUE_OPEN:
            return _closed_issue(issue_id, "action added")
        (row,) = (
            await queries.write(
                tx,
                "quality.add_action",
                issue_id=issue_id,
                sources=list(ISSUE_OPEN),
                action=dict(action),
                scope=actor.scope,
                note=note,
                **_who(actor, request),
            )
        ).records
        if not row["added"]:
            raise AssertionError(f"adding an action to {issue_id} refused under its lock")
        return _action_changed(row, None, "open")

    return await idempotent(tx, request, work)


def _action_changed(row: Mapping[str, Any], before: str | None, after: str) -> Answer:
    return {
        "kind": "action_changed",
        "action": row["action"],
        "issue": row["issue"],
        "from": before,
        "to": after,
    }


def _editor(actor: Actor, operation: str) -> dict[str, Any]:
    """Who may edit which actions with ``operation``, from tracegraph.access (for Cypher)."""
    allowed = limit(Role(actor.role), operation)
    return {"limit": allowed.name.lower() if allowed else None, "user_id": actor.user_id}


async def change_action(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    action_id: str,
    fields: Mapping[str, Any],
    note: str | None,
) -> Answer:
    """An edit (updateAction: ``fields``) or a step of ACTION_STEPS (``request.operation``)."""
    actor = request.actor
    operation = request.operation
    editor = _editor(actor, operation)

    async def work(tx: AsyncManagedTransaction) -> Answer:
        (locked,) = (
            await queries.write(tx, "quality.lock_action", action_id=action_id, scope=actor.scope)
        ).records
        if not locked["locked"]:
            return not_found("action", action_id)
        (state,) = await queries.read(
            tx, "quality.action_state", action_id=action_id, scope=actor.scope, editor=editor
        )
        if not state["editable"]:
            return forbidden(
                operation,
                actor.role,
                message=f"action {action_id} is owned by {state['owner']}: only quality, admin"
                " or its owner may change it",
            )
        current = state["status"]
        step = ACTION_STEPS.get(operation, Step(ACTION_EDITABLE, current))
        if current not in step.sources:
            target = "updated" if operation not in ACTION_STEPS else step.target
            return invalid_transition("action", current, target, action_operations(current))
        (row,) = (
            await queries.write(
                tx,
                "quality.change_action",
                action_id=action_id,
                sources=list(step.sources),
                target=step.target,
                fields=dict(fields),
                scope=actor.scope,
                editor=editor,
                note=note,
                **_who(actor, request),
            )
        ).records
        if not row["changed"]:
            raise AssertionError(f"{operation} of {action_id} refused under its lock")
        return _action_changed(row, current, step.target)

    return await idempotent(tx, request, work)


# -- supplier notifications ------------------------------------------------------------------


async def notify_suppliers(
    tx: AsyncManagedTransaction, request: WriteRequest, *, issue_id: str, message: str | None
) -> Answer:
    """Notify every supplier behind the suspected lots that was not notified yet."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        state = await _issue_state(tx, actor, issue_id)
        if isinstance(state, dict):
            return state
        if state.status not in ISSUE_OPEN:
            return _closed_issue(issue_id, "notified")
        investigation = state.investigation
        if investigation is None:
            return _no_investigation(issue_id, "notified")
        current = investigation["status"]
        suspected = state.suspected_suppliers
        waiting = [s for s in suspected if s not in set(state.notified_suppliers)]
        if not waiting:
            reason = (
                f"every supplier behind the suspected lots ({', '.join(suspected)}) is notified"
                " already"
                if suspected
                else f"the investigation of {issue_id} suspects no supplier's lot: name the"
                " suspected lots first (updateInvestigation)"
            )
            return invalid_transition(
                "investigation",
                current,
                "notified",
                investigation_operations(current),
                message=reason,
            )
        (row,) = (
            await queries.write(
                tx,
                "quality.notify_suppliers",
                issue_id=issue_id,
                sources=list(ISSUE_OPEN),
                suppliers=waiting,
                message=message,
                scope=actor.scope,
                **_who(actor, request),
            )
        ).records
        # Only suppliers of the suspected lots are notified: already among the issue's Pareto
        # suppliers (cypher/analytics/issues.cypher), which this leaves as they are.
        return {"kind": "notified", "notifications": row["notifications"], "issue": row["issue"]}

    return await idempotent(tx, request, work)


async def respond(
    tx: AsyncManagedTransaction,
    request: WriteRequest,
    *,
    notification_id: str,
    response: str,
    capa_number: str | None,
) -> Answer:
    """The supplier's answer on a notification addressed to it, once."""
    actor = request.actor

    async def work(tx: AsyncManagedTransaction) -> Answer:
        (locked,) = (
            await queries.write(
                tx,
                "quality.lock_notification",
                notification_id=notification_id,
                scope=actor.scope,
            )
        ).records
        if not locked["locked"]:
            return not_found("supplier notification", notification_id)
        (state,) = await queries.read(
            tx, "quality.notification_state", notification_id=notification_id, scope=actor.scope
        )
        if state["answered"]:
            return invalid_transition(
                "supplier notification",
                "answered",
                "answered",
                [],
                message=f"notification {notification_id} is answered already",
            )
        (row,) = (
            await queries.write(
                tx,
                "quality.respond",
                notification_id=notification_id,
                response=response,
                capa_number=capa_number,
                scope=actor.scope,
                **_who(actor, request),
            )
        ).records
        if not row["answered"]:
            raise AssertionError(f"answering {notification_id} refused under its lock")
        return {"kind": "answered", "notification": row["notification"]}

    return await idempotent(tx, request, work)
