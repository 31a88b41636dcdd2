"""Hand-built test graphs: ``tests/data/graphs/<file>.cypher`` blocks run against the test Neo4j.

Fixture graphs are Cypher ``CREATE`` scripts in the same ``// name:`` format as ``cypher/``
(readable, pasteable into Browser), parsed by the same loader; they take no parameters.
"""

from __future__ import annotations

from pathlib import Path

from neo4j import AsyncManagedTransaction

from graph.database import Database
from graph.queries import NamedQuery, load_queries

GRAPHS = Path(__file__).resolve().parent / "data" / "graphs"


def fixture_graph(name: str) -> NamedQuery:
    """The block ``name`` of the fixture graphs (files directly in ``GRAPHS`` have no namespace)."""
    return load_queries(GRAPHS, label="tests/data/graphs")[name]


async def load_fixture_graph(db: Database, name: str) -> None:
    query = fixture_graph(name)

    async def create(tx: AsyncManagedTransaction) -> None:
        result = await tx.run(query.text, query.bind({}))
        await result.consume()

    await db.write(create)
