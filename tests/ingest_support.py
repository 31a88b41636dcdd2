"""Read-only Cypher the ingest tests use to look at the graph (``tests/data/queries/``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from neo4j import AsyncManagedTransaction

from graph.database import Database
from graph.queries import load_queries

LOAD_TAG = "_load"
QUERIES = load_queries(
    Path(__file__).resolve().parent / "data" / "queries", label="tests/data/queries"
)


async def fetch(db: Database, name: str, /, **params: Any) -> list[dict[str, Any]]:
    query = QUERIES[name]

    async def work(tx: AsyncManagedTransaction) -> list[dict[str, Any]]:
        result = await tx.run(query.text, query.bind(params))
        return [record.data() async for record in result]

    return await db.read(work)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        # Which load created an element is bookkeeping, not a fact of the model.
        return tuple(sorted((k, _freeze(v)) for k, v in value.items() if k != LOAD_TAG))
    if isinstance(value, list):
        return tuple(sorted((_freeze(v) for v in value), key=repr))
    return value


async def snapshot(db: Database) -> list[Any]:
    """The whole graph as a sorted, comparable structure (without the load tags)."""
    rows = await fetch(db, "snapshot")
    return sorted((_freeze(row) for row in rows), key=repr)
