"""Quarantine and holds: the two mutations (validate, check the role, one write transaction) and
the hold fields, answered per request through one DataLoader per kind of entity.

Answers of the mutations are graph.holds' dicts (quarantined, released, or a shared failure).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph import entities, holds
from graph.holds import HeldKind, HoldModel
from graph.writes import Answer, WriteRequest
from resolvers.context import Info
from resolvers.entities import many
from resolvers.mutations import KEY, TEXT, MutationInput, run_write


class _Quarantine(MutationInput):
    lot_number: str = Field(min_length=1, max_length=KEY)
    reason: str = Field(min_length=1, max_length=TEXT)


class _Release(MutationInput):
    lot_number: str = Field(min_length=1, max_length=KEY)
    note: str | None = Field(default=None, max_length=TEXT)


async def _quarantine(
    tx: AsyncManagedTransaction, request: WriteRequest, given: _Quarantine
) -> Answer:
    return await holds.quarantine_lot(tx, request, lot_number=given.lot_number, reason=given.reason)


async def _release(tx: AsyncManagedTransaction, request: WriteRequest, given: _Release) -> Answer:
    return await holds.release_lot(tx, request, lot_number=given.lot_number, note=given.note)


async def resolve_quarantine_lot(info: Info, raw: Any) -> Answer:
    return await run_write(info, holds.QUARANTINE, _Quarantine, raw, _quarantine)


async def resolve_release_lot(info: Info, raw: Any) -> Answer:
    return await run_write(info, holds.RELEASE, _Release, raw, _release)


async def holds_of(info: Info, kind: HeldKind, key: str) -> list[HoldModel]:
    """The holds of a ``kind`` by key, batched with every other one of the request."""
    return await many(info, holds.holds_query(kind), HoldModel, key)


# A trace that is asked for holds reads them for all its batches, orders and serials at once
# (prefetch), so each item's holds field answers from memory without an awaitable of its own: at
# hundreds of items per trace the per-item DataLoader round is what a holds field cost.
_PREFETCHED = "holds:prefetched"


def prefetched(info: Info, kind: HeldKind, key: str) -> list[HoldModel] | None:
    """The holds of ``kind`` ``key`` if a trace of this request read them already."""
    cache: dict[tuple[str, str], list[HoldModel]] = info.context.loaders.get(_PREFETCHED, {})
    return cache.get((kind, key))


async def prefetch(info: Info, wanted: Mapping[HeldKind, Sequence[str]]) -> None:
    """Read the holds of every key of ``wanted`` in one read transaction, for :func:`prefetched`."""
    ctx = info.context
    scope = ctx.caller.scope()
    asked = {kind: list(dict.fromkeys(keys)) for kind, keys in wanted.items() if keys}

    async def work(tx: AsyncManagedTransaction) -> dict[str, dict[str, list[HoldModel]]]:
        return {
            kind: await entities.related(tx, holds.holds_query(kind), HoldModel, keys, scope)
            for kind, keys in asked.items()
        }

    found = await ctx.db.read(work)
    cache = ctx.loaders.setdefault(_PREFETCHED, {})
    for kind, keys in asked.items():
        for key in keys:
            cache[(kind, key)] = found[kind].get(key, [])
