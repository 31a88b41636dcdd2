from __future__ import annotations

from graph import about
from graph.database import Database
from tests.support import load_fixture_graph


async def test_fixture_graphs_load(db: Database) -> None:
    await load_fixture_graph(db, "smoke.two_lots_one_batch")
    counts = await db.read(about.graph_counts)
    migrations = len(await db.read(about.constraint_names))  # only to prove the schema survived
    assert migrations > 0
    # 1 supplier, 1 material, 2 lots, 1 batch, 2 serials (+ migration bookkeeping nodes).
    assert counts.relationships == 8
