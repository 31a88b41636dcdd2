from __future__ import annotations

from graph import about
from graph.database import Database
from tests.support import load_fixture_graph


async def test_fixture_graphs_load(db: Database) -> None:
    before = await db.read(about.graph_counts)  # migration bookkeeping only
    await load_fixture_graph(db, "two_lots_one_batch")
    after = await db.read(about.graph_counts)
    # 1 supplier, 1 material, 2 lots, 1 batch, 2 serials, and the ProductionDay of the batch's day
    # (computed as a load does: cypher/analytics/upstream.cypher); 2 SUPPLIED, 2 OF_MATERIAL,
    # 2 CONSUMED, 2 PRODUCED.
    assert after.nodes - before.nodes == 8
    assert after.relationships - before.relationships == 8
