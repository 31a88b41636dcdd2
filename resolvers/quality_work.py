"""Quality issue mutations: validate the input, check the role, run one write transaction.

Answers are graph.quality's dicts (issue_changed, investigation_changed, action_changed,
notified, answered) or a shared failure kind (graph.writes).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any, Self

from neo4j import AsyncManagedTransaction
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from graph import quality
from graph.vocabulary import ActionKind, RootCause, Severity, TestResult
from graph.writes import Answer, WriteRequest
from resolvers.context import Info
from resolvers.mutations import KEY, TEXT, MutationInput, camel, run_write

MAX_SERIALS = 10_000
MAX_LOTS = 100
MAX_COST = 1e12
# A clock a little ahead of the server's is not a report from the future.
CLOCK_SKEW = dt.timedelta(minutes=5)

Key = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=KEY)]
Money = Annotated[float, Field(ge=0, le=MAX_COST, allow_inf_nan=False)]


def _unique(values: list[str] | None, what: str) -> list[str] | None:
    if values is not None and len(set(values)) != len(values):
        raise ValueError(f"each {what} once")
    return values


def _past(value: dt.datetime) -> dt.datetime:
    """An instant not in the future; one without a zone is read as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if value > dt.datetime.now(dt.UTC) + CLOCK_SKEW:
        raise ValueError("must not be in the future")
    return value


def _not_before_today(value: dt.date) -> dt.date:
    if value < dt.datetime.now(dt.UTC).date():
        raise ValueError("must be today or later")
    return value


Past = Annotated[dt.datetime, AfterValidator(_past)]
Due = Annotated[dt.date, AfterValidator(_not_before_today)]


def _some(model: BaseModel, fields: tuple[str, ...]) -> None:
    if all(getattr(model, f) is None for f in fields):
        raise ValueError(f"give at least one of {', '.join(map(camel, fields))}")


def _given(model: BaseModel, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields of ``names`` the client gave (not null), enums as their values."""
    given = {n: getattr(model, n) for n in names if getattr(model, n) is not None}
    return {n: v.value if isinstance(v, enum.Enum) else v for n, v in given.items()}


class _Costs(BaseModel):
    model_config = ConfigDict(extra="ignore")

    scrap_cost: Money | None = None
    rework_cost: Money | None = None
    downtime_cost: Money | None = None
    investigation_cost: Money | None = None
    charged_to_supplier: bool | None = None

    def costs(self) -> dict[str, Any]:
        return _given(self, tuple(_Costs.model_fields))


class _Report(MutationInput):
    type: Key
    description: str | None = Field(default=None, max_length=TEXT)
    severity: Severity
    parts_affected: int = Field(ge=1, le=10**9)
    batch_id: Key
    serial_numbers: list[Key] = Field(default_factory=list, max_length=MAX_SERIALS)
    detected_at: Past | None = None
    detected_by: str | None = Field(default=None, max_length=KEY)
    detection_point: str | None = Field(default=None, max_length=KEY)
    cost_impact: _Costs | None = None

    @field_validator("serial_numbers")
    @classmethod
    def _serials(cls, value: list[str], info: ValidationInfo) -> list[str]:
        _unique(value, "serial number")
        parts = info.data.get("parts_affected")
        if parts is not None and len(value) > parts:
            raise ValueError(f"{len(value)} serials affected, more than the {parts} parts affected")
        return value


async def _report(tx: AsyncManagedTransaction, request: WriteRequest, given: _Report) -> Answer:
    costs = dict.fromkeys(quality.COST_FIELDS, 0.0) | {"charged_to_supplier": False}
    if given.cost_impact is not None:
        costs |= given.cost_impact.costs()
    return await quality.report_issue(
        tx,
        request,
        quality.Report(
            batch_id=given.batch_id,
            serials=given.serial_numbers,
            issue={
                "type": given.type,
                "description": given.description,
                "severity": given.severity.value,
                "parts_affected": given.parts_affected,
                "detected_by": given.detected_by or request.actor.user_id,
                "detection_point": given.detection_point,
            },
            detected_at=given.detected_at or dt.datetime.now(dt.UTC),
            costs=costs,
        ),
    )


class _IssueStep(MutationInput):
    issue_id: Key
    note: str | None = Field(default=None, max_length=TEXT)


class _RecordCost(_IssueStep, _Costs):
    @model_validator(mode="after")
    def _any(self) -> Self:
        _some(self, (*quality.COST_FIELDS, "charged_to_supplier"))
        return self


async def _record_cost(
    tx: AsyncManagedTransaction, request: WriteRequest, given: _RecordCost
) -> Answer:
    return await quality.record_cost(
        tx, request, issue_id=given.issue_id, costs=given.costs(), note=given.note
    )


class _OpenInvestigation(_IssueStep):
    investigator: str | None = Field(default=None, max_length=KEY)
    suspected_lots: list[Key] = Field(default_factory=list, max_length=MAX_LOTS)
    root_cause_category: RootCause | None = None
    root_cause_details: str | None = Field(default=None, max_length=TEXT)

    @field_validator("suspected_lots")
    @classmethod
    def _lots(cls, value: list[str]) -> list[str]:
        return _unique(value, "lot") or []


async def _open(
    tx: AsyncManagedTransaction, request: WriteRequest, given: _OpenInvestigation
) -> Answer:
    return await quality.open_investigation(
        tx,
        request,
        issue_id=given.issue_id,
        fields=_given(given, ("investigator", "root_cause_category", "root_cause_details")),
        lots=given.suspected_lots,
        note=given.note,
    )


_EDITABLE = ("investigator", "root_cause_category", "root_cause_details", "root_cause_confirmed")


class _UpdateInvestigation(MutationInput):
    issue_id: Key
    investigator: str | None = Field(default=None, max_length=KEY)
    suspected_lots: list[Key] | None = Field(default=None, max_length=MAX_LOTS)
    root_cause_category: RootCause | None = None
    root_cause_details: str | None = Field(default=None, max_length=TEXT)
    root_cause_confirmed: bool | None = None

    @field_validator("suspected_lots")
    @classmethod
    def _lots(cls, value: list[str] | None) -> list[str] | None:
        return _unique(value, "lot")

    @model_validator(mode="after")
    def _any(self) -> Self:
        _some(self, (*_EDITABLE, "suspected_lots"))
        return self


async def _update(
    tx: AsyncManagedTransaction, request: WriteRequest, given: _UpdateInvestigation
) -> Answer:
    return await quality.update_investigation(
        tx,
        request,
        issue_id=given.issue_id,
        fields=_given(given, _EDITABLE),
        lots=given.suspected_lots,
    )


class _CloseInvestigation(_IssueStep):
    root_cause_category: RootCause | None = None
    root_cause_details: str | None = Field(default=None, max_length=TEXT)
    # Required: closing says whether the root cause was confirmed, never by default.
    root_cause_confirmed: bool


async def _move_investigation(
    tx: AsyncManagedTransaction, request: WriteRequest, given: _IssueStep
) -> Answer:
    fields: dict[str, Any] = {}
    if isinstance(given, _CloseInvestigation):
        fields = _given(given, _EDITABLE[1:])
    return await quality.move_investigation(
        tx, request, issue_id=given.issue_id, fields=fields, note=given.note
    )


class _AddTest(MutationInput):
    issue_id: Key
    name: Key
    method: str | None = Field(default=None, max_length=KEY)
    result: TestResult
    performed_at: Past | None = None


async def _add_test(tx: AsyncManagedTransaction, request: WriteRequest, given: _AddTest) -> Answer:
    return await quality.add_test(
        tx,
        request,
        issue_id=given.issue_id,
        test={
            "name": given.name,
            "method": given.method,
            "result": given.result.value,
            "performed_at": given.performed_at or dt.datetime.now(dt.UTC),
        },
    )


class _AddAction(_IssueStep):
    kind: ActionKind
    description: str = Field(min_length=1, max_length=TEXT)
    owner: Key
    due_date: Due


async def _add_action(
    tx: AsyncManagedTransaction, request: WriteRequest, given: _AddAction
) -> Answer:
    return await quality.add_action(
        tx,
        request,
        issue_id=given.issue_id,
        action={
            "kind": given.kind.value,
            "description": given.description,
            "owner": given.owner,
            "due_date": given.due_date,
        },
        note=given.note,
    )


class _ActionStep(MutationInput):
    action_id: Key
    note: str | None = Field(default=None, max_length=TEXT)


class _UpdateAction(_ActionStep):
    description: str | None = Field(default=None, min_length=1, max_length=TEXT)
    owner: Key | None = None
    due_date: Due | None = None

    @model_validator(mode="after")
    def _any(self) -> Self:
        _some(self, ("description", "owner", "due_date"))
        return self


async def _change_action(
    tx: AsyncManagedTransaction, request: WriteRequest, given: _ActionStep
) -> Answer:
    fields: dict[str, Any] = {}
    if isinstance(given, _UpdateAction):
        fields = _given(given, ("description", "owner", "due_date"))
    return await quality.change_action(
        tx, request, action_id=given.action_id, fields=fields, note=given.note
    )


class _Notify(MutationInput):
    issue_id: Key
    message: str | None = Field(default=None, max_length=TEXT)


async def _notify(tx: AsyncManagedTransaction, request: WriteRequest, given: _Notify) -> Answer:
    return await quality.notify_suppliers(
        tx, request, issue_id=given.issue_id, message=given.message
    )


class _Respond(MutationInput):
    notification_id: Key
    response: str = Field(min_length=1, max_length=TEXT)
    capa_number: str | None = Field(default=None, max_length=KEY)


async def _respond(tx: AsyncManagedTransaction, request: WriteRequest, given: _Respond) -> Answer:
    return await quality.respond(
        tx,
        request,
        notification_id=given.notification_id,
        response=given.response,
        capa_number=given.capa_number,
    )


async def _close_issue(
    tx: AsyncManagedTransaction, request: WriteRequest, given: _IssueStep
) -> Answer:
    return await quality.close_issue(tx, request, issue_id=given.issue_id, note=given.note)


async def report_quality_issue(info: Info, raw: Any) -> Answer:
    return await run_write(info, "reportQualityIssue", _Report, raw, _report)


async def record_cost_impact(info: Info, raw: Any) -> Answer:
    return await run_write(info, "recordCostImpact", _RecordCost, raw, _record_cost)


async def close_quality_issue(info: Info, raw: Any) -> Answer:
    return await run_write(info, "closeQualityIssue", _IssueStep, raw, _close_issue)


async def open_investigation(info: Info, raw: Any) -> Answer:
    return await run_write(info, "openInvestigation", _OpenInvestigation, raw, _open)


async def update_investigation(info: Info, raw: Any) -> Answer:
    return await run_write(info, "updateInvestigation", _UpdateInvestigation, raw, _update)


async def start_investigation(info: Info, raw: Any) -> Answer:
    return await run_write(info, "startInvestigation", _IssueStep, raw, _move_investigation)


async def close_investigation(info: Info, raw: Any) -> Answer:
    return await run_write(
        info, "closeInvestigation", _CloseInvestigation, raw, _move_investigation
    )


async def add_verification_test(info: Info, raw: Any) -> Answer:
    return await run_write(info, "addVerificationTest", _AddTest, raw, _add_test)


async def add_action(info: Info, raw: Any) -> Answer:
    return await run_write(info, "addAction", _AddAction, raw, _add_action)


async def update_action(info: Info, raw: Any) -> Answer:
    return await run_write(info, "updateAction", _UpdateAction, raw, _change_action)


async def move_action(info: Info, operation: str, raw: Any) -> Answer:
    """startAction, completeAction or cancelAction (graph.quality.ACTION_STEPS)."""
    return await run_write(info, operation, _ActionStep, raw, _change_action)


async def notify_supplier(info: Info, raw: Any) -> Answer:
    return await run_write(info, "notifySupplier", _Notify, raw, _notify)


async def respond_to_notification(info: Info, raw: Any) -> Answer:
    return await run_write(info, "respondToNotification", _Respond, raw, _respond)
