"""Recall campaigns (issue 13 §2): ``openRecall``, ``markCustomerNotified``, ``recordRecovery``,
``closeRecall`` and the ``recall`` / ``recalls`` reads.

The mutations take one ``input`` and answer ``RecallResult``: ``RecallChanged`` or a typed
failure (as the order workflow's). A ``Recall``'s ``affected`` is its scope's preview now, as the
caller may see it (a buyer: its own orders only).
"""

from __future__ import annotations

from typing import Annotated, Any

import strawberry

from graph import recall
from graph.recall_campaign import RecallModel, RecallNotice
from resolvers.context import Info
from resolvers.recall_campaign import (
    recall_by_id,
    recall_list,
    resolve_close_recall,
    resolve_mark_notified,
    resolve_open_recall,
    resolve_record_recovery,
)
from schema.derive import answers_with_model, derived
from schema.outcomes import Conflict, Forbidden, InvalidTransition, ValidationFailed, failure
from schema.recall import RecallPreview, RecallScopeInput
from schema.results import NotFound


@derived(RecallNotice, name="RecallNotice")
class RecallNoticeType:
    pass


async def _affected(root: RecallModel, info: Info) -> recall.RecallPreview:
    ctx = info.context
    return await ctx.db.read(
        recall.preview, root.scope(), ctx.caller.scope(), ctx.mass_balance_tolerance_percent
    )


@derived(RecallModel, name="Recall")
class Recall:
    affected: RecallPreview = strawberry.field(
        resolver=answers_with_model(_affected),
        description="What its scope touches now, as the caller may see it (a buyer: its own"
        " orders only): batches, serials, orders (with their holds), customers, issues.",
    )

    # The lookup union answers the read model itself (as the entities' lookups do).
    @classmethod
    def is_type_of(cls, obj: Any, _info: Any) -> bool:
        return isinstance(obj, (cls, RecallModel))


@strawberry.type(description="A recall after a write.")
class RecallChanged:
    recall: Recall = strawberry.field(description="The recall as the write left it.")
    from_state: str | None = strawberry.field(name="from", description="Status before.")
    to_state: str = strawberry.field(name="to", description="Status after.")


RecallResult = Annotated[
    RecallChanged | NotFound | Forbidden | ValidationFailed | InvalidTransition | Conflict,
    strawberry.union("RecallResult"),
]
RecallLookup = Annotated[Recall | NotFound, strawberry.union("RecallLookup")]

_KEY_HELP = "Resending with the same key answers the first answer and writes nothing."


@strawberry.input(description="Open a recall: the whole scope is held at once, or nothing is.")
class OpenRecallInput:
    scope: RecallScopeInput = strawberry.field(description="As previewRecall's.")
    reason: str = strawberry.field(description="Why, for the holds and the audit trail.")
    classification: str = strawberry.field(
        description="class_i (may cause serious harm), class_ii or class_iii."
    )
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(description="Record that a customer of an open recall was notified.")
class MarkCustomerNotifiedInput:
    recall_id: str = strawberry.field(description="The recall (RC-<n>).")
    customer_id: str = strawberry.field(description="One of its customers.")
    note: str | None = strawberry.field(default=None, description="How (letter, call, ...).")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(description="Record units recovered in an open recall.")
class RecordRecoveryInput:
    recall_id: str = strawberry.field(description="The recall (RC-<n>).")
    units: int = strawberry.field(description="Units recovered now (1 or more), added.")
    note: str | None = strawberry.field(default=None, description="From where, for the trail.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


@strawberry.input(description="Close a recall whose customers were all notified.")
class CloseRecallInput:
    recall_id: str = strawberry.field(description="The recall (RC-<n>).")
    note: str | None = strawberry.field(default=None, description="Why, for the audit trail.")
    idempotency_key: str | None = strawberry.field(default=None, description=_KEY_HELP)


def as_result(answer: dict[str, Any]) -> RecallResult:
    """The union member for an answer of resolvers.recall_campaign."""
    if answer["kind"] == "recall_changed":
        return RecallChanged(
            recall=RecallModel.model_validate(answer["recall"]),  # type: ignore[arg-type]  # a model is what the type reads
            from_state=answer["from"],
            to_state=answer["to"],
        )
    return failure(answer)


@strawberry.type
class RecallMutation:
    @strawberry.mutation(
        description="Open a recall of a scope (as previewRecall's): in one transaction every"
        " lot, batch or serial of the scope is held (and everything downstream of it, the"
        " recall named as the cause) and each customer of the preview is to be notified. A lot"
        " or batch of the scope that is unknown refuses the whole recall (NotFound)."
    )
    async def open_recall(self, info: Info, input: OpenRecallInput) -> RecallResult:
        return as_result(await resolve_open_recall(info, input))

    @strawberry.mutation(
        description="Mark a customer of an open recall notified (who, when, a note)."
    )
    async def mark_customer_notified(
        self, info: Info, input: MarkCustomerNotifiedInput
    ) -> RecallResult:
        return as_result(await resolve_mark_notified(info, input))

    @strawberry.mutation(description="Add units recovered to an open recall.")
    async def record_recovery(self, info: Info, input: RecordRecoveryInput) -> RecallResult:
        return as_result(await resolve_record_recovery(info, input))

    @strawberry.mutation(
        description="Close an open recall (open -> closed); refused (InvalidTransition, pending"
        " listing them) while a customer is not notified. Its holds end."
    )
    async def close_recall(self, info: Info, input: CloseRecallInput) -> RecallResult:
        return as_result(await resolve_close_recall(info, input))


async def _recall(info: Info, id: str) -> Recall | NotFound:
    found = await recall_by_id(info, id)
    if found is None:
        return NotFound(message=f"no recall {id!r}", key=id)
    return found  # type: ignore[return-value]  # a model is what the type reads


async def _recalls(info: Info, status: str | None = None) -> list[RecallModel]:
    return await recall_list(info, status)


@strawberry.type
class RecallCampaignQuery:
    recall: RecallLookup = strawberry.field(
        resolver=_recall,
        description="A recall by id (RC-<n>); NotFound when unknown or out of the caller's scope.",
    )
    recalls: list[Recall] = strawberry.field(
        resolver=answers_with_model(_recalls),
        description="The recalls the caller may read, newest first (status: open or closed).",
    )
