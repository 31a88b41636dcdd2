"""Quality issues worked as mutations (issue 12 §2, seed 000 §4.3): report an issue on a batch,
record its cost, investigate it (suspected lots, root cause, verification tests), act on it
(corrective and preventive actions), notify the suppliers behind the suspected lots, and close it.

Every mutation takes one ``input`` and answers a union of its payload and the typed failures
(``NotFound``, ``Forbidden``, ``ValidationFailed``, ``InvalidTransition``, ``Conflict``), as the
order workflow's do; an ``idempotencyKey`` replays the first answer. The lifecycles and their
rules are graph.quality's; the payloads are the read types (QualityIssue, Investigation, Action,
SupplierNotification), so what a mutation answers is what a query reads.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from graph.entities import (
    ActionModel,
    InvestigationModel,
    QualityIssueModel,
    SupplierNotificationModel,
)
from graph.quality import ACTION_STEPS, INVESTIGATION_STEPS
from resolvers import quality_work as resolve
from resolvers.context import Info
from schema.enums import ActionKind, RootCause, Severity, TestResult
from schema.outcomes import Conflict, Forbidden, InvalidTransition, ValidationFailed, failure
from schema.results import NotFound

if TYPE_CHECKING:
    from schema.investigations import Action, Investigation, SupplierNotification
    from schema.issues import QualityIssue

_KEY_HELP = "Resending with the same key answers the first answer and writes nothing."
_Issue = Annotated["QualityIssue", strawberry.lazy("schema.issues")]
_Investigation = Annotated["Investigation", strawberry.lazy("schema.investigations")]
_Action = Annotated["Action", strawberry.lazy("schema.investigations")]
_Notification = Annotated["SupplierNotification", strawberry.lazy("schema.investigations")]


@strawberry.type(description="A quality issue after the change (reported, costed or closed).")
class QualityIssueChanged:
    issue: _Issue = strawberry.field(description="The issue as the change left it.")
    from_state: str | None = strawberry.field(
        name="from", description="Its status before (null for a new issue)."
    )
    to_state: str = strawberry.field(name="to", description="Its status after.")


@strawberry.type(description="An investigation after the change.")
class InvestigationChanged:
    investigation: _Investigation = strawberry.field(
        description="The investigation as the change left it."
    )
    issue: _Issue = strawberry.field(description="Its quality issue.")
    from_state: str | None = strawberry.field(
        name="from", description="Its status before (null when it was just opened)."
    )
    to_state: str = strawberry.field(name="to", description="Its status after.")


@strawberry.type(description="A corrective or preventive action after the change.")
class ActionChanged:
    action: _Action = strawberry.field(description="The action as the change left it.")
    issue: _Issue = strawberry.field(description="Its quality issue.")
    from_state: str | None = strawberry.field(
        name="from", description="Its status before (null for a new action)."
    )
    to_state: str = strawberry.field(name="to", description="Its status after.")


@strawberry.type(description="The suppliers behind the suspected lots, notified.")
class SuppliersNotified:
    notifications: list[_Notification] = strawberry.field(
        description="One new notification per supplier not notified before."
    )
    issue: _Issue = strawberry.field(description="The quality issue.")


@strawberry.type(description="A supplier's answer on its notification.")
class NotificationAnswered:
    notification: _Notification = strawberry.field(description="The notification, answered.")


_Failures = NotFound | Forbidden | ValidationFailed | InvalidTransition | Conflict
QualityIssueChangeResult = Annotated[
    QualityIssueChanged | _Failures, strawberry.union("QualityIssueChangeResult")
]
InvestigationChangeResult = Annotated[
    InvestigationChanged | _Failures, strawberry.union("InvestigationChangeResult")
]
ActionChangeResult = Annotated[ActionChanged | _Failures, strawberry.union("ActionChangeResult")]
SuppliersNotifiedResult = Annotated[
    SuppliersNotified | _Failures, strawberry.union("SuppliersNotifiedResult")
]
NotificationAnswerResult = Annotated[
    NotificationAnswered | _Failures, strawberry.union("NotificationAnswerResult")
]


@strawberry.input(description="What a quality issue cost; a cost left out is kept as it was.")
class CostImpactInput:
    scrap_cost: float | None = strawberry.field(default=None, description="Scrap cost (>= 0).")
    rework_cost: float | None = strawberry.field(default=None, description="Rework cost (>= 0).")
    downtime_cost: float | None = strawberry.field(
        default=None, description="Downtime cost (>= 0)."
    )
    investigation_cost: float | None = strawberry.field(
        default=None, description="Investigation cost (>= 0)."
    )
    charged_to_supplier: bool | None = strawberry.field(
        default=None, description="Whether it is charged to the supplier."
    )


@strawberry.input(
    description="A quality issue found in a batch (seed 000 §4.3). Its traceability and"
    " materials used are read from the batch's genealogy, never copied."
)
class ReportQualityIssueInput:
    type: str = strawberry.field(description="Defect type, e.g. crack.")
    description: str | None = strawberry.field(default=None, description="What was found.")
    severity: Severity = strawberry.field(description="How severe.")
    parts_affected: int = strawberry.field(description="Parts affected (1 or more).")
    batch_id: str = strawberry.field(description="The batch it was found in.")
    serial_numbers: list[str] = strawberry.field(
        default_factory=list,
        description="Serials it affects: made by the batch or by a batch made from it (at most"
        " parts affected).",
    )
    detected_at: dt.datetime | None = strawberry.field(
        default=None, description="When it was detected (not in the future; default now)."
    )
    detected_by: str | None = strawberry.field(
        default=None, description="Who detected it (default: the caller)."
    )
    detection_point: str | None = strawberry.field(
        default=None, description="Where it was detected, e.g. final_qc."
    )
    cost_impact: CostImpactInput | None = strawberry.field(
        default=None, description="Costs known now (0 when left out); total cost is their sum."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(description="One quality issue, with a note for its history.")
class QualityIssueStepInput:
    issue_id: str = strawberry.field(description="The quality issue, e.g. QI-2025-1003-001.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(
    description="Costs of a quality issue: the ones given are set, the others kept; total cost"
    " is always the sum of the four, never given."
)
class RecordCostImpactInput(QualityIssueStepInput, CostImpactInput):
    pass


@strawberry.input(description="Open the root-cause investigation of a quality issue.")
class OpenInvestigationInput(QualityIssueStepInput):
    investigator: str | None = strawberry.field(default=None, description="Who investigates.")
    suspected_lots: list[str] = strawberry.field(
        default_factory=list,
        description="Lot numbers suspected: lots that went into the issue's batch.",
    )
    root_cause_category: RootCause | None = strawberry.field(
        default=None, description="Root-cause category, if already suspected."
    )
    root_cause_details: str | None = strawberry.field(default=None, description="In words.")


@strawberry.input(
    description="Update an open or in-progress investigation: the fields given are set, the"
    " others kept; suspectedLots, when given, replaces the suspected lots."
)
class UpdateInvestigationInput:
    issue_id: str = strawberry.field(description="The quality issue.")
    investigator: str | None = strawberry.field(default=None, description="Who investigates.")
    suspected_lots: list[str] | None = strawberry.field(
        default=None, description="The suspected lots (lots that went into the issue's batch)."
    )
    root_cause_category: RootCause | None = strawberry.field(
        default=None, description="Root-cause category."
    )
    root_cause_details: str | None = strawberry.field(default=None, description="In words.")
    root_cause_confirmed: bool | None = strawberry.field(
        default=None, description="Whether the root cause is confirmed."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(
    description="Close an in-progress investigation: a root-cause category (given here or set"
    " before) and whether the root cause is confirmed, said explicitly."
)
class CloseInvestigationInput(QualityIssueStepInput):
    root_cause_confirmed: bool = strawberry.field(
        description="true: confirmed (e.g. by a verification test); false: closed unconfirmed."
    )
    root_cause_category: RootCause | None = strawberry.field(
        default=None, description="Root-cause category (required unless set before)."
    )
    root_cause_details: str | None = strawberry.field(default=None, description="In words.")


@strawberry.input(description="A test run to verify a suspected root cause.")
class AddVerificationTestInput:
    issue_id: str = strawberry.field(description="The quality issue.")
    name: str = strawberry.field(description="Test name, e.g. Spectrometry.")
    method: str | None = strawberry.field(default=None, description="Method, e.g. OES.")
    result: TestResult = strawberry.field(description="What it showed.")
    performed_at: dt.datetime | None = strawberry.field(
        default=None, description="When it was performed (not in the future; default now)."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(description="A corrective or preventive action on a quality issue.")
class AddActionInput(QualityIssueStepInput):
    kind: ActionKind = strawberry.field(description="Corrective or preventive.")
    description: str = strawberry.field(description="What is to be done.")
    owner: str = strawberry.field(
        description="Who owns it: a user id; that user may edit and move it, whatever the role."
    )
    due_date: dt.date = strawberry.field(description="Due day (today or later).")


@strawberry.input(description="One action, with a note for its history.")
class ActionStepInput:
    action_id: str = strawberry.field(description="The action, e.g. QI-2025-1003-001/CA1.")
    note: str | None = strawberry.field(default=None, description="Why, for the history.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(
    description="Edit an open or in-progress action: the fields given are set, the others kept."
)
class UpdateActionInput(ActionStepInput):
    description: str | None = strawberry.field(default=None, description="What is to be done.")
    owner: str | None = strawberry.field(default=None, description="Who owns it (a user id).")
    due_date: dt.date | None = strawberry.field(
        default=None, description="Due day (today or later)."
    )


@strawberry.input(description="Notify the suppliers behind an investigation's suspected lots.")
class NotifySupplierInput:
    issue_id: str = strawberry.field(description="The quality issue.")
    message: str | None = strawberry.field(default=None, description="What to tell them.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(description="A supplier's answer on a notification addressed to it.")
class RespondToNotificationInput:
    notification_id: str = strawberry.field(
        description="The notification, e.g. QI-2025-1003-001/N-SUP-001."
    )
    response: str = strawberry.field(description="The supplier's response.")
    capa_number: str | None = strawberry.field(
        default=None, description="The supplier's own CAPA number."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


def _changed(answer: dict[str, Any]) -> Any:
    """The union member for an answer of resolvers.quality_work (read models answer for their
    derived types, schema.derive)."""
    kind = answer["kind"]
    if kind == "issue_changed":
        return QualityIssueChanged(
            issue=QualityIssueModel.model_validate(answer["issue"]),  # type: ignore[arg-type]
            from_state=answer["from"],
            to_state=answer["to"],
        )
    if kind == "investigation_changed":
        return InvestigationChanged(
            investigation=InvestigationModel.model_validate(answer["investigation"]),  # type: ignore[arg-type]
            issue=QualityIssueModel.model_validate(answer["issue"]),  # type: ignore[arg-type]
            from_state=answer["from"],
            to_state=answer["to"],
        )
    if kind == "action_changed":
        return ActionChanged(
            action=ActionModel.model_validate(answer["action"]),  # type: ignore[arg-type]
            issue=QualityIssueModel.model_validate(answer["issue"]),  # type: ignore[arg-type]
            from_state=answer["from"],
            to_state=answer["to"],
        )
    if kind == "notified":
        return SuppliersNotified(
            notifications=[
                SupplierNotificationModel.model_validate(n)  # type: ignore[misc]
                for n in answer["notifications"]
            ],
            issue=QualityIssueModel.model_validate(answer["issue"]),  # type: ignore[arg-type]
        )
    if kind == "answered":
        return NotificationAnswered(
            notification=SupplierNotificationModel.model_validate(answer["notification"]),  # type: ignore[arg-type]
        )
    return failure(answer)


def _action_step(operation: str) -> Any:
    """A mutation field for one step of an action's lifecycle (graph.quality.ACTION_STEPS)."""
    step = ACTION_STEPS[operation]

    async def resolver(info: Info, input: ActionStepInput) -> ActionChangeResult:
        return _changed(await resolve.move_action(info, operation, input))  # type: ignore[no-any-return]

    return strawberry.mutation(
        resolver=resolver,
        description=f"Move an action {', '.join(step.sources)} -> {step.target} (quality, admin"
        " or its owner).",
    )


_START, _CLOSE = (
    INVESTIGATION_STEPS["startInvestigation"],
    INVESTIGATION_STEPS["closeInvestigation"],
)


@strawberry.type
class QualityWorkMutation:
    @strawberry.mutation(
        description="Report a quality issue found in a batch: status open, numbered"
        " QI-<year>-<MMDD>-<nnn> by its detection day."
    )
    async def report_quality_issue(
        self, info: Info, input: ReportQualityIssueInput
    ) -> QualityIssueChangeResult:
        return _changed(await resolve.report_quality_issue(info, input))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Record what an issue cost; total cost becomes the sum of scrap, rework,"
        " downtime and investigation cost."
    )
    async def record_cost_impact(
        self, info: Info, input: RecordCostImpactInput
    ) -> QualityIssueChangeResult:
        return _changed(await resolve.record_cost_impact(info, input))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Close a quality issue: only once its investigation is closed and every"
        " action is done or cancelled (the refusal lists what is still open, in pending)."
    )
    async def close_quality_issue(
        self, info: Info, input: QualityIssueStepInput
    ) -> QualityIssueChangeResult:
        return _changed(await resolve.close_quality_issue(info, input))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Open the issue's investigation (status open); the issue moves from open to"
        " investigating."
    )
    async def open_investigation(
        self, info: Info, input: OpenInvestigationInput
    ) -> InvestigationChangeResult:
        return _changed(await resolve.open_investigation(info, input))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Update an open or in-progress investigation: suspected lots, root cause,"
        " investigator."
    )
    async def update_investigation(
        self, info: Info, input: UpdateInvestigationInput
    ) -> InvestigationChangeResult:
        return _changed(await resolve.update_investigation(info, input))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description=f"Start work on an investigation: {', '.join(_START.sources)} ->"
        f" {_START.target}."
    )
    async def start_investigation(
        self, info: Info, input: QualityIssueStepInput
    ) -> InvestigationChangeResult:
        return _changed(await resolve.start_investigation(info, input))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description=f"Close an investigation: {', '.join(_CLOSE.sources)} -> {_CLOSE.target},"
        " with a root-cause category and rootCauseConfirmed said explicitly."
    )
    async def close_investigation(
        self, info: Info, input: CloseInvestigationInput
    ) -> InvestigationChangeResult:
        return _changed(await resolve.close_investigation(info, input))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Record a verification test (name, method, result, when) of an open or"
        " in-progress investigation."
    )
    async def add_verification_test(
        self, info: Info, input: AddVerificationTestInput
    ) -> InvestigationChangeResult:
        return _changed(await resolve.add_verification_test(info, input))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Add a corrective or preventive action (status open) to an issue not closed."
    )
    async def add_action(self, info: Info, input: AddActionInput) -> ActionChangeResult:
        return _changed(await resolve.add_action(info, input))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="Edit an open or in-progress action (quality, admin or its owner)."
    )
    async def update_action(self, info: Info, input: UpdateActionInput) -> ActionChangeResult:
        return _changed(await resolve.update_action(info, input))  # type: ignore[no-any-return]

    start_action: ActionChangeResult = _action_step("startAction")
    complete_action: ActionChangeResult = _action_step("completeAction")
    cancel_action: ActionChangeResult = _action_step("cancelAction")

    @strawberry.mutation(
        description="Notify each supplier behind the investigation's suspected lots that was not"
        " notified yet; each supplier reads only the notification addressed to it."
    )
    async def notify_supplier(
        self, info: Info, input: NotifySupplierInput
    ) -> SuppliersNotifiedResult:
        return _changed(await resolve.notify_supplier(info, input))  # type: ignore[no-any-return]

    @strawberry.mutation(
        description="A supplier answers a notification addressed to it, once: its response and"
        " CAPA number."
    )
    async def respond_to_notification(
        self, info: Info, input: RespondToNotificationInput
    ) -> NotificationAnswerResult:
        return _changed(await resolve.respond_to_notification(info, input))  # type: ignore[no-any-return]
