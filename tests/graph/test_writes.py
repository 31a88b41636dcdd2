"""graph.writes against a real Neo4j: a write's work that raises ``Undone`` leaves nothing behind,
neither what it wrote before the refusal nor its idempotency key, and the refusal is answered."""

from __future__ import annotations

import pytest
from neo4j import AsyncManagedTransaction

from graph import queries
from graph.database import Database
from graph.writes import Actor, Answer, Undone, WriteRequest, idempotent, not_found
from tests.ingest_support import fetch

REQUEST = WriteRequest(
    operation="testWrite",
    actor=Actor(user_id="U-1", role="admin", scope={"role": "admin"}),
    client_key="k-1",
)


async def _keys(db: Database) -> int:
    (row,) = await fetch(db, "count_label", label="IdempotencyKey")
    return int(row["n"])


async def test_undone_work_rolls_back_what_it_wrote_and_its_key(db: Database) -> None:
    refusal = not_found("order", "ORD-9")

    async def write(tx: AsyncManagedTransaction) -> Answer:
        async def work(tx: AsyncManagedTransaction) -> Answer:
            # A statement that writes (a second key stands for any write), then a refusal.
            await queries.write(
                tx, "writes.claim_key", key="U-1:written", operation="x", input_hash="h"
            )
            raise Undone(refusal)

        return await idempotent(tx, REQUEST, work)

    with pytest.raises(Undone) as undone:
        await db.write(write)
    assert undone.value.answer == refusal
    assert await _keys(db) == 0


async def test_work_that_answers_commits_its_write_and_its_key(db: Database) -> None:
    async def write(tx: AsyncManagedTransaction) -> Answer:
        async def work(tx: AsyncManagedTransaction) -> Answer:
            await queries.write(
                tx, "writes.claim_key", key="U-1:written", operation="x", input_hash="h"
            )
            return {"kind": "done"}

        return await idempotent(tx, REQUEST, work)

    assert await db.write(write) == {"kind": "done"}
    assert await _keys(db) == 2  # the request's own key and the one its work wrote
