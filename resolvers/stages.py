"""Stage progress and the order dashboard: validate, check the role, one transaction each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from neo4j import AsyncManagedTransaction
from pydantic import AnyHttpUrl, Field

from graph import queries, stages
from graph.workflow import DONE, IN_PROGRESS, OPEN
from graph.writes import Answer, WriteRequest
from resolvers.context import Info
from resolvers.mutations import KEY, TEXT, MutationInput, run_write

PHOTOS = 20  # most photo links one update may add


class _Progress(MutationInput):
    order_number: str = Field(min_length=1, max_length=KEY)
    sequence: int = Field(ge=1, le=stages.LAST)
    completion_percentage: int = Field(ge=0, le=100)
    note: str | None = Field(default=None, max_length=TEXT)
    photo_urls: list[AnyHttpUrl] = Field(default_factory=list, max_length=PHOTOS)
    target_date: dt.date | None = None


async def _update(tx: AsyncManagedTransaction, request: WriteRequest, given: _Progress) -> Answer:
    return await stages.update_progress(
        tx,
        request,
        order_number=given.order_number,
        sequence=given.sequence,
        percentage=given.completion_percentage,
        note=given.note,
        photo_urls=[str(url) for url in given.photo_urls],
        target_date=given.target_date,
    )


async def resolve_update_stage_progress(info: Info, raw: Any) -> Answer:
    return await run_write(info, "updateStageProgress", _Progress, raw, _update)


async def resolve_order_summary(info: Info) -> dict[str, Any]:
    scope = info.context.caller.scope()

    async def work(tx: AsyncManagedTransaction) -> dict[str, Any]:
        (row,) = await queries.read(
            tx,
            "orders.order_summary",
            scope=scope,
            in_progress=list(IN_PROGRESS),
            done=list(DONE),
            open=list(OPEN),
        )
        return dict(row)

    return await info.context.db.read(work)
