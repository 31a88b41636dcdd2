"""graph.writes against a real Neo4j: a write's work that raises ``Undone`` leaves nothing behind,
neither what it wrote before the refusal nor its idempotency key, and the refusal is answered; a
key already answered undoes the attempt's work and replays (or refuses other input)."""

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


def _other_key(name: str) -> dict[str, str]:
    """Parameters of a write that stands for any write: a key other than the request's."""
    return {
        "key": f"U-1:{name}",
        "operation": "x",
        "input_hash": "h",
        "answer": "{}",
        "attempt": name,
    }


async def _keys(db: Database) -> int:
    (row,) = await fetch(db, "count_label", label="IdempotencyKey")
    return int(row["n"])


async def test_undone_work_rolls_back_what_it_wrote_and_its_key(db: Database) -> None:
    refusal = not_found("order", "ORD-9")

    async def write(tx: AsyncManagedTransaction) -> Answer:
        async def work(tx: AsyncManagedTransaction) -> Answer:
            # A statement that writes (a second key stands for any write), then a refusal.
            await queries.write(tx, "writes.keep_answer", **_other_key("written"))
            raise Undone(refusal)

        return await idempotent(tx, REQUEST, work)

    with pytest.raises(Undone) as undone:
        await db.write(write)
    assert undone.value.answer == refusal
    assert await _keys(db) == 0


async def test_work_that_answers_commits_its_write_and_its_key(db: Database) -> None:
    async def write(tx: AsyncManagedTransaction) -> Answer:
        async def work(tx: AsyncManagedTransaction) -> Answer:
            await queries.write(tx, "writes.keep_answer", **_other_key("written"))
            return {"kind": "done"}

        return await idempotent(tx, REQUEST, work)

    assert await db.write(write) == {"kind": "done"}
    assert await _keys(db) == 2  # the request's own key and the one its work wrote


async def _write_once(db: Database, request: WriteRequest, written: str, answer: Answer) -> Answer:
    async def write(tx: AsyncManagedTransaction) -> Answer:
        async def work(tx: AsyncManagedTransaction) -> Answer:
            await queries.write(tx, "writes.keep_answer", **_other_key(written))
            return answer

        return await idempotent(tx, request, work)

    try:
        return await db.write(write)
    except Undone as undone:
        return undone.answer


async def test_a_key_already_answered_replays_and_its_second_work_is_undone(db: Database) -> None:
    first = await _write_once(db, REQUEST, "first", {"kind": "done", "n": 1})
    again = await _write_once(db, REQUEST, "second", {"kind": "done", "n": 2})
    assert first == again == {"kind": "done", "n": 1}
    assert await _keys(db) == 2  # the request's key and the first work's write only


async def test_a_key_sent_with_other_input_is_a_conflict_and_writes_nothing(db: Database) -> None:
    await _write_once(db, REQUEST, "first", {"kind": "done"})
    other = WriteRequest(
        operation=REQUEST.operation,
        actor=REQUEST.actor,
        client_key=REQUEST.client_key,
        arguments={"note": "other"},
    )
    answer = await _write_once(db, other, "second", {"kind": "done"})
    assert answer["kind"] == "conflict"
    assert await _keys(db) == 2
