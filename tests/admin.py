"""Test and bench maintenance: empty the graph, forget migrations (never in the service)."""

from __future__ import annotations

from neo4j import AsyncManagedTransaction

from graph import queries
from graph.database import Database
from tests.ingest_support import QUERIES


async def _delete_data_batch(tx: AsyncManagedTransaction, *, batch_size: int) -> int:
    written = await queries.write(tx, QUERIES["delete_data_batch"], batch_size=batch_size)
    return int(written.records[0]["deleted"])


async def delete_all_data(db: Database, *, batch_size: int = 20_000) -> int:
    """Delete every node but the migration bookkeeping, in bounded transactions."""
    total = 0
    while deleted := await db.write_unbounded(_delete_data_batch, batch_size=batch_size):
        total += deleted
    return total


async def _forget(tx: AsyncManagedTransaction, *, min_version: int) -> int:
    written = await queries.write(tx, QUERIES["forget_migrations"], min_version=min_version)
    return int(written.records[0]["forgotten"])


async def forget_migrations(db: Database, *, min_version: int) -> int:
    """Mark migrations from ``min_version`` up as not applied (tests of the migration runner)."""
    return await db.write_unbounded(_forget, min_version=min_version)
