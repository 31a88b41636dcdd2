from __future__ import annotations

import hashlib
from itertools import islice

from graph.database import Database
from graph.ingest import graph_counts
from graph.records import NodeRecord, RelRecord
from loaders.demo import generate, has_domain_data, load_demo
from tests.ingest_support import fetch, snapshot


def _digest(seed: int, n: int = 5_000, scale: int = 5_000) -> str:
    h = hashlib.sha256()
    for record in islice(generate(scale, seed), n):
        h.update(type(record).__name__.encode())
        h.update(record.model_dump_json().encode())
    return h.hexdigest()


def test_same_seed_same_records() -> None:
    assert _digest(7) == _digest(7)
    assert _digest(7) != _digest(8)


def test_scale_is_the_approximate_node_count() -> None:
    # A ProducedSerial creates its Serial node too.
    nodes = sum(
        isinstance(r, NodeRecord) or (isinstance(r, RelRecord) and r.CREATES_TARGET)
        for r in generate(20_000, 1)
    )
    assert 16_000 <= nodes <= 24_000


async def test_load_twice_gives_identical_graph(db: Database) -> None:
    assert not await has_domain_data(db)
    first = await load_demo(db, scale=2_000, seed=3, progress=None)
    assert first.nodes_created == first.node_rows
    assert await has_domain_data(db)
    before = await snapshot(db)
    counts = await graph_counts(db)
    second = await load_demo(db, scale=2_000, seed=3, progress=None)
    assert (second.nodes_created, second.relationships_created) == (0, 0)
    assert await graph_counts(db) == counts
    assert await snapshot(db) == before


async def test_shape_genealogy_issues_and_shared_lots(db: Database) -> None:
    await load_demo(db, scale=5_000, seed=42, progress=None)
    nodes, rels = await graph_counts(db)
    for label in ("Supplier", "QualityIssue", "Investigation", "Action", "SupplierNotification"):
        assert nodes[label] > 0, label
    assert nodes["ProductionStage"] == 8 * nodes["Order"]
    assert rels["SUSPECTS"] > 0  # bad lots really caused issues
    [depth] = await fetch(db, "max_level")
    assert depth["level"] >= 2  # sub-assemblies of sub-assemblies
    [widest] = await fetch(db, "lot_reach", limit=1)
    # A bulk yarn lot feeds many orders, so a forward trace fans out to many serials.
    assert widest["serials"] >= 400
