"""Whole-database maintenance: emptying the graph while keeping its schema."""

from __future__ import annotations

from neo4j import AsyncManagedTransaction

from graph import queries
from graph.database import Database


async def delete_data_batch(tx: AsyncManagedTransaction, *, batch_size: int) -> int:
    result = await queries.run(tx, "admin.delete_data_batch", batch_size=batch_size)
    record = await result.single(strict=True)
    return int(record["deleted"])


async def delete_all_data(db: Database, *, batch_size: int = 20_000) -> int:
    """Delete every node but the migration bookkeeping, in bounded transactions."""
    total = 0
    while deleted := await db.write_unbounded(delete_data_batch, batch_size=batch_size):
        total += deleted
    return total
