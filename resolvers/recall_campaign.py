"""Recall campaigns: the four mutations (validate, check the role, one write transaction) and
the recall reads. Answers of the mutations are graph.recall_campaign's dicts."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from neo4j import AsyncManagedTransaction
from pydantic import BaseModel, ConfigDict, Field, model_validator

from graph import recall_campaign
from graph.recall import RecallScope
from graph.recall_campaign import RecallModel
from graph.writes import Answer, WriteRequest
from resolvers.context import Info
from resolvers.entities import one
from resolvers.mutations import KEY, TEXT, MutationInput, run_write
from tracegraph.errors import InvalidInputError

MAX_UNITS = 10**9


class _Scope(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    lot_numbers: list[str] | None = None
    batch_ids: list[str] | None = None
    serial_from: str | None = Field(default=None, max_length=KEY)
    serial_to: str | None = Field(default=None, max_length=KEY)
    supplier_id: str | None = Field(default=None, max_length=KEY)
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    include_unbalanced: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> _Scope:
        try:
            self.recall_scope()
        except InvalidInputError as e:
            raise ValueError(str(e)) from None
        return self

    def recall_scope(self) -> RecallScope:
        return RecallScope(**self.model_dump()).check()


class _Open(MutationInput):
    scope: _Scope
    reason: str = Field(min_length=1, max_length=TEXT)
    classification: Literal["class_i", "class_ii", "class_iii"]


class _Notify(MutationInput):
    recall_id: str = Field(min_length=1, max_length=KEY)
    customer_id: str = Field(min_length=1, max_length=KEY)
    note: str | None = Field(default=None, max_length=TEXT)


class _Recover(MutationInput):
    recall_id: str = Field(min_length=1, max_length=KEY)
    units: int = Field(ge=1, le=MAX_UNITS)
    note: str | None = Field(default=None, max_length=TEXT)


class _Close(MutationInput):
    recall_id: str = Field(min_length=1, max_length=KEY)
    note: str | None = Field(default=None, max_length=TEXT)


async def resolve_open_recall(info: Info, raw: Any) -> Answer:
    tolerance = info.context.mass_balance_tolerance_percent

    async def work(tx: AsyncManagedTransaction, request: WriteRequest, given: _Open) -> Answer:
        return await recall_campaign.open_recall(
            tx,
            request,
            scope=given.scope.recall_scope(),
            reason=given.reason,
            classification=given.classification,
            tolerance_percent=tolerance,
        )

    return await run_write(info, recall_campaign.OPEN, _Open, raw, work)


async def _notify(tx: AsyncManagedTransaction, request: WriteRequest, given: _Notify) -> Answer:
    return await recall_campaign.mark_notified(
        tx, request, recall_id=given.recall_id, customer_id=given.customer_id, note=given.note
    )


async def _recover(tx: AsyncManagedTransaction, request: WriteRequest, given: _Recover) -> Answer:
    return await recall_campaign.record_recovery(
        tx, request, recall_id=given.recall_id, units=given.units, note=given.note
    )


async def _close(tx: AsyncManagedTransaction, request: WriteRequest, given: _Close) -> Answer:
    return await recall_campaign.close_recall(
        tx, request, recall_id=given.recall_id, note=given.note
    )


async def resolve_mark_notified(info: Info, raw: Any) -> Answer:
    return await run_write(info, recall_campaign.NOTIFY, _Notify, raw, _notify)


async def resolve_record_recovery(info: Info, raw: Any) -> Answer:
    return await run_write(info, recall_campaign.RECOVER, _Recover, raw, _recover)


async def resolve_close_recall(info: Info, raw: Any) -> Answer:
    return await run_write(info, recall_campaign.CLOSE, _Close, raw, _close)


async def recall_by_id(info: Info, recall_id: str) -> RecallModel | None:
    """The recall, batched per request; None when unknown or out of the caller's scope."""
    return await one(info, "recall.by_id", RecallModel, recall_id)


async def recall_list(info: Info, status: str | None) -> list[RecallModel]:
    ctx = info.context
    return await ctx.db.read(recall_campaign.recalls, status, ctx.caller.scope())
