"""Quarantine and holds: the two mutations (validate, check the role, one write transaction) and
the hold fields, answered per request through one DataLoader per kind of entity.

Answers of the mutations are graph.holds' dicts (quarantined, released, or a shared failure).
"""

from __future__ import annotations

from typing import Any

from neo4j import AsyncManagedTransaction
from pydantic import Field

from graph import holds
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
