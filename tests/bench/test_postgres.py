"""bench/postgres.py (issue 15): the SQL traces answer as the Cypher ones, on a real PostgreSQL.

The benchmark's figures mean something only if both stores answer the same; this runs its own
export and checks on a small graph (the hand-built genealogy of tests/data/graphs plus small bench
families, one of them nine levels deep) with a PostgreSQL 15 cluster the bench code starts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest

from bench import postgres, traces
from graph.database import Database
from tests.support import load_fixture_graph


async def _families(db: Database) -> None:
    await traces._family(
        db,
        prefix=traces.TARGET,
        lot=traces.TARGET_LOT,
        supplier="SUP-BENCH",
        customer="CUST-BENCH",
        levels=((0, 4, 3), (1, 3, 2), (2, 2, 2)),
    )
    await traces._family(
        db,
        prefix=traces.DEEP_PREFIX,
        lot=traces.DEEP_LOT,
        supplier="SUP-BENCH",
        customer="CUST-BENCH",
        levels=tuple((level, 3, 2) for level in range(9)),
    )


@pytest.fixture
async def pool(db: Database) -> AsyncIterator[asyncpg.Pool]:
    await load_fixture_graph(db, "genealogy")
    await _families(db)
    with postgres.postgres(traces.free_port(), None) as (server, created):
        assert created
        connections = await asyncpg.create_pool(
            host="127.0.0.1",
            port=server.port,
            user="postgres",
            database="postgres",
            min_size=1,
            max_size=2,
            init=postgres._init_connection,
        )
        try:
            await postgres.export(db.driver, connections)
            yield connections
        finally:
            await connections.close()


async def test_sql_traces_answer_as_the_cypher_ones(db: Database, pool: asyncpg.Pool) -> None:
    tables, nodes, rels = await postgres.verify_counts(db.driver, pool)
    async with db.driver.session() as session:
        result = await session.run(
            "MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels"
        )
        graph = await result.single(strict=True)
    assert (nodes, rels) == (graph["nodes"], graph["rels"])
    assert tables >= 10

    sql = postgres.load_sql("traces")
    async with pool.acquire() as conn:
        serials = [r[0] for r in await conn.fetch(sql["sample_serials"], 50)]
        deep = [
            r[0]
            for r in await conn.fetch(
                "SELECT serial_number FROM serial WHERE serial_number LIKE $1 || '%'",
                f"{traces.DEEP_PREFIX}L8-",
            )
        ]
    # Every batch of the small graph that made serials, the deep family's last level too.
    assert len(serials) > 10
    assert len(deep) == 6
    cases = postgres.build_cases(serials, True, deep)
    assert len(cases) == 6
    for case in cases:
        await postgres.verify_answers(db.driver, "neo4j", pool, sql, case)

    # The comparison is not vacuous: one genealogy link less in PostgreSQL, and the deep
    # backward trace (and so the check) differs.
    async with pool.acquire() as conn:
        await conn.execute(
            "DELETE FROM consumed WHERE src = (SELECT nid FROM batch WHERE batch_id = $1)",
            f"{traces.DEEP_PREFIX}L4-0",
        )
    with pytest.raises(SystemExit, match="answers differ"):
        await postgres.verify_answers(db.driver, "neo4j", pool, sql, cases[-1])


async def test_counts_differing_stop_the_bench(db: Database, pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await conn.execute("DELETE FROM serial WHERE nid = (SELECT min(nid) FROM serial)")
    with pytest.raises(SystemExit, match="Serial: Neo4j has"):
        await postgres.verify_counts(db.driver, pool)
